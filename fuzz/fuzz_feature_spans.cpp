// Fuzzes the GeoJSON feature scanner of the importer (byte spans of the features, without a
// DOM): any input must scan or throw InvalidInput, and the spans must lie in the document, in
// order, without overlapping.
#include "incidentmap/error.hpp"

#include "import/geojson_spans.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string doc(reinterpret_cast<const char*>(data), size);
    try {
        std::size_t end = 0;
        for (const auto& s : incidentmap::incidents::detail::feature_spans(doc)) {
            if (s.begin < end || s.end < s.begin || s.end > doc.size()) {
                __builtin_trap();
            }
            end = s.end;
        }
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
