#pragma once

// The clusters' counts kept by the store: for the levels of ClusterGrid that a map's low zooms
// ask for, the matches of every square by event type (table cluster_counts), changed with
// every write in its transaction, so that a view's clusters are read from a few thousand rows
// whatever the number of incidents. The writes queue their changes here (ClusterDeltas) and the
// store writes them, added up, when the transaction commits. A query with filters the counts do
// not hold (anything but a bbox and event types) is counted from the incidents instead.

#include "select.hpp"

#include "incidentmap/store/store.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace incidentmap::incidents::detail {

/// The levels cluster_counts holds: every other one, the finest first in the cost of every write
/// (about a row per incident where incidents do not share squares), the others read from the
/// one finer (four squares make one). Together they answer levels 3 to 10 (zoom 0 to 7).
inline constexpr std::array<int, 4> stored_levels = {4, 6, 8, 10};
inline constexpr int first_counted_level = 3;
inline constexpr int last_counted_level = 10;

/// Squares x0..x1, y0..y1 of a grid.
struct SquareRange {
    std::int64_t x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    [[nodiscard]] bool holds(std::int64_t x, std::int64_t y) const noexcept {
        return x >= x0 && x <= x1 && y >= y0 && y <= y1;
    }
};

/// The squares a bbox touches (two ranges when it crosses the antimeridian); every square
/// without one.
std::vector<SquareRange> squares_of(ClusterGrid grid, const std::optional<geo::BBox>& bbox);

/// Appends a test that columns x and y lie in one of `ranges` (all of one row range).
void where_squares(SqlBuilder& b, const std::vector<SquareRange>& ranges);

/// The box of the squares of `ranges` (for the spatial index), crossing the antimeridian when
/// they are two.
geo::BBox bounds_of(ClusterGrid grid, const std::vector<SquareRange>& ranges);

/// The query's matches in the squares its bbox touches, counted from the incidents: what
/// `scan` streams for the squares' bounds, each in its square (the filters SQL cannot apply).
std::vector<Cluster> cluster_tally(const IncidentQuery& query, ClusterGrid grid,
                                   const ScanFn& scan);

/// Whether cluster_counts answers the query at this level: no filter but a bbox and event
/// types.
bool counts_answer(const IncidentQuery& query, ClusterGrid grid);

/// Rows of x, y, event_type, count, fatalities, sum of lon, sum of lat of cluster_counts for the
/// query's squares and types (the input of ClusterSums). Requires counts_answer().
SqlBuilder counted_clusters_sql(const Dialect& dialect, const IncidentQuery& query,
                                ClusterGrid grid);

/// The changes a write transaction makes to cluster_counts, added up by row.
class ClusterDeltas {
public:
    /// An incident at `p` of `type` with `fatalities` was added (sign 1) or removed (-1).
    void add(geo::LonLat p, const std::string& type, std::int64_t fatalities, int sign);
    void add(const Incident& i, int sign) { add(i.point, i.event_type, i.fatalities, sign); }
    [[nodiscard]] bool empty() const noexcept { return m_rows.empty(); }
    /// The statements that apply the changes (upserts of at most a few hundred rows each, in
    /// key order, so that concurrent writers lock rows in one order; then the removal of the
    /// rows left empty).
    [[nodiscard]] std::vector<SqlBuilder> statements(const Dialect& dialect) const;
    void clear() noexcept {
        m_rows.clear();
        m_removed = false;
    }

private:
    struct Sums {
        std::int64_t n = 0;
        std::int64_t fatalities = 0;
        double lon_sum = 0;
        double lat_sum = 0;
    };
    std::map<std::tuple<int, std::int64_t, std::int64_t, std::string>, Sums> m_rows;
    bool m_removed = false;
};

/// The statements that fill an empty cluster_counts from the incidents (a store that had
/// incidents before it kept counts), one per level.
std::vector<SqlBuilder> fill_cluster_counts_sql(const Dialect& dialect);

/// The test, in a write transaction, that cluster_counts needs filling: incidents but no
/// counts.
inline constexpr const char* cluster_counts_missing =
    "SELECT EXISTS(SELECT 1 FROM incidents) AND NOT EXISTS(SELECT 1 FROM cluster_counts)";

} // namespace incidentmap::incidents::detail
