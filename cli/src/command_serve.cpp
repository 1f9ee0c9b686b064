#include "cli.hpp"
#include "incidentmap/api/server.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace incidentmap::cli {

namespace {

std::vector<std::string> read_tokens(const std::string& file) {
    std::ifstream in(file);
    if (!in) {
        throw NotFound("cannot read token file '" + file + "'");
    }
    std::vector<std::string> tokens;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        if (!line.empty() && line[0] != '#') {
            if (line.size() < 16) {
                throw InvalidInput("tokens in '" + file + "' must be at least 16 characters long");
            }
            tokens.push_back(line);
        }
    }
    return tokens;
}

} // namespace

int command_serve(int argc, char** argv) {
    Args args(argc, argv, 2, {"quiet", "protect-reads"},
              {"port", "host", "db", "gazetteer", "web", "vendor", "token-file", "cors-origin",
               "threads", "max-limit"});
    api::ServerConfig c;
    c.port = std::stoi(args.get_or("port", "8080"));
    if (c.port < 0 || c.port > 65535) {
        throw InvalidInput("--port must be within 0..65535");
    }
    c.host = args.get_or("host", "127.0.0.1");
    c.db = args.get_or("db", "data/incidents.sqlite");
    c.gazetteer = args.get_or("gazetteer", "data/gazetteer.sqlite");
    c.web_root = args.get_or("web", source_dir() + "/web");
    c.vendor_root = args.get_or("vendor", source_dir() + "/node_modules");
    c.quiet = args.flag("quiet");
    c.protect_reads = args.flag("protect-reads");
    c.cors_origin = args.get_or("cors-origin", "");
    if (auto t = args.get("threads")) {
        c.threads = static_cast<std::size_t>(std::stoul(*t));
    }
    if (auto m = args.get("max-limit")) {
        c.max_limit = static_cast<std::size_t>(std::stoul(*m));
    }
    if (auto f = args.get("token-file")) {
        c.tokens = read_tokens(*f);
    }
    if (const char* env = std::getenv("INCIDENTMAP_TOKENS")) {
        std::string all = env;
        std::size_t start = 0;
        while (start <= all.size()) {
            auto comma = all.find(',', start);
            auto t =
                all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (t.size() >= 16) {
                c.tokens.push_back(t);
            }
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
    }
    if (!std::filesystem::exists(c.web_root + "/index.html")) {
        std::cerr << "warning: no web map at " << c.web_root << " (use --web DIR)\n";
    }
    api::run_server(c);
    return 0;
}

} // namespace incidentmap::cli
