#include "dates.hpp"

#include "incidentmap/text/ascii.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace incidentmap::incidents {

namespace {

using detail::DatedPhrase;
using detail::month_of;
using detail::Word;
using text::lower_ascii;

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

// "yesterday", "today", "tonight", "this morning", "last week", "last night", "last month" at
// word k, against the published date (pub: its day number).
std::optional<DatedPhrase> relative_date(const std::vector<Word>& w, std::size_t k,
                                         const std::string& published, long pub) {
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
    return std::nullopt;
}

// A word without its possessive ending ("Tuesday's", "Tuesday’s").
std::string without_possessive(const std::string& lw) {
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
    return base;
}

// "24 February [2022]" or "February 24[, 2022]" with the month at word k, in the published
// year unless one is named; a day after the published date is a year earlier.
std::optional<DatedPhrase> calendar_date(std::string_view sentence, const std::vector<Word>& w,
                                         std::size_t k, const std::string& published) {
    int month = w[k].cap ? month_of(sentence.substr(w[k].b, w[k].e - w[k].b)) : 0;
    if (!month) {
        return std::nullopt;
    }
    int y = 0;
    std::sscanf(published.c_str(), "%d", &y);
    long day = 0;
    auto day_at = [&](std::size_t j) -> long {
        auto v = j < w.size() ? parse_number_word(w[j].lower) : std::nullopt;
        return v && *v >= 1 && *v <= 31 ? *v : 0;
    };
    auto year_at = [&](std::size_t j) {
        auto v =
            j < w.size() && w[j].lower.size() == 4 ? parse_number_word(w[j].lower) : std::nullopt;
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
    return std::nullopt;
}

// Days after the last date named: "a day later", "the next day", "the following morning",
// "two days later" (positive), "three days earlier" (negative); 0 when the words say none.
long relative_day_shift(const std::vector<Word>& w) {
    for (std::size_t k = 0; k + 1 < w.size(); ++k) {
        long shift = 0;
        if ((w[k].lower == "next" || w[k].lower == "following") &&
            (w[k + 1].lower == "day" || w[k + 1].lower == "morning")) {
            shift = 1;
        } else if (k + 2 < w.size() && (w[k + 1].lower == "day" || w[k + 1].lower == "days") &&
                   w[k + 2].lower == "later") {
            auto v = w[k].lower == "a" ? std::optional<long>(1) : parse_number_word(w[k].lower);
            shift = v && *v < 31 ? *v : 0;
        } else if (w[k].lower == "earlier" && k > 0 &&
                   (w[k - 1].lower == "day" || w[k - 1].lower == "days")) {
            auto v = k >= 2 ? (w[k - 2].lower == "a" ? std::optional<long>(1)
                                                     : parse_number_word(w[k - 2].lower))
                            : std::nullopt;
            shift = v && *v < 31 ? -*v : 0;
        }
        if (shift) {
            return shift;
        }
    }
    return 0;
}

} // namespace

std::optional<std::pair<std::string, int>> resolve_date(std::string_view sentence,
                                                        const std::string& published) {
    auto w = detail::words_of(sentence, 0, sentence.size());
    const long pub = to_days(published);
    for (std::size_t k = 0; k < w.size(); ++k) {
        if (auto d = relative_date(w, k, published, pub)) {
            return d;
        }
        int wd = weekday_of(without_possessive(w[k].lower));
        if (wd >= 0) {
            // The most recent such day on or before the published date.
            long pub_wd = ((pub % 7) + 7 + 3) % 7; // 1970-01-01 was a Thursday (3)
            long back = (pub_wd - wd + 7) % 7;
            return std::make_pair(civil_from_days(pub - back), 1);
        }
        if (auto d = calendar_date(sentence, w, k, published)) {
            return d;
        }
    }
    return std::nullopt;
}

namespace detail {

std::string today_utc() {
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
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
        if (lw == names[i] || (lw.size() >= 3 && lw.size() <= 4 &&
                               std::string_view(names[i]).substr(0, lw.size()) == lw)) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

SentenceDate DateTracker::date_of(std::string_view text, const Sentence& sent, std::size_t index,
                                  const std::vector<Word>& w, std::size_t dateline_end) {
    SentenceDate out;
    out.from = std::max(sent.begin, std::min(dateline_end, sent.end));
    auto dated = resolve_date(text.substr(out.from, sent.end - out.from), m_published);
    if (!dated && m_last) {
        if (long shift = relative_day_shift(w)) {
            dated = std::make_pair(civil_from_days(to_days(m_last->first) + shift), m_last->second);
        }
    }
    out.named = dated.has_value();
    if (dated) {
        m_last = *dated;
        m_last_sentence = index;
    } else if (m_last && index <= m_last_sentence + 2) {
        dated = m_last;
    }
    out.known = dated.has_value();
    out.date = dated ? dated->first : m_published;
    out.precision = dated ? dated->second : 1;
    return out;
}

std::optional<DatedPhrase> clause_date(std::string_view text, const SentenceWords& sw, int clause,
                                       std::size_t from, const std::string& published) {
    std::size_t cb = SIZE_MAX, ce = 0;
    for (std::size_t k = 0; k < sw.words.size(); ++k) {
        if (sw.clause[k] == clause && sw.words[k].b >= from) {
            cb = std::min(cb, sw.words[k].b);
            ce = std::max(ce, sw.words[k].e);
        }
    }
    if (cb < ce) {
        return resolve_date(text.substr(cb, ce - cb), published);
    }
    return std::nullopt;
}

} // namespace detail

} // namespace incidentmap::incidents
