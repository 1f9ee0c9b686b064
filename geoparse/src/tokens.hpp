#pragma once

// Tokenization: a text as a sequence of words, with what lies between them.

#include <cstddef>
#include <string_view>
#include <vector>

namespace incidentmap::gazetteer::geoparse {

/// One word of the text: letters and digits, with inner apostrophes and hyphens ("O'Neill",
/// "Croix-des-Bouquets") and the periods of initialisms ("U.S.").
struct Token {
    std::size_t b = 0; // the word's bytes in the text, half-open
    std::size_t e = 0;
    std::size_t cb = 0; // the same span in code points
    std::size_t ce = 0;
    std::string_view word;
    bool cap = false; // first letter upper case (or a script without case)
    bool allcaps = false;
    bool alpha = false; // starts with a letter
    bool sent_start = false;
    bool possessive = false; // "Kiev's": the 's is not part of word
    std::string_view gap;    // text between the previous token and this one
};

/// A text and its tokens: what the stages after tokenization read.
struct Document {
    std::string_view text;
    std::vector<Token> tokens;
};

/// The words of a valid UTF-8 text, in order.
std::vector<Token> tokenize(std::string_view text);

/// A gap of spaces only (at least one).
bool gap_is_space(std::string_view gap);

/// A gap between two words of one name: spaces, a hyphen or the period of "St. ".
bool gap_joins(std::string_view gap);

} // namespace incidentmap::gazetteer::geoparse
