// Fuzzes the strict GeoJSON geometry parser: any input must parse or throw InvalidInput.
#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto g = incidentmap::geo::parse_geojson_geometry(text, 10000);
        std::string out;
        incidentmap::geo::append_geometry(out, g);
    } catch (const incidentmap::InvalidInput&) {
    }
    std::string s;
    incidentmap::geo::append_json_string(s, text);
    return 0;
}
