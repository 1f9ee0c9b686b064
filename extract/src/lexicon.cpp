#include "lexicon.hpp"

#include "incidentmap/text/demonyms.hpp"

namespace incidentmap::incidents::detail {

const std::vector<Lexeme>& event_words() {
    static const std::vector<Lexeme> l = {
        {"missile", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.8,
         false},
        {"shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.8,
         false},
        {"shelled", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.8,
         true},
        {"artillery", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.8,
         true},
        {"shells", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.7,
         true},
        {"shell", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.6, true},
        {"improvised", "Explosions/Remote violence", "Remote explosive/landmine/IED", 63, 0.8,
         true},
        {"explosive", "Explosions/Remote violence", "Remote explosive/landmine/IED", 54, 0.6, true},
        {"rocket", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.7,
         false},
        {"mortar", "Explosions/Remote violence", "Shelling/artillery/missile attack", 60, 0.7,
         false},
        {"airstrike", "Explosions/Remote violence", "Air/drone strike", 62, 0.8, false},
        {"air-strike", "Explosions/Remote violence", "Air/drone strike", 62, 0.8, false},
        {"bombing", "Explosions/Remote violence", "Air/drone strike", 58, 0.6, false},
        {"bombed", "Explosions/Remote violence", "Air/drone strike", 58, 0.6, true},
        {"drone", "Explosions/Remote violence", "Air/drone strike", 61, 0.7, false},
        {"warplane", "Explosions/Remote violence", "Air/drone strike", 62, 0.8, false},
        {"landmine", "Explosions/Remote violence", "Remote explosive/landmine/IED", 63, 0.8, false},
        {"ied", "Explosions/Remote violence", "Remote explosive/landmine/IED", 63, 0.8, true},
        {"ieds", "Explosions/Remote violence", "Remote explosive/landmine/IED", 63, 0.8, true},
        {"roadside", "Explosions/Remote violence", "Remote explosive/landmine/IED", 63, 0.6, true},
        {"explosion", "Explosions/Remote violence", "Remote explosive/landmine/IED", 55, 0.6,
         false},
        {"blast", "Explosions/Remote violence", "Remote explosive/landmine/IED", 55, 0.6, false},
        {"exploded", "Explosions/Remote violence", "Remote explosive/landmine/IED", 55, 0.6, true},
        {"bomb", "Explosions/Remote violence", "Remote explosive/landmine/IED", 54, 0.6, true},
        {"bombs", "Explosions/Remote violence", "Remote explosive/landmine/IED", 54, 0.6, true},
        {"suicide", "Explosions/Remote violence", "Suicide bomb", 65, 0.8, false},
        {"grenade", "Explosions/Remote violence", "Grenade", 64, 0.8, false},
        {"chemical", "Explosions/Remote violence", "Chemical weapon", 66, 0.6, true},
        {"handover", "Strategic developments", "Non-violent transfer of territory", 22, 0.6, false},
        {"handed", "Strategic developments", "Non-violent transfer of territory", 22, 0.5, true},
        {"clash", "Battles", "Armed clash", 50, 0.7, false},
        {"fighting", "Battles", "Armed clash", 50, 0.6, true},
        {"fought", "Battles", "Armed clash", 50, 0.6, true},
        {"battle", "Battles", "Armed clash", 50, 0.6, false},
        {"besieged", "Battles", "Armed clash", 48, 0.6, true},
        {"siege", "Battles", "Armed clash", 48, 0.6, true},
        {"offensive", "Battles", "Armed clash", 45, 0.5, true},
        {"firefight", "Battles", "Armed clash", 50, 0.8, false},
        {"gunfight", "Battles", "Armed clash", 50, 0.8, false},
        {"gunbattle", "Battles", "Armed clash", 50, 0.8, false},
        {"ambush", "Battles", "Armed clash", 50, 0.7, false},
        {"skirmish", "Battles", "Armed clash", 50, 0.7, false},
        {"assault", "Battles", "Armed clash", 40, 0.5, false},
        {"recaptured", "Battles", "Government regains territory", 52, 0.7, true},
        {"retook", "Battles", "Government regains territory", 52, 0.7, true},
        {"liberated", "Battles", "Government regains territory", 52, 0.6, true},
        {"captured", "Battles", "Non-state actor overtakes territory", 51, 0.6, true},
        {"overran", "Battles", "Non-state actor overtakes territory", 51, 0.7, true},
        {"rampage", "Riots", "Mob violence", 36, 0.7, false},
        {"lynched", "Riots", "Mob violence", 36, 0.7, true},
        {"massacre", "Violence against civilians", "Attack", 57, 0.8, false},
        {"executed", "Violence against civilians", "Attack", 57, 0.7, true},
        {"abducted", "Violence against civilians", "Abduction/forced disappearance", 57, 0.8, true},
        {"kidnapped", "Violence against civilians", "Abduction/forced disappearance", 57, 0.8,
         true},
        {"abduction", "Violence against civilians", "Abduction/forced disappearance", 57, 0.8,
         false},
        {"kidnapping", "Violence against civilians", "Abduction/forced disappearance", 57, 0.8,
         false},
        {"raped", "Violence against civilians", "Sexual violence", 57, 0.8, true},
        {"rape", "Violence against civilians", "Sexual violence", 57, 0.8, true},
        {"tortured", "Violence against civilians", "Attack", 56, 0.7, true},
        {"stabbed", "Violence against civilians", "Attack", 53, 0.7, true},
        {"gunmen", "Violence against civilians", "Attack", 52, 0.6, true},
        {"riot", "Riots", "Violent demonstration", 35, 0.7, false},
        {"mob", "Riots", "Mob violence", 35, 0.7, true},
        {"lynch", "Riots", "Mob violence", 36, 0.7, false},
        {"protest", "Protests", "Peaceful protest", 30, 0.7, false},
        {"demonstrat", "Protests", "Peaceful protest", 30, 0.6, false},
        {"rally", "Protests", "Peaceful protest", 28, 0.5, true},
        {"rallied", "Protests", "Peaceful protest", 28, 0.5, true},
        {"marched", "Protests", "Peaceful protest", 28, 0.5, true},
        {"talks", "Strategic developments", "Agreement", 20, 0.6, true},
        {"negotiation", "Strategic developments", "Agreement", 20, 0.6, false},
        {"agreement", "Strategic developments", "Agreement", 20, 0.6, true},
        {"ceasefire", "Strategic developments", "Agreement", 21, 0.6, false},
        {"cease-fire", "Strategic developments", "Agreement", 21, 0.6, false},
        {"truce", "Strategic developments", "Agreement", 21, 0.6, false},
        {"accord", "Strategic developments", "Agreement", 20, 0.5, true},
        {"signed", "Strategic developments", "Agreement", 18, 0.4, true},
        {"summit", "Strategic developments", "Agreement", 18, 0.5, true},
        {"arrested", "Strategic developments", "Arrests", 25, 0.7, true},
        {"arrests", "Strategic developments", "Arrests", 25, 0.7, true},
        {"detained", "Strategic developments", "Arrests", 25, 0.6, true},
        {"looted", "Strategic developments", "Looting/property destruction", 24, 0.7, true},
        {"looting", "Strategic developments", "Looting/property destruction", 24, 0.7, true},
        {"headquarters", "Strategic developments", "Headquarters or base established", 15, 0.4,
         true},
        {"intercepted", "Strategic developments", "Disrupted weapons use", 26, 0.6, true},
        {"defused", "Strategic developments", "Disrupted weapons use", 26, 0.7, true},
        {"withdrawal", "Strategic developments", "Other", 16, 0.5, true},
        {"withdrew", "Strategic developments", "Other", 16, 0.5, true},
        {"de-escalat", "Strategic developments", "Other", 16, 0.5, false},
    };
    return l;
}

const std::unordered_set<std::string>& irrealis_words() {
    static const std::unordered_set<std::string> s = {
        "not",           "no",         "never",          "without",     "if",
        "could",         "would",      "might",          "may",         "should",
        "can",           "possible",   "possibly",       "potential",   "proposed",
        "proposal",      "proposals",  "offer",          "offered",     "offers",
        "appeal",        "appealed",   "appeals",        "call",        "called",
        "calls",         "urge",       "urged",          "urges",       "demand",
        "demanded",      "demands",    "hope",           "hoped",       "hopes",
        "ready",         "willing",    "plan",           "planned",     "plans",
        "expected",      "prospect",   "prospects",      "future",      "whether",
        "until",         "before",     "extend",         "threatened",  "threatens",
        "warned",        "warns",      "fear",           "feared",      "fears",
        "avoid",         "prevent",    "deny",           "denied",      "denies",
        "unless",        "want",       "wants",          "wanted",      "seek",
        "seeks",         "sought",     "attempt",        "history",     "anniversary",
        "memorial",      "commemorat", "remember",       "recalled",    "since",
        "condemned",     "condemns",   "condemn",        "denounced",   "criticised",
        "criticized",    "deplored",   "weighing",       "considering", "mulling",
        "preparing",     "prepare",    "tried",          "trying",      "try",
        "investigating", "probe",      "responsibility", "condemning",  "denouncing",
        "protesting",    "against"};
    return s;
}

const std::unordered_set<std::string>& habitual_words() {
    static const std::unordered_set<std::string> habitual = {
        "repeatedly", "repeated", "regularly", "frequently", "often",  "routinely",
        "string",     "spate",    "series",    "wave",       "rounds", "surged",
        "recurrent",  "years",    "decades",   "months"};
    return habitual;
}

const std::unordered_set<std::string>& called_off_words() {
    static const std::unordered_set<std::string> off = {
        "suspended", "stalled", "collapsed", "postponed", "cancelled",
        "canceled",  "frozen",  "failed",    "broke",     "halted"};
    return off;
}

const std::unordered_set<std::string>& riot_words() {
    static const std::unordered_set<std::string> violent = {
        "smashed", "torched", "burned", "burnt",  "set",     "vandalised", "vandalized",
        "looted",  "stones",  "rocks",  "petrol", "molotov", "ransacked"};
    return violent;
}

const std::unordered_set<std::string>& military_nouns() {
    static const std::unordered_set<std::string> s = {
        "army", "troops", "forces",    "military", "soldiers",  "navy",
        "air",  "armed",  "artillery", "units",    "servicemen"};
    return s;
}

const std::unordered_map<std::string, std::string>& demonym_actors() {
    static const std::unordered_map<std::string, std::string> m = [] {
        std::unordered_map<std::string, std::string> actors = {{"government", "Government"}};
        for (const auto& d : text::demonyms()) {
            if (!d.actor.empty()) {
                actors.emplace(d.word, d.actor);
            }
        }
        return actors;
    }();
    return m;
}

const std::vector<std::pair<const char*, const char*>>& actor_groups() {
    static const std::vector<std::pair<const char*, const char*>> groups = {
        {"police", "Police"},         {"protesters", "Protesters"},
        {"protestors", "Protesters"}, {"demonstrators", "Protesters"},
        {"rioters", "Rioters"},       {"rebels", "Rebels"},
        {"militants", "Militants"},   {"separatists", "Separatists"},
        {"insurgents", "Insurgents"}, {"gunmen", "Unidentified armed group"},
        {"jihadists", "Jihadists"},   {"militia", "Militia"},
        {"militiamen", "Militia"},    {"mob", "Mob"},
        {"settlers", "Settlers"},     {"farmers", "Farmers"},
        {"students", "Students"},     {"workers", "Workers"},
        {"taliban", "Taliban"},       {"hamas", "Hamas"},
        {"hezbollah", "Hezbollah"},   {"al-shabaab", "Al Shabaab"},
        {"houthis", "Houthis"},       {"houthi", "Houthis"},
        {"wagner", "Wagner Group"}};
    return groups;
}

const std::unordered_set<std::string>& kill_words() {
    static const std::unordered_set<std::string> s = {"killed", "dead",       "died",    "deaths",
                                                      "death",  "fatalities", "killing", "kills",
                                                      "slain",  "perished",   "lives"};
    return s;
}

const std::unordered_set<std::string>& injure_words() {
    static const std::unordered_set<std::string> s = {"injured",      "wounded",      "hurt",
                                                      "injuries",     "injuring",     "wounding",
                                                      "hospitalised", "hospitalized", "casualties"};
    return s;
}

const std::unordered_set<std::string>& away_words() {
    static const std::unordered_set<std::string> away = {
        "withdrew", "withdrawn", "withdrawal", "retreated",  "retreat", "pulled",    "expelled",
        "ousted",   "driven",    "pushed",     "recaptured", "retook",  "liberated", "out"};
    return away;
}

} // namespace incidentmap::incidents::detail
