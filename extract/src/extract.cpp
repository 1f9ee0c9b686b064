#include "incidentmap/extract/extract.hpp"
#include "casualties.hpp"
#include "dates.hpp"
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
#include <unordered_map>
#include <unordered_set>

namespace incidentmap::incidents {

namespace {

using namespace detail;
using gazetteer::PlaceKind;
using gazetteer::Toponym;
using text::lower_ascii;

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

struct Trigger {
    std::size_t word = 0; // index into the sentence's words
    std::string type;
    std::string sub_type;
    int priority = 0; // higher wins within a clause
    double strength = 0.5;
};

std::string actor_from(const std::vector<Word>& w, std::size_t from, std::size_t to) {
    for (std::size_t k = from; k + 1 < to; ++k) {
        auto it = demonym_actors().find(w[k].lower);
        if (it != demonym_actors().end()) {
            for (std::size_t j = k + 1; j < std::min(to, k + 3); ++j) {
                if (military_nouns().count(w[j].lower)) {
                    return it->second + " military";
                }
            }
        }
    }
    for (std::size_t k = from; k < to; ++k) {
        for (const auto& [word, actor] : actor_groups()) {
            if (w[k].lower == word) {
                return actor;
            }
        }
    }
    return {};
}

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
        // The first word after an inline dateline starts the sentence proper.
        std::size_t dateline_end_word = SIZE_MAX;
        if (dateline_end > sent.begin && dateline_end < sent.end) {
            for (const auto& x : w) {
                if (x.b >= dateline_end) {
                    dateline_end_word = x.b;
                    break;
                }
            }
        }
        // Triggers, minus the unreal ones.
        std::vector<Trigger> triggers;
        for (std::size_t k = 0; k < w.size(); ++k) {
            const auto& lw = w[k].lower;
            if (w[k].cap && k > 0 && w[k].b != dateline_end_word) {
                continue; // names (Missile Forces, Talks Committee) are not events
            }
            const Lexeme* hit = nullptr;
            for (const auto& lx : event_words()) {
                if (lx.exact ? lw == lx.stem : starts_with(lw, lx.stem)) {
                    hit = &lx;
                    break;
                }
            }
            Trigger trig;
            if (hit) {
                trig = {k, hit->type, hit->sub_type, hit->priority, hit->strength};
            } else if ((lw == "reduction" || lw == "reduce" || lw == "reduced" || lw == "scale" ||
                        lw == "scaling" || lw == "pull" || lw == "pulled")) {
                bool military = false;
                for (std::size_t j = k + 1; j < w.size() && j <= k + 5; ++j) {
                    military = military || military_nouns().count(w[j].lower) ||
                               starts_with(w[j].lower, "activit") || w[j].lower == "hostilities";
                }
                if (!military) {
                    continue;
                }
                trig = {k, "Strategic developments", "Other", 16, 0.5};
            } else if ((lw == "shot" || lw == "shooting") && k + 1 < w.size() &&
                       w[k + 1].lower == "down") {
                trig = {k, "Strategic developments", "Disrupted weapons use", 66, 0.7};
            } else if (lw == "downed") {
                trig = {k, "Strategic developments", "Disrupted weapons use", 66, 0.7};
            } else if ((lw == "seized" || lw == "took" || lw == "taken" || lw == "seize" ||
                        lw == "gained" || lw == "wrested" || lw == "regained") &&
                       [&] {
                           for (std::size_t j = k + 1; j < w.size() && j <= k + 3; ++j) {
                               if (w[j].lower == "control" || w[j].lower == "over") {
                                   return true;
                               }
                           }
                           return false;
                       }()) {
                trig = {k, "Battles", "Non-state actor overtakes territory", 51, 0.6};
            } else if (lw == "attack" || lw == "attacks" || lw == "attacked" || lw == "struck" ||
                       lw == "strike" || lw == "strikes" || lw == "hit" || lw == "targeted" ||
                       lw == "raid" || lw == "raided" || lw == "raids" || lw == "stormed" ||
                       lw == "shot" || lw == "killed" || lw == "opened") {
                if (lw == "opened" && (k + 1 >= w.size() || w[k + 1].lower != "fire")) {
                    continue;
                }
                // A generic attack: typed by a weapon word in the sentence, else a clash.
                trig = {k, "Battles", "Armed clash", lw == "killed" || lw == "shot" ? 30 : 35,
                        0.45};
                for (const auto& x : w) {
                    for (const auto& lx : event_words()) {
                        if (std::string_view(lx.type) == "Explosions/Remote violence" &&
                            (lx.exact ? x.lower == lx.stem : starts_with(x.lower, lx.stem))) {
                            trig = {k, lx.type, lx.sub_type, lx.priority, lx.strength};
                        }
                    }
                }
                if (trig.type == "Battles") {
                    bool civilians = std::any_of(w.begin(), w.end(), [](const Word& x) {
                        return x.lower == "civilians" || x.lower == "villagers" ||
                               x.lower == "residents" || x.lower == "farmers" ||
                               x.lower == "worshippers" || x.lower == "passengers" ||
                               x.lower == "customers" || x.lower == "villager" ||
                               x.lower == "civilian";
                    });
                    if (civilians) {
                        trig = {k, "Violence against civilians", "Attack", 45, 0.5};
                    }
                }
            } else {
                continue;
            }
            // Protests met by force, or turned violent.
            if (trig.type == "Protests") {
                bool force_nearby = false;
                for (std::size_t j = 0; j < w.size(); ++j) {
                    const auto& x = w[j].lower;
                    if (x == "tear" || x == "batons" || x == "cannon" || x == "rubber" ||
                        x == "baton-charged" || x == "teargas") {
                        trig.sub_type = "Protest with intervention";
                    }
                    if (x == "dispersed" || x == "arrested" || x == "detained") {
                        for (std::size_t m = j; m-- > 0 && m + 4 > j;) {
                            if (w[m].lower == "police" || w[m].lower == "forces" ||
                                w[m].lower == "officers" || w[m].lower == "troops") {
                                trig.sub_type = "Protest with intervention";
                            }
                        }
                    }
                    if ((x == "opened" && j + 1 < w.size() && w[j + 1].lower == "fire") ||
                        x == "ammunition" || x == "live") {
                        force_nearby = true;
                    }
                }
                Casualties cz = casualties_in(w);
                if (cz.fatalities > 0 || force_nearby) {
                    trig.sub_type = "Excessive force against protesters";
                }
                bool rioting = false;
                for (std::size_t j = 0; j < w.size(); ++j) {
                    if (riot_words().count(w[j].lower) &&
                        (w[j].lower != "set" ||
                         (j + 1 < w.size() &&
                          (w[j + 1].lower == "fire" || w[j + 1].lower == "ablaze")))) {
                        rioting = true;
                    }
                }
                if (rioting && trig.sub_type == "Peaceful protest") {
                    trig.type = "Riots";
                    trig.sub_type = "Violent demonstration";
                }
            }
            // Demonstrators who clash (with police, with rivals) riot; they do not battle.
            if (trig.type == "Battles" && trig.sub_type == "Armed clash") {
                for (const auto& x : w) {
                    if (x.lower == "protesters" || x.lower == "demonstrators" ||
                        x.lower == "supporters" || x.lower == "activists" ||
                        x.lower == "protestors" || x.lower == "rioters") {
                        trig.type = "Riots";
                        trig.sub_type = "Violent demonstration";
                    }
                }
            }
            bool unreal = false;
            // History: "the 2015 Algiers peace accord".
            for (std::size_t j = k; j-- > 0 && j + 4 > k;) {
                auto y = w[j].lower.size() == 4 ? parse_number_word(w[j].lower) : std::nullopt;
                if (y && *y >= 1900 && *y < std::stol(ex.published.substr(0, 4))) {
                    unreal = true;
                }
            }
            // Talks that did not happen: "talks ... remained suspended".
            if (trig.sub_type == "Agreement") {
                for (std::size_t j = k + 1; j < w.size() && j <= k + 8; ++j) {
                    unreal = unreal || called_off_words().count(w[j].lower) > 0;
                }
            }
            // Background, not news: "has been hit repeatedly", "a string of attacks this year"
            // in a sentence that names no day.
            if (!sentence_dated) {
                for (std::size_t j = 0; j < w.size(); ++j) {
                    if (clause[j] == clause[k] && habitual_words().count(w[j].lower)) {
                        unreal = true;
                    }
                }
            }
            for (std::size_t j = k; j-- > 0 && j + 10 > k;) {
                if (clause[j] != clause[k] && j + 1 < k) {
                    break;
                }
                for (const auto& m : irrealis_words()) {
                    if (w[j].lower == m || (m.size() > 8 && starts_with(w[j].lower, m))) {
                        unreal = true;
                    }
                }
            }
            if (!unreal) {
                triggers.push_back(trig);
            }
        }
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
        // One event per clause: the strongest trigger.
        std::unordered_map<int, Trigger> by_clause;
        for (const auto& t : triggers) {
            auto it = by_clause.find(clause[t.word]);
            if (it == by_clause.end() || t.priority > it->second.priority) {
                by_clause[clause[t.word]] = t;
            }
        }
        bool created_here = false;
        std::vector<int> order;
        for (const auto& [c, t] : by_clause) {
            order.push_back(c);
        }
        std::sort(order.begin(), order.end());
        std::unordered_set<const Toponym*> used;
        for (int c : order) {
            const Trigger& trig = by_clause[c];
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
                // Actors: in the trigger's clause, else the sentence.
                std::size_t cb = 0, ce = w.size();
                inc.actor1 = actor_from(w, cb, ce);
                if (trig.type == "Violence against civilians") {
                    inc.actor2 = "Civilians";
                }
                // Territory changes hands: who took it decides the sub-event type.
                if (inc.sub_event_type == "Non-state actor overtakes territory" ||
                    inc.sub_event_type == "Government regains territory") {
                    const bool state = inc.actor1.find("military") != std::string::npos ||
                                       inc.actor1 == "Government";
                    if (!inc.actor1.empty()) {
                        inc.sub_event_type = state ? "Government regains territory"
                                                   : "Non-state actor overtakes territory";
                    }
                }
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
