#include "incidentmap/extract/extract.hpp"
#include "actors.hpp"
#include "casualties.hpp"
#include "dates.hpp"
#include "events.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/utf8.hpp"
#include "lexicon.hpp"
#include "words.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace incidentmap::incidents {

namespace {

using namespace detail;
using gazetteer::PlaceKind;
using gazetteer::Toponym;
using text::lower_ascii;

// "evacuated to Popayán", "the highway linking the city to Karachi", "refugees from Aleppo",
// "fired from the direction of the Nineveh plains": where people or things went or came from,
// not where the event was. Withdrawals ("withdrew from X") stay.
bool destination_or_origin(const std::vector<Word>& w, std::size_t k, const Toponym& t) {
    if (t.near || k == 0) {
        return false;
    }
    if (w[k - 1].lower == "to") {
        return k < 2 || (w[k - 2].lower != "close" && w[k - 2].lower != "next");
    }
    for (std::size_t j = k; j-- > 0 && j + 7 > k;) {
        const auto& lw = w[j].lower;
        if (lw == "from") {
            return j == 0 || !away_words().count(w[j - 1].lower);
        }
        if (lw == "in" || lw == "at" || lw == "on" || lw == "near" || w[j].clause_break_before) {
            break;
        }
    }
    return false;
}

// The end of an inline dateline at the start of a sentence ("CAIRO, June 20 (Reuters) - "),
// or 0 when there is none: an all-capitals first word, at most 80 bytes to a dash that
// follows a parenthesised agency or the dateline words.
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

Extractor::Extractor(const gazetteer::Gazetteer& gazetteer)
    : m_gazetteer(&gazetteer), m_geoparser(gazetteer) {}

Extraction Extractor::extract(const ArticleInput& input) const {
    const std::string& text = input.text;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InvalidInput("the article text is empty");
    }
    if (text.size() > 5 * 1024 * 1024) {
        throw InvalidInput("the article is larger than 5 MiB");
    }
    if (!text::is_valid_utf8(text)) {
        throw InvalidInput("the article text is not valid UTF-8");
    }
    if (text.find('\0') != std::string::npos) {
        throw InvalidInput("the article text contains NUL bytes (binary data?)");
    }
    Extraction ex;
    ex.published = input.published.empty() ? today_utc() : input.published;
    if (!is_iso_date(ex.published)) {
        throw InvalidInput("published must be a date YYYY-MM-DD");
    }
    ex.source = input.source;
    ex.sentences = split_sentences(text);
    ex.toponyms = m_geoparser.parse(text);
    // A nationality ("Russian forces") names an actor, not a place where something happened.
    std::erase_if(ex.toponyms, [](const Toponym& t) { return t.demonym; });

    // Header lines: a short line that is a place is a dateline; another is the source.
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

    // An inline dateline opens the first paragraph: "CAIRO, June 20 (Reuters) - ",
    // "PARIS (AFP) — ", "MOGADISHU, Somalia (AP) — ". Its places locate the reporter, not the
    // events, and its date is the publication's.
    std::size_t dateline_end = 0;
    if (body_from < ex.sentences.size()) {
        dateline_end = inline_dateline_end(text, ex.sentences[body_from]);
    }
    const auto& gz = *m_gazetteer;
    const Toponym* dateline_place = nullptr;
    for (const auto& t : ex.toponyms) {
        if ((!ex.dateline.empty() && t.text == ex.dateline) || t.end <= dateline_end) {
            dateline_place = &t;
            if (ex.dateline.empty()) {
                ex.dateline = t.text;
            }
            break;
        }
    }
    // Places named so far (the dateline first), for "the city" / "there".
    std::vector<const Toponym*> seen_sites;
    if (dateline_place) {
        seen_sites.push_back(dateline_place);
    }
    DateTracker dates(ex.published);
    const long published_year = std::stol(ex.published.substr(0, 4));
    Incident* last_incident = nullptr;
    std::size_t last_incident_sentence = 0;
    std::vector<Incident> incidents;
    std::vector<bool> incident_dated; // the date came from the text, not the publication
    incidents.reserve(ex.sentences.size());

    auto make_incident = [&](const Toponym& t, const Trigger& trig, const Sentence& sent,
                             const std::string& date, int time_precision, bool anaphora) {
        Incident inc;
        const auto& p = *t.place;
        inc.event_date = date;
        inc.time_precision = time_precision;
        inc.event_type = trig.type;
        inc.sub_event_type = trig.sub_type;
        inc.country = p.country;
        inc.admin1 = p.admin1;
        inc.admin2 = p.admin2;
        inc.location = p.name;
        if (p.is_geonames()) {
            inc.geonameid = p.id;
        }
        inc.point = p.point;
        inc.geo_precision = (p.kind == PlaceKind::place) ? (t.near ? 2 : 1) : 3;
        inc.source = ex.source;
        inc.source_url = input.url;
        inc.evidence.push_back(
            {0, sent.begin, sent.end, text.substr(sent.begin, sent.end - sent.begin)});
        double conf = 0.35 + 0.3 * trig.strength + std::min(0.15, t.margin / 20.0);
        if (inc.geo_precision == 1) {
            conf += 0.1;
        }
        if (anaphora) {
            conf -= 0.15;
        }
        inc.confidence = std::clamp(conf, 0.05, 0.99);
        return inc;
    };

    for (std::size_t s = body_from; s < ex.sentences.size(); ++s) {
        const auto& sent = ex.sentences[s];
        SentenceWords sw;
        sw.words = words_of(text, sent.begin, sent.end);
        if (sw.words.empty()) {
            continue;
        }
        sw.clause = clauses_of(sw.words);
        const auto& w = sw.words;
        const auto& clause = sw.clause;
        auto word_at = [&](std::size_t byte) { return sw.index_at(byte); };
        // Toponyms of this sentence that can be event sites.
        std::vector<const Toponym*> sites;
        for (const auto& t : ex.toponyms) {
            if (t.begin >= sent.begin && t.end <= sent.end && !t.metonymic &&
                t.begin >= dateline_end && !destination_or_origin(w, word_at(t.begin), t)) {
                sites.push_back(&t);
            }
        }
        // The sentence's date (not the dateline's); an undated sentence that follows a dated
        // one continues its story ("The attackers arrived at dawn...").
        const SentenceDate sd = dates.date_of(text, sent, s, w, dateline_end);
        const std::size_t date_from = sd.from;
        const bool sentence_dated = sd.named;
        const std::string& date = sd.date;
        const int time_precision = sd.precision;
        const std::vector<Trigger> triggers =
            find_triggers(sw, TriggerContext{dateline_end, sentence_dated, published_year});
        Casualties cz = casualties_in(w);

        if (triggers.empty()) {
            // Casualty figures of the incident just reported ("three people were killed in
            // Tuesday's attack") belong to it.
            if (cz.any && last_incident && s <= last_incident_sentence + 2 && sites.empty()) {
                last_incident->fatalities = std::max(last_incident->fatalities, cz.fatalities);
                last_incident->injured = std::max(last_incident->injured, cz.injured);
                last_incident->evidence.push_back(
                    {0, sent.begin, sent.end, text.substr(sent.begin, sent.end - sent.begin)});
                last_incident->confidence = std::min(0.99, last_incident->confidence + 0.05);
            }
            for (const auto* t : sites) {
                if (t->place->kind == PlaceKind::place) {
                    seen_sites.push_back(t);
                }
            }
            continue;
        }
        const std::map<int, Trigger> by_clause = strongest_per_clause(triggers, clause);
        bool created_here = false;
        std::unordered_set<const Toponym*> used;
        for (const auto& [c, trig] : by_clause) {
            // Sites of the trigger's clause; else of clauses without a trigger of their own.
            std::vector<const Toponym*> chosen;
            for (const auto* t : sites) {
                if (clause[word_at(t->begin)] == c && t->place->kind != PlaceKind::country) {
                    chosen.push_back(t);
                }
            }
            if (chosen.empty()) {
                for (const auto* t : sites) {
                    int tc = clause[word_at(t->begin)];
                    if (!by_clause.count(tc) && t->place->kind != PlaceKind::country &&
                        !used.count(t) && std::abs(tc - c) <= 1) {
                        chosen.push_back(t);
                    }
                }
            }
            // Keep the sites that are coordinated with the first one after the trigger or
            // nearest to it: "near Kiev and Chernihiv" gives both.
            bool anaphora = false;
            if (chosen.empty()) {
                // "met in the Turkish city", "fighting there": the place named before.
                bool refers = false;
                std::string want_country;
                for (std::size_t k = 0; k + 1 < w.size(); ++k) {
                    if (clause[k] != c && clause[k + 1] != c) {
                        continue;
                    }
                    if (w[k].lower == "there" ||
                        (w[k].lower == "the" &&
                         (w[k + 1].lower == "city" || w[k + 1].lower == "town" ||
                          w[k + 1].lower == "village" ||
                          (k + 2 < w.size() &&
                           (w[k + 2].lower == "city" || w[k + 2].lower == "town" ||
                            w[k + 2].lower == "village") &&
                           (k + 3 >= w.size() || w[k + 3].lower != "of"))))) {
                        refers = true;
                        if (w[k].lower == "the" && k + 2 < w.size()) {
                            auto d = std::string(gazetteer::country_of_demonym(w[k + 1].lower));
                            if (!d.empty()) {
                                want_country = d;
                            }
                        }
                    }
                }
                if (refers) {
                    const Toponym* pick = nullptr;
                    for (auto it = seen_sites.rbegin(); it != seen_sites.rend(); ++it) {
                        if (want_country.empty() || (*it)->place->country == want_country) {
                            pick = *it;
                            break;
                        }
                    }
                    if (pick) {
                        chosen.push_back(pick);
                        anaphora = true;
                    }
                }
            }
            // "outside Konduga in Borno state": the region only says where the town is.
            chosen.erase(
                std::remove_if(
                    chosen.begin(), chosen.end(),
                    [&](const Toponym* r) {
                        const auto& rp = *r->place;
                        if (rp.kind != PlaceKind::admin1 && rp.kind != PlaceKind::admin2) {
                            return false;
                        }
                        return std::any_of(chosen.begin(), chosen.end(), [&](const Toponym* t) {
                            const auto& tp = *t->place;
                            return tp.kind == PlaceKind::place && tp.country == rp.country &&
                                   tp.admin1 == rp.admin1 &&
                                   (rp.kind == PlaceKind::admin1 || tp.admin2 == rp.admin2);
                        });
                    }),
                chosen.end());
            if (chosen.empty()) {
                continue;
            }
            // The date of the trigger's own clause, when it names one ("accused the rebels on
            // Friday of shelling on February 24 that killed ...").
            std::string event_date = date;
            int clause_precision = time_precision;
            if (auto d = clause_date(text, sw, c, date_from, ex.published)) {
                event_date = d->first;
                clause_precision = d->second;
            }
            for (const auto* t : chosen) {
                used.insert(t);
                Incident inc =
                    make_incident(*t, trig, sent, event_date, clause_precision, anaphora);
                assign_actors(inc, w);
                if (chosen.size() == 1 || cz.any) {
                    inc.fatalities = cz.fatalities;
                    inc.injured = cz.injured;
                }
                inc.notes = "On " + event_date + ", " +
                            std::string(text.substr(
                                sent.begin, std::min<std::size_t>(sent.end - sent.begin, 400)));
                incidents.push_back(std::move(inc));
                incident_dated.push_back(sd.known);
                created_here = true;
            }
        }
        if (created_here) {
            last_incident = &incidents.back();
            last_incident_sentence = s;
        } else if (cz.any && last_incident && s <= last_incident_sentence + 2 && sites.empty()) {
            // "three people were killed ... in Tuesday's attack": the figures of the incident
            // just reported.
            last_incident->fatalities = std::max(last_incident->fatalities, cz.fatalities);
            last_incident->injured = std::max(last_incident->injured, cz.injured);
            last_incident->evidence.push_back(
                {0, sent.begin, sent.end, text.substr(sent.begin, sent.end - sent.begin)});
            last_incident->confidence = std::min(0.99, last_incident->confidence + 0.05);
        }
        for (const auto* t : sites) {
            if (t->place->kind == PlaceKind::place) {
                seen_sites.push_back(t);
            }
        }
    }
    // Merge duplicates within the article: same place, date and type.
    // An undated mention of the same event at the same place ("A police official in
    // Hyderabad said officers acted after protesters tried to block the highway") joins it.
    std::vector<Incident> merged;
    for (std::size_t n = 0; n < incidents.size(); ++n) {
        auto& inc = incidents[n];
        auto it = std::find_if(merged.begin(), merged.end(), [&](const Incident& m) {
            return m.event_date == inc.event_date && m.event_type == inc.event_type &&
                   m.sub_event_type == inc.sub_event_type && m.location == inc.location &&
                   m.country == inc.country;
        });
        if (it == merged.end() && !incident_dated[n]) {
            it = std::find_if(merged.begin(), merged.end(), [&](const Incident& m) {
                return m.event_type == inc.event_type && m.location == inc.location &&
                       m.country == inc.country;
            });
        }
        if (it == merged.end()) {
            merged.push_back(std::move(inc));
            continue;
        }
        it->fatalities = std::max(it->fatalities, inc.fatalities);
        it->injured = std::max(it->injured, inc.injured);
        it->geo_precision = std::min(it->geo_precision, inc.geo_precision);
        it->confidence = std::min(0.99, std::max(it->confidence, inc.confidence) + 0.05);
        if (it->actor1.empty()) {
            it->actor1 = inc.actor1;
        }
        for (auto& e : inc.evidence) {
            it->evidence.push_back(std::move(e));
        }
    }
    (void)gz;
    ex.incidents = std::move(merged);
    return ex;
}

} // namespace incidentmap::incidents
