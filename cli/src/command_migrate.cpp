#include "cli.hpp"
#include "incidentmap/store/store.hpp"

#include <iostream>

namespace incidentmap::cli {

namespace {

int run(const Args& args) {
    const auto from = args.get("from");
    const auto to = args.get("to");
    if (!from || !to || !args.positional().empty()) {
        args.usage_error("give --from and --to");
    }
    const bool quiet = args.flag("quiet");
    const auto batch = static_cast<std::size_t>(args.integer("batch", 5000, 1, 1000000));
    auto source = incidents::open_store(*from);
    auto target = incidents::open_store(*to);
    const auto want = source->counts();
    const auto there = target->counts();
    if (there.articles || there.incidents || there.evidence) {
        throw InvalidInput("the target already holds " + std::to_string(there.incidents) +
                           " incidents and " + std::to_string(there.articles) +
                           " articles; migrate into an empty database");
    }
    auto say = [&](const std::string& what) {
        if (!quiet) {
            std::cerr << "\r[migrate] " << what << std::flush;
        }
    };
    std::vector<incidents::Article> articles;
    std::vector<incidents::Incident> none;
    std::size_t done = 0;
    source->for_each_article([&](incidents::Article& a) {
        articles.push_back(std::move(a));
        if (articles.size() == batch) {
            target->restore(articles, none);
            done += articles.size();
            articles.clear();
            say(std::to_string(done) + " / " + std::to_string(want.articles) + " articles");
        }
    });
    target->restore(articles, none);
    done += articles.size();
    say(std::to_string(done) + " / " + std::to_string(want.articles) + " articles\n");

    std::vector<incidents::Incident> page;
    done = 0;
    incidents::IncidentQuery all;
    source->for_each(all, [&](incidents::Incident& i) {
        page.push_back(std::move(i));
        if (page.size() == batch) {
            std::vector<incidents::Article> no_articles;
            target->restore(no_articles, page);
            done += page.size();
            page.clear();
            say(std::to_string(done) + " / " + std::to_string(want.incidents) + " incidents");
        }
    });
    std::vector<incidents::Article> no_articles;
    target->restore(no_articles, page);
    done += page.size();
    say(std::to_string(done) + " / " + std::to_string(want.incidents) + " incidents\n");

    const auto got = target->counts();
    if (!(got == want)) {
        throw StorageError("verification failed: the source holds " +
                           std::to_string(want.articles) + " articles, " +
                           std::to_string(want.incidents) + " incidents, " +
                           std::to_string(want.evidence) + " evidence rows; the target " +
                           std::to_string(got.articles) + ", " + std::to_string(got.incidents) +
                           ", " + std::to_string(got.evidence));
    }
    if (!quiet) {
        std::cerr << "[migrate] verified: " << got.articles << " articles, " << got.incidents
                  << " incidents, " << got.evidence << " evidence rows on both sides\n";
    }
    return 0;
}

} // namespace

const Command& migrate_command() {
    static const Command c{
        "migrate",
        "copy a store into an empty other one (SpatiaLite to PostGIS or back)",
        "--from FILE|URI --to FILE|URI [options]",
        {{"from", "FILE|URI", "the store to copy"},
         {"to", "FILE|URI", "the empty store to copy into"},
         {"batch", "N", "rows per transaction (default 5000)"},
         {"quiet", "", "no progress"}},
        "Every article, incident and evidence row is copied with its id and timestamps, and the\n"
        "counts of both sides are compared at the end.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
