#pragma once

// Resolution: a place for each mention, chosen in the context of the whole document.

#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geoparse/geoparser.hpp"
#include "mentions.hpp"
#include "tokens.hpp"

#include <cstddef>
#include <vector>

namespace incidentmap::gazetteer::geoparse {

/// Keeps at most max_candidates candidates of each mention, those of the highest prior.
void prune_candidates(std::vector<Mention>& mentions, const Gazetteer& gz,
                      std::size_t max_candidates);

/// The toponyms of the mentions, in their order: for each the candidate scoring best on its
/// prior, its own cues and the votes of the document's other names, one sense per name.
/// Mentions without candidates yield none.
std::vector<Toponym> resolve(const Gazetteer& gz, const Document& doc,
                             const std::vector<Mention>& mentions);

} // namespace incidentmap::gazetteer::geoparse
