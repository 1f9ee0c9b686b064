// Imports incidents from GeoJSON, ACLED CSV and UCDP GED CSV, upserting by source id.

#include "incidentmap/formats/import.hpp"

#include "geojson_spans.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/text/dates.hpp"
#include "incidentmap/text/utf8.hpp"

#include "acled_columns.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <optional>

namespace incidentmap::incidents {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

std::optional<long long> to_int(std::string_view s) {
    s = trim(s);
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

// A header → column index map; columns are read by name, in any order.
class Columns {
public:
    explicit Columns(const std::vector<std::string>& header) {
        for (std::size_t k = 0; k < header.size(); ++k) {
            m_index.emplace(lower(trim(header[k])), k);
        }
    }
    [[nodiscard]] bool has(const char* name) const { return m_index.count(name) > 0; }
    void require(std::initializer_list<const char*> names, const char* format) const {
        std::string missing;
        for (const char* n : names) {
            if (!has(n)) {
                missing += (missing.empty() ? "" : ", ") + std::string(n);
            }
        }
        if (!missing.empty()) {
            throw InvalidInput(std::string("this is not ") + format +
                               " CSV: the header lacks the column(s) " + missing);
        }
    }
    [[nodiscard]] std::string_view get(const std::vector<std::string>& row,
                                       std::string_view name) const {
        auto it = m_index.find(name);
        if (it == m_index.end() || it->second >= row.size()) {
            return {};
        }
        return trim(row[it->second]);
    }

private:
    std::map<std::string, std::size_t, std::less<>> m_index;
};

double coordinate(std::string_view text, std::string_view name, double limit) {
    auto v = geo::parse_double(trim(text));
    if (!v && std::count(text.begin(), text.end(), ',') == 1 &&
        text.find('.') == std::string_view::npos) {
        // A decimal comma, as European spreadsheets write "48,5953".
        std::string dotted(trim(text));
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
    if (trim(text).empty()) {
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
    code = trim(code);
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
    if (auto c = opt.country_code(trim(name)); !c.empty()) {
        return c;
    }
    // UCDP writes "Yemen (North Yemen)", "Russia (Soviet Union)".
    if (auto p = name.find(" ("); p != std::string_view::npos) {
        return opt.country_code(trim(name.substr(0, p)));
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
    return i;
}

class Batcher {
public:
    Batcher(IncidentStore& store, const ImportOptions& opt, ImportReport& report)
        : m_store(store), m_opt(opt), m_report(report) {}

    void add(Incident&& i) {
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
            return;
        }
        flush();
    }

private:
    IncidentStore& m_store;
    const ImportOptions& m_opt;
    ImportReport& m_report;
    std::vector<Incident> m_pending;
};

// The reason of a message: what it quotes ('...') left out, so that rows fail alike.
std::string reason_of(const std::string& message) {
    std::string out;
    bool quoted = false;
    for (char c : message) {
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

// First pass over a CSV file: the day/month order of each date column, from all of its rows
// (a first number above 12 shows day/month, a second one month/day). The stream is left where
// it was.
DateOrders decide_date_orders(std::istream& in, const std::vector<std::string>& columns,
                              const ImportOptions& opt, ImportReport& report) {
    DateOrders orders;
    if (opt.dates != text::DayMonthOrder::unknown) {
        for (const auto& col : columns) {
            orders[col] = opt.dates;
            report.dates.push_back({col, opt.dates, 0, 0, true});
        }
        return orders;
    }
    const auto start = in.tellg();
    if (start == std::istream::pos_type(-1)) {
        throw InvalidInput("the CSV input cannot be read twice (its date order is decided from "
                           "all of its rows): give a file, or --dates");
    }
    std::vector<text::DayMonthVote> votes(columns.size());
    {
        CsvReader csv(in, sniff_delimiter(in));
        std::vector<std::string> row;
        std::size_t line = 0;
        if (csv.next(row, line)) {
            Columns header(row);
            try {
                while (csv.next(row, line)) {
                    for (std::size_t k = 0; k < columns.size(); ++k) {
                        votes[k].observe(header.get(row, columns[k].c_str()));
                    }
                }
            } catch (const InvalidInput&) { // the second pass reports it at its line
            }
        }
    }
    in.clear();
    in.seekg(start);
    for (std::size_t k = 0; k < columns.size(); ++k) {
        report.dates.push_back(decide(columns[k], votes[k]));
        orders[columns[k]] = report.dates.back().order;
    }
    return orders;
}

} // namespace

ImportFormat parse_import_format(const std::string& name) {
    if (name == "geojson" || name == "geojsonseq") {
        return ImportFormat::geojson;
    }
    if (name == "acled") {
        return ImportFormat::acled;
    }
    if (name == "ucdp") {
        return ImportFormat::ucdp;
    }
    throw InvalidInput("unknown import format '" + name.substr(0, 40) +
                       "' (use geojson, acled or ucdp)");
}

ImportFormat guess_import_format(std::string_view head) {
    if (head.substr(0, 3) == "\xEF\xBB\xBF") {
        head.remove_prefix(3);
    }
    auto t = trim(head);
    if (!t.empty() && (t.front() == '{' || t.front() == '[' || t.front() == '\x1e')) {
        return ImportFormat::geojson;
    }
    auto first_line = lower(head.substr(0, head.find('\n')));
    if (first_line.find("event_id_cnty") != std::string::npos ||
        (first_line.find("event_type") != std::string::npos &&
         first_line.find("latitude") != std::string::npos)) {
        return ImportFormat::acled;
    }
    if (first_line.find("type_of_violence") != std::string::npos) {
        return ImportFormat::ucdp;
    }
    throw InvalidInput("cannot tell the input format (GeoJSON, ACLED CSV or UCDP GED CSV); "
                       "give --format");
}

ImportReport import_incidents(IncidentStore& store, std::istream& in, ImportFormat format,
                              const ImportOptions& opt) {
    ImportReport report;
    Batcher batch(store, opt, report);
    if (format == ImportFormat::geojson) {
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
    const auto dates = decide_date_orders(in,
                                          format == ImportFormat::acled
                                              ? std::vector<std::string>{"event_date"}
                                              : std::vector<std::string>{"date_start", "date_end"},
                                          opt, report);
    CsvReader csv(in, sniff_delimiter(in));
    std::vector<std::string> row;
    std::size_t line = 0;
    if (!csv.next(row, line)) {
        throw InvalidInput("the CSV file is empty");
    }
    Columns columns(row);
    if (format == ImportFormat::acled) {
        columns.require({"event_date", "event_type", "latitude", "longitude"}, "ACLED");
    } else {
        columns.require({"id", "type_of_violence", "latitude", "longitude", "date_start"},
                        "UCDP GED");
    }
    const std::size_t width = row.size();
    while (true) {
        try {
            if (!csv.next(row, line)) {
                break;
            }
        } catch (const InvalidInput& e) {
            fail(report, line, e.what());
            break;
        }
        ++report.rows;
        try {
            if (row.size() != width) {
                throw InvalidInput("the row has " + std::to_string(row.size()) +
                                   " fields, the header " + std::to_string(width));
            }
            Incident i = format == ImportFormat::acled ? from_acled(columns, dates, row, opt)
                                                       : from_ucdp(columns, dates, row, opt);
            validate(i);
            batch.add(std::move(i));
        } catch (const InvalidInput& e) {
            fail(report, line, e.what());
        }
    }
    batch.finish();
    return report;
}

} // namespace incidentmap::incidents
