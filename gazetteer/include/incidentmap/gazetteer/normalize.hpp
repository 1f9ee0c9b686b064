#pragma once

#include <string>
#include <string_view>

namespace incidentmap::gazetteer {

/// Normalises a place name for matching: any script transliterated to Latin (ICU), diacritics
/// removed, case folded, apostrophes (' ’ ʼ ` ´) dropped, hyphens and punctuation turned into
/// single spaces, leading "the " kept (callers decide). "Donets’k" and "Donets'k" give
/// "donetsk"; "Київ" gives "kyiv" or "kiiv". Invalid UTF-8 bytes are dropped. Thread-safe.
std::string normalize_name(std::string_view name);

/// Number of Unicode code points in a valid UTF-8 string (invalid bytes count as one each).
std::size_t codepoint_count(std::string_view text) noexcept;

} // namespace incidentmap::gazetteer
