#include "incident_query.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/query/cql2.hpp"

#include "app.hpp"
#include "request.hpp"

#include <string_view>

namespace incidentmap::api::detail {

namespace {

using incidents::IncidentQuery;

void apply_near(const httplib::Params& params, IncidentQuery& q) {
    if (auto v = param(params, "near")) {
        q.near = geo::parse_lonlat(*v);
        auto r = param(params, "radius_km");
        const auto sort = param(params, "sort");
        if (!r && (!sort || *sort != "distance")) {
            throw InvalidInput("near needs radius_km, or sort=distance for the nearest incidents");
        }
        if (r) {
            auto d = geo::parse_double(*r);
            if (!d) {
                throw InvalidInput("radius_km must be a finite number");
            }
            q.radius_km = *d;
        }
    } else if (param(params, "radius_km")) {
        throw InvalidInput("radius_km needs near=lon,lat");
    }
}

// A region by code ("UA", "UA.16") or by name ("Ukraine", "Mykolaiv Oblast"), resolved with the
// gazetteer; nullptr when it knows none of that kind.
const gazetteer::Place* resolve_region(const gazetteer::Gazetteer& gz, std::string_view spec,
                                       gazetteer::PlaceKind kind) {
    if (kind == gazetteer::PlaceKind::country) {
        if (const auto* c = gz.country(spec)) {
            return c;
        }
    } else if (const auto* a = gz.admin1(spec)) {
        return a;
    }
    if (spec.empty() || spec.size() > 100) {
        return nullptr;
    }
    gazetteer::LookupOptions opt;
    opt.match = gazetteer::LookupOptions::Match::exact;
    opt.limit = 50;
    for (const auto& c : gz.lookup(spec, opt)) {
        if (c.place->kind == kind && !c.place->country.empty()) {
            return c.place;
        }
    }
    return nullptr;
}

// within=country:<code or name>, within=admin1:<code or name>, or a GeoJSON (Multi)Polygon.
void apply_within(const std::string& v, const gazetteer::Gazetteer& gz, IncidentQuery& q) {
    if (v.rfind("country:", 0) == 0) {
        const auto* c =
            resolve_region(gz, std::string_view(v).substr(8), gazetteer::PlaceKind::country);
        if (!c) {
            throw InvalidInput("within=country: takes an ISO 3166 alpha-2 code or a country name "
                               "the gazetteer knows; '" +
                               v.substr(8, 60) + "' is neither");
        }
        q.country = c->country;
    } else if (v.rfind("admin1:", 0) == 0) {
        const auto* a =
            resolve_region(gz, std::string_view(v).substr(7), gazetteer::PlaceKind::admin1);
        if (!a) {
            throw InvalidInput("within=admin1: takes a code like UA.16 or a region name the "
                               "gazetteer knows; '" +
                               v.substr(7, 60) + "' is neither");
        }
        q.country = a->country;
        q.admin1 = a->admin1;
    } else {
        auto g = geo::parse_geojson_geometry(v, 100000);
        if (std::holds_alternative<geo::LonLat>(g)) {
            throw InvalidInput("within must be a Polygon or MultiPolygon");
        }
        q.within = std::move(g);
    }
}

IncidentQuery::Sort parse_sort(const std::string& v) {
    if (v == "-event_date" || v == "event_date_desc") {
        return IncidentQuery::Sort::event_date_desc;
    }
    if (v == "event_date") {
        return IncidentQuery::Sort::event_date_asc;
    }
    if (v == "id") {
        return IncidentQuery::Sort::id_asc;
    }
    if (v == "distance") {
        return IncidentQuery::Sort::distance;
    }
    throw InvalidInput("sort must be event_date, -event_date, id or distance");
}

// The order of the checks is the order in which a request with several bad parameters learns
// of them: the first one throws.
void apply_attributes(const httplib::Params& params, IncidentQuery& q) {
    if (auto v = param(params, "since")) {
        q.since = *v;
    }
    if (auto v = param(params, "until")) {
        q.until = *v;
    }
    if (auto v = param(params, "type")) {
        q.types = split_list(*v);
    }
    if (auto v = param(params, "sub_type")) {
        q.sub_types = split_list(*v);
    }
    if (auto v = param(params, "min_fatalities")) {
        q.min_fatalities = static_cast<int>(parse_count(*v, "min_fatalities", 1000000));
    }
    if (auto v = param(params, "q")) {
        q.text = *v;
    }
}

void apply_paging(const httplib::Params& params, std::size_t max_limit, IncidentQuery& q) {
    if (auto v = param(params, "sort")) {
        q.sort = parse_sort(*v);
    }
    if (auto v = param(params, "cursor")) {
        q.cursor = *v;
    }
    if (auto v = param(params, "limit")) {
        q.limit = parse_count(*v, "limit", max_limit);
        if (q.limit == 0) {
            throw InvalidInput("limit must be at least 1");
        }
    }
    if (auto v = param(params, "offset")) {
        q.offset = parse_count(*v, "offset", 100000000);
    }
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
    IncidentQuery q;
    q.limit = 100;
    if (auto v = param(params, "bbox")) {
        q.bbox = geo::parse_bbox(*v);
    }
    apply_near(params, q);
    if (auto v = param(params, "within")) {
        apply_within(*v, app.gazetteer, q);
    }
    apply_attributes(params, q);
    apply_paging(params, app.config.max_limit, q);
    apply_filter(params, q);
    incidents::validate(q, app.config.max_limit);
    return q;
}

IncidentQuery query_from(const httplib::Request& req, const App& app) {
    return query_from(req.params, app);
}

void apply_filter(const httplib::Params& params, IncidentQuery& q) {
    auto lang = param(params, "filter-lang");
    auto crs = param(params, "filter-crs");
    auto text = param(params, "filter");
    if (lang && *lang != "cql2-text" && *lang != "cql-text") {
        throw InvalidInput("filter-lang must be cql2-text (the only filter language served)");
    }
    if (crs && *crs != "http://www.opengis.net/def/crs/OGC/1.3/CRS84") {
        throw InvalidInput("filter-crs must be http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    }
    if ((lang || crs) && !text) {
        throw InvalidInput("filter-lang and filter-crs need a filter");
    }
    if (text) {
        incidents::cql2::Filter::parse(*text).apply_to(q);
    }
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
