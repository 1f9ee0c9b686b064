#include "incidentmap/geo/geodesic.hpp"

#include <geodesic.h>

#include <algorithm>
#include <cmath>

namespace incidentmap::geo {

namespace {

const geod_geodesic& wgs84() noexcept {
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, 6378137.0, 1.0 / 298.257223563);
        return init;
    }();
    return g;
}

} // namespace

double distance_m(LonLat a, LonLat b) noexcept {
    double s12 = 0.0;
    geod_inverse(&wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, nullptr, nullptr);
    return s12;
}

LonLat destination(LonLat from, double azimuth_deg, double distance_m) noexcept {
    double lat2 = 0.0;
    double lon2 = 0.0;
    geod_direct(&wgs84(), from.lat, from.lon, azimuth_deg, distance_m, &lat2, &lon2, nullptr);
    if (lon2 > 180.0) {
        lon2 -= 360.0;
    } else if (lon2 < -180.0) {
        lon2 += 360.0;
    }
    return {lon2, lat2};
}

BBox bbox_around(LonLat center, double radius_m) noexcept {
    // Meridian distance per degree is at least 110.5 km; pad by 1% for safety.
    const double dlat = radius_m / 110000.0 * 1.01;
    const double min_lat = center.lat - dlat;
    const double max_lat = center.lat + dlat;
    if (min_lat <= -90.0 || max_lat >= 90.0) {
        return {-180.0, std::max(-90.0, min_lat), 180.0, std::min(90.0, max_lat)};
    }
    const double far_lat = std::max(std::abs(min_lat), std::abs(max_lat));
    const double cos_lat = std::cos(far_lat * M_PI / 180.0);
    // Parallel distance per degree at latitude phi is >= 111.3 km * cos(phi) (ellipsoid: larger).
    const double dlon = radius_m / (111000.0 * cos_lat) * 1.01;
    if (dlon >= 180.0) {
        return {-180.0, min_lat, 180.0, max_lat};
    }
    double min_lon = center.lon - dlon;
    double max_lon = center.lon + dlon;
    if (min_lon < -180.0) {
        min_lon += 360.0;
    }
    if (max_lon > 180.0) {
        max_lon -= 360.0;
    }
    return {min_lon, min_lat, max_lon, max_lat};
}

} // namespace incidentmap::geo
