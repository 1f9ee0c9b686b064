// The OpenAPI 3.0 description of every endpoint, served at GET /api.

#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/query/cql2.hpp"
#include "incidentmap/query/parameters.hpp"

#include "incident_query.hpp"
#include "incident_schema.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace incidentmap::api {

namespace {

using nlohmann::json;

json param(const std::string& name, const char* in, const std::string& description, json schema,
           bool required = false) {
    return {{"name", name},
            {"in", in},
            {"description", description},
            {"required", required},
            {"schema", schema}};
}

// One parameter of query/parameters.hpp's table as an OpenAPI query parameter; `page_size` is
// the default of limit, which is the API's, not the table's.
json query_parameter(const incidents::QueryParameter& p, std::size_t page_size) {
    json schema = {{"type", p.type}};
    if (!p.format.empty()) {
        schema["format"] = p.format;
    }
    if (!p.schema.empty()) {
        schema.update(json::parse("{" + std::string(p.schema) + "}"));
    }
    if (p.name == "limit") {
        schema["default"] = page_size;
    }
    std::string description(p.description);
    if (p.values != nullptr) {
        description += ": " + json(p.values()).dump();
    }
    json out = param(std::string(p.name), "query", description, std::move(schema));
    if (p.type == "array") {
        // bbox=1,2,3,4 (OpenAPI's default for a query array would be bbox=1&bbox=2&...).
        out["style"] = "form";
        out["explode"] = false;
    }
    return out;
}

// The table's parameters of one use, in its order; the paging ones only with `paging`.
json query_parameters(incidents::ParameterUse use, bool paging, std::size_t page_size) {
    json out = json::array();
    for (const auto& p : incidents::query_parameters()) {
        if ((p.uses & use) && (paging || !p.paging)) {
            out.push_back(query_parameter(p, page_size));
        }
    }
    return out;
}

// The REST API's filters of the incidents, and with `paging` its sort and pages.
json filter_params(bool paging) {
    return query_parameters(incidents::rest_use, paging, detail::rest_page_size);
}

json response(const char* description, const char* media, json schema = {{"type", "object"}}) {
    return {{"description", description}, {"content", {{media, {{"schema", schema}}}}}};
}

json problem_responses(json base) {
    json problem = {{"$ref", "#/components/schemas/Problem"}};
    base["400"] = response("invalid request: the detail says what to fix",
                           "application/problem+json", problem);
    base["500"] = response("server error", "application/problem+json", problem);
    return base;
}

json write_responses(json base) {
    json problem = {{"$ref", "#/components/schemas/Problem"}};
    base = problem_responses(base);
    base["401"] = response("missing or wrong bearer token", "application/problem+json", problem);
    base["403"] =
        response("writes are disabled on this server", "application/problem+json", problem);
    return base;
}

// A field of fields.hpp's table as JSON Schema: its type, nullability and description.
json field_schema(const incidents::FieldInfo& f) {
    using incidents::FieldType;
    json j = {{"type", "string"}, {"description", std::string(f.description)}};
    switch (f.type) {
    case FieldType::integer:
        j["type"] = "integer";
        break;
    case FieldType::number:
        j["type"] = "number";
        break;
    case FieldType::text:
        break;
    case FieldType::date:
        j["format"] = "date";
        break;
    case FieldType::time:
        j["pattern"] = "^[0-2][0-9]:[0-5][0-9]$";
        break;
    case FieldType::timestamp:
        j["format"] = "date-time";
        break;
    case FieldType::object:
        j["type"] = "object";
        j["additionalProperties"] = {
            {"nullable", true},
            {"oneOf",
             json::array({{{"type", "string"}}, {{"type", "number"}}, {{"type", "boolean"}}})}};
        break;
    }
    if (f.nullable) {
        j["nullable"] = true;
    }
    if (f.assigned) {
        j["readOnly"] = true; // the store's: a writer's value is not taken
    }
    return j;
}

// The properties of an incident's Feature: every field but the point's coordinates (they are
// its geometry), and the evidence, which is a list of its own.
json incident_properties_schema() {
    json properties = json::object();
    for (const auto& f : incidents::fields) {
        if (!f.geometry) {
            properties[std::string(f.name)] = field_schema(f);
        }
    }
    properties["evidence"] = {
        {"type", "array"},
        {"description", "the sentences of the articles that report the incident"},
        {"items",
         {{"type", "object"},
          {"properties",
           {{"article_id", {{"type", "integer"}, {"description", "the article's id"}}},
            {"start",
             {{"type", "integer"}, {"description", "byte offset of the sentences in its text"}}},
            {"end", {{"type", "integer"}, {"description", "byte offset of their end (exclusive)"}}},
            {"text", {{"type", "string"}, {"description", "the sentences"}}}}}}}};
    return {{"type", "object"}, {"properties", std::move(properties)}};
}

// The incident's point: its coordinates are the geometry fields of the table, in its order.
json point_schema() {
    std::string coordinates;
    for (const auto& f : incidents::fields) {
        if (f.geometry) {
            coordinates += (coordinates.empty() ? "" : ", ") + std::string(f.description);
        }
    }
    return {{"type", "object"},
            {"required", {"type", "coordinates"}},
            {"properties",
             {{"type", {{"type", "string"}, {"enum", {"Point"}}}},
              {"coordinates",
               {{"type", "array"},
                {"items", {{"type", "number"}}},
                {"minItems", 2},
                {"maxItems", 2},
                {"description", "[" + coordinates + "]"}}}}}};
}

// What many operations name: the schemas, the id parameters, the security and a 404.
struct Shared {
    json fc = {{"$ref", "#/components/schemas/FeatureCollection"}};
    json feature = {{"$ref", "#/components/schemas/Feature"}};
    json id_param = param("id", "path", "incident id", {{"type", "integer"}}, true);
    json feature_id = param("featureId", "path", "feature id", {{"type", "integer"}}, true);
    json f_param = param("f", "query", "output format (json)", {{"type", "string"}});
    json security = json::array({{{"bearer", json::array()}}});
    json not_found = response("no such incident", "application/problem+json",
                              {{"$ref", "#/components/schemas/Problem"}});
    /// A request body of one GeoJSON Feature.
    json feature_body = {{"required", true},
                         {"content", {{"application/geo+json", {{"schema", feature}}}}}};
};

// The document without its paths: info, server, security scheme and the schemas.
json document_head(const std::string& server_url, const Shared& s) {
    return {{"openapi", "3.0.3"},
            {"info",
             {{"title", "incidentmap API"},
              {"version", INCIDENTMAP_VERSION},
              {"description", "Incidents extracted from news reports, served as GeoJSON. Place "
                              "data (c) GeoNames (CC BY 4.0); boundaries: Natural Earth."},
              {"license",
               {{"name", "Data: CC BY 4.0 (GeoNames)"},
                {"url", "https://creativecommons.org/licenses/by/4.0/"}}}}},
            {"servers", json::array({{{"url", server_url}}})},
            {"paths", json::object()},
            {"components",
             {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
              {"schemas",
               {{"Problem",
                 {{"type", "object"},
                  {"required", {"status", "title"}},
                  {"properties",
                   {{"type", {{"type", "string"}}},
                    {"status", {{"type", "integer"}}},
                    {"title", {{"type", "string"}}},
                    {"detail", {{"type", "string"}}}}}}},
                {"Point", point_schema()},
                {"IncidentProperties", incident_properties_schema()},
                {"Feature",
                 {{"type", "object"},
                  {"required", {"type", "geometry", "properties"}},
                  {"properties",
                   {{"type", {{"type", "string"}, {"enum", {"Feature"}}}},
                    {"id", field_schema(incidents::info(incidents::Field::id))},
                    {"geometry", {{"$ref", "#/components/schemas/Point"}}},
                    {"properties", {{"$ref", "#/components/schemas/IncidentProperties"}}}}}}},
                {"FeatureCollection",
                 {{"type", "object"},
                  {"required", {"type", "features"}},
                  {"properties",
                   {{"type", {{"type", "string"}, {"enum", {"FeatureCollection"}}}},
                    {"features", {{"type", "array"}, {"items", s.feature}}},
                    {"numberMatched", {{"type", "integer"}}},
                    {"numberReturned", {{"type", "integer"}}}}}}}}}}}};
}

// /api/incidents, /api/incidents/search and /api/incidents/{id}.
void add_incident_paths(json& paths, const Shared& s) {
    paths["/api/incidents"]["get"] = {
        {"summary", "Incidents matching the filters"},
        {"operationId", "listIncidents"},
        {"parameters", filter_params(true)},
        {"responses", problem_responses({{"200", response("a FeatureCollection",
                                                          "application/geo+json", s.fc)}})}};
    paths["/api/incidents.atom"]["get"] = {
        {"summary", "The incidents matching the filters as an Atom feed (GeoRSS points)"},
        {"operationId", "incidentsFeed"},
        {"parameters", filter_params(true)},
        {"responses", problem_responses({{"200", response("an Atom feed, newest event first",
                                                          "application/atom+xml")}})}};
    paths["/api/incidents"]["post"] = {
        {"summary", "Create an incident from a GeoJSON Feature"},
        {"operationId", "createIncident"},
        {"security", s.security},
        {"requestBody", s.feature_body},
        {"responses", write_responses({{"201", response("the stored incident",
                                                        "application/geo+json", s.feature)}})}};
    paths["/api/incidents/search"]["post"] = {
        {"summary", "Incidents matching filters given as a JSON body (for large polygons)"},
        {"operationId", "searchIncidents"},
        {"requestBody",
         {{"required", true},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
        {"responses", problem_responses({{"200", response("a FeatureCollection",
                                                          "application/geo+json", s.fc)}})}};
    const json the_incident = response("the incident", "application/geo+json", s.feature);
    paths["/api/incidents/{id}"]["get"] = {
        {"summary", "One incident"},
        {"operationId", "getIncident"},
        {"parameters", {s.id_param}},
        {"responses", problem_responses({{"200", the_incident},
                                         {"304", {{"description", "not modified (ETag)"}}},
                                         {"404", s.not_found}})}};
    paths["/api/incidents/{id}"]["put"] = {
        {"summary", "Replace an incident"},
        {"operationId", "replaceIncident"},
        {"parameters", {s.id_param}},
        {"security", s.security},
        {"requestBody", s.feature_body},
        {"responses", write_responses({{"200", the_incident}, {"404", s.not_found}})}};
    paths["/api/incidents/{id}"]["patch"] = {
        {"summary", "Change an incident (JSON merge patch of the Feature)"},
        {"operationId", "patchIncident"},
        {"parameters", {s.id_param}},
        {"security", s.security},
        {"requestBody",
         {{"required", true},
          {"content", {{"application/merge-patch+json", {{"schema", {{"type", "object"}}}}}}}}},
        {"responses", write_responses({{"200", the_incident}, {"404", s.not_found}})}};
    paths["/api/incidents/{id}"]["delete"] = {
        {"summary", "Delete an incident"},
        {"operationId", "deleteIncident"},
        {"parameters", {s.id_param}},
        {"security", s.security},
        {"responses",
         write_responses({{"204", {{"description", "deleted"}}}, {"404", s.not_found}})}};
}

// /api/export, /api/articles, /api/stats and /api/clusters.
void add_data_paths(json& paths, const Shared& s) {
    json export_params = filter_params(false);
    export_params.push_back(param(
        "format", "query", "geojson, geojsonseq, gpkg, csv, kml or fgb",
        {{"type", "string"}, {"enum", {"geojson", "geojsonseq", "gpkg", "csv", "kml", "fgb"}}}));
    paths["/api/export"]["get"] = {
        {"summary", "Download the matching incidents in a GIS format (via GDAL)"},
        {"operationId", "exportIncidents"},
        {"parameters", export_params},
        {"responses",
         problem_responses({{"200",
                             {{"description", "the file"},
                              {"content",
                               {{"application/octet-stream",
                                 {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}}})}};
    paths["/api/articles"]["post"] = {
        {"summary", "Extract incidents from an article and store them"},
        {"operationId", "ingestArticle"},
        {"security", s.security},
        {"requestBody",
         {{"required", true},
          {"content",
           {{"application/json",
             {{"schema",
               {{"type", "object"},
                {"required", {"text"}},
                {"properties",
                 {{"text", {{"type", "string"}}},
                  {"published", {{"type", "string"}, {"format", "date"}}},
                  {"source", {{"type", "string"}}},
                  {"url", {{"type", "string"}}},
                  {"title", {{"type", "string"}}}}}}}}}}}}},
        {"responses",
         write_responses({{"201", response("stored: counts and incident ids", "application/json")},
                          {"200", response("the same article was stored before: nothing changed",
                                           "application/json")}})}};
    paths["/api/articles/{id}"]["get"] = {
        {"summary", "A stored article and the incidents it supports, with their evidence spans"},
        {"operationId", "getArticle"},
        {"parameters", {param("id", "path", "article id", {{"type", "integer"}}, true)}},
        {"responses",
         problem_responses(
             {{"200", response("the article: text, and incidents with evidence start and end "
                               "(byte offsets in the UTF-8 text)",
                               "application/json")},
              {"404", response("no such article", "application/problem+json",
                               {{"$ref", "#/components/schemas/Problem"}})}})}};
    paths["/api/stats"]["get"] = {
        {"summary", "Counts by type, day and admin1"},
        {"operationId", "stats"},
        {"parameters", filter_params(false)},
        {"responses", problem_responses({{"200", response("counts", "application/json")}})}};
    json cluster_params = filter_params(false);
    cluster_params.push_back(param("zoom", "query",
                                   "the map's zoom: squares of 360 / 2^(zoom + 3) degrees",
                                   {{"type", "integer"}, {"minimum", 0}, {"maximum", 25}}, true));
    paths["/api/clusters"]["get"] = {
        {"summary", "Matches counted in the squares of a grid fitted to a zoom level"},
        {"operationId", "clusters"},
        {"parameters", cluster_params},
        {"responses", problem_responses({{"200", response("a FeatureCollection of squares' points "
                                                          "with count, fatalities and by_type",
                                                          "application/geo+json")}})}};
}

// /api/geocode, /api/reverse and /api/countries.
void add_place_paths(json& paths, const Shared& s) {
    paths["/api/geocode"]["get"] = {
        {"summary", "Candidate places for a name"},
        {"operationId", "geocode"},
        {"parameters",
         {param("q", "query", "place name", {{"type", "string"}}, true),
          param("match", "query", "exact, prefix, fuzzy or any",
                {{"type", "string"}, {"enum", {"exact", "prefix", "fuzzy", "any"}}}),
          param("limit", "query", "candidates",
                {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}),
          param("country", "query", "ISO 3166-1 alpha-2 filter", {{"type", "string"}}),
          param("feature_class", "query", "GeoNames feature class (A, P, L)", {{"type", "string"}}),
          param("near", "query", "lon,lat bias", {{"type", "string"}})}},
        {"responses",
         problem_responses({{"200", response("candidates, best first", "application/json")}})}};
    paths["/api/reverse"]["get"] = {
        {"summary", "Nearest populated place, admin1 and country of a point"},
        {"operationId", "reverseGeocode"},
        {"parameters",
         {param("lon", "query", "longitude", {{"type", "number"}}, true),
          param("lat", "query", "latitude", {{"type", "number"}}, true)}},
        {"responses", problem_responses({{"200", response("the place", "application/json")}})}};
    paths["/api/countries"]["get"] = {
        {"summary", "Country polygons (Natural Earth) for the offline basemap"},
        {"operationId", "countries"},
        {"responses", {{"200", response("a FeatureCollection", "application/geo+json", s.fc)}}}};
}

// An OGC API document that takes only f: its summary, operation id and 200 answer.
json ogc_document_get(const Shared& s, const char* summary, const char* operation_id, json ok) {
    return {{"summary", summary},
            {"operationId", operation_id},
            {"parameters", {s.f_param}},
            {"responses", problem_responses({{"200", std::move(ok)}})}};
}

// The landing page, its API definition, conformance, collections and queryables under /ogc.
void add_ogc_document_paths(json& paths, const Shared& s) {
    paths["/ogc"]["get"] = ogc_document_get(
        s, "OGC API - Features landing page", "getLandingPage",
        response("links to the API definition, conformance and collections", "application/json"));
    paths["/ogc/api"]["get"] = ogc_document_get(
        s, "The OpenAPI definition of the OGC API (paths relative to /ogc)", "getOgcApiDefinition",
        response("an OpenAPI 3.0 document", "application/json"));
    paths["/ogc/conformance"]["get"] =
        ogc_document_get(s, "Conformance classes", "getConformanceDeclaration",
                         response("conformsTo", "application/json"));
    paths["/ogc/collections"]["get"] = ogc_document_get(
        s, "Feature collections", "getCollections", response("collections", "application/json"));
    paths["/ogc/collections/incidents"]["get"] =
        ogc_document_get(s, "The incidents collection", "describeCollection",
                         response("collection metadata with extent", "application/json"));
    paths["/ogc/collections/incidents/queryables"]["get"] =
        ogc_document_get(s, "Properties a filter may name (JSON Schema)", "getQueryables",
                         response("the queryables", "application/schema+json"));
}

// OGC API - Tiles: the tilesets, the tileset's metadata and its tiles (Mapbox Vector Tiles).
void add_ogc_tile_paths(json& paths, const Shared& s) {
    const std::string tiles = "/ogc/collections/incidents/tiles";
    paths[tiles]["get"] = ogc_document_get(s, "The incidents' vector tilesets", "getTilesets",
                                           response("the tilesets", "application/json"));
    paths[tiles + "/WebMercatorQuad"]["get"] =
        ogc_document_get(s, "The tileset's metadata", "getTileset",
                         response("tileset metadata", "application/json"));
    json tile_params = filter_params(false);
    for (const char* name : {"tileMatrix", "tileRow", "tileCol"}) {
        tile_params.push_back(param(name, "path", std::string(name) + " of WebMercatorQuad",
                                    {{"type", "integer"}, {"minimum", 0}}, true));
    }
    paths[tiles + "/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"]["get"] = {
        {"summary", "A Mapbox Vector Tile: layer incidents, or layer clusters where the tile holds "
                    "many"},
        {"operationId", "getTile"},
        {"parameters", tile_params},
        {"responses",
         problem_responses(
             {{"200", response("the tile", "application/vnd.mapbox-vector-tile",
                               {{"type", "string"}, {"format", "binary"}})},
              {"204", {{"description", "no incident in the tile"}}},
              {"404", response("no such tile in WebMercatorQuad", "application/problem+json")}})}};
}

// GET /ogc/collections/incidents/items: Part 1's parameters, Part 3's filter and the
// queryables as query parameters (name=value selects features with that value).
json ogc_items_get(const Shared& s) {
    json parameters = query_parameters(incidents::ogc_use, true, detail::ogc_page_size);
    parameters.push_back(s.f_param);
    for (const auto& q : incidents::cql2::queryables()) {
        if (q.name == "geometry") {
            continue;
        }
        json schema = {{"type", q.type}};
        if (!q.format.empty()) {
            schema["format"] = q.format;
        }
        parameters.push_back(param(q.name, "query", q.description + " (equal to)", schema));
    }
    return {{"summary", "Features of the incidents collection"},
            {"operationId", "getFeatures"},
            {"parameters", std::move(parameters)},
            {"responses", problem_responses({{"200", response("a FeatureCollection with links",
                                                              "application/geo+json", s.fc)}})}};
}

// The items and one item; Part 4's create, replace and delete (behind the same bearer token).
void add_ogc_item_paths(json& paths, const Shared& s) {
    const std::string items = "/ogc/collections/incidents/items";
    const std::string one = items + "/{featureId}";
    paths[items]["get"] = ogc_items_get(s);
    paths[one]["get"] = {
        {"summary", "One feature"},
        {"operationId", "getFeature"},
        {"parameters", {s.feature_id, s.f_param}},
        {"responses",
         problem_responses({{"200", response("the feature", "application/geo+json", s.feature)},
                            {"404", s.not_found}})}};
    paths[items]["post"] = {
        {"summary", "Add a feature (OGC API - Features Part 4)"},
        {"operationId", "createFeature"},
        {"security", s.security},
        {"requestBody", s.feature_body},
        {"responses", write_responses({{"201", response("the stored feature",
                                                        "application/geo+json", s.feature)}})}};
    paths[one]["put"] = {
        {"summary", "Replace a feature (OGC API - Features Part 4)"},
        {"operationId", "replaceFeature"},
        {"parameters", {s.feature_id}},
        {"security", s.security},
        {"requestBody", s.feature_body},
        {"responses",
         write_responses({{"200", response("the feature", "application/geo+json", s.feature)},
                          {"404", s.not_found}})}};
    paths[one]["delete"] = {{"summary", "Delete a feature (OGC API - Features Part 4)"},
                            {"operationId", "deleteFeature"},
                            {"parameters", {s.feature_id}},
                            {"security", s.security},
                            {"responses", write_responses({{"204", {{"description", "deleted"}}},
                                                           {"404", s.not_found}})}};
}

} // namespace

std::string openapi_document(const std::string& server_url) {
    const Shared s;
    json doc = document_head(server_url, s);
    auto& paths = doc["paths"];
    add_incident_paths(paths, s);
    add_data_paths(paths, s);
    add_place_paths(paths, s);
    add_ogc_document_paths(paths, s);
    add_ogc_tile_paths(paths, s);
    add_ogc_item_paths(paths, s);
    return doc.dump();
}

std::string openapi_document_ogc(const std::string& server_url) {
    // The OGC API - Features landing page at /ogc is an API of its own: its definition has
    // the /ogc paths relative to a server at /ogc, as OGC clients (GDAL, QGIS) expect.
    json full = json::parse(openapi_document(server_url));
    json paths = json::object();
    for (auto& [path, item] : full["paths"].items()) {
        if (path.rfind("/ogc", 0) == 0) {
            std::string rest = path.substr(4);
            paths[rest.empty() ? "/" : rest] = item;
        }
    }
    full["paths"] = std::move(paths);
    full["servers"] = json::array({{{"url", server_url + "/ogc"}}});
    full["info"]["title"] = "incidentmap OGC API - Features";
    return full.dump();
}

namespace detail {

nlohmann::json incident_feature_schema(const std::string& id) {
    // The OpenAPI schema's properties in JSON Schema's words: "nullable" (OpenAPI 3.0) becomes
    // a type that admits null; OpenAPI's readOnly stays (JSON Schema has it too).
    json properties = incident_properties_schema()["properties"];
    for (auto& [name, p] : properties.items()) {
        if (p.value("nullable", false)) {
            p["type"] = json::array({p["type"], "null"});
            p.erase("nullable");
        }
        if (p.contains("additionalProperties")) {
            p["additionalProperties"] = {
                {"type", json::array({"string", "number", "boolean", "null"})}};
        }
    }
    properties["id"]["x-ogc-role"] = "id";
    properties["event_date"]["x-ogc-role"] = "primary-instant";
    properties["geometry"] = {{"format", "geometry-point"}, {"x-ogc-role", "primary-geometry"}};
    return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"$id", id},
            {"type", "object"},
            {"title", "Incidents"},
            {"properties", std::move(properties)}};
}

} // namespace detail

} // namespace incidentmap::api
