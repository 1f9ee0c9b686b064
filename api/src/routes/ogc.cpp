#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/query/cql2.hpp"
#include "incidentmap/query/parameters.hpp"

#include "app.hpp"
#include "incident_query.hpp"
#include "incident_schema.hpp"
#include "request.hpp"
#include "responses.hpp"
#include "routes/incident_writes.hpp"
#include "routes/routes.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace incidentmap::api::detail {

namespace {

using incidents::IncidentQuery;
using nlohmann::json;

const char* const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const char* const items_path = "/ogc/collections/incidents/items";

json link(const std::string& href, const char* rel, const char* type) {
    return {{"href", href}, {"rel", rel}, {"type", type}};
}

json link(const std::string& href, const char* rel, const char* type, const char* title) {
    return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

void landing_page(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    auto base = self_base(req);
    json j = {{"title", "incidentmap"},
              {"description", "Incidents extracted from news reports. " + app.attribution},
              {"links",
               json::array(
                   {link(base + "/ogc", "self", "application/json", "this document"),
                    link(base + "/ogc/api", "service-desc",
                         "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
                    link(base + "/ogc/conformance", "conformance", "application/json",
                         "conformance classes"),
                    link(base + "/ogc/collections", "data", "application/json", "collections")})}};
    res.set_content(j.dump(), "application/json");
}

void conformance(const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    json j = {{"conformsTo",
               {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
                "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                // One URI in two pieces (the column limit), not a missing comma.
                // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
                "queryables-query-parameters",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
                "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
                "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
                "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
                "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
                "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
                "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
                "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
                "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
                "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
                "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions"}}};
    res.set_content(j.dump(), "application/json");
}

// The incidents collection, with the extent of what the store holds now.
json collection_json(App& app, const httplib::Request& req) {
    auto base = self_base(req);
    auto store = app.pool.acquire();
    auto [box, first, last] = store->extent();
    return json{
        {"id", "incidents"},
        {"title", "Incidents"},
        {"description", "Incidents extracted from news reports (ACLED-compatible fields)"},
        {"itemType", "feature"},
        {"crs", {crs84}},
        {"extent",
         {{"spatial",
           {{"bbox", {{box.min_lon, box.min_lat, box.max_lon, box.max_lat}}}, {"crs", crs84}}},
          {"temporal",
           {// An array of [start, end] arrays (OGC API - Features 7.13); built explicitly, as
            // nested braces of two strings would make an object.
            {"interval", json::array({json::array(
                             {first.empty() ? json(nullptr) : json(first + "T00:00:00Z"),
                              last.empty() ? json(nullptr) : json(last + "T23:59:59Z")})})},
            {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}}}}},
        {"links",
         json::array({link(base + "/ogc/collections/incidents", "self", "application/json"),
                      link(base + items_path, "items", "application/geo+json"),
                      link(base + "/ogc/collections/incidents/queryables",
                           "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                           "application/schema+json", "properties a filter may name"),
                      link(base + "/ogc/collections/incidents/schema",
                           "http://www.opengis.net/def/rel/ogc/1.0/schema",
                           "application/schema+json", "the features' schema"),
                      link(base + "/ogc/collections/incidents/schema", "describedby",
                           "application/schema+json", "the features' schema"),
                      link(base + "/ogc/collections/incidents/tiles",
                           "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                           "application/json", "vector tiles (Mapbox Vector Tiles)")})}};
}

void collections(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    auto base = self_base(req);
    json j = {
        {"collections", {collection_json(app, req)}},
        {"links", json::array({link(base + "/ogc/collections", "self", "application/json")})}};
    res.set_content(j.dump(), "application/json");
}

void collection(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    res.set_content(collection_json(app, req).dump(), "application/json");
}

// The queryables as a JSON Schema, with the roles of Part 3 (primary geometry and instant, id).
void queryables(const httplib::Request& req, httplib::Response& res) {
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
}

// OGC API - Features Part 5: the features' schema, typed from the field table (GDAL and QGIS
// read it instead of guessing a field's type from the first features).
void schema(const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    const auto j = incident_feature_schema(self_base(req) + "/ogc/collections/incidents/schema");
    res.set_content(j.dump(), "application/schema+json");
}

// Queryables as query parameters (name=value selects equal values), as one CQL2 conjunction;
// empty when none is given.
std::string queryable_equalities(const httplib::Request& req) {
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
    return equalities;
}

// The query of an items request: Part 1's bbox, datetime, limit and offset, Part 3's queryables
// and filter. The parameters are the table's (query/parameters.hpp), f and the queryables.
IncidentQuery items_query(const App& app, const httplib::Request& req) {
    static const std::vector<std::string> allowed = [] {
        auto a = incidents::parameter_names(incidents::ogc_use);
        a.emplace_back("f");
        for (const auto& p : incidents::cql2::queryables()) {
            if (p.name != "geometry") {
                a.push_back(p.name);
            }
        }
        return a;
    }();
    check_params(req.params, allowed);
    return items_query_from(req.params, app, [&] { return queryable_equalities(req); });
}

// A link of an items page, as raw JSON: the request's own query with `offset` replaced.
void append_page_link(std::string& links, const httplib::Request& req, const std::string& base,
                      const char* drop, const std::string& add, const char* rel) {
    links += links.back() == '[' ? "{\"href\":" : ",{\"href\":";
    geo::append_json_string(links, base + items_path + "?" + query_string_without(req, drop, add));
    links += ",\"rel\":\"" + std::string(rel) + "\",\"type\":\"application/geo+json\"}";
}

// The self, next and prev links of an items page (offset paging).
std::string items_links(const httplib::Request& req, const std::string& base,
                        const IncidentQuery& q, const incidents::QueryResult& result) {
    std::string links = "\"links\":[";
    append_page_link(links, req, base, "", "", "self");
    if (q.offset + result.incidents.size() < result.number_matched.value_or(0)) {
        append_page_link(links, req, base, "offset", "offset=" + std::to_string(q.offset + q.limit),
                         "next");
    }
    if (q.offset > 0) {
        append_page_link(links, req, base, "offset",
                         "offset=" + std::to_string(q.offset > q.limit ? q.offset - q.limit : 0),
                         "prev");
    }
    links += "]";
    return links;
}

void items(App& app, const httplib::Request& req, httplib::Response& res) {
    const auto q = items_query(app, req);
    auto base = self_base(req);
    auto store = app.pool.acquire();
    answer_cached(app, *store, req, res, [&] {
        auto result = store->query(q);
        auto links = items_links(req, base, q, result);
        send_body(req, res, feature_collection(result, page_members(result), links),
                  "application/geo+json");
    });
}

void item(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    auto store = app.pool.acquire();
    auto i = store->get(std::stoll(req.matches[1]));
    if (!i) {
        throw NotFound("no feature with id " + std::string(req.matches[1]));
    }
    send_feature(req, res, *i);
}

} // namespace

void register_ogc(RouteTable& server, App& app) {
    const char* one = R"(/ogc/collections/incidents/items/(\d{1,18}))";
    server.get("/ogc/?", with_app(app, landing_page)); // QGIS asks for "/ogc/"
    server.get("/ogc/conformance", conformance);
    server.get("/ogc/collections", with_app(app, collections));
    server.get("/ogc/collections/incidents", with_app(app, collection));
    server.get("/ogc/collections/incidents/queryables", queryables);
    server.get("/ogc/collections/incidents/schema", schema);
    server.get(items_path, with_app(app, items));
    server.get(one, with_app(app, item));
    // Part 4's create-replace-delete (the conformance class served; PATCH is the REST API's).
    server.post(items_path, [&app](const httplib::Request& req, httplib::Response& res) {
        create_incident(app, req, res, std::string(items_path) + "/");
    });
    server.put(one, [&app](const httplib::Request& req, httplib::Response& res) {
        replace_incident(app, req, res, false);
    });
    server.del(one, with_app(app, delete_incident));
}

} // namespace incidentmap::api::detail
