#pragma once

// Qualifiers: a region named beside a place ("Zaliznychne, Zaporizhia", "Pisky (Donetsk
// region)", "Stepanivka in the Kherson region", "Donetsk region: in Georgievka and Bakhmut")
// restricts the place's candidates to that region.

#include "incidentmap/gazetteer/gazetteer.hpp"
#include "mentions.hpp"
#include "tokens.hpp"

#include <vector>

namespace incidentmap::gazetteer::geoparse {

/// "the Kharkov region", "Dnepropetrovsk oblast": a region cue on the name of an admin1
/// region's seat names that region; its admin1 becomes a candidate of the mention.
void add_regions_of_seats(std::vector<Mention>& mentions, const Gazetteer& gz,
                          const std::vector<Token>& tokens);

/// "Zaporizhia region", "Donetska oblast": a capitalised word the gazetteer lacks before a region
/// word becomes a mention of the admin1 regions whose names share its transliteration key.
void add_regions_by_transliteration(std::vector<Mention>& mentions, const Gazetteer& gz,
                                    const std::vector<Token>& tokens);

/// "Shyrokyne, Donetsk region", "the village of X in the Kherson region": a capitalised name
/// the gazetteer lacks, standing before a region named as one, becomes a mention without
/// candidates (constrain_by_qualifiers gives it some). Mentions stay in text order.
/// "Bakhmutsky district, Donetsk region": a district named by the adjective of its town, in a
/// region named after it, becomes a mention of the admin2 regions (else the towns) of that
/// region whose names begin as the adjective's stem does (by transliteration key).
void add_districts_by_adjective(std::vector<Mention>& mentions, const Gazetteer& gz,
                                const std::vector<Token>& tokens);

void add_unknown_qualified_names(std::vector<Mention>& mentions, const Gazetteer& gz,
                                 const std::vector<Token>& tokens);

/// Each mention qualified by a region keeps only its candidates inside that region; without
/// any, it takes the places of the region whose name is a transliteration of its own, and
/// failing those the region itself. Thread-safe (reads only the gazetteer).
void constrain_by_qualifiers(std::vector<Mention>& mentions, const Gazetteer& gz,
                             const std::vector<Token>& tokens);

} // namespace incidentmap::gazetteer::geoparse
