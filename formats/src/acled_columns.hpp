#pragma once

// The columns of ACLED-style files, in one list that the flat exports write (CSV, GPKG, KML,
// FGB) and the ACLED import reads: ACLED's codebook order, with our own columns where they fit.
// Names and values come from the field table (incidentmap/incidents/fields.hpp); the order is
// ACLED's, not the table's, so it is listed here.

#include "incidentmap/incidents/fields.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace incidentmap::incidents::detail {

/// What a column of the layout carries.
enum class AcledColumnKind : std::uint8_t {
    value,    ///< the field's value: written by the exports, read by the import
    copy,     ///< the field's value again, under another name: written only
    year,     ///< the year of the field (a date): written only
    evidence, ///< the evidence's texts joined by " | " (no field): written only
};

/// One column of the layout.
struct AcledColumn {
    std::string_view name;
    AcledColumnKind kind = AcledColumnKind::value;
    Field field = Field::id; ///< the field it carries (none for the evidence)
};

/// The column of a field's own value: its ACLED name, or its own where ACLED has none.
constexpr AcledColumn acled_column(Field field) noexcept {
    return {acled_or_own_name(field), AcledColumnKind::value, field};
}

/// ACLED's iso is a numeric code and its country a name; the exports write our code in both,
/// and the import takes a two-letter code from iso before it looks the country's name up.
inline constexpr std::string_view acled_iso_column = "iso";

/// The layout: the columns in the order the files have them.
inline constexpr std::array acled_columns{
    acled_column(Field::source_id),
    acled_column(Field::id),
    acled_column(Field::event_date),
    AcledColumn{"year", AcledColumnKind::year, Field::event_date},
    acled_column(Field::time_precision),
    acled_column(Field::event_type),
    acled_column(Field::sub_event_type),
    acled_column(Field::actor1),
    acled_column(Field::actor2),
    AcledColumn{acled_iso_column, AcledColumnKind::copy, Field::country},
    acled_column(Field::country),
    acled_column(Field::admin1),
    acled_column(Field::admin2),
    acled_column(Field::location),
    acled_column(Field::lat),
    acled_column(Field::lon),
    acled_column(Field::geo_precision),
    acled_column(Field::source),
    acled_column(Field::source_url),
    acled_column(Field::notes),
    acled_column(Field::fatalities),
    acled_column(Field::injured),
    acled_column(Field::geonameid),
    acled_column(Field::confidence),
    AcledColumn{"evidence", AcledColumnKind::evidence},
    acled_column(Field::updated),
    // The source's further columns as one JSON text: flat formats have no nested values.
    acled_column(Field::attributes),
};

/// True when every field ACLED has (a field with an ACLED name) has its column in the layout.
constexpr bool acled_columns_are_complete() noexcept {
    for (const auto& f : fields) {
        bool found = f.acled.empty();
        for (const auto& c : acled_columns) {
            found = found || (c.kind == AcledColumnKind::value && c.field == f.field);
        }
        if (!found) {
            return false;
        }
    }
    return true;
}
static_assert(acled_columns_are_complete(), "a field with an ACLED name needs its column here");

} // namespace incidentmap::incidents::detail
