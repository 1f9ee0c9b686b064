#include "cli.hpp"
#include "incidentmap/formats/export.hpp"

#include <iostream>

namespace incidentmap::cli {

int command_export(int argc, char** argv) {
    Args args(argc, argv, 2, {"quiet"},
              {"db", "format", "out", "bbox", "since", "until", "type", "min-fatalities", "q"});
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
        q.min_fatalities = std::stoi(*v);
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

} // namespace incidentmap::cli
