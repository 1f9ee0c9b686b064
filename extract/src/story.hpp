#pragma once

// The body of an article, read sentence by sentence into incidents. Internal to the extract
// module.

#include "dateline.hpp"
#include "incidentmap/extract/extract.hpp"

#include <vector>

namespace incidentmap::incidents::detail {

/// The incidents of an article's body in the order found, before duplicates are merged.
struct StoryIncidents {
    std::vector<Incident> incidents;
    std::vector<bool> dated; ///< per incident: its date came from the text, not the publication
};

/// Reads the body of an article (its sentences from heading.body_from on) into incidents: in
/// each sentence its events (one per clause), the places and date of each, its casualty
/// figures and actors. A sentence is read in the light of those before it: an undated one
/// continues the date of a dated one just before, casualty figures without an event of their
/// own belong to the incident just reported, and "the city" or "there" is the place named
/// last. `ex` holds the article's sentences, toponyms, source and publication date. Thread-safe.
StoryIncidents read_story(const ArticleInput& input, const Extraction& ex, const Heading& heading);

} // namespace incidentmap::incidents::detail
