// The geoparser: its stages, in order, are
//   tokens.cpp    the words of the text;
//   mentions.cpp  the spans of words that may name a place, with their candidates and cues;
//   qualifiers.cpp the regions named beside places ("X, Donetsk region"), which restrict them;
//   resolve.cpp   a place for each mention, in the context of the whole document.
// lexicon.cpp holds the word tables they share.

#include "incidentmap/geoparse/geoparser.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/utf8.hpp"
#include "lexicon.hpp"
#include "mentions.hpp"
#include "qualifiers.hpp"
#include "resolve.hpp"
#include "tokens.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace incidentmap::gazetteer {

namespace {

// Throws InvalidInput when the text is longer than the limit or is not valid UTF-8.
void check_input(std::string_view text, const GeoparseOptions& options) {
    if (text.size() > options.max_text_bytes) {
        throw InvalidInput("text too long: " + std::to_string(text.size()) + " bytes (limit " +
                           std::to_string(options.max_text_bytes) + ")");
    }
    if (!text::is_valid_utf8(text)) {
        throw InvalidInput("text is not valid UTF-8");
    }
}

} // namespace

std::string_view country_of_demonym(std::string_view lower) noexcept {
    const auto& demonyms = geoparse::demonyms();
    auto it = demonyms.find(lower);
    return it == demonyms.end() ? std::string_view() : it->second;
}

std::vector<std::string> parse_focus(std::string_view list, const Gazetteer& gazetteer) {
    std::vector<std::string> codes;
    std::size_t from = 0;
    while (from <= list.size()) {
        const std::size_t comma = std::min(list.find(',', from), list.size());
        const std::string code =
            text::upper_ascii(text::trim_space(list.substr(from, comma - from)));
        if (!code.empty()) {
            if (code.size() != 2 || gazetteer.country(code) == nullptr) {
                throw InvalidInput("focus: '" + code +
                                   "' is not the ISO 3166-1 alpha-2 code of a country of the "
                                   "gazetteer (e.g. UA, SY)");
            }
            codes.push_back(code);
        }
        from = comma + 1;
    }
    return codes;
}

Geoparser::Geoparser(const Gazetteer& gazetteer, GeoparseOptions options)
    : m_gazetteer(&gazetteer), m_options(std::move(options)) {}

std::vector<Toponym> Geoparser::parse(std::string_view text) const {
    check_input(text, m_options);
    const Gazetteer& gz = *m_gazetteer;
    const geoparse::Document doc{text, geoparse::tokenize(text)};
    std::vector<geoparse::Mention> mentions = geoparse::find_mentions(gz, doc, m_options);
    geoparse::add_regions_of_seats(mentions, gz, doc.tokens);
    geoparse::add_regions_by_transliteration(mentions, gz, doc.tokens);
    geoparse::add_districts_by_adjective(mentions, gz, doc.tokens);
    geoparse::add_unknown_qualified_names(mentions, gz, doc.tokens);
    geoparse::carry_near_cues(mentions, doc.tokens);
    geoparse::link_parents(mentions, doc.tokens);
    geoparse::constrain_by_qualifiers(mentions, gz, doc.tokens);
    geoparse::prune_candidates(mentions, gz, m_options.max_candidates, m_options.focus);
    return geoparse::resolve(gz, doc, mentions, m_options.focus);
}

} // namespace incidentmap::gazetteer
