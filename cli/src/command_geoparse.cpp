#include "cli.hpp"
#include "incidentmap/geoparse/geoparser.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <utility>

namespace incidentmap::cli {

namespace {

nlohmann::json toponyms_json(const std::vector<gazetteer::Toponym>& ts) {
    auto arr = nlohmann::json::array();
    for (const auto& t : ts) {
        nlohmann::json j = {{"start", t.cp_begin},
                            {"end", t.cp_end},
                            {"name", t.text},
                            {"lat", t.place->point.lat},
                            {"lon", t.place->point.lon},
                            {"place", t.place->name},
                            {"kind", gazetteer::kind_name(*t.place)},
                            {"country", t.place->country},
                            {"metonymic", t.metonymic},
                            {"near", t.near},
                            {"demonym", t.demonym},
                            {"score", t.score}};
        if (t.place->is_geonames()) {
            j["geonameid"] = t.place->id;
        }
        arr.push_back(j);
    }
    return arr;
}

int run(const Args& args) {
    auto gz = gazetteer::Gazetteer::open(args.get_or("gazetteer", "data/gazetteer.sqlite"));
    gazetteer::GeoparseOptions options;
    options.focus = gazetteer::parse_focus(args.get_or("focus", ""), gz);
    gazetteer::Geoparser parser(gz, std::move(options));
    std::string path = args.positional().empty() ? "-" : args.positional().front();
    if (!args.flag("jsonl")) {
        auto text = read_input(path);
        std::cout << nlohmann::json{{"toponyms", toponyms_json(parser.parse(text))}}.dump(2)
                  << "\n";
        return 0;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
        file.open(path);
        if (!file) {
            throw NotFound("cannot read '" + path + "'");
        }
        in = &file;
    }
    std::string line;
    std::size_t n = 0;
    std::size_t failed = 0;
    auto t0 = std::chrono::steady_clock::now();
    while (std::getline(*in, line)) {
        if (line.empty()) {
            continue;
        }
        ++n;
        nlohmann::json doc;
        try {
            doc = nlohmann::json::parse(line);
        } catch (const nlohmann::json::parse_error& e) {
            std::cerr << "line " << n << ": not JSON: " << e.what() << "\n";
            ++failed;
            continue;
        }
        nlohmann::json out = {{"id", doc.value("id", nlohmann::json(n))}};
        try {
            out["toponyms"] = toponyms_json(parser.parse(doc.value("text", "")));
        } catch (const std::exception& e) {
            std::cerr << "line " << n << ": " << e.what() << "\n";
            out["toponyms"] = nlohmann::json::array();
            ++failed;
        }
        std::cout << out.dump() << "\n";
        if (!args.flag("quiet") && n % 100 == 0) {
            std::cerr << "[geoparse] " << n << " documents\n";
        }
    }
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!args.flag("quiet")) {
        std::cerr << "[geoparse] " << n << " documents in " << secs << " s ("
                  << (secs > 0 ? n / secs : 0) << " docs/s)"
                  << (failed ? ", " + std::to_string(failed) + " failed" : "") << "\n";
    }
    return failed ? 2 : 0;
}

} // namespace

const Command& geoparse_command() {
    static const Command c{
        "geoparse",
        "find and resolve the place names of a text",
        "[FILE|-] [options]",
        {{"gazetteer", "FILE", "the gazetteer (default data/gazetteer.sqlite)"},
         {"focus", "CC[,CC...]",
          "countries the articles report on (ISO codes, e.g. UA,RU): ambiguous names lean "
          "toward them"},
         {"jsonl", "",
          "read {\"id\", \"text\"} lines and write one {\"id\", \"toponyms\"} line each"},
         {"quiet", "", "no progress lines (with --jsonl)"}},
        "Without FILE, or with -, the text is read from standard input. With --jsonl the exit\n"
        "code is 2 when a line could not be read.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
