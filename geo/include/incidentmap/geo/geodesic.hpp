#pragma once

#include "incidentmap/geo/types.hpp"

namespace incidentmap::geo {

/// Geodesic distance in metres between two points on the WGS 84 ellipsoid (PROJ geod_inverse).
/// Thread-safe.
double distance_m(LonLat a, LonLat b) noexcept;

/// The point reached from `from` going `distance_m` metres along azimuth `azimuth_deg`
/// (degrees clockwise from north) on the WGS 84 ellipsoid (PROJ geod_direct). Thread-safe.
LonLat destination(LonLat from, double azimuth_deg, double distance_m) noexcept;

/// A box that surely contains every point within `radius_m` of `center` (for index prefilters).
/// May cross the antimeridian; near a pole it spans all longitudes. Thread-safe.
BBox bbox_around(LonLat center, double radius_m) noexcept;

} // namespace incidentmap::geo
