#pragma once

// The SpatiaLite backend's statements: reading a row through sqlite3_value, binding the
// shared SQL's values, and read statements kept per connection.

#include "incidentmap/sqlite/sqlite.hpp"

#include "../sql/select.hpp"

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace incidentmap::incidents::spatialite {

using sqlite::Database;
using sqlite::Statement;

/// The columns of the current row of a statement through their sqlite3_value: one library
/// call per text column where Statement's accessors make two (an export reads 25 columns a
/// row). The statement is used by one thread only.
class RowValues {
public:
    explicit RowValues(sqlite3_stmt* stmt) noexcept : m_stmt(stmt) {}
    [[nodiscard]] std::int64_t int64(int col) const noexcept {
        return sqlite3_column_int64(m_stmt, col);
    }
    [[nodiscard]] double real(int col) const noexcept { return sqlite3_column_double(m_stmt, col); }
    [[nodiscard]] std::string_view text(int col) const noexcept {
        sqlite3_value* v = sqlite3_column_value(m_stmt, col);
        const unsigned char* p = sqlite3_value_text(v);
        if (p == nullptr) {
            return {};
        }
        return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v))};
    }
    [[nodiscard]] bool is_null(int col) const noexcept {
        return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
    }

private:
    sqlite3_stmt* m_stmt;
};

/// A statement's rows as the shared evidence readers step through them.
class StatementRows {
public:
    explicit StatementRows(Statement& s) noexcept : m_s(&s) {}
    bool next() { return m_s->step(); }
    [[nodiscard]] std::int64_t int64(int col) const { return m_s->int64(col); }
    [[nodiscard]] std::string_view text(int col) const { return m_s->text(col); }

private:
    Statement* m_s;
};

/// Binds the values of shared SQL to its placeholders, from the first.
void bind_values(Statement& s, const std::vector<detail::SqlValue>& values);

/// Read statements keyed by their SQL, prepared once per connection: the query shapes of an
/// API repeat, and preparing costs more than running a small query. A lease resets the
/// statement when done (releasing its read lock); a statement already leased (a nested use)
/// is prepared afresh instead.
class StatementCache {
    struct Kept {
        Statement statement;
        sqlite3_stmt* handle = nullptr; // the statement's, for RowValues
        bool busy = false;
    };

public:
    class Lease {
    public:
        Lease(Kept* kept, std::optional<Kept> own) : m_kept(kept), m_own(std::move(own)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() {
            if (m_kept) {
                m_kept->statement.reset();
                m_kept->busy = false;
            }
        }
        Statement& operator*() { return held().statement; }
        Statement* operator->() { return &**this; }
        [[nodiscard]] RowValues row() { return RowValues(held().handle); }

    private:
        Kept& held() { return m_kept ? *m_kept : *m_own; }
        Kept* m_kept;
        std::optional<Kept> m_own;
    };

    explicit StatementCache(Database& db) noexcept : m_db(db) {}

    /// The statement of `sql`, prepared once.
    Lease lease(const std::string& sql);

private:
    Kept prepare(const std::string& sql);

    Database& m_db;
    std::unordered_map<std::string, std::unique_ptr<Kept>> m_kept;
};

} // namespace incidentmap::incidents::spatialite
