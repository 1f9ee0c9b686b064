#pragma once

// Events of a sentence: the words that name an incident ("shelling", "protest", "attacked"),
// each typed and sub-typed in ACLED's terms, without the ones that did not happen. Internal to
// the extract module.

#include "words.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace incidentmap::incidents::detail {

/// A word of a sentence that names an event, and the event.
struct Trigger {
    std::size_t word = 0;  ///< index into the sentence's words
    std::string type;      ///< ACLED event type
    std::string sub_type;  ///< ACLED sub-event type
    int priority = 0;      ///< the higher wins within a clause
    double strength = 0.5; ///< how surely the words name such an event (raises the confidence)
};

/// What finding a sentence's events needs beside its words.
struct TriggerContext {
    std::size_t dateline_end = 0; ///< the end of an inline dateline in the article, or 0
    bool dated = false;      ///< the sentence names its day: background words do not count then
    long published_year = 0; ///< events in an earlier year are history
};

/// The events a sentence reports, in word order: those negated, hoped for, offered, called
/// off, historical ("the 2015 accord") or habitual ("hit repeatedly", in an undated sentence)
/// are left out. Thread-safe.
std::vector<Trigger> find_triggers(const SentenceWords& sw, const TriggerContext& ctx);

/// One event per clause: the trigger of highest priority (the first of equals), by clause.
std::map<int, Trigger> strongest_per_clause(const std::vector<Trigger>& triggers,
                                            const std::vector<int>& clause);

} // namespace incidentmap::incidents::detail
