#pragma once

#include "incidentmap/store/store.hpp"

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace incidentmap::api::detail {

/// A fixed set of store connections shared by the worker threads (a store instance is not
/// thread-safe: each request leases one for as long as it needs it). Thread-safe.
class StorePool {
public:
    /// Opens `size` connections to `location`. Throws what `open_store` throws.
    StorePool(const std::string& location, std::size_t size);

    /// A leased connection, given back to the pool when the lease ends.
    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<incidents::IncidentStore> store)
            : m_pool(pool), m_store(std::move(store)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { m_pool.give_back(std::move(m_store)); }
        incidents::IncidentStore* operator->() { return m_store.get(); }
        incidents::IncidentStore& operator*() { return *m_store; }

    private:
        StorePool& m_pool;
        std::unique_ptr<incidents::IncidentStore> m_store;
    };

    /// A free connection; waits up to 10 s for one, then throws Unavailable. A connection
    /// opened while the store's file system was read-only (reads only, immutable) is opened
    /// again once the file can be written, so that writes resume without a restart.
    Lease acquire();

private:
    void give_back(std::unique_ptr<incidents::IncidentStore> store);
    [[nodiscard]] bool read_only_now() const;

    std::string m_location;
    bool m_opened_read_only = false; // some connection was opened on a read-only file system
    std::unordered_set<const incidents::IncidentStore*> m_read_only;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::unique_ptr<incidents::IncidentStore>> m_free;
};

} // namespace incidentmap::api::detail
