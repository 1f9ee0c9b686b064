#pragma once

// Locale-independent ASCII helpers: the words our lexicons hold are ASCII, the text around them
// any script, whose bytes these leave as they are.

#include <string>
#include <string_view>

namespace incidentmap::text {

/// A copy with A-Z lowered; every other byte as it is. Thread-safe.
std::string lower_ascii(std::string_view word);
/// A copy with a-z raised; every other byte as it is. Thread-safe.
std::string upper_ascii(std::string_view word);

/// `s` without the ASCII white space (space, \t, \n, \v, \f, \r) at either end. Thread-safe.
std::string_view trim_space(std::string_view s) noexcept;

} // namespace incidentmap::text
