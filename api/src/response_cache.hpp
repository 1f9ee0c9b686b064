#pragma once

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace incidentmap::api::detail {

/// Answers to list queries, reused while both the store's version and the wall-clock second are
/// the ones they were made at: a query repeated within the second (a map open in many browsers,
/// a script polling) is not run again, and no answer outlives a committed write (every write
/// advances the version) or its own `timeStamp` (which has a precision of one second).
/// Thread-safe.
class ResponseCache {
public:
    /// Fills `res` with the answer kept for `key` at this version and second; false when there
    /// is none.
    bool get(const std::string& key, std::int64_t version, std::time_t second,
             httplib::Response& res);

    /// Keeps `res` (a 200 answer of at most 8 MiB, while the cache holds under 64 MiB) for `key`.
    void put(std::string key, std::int64_t version, std::time_t second,
             const httplib::Response& res);

private:
    static constexpr std::size_t max_entry_bytes = 8u << 20;
    static constexpr std::size_t max_bytes = 64u << 20;
    struct Entry {
        std::int64_t version;
        std::string body;
        std::string content_type;
        std::string encoding;
    };
    std::mutex m_mutex;
    std::time_t m_second = 0;
    std::unordered_map<std::string, std::shared_ptr<const Entry>> m_entries;
    std::size_t m_bytes = 0; // not counting entries replaced within the second
};

} // namespace incidentmap::api::detail
