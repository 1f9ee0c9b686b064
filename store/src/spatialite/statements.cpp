#include "statements.hpp"

#include "incidentmap/error.hpp"

namespace incidentmap::incidents::spatialite {

void bind_values(Statement& s, const std::vector<detail::SqlValue>& values) {
    int n = 1;
    for (const auto& v : values) {
        std::visit([&](const auto& x) { s.bind(n++, x); }, v);
    }
}

StatementCache::Kept StatementCache::prepare(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc =
        sqlite3_prepare_v2(m_db.handle(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg =
            "cannot prepare SQL (" + sql.substr(0, 60) + "): " + sqlite3_errmsg(m_db.handle());
        sqlite3_finalize(raw);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            throw Unavailable(msg);
        }
        throw StorageError(msg);
    }
    return {Statement(raw), raw};
}

StatementCache::Lease StatementCache::lease(const std::string& sql) {
    auto it = m_kept.find(sql);
    if (it == m_kept.end()) {
        // Shapes built from user input (lists of types) are many: keep a bounded number.
        if (m_kept.size() >= 128) {
            std::erase_if(m_kept, [](const auto& kv) { return !kv.second->busy; });
        }
        it = m_kept.emplace(sql, std::make_unique<Kept>(prepare(sql))).first;
    }
    if (it->second->busy) {
        return {nullptr, prepare(sql)};
    }
    it->second->busy = true;
    return {it->second.get(), std::nullopt};
}

} // namespace incidentmap::incidents::spatialite
