#include "cli.hpp"
#include "incidentmap/store/store.hpp"

#include <iostream>

namespace incidentmap::cli {

// incidentmap migrate --from LOCATION --to LOCATION [--batch N] [--quiet]
// Copies every article, incident and evidence row (ids and timestamps kept) from one store to
// an empty other one — SpatiaLite to PostGIS or back — and verifies the counts.
int command_migrate(int argc, char** argv) {
    Args args(argc, argv, 2, {"quiet"}, {"from", "to", "batch"});
    const auto from = args.get("from");
    const auto to = args.get("to");
    if (!from || !to) {
        throw InvalidInput("usage: incidentmap migrate --from data/incidents.sqlite "
                           "--to postgresql://user@host/db [--batch 5000]");
    }
    const bool quiet = args.flag("quiet");
    const std::size_t batch = std::stoul(args.get_or("batch", "5000"));
    if (batch == 0 || batch > 1000000) {
        throw InvalidInput("--batch must be between 1 and 1000000");
    }
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

} // namespace incidentmap::cli
