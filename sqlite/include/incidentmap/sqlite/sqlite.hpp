#pragma once

// A small RAII layer over SQLite shared by the gazetteer and the SpatiaLite store.
// It forward-declares the C handles so that no public header includes sqlite3.h.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace incidentmap::sqlite {

struct SqliteDeleter {
    void operator()(sqlite3* db) const noexcept;
};
struct StmtDeleter {
    void operator()(sqlite3_stmt* stmt) const noexcept;
};

/// A prepared statement. Bind indexes start at 1, column indexes at 0. Not thread-safe.
class Statement {
public:
    explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind_blob(int index, const void* data, std::size_t size);
    Statement& bind_null(int index);
    template <typename T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    /// Steps once; true when a row is available. Throws StorageError on failure.
    bool step();
    /// Steps to completion (for writes). Throws StorageError on failure.
    void run();
    void reset() noexcept;

    [[nodiscard]] std::int64_t int64(int col) const noexcept;
    [[nodiscard]] double real(int col) const noexcept;
    [[nodiscard]] std::string_view text(int col) const noexcept;
    [[nodiscard]] bool is_null(int col) const noexcept;
    [[nodiscard]] std::optional<std::int64_t> opt_int64(int col) const noexcept;
    [[nodiscard]] std::optional<std::string> opt_text(int col) const;

private:
    std::unique_ptr<sqlite3_stmt, StmtDeleter> m_stmt;
};

/// An open SQLite connection. Movable, not copyable; not thread-safe.
class Database {
public:
    enum class Mode { read_only, read_write_create };

    /// Opens `path` (":memory:" allowed); a file on a read-only file system opens read-only
    /// and immutable. Throws StorageError with the path and SQLite's reason.
    ///
    /// Every method that runs SQL throws, by cause: StorageFull (a full disk), Unavailable
    /// (locked by another writer, read-only), StorageError (corrupt, not a database, I/O),
    /// Conflict (a unique key taken); the first three name the file and quote no SQL.
    Database(const std::string& path, Mode mode);

    /// Runs one or more SQL statements without results. Throws StorageError.
    void exec(const std::string& sql);
    /// Prepares one statement. Throws StorageError with the SQL's first characters.
    Statement prepare(std::string_view sql);
    [[nodiscard]] std::int64_t last_insert_rowid() const noexcept;
    [[nodiscard]] int changes() const noexcept;
    [[nodiscard]] sqlite3* handle() const noexcept { return m_db.get(); }
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }

private:
    std::unique_ptr<sqlite3, SqliteDeleter> m_db;
    std::string m_path;
};

/// Runs `exec("BEGIN")` on construction and ROLLBACK on destruction unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& db, const char* begin = "BEGIN");
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

/// For many threads each with its own connection: turns off SQLite's global memory
/// statistics (a process-wide mutex taken on every allocation). Call before any connection
/// opens; later calls do nothing.
void configure_sqlite_for_threads() noexcept;

} // namespace incidentmap::sqlite
