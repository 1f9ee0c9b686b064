#include "incidentmap/geo/predicates.hpp"

#include <algorithm>
#include <cmath>

namespace incidentmap::geo {

namespace {

// A point contains (or equals) g only when g is that point, however often repeated.
bool only_points_at(const GeometryCollection& g, LonLat p) noexcept {
    return g.lines.empty() && g.polygons.empty() && g.boxes.empty() && !g.points.empty() &&
           std::all_of(g.points.begin(), g.points.end(), [&](LonLat q) { return q == p; });
}

} // namespace

SpatialRelation converse(SpatialRelation relation) noexcept {
    switch (relation) {
    case SpatialRelation::within:
        return SpatialRelation::contains;
    case SpatialRelation::contains:
        return SpatialRelation::within;
    default:
        return relation;
    }
}

bool on_segment(LonLat a, LonLat b, LonLat p) noexcept {
    const double cross = (b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon);
    const double scale = std::max({std::abs(b.lon - a.lon), std::abs(b.lat - a.lat), 1e-300});
    if (std::abs(cross) > 1e-12 * scale) {
        return false;
    }
    return p.lon >= std::min(a.lon, b.lon) && p.lon <= std::max(a.lon, b.lon) &&
           p.lat >= std::min(a.lat, b.lat) && p.lat <= std::max(a.lat, b.lat);
}

bool on_line(const LineString& line, LonLat p) noexcept {
    if (line.size() == 1) {
        return line[0] == p;
    }
    for (std::size_t k = 1; k < line.size(); ++k) {
        if (on_segment(line[k - 1], line[k], p)) {
            return true;
        }
    }
    return false;
}

bool on_edge(const BBox& box, LonLat p) noexcept {
    if (!box.contains(p)) {
        return false;
    }
    return p.lon == box.min_lon || p.lon == box.max_lon || p.lat == box.min_lat ||
           p.lat == box.max_lat;
}

bool on_boundary(const Polygon& polygon, LonLat p) noexcept {
    return std::any_of(polygon.rings.begin(), polygon.rings.end(), [&](const Ring& ring) {
        // Rings need not repeat their first position (types.hpp); the closing edge counts.
        return on_line(ring, p) || (ring.size() > 1 && !(ring.front() == ring.back()) &&
                                    on_segment(ring.back(), ring.front(), p));
    });
}

bool on_boundary(const GeometryCollection& g, LonLat p) noexcept {
    for (const auto& polygon : g.polygons) {
        if (on_boundary(polygon, p)) {
            return true;
        }
    }
    for (const auto& box : g.boxes) {
        if (on_edge(box, p)) {
            return true;
        }
    }
    for (const auto& line : g.lines) {
        if (line.size() > 1 && !(line.front() == line.back()) &&
            (line.front() == p || line.back() == p)) {
            return true;
        }
    }
    return false;
}

bool intersects(const GeometryCollection& g, LonLat p) noexcept {
    for (const auto& q : g.points) {
        if (q == p) {
            return true;
        }
    }
    for (const auto& line : g.lines) {
        if (on_line(line, p)) {
            return true;
        }
    }
    for (const auto& polygon : g.polygons) {
        // The even-odd test leaves points on the rings undecided; the rings belong to it.
        if (contains(polygon, p) || on_boundary(polygon, p)) {
            return true;
        }
    }
    for (const auto& box : g.boxes) {
        if (box.contains(p)) {
            return true;
        }
    }
    return false;
}

bool relate(LonLat p, SpatialRelation relation, const GeometryCollection& g) noexcept {
    switch (relation) {
    case SpatialRelation::intersects:
        return intersects(g, p);
    case SpatialRelation::disjoint:
        return !intersects(g, p);
    case SpatialRelation::equals:
    case SpatialRelation::contains:
        return only_points_at(g, p);
    case SpatialRelation::within:
        return intersects(g, p) && !on_boundary(g, p);
    case SpatialRelation::touches:
        return on_boundary(g, p);
    case SpatialRelation::crosses:
    case SpatialRelation::overlaps:
        // Both need the intersection to have a dimension a single point does not have.
        return false;
    }
    return false;
}

bool relate(const GeometryCollection& g, SpatialRelation relation, LonLat p) noexcept {
    return relate(p, converse(relation), g);
}

std::optional<BBox> bounding_box(const GeometryCollection& g) noexcept {
    if (g.boxes.size() == 1 && g.points.empty() && g.lines.empty() && g.polygons.empty()) {
        return g.boxes[0];
    }
    BBox box = BBox::empty();
    for (const auto& b : g.boxes) {
        if (b.crosses_antimeridian()) {
            return std::nullopt;
        }
        box.extend({b.min_lon, b.min_lat});
        box.extend({b.max_lon, b.max_lat});
    }
    for (const auto& p : g.points) {
        box.extend(p);
    }
    for (const auto& line : g.lines) {
        for (const auto& p : line) {
            box.extend(p);
        }
    }
    for (const auto& polygon : g.polygons) {
        for (const auto& ring : polygon.rings) {
            for (const auto& p : ring) {
                box.extend(p);
            }
        }
    }
    if (box.is_empty()) {
        return std::nullopt;
    }
    return box;
}

} // namespace incidentmap::geo
