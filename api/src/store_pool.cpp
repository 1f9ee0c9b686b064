#include "store_pool.hpp"

#include "incidentmap/error.hpp"

#include <chrono>

namespace incidentmap::api::detail {

StorePool::StorePool(const std::string& location, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        m_free.push_back(incidents::open_store(location));
    }
}

StorePool::Lease StorePool::acquire() {
    std::unique_lock lock(m_mutex);
    if (!m_cv.wait_for(lock, std::chrono::seconds(10), [&] { return !m_free.empty(); })) {
        throw Unavailable("all database connections are busy; try again");
    }
    auto s = std::move(m_free.back());
    m_free.pop_back();
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
