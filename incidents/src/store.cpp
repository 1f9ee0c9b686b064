#include "incidentmap/incidents/store.hpp"
#include "incidentmap/geo/error.hpp"
#include "incidentmap/geo/geodesic.hpp"

#include <algorithm>

namespace incidentmap::incidents {

std::unique_ptr<IncidentStore> open_store(const std::string& location) {
    if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
        throw InvalidInput(
            "the PostGIS backend is not available in this build yet; use a file path");
    }
    return open_spatialite_store(location);
}

void validate(const IncidentQuery& q, std::size_t max_limit) {
    if (q.bbox && !q.bbox->valid()) {
        throw InvalidInput("bbox is out of range");
    }
    if (q.near.has_value() != q.radius_km.has_value()) {
        throw InvalidInput("near and radius_km go together");
    }
    if (q.near && !q.near->valid()) {
        throw InvalidInput("near is out of range");
    }
    if (q.radius_km && (!(*q.radius_km > 0.0) || *q.radius_km > 20038.0)) {
        throw InvalidInput("radius_km must be greater than 0 and at most 20038 (half the equator)");
    }
    if (q.since && !is_iso_date(*q.since)) {
        throw InvalidInput("since must be a date YYYY-MM-DD");
    }
    if (q.until && !is_iso_date(*q.until)) {
        throw InvalidInput("until must be a date YYYY-MM-DD");
    }
    if (q.since && q.until && *q.since > *q.until) {
        throw InvalidInput("since is after until");
    }
    for (const auto& t : q.types) {
        if (!is_event_type(t)) {
            throw InvalidInput("unknown event type '" + t.substr(0, 60) + "'");
        }
    }
    for (const auto& t : q.sub_types) {
        if (!is_sub_event_type(t)) {
            throw InvalidInput("unknown sub-event type '" + t.substr(0, 60) + "'");
        }
    }
    if (q.min_fatalities && *q.min_fatalities < 0) {
        throw InvalidInput("min_fatalities cannot be negative");
    }
    if (q.limit == 0 || q.limit > max_limit) {
        throw InvalidInput("limit must be between 1 and " + std::to_string(max_limit));
    }
    if (q.text && q.text->size() > 500) {
        throw InvalidInput("the text query is too long (at most 500 bytes)");
    }
}

bool matches(const IncidentQuery& q, const Incident& i) {
    if (q.bbox && !q.bbox->contains(i.point)) {
        return false;
    }
    if (q.near && q.radius_km && geo::distance_m(*q.near, i.point) > *q.radius_km * 1000.0) {
        return false;
    }
    if (q.within && !geo::contains(*q.within, i.point)) {
        return false;
    }
    if (q.since && i.event_date < *q.since) {
        return false;
    }
    if (q.until && i.event_date > *q.until) {
        return false;
    }
    if (!q.types.empty() &&
        std::find(q.types.begin(), q.types.end(), i.event_type) == q.types.end()) {
        return false;
    }
    if (!q.sub_types.empty() &&
        std::find(q.sub_types.begin(), q.sub_types.end(), i.sub_event_type) == q.sub_types.end()) {
        return false;
    }
    if (q.min_fatalities && i.fatalities < *q.min_fatalities) {
        return false;
    }
    if (!q.country.empty() && i.country != q.country) {
        return false;
    }
    if (!q.admin1.empty() && i.admin1 != q.admin1) {
        return false;
    }
    return true;
}

} // namespace incidentmap::incidents
