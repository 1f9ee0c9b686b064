// Sentences of an article: split at '.', '!' and '?' (with closing quotes) unless an
// abbreviation, an initial or a lower-case continuation says otherwise, and at line ends.

#include "incidentmap/extract/extract.hpp"
#include "incidentmap/text/ascii.hpp"

#include <cctype>
#include <string>
#include <unordered_set>

namespace incidentmap::incidents {

using text::lower_ascii;

std::vector<Sentence> split_sentences(std::string_view text) {
    static const std::unordered_set<std::string> abbrev = {
        "mr",   "mrs", "ms",   "dr",   "st",   "gen", "col", "lt",   "sgt",  "gov",
        "sen",  "rep", "jan",  "feb",  "mar",  "apr", "jun", "jul",  "aug",  "sep",
        "sept", "oct", "nov",  "dec",  "no",   "vs",  "jr",  "sr",   "prof", "capt",
        "maj",  "inc", "co",   "corp", "ltd",  "u.s", "u.n", "e.g",  "i.e",  "approx",
        "ft",   "mt",  "pres", "adm",  "cmdr", "rev", "hon", "dept", "a.m",  "p.m"};
    std::vector<Sentence> out;
    std::size_t start = 0;
    const std::size_t n = text.size();
    auto push = [&](std::size_t b, std::size_t e) {
        while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) {
            ++b;
        }
        while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) {
            --e;
        }
        if (e > b) {
            out.push_back({b, e});
        }
    };
    for (std::size_t i = 0; i < n; ++i) {
        char c = text[i];
        if (c == '\n') {
            push(start, i);
            start = i + 1;
            continue;
        }
        if (c != '.' && c != '!' && c != '?') {
            continue;
        }
        // Closing quotes belong to the sentence.
        std::size_t end = i + 1;
        while (end < n && (text[end] == '"' || text[end] == '\'' || text[end] == ')' ||
                           (static_cast<unsigned char>(text[end]) == 0xE2 && end + 2 < n &&
                            (static_cast<unsigned char>(text[end + 2]) == 0x9D ||
                             static_cast<unsigned char>(text[end + 2]) == 0x99)))) {
            end += static_cast<unsigned char>(text[end]) == 0xE2 ? 3 : 1;
        }
        if (end < n && !std::isspace(static_cast<unsigned char>(text[end]))) {
            continue; // "3.5", "U.S.-led"
        }
        if (c == '.') {
            std::size_t w = i;
            while (w > start &&
                   (std::isalpha(static_cast<unsigned char>(text[w - 1])) || text[w - 1] == '.')) {
                --w;
            }
            std::string word = lower_ascii(text.substr(w, i - w));
            if (abbrev.count(word) ||
                (word.size() == 1 && std::isupper(static_cast<unsigned char>(text[w])))) {
                continue;
            }
        }
        // The next sentence starts with an upper-case letter, a digit or a quote.
        std::size_t k = end;
        while (k < n && (text[k] == ' ' || text[k] == '\t')) {
            ++k;
        }
        if (k < n && std::islower(static_cast<unsigned char>(text[k]))) {
            continue;
        }
        push(start, end);
        start = end;
        i = end - 1;
    }
    push(start, n);
    return out;
}

} // namespace incidentmap::incidents
