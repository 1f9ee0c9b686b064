#pragma once

// The word tables of incident extraction: event words, the words that make an event unreal,
// actors, casualties. Each function returns a table built on first use (thread-safe) and kept
// for the life of the process; words are in lower case, as Word::lower.

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace incidentmap::incidents::detail {

/// An event word and the ACLED event it names.
struct Lexeme {
    const char* stem;
    const char* type;     ///< ACLED event type
    const char* sub_type; ///< ACLED sub-event type
    int priority;         ///< the higher wins within a clause
    double strength;      ///< how surely the word names such an event (raises the confidence)
    bool exact;           ///< the whole word must equal the stem; else it starts with it
};

/// True when the lower-case word `lw` is the lexeme's word.
inline bool matches(const Lexeme& lx, const std::string& lw) {
    return lx.exact ? lw == lx.stem : lw.starts_with(lx.stem);
}

// --- Events ----------------------------------------------------------------------------------

/// Event words, in the order they are tried: the first that matches a word names its event.
const std::vector<Lexeme>& event_words();

/// Words that, shortly before an event word in the same clause, make it unreal: negated, hoped
/// for, offered, demanded or hypothetical. One longer than 8 letters also matches as a prefix.
const std::unordered_set<std::string>& irrealis_words();

/// Words of background rather than news ("repeatedly", "a string of attacks", "for years").
const std::unordered_set<std::string>& habitual_words();

/// Words after talks or an agreement that say it did not happen ("suspended", "collapsed").
const std::unordered_set<std::string>& called_off_words();

/// Deeds that make a protest a riot ("torched", "stones"); "set" only in "set fire", "set ablaze".
const std::unordered_set<std::string>& riot_words();

// --- Actors ----------------------------------------------------------------------------------

/// Nouns of armed forces ("troops", "army"): after a nationality they name its military.
const std::unordered_set<std::string>& military_nouns();

/// Nationalities (and "government") with the name of the actor they give ("american" -> "US"):
/// the words of text::demonyms() that name a state's forces (Demonym::actor), and "government".
const std::unordered_map<std::string, std::string>& demonym_actors();

/// Groups named by one word ("police", "rebels", "taliban"), with the actor's name.
const std::vector<std::pair<const char*, const char*>>& actor_groups();

// --- Casualties and places -------------------------------------------------------------------

/// Words of deaths after a number ("killed", "dead", "lives").
const std::unordered_set<std::string>& kill_words();

/// Words of injuries after a number ("wounded", "hospitalised", "casualties").
const std::unordered_set<std::string>& injure_words();

/// Words of leaving a place before "from" ("withdrew from X", "driven out from X"): the place
/// stays where the event was.
const std::unordered_set<std::string>& away_words();

} // namespace incidentmap::incidents::detail
