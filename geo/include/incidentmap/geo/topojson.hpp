#pragma once

// TopoJSON (https://github.com/topojson/topojson-specification): the polygon features of a
// topology such as world-atlas' countries or us-atlas' states and counties, decoded.

#include "incidentmap/geo/types.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace incidentmap::geo {

/// One feature of a TopoJSON object.
struct TopoFeature {
    std::string id;     ///< its "id", a string as given or a number as JSON ("840")
    std::string name;   ///< properties.name, or empty
    MultiPolygon shape; ///< its Polygon or MultiPolygon; empty for features of other types
};

/// The features of the object named `object` of a TopoJSON topology (of its first object when
/// there is no such one), their arcs joined into rings, quantized positions (a "transform")
/// decoded. Rings lose their closing point; rings of fewer than three points are dropped.
/// Throws InvalidInput, naming `where` (e.g. the file), when the value is not a topology with
/// arcs and objects or is malformed (an arc index out of range, a position that is no pair of
/// numbers). Thread-safe.
std::vector<TopoFeature> decode_topojson(const nlohmann::json& topology, const std::string& object,
                                         const std::string& where);

} // namespace incidentmap::geo
