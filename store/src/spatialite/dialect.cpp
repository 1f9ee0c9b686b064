#include "dialect.hpp"

#include "../incident_columns.hpp"

namespace incidentmap::incidents::spatialite {

namespace {

std::string placeholder(int /*n*/, bool /*date*/) {
    return "?";
}

// SpatiaLite's spatial index is an R*Tree of the geometries' boxes, keyed by rowid.
void in_boxes(detail::SqlBuilder& b, const std::vector<geo::BBox>& boxes) {
    b.add("id IN (SELECT pkid FROM idx_incidents_geom WHERE ");
    for (std::size_t k = 0; k < boxes.size(); ++k) {
        const auto& p = boxes[k];
        b.add(k ? " OR " : "")
            .add("(xmin <= ", p.max_lon)
            .add(" AND xmax >= ", p.min_lon)
            .add(" AND ymin <= ", p.max_lat)
            .add(" AND ymax >= ", p.min_lat)
            .add(")");
    }
    b.add(")");
}

// Each word becomes a quoted FTS5 string: no FTS5 operator can be injected.
void has_words(detail::SqlBuilder& b, const std::vector<std::string>& words) {
    std::string match;
    for (const auto& w : words) {
        match += (match.empty() ? "\"" : " \"") + w + "\"";
    }
    b.add("id IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ", match).add(")");
}

// The ids as one JSON array, so that the statement's text does not depend on their number.
void incident_id_in(detail::SqlBuilder& b, const std::vector<std::int64_t>& ids) {
    std::string array = "[";
    for (const auto id : ids) {
        array += (array.size() > 1 ? "," : "") + std::to_string(id);
    }
    array += "]";
    b.add("incident_id IN (SELECT value FROM json_each(", array).add("))");
}

// SQLite's CAST of a real to an integer truncates, as C++'s does.
void grid_index(detail::SqlBuilder& b, std::string_view column, double origin, double size,
                std::int64_t last) {
    b.add("min(CAST((")
        .add(column)
        .add(" - ", origin)
        .add(") / ", size)
        .add(" AS INTEGER), ", last)
        .add(")");
}

// Every field's column as it is stored: SQLite keeps dates as their text.
const std::string& incident_columns() {
    static const std::string columns = detail::join_fields(
        detail::every_field, [](const FieldInfo& f, int) { return std::string(f.name); });
    return columns;
}

} // namespace

const detail::Dialect& dialect() {
    static const detail::Dialect d{placeholder, in_boxes,     has_words, incident_id_in,
                                   grid_index,  "event_date", "rowid",   incident_columns};
    return d;
}

} // namespace incidentmap::incidents::spatialite
