#pragma once

// What the steps of the gazetteer build share: the entries gathered so far with their indexes,
// and what a later step needs of an earlier one (see build_steps.hpp for the steps).

#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geo/types.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace incidentmap::gazetteer::detail {

/// The continents, as GeoNames counts them (the Americas split at Panama); `none` for a place on
/// none of them or of unknown time zone. The values index continent_names (continents.cpp).
enum Continent : std::uint8_t { none, africa, asia, europe, north_america, south_america, oceania };

/// A place of the gazetteer being built, with every name it will be found by.
struct Entry {
    Place place;
    std::vector<std::string> names; ///< raw names; the first is the primary one
    Continent continent = none;     ///< of a populated place, from its time zone
};

/// Everything the build gathers before it writes the file. Not thread-safe.
struct BuildState {
    std::vector<Entry> entries;
    std::unordered_map<std::int64_t, std::size_t> by_id; ///< place id -> entry
    std::map<std::string, std::size_t> admin1;           ///< "UA.16" -> entry
    std::map<std::string, std::size_t> admin2;           ///< "UA.16.4806" -> entry
    std::map<std::string, std::size_t> country;          ///< "UA" -> entry
    std::map<std::string, geo::MultiPolygon> shapes;     ///< "UA" -> its world-atlas outline
    std::map<std::string, geo::LonLat> reference_point;  ///< "UA" -> published point
    std::map<std::string, geo::LonLat> outline_point;    ///< "US" -> centre of a detailed outline
    std::unordered_set<std::size_t> estimated; ///< regions whose point the build estimated
    std::vector<std::string> words;            ///< common words of the language

    /// Appends the entry; when one of the same id is there already (e.g. cities500 and UA.txt
    /// both given), keeps that one and adds the new names to it. Returns the id.
    std::int64_t add(Entry entry);
};

/// Hands a line of progress to the user's callback, when there is one.
class Reporter {
public:
    explicit Reporter(Progress progress) : m_progress(std::move(progress)) {}

    /// Reports `line`; does nothing without a callback.
    void operator()(const std::string& line) const {
        if (m_progress) {
            m_progress(line);
        }
    }

private:
    Progress m_progress;
};

/// A stable negative id for an entry GeoNames has no id for, from a key naming it ("C:UA",
/// "A1:UA.16"): the same for every build of the same data. Thread-safe.
std::int64_t synthetic_id(std::string_view key) noexcept;

} // namespace incidentmap::gazetteer::detail
