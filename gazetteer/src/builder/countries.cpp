// The countries: ISO 3166-1 (iso-codes) for their codes and names, the world atlas (Natural
// Earth via world-atlas) for their outlines and the names maps use, a published reference point
// where there is one, and the common short names the sources do not carry.

#include "builder/build_steps.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/centroid.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>

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
