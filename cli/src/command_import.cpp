#include "cli.hpp"
#include "incidentmap/formats/import.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace incidentmap::cli {

namespace {

int run(const Args& args) {
    if (args.positional().size() != 1) {
        args.usage_error("give one file");
    }
    const std::string path = args.positional().front();
    const bool quiet = args.flag("quiet");
    std::unique_ptr<std::istream> file;
    std::istream* in = &std::cin;
    std::string buffered;
    if (path != "-") {
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
    incidents::ImportFormat format;
    if (auto f = args.get("format")) {
        format = incidents::parse_import_format(*f);
    } else {
        std::string head(4096, '\0');
        in->read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in->gcount()));
        in->clear();
        in->seekg(0);
        format = incidents::guess_import_format(head);
    }

    // Country names of ACLED and UCDP files become ISO codes through the gazetteer, when there.
    std::unique_ptr<gazetteer::Gazetteer> gz;
    const auto gz_path = args.get_or("gazetteer", "data/gazetteer.sqlite");
    if (std::filesystem::exists(gz_path)) {
        gz = std::make_unique<gazetteer::Gazetteer>(gazetteer::Gazetteer::open(gz_path));
    } else if (format != incidents::ImportFormat::geojson && !quiet) {
        std::cerr << "[import] no gazetteer at " << gz_path
                  << ": country names stay unresolved (give --gazetteer)\n";
    }
    incidents::ImportOptions options;
    options.strict = args.flag("strict");
    if (auto d = args.get("dates")) {
        auto order = text::parse_day_month_order(*d);
        if (!order) {
            throw InvalidInput(
                "option --dates expects dmy (day first) or mdy (month first), not '" + *d + "'");
        }
        options.dates = *order;
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
    if (!quiet) {
        options.progress = [](std::size_t rows) {
            std::cerr << "\r[import] " << rows << " rows" << std::flush;
        };
    }
    auto store = incidents::open_store(args.get_or("db", "data/incidents.sqlite"));
    auto report = incidents::import_incidents(*store, *in, format, options);
    if (!quiet && report.rows > 0) {
        std::cerr << "\n";
    }
    if (!quiet) {
        for (const auto& d : report.dates) {
            std::cerr << "[import] " << d.column << ": "
                      << (d.given          ? std::string(text::describe(d.order)) + " (--dates)"
                          : d.numeric == 0 ? std::string("no numeric dates")
                                           : std::string(text::describe(d.order)) + ", shown by " +
                                                 std::to_string(d.showing) + " of " +
                                                 std::to_string(d.numeric) + " numeric dates")
                      << "\n";
        }
    }
    for (const auto& e : report.errors) {
        std::cerr << (path == "-" ? "<stdin>" : path) << ":" << e.line << ": " << e.message << "\n";
    }
    if (!quiet || !report.errors.empty()) {
        std::cerr << "[import] " << report.rows << " rows: " << report.created << " created, "
                  << report.updated << " updated, " << report.rejected << " rejected"
                  << (report.written ? "" : "; --strict: nothing written") << "\n";
    }
    return report.errors.empty() ? 0 : 1;
}

} // namespace

const Command& import_command() {
    static const Command c{
        "import",
        "read incidents from GeoJSON, ACLED CSV or UCDP GED CSV",
        "FILE|- [options]",
        {{"db", "FILE|URI",
          "the store: a SpatiaLite file or postgresql://... (default data/incidents.sqlite)"},
         {"format", "F", "geojson, acled or ucdp (default: guessed from the first bytes)"},
         {"gazetteer", "FILE",
          "turns country names into ISO codes (default data/gazetteer.sqlite)"},
         {"dates", "ORDER",
          "numeric dates are dmy (day first) or mdy (month first) (default: decided per date "
          "column from all rows; a file that does not show it is refused)"},
         {"strict", "", "write nothing when any row is bad"},
         {"quiet", "", "no progress and summary (errors are still printed)"}},
        "A row with the same source id (event_id_cnty, UCDP:<id>, source_id) updates the stored\n"
        "incident. A bad row is reported as FILE:LINE: reason and the rest imports; the exit code\n"
        "is then 1.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
