#include "failed_attempts.hpp"

namespace incidentmap::api::detail {

long FailedAttempts::blocked_for(const std::string& client, Clock::time_point now) {
    std::lock_guard lock(m_mutex);
    auto it = m_by_client.find(client);
    if (it == m_by_client.end()) {
        return 0;
    }
    const auto end = it->second.since + window;
    if (now >= end) {
        m_by_client.erase(it);
        return 0;
    }
    if (it->second.count < limit) {
        return 0;
    }
    return std::chrono::ceil<std::chrono::seconds>(end - now).count();
}

void FailedAttempts::failed(const std::string& client, Clock::time_point now) {
    std::lock_guard lock(m_mutex);
    // Bounded: a flood from many addresses forgets the oldest records, not the server's memory.
    if (m_by_client.size() >= 100000) {
        std::erase_if(m_by_client, [&](const auto& kv) { return now >= kv.second.since + window; });
        if (m_by_client.size() >= 100000) {
            m_by_client.clear();
        }
    }
    auto& r = m_by_client[client];
    if (r.count == 0 || now >= r.since + window) {
        r = Record{now, 0};
    }
    ++r.count;
}

} // namespace incidentmap::api::detail
