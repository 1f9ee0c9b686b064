#include "cli.hpp"
#include "incidentmap/extract/extract.hpp"

#include <iostream>
#include <utility>

namespace incidentmap::cli {

namespace {

// "; placed at their region only: X (R), Y (S)", or nothing.
std::string unplaced_note(const std::vector<std::string>& names) {
    std::string note;
    for (const auto& n : names) {
        note += (note.empty() ? "; placed at their region only: " : ", ") + n;
    }
    return note;
}

int run(const Args& args) {
    if (args.positional().empty()) {
        args.usage_error("no article given");
    }
    auto gz = gazetteer::Gazetteer::open(args.get_or("gazetteer", "data/gazetteer.sqlite"));
    gazetteer::GeoparseOptions options;
    options.focus = gazetteer::parse_focus(args.get_or("focus", ""), gz);
    incidents::Extractor extractor(gz, std::move(options));
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
                      << unplaced_note(r.unplaced) << std::endl;
        }
    }
    return status;
}

} // namespace

const Command& ingest_command() {
    static const Command c{
        "ingest",
        "extract incidents from articles and store them",
        "FILE|- [FILE...] [options]",
        {{"db", "FILE|URI",
          "the store: a SpatiaLite file or postgresql://... (default data/incidents.sqlite)"},
         {"gazetteer", "FILE", "the gazetteer (default data/gazetteer.sqlite)"},
         {"focus", "CC[,CC...]",
          "countries the articles report on (ISO codes, e.g. UA,RU): ambiguous names lean "
          "toward them"},
         {"published", "YYYY-MM-DD",
          "the articles' date; relative dates resolve against it (default today)"},
         {"source", "NAME", "who published them (default: read from a source line at the top)"},
         {"url", "URL", "where the article was published"},
         {"title", "TEXT", "the article's title"},
         {"dry-run", "", "print the incidents found, one a line; store nothing"},
         {"quiet", "", "no line per article on standard error"}},
        "Each article is stored with its incidents in one transaction: an ingest stopped half-way\n"
        "leaves nothing of the article, and running it again stores it. An article stored before\n"
        "(same text or url) is left as it is.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
