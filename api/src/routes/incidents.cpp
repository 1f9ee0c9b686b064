#include "incidentmap/error.hpp"
#include "incidentmap/formats/atom.hpp"
#include "incidentmap/formats/export.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/query/parameters.hpp"
#include "incidentmap/store/store.hpp"

#include "app.hpp"
#include "incident_query.hpp"
#include "request.hpp"
#include "responses.hpp"
#include "routes/incident_writes.hpp"
#include "routes/routes.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
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

// GET /api/incidents.atom: the page of /api/incidents with the same filters (the newest event
// dates first) as an Atom feed, so that a feed reader follows a map view.
void incidents_feed(App& app, const httplib::Request& req, httplib::Response& res) {
    static const auto allowed = allowed_params(true, {});
    check_params(req.params, allowed);
    auto q = query_from(req, app);
    auto store = app.pool.acquire();
    answer_cached(app, *store, req, res, [&] {
        const auto result = store->query(q);
        const auto base = self_base(req);
        const auto query = query_string_without(req, "", "");
        incidents::AtomFeed feed;
        feed.title = "incidentmap: incidents" + (query.empty() ? "" : " (" + query + ")");
        feed.self = base + "/api/incidents.atom" + (query.empty() ? "" : "?" + query);
        feed.alternate = base + "/" + (query.empty() ? "" : "?" + query);
        feed.rights = app.attribution;
        feed.base = base;
        feed.now = now_iso();
        send_body(req, res, incidents::atom_feed(feed, result.incidents),
                  "application/atom+xml; charset=utf-8");
    });
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

constexpr int max_cluster_zoom = 25;
// Squares a request may cover, so that a fine zoom over the whole world is refused before it
// is computed (a 4K screen's view holds about 8,000; the world at zoom 6, 131,072).
constexpr double max_squares = 262144.0;

incidents::ClusterGrid cluster_grid(const httplib::Request& req, const IncidentQuery& q) {
    const auto zoom = param(req, "zoom");
    if (!zoom) {
        throw InvalidInput("zoom is required: the map's zoom level, 0 to " +
                           std::to_string(max_cluster_zoom));
    }
    const auto z = static_cast<int>(incidents::parse_count(*zoom, "zoom", max_cluster_zoom));
    const auto grid = incidents::ClusterGrid::for_zoom(z);
    const geo::BBox area = q.bbox.value_or(geo::BBox{-180, -90, 180, 90});
    const double width = area.crosses_antimeridian() ? 360.0 - (area.min_lon - area.max_lon)
                                                     : area.max_lon - area.min_lon;
    const double squares =
        (width / grid.cell_size() + 1) * ((area.max_lat - area.min_lat) / grid.cell_size() + 1);
    if (squares > max_squares) {
        throw InvalidInput("the bbox covers too many squares at zoom " + *zoom +
                           ": give a smaller bbox or a lower zoom");
    }
    return grid;
}

// A number as the shortest text that reads back as it (a square's edges are exact).
void append_exact(std::string& out, double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// A cluster as a GeoJSON Feature, written directly (a view's answer holds thousands).
void append_cluster(std::string& out, const incidents::Cluster& c, incidents::ClusterGrid grid,
                    int zoom) {
    const auto b = grid.bounds(c.x, c.y);
    out += R"({"type":"Feature","id":")";
    out += std::to_string(zoom) + "/" + std::to_string(c.x) + "/" + std::to_string(c.y);
    out += R"(","bbox":[)";
    for (const double v : {b.min_lon, b.min_lat, b.max_lon, b.max_lat}) {
        append_exact(out, v);
        out.push_back(',');
    }
    out.back() = ']';
    out += R"(,"geometry":{"type":"Point","coordinates":)";
    geo::append_position(out, c.center);
    out += R"(},"properties":{"count":)";
    out += std::to_string(c.count) + R"(,"fatalities":)" + std::to_string(c.fatalities);
    out += R"(,"by_type":{)";
    for (std::size_t k = 0; k < c.by_type.size(); ++k) {
        out += k ? "," : "";
        geo::append_json_string(out, c.by_type[k].first);
        out += ":" + std::to_string(c.by_type[k].second);
    }
    out += "}}}";
}

// GET /api/clusters: the matches of the filters of /api/incidents counted in the squares of a
// grid fitted to the map's zoom, computed by the store, as GeoJSON points at their incidents'
// mean position.
void list_clusters(App& app, const httplib::Request& req, httplib::Response& res) {
    static const auto allowed = allowed_params(false, {"zoom"});
    check_params(req.params, allowed);
    auto q = query_from(req, app);
    const auto grid = cluster_grid(req, q);
    const int zoom = grid.zoom();
    auto store = app.pool.acquire();
    answer_cached(app, *store, req, res, [&] {
        std::string features;
        std::size_t matched = 0;
        for (const auto& c : store->clusters(q, grid)) {
            matched += c.count;
            if (!features.empty()) {
                features.push_back(',');
            }
            append_cluster(features, c, grid, zoom);
        }
        std::string out = R"({"type":"FeatureCollection","zoom":)" + std::to_string(zoom);
        out += R"(,"cell_size":)";
        append_exact(out, grid.cell_size());
        out += R"(,"numberMatched":)" + std::to_string(matched) + ",";
        out += attribution_member(app);
        out += R"(,"features":[)" + features + "]}";
        res.set_content(out, "application/geo+json");
    });
}

} // namespace

void register_incidents(RouteTable& server, App& app) {
    const char* one = R"(/api/incidents/(\d{1,18}))";
    server.get("/api/incidents", with_app(app, list_incidents));
    server.get(R"(/api/incidents\.atom)", with_app(app, incidents_feed));
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
    server.get("/api/clusters", with_app(app, list_clusters));
}

} // namespace incidentmap::api::detail
