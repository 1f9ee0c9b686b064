// The Census Bureau's outlines of the US states and counties (us-atlas): the states and counties
// the build had to estimate a point for take the centre of their outline instead, and the United
// States the centre of its contiguous part. The centres are centroids on the sphere
// (geo::sphere_centroid), as national mapping agencies define a geographic centre.

#include "builder/build_steps.hpp"

#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/geo/centroid.hpp"

#include <map>

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
