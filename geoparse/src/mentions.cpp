#include "mentions.hpp"
#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/text/ascii.hpp"
#include "lexicon.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <unordered_set>

// The scan walks the tokens left to right. At each capitalised word it tries, in turn: a US
// state abbreviation ("Hammond, Ind."), the longest name of the gazetteer starting there, a
// nationality ("Russian officials"); a name is then judged by its context (a person? part of
// another name?) and, when kept, becomes a mention with the cues around it. Capitalised words
// that are no place are remembered when they look like a person's name, so that the same word
// elsewhere ("Kim said") is not taken for a place.

namespace incidentmap::gazetteer::geoparse {

using text::lower_ascii;

namespace {

// A town of some size keeps its name before or after a capitalised common word ("Dublin
// Veterans Project", "Historic Dublin"); a hamlet there is more likely part of another name.
constexpr double k_next_common = 4.5;
constexpr double k_prev_common = 4.0;

// What the steps of the scan read.
struct Scan {
    const Gazetteer& gz;
    std::string_view text;
    const std::vector<Token>& tokens;
    const GeoparseOptions& options;
};

// What the scan builds.
struct Found {
    std::vector<Mention> mentions;
    std::unordered_set<std::string> person_words; // surnames seen in person-like sequences
};

// --- Names and persons -----------------------------------------------------------------------

// Token k continues the name before it: a space, or the period of a middle initial
// ("Matthew D. Flores").
bool joins_name(const std::vector<Token>& tokens, std::size_t k) {
    return gap_is_space(tokens[k].gap) ||
           (k > 0 && tokens[k].gap == ". " && tokens[k - 1].word.size() == 1 && tokens[k - 1].cap &&
            tokens[k - 1].alpha);
}

// Token k follows a middle initial: it ends a person's name whatever places it names.
bool after_initial(const std::vector<Token>& tokens, std::size_t k) {
    return k > 1 && tokens[k].gap == ". " && tokens[k - 1].word.size() == 1 && tokens[k - 1].cap &&
           tokens[k - 1].alpha && tokens[k - 2].cap && gap_is_space(tokens[k - 1].gap);
}

// True when the word before token i makes it part of a longer proper name ("President
// Putin", "Vitaliy Kim"). Qualifiers ("Northern"), hyphenated adjectives ("Russian-invaded")
// and sentence-initial function words ("In") do not.
bool prev_cap_blocks(const Scan& s, std::size_t i) {
    const auto& tokens = s.tokens;
    // "Jean-Pierre" is one name; "D-Columbus" (a party and a home town) is not.
    const bool hyphen_joined = i > 0 && tokens[i].gap == "-" && tokens[i - 1].word.size() > 1;
    if (i == 0 || !(joins_name(tokens, i) || hyphen_joined)) {
        return false;
    }
    const auto& p = tokens[i - 1];
    if (!p.cap || !p.alpha || p.possessive || qualifiers().count(p.word) ||
        p.word.find('-') != std::string_view::npos) {
        return false;
    }
    auto lw = lower_ascii(p.word);
    if (p.sent_start) {
        return !s.gz.is_common_word(lw) && !location_prepositions().count(lw) &&
               s.gz.find_normalized(lw) == nullptr;
    }
    return true;
}

// A word that names a country, a region or a large city whatever precedes it.
bool strong_place(const Gazetteer& gz, std::string_view word) {
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
}

// The last token of the run of capitalised words of a person's name that goes on after token
// j ("Vitaliy Kim", "Matthew D. Flores"). The run stops before a word that is surely a place
// ("Russian-invaded Crimea") and, with stop_at_demonym, before a nationality.
std::size_t name_run_end(const Scan& s, std::size_t j, bool stop_at_demonym) {
    const auto& tokens = s.tokens;
    while (j + 1 < tokens.size() && tokens[j + 1].cap && tokens[j + 1].alpha &&
           joins_name(tokens, j + 1) &&
           !(stop_at_demonym && demonyms().count(lower_ascii(tokens[j + 1].word))) &&
           (!strong_place(s.gz, tokens[j + 1].word) || after_initial(tokens, j + 1))) {
        ++j;
    }
    return j;
}

// --- Making mentions -------------------------------------------------------------------------

// The posting (index and primary bit) of a place reached through its main name.
std::optional<std::uint32_t> posting_of(const Gazetteer& gz, const Place* place) {
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
}

Mention& push_mention(const Scan& s, Found& found, std::size_t first, std::size_t last,
                      std::string norm, std::vector<std::uint32_t> candidates) {
    Mention m;
    m.first = first;
    m.last = last;
    m.norm = std::move(norm);
    m.candidates = std::move(candidates);
    m.end_byte = s.tokens[last].e;
    m.end_cp = s.tokens[last].ce;
    found.mentions.push_back(std::move(m));
    return found.mentions.back();
}

// --- Step: a US state in the Associated Press's style ----------------------------------------

// The state abbreviation written at token t, if any.
const StateAbbreviation* state_abbreviation_at(std::string_view text, const Token& t) {
    const std::string_view rest = text.substr(t.b);
    for (const auto& a : state_abbreviations()) {
        if (rest.substr(0, a.text.size()) == a.text &&
            (rest.size() == a.text.size() ||
             !(std::isalnum(static_cast<unsigned char>(rest[a.text.size()])) ||
               static_cast<unsigned char>(rest[a.text.size()]) >= 0x80)) &&
            (!a.needs_comma || t.gap.find(',') != std::string_view::npos)) {
            return &a;
        }
    }
    return nullptr;
}

// The postings of the US admin1 regions of a name.
std::vector<std::uint32_t> us_states_named(const Gazetteer& gz, std::string_view state) {
    std::vector<std::uint32_t> states;
    if (const auto* post = gz.find_normalized(normalize_name(state))) {
        for (auto posting : *post) {
            const Place& p = gz.place(posting & 0x7fffffffu);
            if (p.kind == PlaceKind::admin1 && p.country == "US") {
                states.push_back(posting);
            }
        }
    }
    return states;
}

// "Hammond, Ind.", "Charleston, W.Va.": the state, its mention pushed; the token after it.
std::optional<std::size_t> state_abbreviation(const Scan& s, std::size_t i, Found& found) {
    const Token& t = s.tokens[i];
    const StateAbbreviation* abbr = state_abbreviation_at(s.text, t);
    if (abbr == nullptr) {
        return std::nullopt;
    }
    std::vector<std::uint32_t> states = us_states_named(s.gz, abbr->state);
    if (states.empty()) {
        return std::nullopt;
    }
    std::size_t last = i;
    while (last + 1 < s.tokens.size() && s.tokens[last + 1].b < t.b + abbr->text.size()) {
        ++last;
    }
    push_mention(s, found, i, last, normalize_name(abbr->state), std::move(states));
    return last + 1;
}

// --- Step: the longest name of the gazetteer -------------------------------------------------

// A name of the gazetteer at tokens first..last.
struct Name {
    std::size_t first = 0;
    std::size_t last = 0; // the token count when none was found
    std::string norm;
    const std::vector<std::uint32_t>* postings = nullptr; // null when none was found
};

// The longest name starting at token i, up to 6 words; words of one name are joined by
// spaces, hyphens or "St. " periods, lowercase connectors inside ("Rio de Janeiro").
Name longest_name(const Scan& s, std::size_t i) {
    const auto& tokens = s.tokens;
    const std::size_t n = tokens.size();
    Name best;
    best.first = i;
    best.last = n;
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
        const auto* post = s.gz.find_normalized(norm);
        if (post != nullptr) {
            best.last = j;
            best.norm = norm;
            best.postings = post;
        }
        // Keep going only while some longer name could still match.
        if (j > i && post == nullptr && !s.gz.has_longer_name(norm)) {
            break;
        }
    }
    return best;
}

// --- Step: a nationality ---------------------------------------------------------------------

// The country of a demonym reported as a toponym ("russian", "palestinians"), or empty.
std::string_view emitted_demonym_country(std::string w) {
    auto it = demonyms().find(w);
    if (it == demonyms().end() && w.size() > 4 && w.back() == 's') {
        w.pop_back();
        it = demonyms().find(w);
    }
    return it == demonyms().end() || !emitted_demonym(it->first) ? std::string_view() : it->second;
}

// Token k is a word that introduces a language ("spoke", "translated into").
bool language_verb(const std::vector<Token>& tokens, std::size_t k) {
    return in(lower_ascii(tokens[k].word),
              {"speak", "speaks", "spoke", "speaking", "spoken", "learn", "learned", "learning",
               "taught", "teach", "teaches", "teaching", "fluent", "translated", "translation",
               "into", "in"});
}

// "spoke only French", "translated into Russian": the demonym at tokens i..last is a language.
bool names_language(const std::vector<Token>& tokens, std::size_t i, std::size_t last) {
    const std::size_t n = tokens.size();
    return i > 0 &&
           (language_verb(tokens, i - 1) ||
            (i > 1 && in(lower_ascii(tokens[i - 1].word), {"only", "fluent", "good", "some"}) &&
             language_verb(tokens, i - 2))) &&
           !(last + 1 < n && tokens[last + 1].cap && gap_is_space(tokens[last + 1].gap));
}

// "Russian officials", "Palestinians", "Sri Lankan": a nationality names its country (unless
// a longer name starts with it: "American Samoa"). The token after it, its mention pushed.
std::optional<std::size_t> nationality(const Scan& s, std::size_t i, const Name& name,
                                       Found& found) {
    const auto& tokens = s.tokens;
    const std::size_t n = tokens.size();
    if (!s.options.demonyms || !(name.postings == nullptr || name.last == i) ||
        (i > 0 && location_prepositions().count(lower_ascii(tokens[i - 1].word)) &&
         name.postings != nullptr)) {
        return std::nullopt;
    }
    const Token& t = tokens[i];
    std::size_t last = i;
    std::string_view iso;
    if (i + 1 < n && gap_is_space(tokens[i + 1].gap) && tokens[i + 1].cap) {
        iso = emitted_demonym_country(lower_ascii(t.word) + " " + lower_ascii(tokens[i + 1].word));
        last = i + 1;
    }
    if (iso.empty()) {
        iso = emitted_demonym_country(lower_ascii(t.word));
        last = i;
    }
    if (iso.empty() || names_language(tokens, i, last)) {
        return std::nullopt;
    }
    const auto posting = posting_of(s.gz, s.gz.country(iso));
    if (!posting) {
        return std::nullopt;
    }
    auto& m = push_mention(s, found, i, last, "demonym " + std::string(iso), {*posting});
    m.demonym = true;
    m.metonymic = true;
    return last + 1;
}

// --- Step: capitalised words that name no place ----------------------------------------------

// A run of capitalised words that is no place ("Vitaliy Kim") is a name: remember its last
// word so that a later "Kim said" is not taken for a place. The token after the run.
std::size_t other_name(const Scan& s, std::size_t i, Found& found) {
    const Token& t = s.tokens[i];
    if (function_words().count(normalize_name(t.word)) || stop_words().count(lower_ascii(t.word)) ||
        qualifiers().count(t.word)) {
        return i + 1; // "The Russian Foreign Ministry", "North Texas"
    }
    const std::size_t j = name_run_end(s, i, true);
    if (j > i && !t.sent_start) {
        found.person_words.insert(lower_ascii(s.tokens[j].word));
    }
    return j + 1;
}

// --- Step: judging a name of the gazetteer ---------------------------------------------------

// What speaks for and against a name being a place: its candidates and its neighbours.
struct Evidence {
    // The candidates.
    double best_prior = -1e9;
    double primary_prior = -1e9; // through a main name, not an alternate ("Way" for Hue)
    bool has_big_kind = false;   // a country or an admin1 region
    // The words around.
    bool single = false; // one word
    std::string lw;      // the first word in lower case
    std::string prev_lw; // the words before and after the name in lower case, or empty
    std::string next_lw;
    bool next_cap = false;     // a capitalised word follows, no region word ("Vladimir Medinsky")
    bool prev_prep = false;    // after a location preposition ("in X")
    bool next_article = false; // "Bab al-Tabbaneh", "Deir el-Balah"
    bool abbreviated = false;  // "Dec. 20", "Sgt. Gale"
    bool after_title = false;  // "Sgt. Gale", "Rep. Ron Amstutz"
    bool next_says = false;    // "Hughes said"
};

// "Bab al-Tabbaneh", "Deir el-Balah": an Arabic article joins the next word to the name.
bool arabic_article(std::string_view word) {
    auto nw = lower_ascii(word);
    for (const char* a : {"al-", "el-", "ad-", "as-", "ash-", "ar-", "an-", "az-"}) {
        if (nw.rfind(a, 0) == 0 && nw.size() > std::strlen(a)) {
            return true;
        }
    }
    return false;
}

Evidence gather_evidence(const Scan& s, const Name& name) {
    const auto& tokens = s.tokens;
    const std::size_t n = tokens.size();
    const std::size_t i = name.first;
    const Token& t = tokens[i];
    const bool has_next = name.last + 1 < n;
    Evidence e;
    for (auto posting : *name.postings) {
        const Place& p = s.gz.place(posting & 0x7fffffffu);
        e.best_prior = std::max(e.best_prior, Gazetteer::prior(p));
        if (posting & 0x80000000u) {
            e.primary_prior = std::max(e.primary_prior, Gazetteer::prior(p));
        }
        e.has_big_kind =
            e.has_big_kind || p.kind == PlaceKind::country || p.kind == PlaceKind::admin1;
    }
    e.single = name.last == i;
    e.lw = lower_ascii(t.word);
    e.prev_lw = i > 0 ? lower_ascii(tokens[i - 1].word) : std::string();
    e.next_lw = has_next ? lower_ascii(tokens[name.last + 1].word) : std::string();
    if (has_next) {
        const Token& next = tokens[name.last + 1];
        e.next_cap = next.cap && next.alpha && gap_is_space(next.gap) &&
                     !region_words().count(lower_ascii(next.word));
        e.next_article = gap_is_space(next.gap) && arabic_article(next.word);
        e.next_says = gap_is_space(next.gap) &&
                      in(e.next_lw, {"said", "says", "told", "added", "explained", "noted",
                                     "stated", "recalled", "wrote", "asked", "replied"});
    }
    e.prev_prep = i > 0 && location_prepositions().count(e.prev_lw) > 0;
    e.abbreviated = t.e < s.text.size() && s.text[t.e] == '.' && abbreviations().count(e.lw) > 0;
    e.after_title = i > 0 && person_titles().count(e.prev_lw) > 0 &&
                    (gap_is_space(t.gap) || t.gap == ". ") && tokens[i - 1].cap;
    return e;
}

enum class Verdict {
    place,     // a mention
    not_place, // some other word or name
    person,    // a person's name: its word names the person elsewhere too
};

// A name of one word.
Verdict judge_single_word(const Scan& s, const Name& name, const Evidence& e, const Found& found) {
    const auto& tokens = s.tokens;
    const std::size_t n = tokens.size();
    const std::size_t i = name.first;
    const std::size_t next = name.last + 1;
    const Token& t = tokens[i];
    // "Hughes said": a person, unless a country, region or city speaks.
    const bool speaks = !e.has_big_kind && e.best_prior < 5.5 && e.next_says;
    if (stop_words().count(e.lw) || function_words().count(normalize_name(t.word)) ||
        t.word.size() < 2 || e.next_article || e.abbreviated) {
        return Verdict::not_place; // "X" (the network), "Bab al-Tabbaneh"
    }
    if (demonyms().count(e.lw) && !e.prev_prep) {
        return Verdict::not_place; // "the Somali town of", "Syrian forces"
    }
    if (t.allcaps && t.word.size() <= 4 && !e.has_big_kind) {
        return Verdict::not_place; // acronyms (NATO, EU) unless a country (UK, US)
    }
    if (found.person_words.count(e.lw)) {
        return Verdict::not_place;
    }
    if (e.after_title || speaks || after_initial(tokens, i)) {
        return Verdict::person;
    }
    if (e.next_cap && !tokens[next].sent_start &&
        !(institution_words().count(e.next_lw) && (e.has_big_kind || e.best_prior >= 3.5)) &&
        !(s.gz.is_common_word(e.next_lw) && !street_words().count(e.next_lw) &&
          !s.gz.is_common_word(e.lw) && (e.has_big_kind || e.best_prior >= k_next_common))) {
        return Verdict::not_place; // "Vladimir Medinsky", "Kiev Post"
    }
    if (next < n && tokens[next].gap == "-" && tokens[next].cap && !e.has_big_kind &&
        e.best_prior < 5.0) {
        return Verdict::not_place; // "Wal-Mart"
    }
    if (t.gap.find('&') != std::string_view::npos ||
        (next < n && tokens[next].gap.find('&') != std::string_view::npos)) {
        return Verdict::not_place; // "Stevens & Wilkinson"
    }
    if (prev_cap_blocks(s, i) && !e.has_big_kind &&
        !(e.best_prior >= k_prev_common && s.gz.is_common_word(e.prev_lw) &&
          !person_titles().count(e.prev_lw))) {
        return Verdict::not_place; // "President Putin", "Vitaliy Kim"
    }
    if (s.gz.is_common_word(e.lw)) {
        return !t.sent_start && (e.has_big_kind || e.prev_prep || e.primary_prior >= 6.0)
                   ? Verdict::place
                   : Verdict::not_place;
    }
    if (e.best_prior < 2.0 && !e.prev_prep && !e.has_big_kind) {
        return Verdict::not_place; // a hamlet of a few dozen people named like a word of the text
    }
    return Verdict::place;
}

// Whether the name is a place, some other word or name, or a person's name.
Verdict judge(const Scan& s, const Name& name, const Evidence& e, const Found& found) {
    const auto& tokens = s.tokens;
    const std::size_t next = name.last + 1;
    if (name.norm == "white house" ||
        (name.norm.rfind("the ", 0) == 0 &&
         in(std::string_view(name.norm).substr(4),
            {"city", "town", "village", "county", "state", "capital"}))) {
        return Verdict::not_place; // the presidency; "The City Council"
    }
    if (e.best_prior < 12.0 && next < tokens.size() && tokens[next].word == "Day" &&
        gap_is_space(tokens[next].gap)) {
        return Verdict::not_place; // "St. Patrick's Day"
    }
    if (e.single) {
        return judge_single_word(s, name, e, found);
    }
    if (e.next_cap && tokens[name.first].sent_start == false && prev_cap_blocks(s, name.first)) {
        return Verdict::not_place; // inside a longer proper name
    }
    return Verdict::place;
}

// Past a name that is no place, and past the person's name it is part of (whose last word is
// remembered). The token after them.
std::size_t skip_rejected(const Scan& s, const Name& name, const Evidence& e, Found& found) {
    const std::size_t i = name.first;
    const Token& t = s.tokens[i];
    // "North Texas", "The City": a leading word is no person's name.
    const bool lead_word = e.single && (stop_words().count(e.lw) || qualifiers().count(t.word) ||
                                        function_words().count(normalize_name(t.word)));
    if (lead_word || !(e.next_cap || prev_cap_blocks(s, i))) {
        return name.last + 1;
    }
    const std::size_t j = name_run_end(s, name.last, false);
    if (j > i || prev_cap_blocks(s, i)) {
        found.person_words.insert(lower_ascii(s.tokens[j].word));
    }
    return j + 1;
}

// --- Step: the cues of a kept name -----------------------------------------------------------

// "Dublin City Council": "X City" may be the town X as well as a district so named.
void add_towns_of_city(const Scan& s, const Name& name, Mention& m) {
    if (!(name.last > name.first && lower_ascii(s.tokens[name.last].word) == "city")) {
        return;
    }
    const auto space = name.norm.rfind(' ');
    if (space == std::string::npos) {
        return;
    }
    const auto* town = s.gz.find_normalized(name.norm.substr(0, space));
    if (town == nullptr) {
        return;
    }
    const std::size_t own = m.candidates.size();
    for (auto posting : *town) {
        const bool seen = std::any_of(
            m.candidates.begin(), m.candidates.begin() + static_cast<std::ptrdiff_t>(own),
            [&](std::uint32_t c) { return (c & 0x7fffffffu) == (posting & 0x7fffffffu); });
        if (!seen && s.gz.place(posting & 0x7fffffffu).kind == PlaceKind::place) {
            m.candidates.push_back(posting);
        }
    }
}

// "the Mykolaiv region", "Donetsk oblast": a region word right after joins the mention; one
// ending the name ("Kherson Oblast") marks it all the same.
void mark_region_cue(const Scan& s, const Name& name, Mention& m) {
    const auto& tokens = s.tokens;
    if (name.last + 1 < tokens.size() && gap_is_space(tokens[name.last + 1].gap) &&
        region_words().count(lower_ascii(tokens[name.last + 1].word))) {
        m.region_cue = true;
        m.last = name.last + 1;
    }
    const std::string& norm = name.norm;
    if (norm.size() > 6) {
        auto tail = norm.substr(norm.rfind(' ') == std::string::npos ? 0 : norm.rfind(' ') + 1);
        if (region_words().count(tail)) {
            m.region_cue = true;
        }
    }
}

// "the Ukrainian city of X": the country of a demonym shortly before, within the clause.
std::string demonym_before(const std::vector<Token>& tokens, std::size_t i) {
    for (std::size_t k = i; k-- > 0 && k + 6 > i;) {
        auto it = demonyms().find(lower_ascii(tokens[k].word));
        if (it != demonyms().end()) {
            return std::string(it->second);
        }
        if (tokens[k].sent_start || tokens[k].gap.find_first_of(",;:") != std::string_view::npos) {
            break;
        }
    }
    return std::string();
}

// Cues before: "near X", "city of X", "Ukrainian city of X".
void mark_cues_before(const std::vector<Token>& tokens, std::size_t i, Mention& m) {
    if (i == 0) {
        return;
    }
    auto p1 = lower_ascii(tokens[i - 1].word);
    auto p2 = i > 1 ? lower_ascii(tokens[i - 2].word) : std::string();
    // ("nearby Rennes", "the nearby town of Ariha" name the place itself.)
    if (in(p1, {"near", "outside", "around", "outskirts", "towards", "toward"}) ||
        (p1 == "to" && p2 == "close") ||
        (p1 == "of" && in(p2, {"north", "south", "east", "west", "outskirts", "northeast",
                               "northwest", "southeast", "southwest", "vicinity"})) ||
        (p1 == "from" && in(p2, {"km", "kilometres", "kilometers", "miles"}))) {
        m.near = true;
    }
    if (p1 == "of" &&
        in(p2, {"city", "town", "village", "port", "capital", "settlement", "suburb", "hamlet"})) {
        m.settlement_cue = true;
    }
    m.demonym_country = demonym_before(tokens, i);
}

// "Moscow said", "Kiev also offered": a verb of speech or will after token `last`. An
// auxiliary counts only before a verb of speech or will: "Moscow has said", "Kyiv will not
// accept" are metonymic, "Beledweyne has killed six" (the bombing in it) and "Kharkiv has
// been hit" are not.
bool speaks_after(const std::vector<Token>& tokens, std::size_t last) {
    const std::size_t n = tokens.size();
    if (last + 1 >= n) {
        return false;
    }
    const auto& nx = tokens[last + 1];
    auto nw = lower_ascii(nx.word);
    if (!(gap_is_space(nx.gap) && speech_verbs().count(nw))) {
        return false;
    }
    if (!auxiliaries().count(nw)) {
        return true;
    }
    for (std::size_t k = last + 2; k < n && k <= last + 4; ++k) {
        auto w2 = lower_ascii(tokens[k].word);
        if (w2 == "not" || w2 == "also" || w2 == "already" || w2 == "now" ||
            auxiliaries().count(w2)) {
            continue;
        }
        return speech_verbs().count(w2) > 0 || w2 == "accept" || w2 == "agree" || w2 == "allow" ||
               w2 == "respond" || w2 == "decide" || w2 == "decided" || w2 == "continue" ||
               w2 == "seek" || w2 == "insist" || w2 == "deny" || w2 == "reject" || w2 == "demand" ||
               w2 == "want" || w2 == "sign" || w2 == "send" || w2 == "retaliate";
    }
    return false;
}

// Metonymy: the place stands for its government or people ("Moscow said", "Kiev's peace
// proposals", "Moscow accused Kyiv of").
void mark_metonymy(const std::vector<Token>& tokens, std::size_t i, const Evidence& e, Mention& m) {
    if (speaks_after(tokens, m.last)) {
        m.metonymic = true;
    }
    if (tokens[m.last].possessive) {
        m.metonymic = true;
    }
    // The object of an accusation or appeal: "Moscow accused Kyiv of", "urged Paris to".
    if (i > 0 && gap_is_space(tokens[i].gap) &&
        in(lower_ascii(tokens[i - 1].word),
           {"accused", "accuses", "accusing", "blamed", "blames", "blaming", "urged", "urges",
            "warned", "warns", "told", "criticised", "criticized", "asked", "thanked",
            "congratulated"})) {
        m.metonymic = true;
    }
    if (i > 0 && in(lower_ascii(tokens[i - 1].word), {"by", "for", "with", "against"}) &&
        !m.candidates.empty() && e.has_big_kind) {
        m.metonymic = true;
    }
}

// A name of the gazetteer: judged, and when kept pushed as a mention with its cues. The token
// after it.
std::size_t place_name(const Scan& s, const Name& name, Found& found) {
    const Evidence e = gather_evidence(s, name);
    const Verdict verdict = judge(s, name, e, found);
    if (verdict == Verdict::person) {
        found.person_words.insert(e.lw);
    }
    if (verdict != Verdict::place) {
        return skip_rejected(s, name, e, found);
    }
    Mention m;
    m.first = name.first;
    m.last = name.last;
    m.norm = name.norm;
    m.weak = e.single && !e.has_big_kind && e.best_prior < 5.5 && !e.prev_prep;
    m.candidates = *name.postings;
    add_towns_of_city(s, name, m);
    mark_region_cue(s, name, m);
    mark_cues_before(s.tokens, name.first, m);
    mark_metonymy(s.tokens, name.first, e, m);
    m.end_byte = s.tokens[m.last].e;
    m.end_cp = s.tokens[m.last].ce;
    const std::size_t next = m.last + 1;
    found.mentions.push_back(std::move(m));
    return next;
}

// The mentions at token i, pushed; the token to go on with.
std::size_t scan_at(const Scan& s, std::size_t i, Found& found) {
    const Token& t = s.tokens[i];
    if (!t.cap || !t.alpha) {
        return i + 1;
    }
    if (auto next = state_abbreviation(s, i, found)) {
        return *next;
    }
    const Name name = longest_name(s, i);
    if (auto next = nationality(s, i, name, found)) {
        return *next;
    }
    if (name.postings == nullptr) {
        return other_name(s, i, found);
    }
    return place_name(s, name, found);
}

} // namespace

std::vector<Mention> find_mentions(const Gazetteer& gz, const Document& doc,
                                   const GeoparseOptions& options) {
    const Scan s{gz, doc.text, doc.tokens, options};
    Found found;
    for (std::size_t i = 0; i < doc.tokens.size();) {
        i = scan_at(s, i, found);
    }
    // A word that names a person somewhere in the text ("Robert Douglas said") is that person
    // elsewhere too, before as after.
    std::erase_if(found.mentions, [&](const Mention& m) {
        return m.weak && found.person_words.count(lower_ascii(doc.tokens[m.first].word)) > 0;
    });
    return std::move(found.mentions);
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
