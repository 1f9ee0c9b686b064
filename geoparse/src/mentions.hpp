#pragma once

// Mentions: the spans of the token stream that may name a place, with their candidate places
// and the cues of their context.

#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geoparse/geoparser.hpp"
#include "tokens.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace incidentmap::gazetteer::geoparse {

/// A span of tokens that may name a place, and what its context says of it.
struct Mention {
    std::size_t first = 0; // token range
    std::size_t last = 0;  // inclusive
    std::size_t end_byte = 0;
    std::size_t end_cp = 0;
    std::string norm; // the normalized name (normalize_name), the key of one sense per discourse
    std::vector<std::uint32_t> candidates; // gazetteer postings: place index | primary-name bit
    bool metonymic = false;
    bool near = false;
    bool region_cue = false;
    bool settlement_cue = false; // "the city of X"
    bool demonym = false;        // "Russian officials": the country, through its adjective
    bool weak = false; // one word naming only small places: a person's name if one says so
    std::string demonym_country; // "the Ukrainian city of X": X is likely in that country
    int parent = -1;             // index of a mention naming its parent ("X, Y")
    bool unplaced = false; // not found in the region or district qualifying it: stands at that
};

/// The mentions of the document in order: state abbreviations, nationalities and names found
/// in the gazetteer that their context does not show to be persons or parts of other names.
std::vector<Mention> find_mentions(const Gazetteer& gz, const Document& doc,
                                   const GeoparseOptions& options);

/// "near the capital Kiev and the northern city of Chernihiv": a near cue carries over
/// articles, descriptions and coordinated names.
void carry_near_cues(std::vector<Mention>& mentions, const std::vector<Token>& tokens);

/// Parents: "X, Y" where Y names a region or country.
void link_parents(std::vector<Mention>& mentions, const std::vector<Token>& tokens);

} // namespace incidentmap::gazetteer::geoparse
