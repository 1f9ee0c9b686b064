// Opening and splitting the gazetteer build's input files, and the word list.

#include "builder/build_steps.hpp"

#include "incidentmap/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace incidentmap::gazetteer::detail {

namespace fs = std::filesystem;
using nlohmann::json;

std::ifstream open_input(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw NotFound("cannot read '" + path + "': " +
                       (fs::exists(path) ? "permission denied or not a file" : "no such file"));
    }
    return in;
}

json read_json(const std::string& path) {
    auto in = open_input(path);
    try {
        return json::parse(in);
    } catch (const json::parse_error& e) {
        throw InvalidInput("'" + path + "' is not valid JSON: " + e.what());
    }
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        auto pos = line.find('\t', start);
        out.push_back(line.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos) {
            return out;
        }
        start = pos + 1;
    }
}

std::vector<geo::TopoFeature> read_topojson(const std::string& path, const std::string& object) {
    return geo::decode_topojson(read_json(path), object, path);
}

void read_words(BuildState& state, const std::string& path, const Reporter& say) {
    auto in = open_input(path);
    std::string w;
    while (std::getline(in, w)) {
        if (!w.empty() &&
            std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
            state.words.push_back(w);
        }
    }
    say("  " + path + ": " + std::to_string(state.words.size()) + " common words");
}

} // namespace incidentmap::gazetteer::detail
