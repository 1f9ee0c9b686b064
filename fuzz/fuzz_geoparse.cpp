// Fuzzes the geoparser with arbitrary text: toponym spans must lie inside the text.
#include "incidentmap/error.hpp"
#include "incidentmap/geoparse/geoparser.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace {
const incidentmap::gazetteer::Gazetteer& gz() {
    static auto g =
        std::make_unique<incidentmap::gazetteer::Gazetteer>(incidentmap::gazetteer::Gazetteer::open(
            std::getenv("INCIDENTMAP_FUZZ_GAZETTEER") ? std::getenv("INCIDENTMAP_FUZZ_GAZETTEER")
                                                      : "data/gazetteer.sqlite"));
    return *g;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static incidentmap::gazetteer::Geoparser parser(gz());
    try {
        for (const auto& t : parser.parse(text)) {
            if (t.end > text.size() || t.begin >= t.end || t.place == nullptr) {
                __builtin_trap();
            }
        }
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
