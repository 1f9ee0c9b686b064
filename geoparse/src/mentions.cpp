#include "mentions.hpp"
#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/text/ascii.hpp"
#include "lexicon.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_set>

namespace incidentmap::gazetteer::geoparse {

using text::lower_ascii;

std::vector<Mention> find_mentions(const Gazetteer& gz, const Document& doc,
                                   const GeoparseOptions& options) {
    const std::string_view text = doc.text;
    const std::vector<Token>& tokens = doc.tokens;
    const std::size_t n = tokens.size();

    std::vector<Mention> mentions;
    std::unordered_set<std::string> person_words; // surnames seen in person-like sequences

    // True when the word before token i makes it part of a longer proper name ("President
    // Putin", "Vitaliy Kim"). Qualifiers ("Northern"), hyphenated adjectives ("Russian-invaded")
    // and sentence-initial function words ("In") do not.
    // Token k continues the name before it: a space, or the period of a middle initial
    // ("Matthew D. Flores").
    auto joins_name = [&](std::size_t k) {
        return gap_is_space(tokens[k].gap) ||
               (k > 0 && tokens[k].gap == ". " && tokens[k - 1].word.size() == 1 &&
                tokens[k - 1].cap && tokens[k - 1].alpha);
    };
    // Token k follows a middle initial: it ends a person's name whatever places it names.
    auto after_initial = [&](std::size_t k) {
        return k > 1 && tokens[k].gap == ". " && tokens[k - 1].word.size() == 1 &&
               tokens[k - 1].cap && tokens[k - 1].alpha && tokens[k - 2].cap &&
               gap_is_space(tokens[k - 1].gap);
    };
    auto prev_cap_blocks = [&](std::size_t i) {
        // "Jean-Pierre" is one name; "D-Columbus" (a party and a home town) is not.
        const bool hyphen_joined = i > 0 && tokens[i].gap == "-" && tokens[i - 1].word.size() > 1;
        if (i == 0 || !(joins_name(i) || hyphen_joined)) {
            return false;
        }
        const auto& p = tokens[i - 1];
        if (!p.cap || !p.alpha || p.possessive || qualifiers().count(p.word) ||
            p.word.find('-') != std::string_view::npos) {
            return false;
        }
        auto lw = lower_ascii(p.word);
        if (p.sent_start) {
            return !gz.is_common_word(lw) && !location_prepositions().count(lw) &&
                   gz.find_normalized(lw) == nullptr;
        }
        return true;
    };

    // A word that names a country, a region or a large city whatever precedes it.
    auto strong_place = [&](std::string_view word) {
        const auto* post = gz.find_normalized(normalize_name(word));
        if (post == nullptr) {
            return false;
        }
        for (auto posting : *post) {
            const Place& p = gz.place(posting & 0x7fffffffu);
            if (p.kind == PlaceKind::country || p.kind == PlaceKind::admin1 ||
                Gazetteer::prior(p) >= 6.0) {
                return true;
            }
        }
        return false;
    };

    // The posting (index and primary bit) of a place reached through its main name.
    auto posting_of = [&](const Place* place) -> std::optional<std::uint32_t> {
        if (place == nullptr) {
            return std::nullopt;
        }
        if (const auto* post = gz.find_normalized(normalize_name(place->name))) {
            for (auto posting : *post) {
                if (&gz.place(posting & 0x7fffffffu) == place) {
                    return posting;
                }
            }
        }
        return std::nullopt;
    };
    auto push_mention = [&](std::size_t first, std::size_t last, std::string norm,
                            std::vector<std::uint32_t> candidates) -> Mention& {
        Mention m;
        m.first = first;
        m.last = last;
        m.norm = std::move(norm);
        m.candidates = std::move(candidates);
        m.end_byte = tokens[last].e;
        m.end_cp = tokens[last].ce;
        mentions.push_back(std::move(m));
        return mentions.back();
    };

    // A town of some size keeps its name before or after a capitalised common word ("Dublin
    // Veterans Project", "Historic Dublin"); a hamlet there is more likely part of another name.
    constexpr double k_next_common = 4.5;
    constexpr double k_prev_common = 4.0;
    for (std::size_t i = 0; i < n;) {
        const Token& t = tokens[i];
        if (!t.cap || !t.alpha) {
            ++i;
            continue;
        }
        // "Hammond, Ind.", "Charleston, W.Va.": a US state in the Associated Press's style.
        {
            const std::string_view rest = text.substr(t.b);
            const StateAbbreviation* abbr = nullptr;
            for (const auto& a : state_abbreviations()) {
                if (rest.substr(0, a.text.size()) == a.text &&
                    (rest.size() == a.text.size() ||
                     !(std::isalnum(static_cast<unsigned char>(rest[a.text.size()])) ||
                       static_cast<unsigned char>(rest[a.text.size()]) >= 0x80)) &&
                    (!a.needs_comma || t.gap.find(',') != std::string_view::npos)) {
                    abbr = &a;
                    break;
                }
            }
            if (abbr != nullptr) {
                std::vector<std::uint32_t> states;
                if (const auto* post = gz.find_normalized(normalize_name(abbr->state))) {
                    for (auto posting : *post) {
                        const Place& p = gz.place(posting & 0x7fffffffu);
                        if (p.kind == PlaceKind::admin1 && p.country == "US") {
                            states.push_back(posting);
                        }
                    }
                }
                if (!states.empty()) {
                    std::size_t last = i;
                    while (last + 1 < n && tokens[last + 1].b < t.b + abbr->text.size()) {
                        ++last;
                    }
                    push_mention(i, last, normalize_name(abbr->state), std::move(states));
                    i = last + 1;
                    continue;
                }
            }
        }
        // Longest name starting here, up to 6 words.
        std::size_t best_last = n;
        std::string best_norm;
        const std::vector<std::uint32_t>* best_post = nullptr;
        std::string norm;
        for (std::size_t j = i; j < n && j < i + 6; ++j) {
            const Token& w = tokens[j];
            if (j > i) {
                if (!gap_joins(w.gap) || tokens[j - 1].possessive) {
                    break;
                }
                bool conn = connectors().count(w.word) > 0;
                if (!w.cap && !conn) {
                    break;
                }
                norm.push_back(' ');
            }
            norm += normalize_name(w.word);
            if (!w.cap) {
                continue; // a connector cannot end a name
            }
            if (const auto* post = gz.find_normalized(norm)) {
                best_last = j;
                best_norm = norm;
                best_post = post;
            }
            if (j > i && !gz.has_longer_name(norm) && !gz.find_normalized(norm)) {
                // Keep going only while some longer name could still match.
                if (!gz.has_longer_name(norm)) {
                    break;
                }
            }
        }
        // "Russian officials", "Palestinians", "Sri Lankan": a nationality names its country
        // (unless a longer name starts with it: "American Samoa").
        if (options.demonyms && (best_post == nullptr || best_last == i) &&
            !(i > 0 && location_prepositions().count(lower_ascii(tokens[i - 1].word)) &&
              best_post != nullptr)) {
            auto demonym_of = [&](std::string w) -> std::string_view {
                auto it = demonyms().find(w);
                if (it == demonyms().end() && w.size() > 4 && w.back() == 's') {
                    w.pop_back();
                    it = demonyms().find(w);
                }
                return it == demonyms().end() || !emitted_demonym(it->first) ? std::string_view()
                                                                             : it->second;
            };
            std::size_t last = i;
            std::string_view iso;
            if (i + 1 < n && gap_is_space(tokens[i + 1].gap) && tokens[i + 1].cap) {
                iso = demonym_of(lower_ascii(t.word) + " " + lower_ascii(tokens[i + 1].word));
                last = i + 1;
            }
            if (iso.empty()) {
                iso = demonym_of(lower_ascii(t.word));
                last = i;
            }
            // "spoke only French", "translated into Russian": a language.
            auto language_verb = [&](std::size_t k) {
                return in(lower_ascii(tokens[k].word),
                          {"speak", "speaks", "spoke", "speaking", "spoken", "learn", "learned",
                           "learning", "taught", "teach", "teaches", "teaching", "fluent",
                           "translated", "translation", "into", "in"});
            };
            const bool language =
                i > 0 &&
                (language_verb(i - 1) ||
                 (i > 1 &&
                  in(lower_ascii(tokens[i - 1].word), {"only", "fluent", "good", "some"}) &&
                  language_verb(i - 2))) &&
                !(last + 1 < n && tokens[last + 1].cap && gap_is_space(tokens[last + 1].gap));
            if (!iso.empty() && !language) {
                if (auto posting = posting_of(gz.country(iso))) {
                    auto& m = push_mention(i, last, "demonym " + std::string(iso), {*posting});
                    m.demonym = true;
                    m.metonymic = true;
                    i = last + 1;
                    continue;
                }
            }
        }
        if (best_post == nullptr) {
            // A run of capitalised words that is no place ("Vitaliy Kim") is a name: remember
            // its last word so that a later "Kim said" is not taken for a place. The run stops
            // before a word that is surely a place ("Russian-invaded Crimea").
            if (function_words().count(normalize_name(t.word)) ||
                stop_words().count(lower_ascii(t.word)) || qualifiers().count(t.word)) {
                ++i; // "The Russian Foreign Ministry", "North Texas"
                continue;
            }
            std::size_t j = i;
            while (j + 1 < n && tokens[j + 1].cap && tokens[j + 1].alpha && joins_name(j + 1) &&
                   !demonyms().count(lower_ascii(tokens[j + 1].word)) &&
                   (!strong_place(tokens[j + 1].word) || after_initial(j + 1))) {
                ++j;
            }
            if (j > i && !tokens[i].sent_start) {
                person_words.insert(lower_ascii(tokens[j].word));
            }
            i = j + 1;
            continue;
        }
        const bool single = best_last == i;
        const std::string lw = lower_ascii(t.word);
        bool accept = true;
        double best_prior = -1e9;
        double primary_prior = -1e9; // through a main name, not an alternate ("Way" for Hue)
        bool has_big_kind = false;
        for (auto posting : *best_post) {
            const Place& p = gz.place(posting & 0x7fffffffu);
            best_prior = std::max(best_prior, Gazetteer::prior(p));
            if (posting & 0x80000000u) {
                primary_prior = std::max(primary_prior, Gazetteer::prior(p));
            }
            has_big_kind =
                has_big_kind || p.kind == PlaceKind::country || p.kind == PlaceKind::admin1;
        }
        const bool next_cap = best_last + 1 < n && tokens[best_last + 1].cap &&
                              tokens[best_last + 1].alpha &&
                              gap_is_space(tokens[best_last + 1].gap) &&
                              !region_words().count(lower_ascii(tokens[best_last + 1].word));
        const bool prev_prep =
            i > 0 && location_prepositions().count(lower_ascii(tokens[i - 1].word)) > 0;
        // "Bab al-Tabbaneh", "Deir el-Balah": an Arabic article joins the next word to the name.
        const bool next_article =
            best_last + 1 < n && gap_is_space(tokens[best_last + 1].gap) && [&] {
                auto nw = lower_ascii(tokens[best_last + 1].word);
                for (const char* a : {"al-", "el-", "ad-", "as-", "ash-", "ar-", "an-", "az-"}) {
                    if (nw.rfind(a, 0) == 0 && nw.size() > std::strlen(a)) {
                        return true;
                    }
                }
                return false;
            }();
        const std::string next_lw =
            best_last + 1 < n ? lower_ascii(tokens[best_last + 1].word) : std::string();
        const std::string prev_lw = i > 0 ? lower_ascii(tokens[i - 1].word) : std::string();
        const bool abbreviated = t.e < text.size() && text[t.e] == '.' &&
                                 abbreviations().count(lw) > 0; // "Dec. 20", "Sgt. Gale"
        const bool after_title = i > 0 && person_titles().count(prev_lw) > 0 &&
                                 (gap_is_space(t.gap) || t.gap == ". ") && tokens[i - 1].cap;
        // "Hughes said": a person, unless a country, region or city speaks.
        const bool speaks = !has_big_kind && best_prior < 5.5 && best_last + 1 < n &&
                            gap_is_space(tokens[best_last + 1].gap) &&
                            in(next_lw, {"said", "says", "told", "added", "explained", "noted",
                                         "stated", "recalled", "wrote", "asked", "replied"});
        if (best_norm == "white house" ||
            (best_norm.rfind("the ", 0) == 0 &&
             in(std::string_view(best_norm).substr(4),
                {"city", "town", "village", "county", "state", "capital"}))) {
            accept = false; // the presidency; "The City Council"
        } else if (best_prior < 12.0 && best_last + 1 < n && tokens[best_last + 1].word == "Day" &&
                   gap_is_space(tokens[best_last + 1].gap)) {
            accept = false; // "St. Patrick's Day"
        } else if (single) {
            if (stop_words().count(lw) || function_words().count(normalize_name(t.word)) ||
                t.word.size() < 2 || next_article || abbreviated) {
                accept = false; // "X" (the network), "Bab al-Tabbaneh"
            } else if (demonyms().count(lw) && !prev_prep) {
                accept = false; // "the Somali town of", "Syrian forces"
            } else if (t.allcaps && t.word.size() <= 4 && !has_big_kind) {
                accept = false; // acronyms (NATO, EU) unless a country (UK, US)
            } else if (person_words.count(lw)) {
                accept = false;
            } else if (after_title || speaks || after_initial(i)) {
                accept = false;
                person_words.insert(lw);
            } else if (next_cap && !tokens[best_last + 1].sent_start &&
                       !(institution_words().count(next_lw) &&
                         (has_big_kind || best_prior >= 3.5)) &&
                       !(gz.is_common_word(next_lw) && !street_words().count(next_lw) &&
                         !gz.is_common_word(lw) && (has_big_kind || best_prior >= k_next_common))) {
                accept = false; // "Vladimir Medinsky", "Kiev Post"
            } else if (best_last + 1 < n && tokens[best_last + 1].gap == "-" &&
                       tokens[best_last + 1].cap && !has_big_kind && best_prior < 5.0) {
                accept = false; // "Wal-Mart"
            } else if (t.gap.find('&') != std::string_view::npos ||
                       (best_last + 1 < n &&
                        tokens[best_last + 1].gap.find('&') != std::string_view::npos)) {
                accept = false; // "Stevens & Wilkinson"
            } else if (prev_cap_blocks(i) && !has_big_kind &&
                       !(best_prior >= k_prev_common && gz.is_common_word(prev_lw) &&
                         !person_titles().count(prev_lw))) {
                accept = false; // "President Putin", "Vitaliy Kim"
            } else if (gz.is_common_word(lw)) {
                accept = !t.sent_start && (has_big_kind || prev_prep || primary_prior >= 6.0);
            } else if (best_prior < 2.0 && !prev_prep && !has_big_kind) {
                accept = false; // a hamlet of a few dozen people named like a word of the text
            }
        } else if (next_cap && tokens[i].sent_start == false && prev_cap_blocks(i)) {
            accept = false; // inside a longer proper name
        }
        if (!accept) {
            // "North Texas", "The City": a leading word is no person's name.
            const bool lead_word =
                single && (stop_words().count(lw) || qualifiers().count(t.word) ||
                           function_words().count(normalize_name(t.word)));
            if (!lead_word && (next_cap || prev_cap_blocks(i))) {
                std::size_t j = best_last;
                while (j + 1 < n && tokens[j + 1].cap && tokens[j + 1].alpha && joins_name(j + 1) &&
                       (!strong_place(tokens[j + 1].word) || after_initial(j + 1))) {
                    ++j;
                }
                if (j > i || prev_cap_blocks(i)) {
                    person_words.insert(lower_ascii(tokens[j].word));
                }
                i = j + 1;
            } else {
                i = best_last + 1;
            }
            continue;
        }
        Mention m;
        m.first = i;
        m.last = best_last;
        m.norm = best_norm;
        m.weak = single && !has_big_kind && best_prior < 5.5 && !prev_prep;
        m.candidates = *best_post;
        // "Dublin City Council": "X City" may be the town X as well as a district so named.
        if (best_last > i && lower_ascii(tokens[best_last].word) == "city") {
            const auto space = best_norm.rfind(' ');
            if (space != std::string::npos) {
                if (const auto* town = gz.find_normalized(best_norm.substr(0, space))) {
                    const std::size_t own = m.candidates.size();
                    for (auto posting : *town) {
                        const bool seen =
                            std::any_of(m.candidates.begin(),
                                        m.candidates.begin() + static_cast<std::ptrdiff_t>(own),
                                        [&](std::uint32_t c) {
                                            return (c & 0x7fffffffu) == (posting & 0x7fffffffu);
                                        });
                        if (!seen && gz.place(posting & 0x7fffffffu).kind == PlaceKind::place) {
                            m.candidates.push_back(posting);
                        }
                    }
                }
            }
        }
        // Region cue right after: "the Mykolaiv region", "Donetsk oblast".
        if (best_last + 1 < n && gap_is_space(tokens[best_last + 1].gap) &&
            region_words().count(lower_ascii(tokens[best_last + 1].word))) {
            m.region_cue = true;
            m.last = best_last + 1;
        }
        if (best_norm.size() > 6) {
            auto tail = best_norm.substr(
                best_norm.rfind(' ') == std::string::npos ? 0 : best_norm.rfind(' ') + 1);
            if (region_words().count(tail)) {
                m.region_cue = true;
            }
        }
        // Cues before: "near X", "city of X", "Ukrainian city of X".
        if (i > 0) {
            auto p1 = lower_ascii(tokens[i - 1].word);
            auto p2 = i > 1 ? lower_ascii(tokens[i - 2].word) : std::string();
            auto p3 = i > 2 ? lower_ascii(tokens[i - 3].word) : std::string();
            // ("nearby Rennes", "the nearby town of Ariha" name the place itself.)
            if (in(p1, {"near", "outside", "around", "outskirts", "towards", "toward"}) ||
                (p1 == "to" && p2 == "close") ||
                (p1 == "of" && in(p2, {"north", "south", "east", "west", "outskirts", "northeast",
                                       "northwest", "southeast", "southwest", "vicinity"})) ||
                (p1 == "from" && in(p2, {"km", "kilometres", "kilometers", "miles"}))) {
                m.near = true;
            }
            if (p1 == "of" && in(p2, {"city", "town", "village", "port", "capital", "settlement",
                                      "suburb", "hamlet"})) {
                m.settlement_cue = true;
            }
            for (std::size_t k = i; k-- > 0 && k + 6 > i;) {
                auto it = demonyms().find(lower_ascii(tokens[k].word));
                if (it != demonyms().end()) {
                    m.demonym_country = std::string(it->second);
                    break;
                }
                if (tokens[k].sent_start ||
                    tokens[k].gap.find_first_of(",;:") != std::string_view::npos) {
                    break;
                }
            }
        }
        // Metonymy: "Moscow said", "Kiev also offered", "Kiev's peace proposals".
        if (m.last + 1 < n) {
            const auto& nx = tokens[m.last + 1];
            auto nw = lower_ascii(nx.word);
            // An auxiliary counts only before a verb of speech or will: "Moscow has said",
            // "Kyiv will not accept" are metonymic, "Beledweyne has killed six" (the bombing
            // in it) and "Kharkiv has been hit" are not.
            if (gap_is_space(nx.gap) && speech_verbs().count(nw)) {
                if (!auxiliaries().count(nw)) {
                    m.metonymic = true;
                } else {
                    for (std::size_t k = m.last + 2; k < n && k <= m.last + 4; ++k) {
                        auto w2 = lower_ascii(tokens[k].word);
                        if (w2 == "not" || w2 == "also" || w2 == "already" || w2 == "now" ||
                            auxiliaries().count(w2)) {
                            continue;
                        }
                        m.metonymic = speech_verbs().count(w2) > 0 || w2 == "accept" ||
                                      w2 == "agree" || w2 == "allow" || w2 == "respond" ||
                                      w2 == "decide" || w2 == "decided" || w2 == "continue" ||
                                      w2 == "seek" || w2 == "insist" || w2 == "deny" ||
                                      w2 == "reject" || w2 == "demand" || w2 == "want" ||
                                      w2 == "sign" || w2 == "send" || w2 == "retaliate";
                        break;
                    }
                }
            }
        }
        if (tokens[m.last].possessive) {
            m.metonymic = true;
        }
        // The object of an accusation or appeal: "Moscow accused Kyiv of", "urged Paris to".
        if (i > 0 && gap_is_space(t.gap) &&
            in(lower_ascii(tokens[i - 1].word),
               {"accused", "accuses", "accusing", "blamed", "blames", "blaming", "urged", "urges",
                "warned", "warns", "told", "criticised", "criticized", "asked", "thanked",
                "congratulated"})) {
            m.metonymic = true;
        }
        if (i > 0 && in(lower_ascii(tokens[i - 1].word), {"by", "for", "with", "against"}) &&
            m.candidates.size() && has_big_kind) {
            m.metonymic = true;
        }
        m.end_byte = tokens[m.last].e;
        m.end_cp = tokens[m.last].ce;
        mentions.push_back(std::move(m));
        i = best_last + 1 +
            (mentions.back().region_cue && mentions.back().last > best_last ? 1 : 0);
    }

    // A word that names a person somewhere in the text ("Robert Douglas said") is that person
    // elsewhere too, before as after.
    std::erase_if(mentions, [&](const Mention& m) {
        return m.weak && person_words.count(lower_ascii(tokens[m.first].word)) > 0;
    });
    return mentions;
}

void carry_near_cues(std::vector<Mention>& mentions, const std::vector<Token>& tokens) {
    for (auto& m : mentions) {
        if (m.near) {
            continue;
        }
        for (std::size_t k = m.first, steps = 0; k-- > 0 && steps < 12; ++steps) {
            const auto lw = lower_ascii(tokens[k].word);
            if (tokens[k + 1].gap.find_first_of(".;:!?()") != std::string_view::npos) {
                break;
            }
            if (near_cues().count(lw)) {
                m.near = true;
                break;
            }
            if (!near_cue_fillers().count(lw) && !(tokens[k].cap && !tokens[k].sent_start)) {
                break;
            }
        }
    }
}

void link_parents(std::vector<Mention>& mentions, const std::vector<Token>& tokens) {
    for (std::size_t k = 0; k + 1 < mentions.size(); ++k) {
        const auto& a = mentions[k];
        const auto& b = mentions[k + 1];
        if (b.first == a.last + 1 && tokens[b.first].gap.find(',') != std::string_view::npos &&
            tokens[b.first].gap.size() <= 3) {
            mentions[k].parent = static_cast<int>(k + 1);
        }
    }
}

} // namespace incidentmap::gazetteer::geoparse
