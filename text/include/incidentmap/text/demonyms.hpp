#pragma once

// The one table of English demonyms: the geoparser reads it to report and bias places ("Russian
// officials" -> Russia, "the Ukrainian city of X"), incident extraction to name a state's forces
// ("Russian troops" -> "Russian military").

#include <span>
#include <string_view>

namespace incidentmap::text {

/// One word for the people or the state of a country, and what each reader takes from it.
struct Demonym {
    std::string_view word;    ///< lower case, as written ("ukrainian", "sri lankan", "u.s")
    std::string_view country; ///< the country's ISO 3166-1 alpha-2 code ("UA")
    /// The adjective a state actor's name is made of ("Russian" in "Russian military", "US" for
    /// "american"); empty when the word names no one state's forces (a people, a language or a
    /// region: "kurdish", "english", "texan"; a plural noun: "israelis"; an ambiguous
    /// adjective: "korean").
    std::string_view actor;
    /// The word names its country as a place ("Russian officials", "Palestinians"): a geoparser
    /// reports it as a toponym. False for peoples, languages and regions that are not one
    /// country's ("english", "kurdish", "texan") and for words with another sense ("indian" of
    /// the Americas).
    bool names_country = true;
    /// The country's abbreviated name used as an adjective ("us", "u.s"): a word for actors
    /// only; a geoparser finds the name itself in its gazetteer.
    bool abbreviation = false;
};

/// Every entry, in the table's order; words are unique. Thread-safe.
std::span<const Demonym> demonyms();

/// The entry of a word in any ASCII case ("Ukrainian", "SRI LANKAN", "u.s"), or null. Only the
/// word as listed matches: no plural is derived. Thread-safe.
const Demonym* find_demonym(std::string_view word);

} // namespace incidentmap::text
