// incidentmap: one binary, one subcommand per file (command_<name>.cpp). Exceptions are caught
// here and only here, each turned into a message and an exit code.

#include "cli.hpp"
#include "incidentmap/api/problem.hpp"
#include "incidentmap/api/server.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace incidentmap::cli {

Args::Args(int argc, char** argv, int first, std::set<std::string> flags,
           std::set<std::string> options, std::set<std::string> multi) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string name = a.substr(2);
            std::optional<std::string> inline_value;
            if (auto eq = name.find('='); eq != std::string::npos) {
                inline_value = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            if (flags.count(name)) {
                m_flags.insert(name);
            } else if (options.count(name) || multi.count(name)) {
                if (!inline_value) {
                    if (i + 1 >= argc) {
                        throw InvalidInput("option --" + name + " needs a value");
                    }
                    inline_value = argv[++i];
                }
                if (!multi.count(name) && m_values.count(name)) {
                    throw InvalidInput("option --" + name + " is given twice");
                }
                m_values.emplace(name, *inline_value);
            } else {
                throw InvalidInput("unknown option --" + name + " (see 'incidentmap help')");
            }
        } else {
            m_positional.push_back(a);
        }
    }
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
}

std::vector<std::string> Args::all(const std::string& name) const {
    std::vector<std::string> out;
    auto [b, e] = m_values.equal_range(name);
    for (auto it = b; it != e; ++it) {
        out.push_back(it->second);
    }
    return out;
}

std::string source_dir() {
    if (const char* env = std::getenv("INCIDENTMAP_HOME")) {
        return env;
    }
    return INCIDENTMAP_SOURCE_DIR;
}

std::string read_input(const std::string& path) {
    std::ostringstream ss;
    if (path == "-") {
        ss << std::cin.rdbuf();
        return ss.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path)) {
        throw NotFound("cannot read '" + path + "'");
    }
    ss << in.rdbuf();
    return ss.str();
}

} // namespace incidentmap::cli

namespace {

void usage(std::ostream& out) {
    out << "incidentmap " INCIDENTMAP_VERSION " - news incidents on a map\n\n"
           "usage: incidentmap <command> [options]\n\n"
           "commands:\n"
           "  serve            run the HTTP server and web map (--port, --db, --gazetteer, "
           "--token-file)\n"
           "  gazetteer build  build the gazetteer from GeoNames files (--places, --admin1, ...)\n"
           "  geocode NAME     print candidate places for a name as JSON\n"
           "  geoparse [FILE]  find and resolve place names in text (--jsonl for eval files)\n"
           "  ingest FILE|-    extract incidents from an article and store them\n"
           "  export           write incidents as GeoJSON, GeoPackage, CSV, KML, FlatGeobuf\n"
           "  import FILE|-    read incidents from GeoJSON, ACLED CSV or UCDP GED CSV\n"
           "  migrate          copy a store to another (--from FILE --to postgresql://...)\n"
           "  openapi          print the OpenAPI 3.0 document of the HTTP API (--ogc: of the OGC "
           "API\n"
           "                   - Features at /ogc, served at /ogc/api)\n"
           "  help             this text\n\n"
           "Place data (c) GeoNames, CC BY 4.0. Boundaries: Natural Earth (public domain).\n";
}

} // namespace

int main(int argc, char** argv) {
    using namespace incidentmap;
    if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0 ||
        std::strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? std::cerr : std::cout);
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "--version") == 0) {
        std::cout << "incidentmap " INCIDENTMAP_VERSION "\n";
        return 0;
    }
    const std::string cmd = argv[1];
    try {
        if (cmd == "serve")
            return cli::command_serve(argc, argv);
        if (cmd == "gazetteer")
            return cli::command_gazetteer(argc, argv);
        if (cmd == "geocode")
            return cli::command_geocode(argc, argv);
        if (cmd == "geoparse")
            return cli::command_geoparse(argc, argv);
        if (cmd == "ingest")
            return cli::command_ingest(argc, argv);
        if (cmd == "export")
            return cli::command_export(argc, argv);
        if (cmd == "import")
            return cli::command_import(argc, argv);
        if (cmd == "migrate")
            return cli::command_migrate(argc, argv);
        if (cmd == "openapi") {
            cli::Args args(argc, argv, 2, {"ogc"}, {"server"});
            const std::string server = args.get_or("server", "http://localhost:8080");
            std::cout << (args.flag("ogc") ? api::openapi_document_ogc(server)
                                           : api::openapi_document(server))
                      << "\n";
            return 0;
        }
        std::cerr << "incidentmap: unknown command '" << cmd << "'\n\n";
        usage(std::cerr);
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "incidentmap " << cmd << ": error: " << e.what() << "\n";
        return api::exit_code_for(e);
    }
}
