// Spatial predicates of a point against small hand-drawn geometries: squares with and without a
// hole, crossing and closed lines, boxes on both sides of the antimeridian, repeated points.

#include "incidentmap/geo/predicates.hpp"

#include <gtest/gtest.h>

namespace {

using namespace incidentmap::geo;

// A 4 x 4 square at the origin with a 1 x 1 hole at (1, 1).
Polygon square_with_hole() {
    return Polygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, // outer ring
                    {{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}}};
}

GeometryCollection of(Polygon polygon) {
    GeometryCollection g;
    g.polygons.push_back(std::move(polygon));
    return g;
}

GeometryCollection of(std::vector<LineString> lines) {
    GeometryCollection g;
    g.lines = std::move(lines);
    return g;
}

GeometryCollection of(BBox box) {
    GeometryCollection g;
    g.boxes.push_back(box);
    return g;
}

TEST(Predicates, APointOnAPolygonsEdgeTouchesAndIsNotWithin) {
    const auto g = of(square_with_hole());
    for (LonLat edge : {LonLat{4, 2}, LonLat{2, 0}, LonLat{0, 0}}) {
        EXPECT_TRUE(relate(edge, SpatialRelation::touches, g)) << edge.lon << " " << edge.lat;
        EXPECT_TRUE(relate(edge, SpatialRelation::intersects, g));
        EXPECT_FALSE(relate(edge, SpatialRelation::within, g));
        EXPECT_FALSE(relate(edge, SpatialRelation::disjoint, g));
        EXPECT_FALSE(relate(g, SpatialRelation::contains, edge));
    }
}

TEST(Predicates, APointInsideAPolygonIsWithinAndDoesNotTouch) {
    const auto g = of(square_with_hole());
    const LonLat inside{3, 3};
    EXPECT_TRUE(relate(inside, SpatialRelation::within, g));
    EXPECT_TRUE(relate(g, SpatialRelation::contains, inside));
    EXPECT_TRUE(relate(inside, SpatialRelation::intersects, g));
    EXPECT_FALSE(relate(inside, SpatialRelation::touches, g));
    EXPECT_FALSE(relate(inside, SpatialRelation::contains, g)) << "a point holds no square";
    EXPECT_FALSE(relate(g, SpatialRelation::within, inside));
    EXPECT_FALSE(relate(inside, SpatialRelation::equals, g));
    EXPECT_FALSE(relate(inside, SpatialRelation::overlaps, g));
    EXPECT_FALSE(relate(inside, SpatialRelation::crosses, g));
}

TEST(Predicates, AHoleIsOutsideItsPolygonAndItsRingIsBoundary) {
    const auto g = of(square_with_hole());
    const LonLat in_hole{1.5, 1.5};
    EXPECT_TRUE(relate(in_hole, SpatialRelation::disjoint, g));
    EXPECT_FALSE(relate(in_hole, SpatialRelation::intersects, g));
    EXPECT_FALSE(relate(in_hole, SpatialRelation::within, g));
    const LonLat on_hole_ring{2, 1.5};
    EXPECT_TRUE(relate(on_hole_ring, SpatialRelation::touches, g));
    EXPECT_TRUE(relate(on_hole_ring, SpatialRelation::intersects, g));
    EXPECT_FALSE(relate(on_hole_ring, SpatialRelation::within, g));
    EXPECT_TRUE(relate(LonLat{5, 5}, SpatialRelation::disjoint, g));
}

TEST(Predicates, ARingWithoutItsClosingPositionIsClosedByAnEdge) {
    const Polygon open{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}}};
    EXPECT_TRUE(on_boundary(open, {0, 2})) << "on the edge from (0 4) back to (0 0)";
    EXPECT_TRUE(relate(LonLat{0, 2}, SpatialRelation::touches, of(open)));
    EXPECT_FALSE(on_boundary(open, {1, 2}));
    EXPECT_TRUE(relate(LonLat{1, 2}, SpatialRelation::within, of(open)));
}

TEST(Predicates, CrossingLinesMeetAtOnePointInsideBoth) {
    const LineString rising{{0, 0}, {4, 4}};
    const LineString falling{{0, 4}, {4, 0}};
    const LonLat crossing{2, 2};
    EXPECT_TRUE(on_line(rising, crossing));
    EXPECT_TRUE(on_line(falling, crossing));
    const auto both = of({rising, falling});
    EXPECT_TRUE(relate(crossing, SpatialRelation::intersects, both));
    EXPECT_TRUE(relate(crossing, SpatialRelation::within, both)) << "not an end of either";
    EXPECT_FALSE(relate(crossing, SpatialRelation::touches, both));
    EXPECT_FALSE(relate(crossing, SpatialRelation::crosses, both)) << "a point crosses nothing";
    // The ends of an open line are its boundary.
    EXPECT_TRUE(relate(LonLat{0, 4}, SpatialRelation::touches, both));
    EXPECT_FALSE(relate(LonLat{0, 4}, SpatialRelation::within, both));
    // A billionth of a degree off the line is off it.
    EXPECT_FALSE(on_line(rising, {2, 2 + 1e-9}));
    EXPECT_TRUE(relate(LonLat{2, 2 + 1e-9}, SpatialRelation::disjoint, of({rising})));
    // Beyond the segment's ends, on the same straight line, is off it too.
    EXPECT_FALSE(on_segment({0, 0}, {4, 4}, {5, 5}));
}

TEST(Predicates, AClosedLineHasNoBoundaryAndAOnePositionLineIsThatPosition) {
    const auto closed = of({LineString{{0, 0}, {1, 0}, {1, 1}, {0, 0}}});
    EXPECT_TRUE(relate(LonLat{0, 0}, SpatialRelation::within, closed));
    EXPECT_FALSE(relate(LonLat{0, 0}, SpatialRelation::touches, closed));
    EXPECT_TRUE(on_line(LineString{{3, 3}}, {3, 3}));
    EXPECT_FALSE(on_line(LineString{{3, 3}}, {3, 3.5}));
}

TEST(Predicates, BoxesOnBothSidesOfTheAntimeridian) {
    const auto plain = of(BBox{30, 46, 33, 48});
    EXPECT_TRUE(relate(LonLat{31, 47}, SpatialRelation::within, plain));
    EXPECT_TRUE(relate(LonLat{33, 47}, SpatialRelation::touches, plain));
    EXPECT_FALSE(relate(LonLat{33, 47}, SpatialRelation::within, plain));
    EXPECT_TRUE(relate(LonLat{34, 47}, SpatialRelation::disjoint, plain));

    const auto pacific = of(BBox{170, -10, -170, 10}); // crosses the antimeridian
    EXPECT_TRUE(relate(LonLat{175, 0}, SpatialRelation::within, pacific));
    EXPECT_TRUE(relate(LonLat{-175, 0}, SpatialRelation::within, pacific));
    EXPECT_TRUE(relate(LonLat{0, 0}, SpatialRelation::disjoint, pacific));
    EXPECT_TRUE(relate(LonLat{170, 5}, SpatialRelation::touches, pacific));
    EXPECT_TRUE(on_edge(BBox{170, -10, -170, 10}, {-170, -10}));
    EXPECT_FALSE(on_edge(BBox{170, -10, -170, 10}, {0, -10})) << "outside, on the line of its edge";
}

TEST(Predicates, APointEqualsAndContainsOnlyItself) {
    GeometryCollection twice;
    twice.points = {{1, 1}, {1, 1}};
    EXPECT_TRUE(relate(LonLat{1, 1}, SpatialRelation::equals, twice));
    EXPECT_TRUE(relate(LonLat{1, 1}, SpatialRelation::contains, twice));
    EXPECT_TRUE(relate(twice, SpatialRelation::within, LonLat{1, 1}));
    EXPECT_TRUE(relate(LonLat{1, 1}, SpatialRelation::within, twice)) << "points have no boundary";
    GeometryCollection two;
    two.points = {{1, 1}, {2, 2}};
    EXPECT_FALSE(relate(LonLat{1, 1}, SpatialRelation::equals, two));
    EXPECT_TRUE(relate(LonLat{2, 2}, SpatialRelation::intersects, two));
    EXPECT_FALSE(relate(LonLat{1, 1}, SpatialRelation::equals, GeometryCollection{}));
}

TEST(Predicates, ConverseSwapsWithinAndContainsOnly) {
    EXPECT_EQ(converse(SpatialRelation::within), SpatialRelation::contains);
    EXPECT_EQ(converse(SpatialRelation::contains), SpatialRelation::within);
    for (auto r : {SpatialRelation::intersects, SpatialRelation::disjoint, SpatialRelation::equals,
                   SpatialRelation::touches, SpatialRelation::crosses, SpatialRelation::overlaps}) {
        EXPECT_EQ(converse(r), r);
    }
}

TEST(Predicates, BoundingBoxOfACollection) {
    const BBox pacific{170, -10, -170, 10};
    auto lone = bounding_box(of(pacific));
    ASSERT_TRUE(lone);
    EXPECT_EQ(lone->min_lon, 170);
    EXPECT_EQ(lone->max_lon, -170) << "a lone box stays as it is, across the antimeridian";

    GeometryCollection mixed = of(square_with_hole());
    mixed.boxes.push_back({10, -5, 12, 1});
    mixed.points.push_back({-3, 2});
    mixed.lines.push_back({{0, 6}, {1, 7}});
    auto around = bounding_box(mixed);
    ASSERT_TRUE(around);
    EXPECT_EQ(around->min_lon, -3);
    EXPECT_EQ(around->min_lat, -5);
    EXPECT_EQ(around->max_lon, 12);
    EXPECT_EQ(around->max_lat, 7);

    mixed.boxes.push_back(pacific);
    EXPECT_FALSE(bounding_box(mixed)) << "no one box holds it beside the others";
    EXPECT_FALSE(bounding_box(GeometryCollection{}));
}

} // namespace
