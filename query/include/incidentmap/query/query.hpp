#pragma once

#include "incidentmap/geo/types.hpp"
#include "incidentmap/incidents/incident.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace incidentmap::incidents {

/// A combinable query over incidents. Every member is optional; all given ones must hold.
struct IncidentQuery {
    std::optional<geo::BBox> bbox; ///< may cross the antimeridian
    /// With radius_km: a geodesic distance filter. With sort == distance and no radius_km:
    /// k-nearest (k = limit), nearest first.
    std::optional<geo::LonLat> near;
    std::optional<double> radius_km;
    std::optional<geo::Geometry> within; ///< Polygon or MultiPolygon
    std::optional<std::string> since;    ///< inclusive YYYY-MM-DD
    std::optional<std::string> until;    ///< inclusive YYYY-MM-DD
    std::vector<std::string> types;      ///< any of these event types
    std::vector<std::string> sub_types;  ///< any of these sub-event types
    std::optional<int> min_fatalities;
    std::optional<std::string> text; ///< full-text query over notes, evidence, location
    std::string country;             ///< ISO alpha-2
    std::string admin1;              ///< "16" with country, or a name
    enum class Sort {
        event_date_desc,
        event_date_asc,
        id_asc,
        distance ///< geodesic distance from `near`, nearest first
    } sort = Sort::event_date_desc;
    std::size_t limit = 100;
    std::size_t offset = 0;
    /// Keyset paging: the next_cursor of the previous page (exclusive with offset).
    std::optional<std::string> cursor;
    /// Only ids in [first, second] (parallel exports split the table by id).
    std::optional<std::pair<std::int64_t, std::int64_t>> id_range;
    bool count_matched = true; ///< compute numberMatched
    /// Any further condition (a CQL2 filter), checked after the others; must be thread-safe.
    std::function<bool(const Incident&)> predicate;
};

/// One page of results.
struct QueryResult {
    std::vector<Incident> incidents;
    std::optional<std::size_t> number_matched; ///< matches of the filters (cursor ignored)
    std::optional<std::string> next_cursor;    ///< set when more matches may follow
};

/// Keyset cursors: opaque strings that name the last row of a page in its sort order.
struct Cursor {
    IncidentQuery::Sort sort = IncidentQuery::Sort::event_date_desc;
    std::string event_date; ///< date sorts
    double distance_m = 0;  ///< distance sort
    std::int64_t id = 0;
};
/// Encodes the position after `last` in `query`'s sort order.
std::string make_cursor(const IncidentQuery& query, const Incident& last);
/// Decodes a cursor; throws InvalidInput when malformed or made for a different sort.
Cursor parse_cursor(const std::string& text, IncidentQuery::Sort expected);
/// True when the incident comes after the cursor in its sort order. Thread-safe.
bool after_cursor(const Cursor& cursor, const Incident& incident, double distance_m);

/// Validates a query: ranges, dates, radius, limit (at most `max_limit`), sort and cursor.
/// Throws InvalidInput.
void validate(const IncidentQuery& query, std::size_t max_limit = 10000);

/// True when the incident satisfies every spatial, temporal and attribute filter of the query
/// and its predicate, except text (the reference semantics every backend must match).
/// Thread-safe.
bool matches(const IncidentQuery& query, const Incident& incident);

namespace detail {

/// The words of a full-text query: letters and digits (any script); everything else,
/// operators and quotes included, separates words. Every word must match.
std::vector<std::string> query_words(const std::string& text);

} // namespace detail

} // namespace incidentmap::incidents
