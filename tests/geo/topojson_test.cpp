// TopoJSON decoding from tiny hand-made topologies: two squares sharing an arc, quantized and
// not, and the errors a malformed file gets.

#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/topojson.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace {

using namespace incidentmap;
using geo::LonLat;
using geo::Ring;
using nlohmann::json;

// Two unit squares, (10..11, 20..21) and (11..12, 20..21), sharing the edge at lon 11, quantized
// with a scale of (0.5, 0.25) from (10, 20). Arc 0 is the shared edge going north; the west
// square runs along it then arc 1, the east one along arc 2 then arc 0 backwards (~0 = -1).
const char* squares = R"({
  "type": "Topology",
  "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
  "arcs": [
    [[2, 0], [0, 4]],
    [[2, 4], [-2, 0], [0, -4], [2, 0]],
    [[2, 0], [2, 0], [0, 4], [-2, 0]]
  ],
  "objects": {"regions": {"type": "GeometryCollection", "geometries": [
    {"type": "Polygon", "arcs": [[0, 1]], "id": "039", "properties": {"name": "West"}},
    {"type": "MultiPolygon", "arcs": [[[2, -1]]], "id": 840, "properties": {"name": "East"}},
    {"type": "Point", "coordinates": [0, 0]}
  ]}}
})";

TEST(TopoJson, DecodesQuantizedArcsSharedBetweenPolygons) {
    const auto features = geo::decode_topojson(json::parse(squares), "regions", "squares.json");
    ASSERT_EQ(features.size(), 3u);
    EXPECT_EQ(features[0].id, "039");
    EXPECT_EQ(features[0].name, "West");
    ASSERT_EQ(features[0].shape.polygons.size(), 1u);
    ASSERT_EQ(features[0].shape.polygons[0].rings.size(), 1u);
    // The closing point is dropped; the shared end points appear once.
    EXPECT_EQ(features[0].shape.polygons[0].rings[0],
              (Ring{{11, 20}, {11, 21}, {10, 21}, {10, 20}}));
    EXPECT_EQ(features[1].id, "840") << "a numeric id, as JSON";
    EXPECT_EQ(features[1].name, "East");
    ASSERT_EQ(features[1].shape.polygons.size(), 1u);
    EXPECT_EQ(features[1].shape.polygons[0].rings[0],
              (Ring{{11, 20}, {12, 20}, {12, 21}, {11, 21}}));
    EXPECT_EQ(features[2].id, "");
    EXPECT_TRUE(features[2].shape.polygons.empty()) << "not a polygon";
}

TEST(TopoJson, ReadsUnquantizedArcsAndTheFirstObjectWhenNoneIsNamed) {
    const auto topo = json::parse(R"({"type":"Topology",
        "arcs": [[[30.5, 46], [33, 46], [33, 48.25], [30.5, 48.25], [30.5, 46]]],
        "objects": {"land": {"type": "GeometryCollection",
                             "geometries": [{"type": "Polygon", "arcs": [[0]], "id": "UA"}]}}})");
    const auto features = geo::decode_topojson(topo, "countries", "land.json");
    ASSERT_EQ(features.size(), 1u);
    EXPECT_EQ(features[0].id, "UA");
    EXPECT_EQ(features[0].name, "");
    EXPECT_EQ(features[0].shape.polygons.at(0).rings.at(0),
              (Ring{{30.5, 46}, {33, 46}, {33, 48.25}, {30.5, 48.25}}));
}

TEST(TopoJson, DropsRingsOfFewerThanThreePoints) {
    const auto topo = json::parse(R"({"arcs": [[[0, 0], [1, 1], [0, 0]]],
        "objects": {"o": {"geometries": [{"type": "Polygon", "arcs": [[0]]}]}}})");
    const auto features = geo::decode_topojson(topo, "o", "tiny.json");
    ASSERT_EQ(features.size(), 1u);
    ASSERT_EQ(features[0].shape.polygons.size(), 1u);
    EXPECT_TRUE(features[0].shape.polygons[0].rings.empty());
}

// The message of the InvalidInput that decoding `text` throws, or "" when there is none.
std::string error_of(const std::string& text) {
    try {
        (void)geo::decode_topojson(json::parse(text), "o", "in.json");
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "";
}

TEST(TopoJson, RejectsMalformedTopologiesNamingTheSource) {
    EXPECT_EQ(error_of("[]"), "'in.json' is not TopoJSON (no arcs/objects)");
    EXPECT_EQ(error_of(R"({"arcs": [], "objects": {}})"),
              "'in.json' is not TopoJSON (no arcs/objects)");
    EXPECT_EQ(error_of(R"({"arcs": [[[0, 0]]],
        "objects": {"o": {"geometries": [{"type": "Polygon", "arcs": [[3]]}]}}})"),
              "TopoJSON arc index out of range");
    EXPECT_EQ(error_of(R"({"arcs": [[[0, 0], [1]]], "objects": {"o": {"geometries": []}}})")
                  .rfind("'in.json': malformed TopoJSON: ", 0),
              0u);
    EXPECT_EQ(error_of(R"({"transform": {"scale": [1]}, "arcs": [], "objects": {"o": {}}})")
                  .rfind("'in.json': malformed TopoJSON: ", 0),
              0u);
}

} // namespace
