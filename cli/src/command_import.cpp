#include "cli.hpp"
#include "incidentmap/formats/import.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace incidentmap::cli {

namespace {

std::size_t file_size(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::size_t>(n);
}

// Rows, rows/s and, when the size is known, the share read and the time left; on a terminal a
// line rewritten in place, elsewhere one line per batch.
class Progress {
public:
    Progress(std::istream& in, std::size_t size)
        : m_in(in), m_size(size), m_start(std::chrono::steady_clock::now()),
          m_tty(::isatty(2) != 0) {}

    void show(std::size_t rows) {
        const double secs = seconds();
        std::string line = "[import] " + std::to_string(rows) + " rows, " +
                           std::to_string(static_cast<long long>(rows / std::max(secs, 1e-3))) +
                           " rows/s";
        const auto pos = m_in.tellg();
        if (m_size > 0 && pos > 0) {
            const double share = static_cast<double>(pos) / static_cast<double>(m_size);
            line += ", " + std::to_string(static_cast<int>(100 * share)) + "%, " +
                    std::to_string(static_cast<long long>(secs * (1 - share) / share)) + " s left";
        }
        std::cerr << (m_tty ? "\r" + line + "\x1b[K" : line + "\n") << std::flush;
    }
    void done(std::size_t rows) {
        const double secs = seconds();
        std::cerr << (m_tty ? "\r" : "") << "[import] " << rows << " rows read in "
                  << static_cast<long long>(secs * 1000) << " ms ("
                  << static_cast<long long>(rows / std::max(secs, 1e-3)) << " rows/s)"
                  << (m_tty ? "\x1b[K\n" : "\n");
    }

private:
    [[nodiscard]] double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }
    std::istream& m_in;
    std::size_t m_size;
    std::chrono::steady_clock::time_point m_start;
    bool m_tty;
};

void print_dates(const incidents::ImportReport& report) {
    for (const auto& d : report.dates) {
        std::cerr << "[import] " << d.column << ": ";
        if (d.given) {
            std::cerr << text::describe(d.order) << " (--dates)\n";
        } else if (d.numeric == 0) {
            std::cerr << "no numeric dates\n";
        } else {
            std::cerr << text::describe(d.order) << ", shown by " << d.showing << " of "
                      << d.numeric << " numeric dates\n";
        }
    }
}

void print_report(const incidents::ImportReport& report, const std::string& name, bool quiet,
                  bool dry_run) {
    if (!quiet) {
        print_dates(report);
    }
    if (dry_run) { // the reasons, counted, instead of every line
        for (const auto& r : report.reasons) {
            std::cerr << "[import] " << r.rows << " rows rejected: " << r.reason << " (lines";
            for (auto l : r.first_lines) {
                std::cerr << " " << l;
            }
            std::cerr << (r.rows > r.first_lines.size() ? " ...)\n" : ")\n");
        }
    } else {
        for (const auto& e : report.errors) {
            std::cerr << name << ":" << e.line << ": " << e.message << "\n";
        }
    }
    if (quiet && report.rejected == 0) {
        return;
    }
    if (dry_run) {
        std::cerr << "[import] dry run: " << report.rows << " rows, "
                  << report.rows - report.rejected << " would be imported, " << report.rejected
                  << " rejected; nothing written\n";
        return;
    }
    std::cerr << "[import] " << report.rows << " rows: " << report.created << " created, "
              << report.updated << " updated, "
              << (report.unchanged
                      ? std::to_string(report.unchanged) + " without source ids imported before, "
                      : "")
              << report.rejected << " rejected"
              << (report.written ? "" : "; --strict: nothing written") << "\n";
}

// How a file is read: by GDAL (its path says so, --format gdal, or its first bytes are none
// of the formats read here), else by the format its first bytes show.
struct Input {
    bool gdal = false;
    incidents::ImportFormat format = incidents::ImportFormat::geojson;
};

Input input_of(const Args& args, const std::string& path, std::istream& in) {
    if (auto f = args.get("format")) {
        const auto format = incidents::parse_import_format(*f);
        return {format == incidents::ImportFormat::gdal, format};
    }
    if (path != "-" && incidents::is_gdal_path(path)) {
        return {true, incidents::ImportFormat::gdal};
    }
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    in.clear();
    in.seekg(0);
    try {
        return {false, incidents::guess_import_format(head)};
    } catch (const InvalidInput&) {
        if (path == "-") {
            throw;
        }
        return {true, incidents::ImportFormat::gdal}; // a CSV with lon/lat, a binary format
    }
}

int run(const Args& args) {
    if (args.positional().size() != 1) {
        args.usage_error("give one file");
    }
    const std::string path = args.positional().front();
    const bool quiet = args.flag("quiet");
    std::unique_ptr<std::istream> file;
    std::istream* in = &std::cin;
    std::string buffered;
    const bool virtual_file = path.rfind("/vsi", 0) == 0; // GDAL's: /vsizip/a.zip/b.csv
    if (path != "-" && !virtual_file) {
        if (!std::filesystem::is_regular_file(path)) {
            throw NotFound("cannot read '" + path + "': no such file");
        }
        file = std::make_unique<std::ifstream>(path, std::ios::binary);
        in = file.get();
    }
    // Standard input is buffered whole: the format is guessed from the first bytes, and CSV
    // files are read twice (their date columns first).
    if (path == "-") {
        buffered.assign(std::istreambuf_iterator<char>(std::cin), {});
        file = std::make_unique<std::istringstream>(buffered);
        in = file.get();
    }
    Input input =
        virtual_file ? Input{true, incidents::ImportFormat::gdal} : input_of(args, path, *in);
    incidents::ImportOptions options;
    if (auto m = args.get("map")) {
        options.columns = incidents::parse_column_mapping(*m);
        // The GeoJSON reader takes incidentmap's and ACLED's property names only; GDAL's
        // reads a GeoJSON file's other names as --map says.
        if (input.format == incidents::ImportFormat::geojson && path != "-") {
            input.gdal = true;
        }
    }
    std::istringstream nothing;
    if (input.gdal) {
        in = &nothing; // GDAL reads the path itself
    }

    // Country names of ACLED and UCDP files become ISO codes through the gazetteer, when there.
    // The GeoJSON reader takes codes only: it is not opened for it (that takes seconds).
    std::unique_ptr<gazetteer::Gazetteer> gz;
    const auto gz_path = args.get_or("gazetteer", "data/gazetteer.sqlite");
    const bool names_countries = input.gdal || input.format != incidents::ImportFormat::geojson;
    if (names_countries && std::filesystem::exists(gz_path)) {
        gz = std::make_unique<gazetteer::Gazetteer>(gazetteer::Gazetteer::open(gz_path));
    } else if (input.format != incidents::ImportFormat::geojson && !quiet) {
        std::cerr << "[import] no gazetteer at " << gz_path
                  << ": country names stay unresolved (give --gazetteer)\n";
    }
    options.strict = args.flag("strict");
    if (auto d = args.get("dates")) {
        auto order = text::parse_day_month_order(*d);
        if (!order) {
            throw InvalidInput(
                "option --dates expects dmy (day first) or mdy (month first), not '" + *d + "'");
        }
        options.dates = *order;
    }
    options.layer = args.get_or("layer", "");
    if (!options.layer.empty() && !input.gdal) {
        throw InvalidInput("--layer is for files GDAL reads (give --format gdal)");
    }
    if (gz) {
        options.country_code = [&gz](std::string_view name) -> std::string {
            if (name.empty() || name.size() > 100) {
                return {};
            }
            gazetteer::LookupOptions opt;
            opt.match = gazetteer::LookupOptions::Match::exact;
            opt.limit = 20;
            for (const auto& c : gz->lookup(name, opt)) {
                if (c.place->kind == gazetteer::PlaceKind::country && !c.place->country.empty()) {
                    return c.place->country;
                }
            }
            return {};
        };
    }
    const bool dry_run = args.flag("dry-run");
    options.dry_run = dry_run;
    Progress progress(*in, input.gdal ? 0 : path == "-" ? buffered.size() : file_size(path));
    if (!quiet) {
        options.progress = [&](std::size_t rows) { progress.show(rows); };
    }
    // A dry run reads and checks everything against a store of its own, which it drops.
    auto store = incidents::open_store(dry_run ? std::string(":memory:")
                                               : args.get_or("db", "data/incidents.sqlite"));
    auto report = input.gdal ? incidents::import_dataset(*store, path, options)
                             : incidents::import_incidents(*store, *in, input.format, options);
    if (!quiet && report.rows > 0) {
        progress.done(report.rows);
    }
    print_report(report, path == "-" ? "<stdin>" : path, quiet, dry_run);
    return report.errors.empty() ? 0 : 1;
}

} // namespace

const Command& import_command() {
    static const Command c{
        "import",
        "read incidents from ACLED CSV or API JSON, UCDP GED CSV, GeoJSON or any GDAL point layer",
        "FILE|- [options]",
        {{"db", "FILE|URI",
          "the store: a SpatiaLite file or postgresql://... (default data/incidents.sqlite)"},
         {"format", "F",
          "geojson, acled, acled-json, ucdp or gdal (default: gdal for the paths below, else "
          "guessed from the first bytes, and gdal when they are none of the others)"},
         {"map", "FIELD=COLUMN,...",
          "read the file's COLUMN as the incident's FIELD (event_date=DATE,notes=DESC); it wins "
          "over a column of the field's own or ACLED name (GeoJSON is then read by GDAL)"},
         {"layer", "NAME", "the layer of a GDAL dataset that has several"},
         {"gazetteer", "FILE",
          "turns country names into ISO codes (default data/gazetteer.sqlite)"},
         {"dry-run", "",
          "read and check every row, print what would be imported and why rows would be rejected; "
          "write nothing"},
         {"dates", "ORDER",
          "numeric dates are dmy (day first) or mdy (month first) (default: decided per date "
          "column from all rows; a file that does not show it is refused)"},
         {"strict", "", "write nothing when any row is bad"},
         {"quiet", "", "no progress and summary (errors are still printed)"}},
        "Inputs: ACLED CSV (the export tool's, or a spreadsheet's: ';' and decimal commas,\n"
        "Windows-1252); the ACLED API's JSON ({\"data\": [...]}, values as strings); UCDP GED "
        "CSV;\n"
        "GeoJSON. GDAL reads the rest: /vsizip/... and .zip paths (UCDP's GED zip), .xlsx,\n"
        ".gpkg, .shp, .kml, .fgb and any vector file it opens; attributes are read by the ACLED\n"
        "(or, with type_of_violence, UCDP) column names and --map, points from the geometry\n"
        "(reprojected to WGS 84) or, without one, the latitude/longitude columns. A feature\n"
        "whose geometry is not a point is rejected: its centroid would be a place the data\n"
        "never named.\n"
        "\n"
        "A row with the same source id (event_id_cnty, UCDP:<id>, source_id) updates the stored\n"
        "incident. Rows without a source id are written together at the end, with a digest of\n"
        "them: the same rows imported again are not stored twice. An import that stopped\n"
        "part-way is thus completed by running it again. A bad row is reported as FILE:LINE:\n"
        "reason (FILE:N: feature N for GDAL) and the rest imports; the exit code is then 1.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
