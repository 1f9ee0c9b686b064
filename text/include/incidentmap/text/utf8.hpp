#pragma once

// UTF-8: validation and decoding, the one place that knows the byte patterns.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace incidentmap::text {

/// True when `text` is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
/// Thread-safe.
bool is_valid_utf8(std::string_view text) noexcept;

/// The length in bytes of the sequence that `lead` starts (1 to 4), or 0 when `lead` cannot
/// start one (a continuation byte or 0xF8 and above).
constexpr std::size_t sequence_length(unsigned char lead) noexcept {
    return lead < 0x80             ? 1
           : (lead & 0xE0) == 0xC0 ? 2
           : (lead & 0xF0) == 0xE0 ? 3
           : (lead & 0xF8) == 0xF0 ? 4
                                   : 0;
}

/// Decodes the code point at `text[i]` and advances `i` past it. A byte that cannot start a
/// sequence, or a sequence cut by the end of the text, yields U+FFFD and advances by one byte.
/// Meant for text checked by is_valid_utf8: continuation bytes are not checked again.
std::uint32_t next_codepoint(std::string_view text, std::size_t& i) noexcept;

/// The number of code points of valid UTF-8 (in other text, every byte that is not a
/// continuation byte counts as one).
std::size_t codepoint_count(std::string_view text) noexcept;

} // namespace incidentmap::text
