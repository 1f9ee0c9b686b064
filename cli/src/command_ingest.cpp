#include "cli.hpp"
#include "incidentmap/extract/extract.hpp"

#include <iostream>

namespace incidentmap::cli {

int command_ingest(int argc, char** argv) {
    Args args(argc, argv, 2, {"quiet", "dry-run"},
              {"db", "gazetteer", "published", "source", "url", "title"});
    if (args.positional().empty()) {
        throw InvalidInput("usage: incidentmap ingest FILE|- [--published YYYY-MM-DD] [--source S] "
                           "[--url U] [--title T] [--db FILE] [--gazetteer FILE] [--dry-run]");
    }
    auto gz = gazetteer::Gazetteer::open(args.get_or("gazetteer", "data/gazetteer.sqlite"));
    incidents::Extractor extractor(gz);
    int status = 0;
    std::unique_ptr<incidents::IncidentStore> store;
    if (!args.flag("dry-run")) {
        store = incidents::open_store(args.get_or("db", "data/incidents.sqlite"));
    }
    for (const auto& path : args.positional()) {
        incidents::ArticleInput in;
        in.text = read_input(path);
        in.published = args.get_or("published", "");
        in.source = args.get_or("source", "");
        in.url = args.get_or("url", "");
        in.title = args.get_or("title", "");
        if (args.flag("dry-run")) {
            auto ex = extractor.extract(in);
            for (const auto& i : ex.incidents) {
                std::cout << i.event_date << "\t" << i.event_type << "\t" << i.sub_event_type
                          << "\t" << i.location << "\t" << i.geo_precision << "\t" << i.fatalities
                          << "/" << i.injured << "\t" << i.actor1 << "\t" << i.confidence << "\n";
            }
            continue;
        }
        auto r = incidents::ingest(*store, extractor, in);
        if (!args.flag("quiet")) {
            std::cerr << "[ingest] " << path << ": article " << r.article_id
                      << (r.existed ? " already stored, nothing changed"
                                    : ", " + std::to_string(r.created) + " incidents created, " +
                                          std::to_string(r.merged) + " merged into existing ones")
                      << std::endl;
        }
    }
    return status;
}

} // namespace incidentmap::cli
