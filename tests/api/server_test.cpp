// Integration tests: the real incidentmap binary serving on an ephemeral port, with a temporary
// database and the gazetteer built from the bundled GeoNames data (see server_fixture.hpp). The
// OGC API's tests are in ogc_test.cpp. At the end: the OpenAPI documents and the routes' parameters
// against the tables they are made from.

#include "incidentmap/api/server.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/query/cql2.hpp"
#include "incidentmap/query/parameters.hpp"

#include "server_fixture.hpp"

#include <gdal.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace {

using incidentmap::test::env_or_skip;
using namespace incidentmap::test::serve;

TEST_F(ApiTest, SampleIncidentsAreAtTheRightPlaces) {
    auto fc = get_json("/api/incidents?limit=1000");
    ASSERT_EQ(fc["type"], "FeatureCollection");
    EXPECT_FALSE(fc.contains("crs"));
    EXPECT_GE(fc["features"].size(), 4u);
    EXPECT_TRUE(has_feature_near(fc, 46.97625, 31.99296, 5.0)) << "Mykolayiv (700569)";
    EXPECT_TRUE(has_feature_near(fc, 41.01384, 28.94966, 5.0)) << "Istanbul";
    EXPECT_TRUE(has_feature_near(fc, 50.45466, 30.5238, 5.0)) << "Kyiv";
    EXPECT_TRUE(has_feature_near(fc, 51.50551, 31.28487, 5.0)) << "Chernihiv";
    EXPECT_FALSE(has_feature_near(fc, 55.75222, 37.61556, 50.0)) << "nothing at Moscow";
    EXPECT_FALSE(has_feature_near(fc, 49.52659, 23.98138, 5.0))
        << "not the small Mykolaiv (700568)";
    EXPECT_EQ(fc["numberMatched"], fc["features"].size());
    EXPECT_NE(fc["attribution"].get<std::string>().find("GeoNames"), std::string::npos);
}

TEST_F(ApiTest, MykolayivStrikeHasTypeDateCasualtiesAndEvidence) {
    auto fc = get_json("/api/incidents?near=31.99296,46.97625&radius_km=5");
    ASSERT_EQ(fc["features"].size(), 1u);
    const auto& p = fc["features"][0]["properties"];
    EXPECT_EQ(p["geonameid"], 700569);
    EXPECT_EQ(p["event_date"], "2022-03-29");
    EXPECT_EQ(p["event_type"], "Explosions/Remote violence");
    EXPECT_EQ(p["sub_event_type"], "Shelling/artillery/missile attack");
    EXPECT_EQ(p["fatalities"], 3);
    EXPECT_EQ(p["injured"], 22);
    ASSERT_FALSE(p["evidence"].empty());
    EXPECT_NE(p["evidence"][0]["text"].get<std::string>().find(
                  "regional administration building was attacked"),
              std::string::npos);
}

TEST_F(ApiTest, BboxSelectsOnlyThePlacesInside) {
    // Southern Ukraine: Mykolayiv, not Kyiv or Istanbul.
    auto fc = get_json("/api/incidents?bbox=30,46,33,48");
    ASSERT_GE(fc["features"].size(), 1u);
    for (const auto& f : fc["features"]) {
        double lon = f["geometry"]["coordinates"][0], lat = f["geometry"]["coordinates"][1];
        EXPECT_GE(lon, 30.0);
        EXPECT_LE(lon, 33.0);
        EXPECT_GE(lat, 46.0);
        EXPECT_LE(lat, 48.0);
    }
    EXPECT_TRUE(has_feature_near(fc, 46.97625, 31.99296, 5.0));
    auto limited = get_json("/api/incidents?limit=2");
    EXPECT_EQ(limited["features"].size(), 2u);
    EXPECT_EQ(limited["numberReturned"], 2);
}

TEST_F(ApiTest, GeoJsonIsReadByGdal) {
    auto res = client().Get("/api/incidents?limit=1000");
    ASSERT_TRUE(res);
    auto fc = json::parse(res->body);
    auto path = s_dir->file("incidents.geojson");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(res->body.data(), 1, res->body.size(), f);
    std::fclose(f);
    GDALAllRegister();
    GDALDatasetH ds =
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1), static_cast<GIntBig>(fc["features"].size()));
    GDALClose(ds);
}

TEST_F(ApiTest, BadParametersGetProblemJson) {
    for (const char* path :
         {"/api/incidents?bbox=1,2,3", "/api/incidents?bbox=nan,0,1,1",
          "/api/incidents?bbox=0,0,200,1", "/api/incidents?limit=-1", "/api/incidents?limit=abc",
          "/api/incidents?limit=100000000", "/api/incidents?frobnicate=1",
          "/api/incidents?near=1,2", "/api/incidents?since=2022-13-45",
          "/api/incidents?type=Picnic", "/api/incidents?near=1,2&radius_km=inf"}) {
        auto res = client().Get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->status, 400) << path;
        EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json") << path;
        auto p = json::parse(res->body);
        EXPECT_EQ(p["status"], 400);
        EXPECT_FALSE(p["detail"].get<std::string>().empty());
    }
    auto res = client().Get("/api/nothing-here");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
}

TEST_F(ApiTest, SqlInTheTextQueryIsJustText) {
    auto before = get_json("/api/incidents?limit=1000")["numberMatched"].get<int>();
    auto res = client().Get("/api/incidents?q=%27%3B%20DROP%20TABLE%20incidents%3B%20--");
    ASSERT_TRUE(res);
    EXPECT_TRUE(res->status == 200 || res->status == 400) << res->body;
    EXPECT_EQ(get_json("/api/incidents?limit=1000")["numberMatched"].get<int>(), before);
    auto missile = get_json("/api/incidents?q=missile");
    EXPECT_TRUE(has_feature_near(missile, 46.97625, 31.99296, 5.0));
}

TEST_F(ApiTest, WritesNeedAValidToken) {
    json body = {{"text", "Shelling hit Kharkiv on Monday."}, {"published", "2022-03-28"}};
    auto res = client().Post("/api/articles", body.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    res = client().Post("/api/articles", {{"Authorization", "Bearer wrong-token-wrong-token"}},
                        body.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
}

// A name the gazetteer lacks, given with its region: the incident stands at the region and the
// answer lists the name, so that nobody has to find out by looking at the map.
TEST_F(ApiTest, PostedArticlesListTheNamesPlacedAtTheirRegionOnly) {
    const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + token}};
    const json body = {{"text", "On 10 February 2024, Russian forces shelled Ozarianivka, Donetsk "
                                "region. Casualties unknown."},
                       {"published", "2024-02-11"}};
    auto res = client().Post("/api/articles", auth, body.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    const json out = json::parse(res->body);
    EXPECT_EQ(out["unplaced"], json::array({"Ozarianivka (Donetsk)"})) << res->body;
    ASSERT_EQ(out["incident_ids"].size(), 1u);
    const std::string path = "/api/incidents/" + std::to_string(out["incident_ids"][0].get<long>());
    const json f = get_json(path);
    EXPECT_EQ(f["properties"]["location"], "Ozarianivka, Donetsk");
    EXPECT_EQ(f["properties"]["geo_precision"], 3);
    // The other tests count the fixture's incidents.
    res = client().Delete(path, auth);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204);
}

TEST_F(ApiTest, BadBodiesAre4xxAndChangeNothing) {
    auto before = get_json("/api/incidents?limit=1000")["numberMatched"].get<int>();
    httplib::Headers auth = {{"Authorization", std::string("Bearer ") + token}};
    auto res = client().Post("/api/articles", auth, "{not json", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    res = client().Post("/api/articles", auth, std::string("{\"text\":\"\xff\xfe bad\"}"),
                        "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    res = client().Post("/api/articles", auth, R"({"text":"","published":"2022-03-29"})",
                        "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    res = client().Post(
        "/api/incidents", auth,
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[200,10]},"properties":{"event_date":"2022-01-01","event_type":"Battles"}})",
        "application/geo+json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    std::string huge(9 * 1024 * 1024, 'a');
    res = client().Post("/api/articles", auth, "{\"text\":\"" + huge + "\"}", "application/json");
    if (res) { // the server may also close the connection
        EXPECT_EQ(res->status, 413);
    }
    EXPECT_EQ(get_json("/api/incidents?limit=1000")["numberMatched"].get<int>(), before);
}

TEST_F(ApiTest, ReingestingTheSameArticleChangesNothing) {
    auto before = get_json("/api/incidents?limit=1000")["numberMatched"].get<int>();
    json body = {{"text", incidentmap::test::sample_article()},
                 {"published", "2022-03-29"},
                 {"source", "dpa"}};
    auto res = client().Post("/api/articles", {{"Authorization", std::string("Bearer ") + token}},
                             body.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(json::parse(res->body)["existed"], true);
    EXPECT_EQ(get_json("/api/incidents?limit=1000")["numberMatched"].get<int>(), before);
}

// The article panel's source: the stored text and, for every incident it supports, spans of that
// text (UTF-8 byte offsets) that are exactly the incident's evidence sentences from it.
TEST_F(ApiTest, AnArticleListsItsIncidentsWithSpansOfItsText) {
    const json body = {{"text", incidentmap::test::sample_article()}, {"published", "2022-03-29"}};
    auto res = client().Post("/api/articles", {{"Authorization", std::string("Bearer ") + token}},
                             body.dump(), "application/json");
    ASSERT_TRUE(res);
    const auto id = json::parse(res->body)["article_id"].get<long>();
    const json a = get_json("/api/articles/" + std::to_string(id));
    const auto text = a["text"].get<std::string>();
    EXPECT_EQ(text, incidentmap::test::sample_article());
    EXPECT_EQ(a["published"], "2022-03-29");
    ASSERT_FALSE(a["incidents"].empty());
    std::set<long> listed;
    for (const auto& i : a["incidents"]) {
        listed.insert(i["id"].get<long>());
        ASSERT_FALSE(i["evidence"].empty()) << i.dump();
        for (const auto& e : i["evidence"]) {
            const auto begin = e["start"].get<std::size_t>();
            const auto end = e["end"].get<std::size_t>();
            ASSERT_LE(begin, end);
            ASSERT_LE(end, text.size());
            EXPECT_EQ(text.substr(begin, end - begin), e["text"].get<std::string>());
        }
    }
    // Every incident whose evidence names the article is listed, and no other.
    std::set<long> citing;
    const json all = get_json("/api/incidents?limit=1000");
    for (const auto& f : all["features"]) {
        for (const auto& e : f["properties"]["evidence"]) {
            if (e["article_id"] == id) {
                citing.insert(f["id"].get<long>());
            }
        }
    }
    EXPECT_EQ(listed, citing);
    res = client().Get("/api/articles/987654321");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    res = client().Get("/api/articles/" + std::to_string(id) + "?format=xml");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
}

TEST_F(ApiTest, GeocodeRanksTheBigMykolayivFirst) {
    auto j = get_json("/api/geocode?q=Mykolayiv");
    ASSERT_FALSE(j["candidates"].empty());
    EXPECT_EQ(j["candidates"][0]["geonameid"], 700569);
    EXPECT_NEAR(j["candidates"][0]["lat"].get<double>(), 46.976, 0.001);
    EXPECT_NEAR(j["candidates"][0]["lon"].get<double>(), 31.993, 0.001);
}

TEST_F(ApiTest, TheMapPageAndLeafletAreServed) {
    auto res = client().Get("/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_NE(res->body.find("leaflet"), std::string::npos);
    res = client().Get("/vendor/leaflet/leaflet.js");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_GT(res->body.size(), 100000u);
}

TEST_F(ApiTest, ExportsAreReadBackByGdalWithTheSameCount) {
    auto n = get_json("/api/incidents?limit=1000")["numberMatched"].get<int>();
    ASSERT_GT(n, 0);
    GDALAllRegister();
    for (const char* format : {"geojson", "gpkg", "csv", "kml", "fgb", "geojsonseq"}) {
        auto res = client().Get(std::string("/api/export?format=") + format);
        ASSERT_TRUE(res) << format;
        ASSERT_EQ(res->status, 200) << format << ": " << res->body.substr(0, 200);
        EXPECT_NE(res->get_header_value("Content-Disposition").find("incidents."),
                  std::string::npos);
        auto path = s_dir->file(std::string("export.") +
                                (std::string(format) == "geojsonseq" ? "geojsons" : format));
        std::FILE* f = std::fopen(path.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fwrite(res->body.data(), 1, res->body.size(), f);
        std::fclose(f);
        GDALDatasetH ds =
            GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
        ASSERT_NE(ds, nullptr) << format;
        OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
        EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1), n) << format;
        GDALClose(ds);
    }
    auto res = client().Get("/api/export?format=shapefile");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
}

TEST_F(ApiTest, SearchTakesFiltersAsJson) {
    auto body = json{
        {"within",
         {{"type", "Polygon"},
          {"coordinates", {{{30, 46}, {33, 46}, {33, 48}, {30, 48}, {30, 46}}}}}},
        {"limit",
         50}}.dump();
    auto res = client().Post("/api/incidents/search", body, "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    auto fc = json::parse(res->body);
    EXPECT_TRUE(has_feature_near(fc, 46.97625, 31.99296, 5.0));
    EXPECT_FALSE(has_feature_near(fc, 50.45466, 30.5238, 50.0));
    res = client().Post("/api/incidents/search",
                        R"({"within":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}})",
                        "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    res = client().Post("/api/incidents/search", R"({"colour":"red"})", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
}

TEST_F(ApiTest, CreateReadPatchDeleteWithEtags) {
    httplib::Headers auth = {{"Authorization", std::string("Bearer ") + token}};
    const std::string feature =
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[36.2304,49.9935]},)"
        R"("properties":{"event_date":"2022-03-01","event_type":"Explosions/Remote violence",)"
        R"("sub_event_type":"Shelling/artillery/missile attack","location":"Kharkiv","country":"UA","fatalities":10}})";
    auto res = client().Post("/api/incidents", auth, feature, "application/geo+json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    auto id = json::parse(res->body)["id"].get<long long>();
    auto path = "/api/incidents/" + std::to_string(id);
    res = client().Get(path);
    ASSERT_TRUE(res);
    auto etag = res->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    res = client().Get(path, {{"If-None-Match", etag}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 304);
    res = client().Patch(path, auth, R"({"properties":{"fatalities":12}})",
                         "application/merge-patch+json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json::parse(res->body)["properties"]["fatalities"], 12);
    EXPECT_EQ(json::parse(res->body)["properties"]["location"], "Kharkiv");
    res = client().Patch(path,
                         {{"Authorization", std::string("Bearer ") + token}, {"If-Match", etag}},
                         R"({"properties":{"fatalities":13}})", "application/merge-patch+json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 412) << "stale ETag";
    res = client().Patch(path, auth, R"({"geometry":{"type":"Point","coordinates":[1e999,0]}})",
                         "application/merge-patch+json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(get_json(path)["properties"]["fatalities"], 12);
    res = client().Delete(path, auth);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204);
    res = client().Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
}

// Repeated list queries may be answered from the server's response cache: an answer must never
// outlive a write, whether made through the API or by another process on the same store.
TEST_F(ApiTest, RepeatedQueriesSeeEveryWriteAtOnce) {
    httplib::Headers auth = {{"Authorization", std::string("Bearer ") + token}};
    const std::string list = "/api/incidents?limit=1000&sort=id";
    const std::string items = "/ogc/collections/incidents/items?limit=1000";
    auto count = [&](const std::string& path) { return get_json(path)["features"].size(); };
    const auto before = count(list);
    ASSERT_EQ(count(list), before);
    ASSERT_EQ(count(items), before);
    // Another process (here: this test's own connection) writes to the store.
    std::int64_t outside_id = 0;
    {
        auto store = incidentmap::incidents::open_store(s_db);
        incidentmap::incidents::Incident i;
        i.event_date = "2022-03-30";
        i.event_type = "Battles";
        i.sub_event_type = "Armed clash";
        i.location = "Izium";
        i.country = "UA";
        i.point = {37.25, 49.21};
        i.source = "test";
        std::vector<incidentmap::incidents::Incident> v{i};
        store->insert(v);
        outside_id = v.front().id;
    }
    EXPECT_EQ(count(list), before + 1);
    EXPECT_EQ(count(items), before + 1);
    // A write through the API.
    auto res = client().Post(
        "/api/incidents", auth,
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[36.2304,49.9935]},)"
        R"("properties":{"event_date":"2022-03-01","event_type":"Battles","location":"Kharkiv"}})",
        "application/geo+json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    const auto api_id = json::parse(res->body)["id"].get<long long>();
    EXPECT_EQ(count(list), before + 2);
    EXPECT_EQ(count(items), before + 2);
    for (auto id : {static_cast<long long>(outside_id), api_id}) {
        res = client().Delete("/api/incidents/" + std::to_string(id), auth);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 204);
    }
    EXPECT_EQ(count(list), before);
    EXPECT_EQ(count(items), before);
}

// The connection layer: pipelined requests, a request that arrives in pieces, keep-alive and
// "Connection: close", on a raw socket.
TEST_F(ApiTest, PipelinedSplitAndClosedConnections) {
    const int fd = raw_connection(10);
    ASSERT_GE(fd, 0);
    auto send_text = [&](const std::string& t) {
        ASSERT_EQ(::send(fd, t.data(), t.size(), MSG_NOSIGNAL), static_cast<ssize_t>(t.size()));
    };
    // Reads until `n` complete responses (each with a Content-Length) have arrived, or EOF.
    std::string in;
    auto responses = [&](int n) {
        int got = 0;
        std::size_t pos = 0;
        for (;;) {
            while (got < n) {
                auto head_end = in.find("\r\n\r\n", pos);
                if (head_end == std::string::npos) {
                    break;
                }
                auto cl = in.find("Content-Length: ", pos);
                if (cl == std::string::npos || cl > head_end) {
                    break;
                }
                auto len = std::stoul(in.substr(cl + 16));
                if (in.size() < head_end + 4 + len) {
                    break;
                }
                pos = head_end + 4 + len;
                ++got;
            }
            if (got == n) {
                return got;
            }
            char buf[65536];
            auto r = ::recv(fd, buf, sizeof buf, 0);
            if (r <= 0) {
                return got;
            }
            in.append(buf, static_cast<std::size_t>(r));
        }
    };
    send_text("GET /ogc/conformance HTTP/1.1\r\nHost: t\r\n\r\n"
              "GET /api/incidents?limit=1 HTTP/1.1\r\nHost: t\r\n\r\n"
              "GET /api/incidents/999999999 HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(responses(3), 3);
    EXPECT_NE(in.find("HTTP/1.1 200"), std::string::npos);
    EXPECT_NE(in.find("conformsTo"), std::string::npos);
    EXPECT_NE(in.find("FeatureCollection"), std::string::npos);
    EXPECT_NE(in.find("HTTP/1.1 404"), std::string::npos);
    in.clear();
    send_text("GET /ogc/confor");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    send_text("mance HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(responses(1), 1);
    EXPECT_NE(in.find("conformsTo"), std::string::npos);
    char c = 0;
    EXPECT_EQ(::recv(fd, &c, 1, 0), 0) << "the server closes after Connection: close";
    ::close(fd);
}

// An idle keep-alive connection is closed after the keep-alive timeout (5 s), also while other
// clients keep the server busy.
TEST_F(ApiTest, IdleConnectionsCloseAfterTheKeepAliveTimeout) {
    const int fd = raw_connection(20);
    ASSERT_GE(fd, 0);
    const std::string req = "GET /ogc/conformance HTTP/1.1\r\nHost: t\r\n\r\n";
    ASSERT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
    std::string in;
    char buf[4096];
    while (in.find("conformsTo") == std::string::npos || in.find("]}") == std::string::npos) {
        auto r = ::recv(fd, buf, sizeof buf, 0);
        ASSERT_GT(r, 0);
        in.append(buf, static_cast<std::size_t>(r));
    }
    std::atomic<bool> done{false};
    std::thread busy([&] {
        auto c = client();
        c.set_keep_alive(true); // one connection, not thousands of local ports in TIME_WAIT
        while (!done) {
            c.Get("/ogc/conformance");
        }
    });
    const auto start = std::chrono::steady_clock::now();
    const auto r = ::recv(fd, buf, sizeof buf, 0);
    const auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    done = true;
    busy.join();
    ::close(fd);
    EXPECT_EQ(r, 0) << "closed by the server";
    EXPECT_GT(waited.count(), 4.0);
    EXPECT_LT(waited.count(), 9.0);
}

// Every connection's socket is closed once its client has gone, the answers gzipped or not:
// the server holds as many descriptors afterwards as before.
TEST_F(ApiTest, ClosedConnectionsLeaveNoDescriptorsOpen) {
    const auto fd_dir = "/proc/" + std::to_string(s_server->pid()) + "/fd";
    auto open_fds = [&] {
        std::error_code ec;
        return std::distance(std::filesystem::directory_iterator(fd_dir, ec),
                             std::filesystem::directory_iterator());
    };
    // The server closes a connection when it next reads it, within moments of the client's
    // close: the count once it has not changed for a while (at most 5 s).
    auto settled_fds = [&] {
        auto n = open_fds();
        for (int k = 0; k < 25; ++k) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            const auto again = open_fds();
            if (again == n) {
                break;
            }
            n = again;
        }
        return n;
    };
    auto fetch = [&](bool gzip) {
        httplib::Client c("127.0.0.1", s_server->port());
        c.set_read_timeout(30, 0);
        c.set_decompress(false);
        auto res =
            c.Get("/api/incidents?limit=1000", {{"Accept-Encoding", gzip ? "gzip" : "identity"}});
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200);
        EXPECT_EQ(res->get_header_value("Content-Encoding"), gzip ? "gzip" : "");
    };           // the client closes its connection here
    fetch(true); // what the first answers open once (and keep) is open before the count
    fetch(false);
    const auto before = settled_fds();
    ASSERT_GT(before, 0) << "cannot read " << fd_dir;
    for (int k = 0; k < 20; ++k) {
        fetch(k % 2 == 0);
    }
    EXPECT_EQ(settled_fds(), before);
}

TEST_F(ApiTest, GeoJsonIsGzippedWhenAccepted) {
    httplib::Client c("127.0.0.1", s_server->port());
    c.set_decompress(false);
    auto res = c.Get("/api/countries", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
    auto plain = client().Get("/api/countries");
    ASSERT_TRUE(plain);
    EXPECT_LT(res->body.size() * 2, plain->body.size());
    EXPECT_EQ(json::parse(plain->body)["type"], "FeatureCollection");
}

TEST_F(ApiTest, NearestFirstAndKeysetCursors) {
    auto page1 = get_json("/api/incidents?near=30.52,50.45&sort=distance&limit=2");
    ASSERT_EQ(page1["features"].size(), 2u);
    EXPECT_EQ(page1["features"][0]["properties"]["geonameid"], 703448) << "Kyiv is nearest Kyiv";
    EXPECT_EQ(page1["numberMatched"], 5);
    ASSERT_TRUE(page1.contains("next_cursor"));
    auto cursor = page1["next_cursor"].get<std::string>();
    auto page2 = get_json("/api/incidents?near=30.52,50.45&sort=distance&limit=2&cursor=" +
                          httplib::detail::encode_query_param(cursor));
    ASSERT_EQ(page2["features"].size(), 2u);
    for (const auto& f : page2["features"]) {
        EXPECT_NE(f["id"], page1["features"][0]["id"]);
        EXPECT_NE(f["id"], page1["features"][1]["id"]);
    }
    get_json("/api/incidents?cursor=bogus", 400);
    get_json("/api/incidents?near=30.52,50.45&sort=distance&limit=2&cursor=" +
                 httplib::detail::encode_query_param(cursor) + "&offset=2",
             400);
    get_json("/api/incidents?near=30.52,50.45", 400); // neither a radius nor sort=distance
}

TEST_F(ApiTest, WithinCountryOrAdmin1ByCodeOrName) {
    auto ua = get_json("/api/incidents?within=country:UA&limit=1000");
    auto tr = get_json("/api/incidents?within=country:Turkey&limit=1000");
    auto all = get_json("/api/incidents?limit=1000");
    EXPECT_EQ(ua["numberMatched"].get<int>() + tr["numberMatched"].get<int>(),
              all["numberMatched"].get<int>());
    EXPECT_TRUE(has_feature_near(tr, 41.01384, 28.94966, 5.0));
    EXPECT_FALSE(has_feature_near(ua, 41.01384, 28.94966, 5.0));
    auto mk = get_json("/api/incidents?within=admin1:UA.16");
    ASSERT_EQ(mk["features"].size(), 1u);
    EXPECT_EQ(mk["features"][0]["properties"]["geonameid"], 700569);
    auto by_name = get_json("/api/incidents?within=admin1:Mykolaiv%20Oblast");
    EXPECT_EQ(by_name["numberMatched"], 1);
    auto res = client().Get("/api/incidents?within=country:Atlantis");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
}

// SIGINT or SIGTERM (Ctrl-C, a service manager) stops the server cleanly, also with a
// keep-alive connection open: it exits with status 0 within a few seconds and its port closes.
void expect_clean_exit_on(int sig) {
    incidentmap::test::TempDir dir;
    Server server(dir.file("incidents.sqlite"));
    httplib::Client c("127.0.0.1", server.port());
    c.set_keep_alive(true);
    auto res = c.Get("/ogc/conformance"); // answered: the server accepts and serves
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    const auto status = server.stop(sig, std::chrono::seconds(5));
    ASSERT_TRUE(status.has_value()) << "still running 5 s after signal " << sig;
    ASSERT_TRUE(WIFEXITED(*status)) << "ended by signal " << WTERMSIG(*status);
    EXPECT_EQ(WEXITSTATUS(*status), 0);
    EXPECT_FALSE(accepts_connections(server.port()));
}

TEST(ServerSignals, SigintStopsItAndItExitsZero) {
    expect_clean_exit_on(SIGINT);
}

TEST(ServerSignals, SigtermStopsItAndItExitsZero) {
    expect_clean_exit_on(SIGTERM);
}

// A signal at once after the server said it listens, before it has begun to accept (a stop()
// then does nothing): not lost.
TEST(ServerSignals, ASignalAtOnceAfterStartingIsNotLost) {
    incidentmap::test::TempDir dir;
    for (int k = 0; k < 3; ++k) {
        Server server(dir.file("incidents.sqlite"));
        const auto status = server.stop(SIGTERM, std::chrono::seconds(5));
        ASSERT_TRUE(status.has_value()) << "still running 5 s after the signal (run " << k << ")";
        EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "run " << k;
    }
}

// The database going away mid-service: requests get 503 problem+json and write nothing; when
// it returns the server reconnects by itself. A cluster of the test's own, not the shared one.
TEST(PostgisFaults, DatabaseGoingAwayGives503ThenRecovers) {
    const std::string script = env_or_skip("INCIDENTMAP_HOME") + "/tests/postgis_cluster.sh";
    incidentmap::test::TempDir dir;
    // The cluster runs as the postgres user when the tests run as root: let it in.
    std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec,
                                 std::filesystem::perm_options::add);
    const std::string pg = dir.file("pg");
    const auto started = run("bash " + script + " start " + pg + " 2>&1");
    ASSERT_EQ(started.second, 0) << started.first;
    struct Stop {
        std::string cmd;
        ~Stop() { (void)run(cmd); }
    } stop{"bash " + script + " stop " + pg + " 2>&1"};
    std::string uri = incidentmap::test::read_file(pg + "/uri");
    uri.erase(uri.find_last_not_of(" \n") + 1);
    Server server(uri);
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(30, 0);
    const std::string feature =
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[31.99,46.97]},)"
        R"("properties":{"event_date":"2022-03-29","event_type":"Battles"}})";
    const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + token}};
    auto created = c.Post("/api/incidents", auth, feature, "application/geo+json");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;

    ASSERT_EQ(run("bash " + script + " pause " + pg + " 2>&1").second, 0);
    auto down = c.Get("/api/incidents");
    ASSERT_TRUE(down);
    EXPECT_EQ(down->status, 503) << down->body;
    EXPECT_EQ(down->get_header_value("Content-Type"), "application/problem+json");
    auto write = c.Post("/api/incidents", auth, feature, "application/geo+json");
    ASSERT_TRUE(write);
    EXPECT_EQ(write->status, 503);

    ASSERT_EQ(run("bash " + script + " resume " + pg + " 2>&1").second, 0);
    for (int k = 0; k < 8; ++k) { // every pooled connection finds its socket dead once
        auto back = c.Get("/api/incidents");
        ASSERT_TRUE(back);
        ASSERT_EQ(back->status, 200) << "request " << k << ": " << back->body;
        EXPECT_EQ(json::parse(back->body)["numberMatched"], 1) << "the failed write left nothing";
    }
}

// incidentmap migrate: SpatiaLite to PostGIS and back, everything kept and counted.
TEST(Cli, MigrateCopiesEverythingBothWays) {
    auto bin = env_or_skip("INCIDENTMAP_BIN");
    incidentmap::test::TempDir dir;
    const std::string sqlite = dir.file("a.sqlite");
    {
        std::ofstream article(dir.file("article.txt"));
        article << incidentmap::test::sample_article();
    }
    auto [ingested, st] = run(bin + " ingest " + dir.file("article.txt") +
                              " --published 2022-03-29 --source dpa --quiet --db " + sqlite +
                              " --gazetteer " + incidentmap::test::gazetteer_path() + " 2>&1");
    ASSERT_EQ(st, 0) << ingested;
    const std::string pg = incidentmap::test::fresh_postgis_uri();
    auto [out, status] = run(bin + " migrate --from " + sqlite + " --to '" + pg + "' 2>&1");
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("verified: 1 articles, 5 incidents"), std::string::npos) << out;
    auto [again, status2] = run(bin + " migrate --from " + sqlite + " --to '" + pg + "' 2>&1");
    EXPECT_EQ(status2, 0) << "a complete copy: nothing more to copy, verified: " << again;
    EXPECT_NE(again.find("verified: 1 articles, 5 incidents"), std::string::npos) << again;
    {
        std::ofstream one(dir.file("one.geojson"));
        one << R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":)"
               R"({"type":"Point","coordinates":[1,2]},"properties":{"event_date":"2020-01-01",)"
               R"("event_type":"Battles"}}]})";
    }
    const std::string other = dir.file("other.sqlite");
    ASSERT_EQ(run(bin + " import " + dir.file("one.geojson") + " --quiet --db " + other).second, 0);
    auto [refused, status4] = run(bin + " migrate --from " + sqlite + " --to " + other + " 2>&1");
    EXPECT_EQ(status4, 2) << "the target holds rows of no copy of the source: " << refused;
    EXPECT_NE(refused.find("migrate into an empty database"), std::string::npos) << refused;
    const std::string back = dir.file("b.sqlite");
    auto [out3, status3] = run(bin + " migrate --from '" + pg + "' --to " + back + " 2>&1");
    ASSERT_EQ(status3, 0) << out3;
    auto a = run(bin + " export --format geojson --quiet --db " + sqlite).first;
    auto b = run(bin + " export --format geojson --quiet --db " + back).first;
    EXPECT_EQ(json::parse(a)["features"], json::parse(b)["features"])
        << "ids, timestamps, evidence survive the round trip";
}

TEST(Cli, GeocodePrintsTheBigMykolayivFirst) {
    auto [out, status] = run(env_or_skip("INCIDENTMAP_BIN") + " geocode Mykolayiv --gazetteer " +
                             incidentmap::test::gazetteer_path());
    ASSERT_EQ(status, 0) << out;
    auto j = json::parse(out);
    ASSERT_FALSE(j["candidates"].empty());
    EXPECT_EQ(j["candidates"][0]["geonameid"], 700569);
}

TEST(Cli, ImportReportsBadRowsByLineAndExportsWhatItImported) {
    auto bin = env_or_skip("INCIDENTMAP_BIN");
    incidentmap::test::TempDir dir;
    {
        std::ofstream csv(dir.file("acled.csv"));
        csv << "event_id_cnty,event_date,event_type,sub_event_type,country,location,latitude,"
               "longitude,fatalities,notes\n"
               "UKR9,2022-03-29,Battles,Armed clash,Ukraine,Izium,49.2,37.25,4,\"clash, "
               "north\"\n"
               "UKR10,2022-03-30,Battles,Armed clash,Ukraine,Izium,not-a-number,37.25,0,x\n";
    }
    const std::string common = " --db " + dir.file("i.sqlite") + " --gazetteer " +
                               incidentmap::test::gazetteer_path() + " 2>&1";
    auto [out, status] = run(bin + " import " + dir.file("acled.csv") + common);
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("acled.csv:3: latitude 'not-a-number' is not a number"), std::string::npos)
        << out;
    EXPECT_NE(out.find("1 created"), std::string::npos) << out;
    auto [again, status2] = run(bin + " import " + dir.file("acled.csv") + common);
    EXPECT_NE(again.find("0 created, 1 updated"), std::string::npos) << again;
    auto [exported, status3] =
        run(bin + " export --format geojson --quiet --db " + dir.file("i.sqlite"));
    ASSERT_EQ(status3, 0) << exported;
    auto j = json::parse(exported);
    ASSERT_EQ(j["features"].size(), 1u);
    EXPECT_EQ(j["features"][0]["properties"]["country"], "UA") << "country name via gazetteer";
    EXPECT_EQ(j["features"][0]["properties"]["source_id"], "UKR9");
}

TEST(Cli, UnknownCommandsAndOptionsFailClearly) {
    auto bin = env_or_skip("INCIDENTMAP_BIN");
    EXPECT_EQ(run(bin + " frobnicate 2>&1").second, 2);
    auto [out, status] = run(bin + " geocode Kyiv --no-such-option 2>&1");
    EXPECT_EQ(status, 2);
    EXPECT_NE(out.find("unknown option"), std::string::npos);
    // A store of its own: a shared file in /tmp may hold another build's newer schema (exit 4).
    incidentmap::test::TempDir dir;
    EXPECT_EQ(run(bin + " ingest /nonexistent/file.txt --gazetteer " +
                  incidentmap::test::gazetteer_path() + " --db " + dir.file("cli.sqlite") + " 2>&1")
                  .second,
              3);
}

// The OpenAPI documents (api/src/openapi.cpp) are made from the incident's field table
// (incidents/fields.hpp) and the table of query parameters (query/parameters.hpp), and the
// routes take the parameters from the latter: a row added to a table and missing from a
// document, or refused by a route that the table says takes it, fails here.

const char* const server_url = "http://127.0.0.1:8080";

// The parameters of one operation of a document, by name.
std::map<std::string, json> parameters_of(const json& doc, const std::string& path,
                                          const char* method) {
    std::map<std::string, json> out;
    for (const auto& p : doc["paths"][path][method]["parameters"]) {
        out[p["name"].get<std::string>()] = p;
    }
    return out;
}

// The JSON Schema type of a field's values.
std::string json_type(incidentmap::incidents::FieldType type) {
    using incidentmap::incidents::FieldType;
    if (type == FieldType::integer) {
        return "integer";
    }
    if (type == FieldType::object) {
        return "object";
    }
    return type == FieldType::number ? "number" : "string";
}

TEST(OpenApiDocument, TheIncidentSchemaHasEveryFieldOfTheTable) {
    const auto doc = json::parse(incidentmap::api::openapi_document(server_url));
    const auto& schemas = doc["components"]["schemas"];
    const auto& properties = schemas["IncidentProperties"]["properties"];
    const auto coordinates =
        schemas["Point"]["properties"]["coordinates"]["description"].get<std::string>();
    std::size_t described = 0;
    for (const auto& f : incidentmap::incidents::fields) {
        const std::string name(f.name);
        if (f.geometry) {
            EXPECT_NE(coordinates.find(f.description), std::string::npos) << name;
            continue;
        }
        ++described;
        ASSERT_TRUE(properties.contains(name)) << name;
        const auto& p = properties[name];
        EXPECT_EQ(p["type"], json_type(f.type)) << name;
        EXPECT_EQ(p.value("nullable", false), f.nullable) << name;
        EXPECT_EQ(p.value("readOnly", false), f.assigned) << name;
        EXPECT_EQ(p["description"], std::string(f.description)) << name;
    }
    // The fields and the evidence, which is not a field; nothing else.
    EXPECT_TRUE(properties.contains("evidence"));
    EXPECT_EQ(properties.size(), described + 1);
    EXPECT_EQ(properties["event_date"]["format"], "date");
    EXPECT_EQ(properties["created"]["format"], "date-time");
    EXPECT_EQ(schemas["Feature"]["properties"]["properties"]["$ref"],
              "#/components/schemas/IncidentProperties");
    EXPECT_EQ(schemas["Feature"]["properties"]["geometry"]["$ref"], "#/components/schemas/Point");
}

TEST(OpenApiDocument, EveryQueryParameterIsDescribedWhereItIsTaken) {
    using namespace incidentmap::incidents;
    const auto doc = json::parse(incidentmap::api::openapi_document(server_url));
    const auto ogc = json::parse(incidentmap::api::openapi_document_ogc(server_url));
    struct Operation {
        const json& doc;
        std::string path;
        const char* method;
        ParameterUse use;
        bool paging;
        std::size_t others; ///< the parameters that are not the table's
    };
    // The OGC items take the queryables too, as name=value (all but the geometry).
    const auto queryables =
        static_cast<std::size_t>(std::count_if(cql2::queryables().begin(), cql2::queryables().end(),
                                               [](const auto& q) { return q.name != "geometry"; }));
    const Operation operations[] = {
        {doc, "/api/incidents", "get", rest_use, true, 0},
        {doc, "/api/stats", "get", rest_use, false, 0},
        {doc, "/api/clusters", "get", rest_use, false, 1},                               // zoom
        {doc, "/api/export", "get", rest_use, false, 1},                                 // format
        {doc, "/ogc/collections/incidents/items", "get", ogc_use, true, 1 + queryables}, // f
        {ogc, "/collections/incidents/items", "get", ogc_use, true, 1 + queryables},
    };
    for (const auto& op : operations) {
        const auto params = parameters_of(op.doc, op.path, op.method);
        std::size_t taken_count = 0;
        for (const auto& p : query_parameters()) {
            const std::string name(p.name);
            const bool taken = (p.uses & op.use) != 0 && (op.paging || !p.paging);
            ASSERT_EQ(params.count(name), taken ? 1U : 0U) << op.path << " " << name;
            if (!taken) {
                continue;
            }
            ++taken_count;
            const auto& d = params.at(name);
            EXPECT_EQ(d["in"], "query") << name;
            EXPECT_EQ(d["schema"]["type"], std::string(p.type)) << name;
            if (!p.format.empty()) {
                EXPECT_EQ(d["schema"]["format"], std::string(p.format)) << name;
            }
            EXPECT_EQ(d["description"].get<std::string>().rfind(std::string(p.description), 0), 0U)
                << name << ": " << d["description"];
            if (!p.schema.empty()) {
                const auto keywords = json::parse("{" + std::string(p.schema) + "}");
                for (const auto& [key, value] : keywords.items()) {
                    EXPECT_EQ(d["schema"][key], value) << name << " " << key;
                }
            }
        }
        EXPECT_EQ(params.size(), taken_count + op.others) << op.path;
    }
    // What the table does not say: each API's page size, the event types the REST API knows.
    EXPECT_EQ(parameters_of(doc, "/api/incidents", "get").at("limit")["schema"]["default"], 100);
    EXPECT_EQ(
        parameters_of(ogc, "/collections/incidents/items", "get").at("limit")["schema"]["default"],
        10);
    EXPECT_NE(parameters_of(doc, "/api/stats", "get")
                  .at("type")["description"]
                  .get<std::string>()
                  .find("\"Explosions/Remote violence\""),
              std::string::npos);
    const auto bbox = parameters_of(ogc, "/collections/incidents/items", "get").at("bbox");
    EXPECT_EQ(bbox["style"], "form");
    EXPECT_EQ(bbox["explode"], false);
}

TEST_F(ApiTest, RoutesTakeTheParametersOfTheTable) {
    using namespace incidentmap::incidents;
    // True when the answer to a request is that it names a parameter the route does not take.
    const auto refused = [](const httplib::Result& res) {
        return res && res->status == 400 &&
               json::parse(res->body)["detail"].get<std::string>().find(
                   "unknown query parameter") != std::string::npos;
    };
    const auto get = [&](const std::string& path) { return refused(client().Get(path)); };
    ASSERT_TRUE(get("/api/incidents?frobnicate=x"));
    for (const auto& p : query_parameters()) {
        const std::string name(p.name);
        const std::string query = "?" + name + "=x";
        const bool rest = (p.uses & rest_use) != 0;
        EXPECT_EQ(get("/api/incidents" + query), !rest) << name;
        EXPECT_EQ(get("/api/stats" + query), !rest || p.paging) << name;
        EXPECT_EQ(get("/api/clusters" + query), !rest || p.paging) << name;
        EXPECT_EQ(get("/api/export" + query), !rest || p.paging) << name;
        EXPECT_EQ(get("/ogc/collections/incidents/items" + query), (p.uses & ogc_use) == 0) << name;
        const json body = {{name, "x"}};
        EXPECT_EQ(refused(client().Post("/api/incidents/search", body.dump(), "application/json")),
                  !rest)
            << name;
    }
}

// Security headers on every answer: the map's page may load only what it needs from this
// server (the browser test checks that the map works under this policy), nobody may frame it,
// and no answer is sniffed into another type.
TEST_F(ApiTest, SecurityHeadersOnThePageAndTheApi) {
    auto page = client().Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    const auto csp = page->get_header_value("Content-Security-Policy");
    for (const char* directive :
         {"default-src 'self'", "script-src 'self';", "object-src 'none'", "frame-ancestors 'none'",
          "base-uri 'self'", "https://tile.openstreetmap.org"}) {
        EXPECT_NE(csp.find(directive), std::string::npos) << directive << " in '" << csp << "'";
    }
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
    EXPECT_EQ(page->body.find("<script>"), std::string::npos) << "an inline script";
    for (const char* path : {"/", "/web/app.js", "/api/incidents?limit=1", "/api/nothing"}) {
        auto res = client().Get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
        EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
        EXPECT_EQ(res->get_header_value("Referrer-Policy"), "strict-origin-when-cross-origin")
            << path;
        EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u) << path;
    }
}

} // namespace
