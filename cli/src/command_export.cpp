#include "cli.hpp"
#include "incidentmap/formats/export.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/query/parameters.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

namespace incidentmap::cli {

namespace {

// A query parameter's option name: min_fatalities is --min-fatalities.
std::string option_name(std::string_view parameter) {
    std::string s(parameter);
    std::replace(s.begin(), s.end(), '_', '-');
    return s;
}

// The filters, as the REST API reads them from the same table; the gazetteer opens only for
// within=country:... or admin1:....
incidents::IncidentQuery query_of(const Args& args) {
    incidents::ParameterValues values;
    for (const auto& p : incidents::query_parameters()) {
        if (p.uses & incidents::cli_use) {
            if (auto v = args.get(option_name(p.name))) {
                values.emplace(p.name, *v);
            }
        }
    }
    std::unique_ptr<gazetteer::Gazetteer> gz;
    incidents::ParameterContext ctx;
    ctx.region = [&](std::string_view kind,
                     std::string_view spec) -> std::optional<std::pair<std::string, std::string>> {
        if (!gz) {
            gz = std::make_unique<gazetteer::Gazetteer>(
                gazetteer::Gazetteer::open(args.get_or("gazetteer", "data/gazetteer.sqlite")));
        }
        const auto* p = gazetteer::find_region(*gz, spec,
                                               kind == "country" ? gazetteer::PlaceKind::country
                                                                 : gazetteer::PlaceKind::admin1);
        if (p == nullptr) {
            return std::nullopt;
        }
        return std::make_pair(p->country, p->admin1);
    };
    incidents::IncidentQuery base;
    base.limit = 1; // an export takes every match; the page size is not used
    base.sort = incidents::IncidentQuery::Sort::id_asc;
    return incidents::query_from(values, incidents::cli_use, ctx, base);
}

int run(const Args& args) {
    if (!args.positional().empty()) {
        args.usage_error("unexpected argument '" + args.positional().front() + "'");
    }
    const auto q = query_of(args);
    auto format = incidents::parse_export_format(args.get_or("format", "geojson"));
    auto out = args.get_or("out", "-");
    if (out == "-" && !incidents::streams_to_stdout(format)) {
        throw InvalidInput("--out FILE is needed for this format");
    }
    auto store = incidents::open_store(args.get_or("db", "data/incidents.sqlite"));
    auto n = incidents::export_incidents(*store, q, format, out);
    if (!args.flag("quiet")) {
        std::cerr << "[export] " << n << " incidents written to " << (out == "-" ? "stdout" : out)
                  << "\n";
    }
    return 0;
}

// The command's own options, then one for each filter of the parameter table.
std::vector<Option> options() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& p : incidents::query_parameters()) {
            if (p.uses & incidents::cli_use) {
                v.push_back(option_name(p.name));
            }
        }
        return v;
    }();
    std::vector<Option> out = {
        {"db", "FILE|URI",
         "the store: a SpatiaLite file or postgresql://... (default data/incidents.sqlite)"},
        {"format", "F", "geojson, geojsonseq, gpkg, csv, kml or fgb (default geojson)"},
        {"out", "FILE",
         "where to write; - for standard output, for geojson, geojsonseq, csv, kml (default -)"},
        {"gazetteer", "FILE",
         "resolves --within country:/admin1: names (default data/gazetteer.sqlite)"},
        {"quiet", "", "no summary on standard error"}};
    std::size_t k = 0;
    for (const auto& p : incidents::query_parameters()) {
        if (p.uses & incidents::cli_use) {
            out.push_back({names[k++], p.type == "integer" || p.type == "number" ? "N" : "VALUE",
                           p.description});
        }
    }
    return out;
}

} // namespace

const Command& export_command() {
    static const Command c{
        "export",
        "write incidents as GeoJSON, GeoPackage, CSV, KML, FlatGeobuf",
        "[--format F] [--out FILE] [filters]",
        options(),
        "The filters are the REST API's (GET /api/incidents). Columns use ACLED's names\n"
        "(event_id_cnty, event_date, latitude, longitude, ...).\n",
        run};
    return c;
}

} // namespace incidentmap::cli
