#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/types.hpp"

#include <cmath>
#include <limits>

namespace {

using namespace incidentmap;
using geo::BBox;
using geo::LonLat;

TEST(LonLat, AcceptsTheCornersOfTheWorld) {
    EXPECT_TRUE((LonLat{-180, -90}).valid());
    EXPECT_TRUE((LonLat{180, 90}).valid());
    EXPECT_TRUE((LonLat{31.99296, 46.97625}).valid());
}

TEST(LonLat, RejectsLatitudeAbove90AndNonFinite) {
    EXPECT_FALSE((LonLat{0, 90.0001}).valid());
    EXPECT_FALSE((LonLat{180.0001, 0}).valid());
    EXPECT_FALSE((LonLat{std::nan(""), 0}).valid());
    EXPECT_FALSE((LonLat{0, std::numeric_limits<double>::infinity()}).valid());
}

TEST(ParseBbox, ReadsFourNumbers) {
    auto b = geo::parse_bbox("30,46,33.5,48");
    EXPECT_DOUBLE_EQ(b.min_lon, 30);
    EXPECT_DOUBLE_EQ(b.min_lat, 46);
    EXPECT_DOUBLE_EQ(b.max_lon, 33.5);
    EXPECT_DOUBLE_EQ(b.max_lat, 48);
    EXPECT_FALSE(b.crosses_antimeridian());
}

// OGC API - Features' 3D form: minLon,minLat,minHeight,maxLon,maxLat,maxHeight.
TEST(ParseBbox, ReadsSixNumbersAsABoxWithHeights) {
    auto b = geo::parse_bbox("30,46,-100,33.5,48,9000");
    EXPECT_DOUBLE_EQ(b.min_lon, 30);
    EXPECT_DOUBLE_EQ(b.min_lat, 46);
    EXPECT_DOUBLE_EQ(b.max_lon, 33.5);
    EXPECT_DOUBLE_EQ(b.max_lat, 48);
    EXPECT_THROW(geo::parse_bbox("30,46,nan,33.5,48,0"), InvalidInput);
    EXPECT_THROW(geo::parse_bbox("30,91,0,33.5,48,0"), InvalidInput);
}

TEST(ParseBbox, RejectsMalformedAndOutOfRange) {
    for (const char* bad :
         {"", "1,2,3", "1,2,3,4,5", "1,2,3,4,5,6,7", "a,b,c,d", "nan,0,1,1", "0,0,inf,1",
          "0,0,181,1", "0,-91,1,1", "0,10,1,5", "1e999,0,1,1", "0x10,0,1,1", "1,,2,3"}) {
        EXPECT_THROW(geo::parse_bbox(bad), InvalidInput) << bad;
    }
}

TEST(BBox, CrossingTheAntimeridianContainsBothSides) {
    auto b = geo::parse_bbox("170,-10,-170,10");
    EXPECT_TRUE(b.crosses_antimeridian());
    EXPECT_TRUE(b.contains({175, 0}));
    EXPECT_TRUE(b.contains({-175, 0}));
    EXPECT_TRUE(b.contains({180, 0}));
    EXPECT_FALSE(b.contains({0, 0}));
    EXPECT_FALSE(b.contains({175, 11}));
}

TEST(ParseLonLat, ReadsAndValidates) {
    auto p = geo::parse_lonlat("31.99296,46.97625");
    EXPECT_DOUBLE_EQ(p.lon, 31.99296);
    EXPECT_DOUBLE_EQ(p.lat, 46.97625);
    EXPECT_THROW(geo::parse_lonlat("46.9"), InvalidInput);
    EXPECT_THROW(geo::parse_lonlat("200,0"), InvalidInput);
    EXPECT_THROW(geo::parse_lonlat("0,NaN"), InvalidInput);
}

TEST(Polygon, ContainsRespectsHoles) {
    geo::Polygon square{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{4, 4}, {6, 4}, {6, 6}, {4, 6}}}};
    EXPECT_TRUE(geo::contains(square, {1, 1}));
    EXPECT_FALSE(geo::contains(square, {5, 5})) << "inside the hole";
    EXPECT_FALSE(geo::contains(square, {11, 5}));
}

TEST(RepresentativePoint, IsInsideAConcavePolygon) {
    // A "C" shape whose centroid lies in the gap.
    geo::MultiPolygon c{
        {geo::Polygon{{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 8}, {10, 8}, {10, 10}, {0, 10}}}}}};
    auto centroid = geo::centroid(c);
    EXPECT_FALSE(geo::contains(c, centroid));
    auto p = geo::representative_point(c);
    EXPECT_TRUE(geo::contains(c, p)) << p.lon << "," << p.lat;
}

} // namespace
