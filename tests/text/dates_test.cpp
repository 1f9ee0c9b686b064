#include "incidentmap/text/dates.hpp"

#include <gtest/gtest.h>

using namespace incidentmap::text;

namespace {

std::string parsed(std::string_view text, DayMonthOrder order = DayMonthOrder::unknown) {
    auto d = parse_file_date(text, order);
    return d ? d->iso() : "none";
}

} // namespace

TEST(Dates, IsoWithAndWithoutTimeAndZone) {
    EXPECT_EQ(parsed("2023-03-13"), "2023-03-13");
    EXPECT_EQ(parsed("2023-03-13T10:15:00Z"), "2023-03-13");
    EXPECT_EQ(parsed("2023-03-13 10:15:00.123+01:00"), "2023-03-13");
    EXPECT_EQ(parsed("2023-03-13T23:59-0500"), "2023-03-13");
    EXPECT_EQ(parsed(" \"2023-03-13\" "), "2023-03-13");
    EXPECT_EQ(parsed("2023-02-29"), "none"); // not a leap year
    EXPECT_EQ(parsed("2024-02-29"), "2024-02-29");
    EXPECT_EQ(parsed("2023-03-13T25:00:00Z"), "none");
    EXPECT_EQ(parsed("2023-3-13"), "none");
}

TEST(Dates, NumericInTheGivenOrderWithTimesAndAmPm) {
    // The real UCDP file's two forms; both month first.
    EXPECT_EQ(parsed("8/19/2014 12:00:00 AM", DayMonthOrder::month_first), "2014-08-19");
    EXPECT_EQ(parsed("05/02/2014 00:00", DayMonthOrder::month_first), "2014-05-02");
    EXPECT_EQ(parsed("05/02/2014 00:00", DayMonthOrder::day_first), "2014-02-05");
    // An ACLED export after a spreadsheet: day first, with a time.
    EXPECT_EQ(parsed("13/03/2023 00:00:00", DayMonthOrder::day_first), "2023-03-13");
    EXPECT_EQ(parsed("13.03.2023", DayMonthOrder::day_first), "2023-03-13");
    EXPECT_EQ(parsed("13-03-23", DayMonthOrder::day_first), "2023-03-13");
    EXPECT_EQ(parsed("1/2/99", DayMonthOrder::day_first), "1999-02-01");
    EXPECT_EQ(parsed("3/13/2023 1:05 PM", DayMonthOrder::month_first), "2023-03-13");
    EXPECT_EQ(parsed("3/13/2023 13:05 PM", DayMonthOrder::month_first), "none");
    EXPECT_EQ(parsed("31/04/2023", DayMonthOrder::day_first), "none"); // 31 April
    // In the wrong order a day above 12 is no month.
    EXPECT_EQ(parsed("13/03/2023", DayMonthOrder::month_first), "none");
}

TEST(Dates, NumericWithoutAnOrderOnlyWhenTheNumbersShowIt) {
    EXPECT_EQ(parsed("13/03/2023"), "2023-03-13");
    EXPECT_EQ(parsed("3/13/2023"), "2023-03-13");
    EXPECT_EQ(parsed("05/05/2023"), "2023-05-05");
    EXPECT_EQ(parsed("05/02/2014"), "none"); // 5 February or 2 May: never guessed
}

TEST(Dates, MonthNamesAndSpreadsheetSerials) {
    EXPECT_EQ(parsed("13 March 2023"), "2023-03-13");
    EXPECT_EQ(parsed("13 Mar. 2023"), "2023-03-13");
    EXPECT_EQ(parsed("13-Mar-2023"), "2023-03-13");
    EXPECT_EQ(parsed("March 13, 2023"), "2023-03-13");
    EXPECT_EQ(parsed("Sept 1 2022"), "2022-09-01");
    EXPECT_EQ(parsed("March 2023"), "none");
    EXPECT_EQ(parsed("13 Marchy 2023"), "none");
    EXPECT_EQ(parsed("45000"), "2023-03-15");
    EXPECT_EQ(parsed("44927.5"), "2023-01-01");
    EXPECT_EQ(parsed("2023"), "none");
    EXPECT_EQ(parsed(""), "none");
    EXPECT_EQ(parsed("yesterday"), "none");
}

TEST(Dates, MonthNumbersAndOrders) {
    EXPECT_EQ(month_number("January"), 1);
    EXPECT_EQ(month_number("sep"), 9);
    EXPECT_EQ(month_number("Sept"), 9);
    EXPECT_EQ(month_number("ma"), 0);
    EXPECT_EQ(month_number("Mayo"), 0);
    EXPECT_EQ(parse_day_month_order("dmy"), DayMonthOrder::day_first);
    EXPECT_EQ(parse_day_month_order("mdy"), DayMonthOrder::month_first);
    EXPECT_FALSE(parse_day_month_order("ymd"));
}

TEST(DayMonthVote, AColumnShowsItsOrderOnceAnyValueDoes) {
    DayMonthVote v;
    v.observe("05/02/2014 00:00");
    v.observe("2014-05-02");
    EXPECT_EQ(v.order(), DayMonthOrder::unknown);
    EXPECT_EQ(v.numeric(), 1u);
    v.observe("8/19/2014 12:00:00 AM");
    EXPECT_EQ(v.order(), DayMonthOrder::month_first);
    EXPECT_EQ(v.month_first_examples().front(), "8/19/2014 12:00:00 AM");
    EXPECT_EQ(v.ambiguous_examples().front(), "05/02/2014 00:00");
    v.observe("19/08/2014");
    EXPECT_TRUE(v.conflicting());
    EXPECT_EQ(v.order(), DayMonthOrder::unknown);
}
