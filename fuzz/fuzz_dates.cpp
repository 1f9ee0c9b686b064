// Fuzzes the date parsers of imported files: every date parsed must exist and print as
// YYYY-MM-DD that parses back to it; the day/month vote takes any value.
#include "incidentmap/text/dates.hpp"

#include <cstdint>
#include <string_view>

namespace {

void check(const std::optional<incidentmap::text::Date>& d) {
    if (!d) {
        return;
    }
    if (!incidentmap::text::is_valid_date(d->year, d->month, d->day)) {
        __builtin_trap();
    }
    if (incidentmap::text::parse_iso_date(d->iso()) != d) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using incidentmap::text::DayMonthOrder;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(incidentmap::text::parse_iso_date(text));
    for (auto order :
         {DayMonthOrder::unknown, DayMonthOrder::day_first, DayMonthOrder::month_first}) {
        check(incidentmap::text::parse_file_date(text, order));
    }
    (void)incidentmap::text::month_number(text);
    (void)incidentmap::text::parse_day_month_order(text);
    incidentmap::text::DayMonthVote vote;
    vote.observe(text);
    if (vote.conflicting() || vote.day_first() + vote.month_first() > vote.numeric()) {
        __builtin_trap();
    }
    return 0;
}
