#pragma once

// The incident's columns as both backends read and write them, derived from the field table
// (incidentmap/incidents/fields.hpp): the column lists of their statements and the reading of
// a row. Their CREATE TABLEs stay in their migrations, as those ran.

#include "incidentmap/incidents/fields.hpp"

#include <cstdint>
#include <string>

namespace incidentmap::incidents::detail {

/// Selects every field.
constexpr bool every_field(const FieldInfo& /*field*/) noexcept {
    return true;
}

/// Selects the fields a writer gives: all but those the store assigns (id, created, updated).
constexpr bool given_field(const FieldInfo& field) noexcept {
    return !field.assigned;
}

/// Selects the fields an INSERT lists: all but the id, which the database assigns.
constexpr bool inserted_field(const FieldInfo& field) noexcept {
    return field.field != Field::id;
}

/// Selects the fields an UPDATE sets: the given ones and the time of the change.
constexpr bool updated_field(const FieldInfo& field) noexcept {
    return given_field(field) || field.field == Field::updated;
}

/// The number of fields `keep` selects.
template <typename Keep> constexpr int count_fields(Keep keep) noexcept {
    int n = 0;
    for (const auto& f : fields) {
        n += keep(f) ? 1 : 0;
    }
    return n;
}

/// One piece per field that `keep` selects, in the table's order, joined by ", ";
/// piece(field, n) gets the field and its position among those selected, counting from 1.
template <typename Keep, typename Piece> std::string join_fields(Keep keep, Piece piece) {
    std::string out;
    int n = 1;
    for (const auto& f : fields) {
        if (!keep(f)) {
            continue;
        }
        if (n > 1) {
            out += ", ";
        }
        out += piece(f, n++);
    }
    return out;
}

/// The fields of the current row of a statement that selected every field in the table's
/// order, viewing the row's memory (valid until the next step). Row reads column k with
/// text(k), int64(k), real(k) and is_null(k).
template <typename Row> IncidentFields fields_in_row(const Row& row) noexcept {
    IncidentFields f;
    for_each_field([&]<Field F>() {
        constexpr int col = static_cast<int>(index_of(F));
        constexpr FieldType type = info(F).type;
        if constexpr (info(F).nullable) {
            if (row.is_null(col)) {
                f.set_null<F>();
                return;
            }
        }
        if constexpr (is_textual(type)) {
            f.put<F>(row.text(col));
        } else if constexpr (type == FieldType::integer) {
            // As the member holds it: an int column holds what an int wrote.
            using Member = typename Unwrapped<member_type<F>>::type;
            f.put<F>(static_cast<std::int64_t>(static_cast<Member>(row.int64(col))));
        } else {
            f.put<F>(row.real(col));
        }
    });
    return f;
}

/// Reads the current row (as fields_in_row) into an incident, reusing its strings' storage;
/// its evidence is left as it is.
template <typename Row> void read_incident_into(const Row& row, Incident& incident) {
    assign_fields(incident, fields_in_row(row));
}

} // namespace incidentmap::incidents::detail
