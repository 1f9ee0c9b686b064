// Centres of point sets and polygons on the sphere, against values worked out by hand or in
// closed form: boxes of longitudes and latitudes, a hole, a far island, the antimeridian.

#include "test_support.hpp"

#include "incidentmap/geo/centroid.hpp"

#include <cmath>

namespace {

using namespace incidentmap::geo;

constexpr double deg = 3.14159265358979323846 / 180.0;

// A box of longitudes and latitudes as a polygon (counter-clockwise, not closed).
Polygon box(double lon0, double lon1, double lat0, double lat1) {
    return Polygon{{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}}}};
}

// The centroid on the sphere of a box, integrated in closed form.
LonLat box_centroid(double lon0, double lon1, double lat0, double lat1) {
    const double a = lat0 * deg, b = lat1 * deg, l0 = lon0 * deg, l1 = lon1 * deg;
    const double cos2 = (b / 2 + std::sin(2 * b) / 4) - (a / 2 + std::sin(2 * a) / 4);
    const double x = cos2 * (std::sin(l1) - std::sin(l0));
    const double y = cos2 * (std::cos(l0) - std::cos(l1));
    const double z = (std::sin(b) * std::sin(b) - std::sin(a) * std::sin(a)) / 2 * (l1 - l0);
    return {std::atan2(y, x) / deg, std::atan2(z, std::hypot(x, y)) / deg};
}

TEST(Centroid, ExtentMiddleAcrossTheAntimeridian) {
    EXPECT_EQ(extent_middle({{30, 46}, {32, 50}, {31, 47}}), (LonLat{31, 48}));
    // 179 and -179 are two degrees apart, not 358: the middle is on the antimeridian.
    EXPECT_EQ(extent_middle({{179, 10}, {-179, 20}}), (LonLat{180, 15}));
    EXPECT_EQ(extent_middle({{178, 0}, {-176, 0}}), (LonLat{-179, 0})) << "wrapped back";
}

TEST(Centroid, AreaMiddleCountsEachCellOnce) {
    // Three points in the cell [0, 1) x [0, 1) weigh as much as the one in [4, 5) x [4, 5).
    const std::vector<LonLat> points{{0.25, 0.25}, {0.75, 0.75}, {0.5, 0.5}, {4.5, 4.5}};
    EXPECT_EQ(area_middle(points, 1.0), (LonLat{2.5, 2.5}));
    // With cells of 10 degrees they share one cell: the plain mean.
    EXPECT_EQ(area_middle(points, 10.0), (LonLat{1.5, 1.5}));
}

TEST(Centroid, EqualAreaMomentOfABox) {
    auto m = equal_area_moment(box(10, 20, 40, 50));
    ASSERT_TRUE(m.has_value());
    // In the (lon, sin lat) plane the box is a rectangle: its area and middle are exact.
    const double s0 = std::sin(40 * deg), s1 = std::sin(50 * deg);
    EXPECT_NEAR(m->area, 10 * (s1 - s0), 1e-12);
    const LonLat c = main_parts_centre({*m});
    EXPECT_NEAR(c.lon, 15.0, 1e-9);
    EXPECT_NEAR(c.lat, std::asin((s0 + s1) / 2) / deg, 1e-9);
    EXPECT_NEAR(std::hypot(m->x, m->y, m->z), m->area, 1e-12) << "area times a unit vector";
}

TEST(Centroid, SphereCentroidOfABoxMatchesTheClosedForm) {
    auto m = sphere_moment(box(10, 20, 40, 50));
    ASSERT_TRUE(m.has_value());
    EXPECT_NEAR(m->area, 10 * deg * (std::sin(50 * deg) - std::sin(40 * deg)), 1e-12)
        << "steradians";
    const LonLat expect = box_centroid(10, 20, 40, 50);
    const LonLat c = sphere_centroid(MultiPolygon{{box(10, 20, 40, 50)}});
    EXPECT_NEAR(c.lon, expect.lon, 1e-9);
    EXPECT_NEAR(c.lat, expect.lat, 1e-6);
    // A narrow box's area leans to its equator side (cos lat): the centre lies below 45 degrees.
    EXPECT_NEAR(c.lat, 44.8908, 1e-4);
}

TEST(Centroid, SphereMomentLeavesHolesOut) {
    Polygon framed = box(0, 4, 0, 4);
    framed.rings.push_back(box(1, 3, 1, 3).rings.front());
    auto m = sphere_moment(framed);
    ASSERT_TRUE(m.has_value());
    const double whole = 4 * deg * std::sin(4 * deg);
    const double hole = 2 * deg * (std::sin(3 * deg) - std::sin(1 * deg));
    EXPECT_NEAR(m->area, whole - hole, 1e-6) << "the hole's edges fall between rows";
    // A frame symmetric about (2, 2) keeps the box's centroid.
    const LonLat c = sphere_centroid(MultiPolygon{{framed}});
    const LonLat expect = box_centroid(0, 4, 0, 4);
    EXPECT_NEAR(c.lon, 2.0, 1e-9);
    EXPECT_NEAR(c.lat, expect.lat, 1e-3);
}

TEST(Centroid, MainPartsLeaveSmallIslandsOut) {
    // A part of less than a third of the largest one's area does not count...
    EXPECT_EQ(main_parts_centre({{3.0, 1.0, 0.0, 0.0}, {0.9, 0.0, 1.0, 0.0}}), (LonLat{0, 0}));
    // ...one of a third does.
    const LonLat both = main_parts_centre({{3.0, 1.0, 0.0, 0.0}, {1.0, 0.0, 1.0, 0.0}});
    EXPECT_DOUBLE_EQ(both.lon, 45.0);
    EXPECT_DOUBLE_EQ(both.lat, 0.0);
    // A mainland and a far small island: the island moves neither centroid.
    const MultiPolygon mainland{{box(-124, -67, 25, 49)}};
    const MultiPolygon with_island{{box(-124, -67, 25, 49), box(-160, -155, 19, 22)}};
    EXPECT_EQ(sphere_centroid(with_island), sphere_centroid(mainland));
    EXPECT_EQ(equal_area_centroid(with_island), equal_area_centroid(mainland));
    const LonLat expect = box_centroid(-124, -67, 25, 49);
    EXPECT_NEAR(sphere_centroid(mainland).lat, expect.lat, 1e-6);
    EXPECT_NEAR(sphere_centroid(mainland).lon, expect.lon, 1e-9);
}

TEST(Centroid, BoxesAcrossTheAntimeridianAreWhole) {
    // The box from 170 E to 170 W, as an atlas cuts it.
    const MultiPolygon fiji{{Polygon{{{{170, -10}, {-170, -10}, {-170, 10}, {170, 10}}}}}};
    for (const LonLat c : {sphere_centroid(fiji), equal_area_centroid(fiji)}) {
        EXPECT_NEAR(std::abs(c.lon), 180.0, 1e-9);
        EXPECT_NEAR(c.lat, 0.0, 1e-9);
    }
}

TEST(Centroid, FallsBackToARepresentativePoint) {
    // No polygon with an area: a ring along a meridian, and a ring of two points.
    const MultiPolygon flat{{Polygon{{{{5, 0}, {5, 1}, {5, 2}}}}, Polygon{{{{5, 5}, {6, 6}}}}}};
    EXPECT_FALSE(equal_area_moment(flat.polygons[0]).has_value());
    EXPECT_FALSE(sphere_moment(flat.polygons[0]).has_value());
    EXPECT_FALSE(sphere_moment(flat.polygons[1]).has_value());
    EXPECT_EQ(equal_area_centroid(flat), representative_point(flat));
    EXPECT_EQ(sphere_centroid(flat), representative_point(flat));
    EXPECT_EQ(sphere_centroid(MultiPolygon{}), representative_point(MultiPolygon{}));
}

} // namespace
