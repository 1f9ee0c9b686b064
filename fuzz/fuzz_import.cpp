// Fuzzes the importer behind the readers: a file read as ACLED CSV, UCDP CSV, GeoJSON or the
// ACLED API's JSON (the first byte chooses) in a dry run into an in-memory store. Any input must
// import or throw InvalidInput, and the report must add up.
#include "incidentmap/error.hpp"
#include "incidentmap/formats/import.hpp"

#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using incidentmap::incidents::ImportFormat;
    if (size == 0) {
        return 0;
    }
    static constexpr ImportFormat formats[] = {ImportFormat::acled, ImportFormat::ucdp,
                                               ImportFormat::geojson, ImportFormat::acled_json};
    static auto store = incidentmap::incidents::open_spatialite_store(":memory:");
    incidentmap::incidents::ImportOptions options;
    options.dry_run = true;
    options.country_code = [](std::string_view name) {
        return name == "Ukraine" || name == "UA" ? std::string("UA") : std::string();
    };
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    try {
        auto r =
            incidentmap::incidents::import_incidents(*store, in, formats[data[0] % 4], options);
        if (r.created + r.updated != 0 || r.rejected > r.rows || r.errors.size() > r.rejected) {
            __builtin_trap(); // a dry run writes nothing; rejections are rows
        }
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
