#include "incidentmap/geo/rings.hpp"

#include <algorithm>
#include <cmath>

namespace incidentmap::geo {

std::vector<LonLat> unwrapped(std::vector<LonLat> points) {
    for (std::size_t i = 1; i < points.size(); ++i) {
        const double ref = points[i - 1].lon;
        while (points[i].lon - ref > 180.0) {
            points[i].lon -= 360.0;
        }
        while (points[i].lon - ref < -180.0) {
            points[i].lon += 360.0;
        }
    }
    return points;
}

LonLat wrapped(LonLat p) noexcept {
    while (p.lon > 180.0) {
        p.lon -= 360.0;
    }
    while (p.lon < -180.0) {
        p.lon += 360.0;
    }
    return p;
}

std::vector<Ring> unwrapped_rings(const Polygon& polygon) {
    std::vector<Ring> rings;
    if (polygon.rings.empty() || polygon.rings.front().empty()) {
        return rings;
    }
    const double ref = polygon.rings.front().front().lon;
    for (const auto& raw : polygon.rings) {
        if (raw.empty()) {
            continue;
        }
        auto ring = unwrapped(raw);
        const double shift = std::round((ref - ring.front().lon) / 360.0) * 360.0;
        for (auto& p : ring) {
            p.lon += shift;
        }
        rings.push_back(std::move(ring));
    }
    return rings;
}

void row_crossings(const std::vector<Ring>& rings, double y, std::vector<double>& xs) {
    xs.clear();
    for (const auto& ring : rings) {
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const auto& a = ring[j];
            const auto& b = ring[i];
            if ((a.lat <= y) != (b.lat <= y)) {
                xs.push_back(a.lon + (y - a.lat) / (b.lat - a.lat) * (b.lon - a.lon));
            }
        }
    }
    std::sort(xs.begin(), xs.end());
}

} // namespace incidentmap::geo
