#include "actors.hpp"

#include "lexicon.hpp"

#include <algorithm>
#include <string>

namespace incidentmap::incidents::detail {

namespace {

// The actor named in words [from, to), or empty: a state's military first, then a group.
std::string actor_from(const std::vector<Word>& w, std::size_t from, std::size_t to) {
    for (std::size_t k = from; k + 1 < to; ++k) {
        auto it = demonym_actors().find(w[k].lower);
        if (it != demonym_actors().end()) {
            for (std::size_t j = k + 1; j < std::min(to, k + 3); ++j) {
                if (military_nouns().count(w[j].lower)) {
                    return it->second + " military";
                }
            }
        }
    }
    for (std::size_t k = from; k < to; ++k) {
        for (const auto& [word, actor] : actor_groups()) {
            if (w[k].lower == word) {
                return actor;
            }
        }
    }
    return {};
}

} // namespace

void assign_actors(Incident& inc, const std::vector<Word>& w) {
    inc.actor1 = actor_from(w, 0, w.size());
    if (inc.event_type == "Violence against civilians") {
        inc.actor2 = "Civilians";
    }
    if (inc.sub_event_type == "Non-state actor overtakes territory" ||
        inc.sub_event_type == "Government regains territory") {
        const bool state =
            inc.actor1.find("military") != std::string::npos || inc.actor1 == "Government";
        if (!inc.actor1.empty()) {
            inc.sub_event_type =
                state ? "Government regains territory" : "Non-state actor overtakes territory";
        }
    }
}

} // namespace incidentmap::incidents::detail
