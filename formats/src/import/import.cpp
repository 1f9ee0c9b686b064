// Imports incidents from GeoJSON, ACLED CSV and UCDP GED CSV, upserting by source id.

#include "incidentmap/formats/import.hpp"

#include "geojson_spans.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/incidents/feature.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/dates.hpp"
#include "incidentmap/text/utf8.hpp"
#include "rows.hpp"

#include "acled_columns.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>

namespace incidentmap::incidents {

namespace {

using text::lower_ascii;
using text::trim_space;

std::optional<long long> to_int(std::string_view s) {
    s = trim_space(s);
    if (s.empty()) {
        return std::nullopt;
    }
    long long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc()) {
        return std::nullopt;
    }
    if (p != s.data() + s.size()) {
        // "3.0" from spreadsheets
        auto d = geo::parse_double(s);
        if (!d || *d != std::floor(*d)) {
            return std::nullopt;
        }
        return static_cast<long long>(*d);
    }
    return v;
}

// A header → column index map; columns are read by name, in any order. A mapped column
// (--map) is known by its field's ACLED name and wins over a column of that name; a file
// without latitude/longitude columns may call them lat and lon (or lng, long).
class Columns {
public:
    explicit Columns(const std::vector<std::string>& header,
                     const std::vector<ColumnMapping>& mapping = {}) {
        for (std::size_t k = 0; k < header.size(); ++k) {
            m_index.emplace(lower_ascii(trim_space(header[k])), k);
            m_names.emplace_back(trim_space(header[k]));
        }
        m_read.assign(header.size(), false);
        for (const auto& m : mapping) {
            auto it = std::find_if(header.begin(), header.end(), [&](const std::string& h) {
                return lower_ascii(trim_space(h)) == lower_ascii(trim_space(m.source));
            });
            if (it == header.end()) {
                std::string names;
                for (std::size_t k = 0; k < header.size() && k < 60; ++k) {
                    names += (k == 0 ? "" : ", ") + header[k];
                }
                throw InvalidInput("--map " + std::string(info(m.target).name) + "=" +
                                   m.source.substr(0, 60) + ": the file has no column " +
                                   m.source.substr(0, 60) + " (its columns: " + names + ")");
            }
            m_index.insert_or_assign(std::string(acled_or_own_name(m.target)),
                                     static_cast<std::size_t>(it - header.begin()));
        }
        alias("latitude", {"lat"});
        alias("longitude", {"lon", "lng", "long"});
    }
    [[nodiscard]] bool has(std::string_view name) const { return m_index.count(name) > 0; }
    void require(std::initializer_list<const char*> names, const char* format) const {
        std::string missing;
        for (const char* n : names) {
            if (!has(n)) {
                missing += (missing.empty() ? "" : ", ") + std::string(n);
            }
        }
        if (!missing.empty()) {
            throw InvalidInput(std::string("this is not ") + format +
                               ": the header lacks the column(s) " + missing +
                               " (name the file's own with --map FIELD=COLUMN)");
        }
    }
    [[nodiscard]] std::string_view get(const std::vector<std::string>& row,
                                       std::string_view name) const {
        auto it = m_index.find(name);
        if (it == m_index.end() || it->second >= row.size()) {
            return {};
        }
        m_read[it->second] = true;
        return trim_space(row[it->second]);
    }
    /// Counts a column as read although no field takes it (a column the layout writes only).
    void mark_read(std::string_view name) const {
        if (auto it = m_index.find(name); it != m_index.end()) {
            m_read[it->second] = true;
        }
    }
    /// The row's non-empty cells of the columns no field read, as one flat JSON object of
    /// strings keyed as the header writes them (nothing of a row is lost); nullopt when there
    /// are none. Cells past max_attributes_bytes in all are left out.
    [[nodiscard]] std::optional<std::string> others(const std::vector<std::string>& row) const {
        nlohmann::json o = nlohmann::json::object();
        std::size_t bytes = 2;
        for (std::size_t k = 0; k < row.size() && k < m_read.size(); ++k) {
            const auto cell = trim_space(row[k]);
            if (m_read[k] || cell.empty() || m_names[k].empty()) {
                continue;
            }
            bytes += m_names[k].size() + cell.size() + 6;
            if (bytes > max_attributes_bytes / 2) { // room for escapes
                break;
            }
            o[m_names[k]] = std::string(cell);
        }
        if (o.empty()) {
            return std::nullopt;
        }
        // A cell that is not UTF-8 (a reader's conversion missed it) loses its bad bytes, not
        // the row.
        return o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }

private:
    void alias(const char* name, std::initializer_list<const char*> others) {
        if (has(name)) {
            return;
        }
        for (const char* o : others) {
            if (auto it = m_index.find(std::string_view(o)); it != m_index.end()) {
                m_index.emplace(name, it->second);
                return;
            }
        }
    }
    std::map<std::string, std::size_t, std::less<>> m_index;
    std::vector<std::string> m_names;
    // The columns a field read (get): the others become attributes. One importer's, on one
    // thread; set while the first rows are read, as each reader reads the same columns.
    mutable std::vector<bool> m_read;
};

double coordinate(std::string_view text, std::string_view name, double limit) {
    auto v = geo::parse_double(trim_space(text));
    if (!v && std::count(text.begin(), text.end(), ',') == 1 &&
        text.find('.') == std::string_view::npos) {
        // A decimal comma, as European spreadsheets write "48,5953".
        std::string dotted(trim_space(text));
        dotted[dotted.find(',')] = '.';
        v = geo::parse_double(dotted);
    }
    if (!v) {
        throw InvalidInput(std::string(name) + " '" + std::string(text.substr(0, 30)) +
                           "' is not a number");
    }
    if (std::fabs(*v) > limit) {
        throw InvalidInput(std::string(name) + " " + std::string(text.substr(0, 30)) +
                           " is out of range");
    }
    return *v;
}

int count(std::string_view text, std::string_view name) {
    if (trim_space(text).empty()) {
        return 0;
    }
    auto v = to_int(text);
    if (!v || *v < 0 || *v > 10000000) {
        throw InvalidInput(std::string(name) + " '" + std::string(text.substr(0, 30)) +
                           "' is not a count");
    }
    return static_cast<int>(*v);
}

std::string country_of(const ImportOptions& opt, std::string_view code, std::string_view name) {
    code = trim_space(code);
    if (code.size() == 2 && std::isalpha(static_cast<unsigned char>(code[0])) &&
        std::isalpha(static_cast<unsigned char>(code[1]))) {
        std::string c(code);
        for (auto& ch : c) {
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        }
        return c;
    }
    if (!opt.country_code) {
        return {};
    }
    if (auto c = opt.country_code(trim_space(name)); !c.empty()) {
        return c;
    }
    // UCDP writes "Yemen (North Yemen)", "Russia (Soviet Union)".
    if (auto p = name.find(" ("); p != std::string_view::npos) {
        return opt.country_code(trim_space(name.substr(0, p)));
    }
    return {};
}

// The day/month order of each date column of a file.
using DateOrders = std::map<std::string, text::DayMonthOrder, std::less<>>;

std::string date_of(const Columns& c, const DateOrders& dates, const std::vector<std::string>& row,
                    std::string_view column) {
    const auto value = c.get(row, column);
    auto it = dates.find(column);
    const auto order = it == dates.end() ? text::DayMonthOrder::unknown : it->second;
    if (auto d = text::parse_file_date(value, order)) {
        return d->iso();
    }
    throw InvalidInput(std::string(column) + " '" + std::string(value.substr(0, 30)) +
                       "' is not a date (YYYY-MM-DD with or without a time, " +
                       (order == text::DayMonthOrder::month_first ? "MM/DD/YYYY" : "DD/MM/YYYY") +
                       ", DD Month YYYY, Month DD, YYYY or a spreadsheet date number)");
}

// One column of an ACLED row into its field: text as it is, a date in the file's convention, a
// count or a number (empty: the field keeps its default), a coordinate within its range; a
// geonameid that is not a number is left out, and so is a confidence outside [0, 1].
void read_acled_column(const Columns& c, const DateOrders& dates,
                       const std::vector<std::string>& row, const ImportOptions& opt,
                       const detail::AcledColumn& column, Incident& i) {
    const std::string_view text = c.get(row, column.name);
    const FieldInfo& f = info(column.field);
    FieldValue v;
    std::string date;
    switch (column.field) {
    case Field::country:
        i.country = country_of(opt, c.get(row, detail::acled_iso_column), text);
        return;
    case Field::lat:
    case Field::lon:
        v.number = coordinate(text, column.name, column.field == Field::lat ? 90.0 : 180.0);
        break;
    case Field::geonameid: {
        const auto n = text.empty() ? std::nullopt : to_int(text);
        if (!n) {
            return;
        }
        v.integer = *n;
        break;
    }
    case Field::confidence: {
        const auto x = geo::parse_double(text);
        if (text.empty()) {
            i.confidence = 0.9; // hand-coded data
        } else if (x && *x >= 0 && *x <= 1) {
            i.confidence = *x;
        }
        return;
    }
    default:
        if (f.type == FieldType::date) {
            date = date_of(c, dates, row, column.name);
            v.text = date;
        } else if (is_textual(f.type)) {
            v.text = text;
        } else if (text.empty()) {
            return;
        } else if (f.type == FieldType::integer) {
            v.integer = count(text, column.name);
        } else {
            v.number = coordinate(text, column.name, std::numeric_limits<double>::max());
        }
    }
    set_field(i, column.field, v);
}

// A row by the ACLED layout (detail::acled_columns): the value columns of the fields a file
// gives, in the layout's order (the first bad one is the row's error).
Incident from_acled(const Columns& c, const DateOrders& dates, const std::vector<std::string>& row,
                    const ImportOptions& opt) {
    Incident i;
    for (const auto& column : detail::acled_columns) {
        if (column.kind == detail::AcledColumnKind::value && !info(column.field).assigned) {
            read_acled_column(c, dates, row, opt, column, i);
        }
    }
    return i;
}

Incident from_ucdp(const Columns& c, const DateOrders& dates, const std::vector<std::string>& row,
                   const ImportOptions& opt) {
    Incident i;
    auto id = c.get(row, "id");
    if (id.empty()) {
        throw InvalidInput("the UCDP id is empty");
    }
    i.source_id = "UCDP:" + std::string(id);
    i.event_date = date_of(c, dates, row, "date_start");
    // date_prec: 1 the day, 2 2–6 days, 3 the week, 4 the month, 5 longer.
    switch (count(c.get(row, "date_prec"), "date_prec")) {
    case 0:
    case 1:
        i.time_precision = 1;
        break;
    case 2:
    case 3:
        i.time_precision = 2;
        break;
    default:
        i.time_precision = 3;
        break;
    }
    switch (count(c.get(row, "type_of_violence"), "type_of_violence")) {
    case 1:
    case 2:
        i.event_type = "Battles";
        i.sub_event_type = "Armed clash";
        break;
    case 3:
        i.event_type = "Violence against civilians";
        i.sub_event_type = "Attack";
        break;
    default:
        throw InvalidInput("type_of_violence must be 1, 2 or 3");
    }
    i.actor1 = std::string(c.get(row, "side_a"));
    i.actor2 = std::string(c.get(row, "side_b"));
    i.country = country_of(opt, {}, c.get(row, "country"));
    i.admin1 = std::string(c.get(row, "adm_1"));
    i.admin2 = std::string(c.get(row, "adm_2"));
    i.location = std::string(c.get(row, "where_coordinates"));
    i.point.lat = coordinate(c.get(row, "latitude"), "latitude", 90.0);
    i.point.lon = coordinate(c.get(row, "longitude"), "longitude", 180.0);
    // where_prec: 1 the place, 2 within 25 km, 3-5 admin areas or larger, 6-7 country or sea.
    switch (count(c.get(row, "where_prec"), "where_prec")) {
    case 0:
    case 1:
        i.geo_precision = 1;
        break;
    case 2:
        i.geo_precision = 2;
        break;
    default:
        i.geo_precision = 3;
        break;
    }
    i.fatalities = count(c.get(row, "best"), "best");
    i.source = std::string(c.get(row, "source_office"));
    std::string notes(c.get(row, "source_headline"));
    if (auto w = c.get(row, "where_description"); !w.empty()) {
        notes += (notes.empty() ? "" : " — ") + std::string(w);
    }
    i.notes = notes;
    i.confidence = 0.9;
    // Columns the user named (--map) for a field are read as in an ACLED file, over UCDP's.
    for (const auto& m : opt.columns) {
        read_acled_column(c, dates, row, opt, detail::acled_column(m.target), i);
    }
    return i;
}

// The digest of rows without source ids: SHA-256 of their features, in order.
std::string rows_digest(const std::vector<Incident>& rows) {
    std::string all;
    for (const auto& i : rows) {
        all += incident_feature(i);
        all.push_back('\n');
    }
    return text_sha256(all);
}

// Rows with a source id are written batch_size to a transaction: a re-run finds those that
// committed and updates them. Rows without one could not be told apart from what a re-run adds:
// they are kept for the last transaction, which also records their digest, and are not written
// when the store has that digest already. An import killed part-way (SIGKILL, a lost server),
// before or after that transaction committed, is thus completed by running it again.
class Batcher {
public:
    Batcher(IncidentStore& store, const ImportOptions& opt, ImportReport& report)
        : m_store(store), m_opt(opt), m_report(report) {}

    void add(Incident&& i) {
        if (i.source_id.empty()) {
            m_unnamed.push_back(std::move(i));
            return;
        }
        m_pending.push_back(std::move(i));
        if (!m_opt.strict && m_pending.size() >= std::max<std::size_t>(1, m_opt.batch_size)) {
            flush();
        }
    }

    void flush() {
        if (m_pending.empty()) {
            return;
        }
        if (m_opt.dry_run) { // every row was read and checked; nothing is written
            m_report.written = false;
            m_pending.clear();
            if (m_opt.progress) {
                m_opt.progress(m_report.rows);
            }
            return;
        }
        auto updated = m_store.upsert_all(m_pending);
        m_report.updated += updated;
        m_report.created += m_pending.size() - updated;
        m_pending.clear();
        if (m_opt.progress) {
            m_opt.progress(m_report.rows);
        }
    }

    void finish() {
        if (m_opt.strict && !m_report.errors.empty()) {
            m_report.written = false;
            m_pending.clear();
            m_unnamed.clear();
            return;
        }
        if (m_unnamed.empty() || m_opt.dry_run) {
            m_pending.insert(m_pending.end(), std::make_move_iterator(m_unnamed.begin()),
                             std::make_move_iterator(m_unnamed.end()));
            m_unnamed.clear();
            flush();
            return;
        }
        const auto digest = rows_digest(m_unnamed);
        const auto rows = m_unnamed.size();
        m_store.in_write_transaction([&] {
            const bool before = m_store.imported(digest);
            if (before) {
                m_report.unchanged += rows;
            } else {
                m_pending.insert(m_pending.end(), std::make_move_iterator(m_unnamed.begin()),
                                 std::make_move_iterator(m_unnamed.end()));
            }
            flush(); // the rows with source ids of the last batch, and these
            if (!before) {
                m_store.record_import({digest, rows, {}});
            }
        });
        m_unnamed.clear();
    }

private:
    IncidentStore& m_store;
    const ImportOptions& m_opt;
    ImportReport& m_report;
    std::vector<Incident> m_pending;
    std::vector<Incident> m_unnamed; ///< the rows without a source id, for the last transaction
};

// The reason of a message: what it quotes ('...') and the number of the record or feature it
// names left out, so that rows fail alike.
std::string reason_of(const std::string& message) {
    std::string_view m = message;
    for (std::string_view prefix : {"feature ", "record "}) {
        if (m.substr(0, prefix.size()) == prefix) {
            const auto colon = m.find(": ");
            if (colon != std::string_view::npos &&
                m.find_first_not_of("0123456789", prefix.size()) == colon) {
                m.remove_prefix(colon + 2);
            }
        }
    }
    std::string out;
    bool quoted = false;
    for (char c : m) {
        if (c == '\'') {
            out += quoted ? "'" : "'…";
            quoted = !quoted;
        } else if (!quoted) {
            out.push_back(c);
        }
    }
    return out;
}

void count_reason(ImportReport& r, std::size_t line, const std::string& message) {
    const auto reason = reason_of(message);
    auto it = std::find_if(r.reasons.begin(), r.reasons.end(),
                           [&](const RejectionReason& x) { return x.reason == reason; });
    if (it == r.reasons.end()) {
        if (r.reasons.size() >= 100) { // a wrong file must not exhaust memory
            return;
        }
        it = r.reasons.insert(r.reasons.end(), {reason, 0, {}});
    }
    ++it->rows;
    if (it->first_lines.size() < 5) {
        it->first_lines.push_back(line);
    }
}

// Errors are kept up to a limit (a wrong file must not exhaust memory); all are counted.
void fail(ImportReport& r, std::size_t line, const std::string& message) {
    ++r.rejected;
    count_reason(r, line, message);
    if (r.errors.size() < 1000) {
        r.errors.push_back({line, message});
    } else if (r.errors.size() == 1000) {
        r.errors.push_back({line, "more errors follow; stopping the list at 1000"});
    }
}

std::string examples(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        out += (out.empty() ? "" : ", ") + v;
    }
    return out;
}

// The order of one column from its vote, or the reason the file cannot be read.
DateConvention decide(const std::string& column, const text::DayMonthVote& vote) {
    DateConvention c{column, vote.order(), vote.numeric(), vote.day_first() + vote.month_first()};
    const std::string give = "; give --dates dmy (day first) or --dates mdy (month first)";
    if (vote.conflicting()) {
        throw InvalidInput("the " + column + " column has day/month dates (" +
                           examples(vote.day_first_examples()) + ") and month/day dates (" +
                           examples(vote.month_first_examples()) + ")" + give);
    }
    if (c.order == text::DayMonthOrder::unknown && !vote.ambiguous_examples().empty()) {
        throw InvalidInput("the " + column + " column's " + std::to_string(vote.numeric()) +
                           " numeric dates could each be day/month or month/day (" +
                           examples(vote.ambiguous_examples()) + ")" + give);
    }
    return c;
}

// A CSV file's rows: the header read once, each pass from the stream's position at the start
// (a stream that cannot seek is read once).
class CsvRows : public detail::RowSource {
public:
    explicit CsvRows(std::istream& in) : m_in(in), m_start(in.tellg()) {
        const bool seekable = m_start != std::streampos(-1);
        m_delimiter = seekable ? sniff_delimiter(in) : ',';
        m_reader = std::make_unique<CsvReader>(m_in, m_delimiter);
        std::size_t line = 0;
        if (!m_reader->next(m_header, line)) {
            throw InvalidInput("the CSV file is empty");
        }
        if (seekable) {
            m_reader.reset();
        }
    }
    [[nodiscard]] const std::vector<std::string>& header() const override { return m_header; }

    void read(detail::RowVisitor& visitor) override {
        std::vector<std::string> row;
        std::size_t line = 0;
        if (!m_reader) {
            if (m_start == std::streampos(-1)) {
                throw InvalidInput("the CSV input cannot be read twice (its date order is "
                                   "decided from all of its rows): give a file, or --dates");
            }
            m_in.clear();
            m_in.seekg(m_start);
            m_reader = std::make_unique<CsvReader>(m_in, m_delimiter);
            m_reader->next(row, line); // the header
        }
        // A stream that cannot seek is read once, on from its header.
        const std::unique_ptr<CsvReader> csv = std::move(m_reader);
        while (true) {
            try {
                if (!csv->next(row, line)) {
                    break;
                }
            } catch (const InvalidInput& e) {
                visitor.error(line, e.what());
                break;
            }
            if (row.size() != m_header.size()) {
                visitor.error(line, "the row has " + std::to_string(row.size()) +
                                        " fields, the header " + std::to_string(m_header.size()));
                continue;
            }
            visitor.row(row, line, {});
        }
    }

private:
    std::istream& m_in;
    std::streampos m_start;
    char m_delimiter = ',';
    std::vector<std::string> m_header;
    std::unique_ptr<CsvReader> m_reader; // set while the stream stands after the header
};

// First pass: the day/month order of each date column, from all of the rows (a first number
// above 12 shows day/month, a second one month/day).
DateOrders decide_date_orders(detail::RowSource& source, const Columns& header,
                              const std::vector<std::string>& columns, const ImportOptions& opt,
                              ImportReport& report) {
    DateOrders orders;
    if (opt.dates != text::DayMonthOrder::unknown) {
        for (const auto& col : columns) {
            orders[col] = opt.dates;
            report.dates.push_back({col, opt.dates, 0, 0, true});
        }
        return orders;
    }
    struct Voter : detail::RowVisitor {
        const Columns& header;
        const std::vector<std::string>& columns;
        std::vector<text::DayMonthVote> votes;
        Voter(const Columns& h, const std::vector<std::string>& c)
            : header(h), columns(c), votes(c.size()) {}
        void row(std::vector<std::string>& cells, std::size_t /*line*/,
                 std::string_view /*where*/) override {
            for (std::size_t k = 0; k < columns.size(); ++k) {
                votes[k].observe(header.get(cells, columns[k]));
            }
        }
        void error(std::size_t /*line*/, const std::string& /*message*/) override {
            // the second pass reports it
        }
    } voter(header, columns);
    source.read(voter);
    for (std::size_t k = 0; k < columns.size(); ++k) {
        report.dates.push_back(decide(columns[k], voter.votes[k]));
        orders[columns[k]] = report.dates.back().order;
    }
    return orders;
}

// Which column names a file's rows are read by.
enum class Layout { acled, ucdp };

// The second pass: each row mapped, validated and batched, or rejected with its reason.
class Importer : public detail::RowVisitor {
public:
    Importer(const Columns& columns, const DateOrders& dates, Layout layout,
             const ImportOptions& opt, ImportReport& report, Batcher& batch)
        : m_columns(columns), m_dates(dates), m_layout(layout), m_opt(opt), m_report(report),
          m_batch(batch) {}

    void row(std::vector<std::string>& cells, std::size_t line, std::string_view where) override {
        ++m_report.rows;
        try {
            Incident i = m_layout == Layout::acled ? from_acled(m_columns, m_dates, cells, m_opt)
                                                   : from_ucdp(m_columns, m_dates, cells, m_opt);
            if (!i.attributes) {
                i.attributes = m_columns.others(cells);
            }
            validate(i);
            m_batch.add(std::move(i));
        } catch (const InvalidInput& e) {
            fail(m_report, line,
                 where.empty() ? std::string(e.what()) : std::string(where) + ": " + e.what());
        }
    }
    void error(std::size_t line, const std::string& message) override {
        ++m_report.rows;
        fail(m_report, line, message);
    }

private:
    const Columns& m_columns;
    const DateOrders& m_dates;
    Layout m_layout;
    const ImportOptions& m_opt;
    ImportReport& m_report;
    Batcher& m_batch;
};

} // namespace

namespace detail {

ImportReport import_rows(IncidentStore& store, RowSource& source, bool ucdp,
                         const ImportOptions& opt, const char* what) {
    ImportReport report;
    Columns columns(source.header(), opt.columns);
    const Layout layout = ucdp ? Layout::ucdp : Layout::acled;
    if (layout == Layout::acled) {
        columns.require({"event_date", "event_type", "latitude", "longitude"}, what);
        // The layout's columns that the exports write and the import derives (year, iso, the
        // evidence's texts) are no attributes of the row.
        for (const auto& c : detail::acled_columns) {
            columns.mark_read(c.name);
        }
    } else {
        columns.require({"id", "type_of_violence", "latitude", "longitude", "date_start"}, what);
    }
    const auto dates = decide_date_orders(source, columns,
                                          layout == Layout::acled
                                              ? std::vector<std::string>{"event_date"}
                                              : std::vector<std::string>{"date_start", "date_end"},
                                          opt, report);
    Batcher batch(store, opt, report);
    Importer importer(columns, dates, layout, opt, report, batch);
    source.read(importer);
    batch.finish();
    return report;
}

} // namespace detail

ImportReport import_incidents(IncidentStore& store, std::istream& in, ImportFormat format,
                              const ImportOptions& opt) {
    if (format == ImportFormat::geojson) {
        ImportReport report;
        Batcher batch(store, opt, report);
        std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!text::is_valid_utf8(doc)) {
            throw InvalidInput("the GeoJSON is not valid UTF-8 (RFC 8259 requires it)");
        }
        auto spans = detail::feature_spans(doc);
        std::size_t line = 1;
        std::size_t pos = 0;
        for (std::size_t k = 0; k < spans.size(); ++k) {
            const auto& sp = spans[k];
            line += static_cast<std::size_t>(std::count(doc.begin() + static_cast<long>(pos),
                                                        doc.begin() + static_cast<long>(sp.begin),
                                                        '\n'));
            pos = sp.begin;
            ++report.rows;
            try {
                batch.add(incident_from_feature(
                    std::string_view(doc).substr(sp.begin, sp.end - sp.begin)));
            } catch (const InvalidInput& e) {
                fail(report, line, "feature " + std::to_string(k + 1) + ": " + e.what());
            }
        }
        batch.finish();
        return report;
    }
    if (format == ImportFormat::gdal) {
        throw InvalidInput("GDAL reads files by their path: use import_dataset");
    }
    if (format == ImportFormat::acled_json) {
        detail::AcledJsonRows rows(in);
        if (rows.header().empty()) { // "data": [] — nothing to import, nothing wrong
            return {};
        }
        return detail::import_rows(store, rows, false, opt, "ACLED API JSON");
    }
    CsvRows rows(in);
    return format == ImportFormat::acled
               ? detail::import_rows(store, rows, false, opt, "ACLED CSV")
               : detail::import_rows(store, rows, true, opt, "UCDP GED CSV");
}

} // namespace incidentmap::incidents
