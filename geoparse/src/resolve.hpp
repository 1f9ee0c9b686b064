#pragma once

// Resolution: a place for each mention, chosen in the context of the whole document.

#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geoparse/geoparser.hpp"
#include "mentions.hpp"
#include "tokens.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace incidentmap::gazetteer::geoparse {

/// Keeps at most max_candidates candidates of each mention, those of the highest prior.
/// (Candidates in a focus country count as if their prior were k_focus higher.)
void prune_candidates(std::vector<Mention>& mentions, const Gazetteer& gz,
                      std::size_t max_candidates, const std::vector<std::string>& focus);

/// The toponyms of the mentions, in their order: for each the candidate scoring best on its
/// prior, its own cues and the votes of the document's other names, one sense per name.
/// Mentions without candidates yield none.
/// Candidates in a country of `focus` (the deployment's) start higher.
std::vector<Toponym> resolve(const Gazetteer& gz, const Document& doc,
                             const std::vector<Mention>& mentions,
                             const std::vector<std::string>& focus);

} // namespace incidentmap::gazetteer::geoparse
