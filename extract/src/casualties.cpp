#include "casualties.hpp"

#include "dates.hpp"
#include "incidentmap/extract/extract.hpp"
#include "incidentmap/text/ascii.hpp"
#include "lexicon.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace incidentmap::incidents {

std::optional<long> parse_number_word(std::string_view word) {
    std::string w = text::lower_ascii(word);
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

namespace detail {

namespace {

// The number word k says: parse_number_word, or 1 for "a"/"an" before one person ("a soldier").
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

// Numbers that are no casualty count: years ("in 2019"), days of the month ("March 3"), and
// the upper bound of a range ("between 5 and 10": the lower bound counts).
bool not_a_count(const std::vector<Word>& w, std::size_t k, long n) {
    if (k > 0 && (w[k - 1].lower == "in" || w[k - 1].lower == "since") && n >= 1900) {
        return true;
    }
    if ((k > 0 && month_of(w[k - 1].lower)) || (k + 1 < w.size() && month_of(w[k + 1].lower))) {
        return true;
    }
    return k >= 2 && w[k - 1].lower == "and" && number_at(w, k - 2) && k >= 3 &&
           w[k - 3].lower == "between";
}

// Forward from the number n at word k: "three people were killed", "22 others injured", "5
// dead"; a range "between 10 and 15 people" counts its lower bound; "four soldiers and two
// rebels were killed" the sum. True when a figure was found. A number added to the sum is
// consumed: skip_until tells the caller to pass over it.
bool count_forward(const std::vector<Word>& w, std::size_t k, long n, Casualties& c,
                   std::size_t& skip_until) {
    long value = n;
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
            c.any = true;
            return true;
        }
        if (injure_words().count(w[j].lower) && w[j].lower != "injuring" &&
            w[j].lower != "wounding") {
            c.injured = std::max(c.injured, static_cast<int>(value));
            c.any = true;
            return true;
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
                skip_until = m;
                continue;
            }
            break;
        }
        if (w[j].lower == "in" || w[j].lower == "on") {
            break;
        }
    }
    return false;
}

// Backward from the number n at word k: "killing at least 5", "wounding 12", "the death toll
// rose to 7".
void count_backward(const std::vector<Word>& w, std::size_t k, long n, Casualties& c) {
    for (std::size_t j = k; j-- > 0 && j + 4 > k;) {
        const auto& lw = w[j].lower;
        if (lw == "killing" || lw == "killed" || lw == "kills" || lw == "toll") {
            c.fatalities = std::max(c.fatalities, static_cast<int>(n));
            c.any = true;
            return;
        }
        if (lw == "injuring" || lw == "wounding" || lw == "injured" || lw == "wounded") {
            c.injured = std::max(c.injured, static_cast<int>(n));
            c.any = true;
            return;
        }
    }
}

} // namespace

Casualties casualties_in(const std::vector<Word>& w) {
    Casualties c;
    std::size_t skip_until = 0;
    for (std::size_t k = 0; k < w.size(); ++k) {
        if (k <= skip_until && skip_until > 0) {
            continue;
        }
        auto n = number_at(w, k);
        if (!n || *n <= 0 || *n > 100000 || not_a_count(w, k, *n)) {
            continue;
        }
        if (!count_forward(w, k, *n, c, skip_until)) {
            count_backward(w, k, *n, c);
        }
    }
    return c;
}

} // namespace detail

} // namespace incidentmap::incidents
