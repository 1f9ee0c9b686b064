#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace incidentmap::api::detail {

/// Wrong tokens by client address: after `limit` failures within `window`, the client's
/// further attempts are refused (429) until the window has passed, so that guessing a token
/// goes at a few tries a minute. Thread-safe.
class FailedAttempts {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t limit = 10;
    static constexpr std::chrono::seconds window{60};

    /// Seconds the client must wait before trying again; 0 when it may try now.
    long blocked_for(const std::string& client, Clock::time_point now = Clock::now());
    /// Counts a wrong token from the client.
    void failed(const std::string& client, Clock::time_point now = Clock::now());

private:
    struct Record {
        Clock::time_point since;
        std::size_t count = 0;
    };
    std::mutex m_mutex;
    std::unordered_map<std::string, Record> m_by_client;
};

} // namespace incidentmap::api::detail
