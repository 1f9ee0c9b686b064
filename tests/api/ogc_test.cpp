// Integration tests of OGC API - Features (Parts 1, 3 and 4) under /ogc, read also through
// GDAL's OAPIF driver, against the real binary (see server_fixture.hpp).

#include "server_fixture.hpp"

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

namespace {

using namespace incidentmap::test::serve;

TEST_F(ApiTest, OgcLandingConformanceAndPagedItems) {
    auto landing = get_json("/ogc");
    EXPECT_FALSE(landing["links"].empty());
    auto conf = get_json("/ogc/conformance");
    EXPECT_NE(conf.dump().find("conf/core"), std::string::npos);
    auto items = get_json("/ogc/collections/incidents/items?limit=2");
    EXPECT_EQ(items["numberReturned"], 2);
    bool next = false;
    for (const auto& l : items["links"]) {
        next = next || l["rel"] == "next";
    }
    EXPECT_TRUE(next);
    auto res = client().Get("/ogc/collections/incidents/items?foo=bar");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
}

// Found with QGIS 3.22: "/ogc/" was a 404 (QGIS then rejects the layer), and the temporal
// extent was an object where OGC API - Features 7.13 has an array of [start, end] arrays.
TEST_F(ApiTest, OgcTrailingSlashAndTemporalIntervalAsArrays) {
    EXPECT_EQ(get_json("/ogc/")["links"], get_json("/ogc")["links"]);
    auto interval = get_json("/ogc/collections/incidents")["extent"]["temporal"]["interval"];
    ASSERT_TRUE(interval.is_array()) << interval.dump();
    ASSERT_EQ(interval.size(), 1U);
    ASSERT_TRUE(interval[0].is_array()) << interval.dump();
    ASSERT_EQ(interval[0].size(), 2U);
    EXPECT_LE(interval[0][0].get<std::string>(), interval[0][1].get<std::string>());
    EXPECT_EQ(interval[0][0].get<std::string>().size(), 20U) << "RFC 3339 in UTC";
    auto all = get_json("/ogc/collections/incidents/items?limit=10000");
    std::string first = "9999", last = "0000";
    for (const auto& f : all["features"]) {
        auto d = f["properties"]["event_date"].get<std::string>();
        first = std::min(first, d);
        last = std::max(last, d);
    }
    EXPECT_EQ(interval[0][0].get<std::string>().substr(0, 10), first);
    EXPECT_EQ(interval[0][1].get<std::string>().substr(0, 10), last);
}

// The access log keeps what a client asked (the query string as sent), but never the value of
// a parameter named like a secret, nor stops at a path that is not UTF-8.
TEST_F(ApiTest, AccessLogKeepsTheQueryButNoSecret) {
    incidentmap::test::TempDir dir;
    const auto log = dir.file("access.log");
    {
        Server server(s_db, {}, 2, log);
        httplib::Client c("127.0.0.1", server.port());
        ASSERT_TRUE(c.Get("/ogc/collections/incidents/items?limit=3&bbox=30,46,33,48"));
        ASSERT_TRUE(c.Get("/api/incidents?limit=1&access_token=s3cr3t-value&API_KEY=k3y"));
        ASSERT_TRUE(c.Get("/api/%FF%FE?x=%FF"));
        ASSERT_TRUE(c.Get("/api/incidents?%74oken=encoded-s3cr3t"));
    }
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(R"("query":"limit=3&bbox=30%2C46%2C33%2C48")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("query":"limit=1&access_token=-&API_KEY=-")"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(text.find("k3y"), std::string::npos);
    EXPECT_NE(text.find(R"("query":"%74oken=-")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("status":404)"), std::string::npos) << text;
}

TEST_F(ApiTest, GdalOapifDriverReadsTheCollectionWithFilters) {
    GDALDatasetH ds = open_oapif();
    ASSERT_NE(ds, nullptr) << CPLGetLastErrorMsg();
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, "incidents");
    ASSERT_NE(layer, nullptr);
    auto all = get_json("/api/incidents?limit=1000")["numberMatched"].get<GIntBig>();
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1), all);
    OGR_L_SetSpatialFilterRect(layer, 30, 46, 33, 48);
    auto in_box =
        get_json("/api/incidents?bbox=30,46,33,48&limit=1000")["numberMatched"].get<GIntBig>();
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1), in_box);
    OGR_L_SetSpatialFilter(layer, nullptr);
    ASSERT_EQ(OGR_L_SetAttributeFilter(layer, "event_date = '2022-03-29'"), OGRERR_NONE);
    auto on_day =
        get_json("/ogc/collections/incidents/items?datetime=2022-03-29&limit=1000")["numberMatched"]
            .get<GIntBig>();
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1), on_day);
    EXPECT_EQ(on_day, all);
    auto none =
        get_json("/ogc/collections/incidents/items?datetime=2021-01-01/2021-12-31")["numberMatched"]
            .get<GIntBig>();
    EXPECT_EQ(none, 0);
    auto open_end =
        get_json(
            "/ogc/collections/incidents/items?datetime=2022-03-01/..&limit=1000")["numberMatched"]
            .get<GIntBig>();
    EXPECT_EQ(open_end, all);
    GDALClose(ds);
}

// OGC API - Features - Part 3: CQL2 text filters on the items (and on the REST API), the
// queryables, and GDAL's OAPIF driver sending its attribute filters to the server.
TEST_F(ApiTest, Cql2FiltersQueryablesAndGdalAttributeFilters) {
    auto conf = get_json("/ogc/conformance").dump();
    for (const char* c :
         {"ogcapi-features-3/1.0/conf/filter", "ogcapi-features-3/1.0/conf/features-filter",
          "ogcapi-features-3/1.0/conf/queryables", "cql2/1.0/conf/cql2-text",
          "cql2/1.0/conf/basic-cql2", "cql2/1.0/conf/basic-spatial-functions",
          "cql2/1.0/conf/temporal-functions"}) {
        EXPECT_NE(conf.find(c), std::string::npos) << c;
    }
    auto queryables = get_json("/ogc/collections/incidents/queryables");
    EXPECT_EQ(queryables["properties"]["fatalities"]["type"], "integer");
    EXPECT_EQ(queryables["properties"]["event_date"]["format"], "date");
    EXPECT_EQ(queryables["properties"]["geometry"]["format"], "geometry-point");

    auto count = [&](const std::string& path, const std::string& filter) {
        auto res = client().Get(
            path + "?limit=1000&filter=" + httplib::detail::encode_query_param(filter));
        EXPECT_TRUE(res);
        EXPECT_EQ(res->status, 200) << filter << ": " << res->body;
        auto j = json::parse(res->body);
        // every feature returned satisfies what the filter says, checked here in C++
        return j["numberMatched"].get<int>();
    };
    const std::string items = "/ogc/collections/incidents/items";
    const int all = get_json(items + "?limit=1000")["numberMatched"];
    const int killed = get_json("/api/incidents?min_fatalities=1&limit=1000")["numberMatched"];
    const int in_box = get_json("/api/incidents?bbox=30,46,33,48&limit=1000")["numberMatched"];
    ASSERT_GT(killed, 0);
    ASSERT_LT(killed, all);
    EXPECT_EQ(count(items, "fatalities > 0"), killed);
    EXPECT_EQ(count(items, "NOT (fatalities > 0)"), all - killed);
    EXPECT_EQ(count(items, "fatalities > 0 OR TRUE"), all);
    EXPECT_EQ(count(items, "S_INTERSECTS(geometry, BBOX(30, 46, 33, 48))"), in_box);
    EXPECT_EQ(count(items, "S_INTERSECTS(geometry, POLYGON((30 46, 33 46, 33 48, 30 48, 30 46))) "
                           "AND T_INTERSECTS(event_date, INTERVAL('2022-03-01', '..'))"),
              in_box);
    EXPECT_EQ(count(items, "T_BEFORE(event_date, DATE('2022-01-01'))"), 0);
    EXPECT_EQ(count("/api/incidents", "fatalities > 0"), killed);
    EXPECT_EQ(get_json(items + "?fatalities=3&limit=1000")["numberMatched"], killed)
        << "queryables as query parameters";
    // the filter combines with the other parameters
    EXPECT_EQ(get_json(items + "?bbox=-180,-90,0,90&filter=fatalities%20%3E%200")["numberMatched"],
              0);

    for (const char* bad :
         {"filter=fatalities%20%3E", "filter=nope%20%3D%201", "filter=fatalities%20%3D%20%27x%27",
          "filter=fatalities%3E0&filter-lang=cql2-json",
          "filter=fatalities%3E0&filter-crs=EPSG:3857", "filter-lang=cql2-text",
          "filter=1%3D1%3B%20DROP%20TABLE%20incidents", "fatalities=many"}) {
        auto res = client().Get(items + "?" + bad);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 400) << bad;
        EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json") << bad;
    }
    EXPECT_EQ(get_json(items + "?limit=1000")["numberMatched"], all) << "nothing changed";

    // GDAL 3.6 reads the filter parameters from the API definition and sends its attribute
    // filter to the server as CQL text; the counts equal the API's.
    GDALDatasetH ds = open_oapif();
    ASSERT_NE(ds, nullptr) << CPLGetLastErrorMsg();
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, "incidents");
    ASSERT_NE(layer, nullptr);
    ASSERT_EQ(OGR_L_SetAttributeFilter(layer, "fatalities > 0 AND location LIKE 'Myk%'"),
              OGRERR_NONE);
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1),
              count(items, "fatalities > 0 AND location LIKE 'Myk%'"));
    ASSERT_EQ(OGR_L_SetAttributeFilter(layer, "fatalities = 0 OR event_date < '2022-01-01'"),
              OGRERR_NONE);
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1), all - killed);
    GDALClose(ds);
}

// OGC API - Features Part 4: create, replace and delete on the collection, behind the token.
TEST_F(ApiTest, OgcPart4CreateReplaceDelete) {
    auto conformance = get_json("/ogc/conformance");
    const auto& classes = conformance["conformsTo"];
    EXPECT_NE(std::find(classes.begin(), classes.end(),
                        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"
                        "create-replace-delete"),
              classes.end());
    const std::string items = "/ogc/collections/incidents/items";
    const std::string feature =
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[36.23,49.99]},)"
        R"("properties":{"event_date":"2022-03-30","event_type":"Battles","fatalities":2}})";
    const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + token}};
    auto c = client();
    auto denied = c.Post(items, feature, "application/geo+json");
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->status, 401);
    auto created = c.Post(items, auth, feature, "application/geo+json");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string location = created->get_header_value("Location");
    ASSERT_EQ(location.rfind(items + "/", 0), 0u) << location;
    EXPECT_EQ(get_json(location)["properties"]["fatalities"], 2);
    std::string replaced = feature;
    replaced.replace(replaced.find("\"fatalities\":2"), 14, "\"fatalities\":7");
    auto put = c.Put(location, auth, replaced, "application/geo+json");
    ASSERT_TRUE(put);
    EXPECT_EQ(put->status, 200) << put->body;
    EXPECT_EQ(get_json(location)["properties"]["fatalities"], 7);
    auto gone = c.Delete(location);
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->status, 401) << "deleting needs the token too";
    gone = c.Delete(location, auth);
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->status, 204);
    get_json(location, 404);
}

} // namespace
