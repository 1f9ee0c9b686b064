#include "cli.hpp"
#include "incidentmap/store/migrate.hpp"

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
    // "N / M articles", then "N / M incidents": each kind on one line, rewritten in place.
    std::string kind;
    // The line under way ends before an error is printed too.
    struct EndLine {
        std::string& kind;
        void operator()() {
            if (!kind.empty()) {
                std::cerr << "\n";
                kind.clear();
            }
        }
        ~EndLine() { (*this)(); }
    } end_line{kind};
    const auto got = incidents::migrate(*source, *target, batch, [&](const std::string& line) {
        if (quiet) {
            return;
        }
        const auto k = line.substr(line.rfind(' ') + 1);
        std::cerr << (k == kind      ? "\r"
                      : kind.empty() ? ""
                                     : "\n")
                  << "[migrate] " << line << std::flush;
        kind = k;
    });
    end_line();
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
        "counts of both sides are compared at the end. A migrate that stopped part-way (killed,\n"
        "a lost server) is completed by running it again: the rows it committed are kept and the\n"
        "copy goes on after them. A target holding anything else is refused.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
