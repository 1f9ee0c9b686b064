// Fuzzes the readers of GeoNames files in the gazetteer build: a dump of places, then
// alternateNamesV2 rows and an admin1 code list, over what the places brought. The input is the
// three files separated by NUL bytes. Each must read or throw InvalidInput (a dump without a
// place row), and every place kept must have a valid point.
#include "builder/build_steps.hpp"

#include "incidentmap/error.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

// The readers take paths: the input goes to in-memory files, named through /proc/self/fd.
class MemoryFile {
public:
    MemoryFile() : m_fd(::memfd_create("fuzz_geonames", 0)) {
        if (m_fd < 0) {
            __builtin_trap();
        }
    }
    // The file holding `text` only, by its path.
    std::string hold(std::string_view text) {
        if (::ftruncate(m_fd, 0) != 0 ||
            ::pwrite(m_fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
            __builtin_trap();
        }
        return "/proc/self/fd/" + std::to_string(m_fd);
    }

private:
    int m_fd;
};

// The part of `input` up to the next NUL, removed from it.
std::string_view take_part(std::string_view& input) {
    const auto end = input.find('\0');
    const auto part = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    return part;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace gz = incidentmap::gazetteer;
    static MemoryFile places, alternates, admin1;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto places_text = take_part(input);
    const auto alternates_text = take_part(input);
    const auto admin1_text = take_part(input);
    gz::detail::BuildState state;
    const gz::detail::Reporter quiet(nullptr);
    try {
        gz::detail::read_places(state, places.hold(places_text), quiet);
        gz::detail::read_alternate_names(state, alternates.hold(alternates_text), quiet);
        gz::detail::read_admin(state, admin1.hold(admin1_text), gz::PlaceKind::admin1, quiet);
    } catch (const incidentmap::InvalidInput&) {
    }
    for (const auto& e : state.entries) {
        if (!e.place.point.valid() || e.names.empty()) {
            __builtin_trap();
        }
    }
    return 0;
}
