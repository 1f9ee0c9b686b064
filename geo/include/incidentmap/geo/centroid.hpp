#pragma once

// Centres of point sets and of polygons on the sphere, across the antimeridian. (The planar
// centroid of the largest polygon is geo::centroid() in types.hpp.)

#include "incidentmap/geo/types.hpp"

#include <optional>
#include <vector>

namespace incidentmap::geo {

/// The middle of the extent of a set of points, taken across the antimeridian when they straddle
/// it (see unwrapped()). `points` must not be empty. Thread-safe.
LonLat extent_middle(const std::vector<LonLat>& points);

/// The mean over the cells of `cell` degrees that hold points, each cell counted once at the
/// mean of its points: the middle of the area the points cover rather than of their density.
/// Taken across the antimeridian like extent_middle(). `points` must not be empty. Thread-safe.
LonLat area_middle(const std::vector<LonLat>& points, double cell);

/// The area of a part of a region and the sum of the unit vectors (x towards lon 0, z towards
/// the north pole) over it, on the sphere. Moments of parts add up to the moment of the whole.
struct AreaMoment {
    double area = 0.0;
    double x = 0.0;
    double y = 0.0;
    double z = 0.0;
};

/// A quick moment of the polygon: its outer ring's planar centroid in the equal-area
/// (lon, sin lat) plane, weighted by the ring's area there (square degrees of longitude times
/// sin lat); holes are ignored. nullopt when the outer ring has fewer than three points or no
/// area. Thread-safe.
std::optional<AreaMoment> equal_area_moment(const Polygon& polygon);

/// The polygon's moment on the sphere, integrated row by row (rows of at most ~0.02 degrees of
/// latitude, at least 64) in the equal-area (lon, sin lat) plane, holes left out by the even-odd
/// rule; the area is in steradians. nullopt when the outer ring has fewer than three points or
/// no area. Thread-safe.
std::optional<AreaMoment> sphere_moment(const Polygon& polygon);

/// The direction of the summed moments of a region's main parts: those of at least a third of
/// the largest one's area, so that overseas parts and far islands (French Guiana, Alaska) do not
/// pull a centre off the mainland. `parts` must not be empty. Thread-safe.
LonLat main_parts_centre(const std::vector<AreaMoment>& parts);

/// The centre of the main polygons (see main_parts_centre()) of mp by their equal_area_moment():
/// cheaper than sphere_centroid(), and near it for polygons of moderate extent. When no polygon
/// has an area, representative_point(mp). Thread-safe.
LonLat equal_area_centroid(const MultiPolygon& mp);

/// The centroid on the sphere of the main polygons of mp by their sphere_moment(): how national
/// mapping agencies define a geographic centre (USGS: the contiguous United States' lies near
/// Lebanon, Kansas); a planar centroid of a wide country lies too far from the pole. When no
/// polygon has an area, representative_point(mp). Thread-safe.
LonLat sphere_centroid(const MultiPolygon& mp);

} // namespace incidentmap::geo
