#pragma once

// Where an incident happened: which of the geoparser's toponyms in a sentence are event sites,
// and which of them belong to each of its events. Internal to the extract module.

#include "events.hpp"
#include "incidentmap/extract/extract.hpp"
#include "words.hpp"

#include <cstddef>
#include <map>
#include <unordered_set>
#include <vector>

namespace incidentmap::incidents::detail {

/// The toponyms of a sentence that can be where its events happened: not used for a
/// government or people ("Moscow said"), not inside an inline dateline (before
/// `dateline_end`), not where people or things went or came from ("evacuated to X", "refugees
/// from X"). Thread-safe.
std::vector<const gazetteer::Toponym*> event_sites(const std::vector<gazetteer::Toponym>& toponyms,
                                                   const Sentence& sent, std::size_t dateline_end,
                                                   const SentenceWords& sw);

/// What choosing the places of one of a sentence's events looks at.
struct SiteQuery {
    const SentenceWords& sw;
    const std::vector<const gazetteer::Toponym*>& sites; ///< event_sites of the sentence
    const std::map<int, Trigger>& events;                ///< the sentence's events, by clause
    /// sites given to the events of earlier clauses
    const std::unordered_set<const gazetteer::Toponym*>& used;
    /// places named in earlier sentences, the latest last ("the city", "there")
    const std::vector<const gazetteer::Toponym*>& seen;
};

/// The places of one event.
struct SiteChoice {
    std::vector<const gazetteer::Toponym*> places;
    bool anaphora = false; ///< the place is one named before ("the city", "there")
};

/// The places of the event of clause `clause`: the sentence's sites in that clause, countries
/// aside ("near Kiev and Chernihiv" gives both); else those of a neighbouring clause that has
/// no event of its own, unless an earlier event took them; else, for "the city", "the Turkish
/// city" or "there", the place named last (in that country). A region that only says where a
/// town of the event lies ("outside Konduga in Borno state") is dropped. Thread-safe.
SiteChoice choose_sites(const SiteQuery& q, int clause);

} // namespace incidentmap::incidents::detail
