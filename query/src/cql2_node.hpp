#pragma once

// The parsed form of a CQL2 filter: values, the queryable properties, and the node tree that the
// parser builds, the evaluator walks and the narrowing of the indexed filters reads. Internal to
// the query module.

#include "incidentmap/geo/predicates.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/query/query.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::incidents::cql2 {

namespace detail {

// --- values and properties (cql2_properties.cpp) --------------------------------------------

/// The type of a value; `null` is also the geometry's, which has no scalar value.
enum class Type { null, number, string, date, timestamp, boolean };

/// A queryable property: a field of the incident's table (incidents/fields.hpp), whose name,
/// type and description it takes, or the geometry (no field).
struct PropInfo {
    const char* name;
    std::optional<Field> field; ///< nullopt for the geometry
    Type type;
    const char* description;

    [[nodiscard]] constexpr bool is(Field f) const noexcept { return field == f; }
    [[nodiscard]] constexpr bool is_geometry() const noexcept { return !field; }
};

/// A scalar value of a filter or an incident.
struct Value {
    Type type = Type::null;
    double num = 0.0;
    std::string str; ///< strings; dates YYYY-MM-DD; timestamps YYYY-MM-DDTHH:MM:SS.fffZ
    bool boolean = false;
};

/// Every queryable property, in the order the queryables document lists them.
std::span<const PropInfo> properties() noexcept;

/// The property of that exact name, or nullptr.
const PropInfo* find_prop(std::string_view name) noexcept;

/// The type as error messages name it ("a number", "a date", ...).
const char* type_name(Type t) noexcept;

/// True for dates and timestamps.
inline bool temporal(Type t) noexcept {
    return t == Type::date || t == Type::timestamp;
}

/// The incident's value of the property (null when the incident has none).
Value get(const PropInfo& p, const Incident& i);

// --- instants (cql2_temporal.cpp) -------------------------------------------------------------

/// A UTC timestamp normalised to YYYY-MM-DDTHH:MM:SS.fffZ, so that timestamps compare as text;
/// nullopt when it is not one (or not in UTC).
std::optional<std::string> normalize_timestamp(std::string_view s);

/// The first and the last millisecond of a YYYY-MM-DD day, as normalised timestamps.
std::string day_start(const std::string& date);
std::string day_end(const std::string& date);

/// A date or timestamp value as a normalised timestamp (a date is its day's start).
std::string as_timestamp(const Value& v);

// --- the node tree --------------------------------------------------------------------------

enum class Cmp { eq, ne, lt, le, gt, ge };

enum class Temporal {
    after,
    before,
    contains,
    disjoint,
    during,
    equals,
    finishedby,
    finishes,
    intersects,
    meets,
    metby,
    overlappedby,
    overlaps,
    startedby,
    starts
};

/// A scalar operand: a property or a literal.
struct Operand {
    const PropInfo* prop = nullptr;
    Value literal;
    [[nodiscard]] Type type() const { return prop ? prop->type : literal.type; }
    [[nodiscard]] Value eval(const Incident& i) const { return prop ? get(*prop, i) : literal; }
};

/// A temporal operand: a property (its day, or its instant) or a literal interval.
struct Period {
    const PropInfo* prop = nullptr;
    std::string start; ///< normalised timestamp; "" = open start
    std::string end;   ///< normalised timestamp; "~" = open end
};

enum class Kind {
    and_,
    or_,
    not_,
    constant,
    compare,
    like,
    between,
    in,
    is_null,
    spatial,
    temporal
};

} // namespace detail

/// One node of a parsed filter; which members count depends on its kind.
struct Node {
    detail::Kind kind = detail::Kind::constant;
    std::vector<std::unique_ptr<Node>> kids; ///< and_, or_ (two or more), not_ (one)
    bool value = false;                      ///< constant
    detail::Cmp cmp = detail::Cmp::eq;
    detail::Operand a, b, c; ///< compare a ? b; between a b c; like a b; in a list; is_null a
    std::vector<detail::Operand> list; ///< in
    bool negated = false;              ///< NOT LIKE / NOT BETWEEN / NOT IN / IS NOT NULL
    geo::SpatialRelation spatial = geo::SpatialRelation::intersects;
    geo::GeometryCollection shape;
    bool shape_first = false; ///< S_WITHIN(shape, geometry): the roles swap
    detail::Temporal temporal = detail::Temporal::intersects;
    detail::Period ta, tb;
};

namespace detail {

// --- evaluation (cql2_eval.cpp, cql2_temporal.cpp) ------------------------------------------

/// Three-valued logic: a comparison with a null is unknown.
enum class Tri { no, yes, unknown };

/// The filter's truth for the incident.
Tri eval(const Node& n, const Incident& i);

/// The period's start and end for the incident: a date property is its whole day, a
/// timestamp property its instant, a literal itself.
Period period_of(const Period& p, const Incident& i);

/// True when "a <t> b" holds of the two periods (Allen's interval relations).
bool relate(Temporal t, const Period& a, const Period& b);

/// The relation that holds for (b, a) when t holds for (a, b).
Temporal converse(Temporal t) noexcept;

// --- narrowing (cql2_narrow.cpp) ------------------------------------------------------------

/// Tightens the indexed filters of q (bbox, dates, types, country, fatalities) by what every
/// incident the filter selects satisfies.
void narrow(const Node& n, IncidentQuery& q);

} // namespace detail

} // namespace incidentmap::incidents::cql2
