#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/query/parameters.hpp"

#include "app.hpp"
#include "request.hpp"
#include "responses.hpp"
#include "routes/routes.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <string>

namespace incidentmap::api::detail {

namespace {

using nlohmann::json;

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

gazetteer::LookupOptions::Match parse_match(const std::string& v) {
    using M = gazetteer::LookupOptions::Match;
    if (v == "exact")
        return M::exact;
    if (v == "prefix")
        return M::prefix;
    if (v == "fuzzy")
        return M::fuzzy;
    if (v == "any")
        return M::any;
    throw InvalidInput("match must be exact, prefix, fuzzy or any");
}

void geocode(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"q", "limit", "country", "match", "near", "feature_class"});
    auto q = param(req, "q");
    if (!q) {
        throw InvalidInput("geocode needs q=<place name>");
    }
    gazetteer::LookupOptions opt;
    if (auto v = param(req, "limit")) {
        opt.limit = incidents::parse_count(*v, "limit", 100);
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
        opt.match = parse_match(*v);
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
}

void reverse_geocode(App& app, const httplib::Request& req, httplib::Response& res) {
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
}

// Every country with an outline, as a FeatureCollection (made once: the gazetteer does not
// change while the server runs).
std::string countries_geojson(const gazetteer::Gazetteer& gz) {
    std::string out = R"({"type":"FeatureCollection","features":[)";
    bool first = true;
    for (std::uint32_t i = 0; i < gz.size(); ++i) {
        const auto& p = gz.place(i);
        if (p.kind != gazetteer::PlaceKind::country) {
            continue;
        }
        const auto* shape = gz.country_shape(p.country);
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
    return out;
}

void countries(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {});
    std::call_once(app.countries_once,
                   [&] { app.countries_geojson = countries_geojson(app.gazetteer); });
    res.set_header("Cache-Control", "public, max-age=86400");
    send_body(req, res, app.countries_geojson, "application/geo+json");
}

} // namespace

void register_places(RouteTable& server, App& app) {
    server.get("/api/geocode", with_app(app, geocode));
    server.get("/api/reverse", with_app(app, reverse_geocode));
    server.get("/api/countries", with_app(app, countries));
}

} // namespace incidentmap::api::detail
