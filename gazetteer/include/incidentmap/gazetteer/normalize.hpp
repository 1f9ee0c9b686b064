#pragma once

#include <string>
#include <string_view>

namespace incidentmap::gazetteer {

/// Normalises a place name for matching: any script transliterated to Latin (ICU), diacritics
/// removed, case folded, apostrophes (' ’ ʼ ` ´) dropped, hyphens and punctuation turned into
/// single spaces, leading "the " kept (callers decide). "Donets’k" and "Donets'k" give
/// "donetsk"; "Київ" gives "kyiv" or "kiiv". Invalid UTF-8 bytes are dropped. Thread-safe.
std::string normalize_name(std::string_view name);

/// A key under which the romanisations of one Slavic name meet: Russian-based and Ukrainian
/// forms, older and newer ("zaporozhye", "zaporizhzhia"; "kharkov", "kharkiv"; "lugansk",
/// "luhansk"; "georgievka", "heorhiivka"; "leninskoye", "leninske"). Each run of vowels becomes
/// one "a", "h" and "g" meet, digraphs ("kh", "zh", "sh", "shch", "ch", "ts") become one letter,
/// doubled letters and spaces go. Coarse on purpose: use it only where the context has already
/// narrowed the places (a named region). Takes normalize_name() output. Thread-safe.
std::string transliteration_key(std::string_view normalized);

} // namespace incidentmap::gazetteer
