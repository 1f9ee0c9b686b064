#pragma once

// The word tables of the geoparser. Each function returns a table built on first use
// (thread-safe) and kept for the life of the process. Unless said otherwise, a table holds
// English words in lower case (text::lower_ascii of a token's word).

#include "incidentmap/text/lexicon.hpp"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace incidentmap::gazetteer::geoparse {

/// True when w is one of the words of list.
inline bool in(const std::string_view w, std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), w) != list.end();
}

// --- Words of names --------------------------------------------------------------------------

/// Abbreviations written with a period ("Mr.", "Dec.", "St."): the period ends no sentence,
/// and the word is no place ("Dec. 20", "Sgt. Gale"). The one list of text/.
using text::abbreviations;

/// Lowercase words inside a place name ("Stratford upon Avon", "Rio de Janeiro"). As written.
const std::unordered_set<std::string_view>& connectors();

/// Capitalised words that are no place on their own: months, days, organisations, titles,
/// institutions, generic geographic words, people.
const std::unordered_set<std::string>& stop_words();

/// Words that are never a place on their own, whatever a gazetteer's alternate names say
/// ("The", "We", "I've"). Normalized (normalize_name), not merely lower case.
const std::unordered_set<std::string_view>& function_words();

/// Capitalised words before a place name that are no part of another name ("North Texas",
/// "In Kyiv"). As written, capitalised.
const std::unordered_set<std::string_view>& qualifiers();

// --- Context of a name -----------------------------------------------------------------------

/// Words before a name that introduce a place ("in", "near", "the city").
const std::unordered_set<std::string_view>& location_prepositions();

/// Words after a name that make it a region ("the Mykolaiv region", "Donetsk oblast").
const std::unordered_set<std::string_view>& region_words();

/// Titles before a person's name: "Sgt. Courtney Gale", "Rep. Ron Amstutz".
const std::unordered_set<std::string_view>& person_titles();

/// Words of an institution's name after a place ("Paris High School", "Oxford Police",
/// "Georgia Bureau of Investigation"): the place is named all the same.
const std::unordered_set<std::string_view>& institution_words();

/// A street named after a place ("Wichita Street") is no mention of the place.
const std::unordered_set<std::string_view>& street_words();

/// Verbs and modals that, right after a place name, show it stands for its government or
/// people ("Moscow said", "Kyiv will").
const std::unordered_set<std::string_view>& speech_verbs();

/// The auxiliaries among speech_verbs(): after a name they count only before a verb of speech
/// or will ("Moscow has said", not "Beledweyne has killed six").
const std::unordered_set<std::string_view>& auxiliaries();

/// Words that put the event close to, not in, the place named after them ("near X").
const std::unordered_set<std::string>& near_cues();

/// Words that may stand between a near cue and its name: articles, descriptions and
/// coordinated names ("near the capital Kiev and the northern city of Chernihiv").
const std::unordered_set<std::string>& near_cue_fillers();

// --- Nationalities and states ----------------------------------------------------------------

/// English demonyms and their country's ISO 3166-1 alpha-2 code ("ukrainian" -> "UA"): the
/// words of text::demonyms() but its abbreviations ("u.s"), which the gazetteer names.
const std::unordered_map<std::string_view, std::string_view>& demonyms();

/// Demonyms that are reported as toponyms of their country (text::Demonym::names_country).
/// Languages and peoples that are not one country's ("Kurdish", "Indian" of the Americas) are
/// left out.
bool emitted_demonym(std::string_view lower);

/// The Associated Press abbreviations of US states ("Hammond, Ind."), written with their
/// periods. Those that are also common words ("Miss.", "Mass.") count only after a comma or a
/// party letter ("Jackson, Miss.", "D-Mass.").
struct StateAbbreviation {
    std::string_view text;
    std::string_view state; // the admin1 region's name
    bool needs_comma;
};
const std::vector<StateAbbreviation>& state_abbreviations();

} // namespace incidentmap::gazetteer::geoparse
