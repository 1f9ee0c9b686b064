#pragma once

// Calendar dates as text: the ISO form we store, the forms data files carry (ISO with time and
// zone, numeric day/month or month/day with a time and AM/PM, month names, spreadsheet serial
// numbers), and the day/month order of a column decided from all of its values.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::text {

/// A calendar date (proleptic Gregorian). Only valid dates are made by the parsers.
struct Date {
    int year = 0;
    int month = 0; ///< 1..12
    int day = 0;   ///< 1..31
    /// YYYY-MM-DD.
    [[nodiscard]] std::string iso() const;
    bool operator==(const Date&) const = default;
};

/// True when the day exists in that month of that year (years 1000..9999).
bool is_valid_date(int year, int month, int day) noexcept;

/// Parses exactly YYYY-MM-DD; nullopt for anything else or a day that does not exist.
std::optional<Date> parse_iso_date(std::string_view text) noexcept;

/// The number of an English month name or its abbreviation ("March", "mar", "Sept."), or 0.
int month_number(std::string_view word) noexcept;

/// How a file writes numeric dates such as 05/02/2014.
enum class DayMonthOrder { unknown, day_first, month_first };

/// "dmy" / "mdy" (what --dates takes); nullopt for anything else.
std::optional<DayMonthOrder> parse_day_month_order(std::string_view text) noexcept;
/// "day/month" or "month/day" ("unknown" for unknown).
const char* describe(DayMonthOrder order) noexcept;

/// Parses a date as data files carry it; the time of day, if any, is checked and dropped:
/// - ISO 8601: 2023-03-13, 2023-03-13T10:00:00Z, 2023-03-13 10:00:00.000+01:00;
/// - numeric: 13/03/2023, 3/13/2023, 13.03.2023, 13-03-2023, with or without HH:MM[:SS]
///   [AM|PM] after it, read in `order` (nullopt when it is unknown and the day could be the
///   month: 05/02/2014);
/// - month names: 13 March 2023, 13-Mar-2023, March 13, 2023, Mar 13 2023;
/// - spreadsheet serial numbers of the 1900 date system, 10000 to 99999 with an optional
///   fraction (45000 is 2023-03-15).
/// nullopt when none fits or the day does not exist. Thread-safe.
std::optional<Date> parse_file_date(std::string_view text,
                                    DayMonthOrder order = DayMonthOrder::unknown) noexcept;

/// What the numeric dates of one column say about their order: a first number above 12 can only
/// be a day, a second number above 12 only a day. Fed every value of the column (other forms
/// are counted apart and say nothing).
class DayMonthVote {
public:
    void observe(std::string_view value);

    /// day_first or month_first when the column shows one and never the other; unknown when
    /// it shows neither (every numeric date ambiguous, or none) or both (conflicting()).
    [[nodiscard]] DayMonthOrder order() const noexcept;
    [[nodiscard]] bool conflicting() const noexcept { return m_day_first > 0 && m_month_first > 0; }
    /// Numeric dates seen: in all, showing day first, showing month first.
    [[nodiscard]] std::size_t numeric() const noexcept { return m_numeric; }
    [[nodiscard]] std::size_t day_first() const noexcept { return m_day_first; }
    [[nodiscard]] std::size_t month_first() const noexcept { return m_month_first; }
    /// A few values of each kind, for messages: day-first, month-first, ambiguous.
    [[nodiscard]] const std::vector<std::string>& day_first_examples() const noexcept {
        return m_day_first_examples;
    }
    [[nodiscard]] const std::vector<std::string>& month_first_examples() const noexcept {
        return m_month_first_examples;
    }
    [[nodiscard]] const std::vector<std::string>& ambiguous_examples() const noexcept {
        return m_ambiguous_examples;
    }

private:
    std::size_t m_numeric = 0;
    std::size_t m_day_first = 0;
    std::size_t m_month_first = 0;
    std::vector<std::string> m_day_first_examples;
    std::vector<std::string> m_month_first_examples;
    std::vector<std::string> m_ambiguous_examples;
};

} // namespace incidentmap::text
