#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace incidentmap::api::detail {

/// The incidents collection's schema (OGC API - Features Part 5): a JSON Schema 2020-12 of a
/// feature's properties made from the field table, typed (a nullable field's type is its type
/// or null), with the roles id, primary-geometry and primary-instant; `id` is its $id.
nlohmann::json incident_feature_schema(const std::string& id);

} // namespace incidentmap::api::detail
