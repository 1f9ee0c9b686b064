#include "dialect.hpp"

#include "../incident_columns.hpp"

namespace incidentmap::incidents::postgis {

namespace {

std::string placeholder(int n, bool date) {
    return "$" + std::to_string(n) + (date ? "::date" : "");
}

void in_boxes(detail::SqlBuilder& b, const std::vector<geo::BBox>& boxes) {
    b.add("(");
    for (std::size_t k = 0; k < boxes.size(); ++k) {
        const auto& p = boxes[k];
        b.add(k ? " OR " : "")
            .add("geom && ST_MakeEnvelope(", p.min_lon)
            .add(", ", p.min_lat)
            .add(", ", p.max_lon)
            .add(", ", p.max_lat)
            .add(", 4326)");
    }
    b.add(")");
}

// plainto_tsquery reads the words as words: no tsquery operator can be injected.
void has_words(detail::SqlBuilder& b, const std::vector<std::string>& words) {
    std::string joined;
    for (const auto& w : words) {
        joined += (joined.empty() ? "" : " ") + w;
    }
    b.add("fts @@ plainto_tsquery('simple', ", joined).add(")");
}

// The ids as one array literal, so that the statement's text does not depend on their number.
void incident_id_in(detail::SqlBuilder& b, const std::vector<std::int64_t>& ids) {
    std::string array = "{";
    for (const auto id : ids) {
        array += (array.size() > 1 ? "," : "") + std::to_string(id);
    }
    array += "}";
    b.add("incident_id = ANY(", array).add("::bigint[])");
}

// PostgreSQL's cast of a double to bigint rounds: trunc() first, as C++'s cast does.
void grid_index(detail::SqlBuilder& b, std::string_view column, double origin, double size,
                std::int64_t last) {
    b.add("LEAST(trunc((")
        .add(column)
        .add(" - ", origin)
        .add(") / ", size)
        .add(")::bigint, ", last)
        .add(")");
}

// Every field's column, dates as the text YYYY-MM-DD (the column is a date).
const std::string& incident_columns() {
    static const std::string columns =
        detail::join_fields(detail::every_field, [](const FieldInfo& f, int) {
            return f.type == FieldType::date ? "to_char(" + std::string(f.name) + ", 'YYYY-MM-DD')"
                                             : std::string(f.name);
        });
    return columns;
}

} // namespace

const detail::Dialect& dialect() {
    static const detail::Dialect d{placeholder, in_boxes,
                                   has_words,   incident_id_in,
                                   grid_index,  "to_char(event_date, 'YYYY-MM-DD')",
                                   "id",        incident_columns};
    return d;
}

} // namespace incidentmap::incidents::postgis
