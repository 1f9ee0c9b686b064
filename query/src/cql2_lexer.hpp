#pragma once

// The lexical level of cql2-text, read on demand by the parser: white space, words (keywords and
// property names), punctuation, string, quoted-name and number literals, and errors that name
// the character position. Internal to the query module.

#include <cstddef>
#include <string>
#include <string_view>

namespace incidentmap::incidents::cql2::detail {

/// A cursor over the filter text. Not thread-safe; one per parse.
class Lexer {
public:
    /// Reads `text`, which must outlive the lexer.
    explicit Lexer(std::string_view text) : m_text(text) {}

    /// Throws InvalidInput "filter: at character N: what", N counting code points from 1 at
    /// the current position (fail) or at the byte offset pos (fail_at).
    [[noreturn]] void fail(const std::string& what) const;
    [[noreturn]] void fail_at(std::size_t pos, const std::string& what) const;

    /// The whole text, the current byte offset, and whether the text is used up.
    [[nodiscard]] std::string_view text() const noexcept { return m_text; }
    [[nodiscard]] std::size_t pos() const noexcept { return m_pos; }
    [[nodiscard]] bool at_end() const noexcept { return m_pos >= m_text.size(); }
    /// The byte at the current position; only when !at_end().
    [[nodiscard]] char peek() const noexcept { return m_text[m_pos]; }
    /// Moves the position forward by n bytes, or back to an earlier pos().
    void advance(std::size_t n) noexcept { m_pos += n; }
    void rewind(std::size_t pos) noexcept { m_pos = pos; }

    /// Skips spaces, tabs and line ends; returns the position after them.
    std::size_t skip_space() noexcept;

    /// The next word (identifier or keyword) upper-cased, without consuming it; "" when none.
    std::string peek_word();
    /// Consumes the word when it comes next (case-insensitively).
    bool accept_word(const char* word);
    /// Consumes the word, or throws InvalidInput "expected <word>".
    void expect_word(const char* word);
    /// Consumes the character when it comes next after white space.
    bool accept(char c);
    /// Consumes the character, or throws InvalidInput saying what came instead.
    void expect(char c);

    /// A string in single quotes ('' for a quote), after white space. Throws when missing or
    /// unterminated.
    std::string string_literal();
    /// A property name in double quotes; the current byte is the opening quote.
    std::string quoted_identifier();
    /// A finite decimal number, after white space. Throws when it is none.
    double number();

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

} // namespace incidentmap::incidents::cql2::detail
