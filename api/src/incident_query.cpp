#include "incident_query.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/query/parameters.hpp"

#include "app.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

namespace incidentmap::api::detail {

namespace {

using incidents::IncidentQuery;

// within=country:... and within=admin1:... resolved with the server's gazetteer.
incidents::ParameterContext context_of(const App& app, bool clamp_limit) {
    incidents::ParameterContext context;
    context.max_limit = app.config.max_limit;
    context.clamp_limit = clamp_limit;
    context.region = [&gz = app.gazetteer](std::string_view kind, std::string_view spec)
        -> std::optional<std::pair<std::string, std::string>> {
        const auto* p = gazetteer::find_region(gz, spec,
                                               kind == "country" ? gazetteer::PlaceKind::country
                                                                 : gazetteer::PlaceKind::admin1);
        if (p == nullptr) {
            return std::nullopt;
        }
        return std::pair{p->country, p->admin1};
    };
    return context;
}

std::string joined(const nlohmann::json& array, const std::string& key, bool numbers) {
    std::string out;
    for (const auto& x : array) {
        if (numbers ? !x.is_number() : !x.is_string()) {
            throw InvalidInput("'" + key + "' must be an array of " +
                               (numbers ? "numbers" : "strings"));
        }
        out += (out.empty() ? "" : ",") + (numbers ? x.dump() : x.get<std::string>());
    }
    return out;
}

} // namespace

IncidentQuery query_from(const httplib::Params& params, const App& app) {
    IncidentQuery base;
    base.limit = rest_page_size;
    return incidents::query_from(params, incidents::rest_use, context_of(app, false),
                                 std::move(base));
}

IncidentQuery query_from(const httplib::Request& req, const App& app) {
    return query_from(req.params, app);
}

IncidentQuery items_query_from(const httplib::Params& params, const App& app,
                               const std::function<std::string()>& equalities) {
    IncidentQuery q;
    q.limit = ogc_page_size;
    q.sort = IncidentQuery::Sort::id_asc;
    const auto context = context_of(app, true);
    // Part 1's parameters in the order the items have always checked them (the order in which
    // a request with several bad ones learns of them), which is not the table's: datetime
    // comes last. The table's query_from applies the rest: the equalities, the filter.
    static constexpr std::string_view part1[] = {"bbox", "limit", "offset", "datetime"};
    httplib::Params rest;
    for (const auto& [name, value] : params) {
        if (std::find(std::begin(part1), std::end(part1), name) == std::end(part1)) {
            rest.emplace(name, value);
        }
    }
    for (const auto name : part1) {
        const auto& table = incidents::query_parameters();
        const auto p = std::find_if(table.begin(), table.end(),
                                    [&](const auto& entry) { return entry.name == name; });
        if (auto v = incidents::parameter(params, name)) {
            p->apply(*v, params, context, q);
        }
    }
    return incidents::query_from(rest, incidents::ogc_use, context, std::move(q), equalities());
}

httplib::Params params_from_json(const nlohmann::json& j) {
    if (!j.is_object()) {
        throw InvalidInput("the search body must be a JSON object of filters");
    }
    httplib::Params out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const auto& v = it.value();
        if (v.is_string()) {
            out.emplace(it.key(), v.get<std::string>());
        } else if (v.is_number()) {
            out.emplace(it.key(), v.dump());
        } else if (it.key() == "within" && v.is_object()) {
            out.emplace(it.key(), v.dump());
        } else if ((it.key() == "bbox" || it.key() == "near") && v.is_array()) {
            out.emplace(it.key(), joined(v, it.key(), true));
        } else if ((it.key() == "type" || it.key() == "sub_type") && v.is_array()) {
            out.emplace(it.key(), joined(v, it.key(), false));
        } else {
            throw InvalidInput("filter '" + it.key().substr(0, 40) +
                               "' has a value of the wrong type");
        }
    }
    return out;
}

} // namespace incidentmap::api::detail
