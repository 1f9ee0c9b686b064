// The GeoNames dumps (https://download.geonames.org/export/dump/readme.txt): the places, one
// tab-separated row each, and the alternate names.

#include "builder/build_steps.hpp"

#include "incidentmap/error.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

namespace incidentmap::gazetteer::detail {

namespace {

// The kind of a feature code: ADM1 and ADM2 regions; countries, dependencies, territories and
// continents (ranked as countries); everything else a place.
PlaceKind kind_of(const std::string& code) {
    if (code == "ADM1") {
        return PlaceKind::admin1;
    }
    if (code == "ADM2") {
        return PlaceKind::admin2;
    }
    if (code == "PCLI" || code == "PCLD" || code == "PCLF" || code == "PCLS" || code == "PCL" ||
        code == "TERR" || code == "PCLIX" || code == "CONT") {
        return PlaceKind::country;
    }
    return PlaceKind::place;
}

// Adds the names of a row's comma-separated alternatenames column.
void add_alternate_names(std::vector<std::string>& names, std::string_view alts) {
    while (!alts.empty()) {
        auto comma = alts.find(',');
        auto name = alts.substr(0, comma);
        // Airport codes among the alternate names ("THE" for Teresina, "DEC" for Decatur)
        // would make words of every text into places.
        const bool code = name.size() == 3 && std::all_of(name.begin(), name.end(), [](char c) {
                              return c >= 'A' && c <= 'Z';
                          });
        if (!name.empty() && !code) {
            names.emplace_back(name);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        alts.remove_prefix(comma + 1);
    }
}

// A whole number of a dump (an id, a population), or nullopt when it is none or beyond int64:
// the cast of such a double is undefined.
std::optional<std::int64_t> whole_number(std::string_view text) {
    const auto d = geo::parse_double(text);
    if (!d || !(*d > -9.2e18 && *d < 9.2e18)) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(*d);
}

// A row of a dump, read: its entry; or, for a malformed row, why; or neither, for a feature the
// gazetteer leaves out.
struct Row {
    std::optional<Entry> entry;
    std::string problem;
};

Row read_row(const std::vector<std::string_view>& f) {
    if (f.size() < 15) {
        return {std::nullopt,
                "expected 19 tab-separated columns, found " + std::to_string(f.size())};
    }
    Entry e;
    auto id = whole_number(f[0]);
    auto lat = geo::parse_double(f[4]);
    auto lon = geo::parse_double(f[5]);
    if (!id || *id <= 0 || !lat || !lon) {
        return {std::nullopt, "geonameid, latitude or longitude is not a number"};
    }
    e.place.point = {*lon, *lat};
    if (!e.place.point.valid()) {
        return {std::nullopt, "coordinates out of range"};
    }
    char fclass = f[6].empty() ? 'P' : f[6][0];
    // Keep populated places, admin areas and regions; a full dump's streams, hotels and
    // hills would only add noise to news geoparsing.
    if (fclass != 'P' && fclass != 'A' && fclass != 'L') {
        return {};
    }
    e.place.id = *id;
    e.place.name = std::string(f[1]);
    e.place.feature_class = fclass;
    e.place.feature_code = std::string(f[7]);
    e.place.country = std::string(f[8]);
    e.place.admin1 = std::string(f[10]);
    e.place.admin2 = std::string(f[11]);
    e.place.population = whole_number(f[14]).value_or(0);
    e.place.kind = kind_of(e.place.feature_code);
    if (f.size() > 17 && fclass == 'P') {
        e.continent = continent_of(f[17], f[8]);
    }
    const auto& code = e.place.feature_code;
    if (fclass == 'A' && e.place.kind == PlaceKind::place && code != "ADM3" && code != "ADMD") {
        return {}; // historical or lower-level admin divisions
    }
    e.names.emplace_back(f[1]);
    if (f[2] != f[1]) {
        e.names.emplace_back(f[2]);
    }
    add_alternate_names(e.names, f[3]);
    return {std::move(e), {}};
}

// Indexes the entry at `at`, if it is an ADM1, ADM2 or PCLI feature, by its code ("UA.16",
// "UA.16.4806", "UA").
void index_by_code(BuildState& state, std::size_t at) {
    const auto& p = state.entries[at].place;
    if (p.kind == PlaceKind::admin1 && !p.admin1.empty()) {
        state.admin1.emplace(p.country + "." + p.admin1, at);
    } else if (p.kind == PlaceKind::admin2 && !p.admin2.empty()) {
        state.admin2.emplace(p.country + "." + p.admin1 + "." + p.admin2, at);
    } else if (p.kind == PlaceKind::country && p.feature_code == "PCLI") {
        state.country.emplace(p.country, at);
    }
}

// The malformed lines of a file: how many, and where and why the first one is.
struct Problems {
    std::size_t count = 0;
    std::string first;

    void add(const std::string& path, std::size_t line_no, const std::string& why) {
        if (count++ == 0) {
            first = path + ":" + std::to_string(line_no) + ": " + why;
        }
    }
};

} // namespace

void read_places(BuildState& state, const std::string& path, const Reporter& say) {
    auto in = open_input(path);
    std::string line;
    std::size_t line_no = 0;
    std::size_t kept = 0;
    Problems bad;
    auto t0 = std::chrono::steady_clock::now();
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.back() == '\r') {
            line.pop_back();
        }
        auto row = read_row(split_tabs(line));
        if (!row.problem.empty()) {
            bad.add(path, line_no, row.problem);
            continue;
        }
        if (!row.entry) {
            continue;
        }
        // Indexed where add() keeps it: a row whose id came before (two dumps given, or a
        // repeated line) is merged into the earlier entry, not appended.
        index_by_code(state, state.by_id.at(state.add(std::move(*row.entry))));
        ++kept;
        if (line_no % 500000 == 0) {
            say("  " + path + ": " + std::to_string(line_no) + " lines read");
        }
    }
    if (kept == 0) {
        throw InvalidInput("'" + path + "' holds no GeoNames place rows" +
                           (bad.count ? " (first problem: " + bad.first + ")" : std::string()));
    }
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    say("  " + path + ": " + std::to_string(kept) + " places kept of " + std::to_string(line_no) +
        " lines in " + std::to_string(static_cast<int>(secs * 10) / 10.0).substr(0, 4) + " s" +
        (bad.count ? ", " + std::to_string(bad.count) +
                         " malformed lines skipped (first: " + bad.first + ")"
                   : std::string()));
}

void read_alternate_names(BuildState& state, const std::string& path, const Reporter& say) {
    auto in = open_input(path);
    static const std::set<std::string, std::less<>> skip = {
        "link", "post", "iata", "icao", "faac", "wkdt", "unlc", "fr_1793", "tcid"};
    std::string line;
    std::size_t added = 0;
    while (std::getline(in, line)) {
        auto f = split_tabs(line);
        if (f.size() < 4) {
            continue;
        }
        auto id = whole_number(f[1]);
        if (!id || skip.count(f[2]) || (f.size() > 7 && f[7] == "1")) {
            continue; // unknown id, a code rather than a name, or historic
        }
        auto it = state.by_id.find(*id);
        if (it != state.by_id.end()) {
            state.entries[it->second].names.emplace_back(f[3]);
            ++added;
        }
    }
    say("  " + path + ": " + std::to_string(added) + " alternate names added");
}

} // namespace incidentmap::gazetteer::detail
