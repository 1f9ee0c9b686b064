#include "incidentmap/error.hpp"
#include "incidentmap/formats/export.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/query/parameters.hpp"

#include "app.hpp"
#include "incident_query.hpp"
#include "request.hpp"
#include "responses.hpp"
#include "routes/incident_writes.hpp"
#include "routes/routes.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace incidentmap::api::detail {

namespace {

using incidents::IncidentQuery;
using nlohmann::json;

// The parameters of the incident routes, from query/parameters.hpp's table, in its order (the
// order error messages list them): the listings take its paging ones, /api/stats and
// /api/export do not.
std::vector<std::string> allowed_params(bool paging, std::initializer_list<const char*> more) {
    std::vector<std::string> out(more.begin(), more.end());
    for (auto& name : incidents::parameter_names(incidents::rest_use, paging)) {
        out.push_back(std::move(name));
    }
    return out;
}

std::string attribution_member(const App& app) {
    std::string out = "\"attribution\":";
    geo::append_json_string(out, app.attribution);
    return out;
}

void list_incidents(App& app, const httplib::Request& req, httplib::Response& res) {
    static const auto allowed = allowed_params(true, {});
    check_params(req.params, allowed);
    auto q = query_from(req, app);
    auto store = app.pool.acquire();
    answer_cached(app, *store, req, res,
                  [&] { write_collection(req, res, *store, q, attribution_member(app)); });
}

void get_incident(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {});
    auto store = app.pool.acquire();
    auto i = store->get(std::stoll(req.matches[1]));
    if (!i) {
        throw NotFound("no incident with id " + std::string(req.matches[1]));
    }
    send_feature(req, res, *i);
}

// POST /api/incidents/search: the filters of GET /api/incidents in a JSON body (for polygons
// too long for a URL); never cached.
void search_incidents(App& app, const httplib::Request& req, httplib::Response& res) {
    static const auto allowed = allowed_params(true, {});
    check_params(req, {});
    auto params = params_from_json(json_body(req));
    check_params(params, allowed);
    auto q = query_from(params, app);
    auto store = app.pool.acquire();
    write_collection(req, res, *store, q, attribution_member(app));
}

// Streams every match in a file format; the store connection is leased by the content
// provider, which runs after the handler has returned.
void export_incidents(App& app, const httplib::Request& req, httplib::Response& res) {
    static const auto allowed = allowed_params(false, {"format"});
    check_params(req.params, allowed);
    auto format = incidents::parse_export_format(param(req, "format").value_or("geojson"));
    auto q = query_from(req, app);
    q.sort = IncidentQuery::Sort::id_asc;
    res.set_header("Content-Disposition", std::string("attachment; filename=\"incidents") +
                                              incidents::file_extension(format) + "\"");
    res.set_chunked_content_provider(
        incidents::media_type(format), [&app, q, format](std::size_t, httplib::DataSink& sink) {
            try {
                auto store = app.pool.acquire();
                incidents::export_to_sink(*store, q, format, [&](std::string_view chunk) {
                    sink.write(chunk.data(), chunk.size());
                });
            } catch (const std::exception& e) {
                std::cerr << "export failed: " << e.what() << "\n";
                return false; // the headers are sent: all that is left is to cut the stream
            }
            sink.done();
            return true;
        });
}

void incident_stats(App& app, const httplib::Request& req, httplib::Response& res) {
    static const auto allowed = allowed_params(false, {});
    check_params(req.params, allowed);
    auto q = query_from(req, app);
    auto store = app.pool.acquire();
    auto st = store->stats(q);
    json out = {{"total", st.total},
                {"by_type", json::object()},
                {"by_day", json::object()},
                {"by_admin1", json::object()}};
    for (const auto& [k, v] : st.by_type)
        out["by_type"][k] = v;
    for (const auto& [k, v] : st.by_day)
        out["by_day"][k] = v;
    for (const auto& [k, v] : st.by_admin1)
        out["by_admin1"][k] = v;
    res.set_content(out.dump(), "application/json");
}

} // namespace

void register_incidents(RouteTable& server, App& app) {
    const char* one = R"(/api/incidents/(\d{1,18}))";
    server.get("/api/incidents", with_app(app, list_incidents));
    server.get(one, with_app(app, get_incident));
    server.put(one, [&app](const httplib::Request& req, httplib::Response& res) {
        replace_incident(app, req, res, false);
    });
    server.patch(one, [&app](const httplib::Request& req, httplib::Response& res) {
        replace_incident(app, req, res, true);
    });
    server.post("/api/incidents/search", with_app(app, search_incidents));
    server.get("/api/export", with_app(app, export_incidents));
    server.post("/api/incidents", [&app](const httplib::Request& req, httplib::Response& res) {
        create_incident(app, req, res, "/api/incidents/");
    });
    server.del(one, with_app(app, delete_incident));
    server.get("/api/stats", with_app(app, incident_stats));
}

} // namespace incidentmap::api::detail
