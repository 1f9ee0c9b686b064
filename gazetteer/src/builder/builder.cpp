// Builds the gazetteer file from GeoNames-format inputs (see FORMATS.md): the steps of
// build_steps.hpp in order, then the file written beside the output and renamed into place.

#include "builder/build_steps.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/geo/centroid.hpp"
#include "incidentmap/geo/rings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unistd.h>

// The Census Bureau's outlines of the US states and counties (us-atlas): the states and counties
// the build had to estimate a point for take the centre of their outline instead, and the United
// States the centre of its contiguous part. The centres are centroids on the sphere
// (geo::sphere_centroid), as national mapping agencies define a geographic centre.

namespace incidentmap::gazetteer::detail {

namespace {

using StateCodes = std::map<std::string, std::string>; // FIPS "39" -> "US.OH"

// Places the estimated states at the centre of their outline; returns how many, and sets
// `state_code` for every state found by name among the US admin1 regions.
std::size_t place_states(BuildState& state, const std::vector<geo::TopoFeature>& states,
                         StateCodes& state_code) {
    std::map<std::string, std::string> code_by_name; // normalised name -> "US.OH"
    for (const auto& [code, index] : state.admin1) {
        if (code.rfind("US.", 0) == 0) {
            for (const auto& n : state.entries[index].names) {
                code_by_name.emplace(normalize_name(n), code);
            }
        }
    }
    std::size_t placed = 0;
    for (const auto& f : states) {
        auto it = code_by_name.find(normalize_name(f.name));
        if (it == code_by_name.end() || f.shape.polygons.empty()) {
            continue;
        }
        state_code[f.id] = it->second;
        auto index = state.admin1.at(it->second);
        if (state.estimated.count(index)) {
            state.entries[index].place.point = geo::sphere_centroid(f.shape);
            state.estimated.erase(index); // its outline's centre is no estimate
            ++placed;
        }
    }
    return placed;
}

// Places the estimated counties, found by their FIPS code (state and county), at the centre of
// their outline; returns how many.
std::size_t place_counties(BuildState& state, const std::vector<geo::TopoFeature>& counties,
                           const StateCodes& state_code) {
    std::size_t placed = 0;
    for (const auto& f : counties) {
        if (f.id.size() != 5 || f.shape.polygons.empty()) {
            continue;
        }
        auto in_state = state_code.find(f.id.substr(0, 2));
        if (in_state == state_code.end()) {
            continue;
        }
        auto it = state.admin2.find(in_state->second + "." + f.id.substr(2));
        if (it != state.admin2.end() && state.estimated.count(it->second)) {
            state.entries[it->second].place.point = geo::sphere_centroid(f.shape);
            ++placed;
        }
    }
    return placed;
}

} // namespace

void read_us_atlas(BuildState& state, const std::string& dir, const Reporter& say) {
    auto states = read_topojson(dir + "/states-10m.json", "states");
    auto counties = read_topojson(dir + "/counties-10m.json", "counties");
    auto nation = read_topojson(dir + "/nation-10m.json", "nation");
    StateCodes state_code;
    const auto placed_states = place_states(state, states, state_code);
    const auto placed_counties = place_counties(state, counties, state_code);
    geo::MultiPolygon whole;
    for (const auto& f : nation) {
        whole.polygons.insert(whole.polygons.end(), f.shape.polygons.begin(),
                              f.shape.polygons.end());
    }
    if (!whole.polygons.empty()) {
        // Its main parts only: Alaska and Hawaii do not pull the centre off the mainland.
        state.outline_point["US"] = geo::sphere_centroid(whole);
    }
    say("  " + dir + ": " + std::to_string(placed_states) + " of " + std::to_string(states.size()) +
        " states and " + std::to_string(placed_counties) + " of " +
        std::to_string(counties.size()) + " counties placed at their outline's centre");
}

} // namespace incidentmap::gazetteer::detail

// The countries: ISO 3166-1 (iso-codes) for their codes and names, the world atlas (Natural
// Earth via world-atlas) for their outlines and the names maps use, a published reference point
// where there is one, and the common short names the sources do not carry.

namespace incidentmap::gazetteer::detail {

namespace {

using nlohmann::json;

// The countries of ISO 3166-1.
struct IsoCountries {
    std::map<std::string, std::string> numeric_to_iso2;            // "804" -> "UA"
    std::map<std::string, std::vector<std::string>> names_by_iso2; // "UA" -> its names
};

IsoCountries read_iso3166(const std::string& path) {
    IsoCountries iso;
    json j = read_json(path);
    for (const auto& c : j.value("3166-1", json::array())) {
        std::string a2 = c.value("alpha_2", "");
        if (a2.empty()) {
            continue;
        }
        iso.numeric_to_iso2[c.value("numeric", "")] = a2;
        auto& names = iso.names_by_iso2[a2];
        for (const char* key : {"common_name", "name", "official_name"}) {
            if (c.contains(key)) {
                names.push_back(c[key].get<std::string>());
            }
        }
    }
    return iso;
}

// Adds the world atlas' outline of each country with an ISO code to `shapes`; returns the
// atlas' name of each.
std::map<std::string, std::string>
read_country_outlines(BuildState& state, const std::string& path,
                      const std::map<std::string, std::string>& numeric_to_iso2) {
    std::map<std::string, std::string> atlas_name;
    std::map<std::string, std::size_t> atlas_vertices;
    for (auto& f : read_topojson(path, "countries")) {
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
        auto& shape = state.shapes[it->second];
        shape.polygons.insert(shape.polygons.end(), f.shape.polygons.begin(),
                              f.shape.polygons.end());
    }
    return atlas_name;
}

// What the places tell of each country: its population (for ranking) and its capital.
struct CountryTotals {
    std::map<std::string, std::int64_t> population;
    std::map<std::string, std::pair<geo::LonLat, std::int64_t>> capital;
};

CountryTotals totals_of_places(const BuildState& state) {
    CountryTotals totals;
    for (const auto& e : state.entries) {
        if (e.place.kind == PlaceKind::place) {
            totals.population[e.place.country] += e.place.population;
            if (e.place.feature_code == "PPLC") {
                totals.capital[e.place.country] = {e.place.point, e.place.population};
            }
        }
    }
    return totals;
}

// The best point known for a country the dumps did not bring; nullopt when there is none.
std::optional<geo::LonLat> country_point(const BuildState& state, const std::string& iso2,
                                         const CountryTotals& totals) {
    if (auto o = state.outline_point.find(iso2); o != state.outline_point.end()) {
        return o->second; // a detailed national outline: its geographic centre
    }
    if (auto r = state.reference_point.find(iso2); r != state.reference_point.end()) {
        return r->second;
    }
    if (auto shape = state.shapes.find(iso2);
        shape != state.shapes.end() && !shape->second.polygons.empty()) {
        // The centre of the atlas outline's main parts: overseas parts and far islands (French
        // Guiana, Alaska) do not pull the point off the mainland.
        return geo::equal_area_centroid(shape->second);
    }
    if (auto c = totals.capital.find(iso2); c != totals.capital.end()) {
        return c->second.first;
    }
    return std::nullopt;
}

Entry country_entry(const std::string& iso2, const std::string& name, geo::LonLat point,
                    const CountryTotals& totals, std::vector<std::string> names) {
    Entry e;
    e.place.id = synthetic_id("C:" + iso2);
    e.place.name = name;
    e.place.point = point;
    e.place.feature_class = 'A';
    e.place.feature_code = "PCLI";
    e.place.country = iso2;
    auto population = totals.population.find(iso2);
    e.place.population = population == totals.population.end() ? 0 : population->second;
    e.place.kind = PlaceKind::country;
    e.names = std::move(names);
    return e;
}

// Common English short forms that ISO 3166 and Natural Earth do not carry.
void add_country_aliases(BuildState& state) {
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
        auto it = state.country.find(iso2);
        if (it == state.country.end()) {
            continue;
        }
        for (const char* n : names) {
            state.entries[it->second].names.emplace_back(n);
        }
    }
}

} // namespace

// A published reference point per country (the CIA World Factbook's "geographic coordinates",
// which GeoNames and most gazetteers also use).
void read_country_points(BuildState& state, const std::string& path, const Reporter& say) {
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
        state.reference_point[line.substr(0, 2)] = p;
    }
    say("  " + path + ": reference points for " + std::to_string(state.reference_point.size()) +
        " countries");
}

void read_countries(BuildState& state, const BuildInputs& inputs, const Reporter& say) {
    IsoCountries iso;
    if (!inputs.iso3166.empty()) {
        iso = read_iso3166(inputs.iso3166);
    }
    std::map<std::string, std::string> atlas_name;
    if (!inputs.countries_topojson.empty()) {
        atlas_name = read_country_outlines(state, inputs.countries_topojson, iso.numeric_to_iso2);
    }
    const auto totals = totals_of_places(state);
    std::size_t created = 0;
    for (const auto& [iso2, names] : iso.names_by_iso2) {
        std::vector<std::string> all = names;
        auto atlas = atlas_name.find(iso2);
        if (atlas != atlas_name.end()) {
            all.push_back(atlas->second);
        }
        if (auto existing = state.country.find(iso2); existing != state.country.end()) {
            auto& e = state.entries[existing->second];
            e.names.insert(e.names.end(), all.begin(), all.end());
            continue;
        }
        auto point = country_point(state, iso2, totals);
        if (!point) {
            continue; // nowhere to put it
        }
        const auto& name = atlas != atlas_name.end() ? atlas->second : names.front();
        state.country.emplace(iso2, state.entries.size());
        state.add(country_entry(iso2, name, *point, totals, std::move(all)));
        ++created;
    }
    add_country_aliases(state);
    add_continents(state, say);
    say("  countries: " + std::to_string(created) + " added, " +
        std::to_string(state.shapes.size()) + " with polygons");
}

} // namespace incidentmap::gazetteer::detail

// The continents, as GeoNames counts them (the Americas split at Panama), found from the places'
// time zones.

namespace incidentmap::gazetteer::detail {

namespace {

constexpr std::array<const char*, 7> continent_names{
    "", "Africa", "Asia", "Europe", "North America", "South America", "Oceania"};

} // namespace

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

// Continents, unless a GeoNames dump brought them (feature code CONT). Each is placed at the
// middle of the area its populated places cover (two-degree cells, each counted once), and
// ranks as a country: "Africa" is the continent before it is an old name of Mahdia.
void add_continents(BuildState& state, const Reporter& say) {
    std::set<std::string> present;
    for (const auto& e : state.entries) {
        if (e.place.feature_code == "CONT") {
            present.insert(e.place.name);
        }
    }
    std::array<std::vector<geo::LonLat>, continent_names.size()> points;
    std::array<std::int64_t, continent_names.size()> population{};
    for (const auto& e : state.entries) {
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
        state.add(std::move(e));
        ++created;
    }
    if (created > 0) {
        say("  continents: " + std::to_string(created) + " added");
    }
}

} // namespace incidentmap::gazetteer::detail

// The admin1 regions whose point the build estimated from their places: where places crowd one
// corner of a region (southern Ontario, Queensland's coast), the middle of the places is far
// from the region's. So the land of each country (its Natural Earth outline) is shared out among
// its regions in cells of 0.2 degrees, each cell going to the region of the nearest place within
// 12 degrees (land farther from every place, such as a far overseas part, goes to none); a
// region takes the centroid on the sphere of its main connected pieces of land: those holding at
// least a third as many of its places as the piece holding most. So a few villages GeoNames
// files under a region far away (Hebei's code on villages in Tibet), which claim much empty land
// around them, do not drag the region's point there.

namespace incidentmap::gazetteer::detail {

namespace {

constexpr double step = 0.2;  // degrees, a land cell's side
constexpr int columns = 1800; // 360 / step
constexpr double deg = 3.14159265358979323846 / 180.0;
constexpr double reach = 12.0;        // degrees, longitude scaled by cos(latitude)
constexpr std::size_t min_cells = 10; // below, the places' middle is the finer estimate
constexpr auto nobody = std::numeric_limits<std::size_t>::max();

// A country's places, each with the entry of its admin1 region (`nobody` when unknown).
using RegionPlaces = std::vector<std::pair<geo::LonLat, std::size_t>>;

// The places of each country that has an outline and an estimated admin1 region.
std::map<std::string, RegionPlaces> places_by_country(const BuildState& state) {
    std::set<std::string> wanted;
    for (auto index : state.estimated) {
        const auto& p = state.entries[index].place;
        if (p.kind == PlaceKind::admin1 && state.shapes.count(p.country)) {
            wanted.insert(p.country);
        }
    }
    std::map<std::string, RegionPlaces> places;
    for (const auto& e : state.entries) {
        const auto& p = e.place;
        if (p.kind == PlaceKind::place && p.feature_class == 'P' && wanted.count(p.country)) {
            // A place of no known region still holds the land nearest it (Norway's places carry
            // county codes of 2020 that the admin1 list no longer has): that land is no one's,
            // rather than a neighbour's.
            auto r = p.admin1.empty() ? state.admin1.end()
                                      : state.admin1.find(p.country + "." + p.admin1);
            places[p.country].emplace_back(p.point, r == state.admin1.end() ? nobody : r->second);
        }
    }
    return places;
}

// A country's places in one-degree buckets, to find the nearest place to a point. Reused from
// one country to the next so that the buckets are allocated once.
class PlaceGrid {
public:
    PlaceGrid() : m_buckets(360 * 180) {}

    // Holds `pts` (which must outlive the use of nearest()) instead of the previous places.
    void reset(const RegionPlaces& pts) {
        for (auto& b : m_buckets) {
            b.clear();
        }
        m_pts = &pts;
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const auto [bx, by] = bucket_of(pts[i].first);
            m_buckets[static_cast<std::size_t>(by * 360 + bx)].push_back(i);
        }
    }

    // The index of the nearest place within reach, searched in growing squares of buckets
    // (across the antimeridian too); the number of places when there is none.
    [[nodiscard]] std::size_t nearest(geo::LonLat c) const {
        const auto& pts = *m_pts;
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
                    for (auto i : m_buckets[static_cast<std::size_t>(gy * 360 + gx)]) {
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
    }

private:
    static std::pair<int, int> bucket_of(geo::LonLat p) {
        return {std::clamp(static_cast<int>(std::floor(p.lon + 180.0)), 0, 359),
                std::clamp(static_cast<int>(std::floor(p.lat + 90.0)), 0, 179)};
    }

    const RegionPlaces* m_pts = nullptr;
    std::vector<std::vector<std::size_t>> m_buckets;
};

// Which region owns each cell of a country's land (cell key: row * columns + column): the region
// of the nearest place within reach. Cells no place is near are left out.
std::unordered_map<std::int64_t, std::size_t>
land_owners(const geo::MultiPolygon& land, const PlaceGrid& grid, const RegionPlaces& pts) {
    std::unordered_map<std::int64_t, std::size_t> owner;
    for (const auto& poly : land.polygons) {
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
                    const geo::LonLat c{-180.0 + (static_cast<double>(wrapped_col) + 0.5) * step,
                                        y};
                    if (auto n = grid.nearest(c); n != pts.size()) {
                        owner.emplace(key, pts[n].second);
                    }
                }
            }
        }
    }
    return owner;
}

// A region's land in connected pieces (eight neighbours, across the antimeridian): each piece's
// number of cells and the sum of its cells' unit vectors weighted by their area.
struct Pieces {
    std::vector<std::pair<std::size_t, std::array<double, 3>>> list; // cells, moment
    std::unordered_map<std::int64_t, std::size_t> piece_of;          // cell -> piece
};

Pieces connected_pieces(const std::vector<std::int64_t>& keys) {
    Pieces pieces;
    std::unordered_set<std::int64_t> left(keys.begin(), keys.end());
    std::vector<std::int64_t> stack;
    while (!left.empty()) {
        std::pair<std::size_t, std::array<double, 3>> piece{0, {0.0, 0.0, 0.0}};
        stack.push_back(*left.begin());
        left.erase(left.begin());
        while (!stack.empty()) {
            const auto key = stack.back();
            stack.pop_back();
            pieces.piece_of.emplace(key, pieces.list.size());
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
        pieces.list.push_back(piece);
    }
    return pieces;
}

// How many of the region's places lie in each piece (by the cell each place lies in). A region
// whose places all lie off its land (on a coast cell another region's place is nearer to)
// weighs its pieces by their size instead.
std::vector<std::size_t> places_held(const Pieces& pieces, const std::vector<std::size_t>& members,
                                     const RegionPlaces& pts) {
    std::vector<std::size_t> held(pieces.list.size(), 0);
    for (auto i : members) {
        const auto& p = pts[i].first;
        const auto row = static_cast<std::int64_t>(std::floor((p.lat + 90.0) / step));
        const auto col = static_cast<std::int64_t>(std::floor((p.lon + 180.0) / step));
        const auto key = row * columns + (col % columns + columns) % columns;
        if (auto it = pieces.piece_of.find(key); it != pieces.piece_of.end()) {
            ++held[it->second];
        }
    }
    if (std::all_of(held.begin(), held.end(), [](std::size_t n) { return n == 0; })) {
        for (std::size_t k = 0; k < pieces.list.size(); ++k) {
            held[k] = pieces.list[k].first;
        }
    }
    return held;
}

// The direction of the summed moments of the pieces holding at least a third as many of the
// region's places as the piece holding most.
geo::LonLat centre_of_main_pieces(const Pieces& pieces, const std::vector<std::size_t>& held) {
    const std::size_t most = *std::max_element(held.begin(), held.end());
    std::array<double, 3> sum{0.0, 0.0, 0.0};
    for (std::size_t k = 0; k < pieces.list.size(); ++k) {
        if (3 * held[k] >= most && held[k] > 0) {
            for (int d = 0; d < 3; ++d) {
                sum[d] += pieces.list[k].second[d];
            }
        }
    }
    return {std::atan2(sum[1], sum[0]) / deg, std::atan2(sum[2], std::hypot(sum[0], sum[1])) / deg};
}

// Places the estimated regions of one country; returns how many.
std::size_t place_regions_of(BuildState& state, const geo::MultiPolygon& land,
                             const RegionPlaces& pts, PlaceGrid& grid) {
    grid.reset(pts);
    const auto owner = land_owners(land, grid, pts);
    std::map<std::size_t, std::vector<std::size_t>> members; // region -> its places
    for (std::size_t i = 0; i < pts.size(); ++i) {
        members[pts[i].second].push_back(i);
    }
    std::map<std::size_t, std::vector<std::int64_t>> cells; // region -> its land cells
    for (const auto& [key, region] : owner) {
        cells[region].push_back(key);
    }
    std::size_t placed = 0;
    for (const auto& [index, keys] : cells) {
        if (index == nobody || keys.size() < min_cells || !state.estimated.count(index)) {
            continue;
        }
        const auto pieces = connected_pieces(keys);
        const auto held = places_held(pieces, members[index], pts);
        state.entries[index].place.point = centre_of_main_pieces(pieces, held);
        ++placed;
    }
    return placed;
}

} // namespace

void place_regions_on_land(BuildState& state, const Reporter& say) {
    PlaceGrid grid;
    std::size_t placed = 0;
    for (const auto& [country, pts] : places_by_country(state)) {
        placed += place_regions_of(state, state.shapes.at(country), pts, grid);
    }
    say("  " + std::to_string(placed) +
        " admin1 regions placed at the centre of the land nearest their places");
}

} // namespace incidentmap::gazetteer::detail

namespace incidentmap::gazetteer {

namespace {

namespace fs = std::filesystem;
using namespace detail;

// Reads every input given, in the order in which each step needs the earlier ones: places
// first, then the regions named over them, the outlines and points that move the regions and
// countries, the countries, and last the regions placed on their country's land.
BuildState read_inputs(const BuildInputs& in, const Reporter& say) {
    BuildState state;
    for (const auto& p : in.places) {
        say("reading places from " + p);
        read_places(state, p, say);
    }
    if (!in.alternate_names.empty()) {
        say("reading alternate names from " + in.alternate_names);
        read_alternate_names(state, in.alternate_names, say);
    }
    if (!in.admin1.empty()) {
        say("reading admin1 regions from " + in.admin1);
        read_admin(state, in.admin1, PlaceKind::admin1, say);
    }
    if (!in.admin2.empty()) {
        say("reading admin2 regions from " + in.admin2);
        read_admin(state, in.admin2, PlaceKind::admin2, say);
    }
    if (!in.us_atlas.empty()) {
        say("reading US state and county outlines from " + in.us_atlas);
        read_us_atlas(state, in.us_atlas, say);
    }
    if (!in.country_points.empty()) {
        say("reading country reference points from " + in.country_points);
        read_country_points(state, in.country_points, say);
    }
    if (!in.iso3166.empty() || !in.countries_topojson.empty()) {
        say("reading countries");
        read_countries(state, in, say);
        place_regions_on_land(state, say);
    }
    if (!in.words.empty()) {
        read_words(state, in.words, say);
    }
    return state;
}

// Writes the file beside `output` and renames it into place: atomic on one file system, so
// readers see the old file or the new one, and a failed build leaves the old one intact.
void write_atomically(const BuildState& state, const BuildInputs& in, const std::string& output,
                      const Reporter& say) {
    fs::path out(output);
    if (out.has_parent_path()) {
        fs::create_directories(out.parent_path());
    }
    std::string tmp = output + ".tmp-" + std::to_string(::getpid());
    say("writing " + output);
    try {
        write_gazetteer(state, in, tmp, say);
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
    fs::rename(tmp, output);
}

} // namespace

void build_gazetteer(const BuildInputs& inputs, const std::string& output,
                     const Progress& progress) {
    if (inputs.places.empty()) {
        throw InvalidInput("gazetteer build needs at least one GeoNames places file (--places)");
    }
    const Reporter say(progress);
    const auto state = read_inputs(inputs, say);
    write_atomically(state, inputs, output, say);
}

} // namespace incidentmap::gazetteer
