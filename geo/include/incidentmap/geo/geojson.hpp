#pragma once

#include "incidentmap/geo/types.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace incidentmap::geo {

/// Parses a GeoJSON geometry (Point, Polygon, MultiPolygon), or a Feature holding one, strictly:
/// finite positions in range, closed rings of at least four positions, at most `max_vertices`
/// positions in all. Throws InvalidInput saying where and why. Thread-safe.
Geometry parse_geojson_geometry(std::string_view text, std::size_t max_vertices = 100000);

/// Same, from an already parsed JSON value. `where` names the value in error messages.
Geometry geometry_from_json(const nlohmann::json& j, std::size_t max_vertices = 100000,
                            const std::string& where = "geometry");

/// Appends `value` to `out` as a JSON string literal (quotes included), escaping per RFC 8259.
/// Invalid UTF-8 sequences are replaced with U+FFFD. Thread-safe.
void append_json_string(std::string& out, std::string_view value);

/// Appends a coordinate with at most 6 decimals and no trailing zeros. Thread-safe.
void append_coordinate(std::string& out, double value);

/// Appends `[lon,lat]` with 6 decimals. Thread-safe.
void append_position(std::string& out, LonLat p);

/// Writes the geometry as a GeoJSON geometry object. Thread-safe.
void append_geometry(std::string& out, const Geometry& g);

} // namespace incidentmap::geo
