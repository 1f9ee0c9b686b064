#pragma once

#include "incidentmap/gazetteer/gazetteer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::gazetteer {

/// A place name found in a text and resolved in the context of the whole text.
struct Toponym {
    std::size_t begin = 0; ///< byte offset in the text (UTF-8), half-open
    std::size_t end = 0;
    std::size_t cp_begin = 0; ///< the same span in Unicode code points
    std::size_t cp_end = 0;
    std::string text;             ///< the words as written
    const Place* place = nullptr; ///< the chosen place (never null in parse() results)
    double score = 0.0;           ///< the winning candidate's score
    double margin = 0.0;          ///< its lead over the runner-up (confidence of the choice)
    bool metonymic = false;  ///< used for a government or people ("Moscow said"): not an event site
    bool near = false;       ///< "near X", "outside X": the event is close to, not in, X
    bool region_cue = false; ///< "the X region", "X oblast": a region was named
    bool demonym = false;    ///< a nationality ("Russian officials"): its country, no place named
    /// The name was not found in the region or district that qualifies it ("Ozarianivka, Donetsk
    /// region"): `place` is that region, or the district's town with `near` set.
    bool unplaced = false;
};

/// The ISO 3166-1 alpha-2 code of an English demonym in lower case ("ukrainian" -> "UA"), or
/// an empty view when unknown. Thread-safe.
std::string_view country_of_demonym(std::string_view lower) noexcept;

/// Options of the geoparser.
struct GeoparseOptions {
    std::size_t max_text_bytes = 10 * 1024 * 1024; ///< longer texts are refused
    std::size_t max_candidates = 60;               ///< per mention, by prior
    bool demonyms = true; ///< report nationalities ("Russian officials") as their country
    /// The countries a deployment reports on (ISO 3166-1 alpha-2, upper case): every ambiguous
    /// name leans toward them, as a bias and never a filter (a place elsewhere named with its
    /// country or region is still found there).
    std::vector<std::string> focus;
};

/// The country codes of a focus list as users write it ("UA", "ua,RU", "UA, RU"), checked
/// against the gazetteer's countries. Throws InvalidInput naming a code it does not know.
std::vector<std::string> parse_focus(std::string_view list, const Gazetteer& gazetteer);

/// Finds and resolves place names in free text with the gazetteer. Stateless after
/// construction: parse() is thread-safe. The gazetteer must outlive the geoparser.
class Geoparser {
public:
    explicit Geoparser(const Gazetteer& gazetteer, GeoparseOptions options = {});

    /// Toponyms in order of appearance. Throws InvalidInput when the text is not valid UTF-8
    /// or is longer than the configured limit. Control characters are treated as spaces.
    [[nodiscard]] std::vector<Toponym> parse(std::string_view text) const;

private:
    const Gazetteer* m_gazetteer;
    GeoparseOptions m_options;
};

} // namespace incidentmap::gazetteer
