#include "incidentmap/text/dates.hpp"

#include "incidentmap/text/ascii.hpp"

#include <array>
#include <cstdio>

namespace incidentmap::text {

namespace {

constexpr std::size_t kExamples = 3;

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A cursor over the text of one date.
struct Scanner {
    std::string_view s;
    std::size_t i = 0;

    [[nodiscard]] bool done() const noexcept { return i >= s.size(); }
    [[nodiscard]] char peek() const noexcept { return done() ? '\0' : s[i]; }
    bool eat(char c) noexcept {
        if (peek() == c) {
            ++i;
            return true;
        }
        return false;
    }
    void skip_spaces() noexcept {
        while (peek() == ' ' || peek() == '\t') {
            ++i;
        }
    }
    // 1 to `max` digits; -1 when there are none (and `digits` their count).
    int number(std::size_t max, std::size_t* digits = nullptr) noexcept {
        int v = 0;
        std::size_t n = 0;
        while (n < max && is_digit(peek())) {
            v = v * 10 + (s[i++] - '0');
            ++n;
        }
        if (digits != nullptr) {
            *digits = n;
        }
        return n == 0 ? -1 : v;
    }
    // A run of letters, with a trailing period dropped ("Sept.").
    std::string_view word() noexcept {
        const std::size_t b = i;
        while (is_alpha(peek())) {
            ++i;
        }
        const std::string_view w = s.substr(b, i - b);
        eat('.');
        return w;
    }
};

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

std::optional<Date> make(int y, int m, int d) noexcept {
    if (!is_valid_date(y, m, d)) {
        return std::nullopt;
    }
    return Date{y, m, d};
}

// A year of 4 digits, or of 2 (POSIX's %y: 00-68 are 2000-2068, 69-99 are 1969-1999).
int year(Scanner& sc) noexcept {
    std::size_t digits = 0;
    const int y = sc.number(4, &digits);
    if (digits == 4) {
        return y;
    }
    if (digits == 2) {
        return y <= 68 ? 2000 + y : 1900 + y;
    }
    return -1;
}

// An ISO 8601 zone, or none: Z, +01, +01:00, -0500.
bool iso_zone(Scanner& sc) noexcept {
    if (sc.eat('Z') || sc.done()) {
        return sc.done();
    }
    if (sc.peek() != '+' && sc.peek() != '-') {
        return false;
    }
    ++sc.i;
    std::size_t digits = 0;
    if (sc.number(2, &digits) < 0 || digits != 2) {
        return false;
    }
    sc.eat(':');
    if (!sc.done() && (sc.number(2, &digits) < 0 || digits != 2)) {
        return false;
    }
    return sc.done();
}

// What may follow a date: nothing, or a time of day HH:MM[:SS[.fff]] with an optional AM/PM
// (after a space or a 'T') and, in ISO texts, a zone (Z, +01, +01:00, -0500).
bool time_of_day(Scanner& sc, bool iso) noexcept {
    if (sc.done()) {
        return true;
    }
    if (!(iso && sc.eat('T'))) {
        if (sc.peek() != ' ') {
            return false;
        }
        sc.skip_spaces();
    }
    const int h = sc.number(2);
    if (h < 0 || !sc.eat(':')) {
        return false;
    }
    std::size_t digits = 0;
    const int mi = sc.number(2, &digits);
    if (digits != 2 || mi > 59) {
        return false;
    }
    if (sc.eat(':')) {
        const int se = sc.number(2, &digits);
        if (digits != 2 || se > 60) {
            return false;
        }
        if (sc.eat('.') && sc.number(9) < 0) {
            return false;
        }
    }
    if (iso) {
        return h <= 23 && iso_zone(sc);
    }
    sc.skip_spaces();
    if (is_alpha(sc.peek())) {
        const auto w = lower_ascii(sc.word());
        return (w == "am" || w == "pm") && h >= 1 && h <= 12 && sc.done();
    }
    return h <= 23 && sc.done();
}

// YYYY-MM-DD with whatever time follows.
std::optional<Date> iso_form(Scanner sc) noexcept {
    std::size_t digits = 0;
    const int y = sc.number(4, &digits);
    if (digits != 4 || !sc.eat('-')) {
        return std::nullopt;
    }
    const int m = sc.number(2, &digits);
    if (digits != 2 || !sc.eat('-')) {
        return std::nullopt;
    }
    const int d = sc.number(2, &digits);
    if (digits != 2 || !time_of_day(sc, true)) {
        return std::nullopt;
    }
    return make(y, m, d);
}

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
long days_from_civil(int y, int m, int d) noexcept {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
Date civil_from_days(long z) noexcept {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}

// A spreadsheet serial number of the 1900 system: days since 1899-12-30 (the system counts a
// 29 February 1900 that never was, so from 1 March 1900 on this is exact).
std::optional<Date> serial_form(Scanner sc) noexcept {
    std::size_t digits = 0;
    const int n = sc.number(5, &digits);
    if (digits != 5) {
        return std::nullopt;
    }
    if (sc.eat('.') && sc.number(9) < 0) {
        return std::nullopt;
    }
    if (!sc.done()) {
        return std::nullopt;
    }
    const auto d = civil_from_days(days_from_civil(1899, 12, 30) + n);
    return make(d.year, d.month, d.day);
}

// 13/03/2023, 3/13/2023, 13.03.2023, 13-03-23, 13-Mar-2023, each with an optional time.
std::optional<Date> numeric_form(Scanner sc, DayMonthOrder order) noexcept {
    const int a = sc.number(2);
    const char sep = sc.peek();
    if (a < 0 || (sep != '/' && sep != '.' && sep != '-')) {
        return std::nullopt;
    }
    ++sc.i;
    if (sep == '-' && is_alpha(sc.peek())) { // 13-Mar-2023
        const int m = month_number(sc.word());
        const int y = sc.eat('-') ? year(sc) : -1;
        if (m == 0 || y < 0 || !time_of_day(sc, false)) {
            return std::nullopt;
        }
        return make(y, m, a);
    }
    const int b = sc.number(2);
    if (b < 0 || !sc.eat(sep)) {
        return std::nullopt;
    }
    const int y = year(sc);
    if (y < 0 || !time_of_day(sc, false)) {
        return std::nullopt;
    }
    if (order == DayMonthOrder::unknown) {
        // Only a date whose order its numbers show.
        if (a > 12 && b <= 12) {
            order = DayMonthOrder::day_first;
        } else if (b > 12 && a <= 12) {
            order = DayMonthOrder::month_first;
        } else if (a != b) {
            return std::nullopt;
        }
    }
    return order == DayMonthOrder::month_first ? make(y, a, b) : make(y, b, a);
}

// 13 March 2023, 13 Mar. 2023, 13 March, 2023.
std::optional<Date> day_month_name_form(Scanner sc) noexcept {
    const int d = sc.number(2);
    if (d < 0 || sc.peek() != ' ') {
        return std::nullopt;
    }
    sc.skip_spaces();
    const int m = month_number(sc.word());
    sc.eat(',');
    sc.skip_spaces();
    const int y = year(sc);
    if (m == 0 || y < 1000 || !time_of_day(sc, false)) {
        return std::nullopt;
    }
    return make(y, m, d);
}

// March 13, 2023; Mar 13 2023.
std::optional<Date> month_name_day_form(Scanner sc) noexcept {
    const int m = month_number(sc.word());
    sc.skip_spaces();
    const int d = sc.number(2);
    if (sc.peek() != ',' && sc.peek() != ' ') { // "March 2023" has no day
        return std::nullopt;
    }
    sc.eat(',');
    sc.skip_spaces();
    const int y = year(sc);
    if (m == 0 || d < 0 || y < 1000 || !time_of_day(sc, false)) {
        return std::nullopt;
    }
    return make(y, m, d);
}

// The two leading numbers of a numeric date (13/03/2023 gives 13 and 3), if it is one.
std::optional<std::pair<int, int>> leading_pair(std::string_view text) noexcept {
    Scanner sc{trim(text)};
    const int a = sc.number(2);
    const char sep = sc.peek();
    if (a < 0 || (sep != '/' && sep != '.' && sep != '-')) {
        return std::nullopt;
    }
    ++sc.i;
    const int b = sc.number(2);
    if (b < 0 || !sc.eat(sep) || year(sc) < 0 || !time_of_day(sc, false)) {
        return std::nullopt;
    }
    return std::make_pair(a, b);
}

} // namespace

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

bool is_valid_date(int y, int m, int d) noexcept {
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0);
}

std::optional<Date> parse_iso_date(std::string_view text) noexcept {
    if (text.size() != 10) {
        return std::nullopt;
    }
    return iso_form(Scanner{text});
}

int month_number(std::string_view word) noexcept {
    static constexpr std::array<std::string_view, 12> names = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    if (word.size() < 3 || word.size() > 9) {
        return 0;
    }
    const auto w = lower_ascii(word);
    for (std::size_t k = 0; k < names.size(); ++k) {
        // The whole name, or a prefix of at least three letters ("Mar", "Sept").
        if (names[k].substr(0, w.size()) == w) {
            return static_cast<int>(k) + 1;
        }
    }
    return 0;
}

std::optional<DayMonthOrder> parse_day_month_order(std::string_view text) noexcept {
    if (text == "dmy") {
        return DayMonthOrder::day_first;
    }
    if (text == "mdy") {
        return DayMonthOrder::month_first;
    }
    return std::nullopt;
}

const char* describe(DayMonthOrder order) noexcept {
    switch (order) {
    case DayMonthOrder::day_first:
        return "day/month";
    case DayMonthOrder::month_first:
        return "month/day";
    case DayMonthOrder::unknown:
        break;
    }
    return "unknown";
}

std::optional<Date> parse_file_date(std::string_view text, DayMonthOrder order) noexcept {
    const Scanner sc{trim(text)};
    if (sc.s.empty()) {
        return std::nullopt;
    }
    if (is_alpha(sc.s.front())) {
        return month_name_day_form(sc);
    }
    for (auto form : {iso_form, serial_form, day_month_name_form}) {
        if (auto d = form(sc)) {
            return d;
        }
    }
    return numeric_form(sc, order);
}

void DayMonthVote::observe(std::string_view value) {
    const auto pair = leading_pair(value);
    if (!pair) {
        return;
    }
    ++m_numeric;
    const auto [a, b] = *pair;
    auto keep = [&](std::vector<std::string>& examples) {
        if (examples.size() < kExamples) {
            examples.emplace_back(trim(value));
        }
    };
    if (a > 12 && b <= 12) {
        ++m_day_first;
        keep(m_day_first_examples);
    } else if (b > 12 && a <= 12) {
        ++m_month_first;
        keep(m_month_first_examples);
    } else if (a != b) {
        keep(m_ambiguous_examples);
    }
}

DayMonthOrder DayMonthVote::order() const noexcept {
    if (m_day_first > 0 && m_month_first == 0) {
        return DayMonthOrder::day_first;
    }
    if (m_month_first > 0 && m_day_first == 0) {
        return DayMonthOrder::month_first;
    }
    return DayMonthOrder::unknown;
}

} // namespace incidentmap::text
