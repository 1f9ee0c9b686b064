#pragma once

#include "incidentmap/geo/types.hpp"
#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/query/query.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace incidentmap::incidents {

/// How much a store holds.
struct StoreCounts {
    std::size_t articles = 0;
    std::size_t incidents = 0;
    std::size_t evidence = 0;
    bool operator==(const StoreCounts&) const = default;
};

/// Rows without source ids that an import stored: the digest of them all (SHA-256 of their
/// features in order), how many, and when.
struct ImportedRows {
    std::string digest;
    std::size_t rows = 0;
    std::string created;
};

/// The result of storing an article.
struct ArticleRef {
    std::int64_t id = 0;
    bool existed = false; ///< the same url or text was stored before; nothing changed
};

/// Counts for charts.
struct Stats {
    std::vector<std::pair<std::string, std::size_t>> by_type;
    std::vector<std::pair<std::string, std::size_t>> by_day;
    std::vector<std::pair<std::string, std::size_t>> by_admin1;
    std::size_t total = 0;
};

/// The clusters' grid at one level: squares of 360 / 2^level degrees from (-180, -90), column
/// x eastward, row y northward. A point belongs to the square holding it, the square's west and
/// south edges included (the last column and row hold the east and north edges too).
struct ClusterGrid {
    int level = 0; ///< 0..28

    /// The levels between a web map's zoom and its grid: squares of about 32 pixels at 256-pixel
    /// tiles (the clusters of /api/clusters and of the vector tiles).
    static constexpr int levels_above_zoom = 3;
    /// The grid of a map's zoom.
    [[nodiscard]] static constexpr ClusterGrid for_zoom(int zoom) noexcept {
        return {zoom + levels_above_zoom};
    }
    /// The map's zoom of this grid.
    [[nodiscard]] constexpr int zoom() const noexcept { return level - levels_above_zoom; }

    [[nodiscard]] double cell_size() const noexcept;
    [[nodiscard]] std::int64_t columns() const noexcept;
    [[nodiscard]] std::int64_t rows() const noexcept;
    /// The column and row of a point, as both backends' SQL computes them.
    [[nodiscard]] std::pair<std::int64_t, std::int64_t> cell_of(geo::LonLat p) const noexcept;
    /// The square's bounds.
    [[nodiscard]] geo::BBox bounds(std::int64_t x, std::int64_t y) const noexcept;
};

/// The matches of a query in one square of a ClusterGrid.
struct Cluster {
    std::int64_t x = 0;
    std::int64_t y = 0;
    std::size_t count = 0;
    std::int64_t fatalities = 0;
    geo::LonLat center;                                       ///< the mean of its points
    std::vector<std::pair<std::string, std::size_t>> by_type; ///< by event type, in name order
};

/// Where incidents and their articles live. Implementations: SpatiaLite (a file), PostGIS.
/// An instance is not thread-safe; open one per thread (the server keeps a pool).
class IncidentStore {
public:
    virtual ~IncidentStore() = default;

    /// Stores an article unless the same url or text is already there. Throws StorageError.
    virtual ArticleRef add_article(Article& article) = 0;
    /// Runs `fn` in one write transaction: every write it makes through this store commits
    /// together when it returns, or none when it throws (the exception passes on). Writes
    /// inside it join it. Throws StorageError / Unavailable when the transaction cannot begin
    /// or commit.
    virtual void in_write_transaction(const std::function<void()>& fn) = 0;
    /// The article with this id, or nullopt.
    virtual std::optional<Article> article(std::int64_t id) = 0;
    /// The ids of the incidents with evidence in this article, ascending.
    virtual std::vector<std::int64_t> incidents_of_article(std::int64_t article_id) = 0;

    /// Inserts incidents in one transaction, assigning ids and timestamps. Throws InvalidInput
    /// (nothing written) when one is invalid.
    virtual void insert(std::vector<Incident>& incidents) = 0;
    /// Inserts, or updates the incident with the same non-empty source_id. Returns true when
    /// it was an update.
    virtual bool upsert(Incident& incident) = 0;
    /// Upserts many in one transaction (all or nothing: throws InvalidInput before writing
    /// when one is invalid). Returns how many were updates.
    virtual std::size_t upsert_all(std::vector<Incident>& incidents) = 0;
    /// Replaces an incident; throws NotFound when the id does not exist.
    virtual void update(Incident& incident) = 0;
    /// Adds evidence to an existing incident, and raises its casualty counts to at least the
    /// given ones (merging a duplicate report).
    virtual void merge_into(std::int64_t id, const Incident& duplicate) = 0;
    /// Deletes; false when there was no such incident.
    virtual bool remove(std::int64_t id) = 0;
    /// One incident, or nullopt.
    virtual std::optional<Incident> get(std::int64_t id) = 0;
    /// Incidents on this date at this place (geonameid, or within 1 km) of this type.
    virtual std::vector<Incident> find_duplicates(const Incident& like) = 0;

    /// Runs a query. Throws InvalidInput for contradictory or out-of-range filters.
    virtual QueryResult query(const IncidentQuery& query) = 0;

    /// A number that changes with every write committed through an IncidentStore (any
    /// connection, any process), read in the current snapshot; none if the backend keeps no
    /// such number. What was computed from the store at a version holds while it is the same.
    virtual std::optional<std::int64_t> version() { return std::nullopt; }

    /// Runs `fn` with all its reads of this store on one snapshot (one read transaction).
    virtual void in_snapshot(const std::function<void()>& fn) { fn(); }

    /// Streams every match in id order without paging (for exports); returns the count. The
    /// callback may take the incident's contents (swap or move them out): the store refills
    /// the object for the next row.
    virtual std::size_t for_each(const IncidentQuery& query,
                                 const std::function<void(Incident&)>& fn) = 0;
    /// Appends every match in id order to `out` as GeoJSON Feature objects separated by commas,
    /// the bytes append_feature writes, and extends `bbox` by their points; returns the count
    /// (for exports). The default renders through for_each; a backend may render its rows in
    /// place, without an Incident per row. Throws as for_each does.
    virtual std::size_t append_features(const IncidentQuery& query, std::string& out,
                                        geo::BBox& bbox);
    /// Counts by type, day and admin1 for the matches.
    virtual Stats stats(const IncidentQuery& query) = 0;
    /// The matches of a query in the squares of `grid` that hold any, by row then column (the
    /// query's paging ignored). A bbox selects the squares it touches, each counted whole.
    /// Throws InvalidInput as query() does.
    virtual std::vector<Cluster> clusters(const IncidentQuery& query, ClusterGrid grid) = 0;
    /// Extent of all incidents: bbox and first/last date (empty strings when none).
    virtual std::tuple<geo::BBox, std::string, std::string> extent() = 0;

    /// Articles, incidents and evidence rows stored.
    virtual StoreCounts counts() = 0;
    /// Streams every article in id order.
    virtual void for_each_article(const std::function<void(Article&)>& fn) = 0;
    /// Writes articles and incidents as they are, ids, timestamps and evidence included, in
    /// one transaction (for `incidentmap migrate`). Throws InvalidInput before writing when an
    /// incident is invalid, and on an id that exists already.
    virtual void restore(std::vector<Article>& articles, std::vector<Incident>& incidents) = 0;

    /// Whether an import recorded rows of this digest (record_import).
    virtual bool imported(const std::string& digest) = 0;
    /// Records that an import stored the rows (without source ids) of this digest, in the
    /// write transaction under way when there is one: an import writes the rows and this
    /// together (in_write_transaction), so that a second import of the same rows, or a re-run
    /// of one killed after it committed, finds them. An empty `created` is now. Throws
    /// Conflict when it is recorded.
    virtual void record_import(const ImportedRows& record) = 0;
    /// Every record of imported rows, by digest (for `incidentmap migrate`).
    virtual std::vector<ImportedRows> imports() = 0;

    /// The smallest and largest incident id, or nullopt when there are none.
    virtual std::optional<std::pair<std::int64_t, std::int64_t>> id_bounds() = 0;

    /// Another connection to the same database (for parallel reads), or nullptr when the
    /// database cannot be shared (an in-memory store).
    virtual std::unique_ptr<IncidentStore> reopen() { return nullptr; }

    /// "spatialite" or "postgis".
    [[nodiscard]] virtual std::string backend() const = 0;
};

/// Opens a store: a file path (SpatiaLite, created when missing) or a postgresql:// URI.
/// Applies migrations. Throws StorageError / Unavailable.
std::unique_ptr<IncidentStore> open_store(const std::string& location);

/// Opens a SpatiaLite store at `path` (":memory:" for a private in-memory database).
std::unique_ptr<IncidentStore> open_spatialite_store(const std::string& path);

/// Opens a PostGIS store: a libpq connection URI ("postgresql://user@host:port/db"). Creates
/// the postgis extension and the tables when missing. Throws Unavailable when the server
/// cannot be reached.
std::unique_ptr<IncidentStore> open_postgis_store(const std::string& uri);
namespace detail {

/// A backend's unordered scan: streams the matches of a query (every filter applied exactly,
/// paging and sort ignored) to a callback until it returns false.
using ScanFn = std::function<void(const IncidentQuery&, const std::function<bool(Incident&&)>&)>;

/// A backend's ordered scan: streams the matches of a query in its sort order; with a keyset
/// cursor it may skip the rows before it (SQL), the caller checks them anyway.
using OrderedScanFn = std::function<void(const IncidentQuery&, const Cursor* keyset,
                                         const std::function<bool(Incident&&)>&)>;

/// A backend's count of a query's matches in SQL, or nullopt where SQL cannot apply its filters
/// (then the matches are read and counted).
using CountFn = std::function<std::optional<std::size_t>(const IncidentQuery&)>;

/// One page of a query in any backend: distance order and k-nearest through `scan`, the other
/// sorts through `ordered` (numberMatched from `count` when it answers, offset, cursor,
/// next_cursor; evidence not loaded).
QueryResult page(const IncidentQuery& query, const ScanFn& scan, const OrderedScanFn& ordered,
                 const CountFn& count = {});

/// What a duplicate report adds to a stored incident: its evidence, higher casualty counts,
/// more confidence, an actor if missing, the finer geo precision.
Incident merged(const Incident& stored, const Incident& duplicate);

/// Counts by type, day and admin1 of what `scan` streams (every backend's stats()).
Stats tally(const std::function<void(const std::function<bool(Incident&&)>&)>& scan);

/// Adds up the matches of a ClusterGrid's squares, by square and event type, into clusters.
class ClusterSums {
public:
    /// Adds `count` matches of `type` in square (x, y), with their fatalities and the sums of
    /// their longitudes and latitudes.
    void add(std::int64_t x, std::int64_t y, const std::string& type, std::size_t count,
             std::int64_t fatalities, double lon_sum, double lat_sum);
    /// The squares added to, by row then column.
    std::vector<Cluster> clusters();

private:
    struct Sums {
        Cluster cluster;
        double lon_sum = 0;
        double lat_sum = 0;
        std::map<std::string, std::size_t> by_type;
    };
    std::map<std::pair<std::int64_t, std::int64_t>, Sums> m_cells; ///< by (y, x)
};

/// Distance-sorted paging and k-nearest over any backend's scan (evidence not loaded).
QueryResult query_by_distance(const IncidentQuery& query, const ScanFn& scan);

} // namespace detail

} // namespace incidentmap::incidents
