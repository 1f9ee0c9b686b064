#include "select.hpp"
#include "clusters.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geodesic.hpp"

#include <limits>
#include <map>

namespace incidentmap::incidents::detail {

SqlBuilder& SqlBuilder::add(std::string_view sql, SqlValue v, bool date) {
    text += sql;
    values.push_back(std::move(v));
    text += m_dialect.placeholder(static_cast<int>(values.size()), date);
    return *this;
}

SqlBuilder& SqlBuilder::add(std::string_view sql) {
    text += sql;
    return *this;
}

bool needs_incident_filter(const IncidentQuery& q) {
    return (q.near && q.radius_km) || q.within || q.predicate;
}

namespace {

// The boxes the index is asked for: a box across the antimeridian is two.
std::vector<geo::BBox> index_boxes(const geo::BBox& b) {
    if (!b.crosses_antimeridian()) {
        return {b};
    }
    return {{b.min_lon, b.min_lat, 180.0, b.max_lat}, {-180.0, b.min_lat, b.max_lon, b.max_lat}};
}

void where_in_boxes(SqlBuilder& b, const geo::BBox& box) {
    b.add(" AND ");
    b.dialect().in_boxes(b, index_boxes(box));
}

void where_bbox(SqlBuilder& b, const geo::BBox& box) {
    where_in_boxes(b, box);
    // The index's boxes may be coarser than the coordinates (SQLite's R*Tree stores float32):
    // the exact test on lon/lat follows.
    b.add(" AND lat >= ", box.min_lat).add(" AND lat <= ", box.max_lat);
    if (box.crosses_antimeridian()) {
        b.add(" AND (lon >= ", box.min_lon).add(" OR lon <= ", box.max_lon).add(")");
    } else {
        b.add(" AND lon >= ", box.min_lon).add(" AND lon <= ", box.max_lon);
    }
}

// The places: the box exactly; around a point and inside a polygon by their bounds only.
void where_space(SqlBuilder& b, const IncidentQuery& q) {
    if (q.bbox) {
        where_bbox(b, *q.bbox);
    }
    if (q.near && q.radius_km) {
        where_in_boxes(b, geo::bbox_around(*q.near, *q.radius_km * 1000.0));
    }
    if (q.within) {
        where_in_boxes(b, geo::bounds(*q.within));
    }
}

void where_in(SqlBuilder& b, std::string_view column, const std::vector<std::string>& values) {
    if (values.empty()) {
        return;
    }
    b.add(" AND ").add(column).add(" IN (");
    for (std::size_t k = 0; k < values.size(); ++k) {
        b.add(k ? "," : "", values[k]);
    }
    b.add(")");
}

void where_equal(SqlBuilder& b, std::string_view column, const std::string& value) {
    if (!value.empty()) {
        b.add(" AND ").add(column).add(" = ", value);
    }
}

void where_attributes(SqlBuilder& b, const IncidentQuery& q) {
    if (q.since) {
        b.add(" AND event_date >= ", *q.since, true);
    }
    if (q.until) {
        b.add(" AND event_date <= ", *q.until, true);
    }
    where_in(b, "event_type", q.types);
    where_in(b, "sub_event_type", q.sub_types);
    if (q.min_fatalities) {
        b.add(" AND fatalities >= ", std::int64_t{*q.min_fatalities});
    }
    where_equal(b, "country", q.country);
    where_equal(b, "admin1", q.admin1);
    if (q.text) {
        const auto words = query_words(*q.text);
        if (words.empty()) {
            throw InvalidInput("the text query q has no searchable words");
        }
        b.add(" AND ");
        b.dialect().has_words(b, words);
    }
    if (q.id_range) {
        b.add(" AND id BETWEEN ", q.id_range->first).add(" AND ", q.id_range->second);
    }
}

// The rows after a keyset cursor, in its sort.
void where_after(SqlBuilder& b, const Cursor& c) {
    if (c.sort == IncidentQuery::Sort::id_asc) {
        b.add(" AND id > ", c.id);
        return;
    }
    const std::string after = c.sort == IncidentQuery::Sort::event_date_asc ? ">" : "<";
    b.add(" AND (event_date " + after + " ", c.event_date, true)
        .add(" OR (event_date = ", c.event_date, true)
        .add(" AND id " + after + " ", c.id)
        .add("))");
}

const char* order_by(IncidentQuery::Sort sort) {
    switch (sort) {
    case IncidentQuery::Sort::event_date_asc:
        return " ORDER BY event_date ASC, id ASC";
    case IncidentQuery::Sort::id_asc:
        return " ORDER BY id ASC";
    default:
        return " ORDER BY event_date DESC, id DESC";
    }
}

SqlBuilder select_evidence(const Dialect& d) {
    SqlBuilder b(d);
    b.add("SELECT ").add(evidence_columns).add(" FROM evidence WHERE ");
    return b;
}

void order_evidence(SqlBuilder& b) {
    b.add(" ORDER BY incident_id, ").add(b.dialect().evidence_order);
}

} // namespace

SqlBuilder scan_sql(const Dialect& dialect, const IncidentQuery& q, bool ordered,
                    const Cursor* keyset) {
    SqlBuilder b(dialect);
    b.add("SELECT ").add(dialect.incident_columns()).add(" FROM incidents WHERE 1 = 1");
    where_space(b, q);
    where_attributes(b, q);
    if (keyset) {
        where_after(b, *keyset);
    }
    if (ordered) {
        b.add(order_by(q.sort));
    }
    return b;
}

SqlBuilder count_sql(const Dialect& dialect, const IncidentQuery& q) {
    SqlBuilder b(dialect);
    b.add("SELECT count(*) FROM incidents WHERE 1 = 1");
    where_space(b, q);
    where_attributes(b, q);
    return b;
}

SqlBuilder tally_sql(const Dialect& dialect, const IncidentQuery& q, Tally by) {
    const std::string key = by == Tally::type  ? "event_type"
                            : by == Tally::day ? dialect.date_text
                                               : "country, admin1";
    SqlBuilder b(dialect);
    b.add("SELECT " + key + ", count(*) FROM incidents WHERE 1 = 1");
    where_space(b, q);
    where_attributes(b, q);
    b.add(" GROUP BY " + key);
    return b;
}

Stats tally_in_sql(const std::function<void(Tally, const TallyRow&)>& run) {
    // Keys as tally() makes them: the day's text, "CC.admin1" or the country alone.
    std::map<std::string, std::size_t> by_type, by_day, by_admin1;
    Stats st;
    run(Tally::type, [&](std::string_view key, std::string_view, std::size_t n) {
        by_type[std::string(key)] += n;
        st.total += n;
    });
    run(Tally::day, [&](std::string_view key, std::string_view, std::size_t n) {
        by_day[std::string(key)] += n;
    });
    run(Tally::admin1, [&](std::string_view country, std::string_view admin1, std::size_t n) {
        by_admin1[admin1.empty() ? std::string(country)
                                 : std::string(country) + "." + std::string(admin1)] += n;
    });
    st.by_type.assign(by_type.begin(), by_type.end());
    st.by_day.assign(by_day.begin(), by_day.end());
    st.by_admin1.assign(by_admin1.begin(), by_admin1.end());
    return st;
}

SqlBuilder clusters_sql(const Dialect& dialect, const IncidentQuery& q, ClusterGrid grid) {
    // The squares' bounds through the spatial index, then each match in its square: a point on
    // the bounds' east or north edge lies in the square beyond.
    const auto ranges = squares_of(grid, q.bbox);
    IncidentQuery squares = q;
    squares.bbox = bounds_of(grid, ranges);
    SqlBuilder b(dialect);
    b.add("SELECT x, y, event_type, count(*), sum(fatalities), sum(lon), sum(lat) FROM (SELECT ");
    dialect.grid_index(b, "lon", -180.0, grid.cell_size(), grid.columns() - 1);
    b.add(" AS x, ");
    dialect.grid_index(b, "lat", -90.0, grid.cell_size(), grid.rows() - 1);
    b.add(" AS y, event_type, fatalities, lon, lat FROM incidents WHERE 1 = 1");
    where_space(b, squares);
    where_attributes(b, squares);
    b.add(") AS matches WHERE 1 = 1");
    where_squares(b, ranges);
    b.add(" GROUP BY x, y, event_type");
    return b;
}

SqlBuilder duplicates_sql(const Dialect& dialect, const Incident& like) {
    SqlBuilder b(dialect);
    b.add("SELECT ")
        .add(dialect.incident_columns())
        .add(" FROM incidents WHERE event_date = ", like.event_date, true)
        .add(" AND event_type = ", like.event_type)
        .add(" AND sub_event_type = ", like.sub_event_type)
        .add(" AND ((geonameid IS NOT NULL AND geonameid = ", like.geonameid.value_or(0))
        .add(") OR (abs(lon - ", like.point.lon)
        .add(") < 0.01 AND abs(lat - ", like.point.lat)
        .add(") < 0.01))");
    return b;
}

SqlBuilder evidence_in_range_sql(const Dialect& dialect, const IncidentQuery& q) {
    const auto lo = q.id_range ? q.id_range->first : std::numeric_limits<std::int64_t>::min();
    const auto hi = q.id_range ? q.id_range->second : std::numeric_limits<std::int64_t>::max();
    SqlBuilder b = select_evidence(dialect);
    b.add("incident_id BETWEEN ", lo).add(" AND ", hi);
    order_evidence(b);
    return b;
}

SqlBuilder evidence_of_sql(const Dialect& dialect, const std::vector<std::int64_t>& ids) {
    SqlBuilder b = select_evidence(dialect);
    dialect.incident_id_in(b, ids);
    order_evidence(b);
    return b;
}

} // namespace incidentmap::incidents::detail
