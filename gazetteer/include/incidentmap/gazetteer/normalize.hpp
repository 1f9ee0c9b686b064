#pragma once

#include <string>
#include <string_view>

namespace incidentmap::gazetteer {

/// Normalises a place name for matching: any script transliterated to Latin (ICU), diacritics
/// removed, case folded, apostrophes (' ’ ʼ ` ´) dropped, hyphens and punctuation turned into
/// single spaces, leading "the " kept (callers decide). "Donets’k" and "Donets'k" give
/// "donetsk"; "Київ" gives "kyiv" or "kiiv". Invalid UTF-8 bytes are dropped. Thread-safe.
std::string normalize_name(std::string_view name);


} // namespace incidentmap::gazetteer
