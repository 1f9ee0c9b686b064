// Fuzzes the CSV reader the importer uses (with the delimiter sniffed as the importer does): any
// input must read or throw InvalidInput, every field read must be UTF-8 (Windows-1252 bytes
// converted), and records must start on ever later lines.
#include "incidentmap/error.hpp"
#include "incidentmap/formats/csv.hpp"
#include "incidentmap/text/utf8.hpp"

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    const char delimiter = incidentmap::incidents::sniff_delimiter(in);
    incidentmap::incidents::CsvReader reader(in, delimiter);
    std::vector<std::string> fields;
    std::size_t line = 0;
    std::size_t last_line = 0;
    try {
        while (reader.next(fields, line)) {
            for (const auto& f : fields) {
                if (!incidentmap::text::is_valid_utf8(f)) {
                    __builtin_trap();
                }
            }
            if (line <= last_line) {
                __builtin_trap();
            }
            last_line = line;
        }
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
