// Fuzzes the incident Feature reader used by POST /api/incidents.
#include "incidentmap/error.hpp"
#include "incidentmap/formats/geojson_writer.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        auto i = incidentmap::incidents::incident_from_feature(
            std::string_view(reinterpret_cast<const char*>(data), size));
        auto back = incidentmap::incidents::incident_feature(i);
        (void)back;
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
