// Points and rings across the antimeridian, and where rings cross a row.

#include "test_support.hpp"

#include "incidentmap/geo/rings.hpp"

namespace {

using namespace incidentmap::geo;

TEST(GeoRings, UnwrappedKeepsEachLongitudeNextToThePreviousOne) {
    const auto pts = unwrapped({{179, 1}, {-179, 2}, {-177, 3}, {178, 4}});
    ASSERT_EQ(pts.size(), 4u);
    EXPECT_EQ(pts[0], (LonLat{179, 1}));
    EXPECT_EQ(pts[1], (LonLat{181, 2}));
    EXPECT_EQ(pts[2], (LonLat{183, 3}));
    EXPECT_EQ(pts[3], (LonLat{178, 4}));
    EXPECT_TRUE(unwrapped({}).empty());
}

TEST(GeoRings, WrappedBringsLongitudesBackIntoRange) {
    EXPECT_EQ(wrapped({190, 5}), (LonLat{-170, 5}));
    EXPECT_EQ(wrapped({-190, 5}), (LonLat{170, 5}));
    EXPECT_EQ(wrapped({540, 0}), (LonLat{180, 0}));
    EXPECT_EQ(wrapped({180, 0}), (LonLat{180, 0})) << "the antimeridian stays where it is";
    EXPECT_EQ(wrapped({-180, 0}), (LonLat{-180, 0}));
}

TEST(GeoRings, UnwrappedRingsShiftHolesNextToTheOuterRing) {
    const Polygon cut{
        {{{179, 0}, {-179, 0}, {-179, 2}, {179, 2}}, {{-179.5, 0.5}, {179.5, 0.5}, {179.5, 1.5}}}};
    const auto rings = unwrapped_rings(cut);
    ASSERT_EQ(rings.size(), 2u);
    EXPECT_EQ(rings[0], (Ring{{179, 0}, {181, 0}, {181, 2}, {179, 2}}));
    EXPECT_EQ(rings[1], (Ring{{180.5, 0.5}, {179.5, 0.5}, {179.5, 1.5}}));
    EXPECT_TRUE(unwrapped_rings(Polygon{}).empty());
    EXPECT_TRUE(unwrapped_rings(Polygon{{Ring{}, Ring{{0, 0}, {1, 0}, {1, 1}}}}).empty())
        << "no outer ring, no polygon";
}

TEST(GeoRings, RowCrossingsAreSortedAndLeaveHolesOut) {
    const std::vector<Ring> framed{{{0, 0}, {4, 0}, {4, 4}, {0, 4}},
                                   {{1, 1}, {3, 1}, {3, 3}, {1, 3}}};
    std::vector<double> xs{99.0};
    row_crossings(framed, 2.0, xs);
    EXPECT_EQ(xs, (std::vector<double>{0, 1, 3, 4}));
    row_crossings(framed, 0.5, xs);
    EXPECT_EQ(xs, (std::vector<double>{0, 4}));
    row_crossings(framed, 5.0, xs);
    EXPECT_TRUE(xs.empty());
    // A slanted edge: the triangle (0,0) (4,0) (0,4) is 2 wide at y = 2.
    row_crossings({{{0, 0}, {4, 0}, {0, 4}}}, 2.0, xs);
    EXPECT_EQ(xs, (std::vector<double>{0, 2}));
}

} // namespace
