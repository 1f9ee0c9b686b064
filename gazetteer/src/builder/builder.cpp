// Builds the gazetteer file from GeoNames-format inputs (see FORMATS.md): the steps of
// build_steps.hpp in order, then the file written beside the output and renamed into place.

#include "builder/build_steps.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <filesystem>
#include <unistd.h>

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
