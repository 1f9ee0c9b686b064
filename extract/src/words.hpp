#pragma once

// The words of an article as extraction reads them: byte spans with a lower-case form, and the
// clauses of a sentence. Internal to the extract module.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::incidents::detail {

/// A word of an article: a run of letters and digits, with the hyphens and apostrophes inside it
/// ("twenty-two", "al-shabaab") and commas or periods between digits ("1,200", "3.5").
struct Word {
    std::size_t b = 0; ///< byte offsets in the article, half-open
    std::size_t e = 0;
    std::string lower; ///< the word in lower case (text::lower_ascii)
    bool cap = false;  ///< it starts with an upper-case ASCII letter
    bool clause_break_before =
        false; ///< a comma, semicolon, colon, parenthesis or dash precedes it
};

/// The words of text[begin, end), with byte offsets into the whole text. Thread-safe.
std::vector<Word> words_of(std::string_view text, std::size_t begin, std::size_t end);

/// A clause index per word, from 0: punctuation and some conjunctions ("while", "after",
/// "which") start a new clause. Thread-safe.
std::vector<int> clauses_of(const std::vector<Word>& w);

/// The words of one sentence and the clause of each.
struct SentenceWords {
    std::vector<Word> words; ///< never empty
    std::vector<int> clause; ///< clauses_of(words)

    /// The index of the first word that ends after byte offset `byte`; the last word when none.
    [[nodiscard]] std::size_t index_at(std::size_t byte) const noexcept;
};

} // namespace incidentmap::incidents::detail
