#include "store_pool.hpp"

#include "incidentmap/error.hpp"

#include <cerrno>
#include <chrono>

#include <unistd.h>

namespace incidentmap::api::detail {

StorePool::StorePool(const std::string& location, std::size_t size) : m_location(location) {
    const bool read_only = read_only_now();
    for (std::size_t i = 0; i < size; ++i) {
        m_free.push_back(incidents::open_store(location));
        if (read_only) {
            m_read_only.insert(m_free.back().get());
        }
    }
    m_opened_read_only = read_only;
}

// The store is a file SQLite cannot write (a read-only mount): PostGIS URIs never are.
bool StorePool::read_only_now() const {
    return m_location.rfind("postgres", 0) != 0 && ::access(m_location.c_str(), W_OK) != 0 &&
           errno == EROFS;
}

StorePool::Lease StorePool::acquire() {
    std::unique_lock lock(m_mutex);
    if (!m_cv.wait_for(lock, std::chrono::seconds(10), [&] { return !m_free.empty(); })) {
        throw Unavailable("all database connections are busy; try again");
    }
    auto s = std::move(m_free.back());
    m_free.pop_back();
    if (m_opened_read_only && m_read_only.count(s.get()) > 0 && !read_only_now()) {
        m_read_only.erase(s.get());
        try {
            s = incidents::open_store(m_location);
        } catch (...) {
            m_free.push_back(std::move(s)); // still the read-only one, not lost
            throw;
        }
    }
    return Lease(*this, std::move(s));
}

void StorePool::give_back(std::unique_ptr<incidents::IncidentStore> store) {
    {
        std::lock_guard lock(m_mutex);
        m_free.push_back(std::move(store));
    }
    m_cv.notify_one();
}

} // namespace incidentmap::api::detail
