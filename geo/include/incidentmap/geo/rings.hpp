#pragma once

// Points and rings across the antimeridian, and where rings cross a row: the groundwork of the
// centroids (centroid.hpp) and of anything that rasterises a polygon row by row.

#include "incidentmap/geo/types.hpp"

#include <vector>

namespace incidentmap::geo {

/// The points with each longitude moved by whole turns next to the one before it (179, -179
/// becomes 179, 181), so that means and extents are taken across the antimeridian. Latitudes are
/// unchanged; the result may hold longitudes outside [-180, 180]. Thread-safe.
std::vector<LonLat> unwrapped(std::vector<LonLat> points);

/// The point with its longitude brought back into [-180, 180] by whole turns. Thread-safe.
LonLat wrapped(LonLat p) noexcept;

/// The polygon's non-empty rings, each unwrapped (see unwrapped()) and shifted by whole turns
/// next to the outer ring's first point, so that a polygon cut at the antimeridian (Chukotka,
/// Fiji, the Aleutians) is whole. Empty when the polygon or its outer ring is. Thread-safe.
std::vector<Ring> unwrapped_rings(const Polygon& polygon);

/// Sets `xs` to the x (lon) where the rings' edges cross the line y = `y` (lat), sorted: the
/// interior, holes left out by the even-odd rule, lies between the first and the second, the
/// third and the fourth... Works in any plane (the rings need not hold degrees). `xs` is an
/// argument so that a caller scanning many rows reuses its storage. Thread-safe.
void row_crossings(const std::vector<Ring>& rings, double y, std::vector<double>& xs);

} // namespace incidentmap::geo
