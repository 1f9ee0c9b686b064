#include "tokens.hpp"
#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/utf8.hpp"
#include "lexicon.hpp"

#include <unicode/uchar.h>

#include <algorithm>

namespace incidentmap::gazetteer::geoparse {

namespace {

// Decodes one code point at s[i]; advances i. Invalid bytes yield U+FFFD.
UChar32 next_cp(std::string_view s, std::size_t& i) {
    return static_cast<UChar32>(text::next_codepoint(s, i));
}

bool is_word_cp(UChar32 cp) {
    return u_isalnum(cp) || u_charType(cp) == U_NON_SPACING_MARK;
}
bool is_apostrophe(UChar32 cp) {
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

// After a hyphen at `pos`: a lowercase particle of a place name, i.e. a lowercase part of at
// most three letters ("des", "e", "sur") or one followed by another hyphen ("-upon-").
bool name_particle_follows(std::string_view text, std::size_t pos) {
    std::size_t k = pos;
    UChar32 first = next_cp(text, k);
    if (!u_islower(first)) {
        return false;
    }
    std::size_t letters = 1;
    std::size_t end = k;
    while (end < text.size()) {
        std::size_t j = end;
        UChar32 c = next_cp(text, j);
        if (!is_word_cp(c)) {
            return letters <= 3 || c == '-';
        }
        ++letters;
        end = j;
    }
    return letters <= 3;
}

// The non-word code point c at byte `pos` ends a sentence: a period, '!', '?', ';' or a line
// break; but not the period right after an abbreviation or an initial ("Mr.", "D.").
bool ends_sentence(UChar32 c, std::size_t pos, const std::vector<Token>& tokens) {
    if (!(c == '.' || c == '!' || c == '?' || c == '\n' || c == ';')) {
        return false;
    }
    if (c == '.' && !tokens.empty() && tokens.back().e == pos) {
        const Token& prev = tokens.back();
        return !(abbreviations().count(text::lower_ascii(prev.word)) > 0 || prev.word.size() == 1);
    }
    return true;
}

// A position in the text, in bytes and in code points.
struct Position {
    std::size_t byte = 0;
    std::size_t cp = 0;
};

// The end of the word that starts at byte `start` with the code point c, read up to `end`.
// A word: letters, digits, inner apostrophes, hyphens and periods of initialisms. A
// capitalised word ends at a hyphen ("Egyptian-US", "D-Columbus", "Atlanta-area"): the parts
// are words, and names written with hyphens ("Winston-Salem") match across them; but a
// lowercase particle keeps a name whole ("Croix-des-Bouquets", "Pul-e Khumri",
// "Stratford-upon-Avon").
Position word_end(std::string_view text, std::size_t start, UChar32 c, Position end) {
    const bool upper_first = u_isupper(c) || u_istitle(c);
    while (end.byte < text.size()) {
        std::size_t j = end.byte;
        UChar32 d = next_cp(text, j);
        if (is_word_cp(d)) {
            end.byte = j;
            ++end.cp;
            continue;
        }
        if ((d == '-' || is_apostrophe(d)) && j < text.size() &&
            !(d == '-' && upper_first && !name_particle_follows(text, j))) {
            std::size_t k = j;
            UChar32 e2 = next_cp(text, k);
            if (is_word_cp(e2)) {
                end.byte = k;
                end.cp += 2;
                continue;
            }
        }
        // U.S. / U.K.: a single letter, a period, a letter.
        if (d == '.' && end.byte - start == 1 && j + 1 < text.size() &&
            u_isupper(static_cast<UChar32>(text[j])) &&
            (j + 2 >= text.size() || text[j + 1] == '.')) {
            end.byte = j + 1;
            end.cp += 2;
            if (end.byte < text.size() && text[end.byte] == '.') {
                ++end.byte;
                ++end.cp;
            }
            continue;
        }
        break;
    }
    return end;
}

// Possessive 's / ’s is not part of the name.
void strip_possessive(Token& t) {
    for (std::string_view suffix : {std::string_view("'s"), std::string_view("\xE2\x80\x99s")}) {
        if (t.word.size() > suffix.size() + 1 &&
            t.word.substr(t.word.size() - suffix.size()) == suffix) {
            t.word.remove_suffix(suffix.size());
            t.e -= suffix.size();
            t.ce -= 2;
            t.possessive = true;
            break;
        }
    }
}

// alpha, cap and allcaps from the letters of the word.
void classify_case(Token& t) {
    std::size_t k = 0;
    UChar32 first = next_cp(t.word, k);
    t.alpha = u_isalpha(first);
    t.cap = u_isupper(first) || u_istitle(first) || (t.alpha && !u_islower(first));
    t.allcaps = t.cap;
    for (std::size_t m = 0; m < t.word.size();) {
        UChar32 ch = next_cp(t.word, m);
        if (u_islower(ch)) {
            t.allcaps = false;
            break;
        }
    }
}

} // namespace

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    Position at;
    std::size_t prev_end = 0;
    bool sentence_break = true;
    while (at.byte < text.size()) {
        const Position start = at;
        const UChar32 c = next_cp(text, at.byte);
        ++at.cp;
        if (!is_word_cp(c)) {
            if (ends_sentence(c, start.byte, tokens)) {
                sentence_break = true;
            }
            continue;
        }
        at = word_end(text, start.byte, c, at);
        Token t;
        t.b = start.byte;
        t.e = at.byte;
        t.cb = start.cp;
        t.ce = at.cp;
        t.word = text.substr(t.b, t.e - t.b);
        strip_possessive(t);
        classify_case(t);
        t.gap = text.substr(prev_end, t.b - prev_end);
        t.sent_start = sentence_break;
        // An opening quote keeps the sentence start for the word after it.
        sentence_break = false;
        prev_end = t.e;
        tokens.push_back(t);
    }
    return tokens;
}

bool gap_is_space(std::string_view gap) {
    return !gap.empty() && std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' '; });
}

bool gap_joins(std::string_view gap) {
    if (gap.empty()) {
        return false;
    }
    for (char c : gap) {
        if (c != ' ' && c != '-' && c != '.') {
            return false;
        }
    }
    return gap.find(". ") == std::string_view::npos || gap == ". ";
}

} // namespace incidentmap::gazetteer::geoparse
