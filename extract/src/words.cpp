#include "words.hpp"

#include "incidentmap/text/ascii.hpp"

#include <cctype>
#include <unordered_set>

namespace incidentmap::incidents::detail {

using text::lower_ascii;

std::vector<Word> words_of(std::string_view text, std::size_t begin, std::size_t end) {
    std::vector<Word> out;
    bool brk = false;
    std::size_t i = begin;
    while (i < end) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == 0xC2 && i + 1 < end && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
            i += 2; // a no-break space separates words like any space
            continue;
        }
        if (std::isalnum(c) || c >= 0x80) {
            // U+2019 and U+201C/D (E2 80 xx) are punctuation, not letters.
            if (c == 0xE2 && i + 2 < end && static_cast<unsigned char>(text[i + 1]) == 0x80) {
                auto c3 = static_cast<unsigned char>(text[i + 2]);
                if (c3 == 0x94 || c3 == 0x93) {
                    brk = true; // dashes
                }
                i += 3;
                continue;
            }
            std::size_t s = i;
            while (i < end) {
                auto d = static_cast<unsigned char>(text[i]);
                if ((d == 0xE2 && i + 2 < end && static_cast<unsigned char>(text[i + 1]) == 0x80) ||
                    (d == 0xC2 && i + 1 < end && static_cast<unsigned char>(text[i + 1]) == 0xA0)) {
                    break;
                }
                if (std::isalnum(d) || d >= 0x80 ||
                    ((d == '-' || d == '\'' || d == ',' || d == '.') && i + 1 < end &&
                     std::isalnum(static_cast<unsigned char>(text[i + 1])) &&
                     (d != ',' || std::isdigit(static_cast<unsigned char>(text[i - 1]))) &&
                     (d != '.' || std::isdigit(static_cast<unsigned char>(text[i - 1]))))) {
                    ++i;
                } else {
                    break;
                }
            }
            Word w;
            w.b = s;
            w.e = i;
            w.lower = lower_ascii(text.substr(s, i - s));
            w.cap = std::isupper(static_cast<unsigned char>(text[s])) != 0;
            w.clause_break_before = brk;
            brk = false;
            out.push_back(std::move(w));
        } else {
            if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')') {
                brk = true;
            }
            ++i;
        }
    }
    return out;
}

std::vector<int> clauses_of(const std::vector<Word>& w) {
    static const std::unordered_set<std::string> conj = {
        "as", "while", "but", "although", "though", "whereas", "after", "when", "which", "because"};
    std::vector<int> c(w.size(), 0);
    int cur = 0;
    for (std::size_t k = 0; k < w.size(); ++k) {
        if (k > 0 && (w[k].clause_break_before || conj.count(w[k].lower))) {
            ++cur;
        }
        c[k] = cur;
    }
    return c;
}

std::size_t SentenceWords::index_at(std::size_t byte) const noexcept {
    for (std::size_t k = 0; k < words.size(); ++k) {
        if (words[k].e > byte) {
            return k;
        }
    }
    return words.size() - 1;
}

} // namespace incidentmap::incidents::detail
