// Fuzzes the keyset cursor decoder (the cursor parameter of every listing): any text must decode
// for one sort or throw InvalidInput, and a decoded cursor must compare with an incident.
#include "incidentmap/error.hpp"
#include "incidentmap/query/query.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using incidentmap::incidents::IncidentQuery;
    // The first byte chooses the sort the cursor is read for (one decode an input: a refused
    // cursor costs a throw, and four of them an input would quarter the executions).
    if (size == 0) {
        return 0;
    }
    static constexpr IncidentQuery::Sort sorts[] = {
        IncidentQuery::Sort::event_date_desc, IncidentQuery::Sort::event_date_asc,
        IncidentQuery::Sort::id_asc, IncidentQuery::Sort::distance};
    const auto sort = sorts[data[0] % 4];
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    incidentmap::incidents::Incident i;
    i.id = 7;
    i.event_date = "2022-03-29";
    try {
        auto c = incidentmap::incidents::parse_cursor(text, sort);
        if (c.sort != sort || c.id < 0 || c.distance_m < 0) {
            __builtin_trap();
        }
        (void)incidentmap::incidents::after_cursor(c, i, 1000.0);
        // A query carrying it must validate as well.
        IncidentQuery q;
        q.sort = sort;
        q.cursor = text;
        if (sort == IncidentQuery::Sort::distance) {
            q.near = incidentmap::geo::LonLat{31.99, 46.97};
            q.radius_km = 50;
        }
        incidentmap::incidents::validate(q);
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
