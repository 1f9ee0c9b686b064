#include "dateline.hpp"

#include "words.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace incidentmap::incidents::detail {

namespace {

using gazetteer::Toponym;

// Header lines: a short line that is a place is a dateline; another is the source. Returns the
// first sentence after them.
std::size_t read_header_lines(std::string_view text, Extraction& ex) {
    std::size_t body_from = 0;
    for (std::size_t s = 0; s < ex.sentences.size() && s < 3; ++s) {
        const auto& sent = ex.sentences[s];
        std::string_view line(text.data() + sent.begin, sent.end - sent.begin);
        auto words = words_of(text, sent.begin, sent.end);
        bool line_alone =
            (sent.end == text.size() || text[sent.end] == '\n' || text[sent.end] == '\r');
        if (words.size() > 4 || !line_alone || line.back() == '.') {
            break;
        }
        bool is_place = std::any_of(ex.toponyms.begin(), ex.toponyms.end(), [&](const Toponym& t) {
            return t.begin == sent.begin && t.end == sent.end;
        });
        if (is_place && ex.dateline.empty()) {
            ex.dateline = std::string(line);
        } else if (!is_place && ex.source.empty()) {
            ex.source = std::string(line);
        }
        body_from = s + 1;
    }
    return body_from;
}

// The end of an inline dateline at the start of a sentence ("CAIRO, June 20 (Reuters) - ",
// "PARIS (AFP) — ", "MOGADISHU, Somalia (AP) — "), or 0 when there is none: an all-capitals
// first word, and a dash within the first 90 bytes before any '.' or ';'.
std::size_t inline_dateline_end(std::string_view text, const Sentence& sent) {
    std::string_view head =
        text.substr(sent.begin, std::min<std::size_t>(sent.end - sent.begin, 90));
    std::size_t k = 0;
    std::size_t upper = 0;
    while (k < head.size() && head[k] != ',' && head[k] != ' ' && head[k] != '(') {
        auto c = static_cast<unsigned char>(head[k]);
        if (std::islower(c)) {
            return 0;
        }
        upper += std::isupper(c) ? 1 : 0;
        ++k;
    }
    if (upper < 3) {
        return 0;
    }
    for (std::size_t i = k; i < head.size(); ++i) {
        auto c = static_cast<unsigned char>(head[i]);
        std::size_t dash = 0;
        if (c == '-' && i > 0 && head[i - 1] == ' ') {
            dash = 1;
        } else if (c == 0xE2 && i + 2 < head.size() &&
                   static_cast<unsigned char>(head[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(head[i + 2]) == 0x94 ||
                    static_cast<unsigned char>(head[i + 2]) == 0x93)) {
            dash = 3;
        }
        if (dash) {
            return sent.begin + i + dash;
        }
        if (c == '.' || c == ';') {
            return 0;
        }
    }
    return 0;
}

} // namespace

Heading read_heading(std::string_view text, Extraction& ex) {
    Heading h;
    h.body_from = read_header_lines(text, ex);
    if (h.body_from < ex.sentences.size()) {
        h.dateline_end = inline_dateline_end(text, ex.sentences[h.body_from]);
    }
    // The dateline's place: the first toponym that is the header's dateline or lies inside the
    // inline dateline.
    for (const auto& t : ex.toponyms) {
        if ((!ex.dateline.empty() && t.text == ex.dateline) || t.end <= h.dateline_end) {
            h.dateline_place = &t;
            if (ex.dateline.empty()) {
                ex.dateline = t.text;
            }
            break;
        }
    }
    return h;
}

} // namespace incidentmap::incidents::detail
