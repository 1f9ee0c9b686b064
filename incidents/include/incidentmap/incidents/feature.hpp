#pragma once

// The one GeoJSON rendering of an incident, over views of its fields (detail::IncidentFields):
// an Incident and a database row (the SpatiaLite export reads columns in place) give the same
// bytes. Its properties are the field table's (fields.hpp), in the table's order.

#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/incidents/incident.hpp"

#include <string>

namespace incidentmap::incidents {

/// One incident as a GeoJSON Feature object. Thread-safe.
std::string incident_feature(const Incident& incident);
/// Appends one incident as a GeoJSON Feature object. Thread-safe.
void append_feature(std::string& out, const Incident& incident);

namespace detail {

/// Appends one incident as a GeoJSON Feature object (what append_feature writes). Thread-safe.
void append_feature(std::string& out, const IncidentFields& incident);

} // namespace detail

} // namespace incidentmap::incidents
