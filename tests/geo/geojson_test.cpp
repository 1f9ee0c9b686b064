#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"

#include <nlohmann/json.hpp>

#include <random>

namespace {

using namespace incidentmap;

TEST(GeoJson, ParsesPointPolygonAndFeature) {
    auto p = geo::parse_geojson_geometry(R"({"type":"Point","coordinates":[31.99,46.97]})");
    ASSERT_TRUE(std::holds_alternative<geo::LonLat>(p));
    EXPECT_DOUBLE_EQ(std::get<geo::LonLat>(p).lon, 31.99);
    auto poly = geo::parse_geojson_geometry(
        R"({"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[30,46],[33,46],[33,48],[30,48],[30,46]]]}})");
    ASSERT_TRUE(std::holds_alternative<geo::Polygon>(poly));
    EXPECT_TRUE(geo::contains(poly, {32, 47}));
    EXPECT_FALSE(geo::contains(poly, {34, 47}));
}

TEST(GeoJson, RejectsMalformedInputWithAReason) {
    for (const char* bad :
         {"", "{", "[]", R"({"type":"Point"})", R"({"type":"Point","coordinates":[1]})",
          R"({"type":"Point","coordinates":["a","b"]})",
          R"({"type":"Point","coordinates":[200,0]})",
          R"({"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]})",
          R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})",
          R"({"type":"LineString","coordinates":[[0,0],[1,1]]})",
          R"({"type":"Polygon","coordinates":[]})",
          R"({"type":"Point","coordinates":[1e999,0]})"}) {
        EXPECT_THROW(geo::parse_geojson_geometry(bad), InvalidInput) << bad;
    }
}

TEST(GeoJson, LimitsTheNumberOfVertices) {
    std::string ring = "[[0,0]";
    for (int i = 1; i < 200; ++i) {
        ring += ",[" + std::to_string(i * 0.001) + "," + std::to_string((i % 2) * 0.001) + "]";
    }
    ring += ",[0,0]]";
    const std::string poly = R"({"type":"Polygon","coordinates":[)" + ring + "]}";
    EXPECT_NO_THROW(geo::parse_geojson_geometry(poly, 1000));
    EXPECT_THROW(geo::parse_geojson_geometry(poly, 100), InvalidInput);
}

TEST(JsonString, EscapesControlQuotesAndInvalidUtf8) {
    std::string out;
    geo::append_json_string(out, "a\"b\\c\nd\x01 Київ \xff");
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001 Київ \xEF\xBF\xBD\"");
    EXPECT_EQ(nlohmann::json::parse(out).get<std::string>().substr(0, 3), "a\"b");
}

TEST(Coordinates, SixDecimalsWithoutTrailingZeros) {
    std::string out;
    geo::append_position(out, {31.992960, -46.9762549});
    EXPECT_EQ(out, "[31.99296,-46.976255]");
    out.clear();
    geo::append_coordinate(out, -0.0000001);
    EXPECT_EQ(out, "0");
    out.clear();
    geo::append_coordinate(out, 180);
    EXPECT_EQ(out, "180");
}

// The 16-byte scan of the escaper must find specials at every position of a block.
TEST(AppendJsonString, RandomStringsRoundTripThroughAJsonParser) {
    std::mt19937 rng(16);
    const std::vector<std::string> pieces = {"a",    "Z", " ", "\"", "\\", "\n", "\t", "\x01",
                                             "\x7f", "é", "Ж", "€",  "😀",  "/",  "0"};
    for (int k = 0; k < 3000; ++k) {
        std::string text;
        const int len = std::uniform_int_distribution<int>(0, 70)(rng);
        for (int j = 0; j < len; ++j) {
            text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
        }
        std::string out;
        incidentmap::geo::append_json_string(out, text);
        ASSERT_EQ(nlohmann::json::parse(out).get<std::string>(), text) << out;
    }
}

} // namespace
