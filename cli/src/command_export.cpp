#include "cli.hpp"
#include "incidentmap/formats/export.hpp"

#include <iostream>

namespace incidentmap::cli {

namespace {

int run(const Args& args) {
    if (!args.positional().empty()) {
        args.usage_error("unexpected argument '" + args.positional().front() + "'");
    }
    incidents::IncidentQuery q;
    q.limit = 1;
    if (auto v = args.get("bbox")) {
        q.bbox = geo::parse_bbox(*v);
    }
    if (auto v = args.get("since")) {
        q.since = *v;
    }
    if (auto v = args.get("until")) {
        q.until = *v;
    }
    if (auto v = args.get("type")) {
        q.types.push_back(*v);
    }
    if (auto v = args.get("min-fatalities")) {
        q.min_fatalities = static_cast<int>(args.integer("min-fatalities", 0, 0, 1000000));
    }
    if (auto v = args.get("q")) {
        q.text = *v;
    }
    q.sort = incidents::IncidentQuery::Sort::id_asc;
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

} // namespace

const Command& export_command() {
    static const Command c{
        "export",
        "write incidents as GeoJSON, GeoPackage, CSV, KML, FlatGeobuf",
        "[--format F] [--out FILE] [filters]",
        {{"db", "FILE|URI",
          "the store: a SpatiaLite file or postgresql://... (default data/incidents.sqlite)"},
         {"format", "F", "geojson, geojsonseq, gpkg, csv, kml or fgb (default geojson)"},
         {"out", "FILE",
          "where to write; - for standard output, for geojson, geojsonseq, csv, kml (default -)"},
         {"bbox", "W,S,E,N", "only incidents in this box (lon/lat, may cross the antimeridian)"},
         {"since", "YYYY-MM-DD", "only incidents on or after this date"},
         {"until", "YYYY-MM-DD", "only incidents on or before this date"},
         {"type", "TYPE", "only this ACLED event type"},
         {"min-fatalities", "N", "only incidents with at least N fatalities"},
         {"q", "WORDS", "only incidents whose text has every word"},
         {"quiet", "", "no summary on standard error"}},
        "Columns use ACLED's names (event_id_cnty, event_date, latitude, longitude, ...).\n",
        run};
    return c;
}

} // namespace incidentmap::cli
