#include "cli.hpp"
#include "incidentmap/api/server.hpp"
#include "incidentmap/api/tokens.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace incidentmap::cli {

namespace {

// The digests of the tokens of INCIDENTMAP_TOKENS (comma-separated; shorter than
// min_token_length are left out): for tests and containers, where a file is awkward.
std::vector<std::string> environment_token_digests() {
    std::vector<std::string> out;
    const char* env = std::getenv("INCIDENTMAP_TOKENS");
    if (env == nullptr) {
        return out;
    }
    std::string_view all = env;
    while (!all.empty()) {
        const auto comma = all.find(',');
        const auto t = all.substr(0, comma);
        if (t.size() >= api::min_token_length) {
            out.push_back(api::token_digest(t));
        }
        all = comma == std::string_view::npos ? std::string_view() : all.substr(comma + 1);
    }
    return out;
}

int run(const Args& args) {
    if (!args.positional().empty()) {
        args.usage_error("unexpected argument '" + args.positional().front() + "'");
    }
    api::ServerConfig c;
    c.port = static_cast<int>(args.integer("port", 8080, 0, 65535));
    c.host = args.get_or("host", "127.0.0.1");
    c.db = args.get_or("db", "data/incidents.sqlite");
    c.gazetteer = args.get_or("gazetteer", "data/gazetteer.sqlite");
    c.focus = args.get_or("focus", "");
    c.web_root = args.get_or("web", source_dir() + "/web");
    c.vendor_root = args.get_or("vendor", source_dir() + "/node_modules");
    c.quiet = args.flag("quiet");
    c.protect_reads = args.flag("protect-reads");
    c.cors_origin = args.get_or("cors-origin", "");
    if (auto t = args.get("threads")) {
        c.threads = static_cast<std::size_t>(args.integer("threads", 0, 1, 1024));
    }
    if (auto m = args.get("max-limit")) {
        c.max_limit = static_cast<std::size_t>(args.integer("max-limit", 0, 1, 1000000));
    }
    if (auto f = args.get("token-file")) {
        for (const auto& e : api::read_token_file(*f)) {
            c.token_digests.push_back(e.digest);
        }
    }
    for (auto& d : environment_token_digests()) {
        c.token_digests.push_back(std::move(d));
    }
    if (!std::filesystem::exists(c.web_root + "/index.html")) {
        std::cerr << "warning: no web map at " << c.web_root << " (use --web DIR)\n";
    }
    api::run_server(c);
    return 0;
}

} // namespace

const Command& serve_command() {
    static const Command c{
        "serve",
        "run the HTTP server and the web map",
        "[options]",
        {{"port", "N", "the TCP port; 0 picks a free one (default 8080)"},
         {"host", "ADDR", "the address to listen on (default 127.0.0.1)"},
         {"db", "FILE|URI",
          "the store: a SpatiaLite file or postgresql://... (default data/incidents.sqlite)"},
         {"gazetteer", "FILE", "the gazetteer (default data/gazetteer.sqlite)"},
         {"focus", "CC[,CC...]",
          "countries posted articles report on (ISO codes, e.g. UA,RU): ambiguous names "
          "lean toward them"},
         {"web", "DIR", "the web map's files (default web/ of the sources)"},
         {"vendor", "DIR", "the npm packages the map loads (default node_modules/ of the sources)"},
         {"token-file", "FILE",
          "write tokens, as `incidentmap token add` keeps them (a bare token a line is read too)"},
         {"protect-reads", "", "reads need a token too"},
         {"cors-origin", "ORIGIN", "allow browser pages of this origin to call the API"},
         {"threads", "N", "worker threads (default: twice the number of cores)"},
         {"max-limit", "N", "the largest page a client may ask for (default 10000)"},
         {"quiet", "", "no access log"}},
        "Write tokens may also come from INCIDENTMAP_TOKENS (comma-separated). SIGINT or SIGTERM\n"
        "stops the server after the requests under way.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
