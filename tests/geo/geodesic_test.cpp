#include "test_support.hpp"

#include "incidentmap/geo/geodesic.hpp"

#include <cmath>

namespace {

using namespace incidentmap::geo;

TEST(Geodesic, DistanceKyivToMykolayivMatchesPROJ) {
    // Reference: echo "50.45466 30.5238 46.97625 31.99296" | geod +ellps=WGS84 -I +units=m
    const double d = distance_m({30.5238, 50.45466}, {31.99296, 46.97625});
    EXPECT_NEAR(d, 401615.657, 0.001);
    EXPECT_NEAR(distance_m({0, 0}, {1, 0}), 111319.49, 0.01) << "one degree on the equator";
    EXPECT_DOUBLE_EQ(distance_m({10, 10}, {10, 10}), 0.0);
}

TEST(Geodesic, DestinationRoundTrips) {
    for (double az : {0.0, 45.0, 90.0, 180.0, 270.0}) {
        LonLat from{179.9, 60.0};
        auto to = destination(from, az, 50000.0);
        EXPECT_TRUE(to.valid());
        EXPECT_NEAR(distance_m(from, to), 50000.0, 1e-3) << az;
    }
}

TEST(Geodesic, BboxAroundContainsEveryPointAtTheRadius) {
    for (LonLat c : {LonLat{0, 0}, LonLat{179.5, 10}, LonLat{-179.9, -40}, LonLat{20, 89.5},
                     LonLat{-60, -89.9}, LonLat{30.5, 50.4}}) {
        for (double r : {1000.0, 50000.0, 500000.0}) {
            auto box = bbox_around(c, r);
            for (int az = 0; az < 360; az += 5) {
                auto p = destination(c, az, r * 0.999);
                EXPECT_TRUE(box.contains(p)) << c.lon << "," << c.lat << " r=" << r << " az=" << az;
            }
        }
    }
}

} // namespace
