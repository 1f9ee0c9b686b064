#pragma once

// Casualty figures of a sentence: numbers (parse_number_word, in the public header) next to
// words of deaths and injuries. Internal to the extract module.

#include "words.hpp"

#include <vector>

namespace incidentmap::incidents::detail {

/// The deaths and injuries a sentence reports.
struct Casualties {
    int fatalities = 0;
    int injured = 0;
    bool any = false; ///< the sentence gives a figure (which may be of either kind)
};

/// The casualty figures of a sentence's words: "three people were killed", "killing at least
/// 5", "four soldiers and two rebels were killed" (6), "between 10 and 15 wounded" (10); the
/// largest of each kind. Years, days of the month and the like do not count. Thread-safe.
Casualties casualties_in(const std::vector<Word>& w);

} // namespace incidentmap::incidents::detail
