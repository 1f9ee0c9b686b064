#pragma once

// The top of an article: header lines (a dateline place, a source) and an inline dateline
// opening the first paragraph ("CAIRO, June 20 (Reuters) - "). Internal to the extract module.

#include "incidentmap/extract/extract.hpp"

#include <cstddef>
#include <string_view>

namespace incidentmap::incidents::detail {

/// Where an article's body begins, and where its reporter was.
struct Heading {
    std::size_t body_from = 0;    ///< the first sentence after the header lines
    std::size_t dateline_end = 0; ///< the byte after an inline dateline, or 0 when none
    const gazetteer::Toponym* dateline_place = nullptr; ///< the dateline's place, in ex.toponyms
};

/// Reads the top of an article whose sentences and toponyms are in `ex`: of up to three short
/// lines alone at the top, one that is a place is the dateline (ex.dateline) and another the
/// source (ex.source, unless given). An inline dateline's places locate the reporter, not the
/// events, and its date is the publication's. Thread-safe.
Heading read_heading(std::string_view text, Extraction& ex);

} // namespace incidentmap::incidents::detail
