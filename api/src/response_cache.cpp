#include "response_cache.hpp"

namespace incidentmap::api::detail {

bool ResponseCache::get(const std::string& key, std::int64_t version, std::time_t second,
                        httplib::Response& res) {
    std::shared_ptr<const Entry> e;
    {
        std::lock_guard lock(m_mutex);
        if (second != m_second) {
            return false;
        }
        auto it = m_entries.find(key);
        if (it == m_entries.end() || it->second->version != version) {
            return false;
        }
        e = it->second;
    }
    res.set_header("Vary", "Accept-Encoding");
    if (!e->encoding.empty()) {
        res.set_header("Content-Encoding", e->encoding);
    }
    res.set_content(e->body, e->content_type);
    return true;
}

void ResponseCache::put(std::string key, std::int64_t version, std::time_t second,
                        const httplib::Response& res) {
    if ((res.status != -1 && res.status != 200) || res.body.size() > max_entry_bytes) {
        return;
    }
    auto e = std::make_shared<Entry>(Entry{version, res.body, res.get_header_value("Content-Type"),
                                           res.get_header_value("Content-Encoding")});
    std::lock_guard lock(m_mutex);
    if (second != m_second) { // answers of an earlier second are of no more use
        m_entries.clear();
        m_bytes = 0;
        m_second = second;
    }
    if (m_bytes + e->body.size() > max_bytes) {
        return;
    }
    m_bytes += e->body.size();
    m_entries.insert_or_assign(std::move(key), std::move(e));
}

} // namespace incidentmap::api::detail
