#pragma once

// Word lists that more than one reader of language needs, kept once.

#include <string_view>
#include <unordered_set>

namespace incidentmap::text {

/// Lower-case abbreviations written with a final period that does not end a sentence ("Gen.",
/// "Dec.", "U.S." as "u.s"): the sentence splitter and the geoparser's tokenizer both ask.
/// Thread-safe.
const std::unordered_set<std::string_view>& abbreviations();

} // namespace incidentmap::text
