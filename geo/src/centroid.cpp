#include "incidentmap/geo/centroid.hpp"
#include "incidentmap/geo/rings.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace incidentmap::geo {

namespace {

constexpr double deg = 3.14159265358979323846 / 180.0;

bool has_outer_ring(const Polygon& polygon) noexcept {
    return !polygon.rings.empty() && polygon.rings.front().size() >= 3;
}

// The centre of the main parts of mp by `moment`, else a point inside its largest polygon.
template <typename MomentOf> LonLat main_parts_centroid(const MultiPolygon& mp, MomentOf moment) {
    std::vector<AreaMoment> parts;
    for (const auto& poly : mp.polygons) {
        if (auto m = moment(poly)) {
            parts.push_back(*m);
        }
    }
    return parts.empty() ? representative_point(mp) : main_parts_centre(parts);
}

} // namespace

LonLat extent_middle(const std::vector<LonLat>& points) {
    auto pts = unwrapped(points);
    auto [lo_lon, hi_lon] = std::minmax_element(
        pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.lon < b.lon; });
    auto [lo_lat, hi_lat] = std::minmax_element(
        pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.lat < b.lat; });
    return wrapped({(lo_lon->lon + hi_lon->lon) / 2.0, (lo_lat->lat + hi_lat->lat) / 2.0});
}

LonLat area_middle(const std::vector<LonLat>& points, double cell) {
    auto pts = unwrapped(points);
    std::map<std::pair<long, long>, std::tuple<double, double, int>> cells;
    for (const auto& p : pts) {
        auto& [x, y, n] =
            cells[{std::lround(std::floor(p.lon / cell)), std::lround(std::floor(p.lat / cell))}];
        x += p.lon;
        y += p.lat;
        ++n;
    }
    double sx = 0.0;
    double sy = 0.0;
    for (const auto& [key, sum] : cells) {
        const auto& [x, y, n] = sum;
        sx += x / n;
        sy += y / n;
    }
    const auto k = static_cast<double>(cells.size());
    return wrapped({sx / k, sy / k});
}

std::optional<AreaMoment> equal_area_moment(const Polygon& polygon) {
    if (!has_outer_ring(polygon)) {
        return std::nullopt;
    }
    auto ring = unwrapped(polygon.rings.front());
    double a = 0.0;
    double cx = 0.0;
    double cy = 0.0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const double x0 = ring[j].lon;
        const double y0 = std::sin(ring[j].lat * deg);
        const double x1 = ring[i].lon;
        const double y1 = std::sin(ring[i].lat * deg);
        const double f = x0 * y1 - x1 * y0;
        a += f;
        cx += (x0 + x1) * f;
        cy += (y0 + y1) * f;
    }
    if (a == 0.0) {
        return std::nullopt;
    }
    const double area = std::abs(a / 2.0);
    const double lon = cx / (3.0 * a);
    const double lat = std::asin(std::clamp(cy / (3.0 * a), -1.0, 1.0)) / deg;
    return AreaMoment{area, area * std::cos(lat * deg) * std::cos(lon * deg),
                      area * std::cos(lat * deg) * std::sin(lon * deg), area * std::sin(lat * deg)};
}

std::optional<AreaMoment> sphere_moment(const Polygon& polygon) {
    if (!has_outer_ring(polygon)) {
        return std::nullopt;
    }
    // The rings in the equal-area plane: lon in radians, and sin lat held in `lat`.
    auto rings = unwrapped_rings(polygon);
    double lo = 1.0;
    double hi = -1.0;
    for (auto& ring : rings) {
        for (auto& p : ring) {
            p = {p.lon * deg, std::sin(p.lat * deg)};
            lo = std::min(lo, p.lat);
            hi = std::max(hi, p.lat);
        }
    }
    const double span = std::asin(hi) / deg - std::asin(lo) / deg;
    const int rows = std::clamp(static_cast<int>(span / 0.02), 64, 20000);
    const double dy = (hi - lo) / rows;
    AreaMoment m;
    std::vector<double> xs;
    for (int k = 0; k < rows; ++k) {
        const double y = lo + (k + 0.5) * dy;
        row_crossings(rings, y, xs);
        const double c = std::sqrt(std::max(0.0, 1.0 - y * y)); // cos lat
        for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
            const double a = xs[i];
            const double b = xs[i + 1];
            m.area += dy * (b - a);
            m.x += dy * c * (std::sin(b) - std::sin(a));
            m.y += dy * c * (std::cos(a) - std::cos(b));
            m.z += dy * y * (b - a);
        }
    }
    if (m.area > 0.0) {
        return m;
    }
    return std::nullopt;
}

LonLat main_parts_centre(const std::vector<AreaMoment>& parts) {
    double largest = 0.0;
    for (const auto& m : parts) {
        largest = std::max(largest, m.area);
    }
    AreaMoment sum;
    for (const auto& m : parts) {
        if (m.area >= largest / 3.0) {
            sum.x += m.x;
            sum.y += m.y;
            sum.z += m.z;
        }
    }
    return wrapped(
        {std::atan2(sum.y, sum.x) / deg, std::atan2(sum.z, std::hypot(sum.x, sum.y)) / deg});
}

LonLat equal_area_centroid(const MultiPolygon& mp) {
    return main_parts_centroid(mp, equal_area_moment);
}

LonLat sphere_centroid(const MultiPolygon& mp) {
    return main_parts_centroid(mp, sphere_moment);
}

} // namespace incidentmap::geo
