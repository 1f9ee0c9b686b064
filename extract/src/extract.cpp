#include "incidentmap/extract/extract.hpp"
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

struct Casualties {
    int fatalities = 0;
    int injured = 0;
    bool any = false;
};

std::optional<long> number_at(const std::vector<Word>& w, std::size_t k) {
    if (auto n = parse_number_word(w[k].lower)) {
        return n;
    }
    static const std::unordered_set<std::string> ones = {
        "man", "woman", "person",    "civilian", "soldier", "child",
        "boy", "girl",  "policeman", "officer",  "resident"};
    if ((w[k].lower == "a" || w[k].lower == "an") && k + 1 < w.size() &&
        ones.count(w[k + 1].lower)) {
        return 1;
    }
    return std::nullopt;
}

int month_of(std::string_view w);

Casualties casualties_in(const std::vector<Word>& w) {
    Casualties c;
    std::size_t skip_until = 0;
    for (std::size_t k = 0; k < w.size(); ++k) {
        if (k <= skip_until && skip_until > 0) {
            continue;
        }
        auto n = number_at(w, k);
        if (!n || *n <= 0 || *n > 100000) {
            continue;
        }
        // Years, days of the month and times are not casualty counts.
        if (k > 0 && (w[k - 1].lower == "in" || w[k - 1].lower == "since") && *n >= 1900) {
            continue;
        }
        if ((k > 0 && month_of(w[k - 1].lower)) || (k + 1 < w.size() && month_of(w[k + 1].lower))) {
            continue;
        }
        // "between 5 and 10": keep the lower bound, skip the upper.
        if (k >= 2 && w[k - 1].lower == "and" && number_at(w, k - 2) && k >= 3 &&
            w[k - 3].lower == "between") {
            continue;
        }
        // Forward: "three people were killed", "22 others injured", "5 dead"; a range
        // "between 10 and 15 people" counts its lower bound; "four soldiers and two rebels
        // were killed" the sum.
        bool done = false;
        long value = *n;
        std::size_t from = k + 1;
        if (k > 0 && w[k - 1].lower == "between" && k + 2 < w.size() && w[k + 1].lower == "and" &&
            number_at(w, k + 2)) {
            from = k + 3;
        }
        for (std::size_t j = from; j < w.size() && j <= from + 7; ++j) {
            if (j > from && number_at(w, j)) {
                break;
            }
            if (kill_words().count(w[j].lower) && w[j].lower != "killing") {
                c.fatalities = std::max(c.fatalities, static_cast<int>(value));
                c.any = done = true;
                break;
            }
            if (injure_words().count(w[j].lower) && w[j].lower != "injuring" &&
                w[j].lower != "wounding") {
                c.injured = std::max(c.injured, static_cast<int>(value));
                c.any = done = true;
                break;
            }
            if (w[j].lower == "and") {
                // "and at least 20 assailants were killed": add the next group.
                std::size_t m = j + 1;
                while (m < w.size() && m <= j + 3 && !number_at(w, m) &&
                       (w[m].lower == "at" || w[m].lower == "least" || w[m].lower == "another" ||
                        w[m].lower == "some" || w[m].lower == "about")) {
                    ++m;
                }
                auto more = m < w.size() ? number_at(w, m) : std::nullopt;
                if (more && m > j && !(m + 1 < w.size() && kill_words().count(w[j - 1].lower))) {
                    value += *more;
                    from = m + 1;
                    j = m;
                    // The summed number is consumed here.
                    skip_until = m;
                    continue;
                }
                break;
            }
            if (w[j].lower == "in" || w[j].lower == "on") {
                break;
            }
        }
        if (done) {
            continue;
        }
        // Backward: "killing at least 5", "wounding 12", "the death toll rose to 7".
        for (std::size_t j = k; j-- > 0 && j + 4 > k;) {
            const auto& lw = w[j].lower;
            if (lw == "killing" || lw == "killed" || lw == "kills" || lw == "toll") {
                c.fatalities = std::max(c.fatalities, static_cast<int>(*n));
                c.any = true;
                break;
            }
            if (lw == "injuring" || lw == "wounding" || lw == "injured" || lw == "wounded") {
                c.injured = std::max(c.injured, static_cast<int>(*n));
                c.any = true;
                break;
            }
        }
    }
    return c;
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

std::string today_utc() {
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms).
long days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp + (mp < 10 ? 3 : -9);
    y += (m <= 2);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
    return buf;
}

long to_days(const std::string& iso) {
    int y = 0;
    unsigned m = 0, d = 0;
    std::sscanf(iso.c_str(), "%d-%u-%u", &y, &m, &d);
    return days_from_civil(y, m, d);
}

int month_of(std::string_view w) {
    static const std::array<const char*, 12> names = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    std::string lw = lower_ascii(w);
    if (!lw.empty() && lw.back() == '.') {
        lw.pop_back();
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (lw == names[i] ||
            (lw.size() >= 3 && lw.size() <= 4 &&
             std::string_view(names[i]).substr(0, lw.size()) == lw && lw != "may" && lw != "mar")) {
            return static_cast<int>(i) + 1;
        }
        if (lw == names[i]) {
            return static_cast<int>(i) + 1;
        }
    }
    if (lw == "mar") {
        return 3;
    }
    return 0;
}

int weekday_of(const std::string& lw) {
    static const std::array<const char*, 7> names = {"monday", "tuesday",  "wednesday", "thursday",
                                                     "friday", "saturday", "sunday"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (lw == names[i]) {
            return static_cast<int>(i);
        }
    }
    return -1;
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

std::optional<long> parse_number_word(std::string_view word) {
    std::string w = lower_ascii(word);
    if (!w.empty() &&
        std::all_of(
            w.begin(), w.end(),
            [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == ','; }) &&
        std::isdigit(static_cast<unsigned char>(w[0]))) {
        std::string digits;
        for (char c : w) {
            if (c != ',') {
                digits.push_back(c);
            }
        }
        if (digits.size() > 9) {
            return std::nullopt;
        }
        return std::stol(digits);
    }
    static const std::unordered_map<std::string, long> small = {
        {"one", 1},       {"two", 2},        {"three", 3},     {"four", 4},      {"five", 5},
        {"six", 6},       {"seven", 7},      {"eight", 8},     {"nine", 9},      {"ten", 10},
        {"eleven", 11},   {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},
        {"sixteen", 16},  {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},
        {"thirty", 30},   {"forty", 40},     {"fifty", 50},    {"sixty", 60},    {"seventy", 70},
        {"eighty", 80},   {"ninety", 90},    {"hundred", 100}, {"a dozen", 12},  {"dozen", 12},
        {"two dozen", 24}};
    if (auto it = small.find(w); it != small.end()) {
        return it->second;
    }
    auto dash = w.find('-');
    if (dash != std::string::npos) {
        auto a = small.find(w.substr(0, dash));
        auto b = small.find(w.substr(dash + 1));
        if (a != small.end() && b != small.end() && a->second >= 20 && b->second < 10) {
            return a->second + b->second;
        }
    }
    return std::nullopt;
}

std::optional<std::pair<std::string, int>> resolve_date(std::string_view sentence,
                                                        const std::string& published) {
    auto w = words_of(sentence, 0, sentence.size());
    const long pub = to_days(published);
    for (std::size_t k = 0; k < w.size(); ++k) {
        const auto& lw = w[k].lower;
        if (lw == "yesterday") {
            return std::make_pair(civil_from_days(pub - 1), 1);
        }
        if (lw == "today" || (lw == "tonight") ||
            (lw == "this" && k + 1 < w.size() &&
             (w[k + 1].lower == "morning" || w[k + 1].lower == "afternoon" ||
              w[k + 1].lower == "evening"))) {
            return std::make_pair(published, 1);
        }
        if (lw == "last" && k + 1 < w.size()) {
            const auto& nx = w[k + 1].lower;
            if (nx == "week") {
                return std::make_pair(civil_from_days(pub - 7), 2);
            }
            if (nx == "night") {
                return std::make_pair(civil_from_days(pub - 1), 1);
            }
            if (nx == "month") {
                return std::make_pair(civil_from_days(pub - 30), 3);
            }
        }
        std::string base = lw;
        if (base.size() > 2 && base.substr(base.size() - 2) == "’s") {
            base = base.substr(0, base.size() - 2);
        }
        auto apos = base.find('\xE2');
        if (apos != std::string::npos) {
            base = base.substr(0, apos);
        }
        if (base.size() > 2 && base.substr(base.size() - 2) == "'s") {
            base = base.substr(0, base.size() - 2);
        }
        int wd = weekday_of(base);
        if (wd >= 0) {
            // The most recent such day on or before the published date.
            long pub_wd = ((pub % 7) + 7 + 3) % 7; // 1970-01-01 was a Thursday (3)
            long back = (pub_wd - wd + 7) % 7;
            return std::make_pair(civil_from_days(pub - back), 1);
        }
        int month =
            w[k].cap ? month_of(std::string_view(sentence).substr(w[k].b, w[k].e - w[k].b)) : 0;
        if (month) {
            int y = 0;
            std::sscanf(published.c_str(), "%d", &y);
            long day = 0;
            auto day_at = [&](std::size_t j) -> long {
                auto v = j < w.size() ? parse_number_word(w[j].lower) : std::nullopt;
                return v && *v >= 1 && *v <= 31 ? *v : 0;
            };
            auto year_at = [&](std::size_t j) {
                auto v = j < w.size() && w[j].lower.size() == 4 ? parse_number_word(w[j].lower)
                                                                : std::nullopt;
                if (v && *v > 1900 && *v < 2200) {
                    y = static_cast<int>(*v);
                }
            };
            if (k > 0 && day_at(k - 1)) { // 24 February [2022]
                day = day_at(k - 1);
                year_at(k + 1);
            } else if (day_at(k + 1)) { // February 24[, 2022]
                day = day_at(k + 1);
                year_at(k + 2);
            }
            if (day >= 1 && day <= 31) {
                char buf[48];
                std::snprintf(buf, sizeof buf, "%04d-%02d-%02ld", y, month, day);
                if (is_iso_date(buf)) {
                    std::string d = buf;
                    if (d > published) { // "December 30" in a January article: last year
                        std::snprintf(buf, sizeof buf, "%04d-%02d-%02ld", y - 1, month, day);
                        d = buf;
                    }
                    return std::make_pair(d, 1);
                }
            }
        }
    }
    return std::nullopt;
}

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
    std::optional<std::pair<std::string, int>> last_date;
    std::size_t last_date_sentence = 0;
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
        auto w = words_of(text, sent.begin, sent.end);
        if (w.empty()) {
            continue;
        }
        auto clause = clauses_of(w);
        auto word_at = [&](std::size_t byte) {
            for (std::size_t k = 0; k < w.size(); ++k) {
                if (w[k].e > byte) {
                    return k;
                }
            }
            return w.size() - 1;
        };
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
        const std::size_t date_from = std::max(sent.begin, std::min(dateline_end, sent.end));
        auto dated = resolve_date(std::string_view(text).substr(date_from, sent.end - date_from),
                                  ex.published);
        if (!dated && last_date) {
            // "A day later", "the next day", "the following day", "two days later".
            for (std::size_t k = 0; k + 1 < w.size(); ++k) {
                long shift = 0;
                if ((w[k].lower == "next" || w[k].lower == "following") &&
                    (w[k + 1].lower == "day" || w[k + 1].lower == "morning")) {
                    shift = 1;
                } else if (k + 2 < w.size() &&
                           (w[k + 1].lower == "day" || w[k + 1].lower == "days") &&
                           w[k + 2].lower == "later") {
                    auto v =
                        w[k].lower == "a" ? std::optional<long>(1) : parse_number_word(w[k].lower);
                    shift = v && *v < 31 ? *v : 0;
                } else if (w[k].lower == "earlier" && k > 0 &&
                           (w[k - 1].lower == "day" || w[k - 1].lower == "days")) {
                    auto v = k >= 2 ? (w[k - 2].lower == "a" ? std::optional<long>(1)
                                                             : parse_number_word(w[k - 2].lower))
                                    : std::nullopt;
                    shift = v && *v < 31 ? -*v : 0;
                }
                if (shift) {
                    dated = std::make_pair(civil_from_days(to_days(last_date->first) + shift),
                                           last_date->second);
                    break;
                }
            }
        }
        const bool sentence_dated = dated.has_value();
        if (dated) {
            last_date = *dated;
            last_date_sentence = s;
        } else if (last_date && s <= last_date_sentence + 2) {
            dated = last_date;
        }
        std::string date = dated ? dated->first : ex.published;
        int time_precision = dated ? dated->second : 1;
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
            std::string clause_date = date;
            int clause_precision = time_precision;
            {
                std::size_t cb = SIZE_MAX, ce = 0;
                for (std::size_t k = 0; k < w.size(); ++k) {
                    if (clause[k] == c && w[k].b >= date_from) {
                        cb = std::min(cb, w[k].b);
                        ce = std::max(ce, w[k].e);
                    }
                }
                if (cb < ce) {
                    if (auto d = resolve_date(std::string_view(text).substr(cb, ce - cb),
                                              ex.published)) {
                        clause_date = d->first;
                        clause_precision = d->second;
                    }
                }
            }
            for (const auto* t : chosen) {
                used.insert(t);
                Incident inc =
                    make_incident(*t, trig, sent, clause_date, clause_precision, anaphora);
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
                inc.notes = "On " + clause_date + ", " +
                            std::string(text.substr(
                                sent.begin, std::min<std::size_t>(sent.end - sent.begin, 400)));
                incidents.push_back(std::move(inc));
                incident_dated.push_back(dated.has_value());
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
