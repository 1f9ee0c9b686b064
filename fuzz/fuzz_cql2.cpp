// Fuzzes the CQL2 text parser and evaluator: any input must parse or throw InvalidInput, and a
// parsed filter must evaluate on an incident and narrow a query to one that validates.
#include "incidentmap/error.hpp"
#include "incidentmap/query/cql2.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace incidentmap::incidents;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto filter = cql2::Filter::parse(text);
        Incident i;
        i.id = 1;
        i.event_date = "2022-03-29";
        i.point = {31.99, 46.97};
        i.created = "2022-03-29T12:00:00Z";
        (void)filter(i);
        IncidentQuery q;
        filter.apply_to(q);
        validate(q);
        (void)q.predicate(i);
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
