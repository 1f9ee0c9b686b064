#include "incidentmap/geoparse/geoparser.hpp"
#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/utf8.hpp"
#include "lexicon.hpp"
#include "tokens.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace incidentmap::gazetteer {

using namespace geoparse;

namespace {

using text::lower_ascii;

struct Mention {
    std::size_t first = 0; // token range
    std::size_t last = 0;  // inclusive
    std::size_t end_byte = 0;
    std::size_t end_cp = 0;
    std::string norm;
    std::vector<std::uint32_t> candidates;
    bool metonymic = false;
    bool near = false;
    bool region_cue = false;
    bool settlement_cue = false;
    bool demonym = false; // "Russian officials": the country, through its adjective
    bool weak = false;    // one word naming only small places: a person's name if one says so
    std::string demonym_country;
    int parent = -1; // index of a mention naming its parent ("X, Y")
};

} // namespace

std::string_view country_of_demonym(std::string_view lower) noexcept {
    auto it = demonyms().find(lower);
    return it == demonyms().end() ? std::string_view() : it->second;
}

Geoparser::Geoparser(const Gazetteer& gazetteer, GeoparseOptions options)
    : m_gazetteer(&gazetteer), m_options(options) {}

std::vector<Toponym> Geoparser::parse(std::string_view text) const {
    if (text.size() > m_options.max_text_bytes) {
        throw InvalidInput("text too long: " + std::to_string(text.size()) + " bytes (limit " +
                           std::to_string(m_options.max_text_bytes) + ")");
    }
    if (!text::is_valid_utf8(text)) {
        throw InvalidInput("text is not valid UTF-8");
    }
    const Gazetteer& gz = *m_gazetteer;
    auto tokens = tokenize(text);
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
        if (m_options.demonyms && (best_post == nullptr || best_last == i) &&
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

    // "near the capital Kiev and the northern city of Chernihiv": a near cue carries over
    // articles, descriptions and coordinated names.
    {
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

    // Parents: "X, Y" where Y names a region or country.
    for (std::size_t k = 0; k + 1 < mentions.size(); ++k) {
        const auto& a = mentions[k];
        const auto& b = mentions[k + 1];
        if (b.first == a.last + 1 && tokens[b.first].gap.find(',') != std::string_view::npos &&
            tokens[b.first].gap.size() <= 3) {
            mentions[k].parent = static_cast<int>(k + 1);
        }
    }

    // Prune candidates to the most important ones.
    for (auto& m : mentions) {
        if (m.candidates.size() > m_options.max_candidates) {
            std::partial_sort(m.candidates.begin(),
                              m.candidates.begin() +
                                  static_cast<std::ptrdiff_t>(m_options.max_candidates),
                              m.candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
                                  return Gazetteer::prior(gz.place(a & 0x7fffffffu)) >
                                         Gazetteer::prior(gz.place(b & 0x7fffffffu));
                              });
            m.candidates.resize(m_options.max_candidates);
        }
    }

    // Resolution. A candidate starts from its prior and the cues of its own mention; then the
    // other names of the document vote for countries and admin1 regions, each with how likely
    // its own candidates are, and the votes are taken again from the re-scored candidates
    // (Georgia the state among Atlanta and Chicago, Palestine the Texas town among Anderson
    // County's other towns).
    const std::size_t mention_count = mentions.size();
    std::vector<std::vector<const Place*>> cands(mention_count);
    std::vector<std::vector<double>> base(mention_count);
    std::vector<std::vector<double>> score(mention_count);
    std::vector<std::size_t> group(mention_count); // mentions of one name vote once
    std::vector<bool> region_name(mention_count);  // some candidate is a country or admin1
    {
        std::unordered_map<std::string, std::size_t> first_of;
        for (std::size_t k = 0; k < mention_count; ++k) {
            group[k] = first_of.emplace(mentions[k].norm, k).first->second;
        }
    }
    for (std::size_t k = 0; k < mention_count; ++k) {
        const auto& m = mentions[k];
        const Mention* parent =
            m.parent >= 0 ? &mentions[static_cast<std::size_t>(m.parent)] : nullptr;
        // A town named like a country or region ("China, Maine", "California, Missouri") is
        // named after it; news mean the country or region unless much speaks for the town.
        bool names_region = false;
        for (auto posting : m.candidates) {
            const auto kind = gz.place(posting & 0x7fffffffu).kind;
            names_region = names_region || kind == PlaceKind::country || kind == PlaceKind::admin1;
        }
        region_name[k] = names_region;
        for (auto posting : m.candidates) {
            const Place& p = gz.place(posting & 0x7fffffffu);
            double s = Gazetteer::prior(p) + ((posting & 0x80000000u) ? 0.3 : 0.0);
            if (p.kind == PlaceKind::admin2 && !(posting & 0x80000000u)) {
                s -= 1.0; // "Washington" is seldom the county of the name
            }
            if (names_region && (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2)) {
                s -= 1.5;
            }
            if (!m.demonym_country.empty() && p.country == m.demonym_country) {
                s += 3.0;
            }
            if (m.region_cue) {
                s += (p.kind == PlaceKind::admin1 || p.kind == PlaceKind::admin2) ? 4.0 : -1.0;
            }
            if (m.settlement_cue) {
                s += p.kind == PlaceKind::place ? 2.0 : -2.0;
            }
            if (parent) {
                for (auto pp : parent->candidates) {
                    const Place& q = gz.place(pp & 0x7fffffffu);
                    if ((q.kind == PlaceKind::country && q.country == p.country) ||
                        (q.kind == PlaceKind::admin1 && q.country == p.country &&
                         q.admin1 == p.admin1)) {
                        s += 5.0;
                        break;
                    }
                }
            }
            cands[k].push_back(&p);
            base[k].push_back(s);
        }
        score[k] = base[k];
    }
    // Weights of the country, admin1 (and admin2, below) votes, the softness of the first votes
    // (when only priors and cues speak) and of the second; two rounds.
    constexpr double k_wc = 2.5;
    constexpr double k_wa = 3.5;
    constexpr double k_t0 = 3.0;
    constexpr double k_t = 1.0;
    constexpr int k_iters = 2;
    std::vector<double> top_base(mention_count, -1e18);
    for (std::size_t k = 0; k < mention_count; ++k) {
        for (double v : base[k]) {
            top_base[k] = std::max(top_base[k], v);
        }
    }
    std::vector<std::unordered_map<std::string, double>> vote_country(mention_count);
    std::vector<std::unordered_map<std::string, double>> vote_admin1(mention_count);
    std::vector<std::unordered_map<std::string, double>> vote_admin2(mention_count);
    constexpr double k_w2 = 4.0; // a county and a town in it ("Paris and Henry County")
    auto admin2_key = [](const Place& p) {
        return p.admin2.empty() || p.admin1.empty() || p.kind == PlaceKind::country ||
                       p.kind == PlaceKind::admin1
                   ? std::string()
                   : p.country + "." + p.admin1 + "." + p.admin2;
    };
    // Places of the other names nearby: "Richmond" among London and Twickenham. Only for names
    // of towns and counties: a region's point says little of its extent.
    struct Support {
        geo::LonLat point;
        double weight;
    };
    std::vector<std::vector<Support>> support(mention_count);
    constexpr double k_wd = 2.0;      // weight of nearby places of other names
    constexpr double k_sigma = 100.0; // km at which a neighbour's weight falls to 1/e
    auto km_between = [](geo::LonLat a, geo::LonLat b) {
        constexpr double deg = 3.14159265358979323846 / 180.0;
        const double x = (a.lon - b.lon) * std::cos((a.lat + b.lat) / 2.0 * deg);
        const double y = a.lat - b.lat;
        return std::sqrt(x * x + y * y) * 111.2;
    };
    constexpr double k_kind = 1.0; // weight of the share of regions among the other names
    for (int iteration = 0; iteration < k_iters; ++iteration) {
        const double temperature = iteration == 0 ? k_t0 : k_t;
        std::unordered_map<std::string, double> country_votes;
        std::unordered_map<std::string, double> admin1_votes;
        std::unordered_map<std::string, double> admin2_votes;
        std::vector<double> region_share(mention_count, 0.0); // how likely an admin1 region
        double region_total = 0.0;
        std::size_t groups = 0;
        for (std::size_t k = 0; k < mention_count; ++k) {
            vote_country[k].clear();
            vote_admin1[k].clear();
            vote_admin2[k].clear();
            if (group[k] != k || cands[k].empty()) {
                continue;
            }
            const double top = *std::max_element(score[k].begin(), score[k].end());
            double z = 0.0;
            for (double v : score[k]) {
                z += std::exp((v - top) / temperature);
            }
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                const double q = std::exp((score[k][c] - top) / temperature) / z;
                if (q < 1e-4) {
                    continue;
                }
                const Place& p = *cands[k][c];
                vote_country[k][p.country] += q;
                if (p.kind != PlaceKind::country && !p.admin1.empty()) {
                    vote_admin1[k][p.admin1_key()] += q;
                }
                if (auto key2 = admin2_key(p); !key2.empty()) {
                    vote_admin2[k][key2] += q;
                }
            }
            for (const auto& [a, v] : vote_admin2[k]) {
                admin2_votes[a] += v;
            }
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                if (cands[k][c]->kind == PlaceKind::admin1) {
                    region_share[k] += std::exp((score[k][c] - top) / temperature) / z;
                }
            }
            region_total += region_share[k];
            ++groups;
            support[k].clear();
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                const double q = std::exp((score[k][c] - top) / temperature) / z;
                const Place& p = *cands[k][c];
                if (q >= 0.1 && (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2)) {
                    support[k].push_back({p.point, q});
                }
            }
            for (const auto& [c, v] : vote_country[k]) {
                country_votes[c] += v;
            }
            for (const auto& [a, v] : vote_admin1[k]) {
                admin1_votes[a] += v;
            }
        }
        for (std::size_t k = 0; k < mention_count; ++k) {
            const auto& own_c = vote_country[group[k]];
            const auto& own_a = vote_admin1[group[k]];
            for (std::size_t c = 0; c < cands[k].size(); ++c) {
                const Place& p = *cands[k][c];
                double s = base[k][c];
                if (auto it = country_votes.find(p.country); it != country_votes.end()) {
                    auto o = own_c.find(p.country);
                    s += k_wc * std::log1p(std::max(0.0, it->second -
                                                             (o == own_c.end() ? 0.0 : o->second)));
                }
                if (p.kind != PlaceKind::country && !p.admin1.empty()) {
                    const auto key = p.admin1_key();
                    if (auto it = admin1_votes.find(key); it != admin1_votes.end()) {
                        auto o = own_a.find(key);
                        s += k_wa * std::log1p(std::max(
                                        0.0, it->second - (o == own_a.end() ? 0.0 : o->second)));
                    }
                }
                if (auto key2 = admin2_key(p); !key2.empty()) {
                    if (auto it = admin2_votes.find(key2); it != admin2_votes.end()) {
                        const auto& own2 = vote_admin2[group[k]];
                        auto o = own2.find(key2);
                        s += k_w2 * std::log1p(std::max(
                                        0.0, it->second - (o == own2.end() ? 0.0 : o->second)));
                    }
                }
                // A name among names of regions ("Texas, Oregon and Louisiana") is a region.
                if (p.kind == PlaceKind::admin1 && groups > 1) {
                    s += k_kind * (region_total - region_share[group[k]]) /
                         static_cast<double>(groups - 1);
                }
                if (!region_name[k] &&
                    (p.kind == PlaceKind::place || p.kind == PlaceKind::admin2) &&
                    base[k][c] >= top_base[k] - 6.0) {
                    double near = 0.0;
                    for (std::size_t g = 0; g < mention_count; ++g) {
                        if (g == group[k]) {
                            continue;
                        }
                        for (const auto& sp : support[g]) {
                            const double d = km_between(p.point, sp.point);
                            if (d < 4.0 * k_sigma) {
                                near += sp.weight * std::exp(-d / k_sigma);
                            }
                        }
                    }
                    s += k_wd * std::log1p(near);
                }
                score[k][c] = s;
            }
        }
    }

    std::vector<Toponym> out;
    out.reserve(mentions.size());
    std::unordered_map<std::string, const Place*> resolved_by_name; // one sense per discourse
    for (std::size_t k = 0; k < mentions.size(); ++k) {
        const auto& m = mentions[k];
        const Place* best = nullptr;
        double best_score = -1e18;
        double second = -1e18;
        for (std::size_t c = 0; c < cands[k].size(); ++c) {
            const double s = score[k][c];
            if (s > best_score) {
                second = best_score;
                best_score = s;
                best = cands[k][c];
            } else if (s > second) {
                second = s;
            }
        }
        if (best == nullptr) {
            continue;
        }
        // One sense per discourse: a name repeated without its own cues keeps the first sense.
        auto prev = resolved_by_name.find(m.norm);
        if (prev != resolved_by_name.end() && !m.region_cue && m.parent < 0) {
            best = prev->second;
        } else if (prev == resolved_by_name.end()) {
            resolved_by_name.emplace(m.norm, best);
        }
        Toponym t;
        t.begin = tokens[m.first].b;
        t.end = m.end_byte;
        t.cp_begin = tokens[m.first].cb;
        t.cp_end = m.end_cp;
        t.text = std::string(text.substr(t.begin, t.end - t.begin));
        t.place = best;
        t.score = best_score;
        t.margin = second > -1e17 ? best_score - second : 10.0;
        t.metonymic = m.metonymic;
        t.demonym = m.demonym;
        t.near = m.near;
        t.region_cue = m.region_cue;
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace incidentmap::gazetteer
