#include "qualifiers.hpp"
#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/text/ascii.hpp"
#include "lexicon.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_set>

// A qualifier is found by walking from a place mention over the words that may stand between
// a place and its region in a report: list connectors ("X and Y, R"), district phrases ("X, Y
// district, R"), settlement words ("X village, R"), "in the", "of the" and brackets. A walk to
// the right ends at a mention naming a region; one to the left ends at a heading ("R: in X").

namespace incidentmap::gazetteer::geoparse {

using text::lower_ascii;

namespace {

constexpr std::uint32_t k_primary = 0x80000000u;
constexpr std::uint32_t k_index = 0x7fffffffu;
constexpr std::size_t k_max_walk = 8; // mentions a walk may pass

// Words that may stand between a place and the region that qualifies it.
bool qualifier_filler(std::string_view lower) {
    static const std::unordered_set<std::string_view> words = {
        "in",      "of",     "the",      "and",        "or",          "near",         "at",
        "a",       "an",     "district", "districts",  "raion",       "rayon",        "region",
        "regions", "oblast", "obl",      "oblt",       "province",    "village",      "villages",
        "town",    "towns",  "city",     "settlement", "settlements", "township",     "area",
        "areas",   "border", "vicinity", "outskirts",  "sector",      "smt",          "vil",
        "urban",   "type",   "rural",    "community",  "hromada",     "municipality", "council"};
    return words.count(lower) > 0;
}

// A word a region heading may be followed by before its places ("Donetsk region: 3 in X").
bool heading_filler(const Token& t) {
    return qualifier_filler(lower_ascii(t.word)) || !t.alpha || t.cap;
}

// A gap a qualifier walk may cross: spaces, commas, brackets, hyphens.
bool crossable_gap(std::string_view gap) {
    return gap.find_first_of(".;:!?\"") == std::string_view::npos;
}

// The regions a mention names: admin1 keys and country codes of its candidates.
struct RegionSet {
    std::vector<std::string> admin1;
    std::vector<std::string> countries;
    PlaceKind top = PlaceKind::place;
    [[nodiscard]] bool empty() const { return admin1.empty() && countries.empty(); }
};

RegionSet regions_named(const Gazetteer& gz, const Mention& m) {
    RegionSet r;
    for (auto posting : m.candidates) {
        const Place& p = gz.place(posting & k_index);
        if (p.kind == PlaceKind::admin1 && !p.admin1.empty()) {
            r.admin1.push_back(p.admin1_key());
        } else if (p.kind == PlaceKind::country && !p.country.empty()) {
            r.countries.push_back(p.country);
        } else {
            continue;
        }
        r.top = std::max(r.top, p.kind);
    }
    return r;
}

// The tokens strictly between two mentions are all fillers, and no gap breaks the clause.
bool joined_by_fillers(const std::vector<Token>& tokens, const Mention& a, const Mention& b) {
    for (std::size_t k = a.last + 1; k <= b.first; ++k) {
        if (!crossable_gap(tokens[k].gap)) {
            return false;
        }
        if (k < b.first && !qualifier_filler(lower_ascii(tokens[k].word)) &&
            !(tokens[k].cap && k + 1 < b.first &&
              region_words().count(lower_ascii(tokens[k + 1].word)))) {
            return false;
        }
    }
    return true;
}

// The region after mention k that qualifies it, if any: "X, R", "X (R)", "X in the R region";
// past other mentions ("X and Y in the R region", "X, Y district, R") only a region named as
// one ("R region", "R oblast"): a bare name ending a list is as likely one more item.
std::optional<std::size_t> region_after(const std::vector<Mention>& mentions, const Gazetteer& gz,
                                        const std::vector<Token>& tokens, std::size_t k) {
    for (std::size_t j = k + 1; j < mentions.size() && j <= k + k_max_walk; ++j) {
        if (!joined_by_fillers(tokens, mentions[j - 1], mentions[j])) {
            return std::nullopt;
        }
        if (!regions_named(gz, mentions[j]).empty() && (j == k + 1 || mentions[j].region_cue)) {
            return j;
        }
    }
    return std::nullopt;
}

// The tokens between a heading and the next mention are heading fillers; the heading's gap
// holds a colon or a dash.
bool heading_before(const std::vector<Token>& tokens, const Mention& head, const Mention& m) {
    if (head.last + 1 >= tokens.size()) {
        return false;
    }
    const std::string_view gap = tokens[head.last + 1].gap;
    if (gap.find(':') == std::string_view::npos && gap.find("\xe2\x80\x93") == gap.npos &&
        gap.find("\xe2\x80\x94") == gap.npos && gap.find(" - ") == gap.npos) {
        return false;
    }
    for (std::size_t k = head.last + 2; k <= m.first; ++k) {
        if (tokens[k].gap.find_first_of(".;!?") != std::string_view::npos ||
            (k < m.first && !heading_filler(tokens[k]))) {
            return false;
        }
    }
    return true;
}

// "Donetsk region: in Georgievka, Krasnogorovka and Bakhmut": the heading before mention k.
std::optional<std::size_t> heading_region(const std::vector<Mention>& mentions, const Gazetteer& gz,
                                          const std::vector<Token>& tokens, std::size_t k) {
    for (std::size_t j = k; j-- > 0 && j + k_max_walk >= k;) {
        if (!regions_named(gz, mentions[j]).empty() && mentions[j].region_cue &&
            heading_before(tokens, mentions[j], mentions[k])) {
            return j;
        }
    }
    return std::nullopt;
}

bool inside(const Place& p, const RegionSet& r) {
    if (std::find(r.countries.begin(), r.countries.end(), p.country) != r.countries.end()) {
        return true;
    }
    return p.kind != PlaceKind::admin1 && p.kind != PlaceKind::country && !p.admin1.empty() &&
           std::find(r.admin1.begin(), r.admin1.end(), p.admin1_key()) != r.admin1.end();
}

// At most one edit between two keys.
bool one_edit_apart(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) {
        std::swap(a, b);
    }
    if (b.size() - a.size() > 1) {
        return false;
    }
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) {
        ++i;
    }
    if (a.size() == b.size()) {
        return a.substr(i + (i < a.size() ? 1 : 0)) == b.substr(i + (i < b.size() ? 1 : 0));
    }
    return a.substr(i) == b.substr(i + 1);
}

// The places of the admin1 regions whose names are transliterations of `norm` (the same key;
// failing that, keys one edit apart when long enough to tell).
std::vector<std::uint32_t> transliterated_in(const Gazetteer& gz, const RegionSet& r,
                                             const std::string& norm) {
    const std::string key = transliteration_key(norm);
    std::vector<std::uint32_t> same;
    std::vector<std::uint32_t> near;
    for (const auto& a1 : r.admin1) {
        for (auto idx : gz.places_in(a1)) {
            bool first = true;
            for (auto name : gz.names_of(idx)) {
                const std::string k2 = transliteration_key(name);
                const std::uint32_t posting = idx | (first ? k_primary : 0u);
                first = false;
                if (k2 == key) {
                    same.push_back(posting);
                    break;
                }
                if (key.size() >= 6 && one_edit_apart(k2, key)) {
                    near.push_back(posting);
                    break;
                }
            }
        }
    }
    return same.empty() ? near : same;
}

// The postings of the regions themselves (their admin1 places, else their countries).
std::vector<std::uint32_t> region_postings(const Gazetteer& gz, const Mention& region) {
    std::vector<std::uint32_t> out;
    for (auto posting : region.candidates) {
        const Place& p = gz.place(posting & k_index);
        if (p.kind == PlaceKind::admin1 || p.kind == PlaceKind::country) {
            out.push_back(posting);
        }
    }
    return out;
}

// "X, R" or "X (R)": nothing but a comma or a bracket between the place and the region.
bool beside(const std::vector<Token>& tokens, const Mention& m, const Mention& region) {
    if (region.first != m.last + 1) {
        return false;
    }
    const std::string_view gap = tokens[region.first].gap;
    return gap.find_first_of(",(") != std::string_view::npos && gap.size() <= 3;
}

// The region mention names one region for sure: a region word follows it ("Donetsk region"),
// or it stands beside the place after a comma or in brackets and its name has a single sense
// among regions ("Zaliznychne, Zaporizhia", not "X, Georgia", not "X and Medina").
bool certain_region(const Gazetteer& gz, const Mention& m, const Mention& region,
                    const RegionSet& r, bool beside) {
    if (region.region_cue) {
        return true;
    }
    // A bare name qualifies only a place of its country: "Los Angeles (San Fernando Valley)"
    // is no town of an admin1 region of Trinidad.
    const bool same_country =
        !r.admin1.empty() &&
        std::any_of(m.candidates.begin(), m.candidates.end(), [&](std::uint32_t posting) {
            return r.admin1.front().rfind(gz.place(posting & k_index).country + ".", 0) == 0;
        });
    if (!beside || !same_country) {
        return false;
    }
    std::vector<std::string> keys = r.admin1;
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys.size() == 1 && r.countries.empty();
}

// Mention m, qualified by the region mention: only candidates inside it. A region named for
// sure also gives transliterations of m's name inside it, and failing those, itself.
void restrict_to(Mention& m, const Mention& region, const RegionSet& r, bool beside,
                 const Gazetteer& gz) {
    std::vector<std::uint32_t> kept;
    for (auto posting : m.candidates) {
        if (inside(gz.place(posting & k_index), r)) {
            kept.push_back(posting);
        }
    }
    if (kept.empty() && certain_region(gz, m, region, r, beside)) {
        kept = transliterated_in(gz, r, m.norm);
        if (kept.empty()) {
            kept = region_postings(gz, region);
            m.region_cue = false;
            m.unplaced = true;
        }
    }
    if (!kept.empty()) {
        m.candidates = std::move(kept);
    }
}

// Mention m may name a region itself ("Texas, Georgia", "Donetsk, Ukraine"): its own name
// decides, the qualifier only votes.
bool names_a_region(const Gazetteer& gz, const Mention& m) {
    return std::any_of(m.candidates.begin(), m.candidates.end(), [&](std::uint32_t posting) {
        const PlaceKind kind = gz.place(posting & k_index).kind;
        return kind == PlaceKind::admin1 || kind == PlaceKind::country;
    });
}

// --- Districts named after their towns ------------------------------------------------------

constexpr double k_district_km = 60.0; // how far a district's villages lie from its town

// "Y district", "Y raion": a district, named (as most are) after its town Y.
bool names_district(const Mention& m, const std::vector<Token>& tokens) {
    return m.region_cue && m.last > m.first &&
           in(lower_ascii(tokens[m.last].word), {"district", "raion", "rayon"});
}

// "X (Y district)", "X, Y district", "X village, Y district": the district right after
// mention k, past a word for a settlement.
std::optional<std::size_t> district_after(const std::vector<Mention>& mentions,
                                          const std::vector<Token>& tokens, std::size_t k) {
    if (k + 1 >= mentions.size() || !names_district(mentions[k + 1], tokens)) {
        return std::nullopt;
    }
    Mention place = mentions[k];
    while (
        place.last + 1 < mentions[k + 1].first && gap_is_space(tokens[place.last + 1].gap) &&
        in(lower_ascii(tokens[place.last + 1].word), {"village", "town", "city", "settlement"})) {
        ++place.last;
    }
    if (beside(tokens, place, mentions[k + 1])) {
        return k + 1;
    }
    return std::nullopt;
}

double km_between(geo::LonLat a, geo::LonLat b) {
    constexpr double deg = 3.14159265358979323846 / 180.0;
    const double x = (a.lon - b.lon) * std::cos((a.lat + b.lat) / 2.0 * deg);
    const double y = a.lat - b.lat;
    return std::sqrt(x * x + y * y) * 111.2;
}

// The candidates that stand for a district: its admin2 regions when the gazetteer has any
// ("Vasylivka Raion"), else its towns.
std::vector<std::uint32_t> district_candidates(const Mention& district, const Gazetteer& gz) {
    std::vector<std::uint32_t> admin2;
    for (auto posting : district.candidates) {
        if (gz.place(posting & k_index).kind == PlaceKind::admin2) {
            admin2.push_back(posting);
        }
    }
    return admin2.empty() ? district.candidates : admin2;
}

// Mention m, in the district: only its towns near the district's town or centre; without any,
// the district itself (a region among m's candidates, kept when m's name was not found, is
// less precise than the district).
void restrict_near(Mention& m, const Mention& district, const Gazetteer& gz) {
    const std::vector<std::uint32_t> centres = district_candidates(district, gz);
    std::vector<std::uint32_t> kept;
    for (auto posting : m.candidates) {
        const Place& p = gz.place(posting & k_index);
        const bool near =
            p.kind == PlaceKind::place &&
            std::any_of(centres.begin(), centres.end(), [&](std::uint32_t d) {
                return km_between(p.point, gz.place(d & k_index).point) <= k_district_km;
            });
        if (near) {
            kept.push_back(posting);
        }
    }
    if (kept.empty()) {
        m.candidates = centres;
        m.unplaced = true;
        // A district known only by its town: the place is near that town, not at it.
        m.near = std::none_of(centres.begin(), centres.end(), [&](std::uint32_t d) {
            return gz.place(d & k_index).kind == PlaceKind::admin2;
        });
    } else {
        m.candidates = std::move(kept);
    }
}

// --- Names the gazetteer lacks --------------------------------------------------------------

// Token k may be (part of) a place name the gazetteer lacks: no English word ("Department of
// Transportation, Minnesota").
bool unknown_name_word(const Gazetteer& gz, const Token& t) {
    const std::string lw = lower_ascii(t.word);
    return t.cap && t.alpha && !t.allcaps && t.word.size() >= 4 && !qualifier_filler(lw) &&
           !gz.is_common_word(lw) && !region_words().count(lw) && !stop_words().count(lw) &&
           !function_words().count(normalize_name(t.word)) && !person_titles().count(lw) &&
           !demonyms().count(lw);
}

// An unknown name of one word, or one opening a sentence, or one after words that show a place
// ("near X Y", "village of X Y"); two words elsewhere are more likely a person ("Dennis Evans,
// Ohio").
bool place_context_before(const std::vector<Token>& tokens, std::size_t i, bool one_word) {
    if (i == 0 || tokens[i].sent_start) {
        return true;
    }
    const Token& p = tokens[i - 1];
    if (one_word) {
        return true;
    }
    return !p.cap && in(lower_ascii(p.word),
                        {"in", "of", "near", "at", "and", "around", "outside", "village",
                         "villages", "town", "settlement", "settlements", "between", "from", "to"});
}

// The mention starting the region that qualifies tokens first..last, if any.
const Mention* region_after_tokens(const std::vector<Mention>& mentions, const Gazetteer& gz,
                                   const std::vector<Token>& tokens, std::size_t last) {
    for (const auto& m : mentions) {
        if (m.first <= last) {
            continue;
        }
        Mention before;
        before.first = before.last = last;
        if (m.region_cue && !regions_named(gz, m).admin1.empty() &&
            joined_by_fillers(tokens, before, m)) {
            return &m;
        }
        if (!names_district(m, tokens)) { // "X, Y district, R": R qualifies X too
            return nullptr;
        }
    }
    return nullptr;
}

// The admin1 regions (postings) one of whose names has the transliteration key of `norm`;
// an adjective's ending ("donetska", "zaporizka") is tried off as well, and a final vowel does
// not count.
std::string stem_key(std::string_view name) {
    std::string k = transliteration_key(name);
    if (k.size() > 3 && k.back() == 'a') {
        k.pop_back();
    }
    return k;
}

std::vector<std::uint32_t> admin1_by_key(const Gazetteer& gz, const std::string& norm) {
    std::vector<std::string> keys = {stem_key(norm)};
    for (std::string_view ending : {"ska", "skaya", "skiy", "skyi", "ka"}) {
        if (norm.size() > ending.size() + 3 &&
            norm.compare(norm.size() - ending.size(), ending.size(), ending) == 0) {
            const std::string_view n(norm);
            keys.push_back(stem_key(n.substr(0, n.size() - ending.size() + 1)));
            keys.push_back(stem_key(n.substr(0, n.size() - ending.size())));
        }
    }
    std::vector<std::uint32_t> out;
    for (std::uint32_t idx = 0; idx < gz.size(); ++idx) {
        if (gz.place(idx).kind != PlaceKind::admin1) {
            continue;
        }
        for (auto name : gz.names_of(idx)) {
            const std::string k = stem_key(name);
            if (std::find(keys.begin(), keys.end(), k) != keys.end()) {
                out.push_back(idx | k_primary);
                break;
            }
        }
    }
    return out;
}

// Adds mentions found by a later pass, keeping the list in token order.
void add_in_order(std::vector<Mention>& mentions, const std::vector<Mention>& added) {
    if (added.empty()) {
        return;
    }
    mentions.insert(mentions.end(), added.begin(), added.end());
    std::sort(mentions.begin(), mentions.end(),
              [](const Mention& a, const Mention& b) { return a.first < b.first; });
}

// Which of the text's tokens a mention covers already.
std::vector<bool> taken_tokens(const std::vector<Mention>& mentions, std::size_t count) {
    std::vector<bool> taken(count, false);
    for (const auto& m : mentions) {
        for (std::size_t k = m.first; k <= m.last && k < count; ++k) {
            taken[k] = true;
        }
    }
    return taken;
}

// "Zaporizhia region", "Donetska oblast": a region word follows token i.
bool region_word_after(const std::vector<Token>& tokens, std::size_t i) {
    return i + 1 < tokens.size() && gap_is_space(tokens[i + 1].gap) &&
           in(lower_ascii(tokens[i + 1].word), {"region", "oblast", "province", "obl"});
}

// "Zaliznychne, Zaporizhia.": token i follows a place after a comma and ends the phrase (the
// end of the text, or a stop, semicolon, colon or bracket after it; a comma would continue a
// list of towns), as a region qualifier stands.
bool qualifier_position(const std::vector<Token>& tokens, const std::vector<bool>& taken,
                        std::size_t i) {
    if (i == 0 || !taken[i - 1] || tokens[i].gap.find(',') == std::string_view::npos) {
        return false;
    }
    if (i + 1 == tokens.size()) {
        return true;
    }
    const std::string_view gap = tokens[i + 1].gap;
    return gap.find(',') == std::string_view::npos &&
           gap.find_first_of(".;:)") != std::string_view::npos;
}

// The mention that ends at token `last`, or null.
const Mention* mention_ending_at(const std::vector<Mention>& mentions, std::size_t last) {
    for (const auto& m : mentions) {
        if (m.last == last) {
            return &m;
        }
    }
    return nullptr;
}

// Some candidate of `place` lies in the country of region posting `region`: the context that
// allows a name matched by transliteration alone.
bool shares_country(const Gazetteer& gz, const Mention* place, std::uint32_t region) {
    const std::string& country = gz.place(region & k_index).country;
    return place != nullptr &&
           std::any_of(place->candidates.begin(), place->candidates.end(),
                       [&](std::uint32_t c) { return gz.place(c & k_index).country == country; });
}

// The transliteration keys a district adjective's town may begin with: "Bakhmutsky" ->
// bakhmut, "Starobeshivskiy" -> starobeshiv (Starobesheve), "Popasnyansky" -> popasnyan and
// popasn (Popasna). None when the word is no such adjective or its stem is too short to tell.
std::vector<std::string> adjective_stem_keys(const std::string& norm) {
    for (std::string_view ending : {"skyi", "skiy", "skyy", "skii", "sky", "ski", "skoy", "skoi"}) {
        if (norm.size() < ending.size() + 4 ||
            norm.compare(norm.size() - ending.size(), ending.size(), ending) != 0) {
            continue;
        }
        const std::string key = transliteration_key(norm.substr(0, norm.size() - ending.size()));
        if (key.size() < 4) {
            return {};
        }
        std::vector<std::string> keys = {key};
        if (key.size() >= 6 && key.compare(key.size() - 2, 2, "an") == 0) {
            keys.push_back(key.substr(0, key.size() - 2));
        }
        return keys;
    }
    return {};
}

// The admin2 regions of `r` whose names begin with one of `keys`, else its towns that do.
std::vector<std::uint32_t> districts_by_stem(const Gazetteer& gz, const RegionSet& r,
                                             const std::vector<std::string>& keys) {
    std::vector<std::uint32_t> admin2;
    std::vector<std::uint32_t> towns;
    for (const auto& a1 : r.admin1) {
        for (auto idx : gz.places_in(a1)) {
            const Place& p = gz.place(idx);
            const bool named = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
                return transliteration_key(normalize_name(p.name)).rfind(k, 0) == 0;
            });
            if (named && p.kind == PlaceKind::admin2) {
                admin2.push_back(idx | k_primary);
            } else if (named && p.kind == PlaceKind::place) {
                towns.push_back(idx | k_primary);
            }
        }
    }
    return admin2.empty() ? towns : admin2;
}

} // namespace

void add_districts_by_adjective(std::vector<Mention>& mentions, const Gazetteer& gz,
                                const std::vector<Token>& tokens) {
    const std::vector<bool> taken = taken_tokens(mentions, tokens.size());
    std::vector<Mention> added;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (taken[i] || taken[i + 1] || !unknown_name_word(gz, tokens[i]) ||
            !gap_is_space(tokens[i + 1].gap) ||
            !in(lower_ascii(tokens[i + 1].word), {"district", "raion", "rayon"})) {
            continue;
        }
        Mention m;
        m.first = i;
        m.last = i + 1;
        m.norm = normalize_name(tokens[i].word);
        const std::vector<std::string> keys = adjective_stem_keys(m.norm);
        const Mention* region =
            keys.empty() ? nullptr : region_after_tokens(mentions, gz, tokens, i + 1);
        if (region == nullptr) {
            continue;
        }
        m.candidates = districts_by_stem(gz, regions_named(gz, *region), keys);
        if (m.candidates.empty()) {
            continue;
        }
        m.region_cue = true;
        m.end_byte = tokens[i + 1].e;
        m.end_cp = tokens[i + 1].ce;
        added.push_back(std::move(m));
    }
    add_in_order(mentions, added);
}

void add_regions_by_transliteration(std::vector<Mention>& mentions, const Gazetteer& gz,
                                    const std::vector<Token>& tokens) {
    const std::vector<bool> taken = taken_tokens(mentions, tokens.size());
    std::vector<Mention> added;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (taken[i] || !unknown_name_word(gz, tokens[i])) {
            continue;
        }
        const bool worded = region_word_after(tokens, i);
        if (!worded && !qualifier_position(tokens, taken, i)) {
            continue;
        }
        Mention m;
        m.first = i;
        m.last = worded ? i + 1 : i;
        m.norm = normalize_name(tokens[i].word);
        m.candidates = admin1_by_key(gz, m.norm);
        // Without a region word, the name must point at one region alone, in a country where
        // the place before it may lie.
        if (m.candidates.empty() || m.candidates.size() > (worded ? 3u : 1u) ||
            (!worded && !shares_country(gz, mention_ending_at(mentions, i - 1), m.candidates[0]))) {
            continue;
        }
        m.region_cue = worded;
        m.end_byte = tokens[m.last].e;
        m.end_cp = tokens[m.last].ce;
        added.push_back(std::move(m));
    }
    add_in_order(mentions, added);
}

void add_unknown_qualified_names(std::vector<Mention>& mentions, const Gazetteer& gz,
                                 const std::vector<Token>& tokens) {
    const std::vector<bool> taken = taken_tokens(mentions, tokens.size());
    std::vector<Mention> added;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (taken[i] || !unknown_name_word(gz, tokens[i]) ||
            (i > 0 && !taken[i - 1] && tokens[i - 1].cap && gap_joins(tokens[i].gap))) {
            continue;
        }
        std::size_t last = i;
        while (last + 1 < tokens.size() && last < i + 2 && !taken[last + 1] &&
               unknown_name_word(gz, tokens[last + 1]) && gap_joins(tokens[last + 1].gap)) {
            ++last;
        }
        if (!place_context_before(tokens, i, last == i) ||
            region_after_tokens(mentions, gz, tokens, last) == nullptr) {
            i = last;
            continue;
        }
        Mention m;
        m.first = i;
        m.last = last;
        std::string words(tokens[i].word);
        for (std::size_t k = i + 1; k <= last; ++k) {
            words += " " + std::string(tokens[k].word);
        }
        m.norm = normalize_name(words);
        m.end_byte = tokens[last].e;
        m.end_cp = tokens[last].ce;
        m.settlement_cue = true;
        added.push_back(std::move(m));
        i = last;
    }
    add_in_order(mentions, added);
}

void add_regions_of_seats(std::vector<Mention>& mentions, const Gazetteer& gz,
                          const std::vector<Token>& tokens) {
    for (auto& m : mentions) {
        if (!m.region_cue || m.last == m.first ||
            !in(lower_ascii(tokens[m.last].word),
                {"region", "oblast", "province", "governorate"})) {
            continue;
        }
        if (std::any_of(m.candidates.begin(), m.candidates.end(), [&](std::uint32_t posting) {
                return gz.place(posting & k_index).kind != PlaceKind::place;
            })) {
            continue; // the name is a region's already
        }
        std::vector<std::uint32_t> seats;
        for (auto posting : m.candidates) {
            const Place& p = gz.place(posting & k_index);
            if (p.kind == PlaceKind::place && p.feature_code == "PPLA") {
                if (const Place* a = gz.admin1(p.admin1_key())) {
                    seats.push_back(gz.index_of(*a) | k_primary);
                }
            }
        }
        m.candidates.insert(m.candidates.end(), seats.begin(), seats.end());
    }
}

void constrain_by_qualifiers(std::vector<Mention>& mentions, const Gazetteer& gz,
                             const std::vector<Token>& tokens) {
    // Qualifiers are found first, then applied from the right: a district is restricted to its
    // region ("Y district, R") before the village in it reads it.
    std::vector<std::optional<std::size_t>> qualifier(mentions.size());
    std::vector<bool> district(mentions.size(), false);
    for (std::size_t k = 0; k < mentions.size(); ++k) {
        if (mentions[k].demonym) {
            continue;
        }
        if (auto d = district_after(mentions, tokens, k); d && !names_a_region(gz, mentions[k])) {
            qualifier[k] = d;
            district[k] = true;
            continue;
        }
        auto q = region_after(mentions, gz, tokens, k);
        if (!q) {
            q = heading_region(mentions, gz, tokens, k);
        }
        if (q && !names_a_region(gz, mentions[k])) {
            qualifier[k] = q;
        }
    }
    for (std::size_t k = mentions.size(); k-- > 0;) {
        if (qualifier[k] && district[k]) {
            restrict_near(mentions[k], mentions[*qualifier[k]], gz);
        } else if (qualifier[k]) {
            const Mention region = mentions[*qualifier[k]];
            restrict_to(mentions[k], region, regions_named(gz, region),
                        beside(tokens, mentions[k], region), gz);
        }
    }
}

} // namespace incidentmap::gazetteer::geoparse
