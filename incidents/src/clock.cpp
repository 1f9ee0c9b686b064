#include "incidentmap/incidents/clock.hpp"

#include <chrono>
#include <ctime>

namespace incidentmap::incidents {

std::string utc_now() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace incidentmap::incidents
