#pragma once

// The incident's scalar fields in one table: for each its name (the GeoJSON property and the SQL
// column), its type, whether it may be null, whether the store assigns it, its ACLED column and
// a description, with typed access to its value on an Incident. What lists the fields elsewhere
// (the GeoJSON rendering and reader, the SQL of both stores, the ACLED exports and import, the
// CQL2 queryables, the OpenAPI documents' incident schema) is derived from it.

#include "incidentmap/incidents/incident.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace incidentmap::incidents {

/// What a field holds. Integers and numbers are JSON numbers; the others are JSON strings.
enum class FieldType : std::uint8_t {
    integer,   ///< a whole number: an id, a code, a count
    number,    ///< a real number
    text,      ///< UTF-8 text
    date,      ///< an ISO 8601 date, YYYY-MM-DD
    time,      ///< a time of day, HH:MM
    timestamp, ///< an ISO 8601 UTC date and time, YYYY-MM-DDTHH:MM:SSZ
    object,    ///< a JSON object, held as its text (SQL text) and written as JSON, not a string
};

/// True for the types held as text (SQL text; a JSON string, or an object's JSON text).
/// Thread-safe.
constexpr bool is_textual(FieldType type) noexcept {
    return type != FieldType::integer && type != FieldType::number;
}

/// The incident's scalar fields, in the order of its GeoJSON properties; lon and lat (the point)
/// are its geometry instead. The evidence, a list of its own, is not a field.
enum class Field : std::uint8_t {
    id,
    event_date,
    event_time,
    time_precision,
    event_type,
    sub_event_type,
    actor1,
    actor2,
    country,
    admin1,
    admin2,
    location,
    geonameid,
    lon,
    lat,
    geo_precision,
    fatalities,
    injured,
    source,
    source_url,
    source_id,
    notes,
    confidence,
    created,
    updated,
    attributes,
};

/// One field of the table.
struct FieldInfo {
    Field field;
    std::string_view name; ///< the GeoJSON property and the SQL column
    FieldType type;
    bool nullable = false; ///< may be null: JSON null, SQL NULL, an empty std::optional
    bool assigned = false; ///< set by the store (id, created, updated), never by a writer
    bool geometry = false; ///< a coordinate of the point (the Feature's geometry), no property
    std::string_view acled = {};       ///< ACLED's column for it, empty where ACLED has none
    std::string_view description = {}; ///< one line, for documents and messages
};

/// The table, in the order of Field.
inline constexpr std::array<FieldInfo, 26> fields{{
    {.field = Field::id,
     .name = "id",
     .type = FieldType::integer,
     .assigned = true,
     .description = "incident id"},
    {.field = Field::event_date,
     .name = "event_date",
     .type = FieldType::date,
     .acled = "event_date",
     .description = "day of the event"},
    {.field = Field::event_time,
     .name = "event_time",
     .type = FieldType::time,
     .nullable = true,
     .description = "HH:MM when known, else null"},
    {.field = Field::time_precision,
     .name = "time_precision",
     .type = FieldType::integer,
     .acled = "time_precision",
     .description = "1 day, 2 week, 3 month"},
    {.field = Field::event_type,
     .name = "event_type",
     .type = FieldType::text,
     .acled = "event_type",
     .description = "ACLED event type"},
    {.field = Field::sub_event_type,
     .name = "sub_event_type",
     .type = FieldType::text,
     .acled = "sub_event_type",
     .description = "ACLED sub-event type"},
    {.field = Field::actor1,
     .name = "actor1",
     .type = FieldType::text,
     .acled = "actor1",
     .description = "first actor"},
    {.field = Field::actor2,
     .name = "actor2",
     .type = FieldType::text,
     .acled = "actor2",
     .description = "second actor"},
    // ACLED writes the country's name there (and a numeric code in iso); we keep the code.
    {.field = Field::country,
     .name = "country",
     .type = FieldType::text,
     .acled = "country",
     .description = "ISO 3166-1 alpha-2 code"},
    {.field = Field::admin1,
     .name = "admin1",
     .type = FieldType::text,
     .acled = "admin1",
     .description = "first-level region code"},
    {.field = Field::admin2,
     .name = "admin2",
     .type = FieldType::text,
     .acled = "admin2",
     .description = "second-level region code"},
    {.field = Field::location,
     .name = "location",
     .type = FieldType::text,
     .acled = "location",
     .description = "place name"},
    {.field = Field::geonameid,
     .name = "geonameid",
     .type = FieldType::integer,
     .nullable = true,
     .description = "GeoNames id of the place, or null"},
    {.field = Field::lon,
     .name = "lon",
     .type = FieldType::number,
     .geometry = true,
     .acled = "longitude",
     .description = "longitude (WGS 84)"},
    {.field = Field::lat,
     .name = "lat",
     .type = FieldType::number,
     .geometry = true,
     .acled = "latitude",
     .description = "latitude (WGS 84)"},
    {.field = Field::geo_precision,
     .name = "geo_precision",
     .type = FieldType::integer,
     .acled = "geo_precision",
     .description = "1 the place, 2 near it or part of a region, 3 region or country"},
    {.field = Field::fatalities,
     .name = "fatalities",
     .type = FieldType::integer,
     .acled = "fatalities",
     .description = "people killed"},
    {.field = Field::injured,
     .name = "injured",
     .type = FieldType::integer,
     .description = "people injured"},
    {.field = Field::source,
     .name = "source",
     .type = FieldType::text,
     .acled = "source",
     .description = "source of the report"},
    {.field = Field::source_url,
     .name = "source_url",
     .type = FieldType::text,
     .description = "link to the report"},
    {.field = Field::source_id,
     .name = "source_id",
     .type = FieldType::text,
     .acled = "event_id_cnty",
     .description = "external id (ACLED, UCDP)"},
    {.field = Field::notes,
     .name = "notes",
     .type = FieldType::text,
     .acled = "notes",
     .description = "summary"},
    {.field = Field::confidence,
     .name = "confidence",
     .type = FieldType::number,
     .description = "0 to 1"},
    {.field = Field::created,
     .name = "created",
     .type = FieldType::timestamp,
     .assigned = true,
     .description = "when stored (UTC)"},
    {.field = Field::updated,
     .name = "updated",
     .type = FieldType::timestamp,
     .assigned = true,
     .acled = "timestamp",
     .description = "when last changed (UTC)"},
    {.field = Field::attributes,
     .name = "attributes",
     .type = FieldType::object,
     .nullable = true,
     .description = "further attributes of the source (its columns no field holds): one flat "
                    "JSON object"},
}};

/// The number of fields.
inline constexpr std::size_t field_count = fields.size();

/// The position of a field in the table (and in Field). Thread-safe.
constexpr std::size_t index_of(Field field) noexcept {
    return static_cast<std::size_t>(field);
}

/// A field's row of the table. Thread-safe.
constexpr const FieldInfo& info(Field field) noexcept {
    return fields[index_of(field)];
}

/// The column a field has in ACLED-style files (the flat exports, the ACLED import): ACLED's
/// name where ACLED has the field, else its own. Thread-safe.
constexpr std::string_view acled_or_own_name(Field field) noexcept {
    return info(field).acled.empty() ? info(field).name : info(field).acled;
}

/// The field of a name (a GeoJSON property, an SQL column); nullptr when there is none.
/// Thread-safe.
const FieldInfo* find_field(std::string_view name) noexcept;

/// The Incident member that holds a field, as a reference: read it or assign through it. The
/// point's coordinates are members of Incident::point. Thread-safe for distinct incidents.
template <Field F, typename I>
requires std::is_same_v<std::remove_const_t<I>, Incident>
constexpr auto& member(I& i) noexcept {
    if constexpr (F == Field::id) {
        return i.id;
    } else if constexpr (F == Field::event_date) {
        return i.event_date;
    } else if constexpr (F == Field::event_time) {
        return i.event_time;
    } else if constexpr (F == Field::time_precision) {
        return i.time_precision;
    } else if constexpr (F == Field::event_type) {
        return i.event_type;
    } else if constexpr (F == Field::sub_event_type) {
        return i.sub_event_type;
    } else if constexpr (F == Field::actor1) {
        return i.actor1;
    } else if constexpr (F == Field::actor2) {
        return i.actor2;
    } else if constexpr (F == Field::country) {
        return i.country;
    } else if constexpr (F == Field::admin1) {
        return i.admin1;
    } else if constexpr (F == Field::admin2) {
        return i.admin2;
    } else if constexpr (F == Field::location) {
        return i.location;
    } else if constexpr (F == Field::geonameid) {
        return i.geonameid;
    } else if constexpr (F == Field::lon) {
        return i.point.lon;
    } else if constexpr (F == Field::lat) {
        return i.point.lat;
    } else if constexpr (F == Field::geo_precision) {
        return i.geo_precision;
    } else if constexpr (F == Field::fatalities) {
        return i.fatalities;
    } else if constexpr (F == Field::injured) {
        return i.injured;
    } else if constexpr (F == Field::source) {
        return i.source;
    } else if constexpr (F == Field::source_url) {
        return i.source_url;
    } else if constexpr (F == Field::source_id) {
        return i.source_id;
    } else if constexpr (F == Field::notes) {
        return i.notes;
    } else if constexpr (F == Field::confidence) {
        return i.confidence;
    } else if constexpr (F == Field::created) {
        return i.created;
    } else if constexpr (F == Field::updated) {
        return i.updated;
    } else {
        static_assert(F == Field::attributes, "a field without its Incident member");
        return i.attributes;
    }
}

/// The C++ type of the member that holds a field (int, std::int64_t, double, std::string, or
/// std::optional of one).
template <Field F>
using member_type = std::remove_cvref_t<decltype(member<F>(std::declval<Incident&>()))>;

namespace detail {

template <typename Fn, std::size_t... K>
constexpr void for_each_field_of(Fn& fn, std::index_sequence<K...> /*fields*/) {
    (fn.template operator()<static_cast<Field>(K)>(), ...);
}

template <typename Fn, std::size_t... K>
constexpr void with_field_of(Field field, Fn& fn, std::index_sequence<K...> /*fields*/) {
    (void)((field == static_cast<Field>(K) &&
            (fn.template operator()<static_cast<Field>(K)>(), true)) ||
           ...);
}

} // namespace detail

/// Calls fn.template operator()<F>() for every field F, in the table's order, unrolled at
/// compile time: write `for_each_field([&]<Field F>() { ... })`.
template <typename Fn> constexpr void for_each_field(Fn&& fn) {
    detail::for_each_field_of(fn, std::make_index_sequence<field_count>{});
}

/// Calls fn.template operator()<F>() for the field F that `field` names (a switch made from the
/// table), for code that chooses a field at run time.
template <typename Fn> constexpr void with_field(Field field, Fn&& fn) {
    detail::with_field_of(field, fn, std::make_index_sequence<field_count>{});
}

/// A field's value, chosen at run time: `text` for the textual types (a view of the incident's
/// string), `integer` or `number` for the others; `null` when a nullable field has none.
struct FieldValue {
    bool null = false;
    std::int64_t integer = 0;
    double number = 0.0;
    std::string_view text = {};
};

/// The value of a field of an incident (its text viewing the incident). Thread-safe.
FieldValue get_field(const Incident& incident, Field field) noexcept;

/// Sets a field of an incident: from value.text, .integer or .number by the field's type, or
/// empty when value.null and the field is nullable (an object's empty text too). Thread-safe
/// for distinct incidents.
void set_field(Incident& incident, Field field, const FieldValue& value);

namespace detail {

// The table agrees with Field and with the members that hold the fields: a field added to one
// and not to the others fails to compile here.
constexpr bool table_is_in_field_order() noexcept {
    for (std::size_t k = 0; k < field_count; ++k) {
        if (index_of(fields[k].field) != k) {
            return false;
        }
    }
    return true;
}
static_assert(table_is_in_field_order(), "the rows of `fields` must follow the order of Field");

template <typename T> struct Unwrapped {
    using type = T;
    static constexpr bool optional = false;
};
template <typename T> struct Unwrapped<std::optional<T>> {
    using type = T;
    static constexpr bool optional = true;
};

template <Field F> constexpr bool member_matches_table() noexcept {
    constexpr FieldInfo f = info(F);
    using Value = typename Unwrapped<member_type<F>>::type;
    if constexpr (f.nullable != Unwrapped<member_type<F>>::optional) {
        return false;
    } else if constexpr (f.type == FieldType::integer) {
        return std::is_same_v<Value, int> || std::is_same_v<Value, std::int64_t>;
    } else if constexpr (f.type == FieldType::number) {
        return std::is_same_v<Value, double>;
    } else {
        return std::is_same_v<Value, std::string>;
    }
}

constexpr bool members_match_table() noexcept {
    bool all = true;
    for_each_field([&]<Field F>() { all = all && member_matches_table<F>(); });
    return all;
}
static_assert(members_match_table(),
              "each field's Incident member must have the table's type and nullability");

/// Where a field's value sits in IncidentFields: one array per kind of value.
enum class Slot : std::uint8_t { text, integer, number };

constexpr Slot slot_kind(FieldType type) noexcept {
    if (type == FieldType::integer) {
        return Slot::integer;
    }
    return type == FieldType::number ? Slot::number : Slot::text;
}

/// The position of a field among the fields of its kind of value.
constexpr std::size_t slot_of(Field field) noexcept {
    std::size_t n = 0;
    for (std::size_t k = 0; k < index_of(field); ++k) {
        n += slot_kind(fields[k].type) == slot_kind(info(field).type) ? 1 : 0;
    }
    return n;
}

/// The number of fields of a kind of value.
constexpr std::size_t slot_count(Slot kind) noexcept {
    std::size_t n = 0;
    for (const auto& f : fields) {
        n += slot_kind(f.type) == kind ? 1 : 0;
    }
    return n;
}

/// An incident's fields as views into storage that outlives their use (an Incident, or the
/// current row of a statement): what renders a Feature, read from either.
struct IncidentFields {
    std::array<std::string_view, slot_count(Slot::text)> text{};
    std::array<std::int64_t, slot_count(Slot::integer)> integer{};
    std::array<double, slot_count(Slot::number)> number{};
    std::uint32_t nulls = 0; ///< bit k: field k is null
    std::span<const Evidence> evidence;

    /// The value of field F: a string_view, an std::int64_t or a double by its type.
    template <Field F> [[nodiscard]] constexpr auto get() const noexcept {
        constexpr Slot kind = slot_kind(info(F).type);
        if constexpr (kind == Slot::text) {
            return text[slot_of(F)];
        } else if constexpr (kind == Slot::integer) {
            return integer[slot_of(F)];
        } else {
            return number[slot_of(F)];
        }
    }
    /// Sets the value of field F (and clears its null).
    template <Field F, typename V> constexpr void put(const V& value) noexcept {
        constexpr Slot kind = slot_kind(info(F).type);
        if constexpr (kind == Slot::text) {
            text[slot_of(F)] = value;
        } else if constexpr (kind == Slot::integer) {
            integer[slot_of(F)] = value;
        } else {
            number[slot_of(F)] = value;
        }
    }
    template <Field F> [[nodiscard]] constexpr bool is_null() const noexcept {
        return ((nulls >> index_of(F)) & 1U) != 0;
    }
    template <Field F> constexpr void set_null() noexcept { nulls |= 1U << index_of(F); }
    [[nodiscard]] constexpr geo::LonLat point() const noexcept {
        return {get<Field::lon>(), get<Field::lat>()};
    }
};
static_assert(field_count <= 32, "IncidentFields::nulls holds one bit per field");

/// The fields of an incident, viewing its strings.
IncidentFields fields_of(const Incident& incident) noexcept;

/// Sets every field of an incident from views (reusing its strings' storage); the evidence is
/// left as it is.
void assign_fields(Incident& incident, const IncidentFields& fields);

} // namespace detail

} // namespace incidentmap::incidents
