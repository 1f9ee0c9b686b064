// OGC API - Tiles: Mapbox Vector Tiles of UCDP's real Ukraine events, read back by GDAL's MVT
// driver, on either backend.

#include "incidentmap/formats/vector_tile.hpp"

#include "server_fixture.hpp"

#include <gdal.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <set>

namespace {

using incidentmap::incidents::TileId;
using namespace incidentmap::test::serve;

// The tile of a zoom that holds a point.
TileId tile_at(int z, double lon, double lat) {
    const double n = std::exp2(z);
    const double phi = lat * std::numbers::pi / 180.0;
    return {
        z, static_cast<std::int64_t>((lon + 180.0) / 360.0 * n),
        static_cast<std::int64_t>((1.0 - std::asinh(std::tan(phi)) / std::numbers::pi) / 2.0 * n)};
}

std::string tile_path(TileId t) {
    return "/ogc/collections/incidents/tiles/WebMercatorQuad/" + std::to_string(t.z) + "/" +
           std::to_string(t.y) + "/" + std::to_string(t.x);
}

// A layer of a tile as GDAL reads it: each feature's fields by name (integers as text too).
struct Read {
    std::vector<std::map<std::string, std::string>> features;
    std::vector<std::pair<double, double>> points; ///< in EPSG:3857
};

Read read_layer(const std::string& bytes, TileId t, const char* layer_name) {
    incidentmap::test::TempDir dir;
    // GDAL georeferences a tile named {z}/{x}/{y}.pbf in WebMercatorQuad.
    const std::filesystem::path file = dir.file(std::to_string(t.z)) + "/" + std::to_string(t.x) +
                                       "/" + std::to_string(t.y) + ".pbf";
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    GDALAllRegister();
    const char* drivers[] = {"MVT", nullptr};
    GDALDatasetH ds =
        GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr);
    Read out;
    EXPECT_NE(ds, nullptr) << CPLGetLastErrorMsg();
    if (!ds) {
        return out;
    }
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, layer_name);
    EXPECT_NE(layer, nullptr) << layer_name;
    if (layer) {
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
        OGR_L_ResetReading(layer);
        while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
            std::map<std::string, std::string> fields;
            for (int k = 0; k < OGR_FD_GetFieldCount(defn); ++k) {
                if (OGR_F_IsFieldSetAndNotNull(f, k)) {
                    fields[OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k))] =
                        OGR_F_GetFieldAsString(f, k);
                }
            }
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            out.points.emplace_back(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
            out.features.push_back(std::move(fields));
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
    return out;
}

std::string fetch(UcdpServer& ucdp, const std::string& path, int expect_status) {
    httplib::Client c("127.0.0.1", ucdp.port());
    auto res = c.Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) {
        return {};
    }
    EXPECT_EQ(res->status, expect_status) << path << " -> " << res->body;
    if (expect_status == 200) {
        EXPECT_EQ(res->get_header_value("Content-Type"), "application/vnd.mapbox-vector-tile");
    }
    return res->body;
}

std::string bbox_param(const incidentmap::geo::BBox& b) {
    return "&bbox=" + json(b.min_lon).dump() + "," + json(b.min_lat).dump() + "," +
           json(b.max_lon).dump() + "," + json(b.max_lat).dump();
}

// A tile near Donetsk at zoom 9: GDAL finds in it exactly the incidents the API gives for the
// tile's bounds (ids, types, fatalities), each at its point; with a filter, the filter's.
TEST_F(ApiTest, GdalReadsTheIncidentsOfAVectorTile) {
    UcdpServer ucdp;
    for (const std::string filter : {"", "&type=Battles"}) {
        const auto t = tile_at(9, 37.8, 48.0);
        const auto bytes =
            fetch(ucdp, tile_path(t) + (filter.empty() ? "" : "?" + filter.substr(1)), 200);
        const auto read = read_layer(bytes, t, "incidents");
        const auto api = ucdp.get("/api/incidents?limit=10000" + filter + bbox_param(t.bounds()));
        std::map<std::string, json> want;
        for (const auto& f : api["features"]) {
            want[std::to_string(f["id"].get<std::int64_t>())] = f;
        }
        ASSERT_GT(want.size(), 20u) << "the tile should hold many events";
        ASSERT_EQ(read.features.size(), want.size()) << filter;
        for (std::size_t k = 0; k < read.features.size(); ++k) {
            const auto& got = read.features[k];
            ASSERT_TRUE(want.count(got.at("mvt_id"))) << "feature id " << got.at("mvt_id");
            const auto& p = want[got.at("mvt_id")]["properties"];
            EXPECT_EQ(got.at("event_type"), p["event_type"].get<std::string>());
            EXPECT_EQ(got.at("event_date"), p["event_date"].get<std::string>());
            EXPECT_EQ(std::stoi(got.at("fatalities")), p["fatalities"].get<int>());
            EXPECT_EQ(got.count("notes"), 0u) << "long texts stay out of the tiles";
            // The point, in EPSG:3857, within a tile pixel of 4096 (about 10 m at zoom 9).
            const auto& c = want[got.at("mvt_id")]["geometry"]["coordinates"];
            const double r = 6378137.0;
            const double x = c[0].get<double>() * std::numbers::pi / 180.0 * r;
            const double y =
                std::asinh(std::tan(c[1].get<double>() * std::numbers::pi / 180.0)) * r;
            EXPECT_NEAR(read.points[k].first, x, 20.0);
            EXPECT_NEAR(read.points[k].second, y, 20.0);
        }
    }
}

// At zoom 3 the tile holding Ukraine has more events than a tile draws one by one: it holds the
// store's clusters, those whose centre lies in the tile, with their counts.
TEST_F(ApiTest, ALowZoomTileHoldsTheClustersWithTheirCounts) {
    UcdpServer ucdp;
    const auto t = tile_at(3, 37.8, 48.0);
    const auto read = read_layer(fetch(ucdp, tile_path(t), 200), t, "clusters");
    const auto clusters = ucdp.get("/api/clusters?zoom=3" + bbox_param(t.bounds()));
    std::size_t want = 0;
    std::size_t in_tile = 0;
    for (const auto& c : clusters["features"]) {
        const auto& p = c["geometry"]["coordinates"];
        if (t.holds({p[0].get<double>(), p[1].get<double>()})) {
            want += c["properties"]["count"].get<std::size_t>();
            ++in_tile;
        }
    }
    std::size_t got = 0;
    for (const auto& f : read.features) {
        got += std::stoul(f.at("count"));
        EXPECT_TRUE(f.count("fatalities"));
    }
    EXPECT_EQ(read.features.size(), in_tile);
    EXPECT_EQ(got, want);
    EXPECT_GT(got, 2000u);
}

TEST_F(ApiTest, TilesetMetadataAndBadTiles) {
    const auto sets = get_json("/ogc/collections/incidents/tiles");
    const auto& links = sets["tilesets"][0]["links"];
    bool templated = false;
    for (const auto& l : links) {
        templated = templated ||
                    (l["rel"] == "item" && l["type"] == "application/vnd.mapbox-vector-tile" &&
                     l["href"].get<std::string>().ends_with("/{tileMatrix}/{tileRow}/{tileCol}"));
    }
    EXPECT_TRUE(templated) << links;
    EXPECT_EQ(get_json("/ogc/collections/incidents/tiles/WebMercatorQuad")["dataType"], "vector");
    const auto conformance = get_json("/ogc/conformance")["conformsTo"].dump();
    EXPECT_NE(conformance.find("ogcapi-tiles-1/1.0/conf/mvt"), std::string::npos);
    const std::string base = "/ogc/collections/incidents/tiles/WebMercatorQuad/";
    get_json(base + "3/8/1", 404);
    get_json(base + "23/0/0", 404);
    get_json(base + "3/2/4?bbox=1,2,3,4", 400);
    get_json(base + "3/2/4?frobnicate=1", 400);
    auto empty = client().Get(base + "5/20/1"); // the Pacific
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->status, 204);
    auto some = client().Get(base + "0/0/0");
    ASSERT_TRUE(some);
    EXPECT_EQ(some->status, 200);
    EXPECT_GT(some->body.size(), 50u) << "the sample article's incidents";
}

} // namespace

namespace {

// OGC API - Features Part 5: the collection's schema, linked from the collection, types every
// field from the field table (a nullable one as its type or null) with the roles of Part 5.
// (GDAL 3.6's OAPIF driver does not read it: on UCDP's events, which have no GeoNames id, it
// still guesses geonameid a string from the features.)
TEST_F(ApiTest, TheCollectionPublishesItsSchema) {
    const auto schema = get_json("/ogc/collections/incidents/schema");
    EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema["properties"]["geonameid"]["type"], json::array({"integer", "null"}));
    EXPECT_EQ(schema["properties"]["fatalities"]["type"], "integer");
    EXPECT_EQ(schema["properties"]["event_date"]["format"], "date");
    EXPECT_EQ(schema["properties"]["event_date"]["x-ogc-role"], "primary-instant");
    EXPECT_EQ(schema["properties"]["id"]["x-ogc-role"], "id");
    EXPECT_EQ(schema["properties"]["geometry"]["x-ogc-role"], "primary-geometry");
    EXPECT_EQ(schema["properties"]["evidence"]["type"], "array");
    EXPECT_EQ(schema["properties"].count("lon"), 0u) << "the point is the geometry";
    bool linked = false;
    const auto collection = get_json("/ogc/collections/incidents");
    for (const auto& l : collection["links"]) {
        linked = linked || (l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/schema" &&
                            l["href"].get<std::string>().ends_with("/schema"));
    }
    EXPECT_TRUE(linked);
    get_json("/ogc/collections/incidents/schema?x=1", 400);
}

} // namespace
