#pragma once

#include "incidentmap/geo/types.hpp"

#include <optional>
#include <vector>

/// Spatial predicates of a point against plain geometries: the named relations of OGC Simple
/// Features (DE-9IM), in the plane of longitude and latitude (an edge is the straight segment
/// between its ends in degrees). Everything here is a pure function of its arguments: noexcept
/// and thread-safe.
namespace incidentmap::geo {

/// A line through its positions in order; closed (a ring, no boundary) when first == last.
using LineString = std::vector<LonLat>;

/// Geometries of any kind taken together, as a GEOMETRYCOLLECTION (or one geometry: a single
/// point, line, polygon or box). Boxes stay boxes, so they may cross the antimeridian.
struct GeometryCollection {
    std::vector<LonLat> points;
    std::vector<LineString> lines;
    std::vector<Polygon> polygons;
    std::vector<BBox> boxes;
};

/// The named spatial relations, read as "a <relation> b".
enum class SpatialRelation {
    intersects,
    disjoint,
    equals,
    within,
    contains,
    touches,
    crosses,
    overlaps
};

/// The relation that holds for (b, a) when `relation` holds for (a, b): within and contains
/// swap, the others are symmetric.
SpatialRelation converse(SpatialRelation relation) noexcept;

/// True when p lies on the segment from a to b, ends included (collinear within 1e-12 of the
/// segment's larger extent).
bool on_segment(LonLat a, LonLat b, LonLat p) noexcept;

/// True when p lies on one of the line's segments; a line of one position holds only it.
bool on_line(const LineString& line, LonLat p) noexcept;

/// True when p lies on the edge of the box (antimeridian aware).
bool on_edge(const BBox& box, LonLat p) noexcept;

/// True when p lies on one of the polygon's rings, the outer one or a hole's (a ring whose last
/// position differs from its first is closed by the edge between them).
bool on_boundary(const Polygon& polygon, LonLat p) noexcept;

/// True when p lies on the boundary of a member: a polygon's rings, a box's edges, the two ends
/// of an open line. Points and closed lines have no boundary.
bool on_boundary(const GeometryCollection& g, LonLat p) noexcept;

/// True when p lies on or inside a member: equal to a point, on a line, inside a polygon (its
/// holes excluded) or on its rings, inside a box or on its edges.
bool intersects(const GeometryCollection& g, LonLat p) noexcept;

/// True when "p <relation> g" holds: intersects and disjoint as above; touches = on the
/// boundary; within = intersects and not on the boundary; contains and equals = g is points
/// all equal to p; crosses and overlaps are never true of a single point.
bool relate(LonLat p, SpatialRelation relation, const GeometryCollection& g) noexcept;

/// True when "g <relation> p" holds (the converse relation of p to g).
bool relate(const GeometryCollection& g, SpatialRelation relation, LonLat p) noexcept;

/// A box holding every member of g: a lone box as it is (it may cross the antimeridian), else
/// the box around all positions. nullopt when g is empty or holds an antimeridian-crossing box
/// beside other members (no single box of this kind would hold them).
std::optional<BBox> bounding_box(const GeometryCollection& g) noexcept;

} // namespace incidentmap::geo
