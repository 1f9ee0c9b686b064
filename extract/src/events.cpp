#include "events.hpp"

#include "casualties.hpp"
#include "incidentmap/extract/extract.hpp"
#include "lexicon.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

namespace incidentmap::incidents::detail {

namespace {

// "took control of", "seized ... over": the words after a word of taking.
bool control_follows(const std::vector<Word>& w, std::size_t k) {
    for (std::size_t j = k + 1; j < w.size() && j <= k + 3; ++j) {
        if (w[j].lower == "control" || w[j].lower == "over") {
            return true;
        }
    }
    return false;
}

bool is_attack_word(const std::string& lw) {
    return lw == "attack" || lw == "attacks" || lw == "attacked" || lw == "struck" ||
           lw == "strike" || lw == "strikes" || lw == "hit" || lw == "targeted" || lw == "raid" ||
           lw == "raided" || lw == "raids" || lw == "stormed" || lw == "shot" || lw == "killed" ||
           lw == "opened";
}

// A generic attack at word k: typed by a weapon word in the sentence (the last one found), else
// an attack on civilians when they are named, else an armed clash.
Trigger attack_trigger(const std::vector<Word>& w, std::size_t k) {
    const auto& lw = w[k].lower;
    Trigger trig = {k, "Battles", "Armed clash", lw == "killed" || lw == "shot" ? 30 : 35, 0.45};
    for (const auto& x : w) {
        for (const auto& lx : event_words()) {
            if (std::string_view(lx.type) == "Explosions/Remote violence" && matches(lx, x.lower)) {
                trig = {k, lx.type, lx.sub_type, lx.priority, lx.strength};
            }
        }
    }
    if (trig.type == "Battles") {
        bool civilians = std::any_of(w.begin(), w.end(), [](const Word& x) {
            return x.lower == "civilians" || x.lower == "villagers" || x.lower == "residents" ||
                   x.lower == "farmers" || x.lower == "worshippers" || x.lower == "passengers" ||
                   x.lower == "customers" || x.lower == "villager" || x.lower == "civilian";
        });
        if (civilians) {
            trig = {k, "Violence against civilians", "Attack", 45, 0.5};
        }
    }
    return trig;
}

// The event word k names, alone or with the words around it; nullopt for none.
std::optional<Trigger> trigger_at(const std::vector<Word>& w, std::size_t k) {
    const auto& lw = w[k].lower;
    for (const auto& lx : event_words()) {
        if (matches(lx, lw)) {
            return Trigger{k, lx.type, lx.sub_type, lx.priority, lx.strength};
        }
    }
    if (lw == "reduction" || lw == "reduce" || lw == "reduced" || lw == "scale" ||
        lw == "scaling" || lw == "pull" || lw == "pulled") {
        // Of troops or hostilities, not of prices.
        bool military = false;
        for (std::size_t j = k + 1; j < w.size() && j <= k + 5; ++j) {
            military = military || military_nouns().count(w[j].lower) ||
                       w[j].lower.starts_with("activit") || w[j].lower == "hostilities";
        }
        if (!military) {
            return std::nullopt;
        }
        return Trigger{k, "Strategic developments", "Other", 16, 0.5};
    }
    if ((lw == "shot" || lw == "shooting") && k + 1 < w.size() && w[k + 1].lower == "down") {
        return Trigger{k, "Strategic developments", "Disrupted weapons use", 66, 0.7};
    }
    if (lw == "downed") {
        return Trigger{k, "Strategic developments", "Disrupted weapons use", 66, 0.7};
    }
    if ((lw == "seized" || lw == "took" || lw == "taken" || lw == "seize" || lw == "gained" ||
         lw == "wrested" || lw == "regained") &&
        control_follows(w, k)) {
        return Trigger{k, "Battles", "Non-state actor overtakes territory", 51, 0.6};
    }
    if (is_attack_word(lw)) {
        if (lw == "opened" && (k + 1 >= w.size() || w[k + 1].lower != "fire")) {
            return std::nullopt;
        }
        return attack_trigger(w, k);
    }
    return std::nullopt;
}

// Protests met by force ("tear gas", "police dispersed"), with deaths or live fire, or turned
// violent ("torched", "set fire"): the sub-event type, or a riot.
void refine_protest(const std::vector<Word>& w, Trigger& trig) {
    bool force_nearby = false;
    for (std::size_t j = 0; j < w.size(); ++j) {
        const auto& x = w[j].lower;
        if (x == "tear" || x == "batons" || x == "cannon" || x == "rubber" ||
            x == "baton-charged" || x == "teargas") {
            trig.sub_type = "Protest with intervention";
        }
        if (x == "dispersed" || x == "arrested" || x == "detained") {
            for (std::size_t m = j; m-- > 0 && m + 4 > j;) {
                if (w[m].lower == "police" || w[m].lower == "forces" || w[m].lower == "officers" ||
                    w[m].lower == "troops") {
                    trig.sub_type = "Protest with intervention";
                }
            }
        }
        if ((x == "opened" && j + 1 < w.size() && w[j + 1].lower == "fire") || x == "ammunition" ||
            x == "live") {
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
             (j + 1 < w.size() && (w[j + 1].lower == "fire" || w[j + 1].lower == "ablaze")))) {
            rioting = true;
        }
    }
    if (rioting && trig.sub_type == "Peaceful protest") {
        trig.type = "Riots";
        trig.sub_type = "Violent demonstration";
    }
}

// Demonstrators who clash (with police, with rivals) riot; they do not battle.
void refine_clash(const std::vector<Word>& w, Trigger& trig) {
    for (const auto& x : w) {
        if (x.lower == "protesters" || x.lower == "demonstrators" || x.lower == "supporters" ||
            x.lower == "activists" || x.lower == "protestors" || x.lower == "rioters") {
            trig.type = "Riots";
            trig.sub_type = "Violent demonstration";
        }
    }
}

// An event that did not happen, or not now.
bool unreal(const SentenceWords& sw, const Trigger& trig, const TriggerContext& ctx) {
    const auto& w = sw.words;
    const auto& clause = sw.clause;
    const std::size_t k = trig.word;
    // History: "the 2015 Algiers peace accord".
    for (std::size_t j = k; j-- > 0 && j + 4 > k;) {
        auto y = w[j].lower.size() == 4 ? parse_number_word(w[j].lower) : std::nullopt;
        if (y && *y >= 1900 && *y < ctx.published_year) {
            return true;
        }
    }
    // Talks that did not happen: "talks ... remained suspended".
    if (trig.sub_type == "Agreement") {
        for (std::size_t j = k + 1; j < w.size() && j <= k + 8; ++j) {
            if (called_off_words().count(w[j].lower)) {
                return true;
            }
        }
    }
    // Background, not news: "has been hit repeatedly", "a string of attacks this year" in a
    // sentence that names no day.
    if (!ctx.dated) {
        for (std::size_t j = 0; j < w.size(); ++j) {
            if (clause[j] == clause[k] && habitual_words().count(w[j].lower)) {
                return true;
            }
        }
    }
    // Negated, hoped for, offered, demanded, hypothetical: up to 9 words before, in the clause
    // (or just across its start).
    for (std::size_t j = k; j-- > 0 && j + 10 > k;) {
        if (clause[j] != clause[k] && j + 1 < k) {
            break;
        }
        for (const auto& m : irrealis_words()) {
            if (w[j].lower == m || (m.size() > 8 && w[j].lower.starts_with(m))) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

std::vector<Trigger> find_triggers(const SentenceWords& sw, const TriggerContext& ctx) {
    const auto& w = sw.words;
    // The first word after an inline dateline ("CAIRO, June 20 (Reuters) - Protesters ...")
    // starts the sentence proper, capital and all. (When the dateline ends before the
    // sentence, that is the first word, which the capital rule below spares anyway.)
    std::size_t opening = SIZE_MAX;
    for (const auto& x : w) {
        if (x.b >= ctx.dateline_end) {
            opening = x.b;
            break;
        }
    }
    std::vector<Trigger> triggers;
    for (std::size_t k = 0; k < w.size(); ++k) {
        if (w[k].cap && k > 0 && w[k].b != opening) {
            continue; // names (Missile Forces, Talks Committee) are not events
        }
        auto trig = trigger_at(w, k);
        if (!trig) {
            continue;
        }
        if (trig->type == "Protests") {
            refine_protest(w, *trig);
        }
        if (trig->type == "Battles" && trig->sub_type == "Armed clash") {
            refine_clash(w, *trig);
        }
        if (!unreal(sw, *trig, ctx)) {
            triggers.push_back(std::move(*trig));
        }
    }
    return triggers;
}

std::map<int, Trigger> strongest_per_clause(const std::vector<Trigger>& triggers,
                                            const std::vector<int>& clause) {
    std::map<int, Trigger> by_clause;
    for (const auto& t : triggers) {
        auto it = by_clause.find(clause[t.word]);
        if (it == by_clause.end() || t.priority > it->second.priority) {
            by_clause[clause[t.word]] = t;
        }
    }
    return by_clause;
}

} // namespace incidentmap::incidents::detail
