#include "incidentmap/api/server.hpp"
#include "incidentmap/api/problem.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/extract/extract.hpp"
#include "incidentmap/formats/export.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/query/cql2.hpp"
#include "incidentmap/store/store.hpp"
#include "incidentmap/text/utf8.hpp"

#include "app.hpp"
#include "http_server.hpp"
#include "incident_query.hpp"
#include "request.hpp"
#include "responses.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <unordered_map>

namespace incidentmap::api {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using incidents::Incident;
using incidents::IncidentQuery;
using incidents::IncidentStore;
using namespace detail;

std::atomic<httplib::Server*> g_server{nullptr};

bool constant_time_equal(const std::string& a, const std::string& b) {
    unsigned char diff = static_cast<unsigned char>(a.size() != b.size());
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const char* mime_for(const fs::path& p) {
    auto ext = p.extension().string();
    if (ext == ".html")
        return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs")
        return "application/javascript";
    if (ext == ".css")
        return "text/css";
    if (ext == ".png")
        return "image/png";
    if (ext == ".svg")
        return "image/svg+xml";
    if (ext == ".json")
        return "application/json";
    return "application/octet-stream";
}

// RFC 7396 JSON merge patch.
void merge_patch(json& target, const json& patch) {
    if (!patch.is_object()) {
        target = patch;
        return;
    }
    if (!target.is_object()) {
        target = json::object();
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.value().is_null()) {
            target.erase(it.key());
        } else {
            merge_patch(target[it.key()], it.value());
        }
    }
}

bool token_ok(const httplib::Request& req, const App& app) {
    auto h = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    bool ok = false;
    if (h.rfind(prefix, 0) == 0) {
        std::string token = h.substr(prefix.size());
        for (const auto& t : app.config.tokens) {
            ok = constant_time_equal(token, t) || ok; // no early exit: constant time
        }
    }
    return ok;
}

// Checks a write request's token; sends 401/403 and returns false when it is missing or wrong.
bool authorized(const httplib::Request& req, httplib::Response& res, const App& app) {
    if (app.config.tokens.empty()) {
        send_problem(res, problem(403, "writes are disabled on this server: start it with a token "
                                       "(--token-file or INCIDENTMAP_TOKENS)"));
        return false;
    }
    if (!token_ok(req, app)) {
        res.set_header("WWW-Authenticate", "Bearer");
        send_problem(
            res,
            problem(401, "this request needs 'Authorization: Bearer <token>' with a valid token"));
        return false;
    }
    return true;
}

std::string candidate_json(const gazetteer::Candidate& c, const gazetteer::Gazetteer& gz) {
    const auto& p = *c.place;
    json j = {{"id", p.id},
              {"geonameid", p.is_geonames() ? json(p.id) : json(nullptr)},
              {"name", p.name},
              {"lon", p.point.lon},
              {"lat", p.point.lat},
              {"kind", gazetteer::kind_name(p)},
              {"feature_class", std::string(1, p.feature_class)},
              {"feature_code", p.feature_code},
              {"country", p.country},
              {"admin1", p.admin1_key()},
              {"population", p.population},
              {"score", std::round(c.score * 1000.0) / 1000.0},
              {"matched", c.matched},
              {"reason", c.reason}};
    if (const auto* a1 = gz.admin1(p.admin1_key())) {
        j["admin1_name"] = a1->name;
    }
    if (const auto* co = gz.country(p.country)) {
        j["country_name"] = co->name;
    }
    return j.dump();
}

} // namespace

void stop_server() {
    if (auto* s = g_server.load()) {
        s->stop();
    }
}

void run_server(const ServerConfig& config) {
    auto gz = gazetteer::Gazetteer::open(config.gazetteer);
    std::size_t threads =
        config.threads ? config.threads : std::max(4u, std::thread::hardware_concurrency() * 2);
    App app(config, std::move(gz), threads);

    detail::HttpServer svr(threads);
    svr.set_tcp_nodelay(true);
    svr.set_payload_max_length(config.max_body_bytes);
    svr.set_keep_alive_max_count(1000);
    if (!config.quiet) {
        svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            // Structured access log; the Authorization header is never logged.
            json line = {{"time", now_iso()},        {"method", req.method},
                         {"path", req.path},         {"status", res.status},
                         {"bytes", res.body.size()}, {"remote", req.remote_addr}};
            std::cerr << line.dump() << "\n";
        });
    }
    svr.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                send_problem(res, problem_from(e));
            } catch (...) {
                send_problem(res, problem(500, "unexpected error"));
            }
        });
    svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
            return;
        }
        if (res.status == 404) {
            send_problem(res, problem(404, "no such resource: " + req.path.substr(0, 200)));
        } else if (res.status == 413) {
            send_problem(res, problem(413, "the request body is too large"));
        } else {
            send_problem(res, problem(res.status, "request failed"));
        }
    });
    svr.set_pre_routing_handler([&app](const httplib::Request& req, httplib::Response& res) {
        if (!app.config.cors_origin.empty()) {
            res.set_header("Access-Control-Allow-Origin", app.config.cors_origin);
            res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
            res.set_header("Access-Control-Allow-Methods",
                           "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        }
        if (app.config.protect_reads && req.method == "GET" && req.path.rfind("/api", 0) == 0) {
            if (!authorized(req, res, app)) {
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    // --- static files: the web map and Leaflet ---
    auto serve_file = [](httplib::Response& res, const fs::path& p) {
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) {
            send_problem(res, problem(404, "no such file"));
            return;
        }
        res.set_content(read_file(p), mime_for(p));
    };
    svr.Get("/", [&](const httplib::Request&, httplib::Response& res) {
        serve_file(res, fs::path(app.config.web_root) / "index.html");
    });
    svr.Get(R"(/web/([A-Za-z0-9_.-]+))", [&](const httplib::Request& req, httplib::Response& res) {
        serve_file(res, fs::path(app.config.web_root) / std::string(req.matches[1]));
    });
    svr.Get(R"(/vendor/leaflet/([A-Za-z0-9_./-]+))",
            [&](const httplib::Request& req, httplib::Response& res) {
                std::string rel = req.matches[1];
                if (rel.find("..") != std::string::npos) {
                    send_problem(res, problem(400, "bad path"));
                    return;
                }
                serve_file(res, fs::path(app.config.vendor_root) / "leaflet" / "dist" / rel);
            });
    svr.Get(R"(/vendor/markercluster/([A-Za-z0-9_.-]+))",
            [&](const httplib::Request& req, httplib::Response& res) {
                serve_file(res, fs::path(app.config.vendor_root) / "leaflet.markercluster" /
                                    "dist" / std::string(req.matches[1]));
            });

    // --- REST API ---
    svr.Get("/api/incidents", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"bbox", "near", "radius_km", "within", "since", "until", "type",
                           "sub_type", "min_fatalities", "q", "sort", "limit", "offset", "cursor",
                           "filter", "filter-lang", "filter-crs"});
        auto q = query_from(req, app);
        auto store = app.pool.acquire();
        answer_cached(app, *store, req, res, [&] {
            std::string attribution = "\"attribution\":";
            geo::append_json_string(attribution, app.attribution);
            write_collection(req, res, *store, q, attribution);
        });
    });
    svr.Get(R"(/api/incidents/(\d{1,18}))",
            [&](const httplib::Request& req, httplib::Response& res) {
                check_params(req, {});
                auto store = app.pool.acquire();
                auto i = store->get(std::stoll(req.matches[1]));
                if (!i) {
                    throw NotFound("no incident with id " + std::string(req.matches[1]));
                }
                send_feature(req, res, *i);
            });
    // Replace (PUT, a whole Feature) or change (PATCH, a JSON merge patch of the Feature).
    auto write_incident = [&](const httplib::Request& req, httplib::Response& res, bool patch) {
        if (!authorized(req, res, app)) {
            return;
        }
        check_params(req, {});
        if (!text::is_valid_utf8(req.body)) {
            throw InvalidInput("the body is not valid UTF-8");
        }
        const auto id = std::stoll(req.matches[1]);
        auto store = app.pool.acquire();
        auto current = store->get(id);
        if (!current) {
            throw NotFound("no incident with id " + std::to_string(id));
        }
        if (auto match = req.get_header_value("If-Match");
            !match.empty() && match != etag_of(incidents::incident_feature(*current))) {
            send_problem(res,
                         problem(412, "the incident changed since you read it (ETag mismatch)"));
            return;
        }
        std::string body = req.body;
        if (patch) {
            json doc = json::parse(incidents::incident_feature(*current));
            json p;
            try {
                p = json::parse(req.body);
            } catch (const json::exception& e) {
                throw InvalidInput(std::string("malformed JSON body: ") + e.what());
            }
            merge_patch(doc, p);
            body = doc.dump();
        }
        Incident next = incidents::incident_from_feature(body);
        next.id = id;
        next.evidence = current->evidence;
        store->update(next);
        send_feature(req, res, *store->get(id));
    };
    svr.Put(R"(/api/incidents/(\d{1,18}))",
            [&](const httplib::Request& req, httplib::Response& res) {
                write_incident(req, res, false);
            });
    svr.Patch(R"(/api/incidents/(\d{1,18}))",
              [&](const httplib::Request& req, httplib::Response& res) {
                  write_incident(req, res, true);
              });
    svr.Post("/api/incidents/search", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {});
        auto params = params_from_json(json_body(req));
        check_params(params, {"bbox", "near", "radius_km", "within", "since", "until", "type",
                              "sub_type", "min_fatalities", "q", "sort", "limit", "offset",
                              "cursor", "filter", "filter-lang", "filter-crs"});
        auto q = query_from(params, app);
        auto store = app.pool.acquire();
        std::string attribution = "\"attribution\":";
        geo::append_json_string(attribution, app.attribution);
        write_collection(req, res, *store, q, attribution);
    });
    svr.Get("/api/export", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req,
                     {"format", "bbox", "near", "radius_km", "within", "since", "until", "type",
                      "sub_type", "min_fatalities", "q", "filter", "filter-lang", "filter-crs"});
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
    });
    // Create (a GeoJSON Feature) and delete, for the REST API and OGC API - Features Part 4.
    auto create_incident = [&](const httplib::Request& req, httplib::Response& res,
                               const std::string& location) {
        if (!authorized(req, res, app)) {
            return;
        }
        check_params(req, {});
        if (!text::is_valid_utf8(req.body)) {
            throw InvalidInput("the body is not valid UTF-8");
        }
        Incident i = incidents::incident_from_feature(req.body);
        auto store = app.pool.acquire();
        std::vector<Incident> one{std::move(i)};
        store->insert(one);
        res.set_header("Location", location + std::to_string(one.front().id));
        send_feature(req, res, one.front(), 201);
    };
    auto delete_incident = [&](const httplib::Request& req, httplib::Response& res) {
        if (!authorized(req, res, app)) {
            return;
        }
        check_params(req, {});
        auto store = app.pool.acquire();
        if (!store->remove(std::stoll(req.matches[1]))) {
            throw NotFound("no incident with id " + std::string(req.matches[1]));
        }
        res.status = 204;
    };
    svr.Post("/api/incidents", [&](const httplib::Request& req, httplib::Response& res) {
        create_incident(req, res, "/api/incidents/");
    });
    svr.Delete(R"(/api/incidents/(\d{1,18}))", delete_incident);
    svr.Post("/ogc/collections/incidents/items",
             [&](const httplib::Request& req, httplib::Response& res) {
                 create_incident(req, res, "/ogc/collections/incidents/items/");
             });
    svr.Put(R"(/ogc/collections/incidents/items/(\d{1,18}))",
            [&](const httplib::Request& req, httplib::Response& res) {
                write_incident(req, res, false);
            });
    svr.Delete(R"(/ogc/collections/incidents/items/(\d{1,18}))", delete_incident);
    svr.Post("/api/articles", [&](const httplib::Request& req, httplib::Response& res) {
        if (!authorized(req, res, app)) {
            return;
        }
        check_params(req, {});
        json j = json_body(req);
        if (!j.is_object()) {
            throw InvalidInput("the body must be a JSON object with at least 'text'");
        }
        static const std::set<std::string> allowed = {"text", "published", "source", "url",
                                                      "title"};
        incidents::ArticleInput in;
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (!allowed.count(it.key())) {
                throw InvalidInput("unknown member '" + it.key().substr(0, 40) +
                                   "' (allowed: text, published, source, url, title)");
            }
            if (!it->is_string()) {
                throw InvalidInput("member '" + it.key() + "' must be a string");
            }
        }
        in.text = j.value("text", "");
        in.published = j.value("published", "");
        in.source = j.value("source", "");
        in.url = j.value("url", "");
        in.title = j.value("title", "");
        auto store = app.pool.acquire();
        auto r = incidents::ingest(*store, app.extractor, in);
        json out = {{"article_id", r.article_id},
                    {"existed", r.existed},
                    {"created", r.created},
                    {"merged", r.merged},
                    {"incident_ids", r.incident_ids}};
        res.status = r.existed ? 200 : 201;
        res.set_content(out.dump(), "application/json");
    });
    svr.Get("/api/geocode", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"q", "limit", "country", "match", "near", "feature_class"});
        auto q = param(req, "q");
        if (!q) {
            throw InvalidInput("geocode needs q=<place name>");
        }
        gazetteer::LookupOptions opt;
        if (auto v = param(req, "limit")) {
            opt.limit = parse_count(*v, "limit", 100);
        }
        if (auto v = param(req, "country")) {
            opt.country = *v;
        }
        if (auto v = param(req, "near")) {
            opt.near = geo::parse_lonlat(*v);
        }
        if (auto v = param(req, "feature_class")) {
            if (v->size() != 1) {
                throw InvalidInput("feature_class is one letter (A, P, L)");
            }
            opt.feature_class = (*v)[0];
        }
        if (auto v = param(req, "match")) {
            using M = gazetteer::LookupOptions::Match;
            if (*v == "exact")
                opt.match = M::exact;
            else if (*v == "prefix")
                opt.match = M::prefix;
            else if (*v == "fuzzy")
                opt.match = M::fuzzy;
            else if (*v == "any")
                opt.match = M::any;
            else
                throw InvalidInput("match must be exact, prefix, fuzzy or any");
        }
        auto cands = app.gazetteer.lookup(*q, opt);
        std::string body = "{\"query\":";
        geo::append_json_string(body, *q);
        body += ",\"candidates\":[";
        for (std::size_t k = 0; k < cands.size(); ++k) {
            body += (k ? "," : "") + candidate_json(cands[k], app.gazetteer);
        }
        body += "],\"attribution\":";
        geo::append_json_string(body, app.attribution);
        body += "}";
        res.set_content(body, "application/json");
    });
    svr.Get("/api/reverse", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"lon", "lat"});
        auto lon = param(req, "lon");
        auto lat = param(req, "lat");
        if (!lon || !lat) {
            throw InvalidInput("reverse needs lon and lat");
        }
        auto p = geo::parse_lonlat(*lon + "," + *lat);
        auto r = app.gazetteer.reverse(p);
        json out = json::object();
        if (r.place) {
            out["place"] = {{"id", r.place->id},
                            {"name", r.place->name},
                            {"lon", r.place->point.lon},
                            {"lat", r.place->point.lat},
                            {"distance_km", r.distance_m / 1000.0},
                            {"country", r.place->country}};
        }
        if (r.admin1) {
            out["admin1"] = {{"code", r.admin1->admin1_key()}, {"name", r.admin1->name}};
        }
        if (r.country) {
            out["country"] = {{"code", r.country->country}, {"name", r.country->name}};
        }
        out["attribution"] = app.attribution;
        res.set_content(out.dump(), "application/json");
    });
    svr.Get("/api/stats", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req,
                     {"bbox", "near", "radius_km", "within", "since", "until", "type", "sub_type",
                      "min_fatalities", "q", "filter", "filter-lang", "filter-crs"});
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
    });
    svr.Get("/api/countries", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {});
        static std::once_flag once;
        std::call_once(once, [&] {
            std::string out = R"({"type":"FeatureCollection","features":[)";
            bool first = true;
            for (std::uint32_t i = 0; i < app.gazetteer.size(); ++i) {
                const auto& p = app.gazetteer.place(i);
                if (p.kind != gazetteer::PlaceKind::country) {
                    continue;
                }
                const auto* shape = app.gazetteer.country_shape(p.country);
                if (!shape) {
                    continue;
                }
                out += first ? "" : ",";
                first = false;
                out += R"({"type":"Feature","properties":{"iso":)";
                geo::append_json_string(out, p.country);
                out += ",\"name\":";
                geo::append_json_string(out, p.name);
                out += "},\"geometry\":";
                geo::append_geometry(out, geo::Geometry{*shape});
                out += "}";
            }
            out += "],\"attribution\":\"Natural Earth (public domain)\"}";
            app.countries_geojson = std::move(out);
        });
        res.set_header("Cache-Control", "public, max-age=86400");
        send_body(req, res, app.countries_geojson, "application/geo+json");
    });

    // --- OGC API - Features ---
    const std::string conf_core = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core";
    svr.Get("/ogc", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        auto base = self_base(req);
        json j = {{"title", "incidentmap"},
                  {"description", "Incidents extracted from news reports. " + app.attribution},
                  {"links", json::array({{{"href", base + "/ogc"},
                                          {"rel", "self"},
                                          {"type", "application/json"},
                                          {"title", "this document"}},
                                         {{"href", base + "/ogc/api"},
                                          {"rel", "service-desc"},
                                          {"type", "application/vnd.oai.openapi+json;version=3.0"},
                                          {"title", "the API definition"}},
                                         {{"href", base + "/ogc/conformance"},
                                          {"rel", "conformance"},
                                          {"type", "application/json"},
                                          {"title", "conformance classes"}},
                                         {{"href", base + "/ogc/collections"},
                                          {"rel", "data"},
                                          {"type", "application/json"},
                                          {"title", "collections"}}})}};
        res.set_content(j.dump(), "application/json");
    });
    svr.Get("/ogc/conformance", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        json j = {{"conformsTo",
                   {conf_core, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
                    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
                    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
                    "queryables-query-parameters",
                    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
                    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
                    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
                    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
                    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
                    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
                    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions"}}};
        res.set_content(j.dump(), "application/json");
    });
    auto collection_json = [&](const httplib::Request& req) {
        auto base = self_base(req);
        auto store = app.pool.acquire();
        auto [box, first, last] = store->extent();
        return json{
            {"id", "incidents"},
            {"title", "Incidents"},
            {"description", "Incidents extracted from news reports (ACLED-compatible fields)"},
            {"itemType", "feature"},
            {"crs", {"http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
            {"extent",
             {{"spatial",
               {{"bbox", {{box.min_lon, box.min_lat, box.max_lon, box.max_lat}}},
                {"crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}},
              {"temporal",
               {{"interval",
                 {{first.empty() ? json(nullptr) : json(first + "T00:00:00Z"),
                   last.empty() ? json(nullptr) : json(last + "T23:59:59Z")}}},
                {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}}}}},
            {"links", json::array({{{"href", base + "/ogc/collections/incidents"},
                                    {"rel", "self"},
                                    {"type", "application/json"}},
                                   {{"href", base + "/ogc/collections/incidents/items"},
                                    {"rel", "items"},
                                    {"type", "application/geo+json"}},
                                   {{"href", base + "/ogc/collections/incidents/queryables"},
                                    {"rel", "http://www.opengis.net/def/rel/ogc/1.0/queryables"},
                                    {"type", "application/schema+json"},
                                    {"title", "properties a filter may name"}}})}};
    };
    svr.Get("/ogc/collections", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        auto base = self_base(req);
        json j = {{"collections", {collection_json(req)}},
                  {"links", json::array({{{"href", base + "/ogc/collections"},
                                          {"rel", "self"},
                                          {"type", "application/json"}}})}};
        res.set_content(j.dump(), "application/json");
    });
    svr.Get("/ogc/collections/incidents", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        res.set_content(collection_json(req).dump(), "application/json");
    });
    svr.Get("/ogc/collections/incidents/queryables",
            [&](const httplib::Request& req, httplib::Response& res) {
                check_params(req, {"f"});
                json props = json::object();
                for (const auto& p : incidents::cql2::queryables()) {
                    json j = {{"title", p.name}, {"description", p.description}};
                    if (p.format == "geometry-point") {
                        j["format"] = "geometry-point";
                        j["x-ogc-role"] = "primary-geometry";
                    } else {
                        j["type"] = p.type;
                        if (!p.format.empty()) {
                            j["format"] = p.format;
                        }
                    }
                    if (p.name == "event_date") {
                        j["x-ogc-role"] = "primary-instant";
                    }
                    if (p.name == "id") {
                        j["x-ogc-role"] = "id";
                    }
                    props[p.name] = std::move(j);
                }
                json j = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                          {"$id", self_base(req) + "/ogc/collections/incidents/queryables"},
                          {"type", "object"},
                          {"title", "Incidents"},
                          {"properties", std::move(props)},
                          {"additionalProperties", false}};
                res.set_content(j.dump(), "application/schema+json");
            });
    svr.Get("/ogc/collections/incidents/items", [&](const httplib::Request& req,
                                                    httplib::Response& res) {
        static const std::vector<std::string> allowed = [] {
            std::vector<std::string> a{"bbox", "datetime", "limit",       "offset",
                                       "f",    "filter",   "filter-lang", "filter-crs"};
            for (const auto& p : incidents::cql2::queryables()) {
                if (p.name != "geometry") {
                    a.push_back(p.name);
                }
            }
            return a;
        }();
        check_params(req.params, allowed);
        IncidentQuery q;
        q.limit = 10;
        q.sort = IncidentQuery::Sort::id_asc;
        if (auto v = param(req, "bbox")) {
            q.bbox = geo::parse_bbox(*v);
        }
        if (auto v = param(req, "limit")) {
            q.limit =
                std::clamp<std::size_t>(parse_count(*v, "limit", 1000000), 1, app.config.max_limit);
        }
        if (auto v = param(req, "offset")) {
            q.offset = parse_count(*v, "offset", 100000000);
        }
        if (auto v = param(req, "datetime")) {
            auto date_of = [](const std::string& s) -> std::optional<std::string> {
                if (s == ".." || s.empty()) {
                    return std::nullopt;
                }
                std::string d = s.substr(0, 10);
                if (!incidents::is_iso_date(d) || (s.size() > 10 && s[10] != 'T')) {
                    throw InvalidInput("datetime must be an RFC 3339 date or date-time, or an "
                                       "interval start/end with '..' for open ends");
                }
                return d;
            };
            auto slash = v->find('/');
            if (slash == std::string::npos) {
                q.since = date_of(*v);
                q.until = q.since;
                if (!q.since) {
                    throw InvalidInput("datetime '..' alone is not an instant");
                }
            } else {
                q.since = date_of(v->substr(0, slash));
                q.until = date_of(v->substr(slash + 1));
            }
        }
        // Queryables as query parameters: name=value selects equal values.
        std::string equalities;
        for (const auto& p : incidents::cql2::queryables()) {
            auto v = param(req, p.name.c_str());
            if (!v || p.name == "geometry") {
                continue;
            }
            std::string literal;
            if (p.type == "integer" || p.type == "number") {
                if (!geo::parse_double(*v)) {
                    throw InvalidInput(p.name + " must be a number");
                }
                literal = *v;
            } else {
                literal = "'";
                for (char c : *v) {
                    literal += c == '\'' ? std::string("''") : std::string(1, c);
                }
                literal += "'";
            }
            equalities += (equalities.empty() ? "" : " AND ") + ("\"" + p.name + "\" = " + literal);
        }
        if (!equalities.empty()) {
            incidents::cql2::Filter::parse(equalities).apply_to(q);
        }
        apply_filter(req.params, q);
        incidents::validate(q, app.config.max_limit);
        auto base = self_base(req);
        auto store = app.pool.acquire();
        answer_cached(app, *store, req, res, [&] {
            auto result = store->query(q);
            std::string links = "\"links\":[{\"href\":";
            geo::append_json_string(links, base + "/ogc/collections/incidents/items?" +
                                               query_string_without(req, "", ""));
            links += ",\"rel\":\"self\",\"type\":\"application/geo+json\"}";
            if (q.offset + result.incidents.size() < result.number_matched.value_or(0)) {
                links += ",{\"href\":";
                geo::append_json_string(
                    links, base + "/ogc/collections/incidents/items?" +
                               query_string_without(
                                   req, "offset", "offset=" + std::to_string(q.offset + q.limit)));
                links += ",\"rel\":\"next\",\"type\":\"application/geo+json\"}";
            }
            if (q.offset > 0) {
                links += ",{\"href\":";
                geo::append_json_string(
                    links, base + "/ogc/collections/incidents/items?" +
                               query_string_without(
                                   req, "offset",
                                   "offset=" + std::to_string(
                                                   q.offset > q.limit ? q.offset - q.limit : 0)));
                links += ",\"rel\":\"prev\",\"type\":\"application/geo+json\"}";
            }
            links += "]";
            std::string members =
                "\"numberMatched\":" + std::to_string(result.number_matched.value_or(0)) +
                ",\"numberReturned\":" + std::to_string(result.incidents.size()) +
                ",\"timeStamp\":\"" + now_iso() + "\"";
            std::string body;
            body.reserve(result.incidents.size() * 640 + 4096);
            incidents::GeoJsonWriter writer([&](std::string_view c) { body.append(c); }, members);
            for (const auto& i : result.incidents) {
                writer.add(i);
            }
            writer.finish(links);
            send_body(req, res, std::move(body), "application/geo+json");
        });
    });
    svr.Get(R"(/ogc/collections/incidents/items/(\d{1,18}))",
            [&](const httplib::Request& req, httplib::Response& res) {
                check_params(req, {"f"});
                auto store = app.pool.acquire();
                auto i = store->get(std::stoll(req.matches[1]));
                if (!i) {
                    throw NotFound("no feature with id " + std::string(req.matches[1]));
                }
                send_feature(req, res, *i);
            });
    svr.Get("/ogc/api", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        res.set_content(openapi_document_ogc(self_base(req)),
                        "application/vnd.oai.openapi+json;version=3.0");
    });
    svr.Get("/api", [&](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        res.set_content(openapi_document(self_base(req)),
                        "application/vnd.oai.openapi+json;version=3.0");
    });

    int port = config.port;
    if (port == 0) {
        port = svr.bind_to_any_port(config.host);
        if (port <= 0) {
            throw Error("cannot bind to " + config.host);
        }
    } else if (!svr.bind_to_port(config.host, port)) {
        throw Error("cannot listen on " + config.host + ":" + std::to_string(port) +
                    " (is another server using the port?)");
    }
    g_server = &svr;
    std::signal(SIGINT, [](int) { stop_server(); });
    std::signal(SIGTERM, [](int) { stop_server(); });
    std::cout << "incidentmap listening on http://" << config.host << ":" << port << "/"
              << std::endl;
    if (config.on_listen) {
        config.on_listen(port);
    }
    svr.serve();
    g_server = nullptr;
}

} // namespace incidentmap::api
