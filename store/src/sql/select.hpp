#pragma once

// The SQL both backends run, built once over a small dialect: the scan of a query's indexed
// prefilters, the candidates of a duplicate, the evidence of a page or of a range of ids. What
// the two databases spell differently (placeholders, the spatial index, full text, a set of
// ids) is the Dialect; everything else (which filters, in which order, the keyset, the sort)
// is written here once, so that the two backends cannot drift apart.

#include "incidentmap/geo/types.hpp"
#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/query/query.hpp"
#include "incidentmap/store/store.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace incidentmap::incidents::detail {

/// A value bound to a placeholder: each backend binds it in its own way.
using SqlValue = std::variant<std::int64_t, double, std::string>;

class SqlBuilder;

/// What differs between the backends' SQL for the same question.
struct Dialect {
    /// The n-th placeholder (counting from 1); `date` when the value is compared with a date
    /// column (PostgreSQL's is typed, SQLite's holds text).
    std::string (*placeholder)(int n, bool date);
    /// Appends a test that an incident's point lies in one of `boxes` (none crosses the
    /// antimeridian), through the spatial index.
    void (*in_boxes)(SqlBuilder& sql, const std::vector<geo::BBox>& boxes);
    /// Appends a test that an incident's text holds all of `words` (at least one), through
    /// the full-text index.
    void (*has_words)(SqlBuilder& sql, const std::vector<std::string>& words);
    /// Appends a test that the column incident_id is one of `ids`, bound as one value.
    void (*incident_id_in)(SqlBuilder& sql, const std::vector<std::int64_t>& ids);
    /// Appends the index of the grid step of `size` degrees from `origin` that holds the
    /// value of `column`: (column - origin) / size in double precision, truncated, at most
    /// `last` (ClusterGrid::cell_of computes the same).
    void (*grid_index)(SqlBuilder& sql, std::string_view column, double origin, double size,
                       std::int64_t last);
    /// The event date as the text YYYY-MM-DD.
    const char* date_text;
    /// The column that orders an incident's evidence rows as they were written.
    const char* evidence_order;
    /// The columns of every field in the field table's order, as fields_in_row reads them.
    const std::string& (*incident_columns)();
};

/// SQL text and the values of its placeholders, in their order.
class SqlBuilder {
public:
    explicit SqlBuilder(const Dialect& dialect) : m_dialect(dialect) {}

    /// Appends `sql`, then the placeholder of `v` (`date` as for Dialect::placeholder).
    /// Placeholders are numbered as they are appended, so that text and values stay in one
    /// order: build a statement by chaining add(), never by adding up strings, whose
    /// operands C++ evaluates in no set order.
    SqlBuilder& add(std::string_view sql, SqlValue v, bool date = false);
    /// Appends `sql`.
    SqlBuilder& add(std::string_view sql);

    [[nodiscard]] const Dialect& dialect() const noexcept { return m_dialect; }

    std::string text;
    std::vector<SqlValue> values;

private:
    const Dialect& m_dialect;
};

/// The columns of an evidence row, as read_evidence_row reads them.
inline constexpr const char* evidence_columns = "incident_id, article_id, start, \"end\", text";

/// The SELECT of every field for the indexed prefilters of a query (bbox, near, within,
/// dates, types, fatalities, country, admin1, text, ids), after `keyset` when given, in the
/// query's order when `ordered`. Exact geodesic and polygon tests are the caller's
/// (needs_incident_filter). Throws InvalidInput when the text query has no words.
SqlBuilder scan_sql(const Dialect& dialect, const IncidentQuery& query, bool ordered,
                    const Cursor* keyset);

/// For the indexed prefilters of a query (as scan_sql), the matches by square of `grid` and
/// event type: rows of x, y, event_type, count, fatalities, sum of lon, sum of lat, in no
/// order (the input of ClusterSums).
SqlBuilder clusters_sql(const Dialect& dialect, const IncidentQuery& query, ClusterGrid grid);

/// The number of matches of the indexed prefilters of a query (as scan_sql): exact when
/// !needs_incident_filter(query).
SqlBuilder count_sql(const Dialect& dialect, const IncidentQuery& query);

/// What stats() counts, for the indexed prefilters of a query: rows of a key and a count, the key
/// the event type (Tally::type), the day as YYYY-MM-DD (Tally::day) or the country and admin1
/// codes (Tally::admin1, two columns).
enum class Tally { type, day, admin1 };
SqlBuilder tally_sql(const Dialect& dialect, const IncidentQuery& query, Tally by);

/// Receives a row of tally_sql: its key (the country for Tally::admin1), the admin1 code (for
/// Tally::admin1, else empty) and the count.
using TallyRow = std::function<void(std::string_view key, std::string_view admin1, std::size_t n)>;

/// The Stats of the rows `run` gives for each Tally (a backend runs tally_sql), keyed as
/// tally() keys them.
Stats tally_in_sql(const std::function<void(Tally, const TallyRow&)>& run);

/// The stored incidents that may be duplicates of `like`: same day, type and sub-type, at the
/// same gazetteer place or within about a kilometre.
SqlBuilder duplicates_sql(const Dialect& dialect, const Incident& like);

/// The evidence rows of the incidents in the query's id range (all when it has none) in
/// incident order: the second cursor of a merge join with an id-ordered scan.
SqlBuilder evidence_in_range_sql(const Dialect& dialect, const IncidentQuery& query);

/// The evidence rows of the incidents `ids`, in incident order.
SqlBuilder evidence_of_sql(const Dialect& dialect, const std::vector<std::int64_t>& ids);

/// Whether a query has filters SQL does not apply exactly (geodesic distance, polygons, a
/// CQL2 predicate), to be checked on each row with matches().
bool needs_incident_filter(const IncidentQuery& query);

} // namespace incidentmap::incidents::detail
