#pragma once

#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/query/query.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

/// CQL2 text filters over incidents (OGC 21-065, as used by OGC API - Features - Part 3).
///
/// Supported: comparisons (= <> < <= > >=), AND, OR, NOT, parentheses, TRUE/FALSE, LIKE,
/// BETWEEN, IN, IS [NOT] NULL; S_INTERSECTS, S_DISJOINT, S_EQUALS, S_WITHIN, S_CONTAINS,
/// S_TOUCHES, S_CROSSES, S_OVERLAPS with POINT, MULTIPOINT, LINESTRING, MULTILINESTRING,
/// POLYGON, MULTIPOLYGON, GEOMETRYCOLLECTION and BBOX literals in CRS84; T_AFTER, T_BEFORE,
/// T_CONTAINS, T_DISJOINT, T_DURING, T_EQUALS, T_FINISHEDBY, T_FINISHES, T_INTERSECTS, T_MEETS,
/// T_METBY, T_OVERLAPPEDBY, T_OVERLAPS, T_STARTEDBY, T_STARTS with DATE, TIMESTAMP and
/// INTERVAL literals. Keywords are case-insensitive; property names are the incident's
/// GeoJSON properties plus `geometry`.
namespace incidentmap::incidents::cql2 {

struct Node;

/// A parsed filter. Cheap to copy; evaluation is thread-safe.
class Filter {
public:
    /// Parses cql2-text. Throws InvalidInput naming the character position and what was
    /// expected, an unknown property, or a comparison of mismatched types.
    static Filter parse(std::string_view text);

    /// True when the incident satisfies the filter (a comparison with a null is unknown,
    /// and unknown does not select). Thread-safe.
    [[nodiscard]] bool operator()(const Incident& incident) const;

    /// Adds the filter to a query: sets its predicate, and tightens the indexed filters
    /// (bbox, dates, types, country, fatalities) with what every match must satisfy, so the
    /// store's indexes narrow the scan before the predicate runs.
    void apply_to(IncidentQuery& query) const;

private:
    std::shared_ptr<const Node> m_root;
};

/// A property a filter may name, with its JSON Schema type.
struct Queryable {
    std::string name;
    std::string type;   ///< "string", "integer", "number" or "" for the geometry
    std::string format; ///< "date", "date-time", "geometry-point" or ""
    std::string description;
};

/// The queryable properties of the incidents collection.
const std::vector<Queryable>& queryables();

} // namespace incidentmap::incidents::cql2
