// Fuzzes the bbox and position parsers of query parameters.
#include "incidentmap/error.hpp"
#include "incidentmap/geo/types.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto b = incidentmap::geo::parse_bbox(text);
        if (!b.valid()) {
            __builtin_trap();
        }
    } catch (const incidentmap::InvalidInput&) {
    }
    try {
        auto p = incidentmap::geo::parse_lonlat(text);
        if (!p.valid()) {
            __builtin_trap();
        }
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
