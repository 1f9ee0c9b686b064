// Sentences of an article: split at '.', '!' and '?' (with closing quotes) unless an
// abbreviation, an initial or a lower-case continuation says otherwise, and at line ends.

#include "incidentmap/extract/extract.hpp"
#include "incidentmap/text/ascii.hpp"

#include <cctype>
#include <string>
#include <unordered_set>

namespace incidentmap::incidents {

namespace {

// Adds text[b, e) without its surrounding white space, unless nothing is left.
void push_trimmed(std::vector<Sentence>& out, std::string_view text, std::size_t b, std::size_t e) {
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) {
        ++b;
    }
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) {
        --e;
    }
    if (e > b) {
        out.push_back({b, e});
    }
}

// The end of a sentence whose final mark is at i: closing quotes and parentheses belong to it.
std::size_t after_closing_quotes(std::string_view text, std::size_t i) {
    const std::size_t n = text.size();
    std::size_t end = i + 1;
    while (end < n && (text[end] == '"' || text[end] == '\'' || text[end] == ')' ||
                       (static_cast<unsigned char>(text[end]) == 0xE2 && end + 2 < n &&
                        (static_cast<unsigned char>(text[end + 2]) == 0x9D ||
                         static_cast<unsigned char>(text[end + 2]) == 0x99)))) {
        end += static_cast<unsigned char>(text[end]) == 0xE2 ? 3 : 1;
    }
    return end;
}

// The period at i ends an abbreviation ("Gen.", "U.S.") or an initial ("J."), not a sentence;
// the word is looked for from `start`, the sentence's beginning.
bool ends_abbreviation(std::string_view text, std::size_t start, std::size_t i) {
    static const std::unordered_set<std::string> abbrev = {
        "mr",   "mrs", "ms",   "dr",   "st",   "gen", "col", "lt",   "sgt",  "gov",
        "sen",  "rep", "jan",  "feb",  "mar",  "apr", "jun", "jul",  "aug",  "sep",
        "sept", "oct", "nov",  "dec",  "no",   "vs",  "jr",  "sr",   "prof", "capt",
        "maj",  "inc", "co",   "corp", "ltd",  "u.s", "u.n", "e.g",  "i.e",  "approx",
        "ft",   "mt",  "pres", "adm",  "cmdr", "rev", "hon", "dept", "a.m",  "p.m"};
    std::size_t w = i;
    while (w > start &&
           (std::isalpha(static_cast<unsigned char>(text[w - 1])) || text[w - 1] == '.')) {
        --w;
    }
    std::string word = text::lower_ascii(text.substr(w, i - w));
    return abbrev.count(word) ||
           (word.size() == 1 && std::isupper(static_cast<unsigned char>(text[w])));
}

// The text after `end` goes on in lower case: the sentence does not end there.
bool continues_in_lower_case(std::string_view text, std::size_t end) {
    std::size_t k = end;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) {
        ++k;
    }
    return k < text.size() && std::islower(static_cast<unsigned char>(text[k]));
}

} // namespace

std::vector<Sentence> split_sentences(std::string_view text) {
    std::vector<Sentence> out;
    std::size_t start = 0;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        char c = text[i];
        if (c == '\n') {
            push_trimmed(out, text, start, i);
            start = i + 1;
            continue;
        }
        if (c != '.' && c != '!' && c != '?') {
            continue;
        }
        std::size_t end = after_closing_quotes(text, i);
        if (end < n && !std::isspace(static_cast<unsigned char>(text[end]))) {
            continue; // "3.5", "U.S.-led"
        }
        if (c == '.' && ends_abbreviation(text, start, i)) {
            continue;
        }
        // The next sentence starts with an upper-case letter, a digit or a quote.
        if (continues_in_lower_case(text, end)) {
            continue;
        }
        push_trimmed(out, text, start, end);
        start = end;
        i = end - 1;
    }
    push_trimmed(out, text, start, n);
    return out;
}

} // namespace incidentmap::incidents
