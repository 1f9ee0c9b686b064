#include "cql2_lexer.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geo/types.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace incidentmap::incidents::cql2::detail {

namespace {

bool ident_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':';
}

} // namespace

void Lexer::fail(const std::string& what) const {
    fail_at(m_pos, what);
}

void Lexer::fail_at(std::size_t pos, const std::string& what) const {
    // Positions count code points from 1, as an editor would show them.
    std::size_t cp = 1;
    for (std::size_t k = 0; k < pos && k < m_text.size(); ++k) {
        if ((static_cast<unsigned char>(m_text[k]) & 0xC0) != 0x80) {
            ++cp;
        }
    }
    throw InvalidInput("filter: at character " + std::to_string(cp) + ": " + what);
}

std::size_t Lexer::skip_space() noexcept {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                     m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        ++m_pos;
    }
    return m_pos;
}

std::string Lexer::peek_word() {
    skip_space();
    std::size_t k = m_pos;
    if (k >= m_text.size() || !ident_start(m_text[k])) {
        return {};
    }
    std::string w;
    while (k < m_text.size() && ident_char(m_text[k])) {
        w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(m_text[k]))));
        ++k;
    }
    return w;
}

bool Lexer::accept_word(const char* word) {
    if (peek_word() == word) {
        m_pos += std::strlen(word);
        return true;
    }
    return false;
}

void Lexer::expect_word(const char* word) {
    if (!accept_word(word)) {
        fail(std::string("expected ") + word);
    }
}

bool Lexer::accept(char c) {
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
        ++m_pos;
        return true;
    }
    return false;
}

void Lexer::expect(char c) {
    if (!accept(c)) {
        fail(std::string("expected '") + c + "'" +
             (m_pos < m_text.size() ? " but found '" + std::string(1, m_text[m_pos]) + "'"
                                    : " but the filter ended"));
    }
}

std::string Lexer::string_literal() {
    skip_space();
    if (m_pos >= m_text.size() || m_text[m_pos] != '\'') {
        fail("expected a string in single quotes");
    }
    const std::size_t start = m_pos++;
    std::string s;
    for (;;) {
        if (m_pos >= m_text.size()) {
            fail_at(start, "unterminated string (strings end with ')");
        }
        char c = m_text[m_pos++];
        if (c == '\'') {
            if (m_pos < m_text.size() && m_text[m_pos] == '\'') {
                s.push_back('\'');
                ++m_pos;
                continue;
            }
            return s;
        }
        s.push_back(c);
    }
}

std::string Lexer::quoted_identifier() {
    ++m_pos; // "
    std::string s;
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
        s.push_back(m_text[m_pos++]);
    }
    if (m_pos >= m_text.size()) {
        fail("unterminated quoted property name");
    }
    ++m_pos;
    return s;
}

double Lexer::number() {
    skip_space();
    const std::size_t start = m_pos;
    if (m_pos < m_text.size() && (m_text[m_pos] == '-' || m_text[m_pos] == '+')) {
        ++m_pos;
    }
    // Take every character a number may have; parse_double then judges the whole run.
    while (m_pos < m_text.size() &&
           (std::isdigit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '.' ||
            m_text[m_pos] == 'e' || m_text[m_pos] == 'E' ||
            ((m_text[m_pos] == '-' || m_text[m_pos] == '+') &&
             (m_text[m_pos - 1] == 'e' || m_text[m_pos - 1] == 'E')))) {
        ++m_pos;
    }
    auto v = geo::parse_double(m_text.substr(start, m_pos - start));
    if (!v) {
        fail_at(start,
                "'" + std::string(m_text.substr(start, std::min<std::size_t>(m_pos - start, 30))) +
                    "' is not a finite number");
    }
    return *v;
}

} // namespace incidentmap::incidents::cql2::detail
