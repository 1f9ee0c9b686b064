#pragma once

// The one GeoJSON rendering of an incident, over views of its fields: an Incident and a
// database row (the SpatiaLite export reads columns in place) give the same bytes.

#include "incidentmap/incidents/incident.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace incidentmap::incidents {

/// One incident as a GeoJSON Feature object. Thread-safe.
std::string incident_feature(const Incident& incident);
/// Appends one incident as a GeoJSON Feature object. Thread-safe.
void append_feature(std::string& out, const Incident& incident);

namespace detail {

/// An incident's fields as views into storage that outlives the rendering (an Incident, or the
/// current row of a statement).
struct IncidentFields {
    std::int64_t id = 0;
    std::string_view source_id;
    std::string_view event_date;
    std::optional<std::string_view> event_time;
    int time_precision = 1;
    std::string_view event_type;
    std::string_view sub_event_type;
    std::string_view actor1;
    std::string_view actor2;
    std::string_view country;
    std::string_view admin1;
    std::string_view admin2;
    std::string_view location;
    std::optional<std::int64_t> geonameid;
    geo::LonLat point;
    int geo_precision = 1;
    int fatalities = 0;
    int injured = 0;
    std::string_view source;
    std::string_view source_url;
    std::string_view notes;
    double confidence = 0.5;
    std::span<const Evidence> evidence;
    std::string_view created;
    std::string_view updated;
};

/// The fields of an incident, viewing its strings.
IncidentFields fields_of(const Incident& incident) noexcept;

/// Appends one incident as a GeoJSON Feature object (what append_feature writes). Thread-safe.
void append_feature(std::string& out, const IncidentFields& incident);

} // namespace detail

} // namespace incidentmap::incidents
