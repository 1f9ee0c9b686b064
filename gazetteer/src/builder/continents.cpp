// The continents, as GeoNames counts them (the Americas split at Panama), found from the places'
// time zones.

#include "builder/build_steps.hpp"

#include "incidentmap/geo/centroid.hpp"

#include <array>
#include <set>

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
