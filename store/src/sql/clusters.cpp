#include "clusters.hpp"

#include <algorithm>
#include <iostream>

namespace incidentmap::incidents::detail {

namespace {

// Rows per upsert: 8 values each, well under both databases' limits on parameters.
constexpr std::size_t rows_per_statement = 500;

// What an upsert adds to a row that exists (both databases' syntax).
constexpr const char* upsert_tail =
    " ON CONFLICT(level, y, x, event_type) DO UPDATE SET n = cluster_counts.n + excluded.n, "
    "fatalities = cluster_counts.fatalities + excluded.fatalities, "
    "lon_sum = cluster_counts.lon_sum + excluded.lon_sum, "
    "lat_sum = cluster_counts.lat_sum + excluded.lat_sum";

std::int64_t column_of(ClusterGrid grid, double lon) {
    return grid.cell_of({lon, 0.0}).first;
}

std::int64_t row_of(ClusterGrid grid, double lat) {
    return grid.cell_of({0.0, lat}).second;
}

} // namespace

void where_squares(SqlBuilder& b, const std::vector<SquareRange>& ranges) {
    b.add(" AND y BETWEEN ", ranges.front().y0).add(" AND ", ranges.front().y1).add(" AND (");
    for (std::size_t k = 0; k < ranges.size(); ++k) {
        b.add(k ? " OR " : "").add("x BETWEEN ", ranges[k].x0).add(" AND ", ranges[k].x1);
    }
    b.add(")");
}

std::vector<SquareRange> squares_of(ClusterGrid grid, const std::optional<geo::BBox>& bbox) {
    if (!bbox) {
        return {{0, grid.columns() - 1, 0, grid.rows() - 1}};
    }
    const std::int64_t y0 = row_of(grid, bbox->min_lat);
    const std::int64_t y1 = row_of(grid, bbox->max_lat);
    const std::int64_t x0 = column_of(grid, bbox->min_lon);
    const std::int64_t x1 = column_of(grid, bbox->max_lon);
    if (bbox->crosses_antimeridian()) {
        return {{x0, grid.columns() - 1, y0, y1}, {0, x1, y0, y1}};
    }
    return {{x0, x1, y0, y1}};
}

geo::BBox bounds_of(ClusterGrid grid, const std::vector<SquareRange>& ranges) {
    const auto& first = ranges.front();
    const auto south_west = grid.bounds(first.x0, first.y0);
    const auto north_east = grid.bounds(ranges.back().x1, first.y1);
    return {south_west.min_lon, south_west.min_lat, north_east.max_lon, north_east.max_lat};
}

std::vector<Cluster> cluster_tally(const IncidentQuery& q, ClusterGrid grid, const ScanFn& scan) {
    const auto ranges = squares_of(grid, q.bbox);
    IncidentQuery squares = q;
    squares.bbox = bounds_of(grid, ranges);
    ClusterSums sums;
    scan(squares, [&](Incident&& i) {
        const auto cell = grid.cell_of(i.point);
        if (std::any_of(ranges.begin(), ranges.end(),
                        [&](const SquareRange& r) { return r.holds(cell.first, cell.second); })) {
            sums.add(cell.first, cell.second, i.event_type, 1, i.fatalities, i.point.lon,
                     i.point.lat);
        }
        return true;
    });
    return sums.clusters();
}

bool counts_answer(const IncidentQuery& q, ClusterGrid grid) {
    return grid.level >= first_counted_level && grid.level <= last_counted_level && !q.near &&
           !q.within && !q.predicate && !q.since && !q.until && q.sub_types.empty() &&
           !q.min_fatalities && q.country.empty() && q.admin1.empty() && !q.text && !q.id_range;
}

SqlBuilder counted_clusters_sql(const Dialect& dialect, const IncidentQuery& q, ClusterGrid grid) {
    // The level itself, or the finer one stored: its squares' indexes halved make the level's.
    const int stored = grid.level % 2 == 0 ? grid.level : grid.level + 1;
    const std::int64_t shift = stored - grid.level;
    SqlBuilder b(dialect);
    b.add("SELECT x >> ", shift)
        .add(", y >> ", shift)
        .add(", event_type, sum(n), sum(fatalities), sum(lon_sum), sum(lat_sum) FROM "
             "cluster_counts WHERE level = ",
             std::int64_t{stored});
    auto ranges = squares_of(grid, q.bbox);
    for (auto& r : ranges) {
        r = {r.x0 << shift, ((r.x1 + 1) << shift) - 1, r.y0 << shift, ((r.y1 + 1) << shift) - 1};
    }
    where_squares(b, ranges);
    if (!q.types.empty()) {
        b.add(" AND event_type IN (");
        for (std::size_t k = 0; k < q.types.size(); ++k) {
            b.add(k ? "," : "", q.types[k]);
        }
        b.add(")");
    }
    b.add(" GROUP BY 1, 2, event_type");
    return b;
}

void ClusterDeltas::add(geo::LonLat p, const std::string& type, std::int64_t fatalities, int sign) {
    for (const int level : stored_levels) {
        const auto [x, y] = ClusterGrid{level}.cell_of(p);
        auto& r = m_rows[{level, y, x, type}];
        r.n += sign;
        r.fatalities += sign * fatalities;
        r.lon_sum += sign * p.lon;
        r.lat_sum += sign * p.lat;
    }
    m_removed = m_removed || sign < 0;
}

std::vector<SqlBuilder> ClusterDeltas::statements(const Dialect& dialect) const {
    std::vector<SqlBuilder> out;
    std::size_t in_statement = rows_per_statement;
    for (const auto& [key, sums] : m_rows) {
        if (sums.n == 0 && sums.fatalities == 0 && sums.lon_sum == 0 && sums.lat_sum == 0) {
            continue; // added and removed again in the transaction
        }
        if (in_statement == rows_per_statement) {
            if (!out.empty()) {
                out.back().add(upsert_tail);
            }
            out.emplace_back(dialect);
            out.back().add("INSERT INTO cluster_counts(level, y, x, event_type, n, fatalities, "
                           "lon_sum, lat_sum) VALUES ");
            in_statement = 0;
        }
        const auto& [level, y, x, type] = key;
        out.back()
            .add(in_statement++ ? ",(" : "(", std::int64_t{level})
            .add(",", y)
            .add(",", x)
            .add(",", type)
            .add(",", sums.n)
            .add(",", sums.fatalities)
            .add(",", sums.lon_sum)
            .add(",", sums.lat_sum)
            .add(")");
    }
    if (!out.empty()) {
        out.back().add(upsert_tail);
    }
    if (m_removed) {
        out.emplace_back(dialect);
        out.back().add("DELETE FROM cluster_counts WHERE n = 0");
    }
    return out;
}

std::vector<SqlBuilder> fill_cluster_counts_sql(const Dialect& dialect) {
    // Once per store, and a minute for millions of incidents: say why the open takes long.
    std::cerr << "incidentmap: counting the stored incidents by map square (once, for the map's "
                 "low zooms)\n";
    std::vector<SqlBuilder> out;
    for (const int level : stored_levels) {
        const ClusterGrid grid{level};
        SqlBuilder b(dialect);
        b.add("INSERT INTO cluster_counts(level, y, x, event_type, n, fatalities, lon_sum, "
              "lat_sum) SELECT " +
              std::to_string(level) +
              ", y, x, event_type, count(*), sum(fatalities), sum(lon), "
              "sum(lat) FROM (SELECT ");
        dialect.grid_index(b, "lat", -90.0, grid.cell_size(), grid.rows() - 1);
        b.add(" AS y, ");
        dialect.grid_index(b, "lon", -180.0, grid.cell_size(), grid.columns() - 1);
        b.add(" AS x, event_type, fatalities, lon, lat FROM incidents) AS cells "
              "GROUP BY y, x, event_type");
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace incidentmap::incidents::detail
