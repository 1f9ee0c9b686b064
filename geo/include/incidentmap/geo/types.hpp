#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace incidentmap::geo {

/// A WGS 84 position, longitude first. Plain value; validity is checked by `valid()`.
struct LonLat {
    double lon = 0.0;
    double lat = 0.0;

    /// True when both are finite, lon in [-180, 180] and lat in [-90, 90].
    [[nodiscard]] bool valid() const noexcept;
    friend bool operator==(const LonLat&, const LonLat&) = default;
};

/// A lon/lat box. `min_lon > max_lon` means the box crosses the antimeridian.
struct BBox {
    double min_lon = 0.0;
    double min_lat = 0.0;
    double max_lon = 0.0;
    double max_lat = 0.0;

    [[nodiscard]] bool valid() const noexcept;
    [[nodiscard]] bool crosses_antimeridian() const noexcept { return min_lon > max_lon; }
    /// True when p lies inside or on the edge of the box (antimeridian aware).
    [[nodiscard]] bool contains(LonLat p) const noexcept;
    /// Grows the box to include p (never produces an antimeridian-crossing box).
    void extend(LonLat p) noexcept;
    /// An empty box ready for extend().
    static BBox empty() noexcept;
    [[nodiscard]] bool is_empty() const noexcept { return min_lon > max_lon && min_lat > max_lat; }
};

/// A closed ring (first == last is allowed but not required).
using Ring = std::vector<LonLat>;

/// A polygon: the first ring is the outer boundary, the others are holes.
struct Polygon {
    std::vector<Ring> rings;
};

/// A set of polygons.
struct MultiPolygon {
    std::vector<Polygon> polygons;
};

/// Any geometry incidentmap reads from users.
using Geometry = std::variant<LonLat, Polygon, MultiPolygon>;

/// Parses "minLon,minLat,maxLon,maxLat". Throws InvalidInput with the reason when malformed,
/// non-finite or out of range. Thread-safe.
BBox parse_bbox(const std::string& text);

/// Parses "lon,lat". Throws InvalidInput when malformed or out of range. Thread-safe.
LonLat parse_lonlat(const std::string& text);

/// Parses a finite decimal number, the whole string. Returns nullopt otherwise. Thread-safe.
std::optional<double> parse_double(std::string_view text) noexcept;

/// True when p is inside the polygon (even-odd rule over all rings). Thread-safe.
bool contains(const Polygon& polygon, LonLat p) noexcept;
/// True when p is inside any of the polygons. Thread-safe.
bool contains(const MultiPolygon& mp, LonLat p) noexcept;
/// True when p is inside the geometry (a point geometry contains only itself). Thread-safe.
bool contains(const Geometry& g, LonLat p) noexcept;

/// The bounding box of the geometry.
BBox bounds(const Geometry& g) noexcept;

/// Area-weighted centroid of the largest polygon; falls back to a vertex mean. Thread-safe.
LonLat centroid(const MultiPolygon& mp) noexcept;

/// A point guaranteed to be inside the largest polygon of mp (its centroid when inside,
/// otherwise the middle of the widest inside span on the centroid's latitude).
LonLat representative_point(const MultiPolygon& mp) noexcept;

} // namespace incidentmap::geo
