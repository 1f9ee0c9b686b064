#include "incidentmap/sqlite/sqlite.hpp"
#include "incidentmap/error.hpp"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace incidentmap::sqlite {

void SqliteDeleter::operator()(sqlite3* db) const noexcept {
    sqlite3_close_v2(db);
}
void StmtDeleter::operator()(sqlite3_stmt* stmt) const noexcept {
    sqlite3_finalize(stmt);
}

namespace {

// The file a connection has open, quoted, for messages.
std::string quoted_file(sqlite3* db) {
    const char* f = db ? sqlite3_db_filename(db, "main") : nullptr;
    return f && *f ? "'" + std::string(f) + "'" : std::string("the in-memory database");
}

// What the environment does to a file (a full disk, another writer's lock, a read-only or
// damaged file) is told by file and cause, without the SQL: the statement is not what the
// user must fix, and a client must not learn it.
void throw_if_environment(int code, int sys, const std::string& file, const std::string& reason) {
    const std::string cause = " (" + reason + ")";
    // The system's errno only where SQLite's own reason is an I/O call's: elsewhere it may be
    // left from an earlier call that failed as expected (a probe for a hot journal).
    const std::string io_cause =
        " (" + reason + (sys != 0 ? ": " + std::string(std::strerror(sys)) : "") + ")";
    switch (code & 0xff) {
    case SQLITE_FULL:
        throw StorageFull(file + ": disk full" + cause + "; free space on its disk and retry");
    case SQLITE_IOERR:
        if (sys == ENOSPC || sys == EFBIG || sys == EDQUOT) {
            throw StorageFull(file + ": disk full" + io_cause +
                              "; free space on its disk and retry");
        }
        if (sys == EROFS) {
            throw Unavailable(file + " is read-only" + io_cause +
                              "; writes fail until it is writable");
        }
        throw StorageError(file + ": I/O error" + io_cause);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw Unavailable(file + " is locked by another writer" + cause + "; retry later");
    case SQLITE_READONLY:
        throw Unavailable(file + " is read-only" + cause + "; writes fail until it is writable");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        throw StorageError(file + " is not a database or is corrupt" + cause);
    case SQLITE_CANTOPEN:
        throw StorageError("cannot open " + file + io_cause);
    default:
        break;
    }
}

[[noreturn]] void fail(sqlite3* db, const std::string& what, const std::string& file) {
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    const std::string reason = db ? sqlite3_errmsg(db) : "unknown error";
    throw_if_environment(code, db ? sqlite3_system_errno(db) : 0, file, reason);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        // Without the statement's text: a client learns which column collided (SQLite's
        // message names it), not the SQL.
        throw Conflict("a duplicate of a stored row (" + reason + ")");
    }
    throw StorageError(what + ": " + reason);
}

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    fail(db, what, quoted_file(db));
}

// A file on a read-only file system cannot change: it opens as immutable, without the WAL
// index a WAL-mode file otherwise needs beside it (which could not be created there), so that
// its reads are served; writes fail as read-only.
bool on_read_only_file_system(const std::string& path) {
    struct statvfs fs {};
    return path != ":memory:" && std::filesystem::exists(path) &&
           ::statvfs(path.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0;
}

std::string immutable_uri(const std::string& path) {
    std::string uri = "file:";
    for (const char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            constexpr const char* hex = "0123456789ABCDEF";
            uri += '%';
            uri += hex[static_cast<unsigned char>(c) >> 4];
            uri += hex[static_cast<unsigned char>(c) & 15];
        } else {
            uri += c;
        }
    }
    return uri + "?immutable=1";
}

} // namespace

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt.get(), index, value);
    return *this;
}
Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(m_stmt.get(), index, value);
    return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
    sqlite3_bind_text64(m_stmt.get(), index, value.data(), value.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
    return *this;
}
Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    sqlite3_bind_blob64(m_stmt.get(), index, data, size, SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(m_stmt.get(), index);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    sqlite3* db = sqlite3_db_handle(m_stmt.get());
    std::string sql = sqlite3_sql(m_stmt.get()) ? sqlite3_sql(m_stmt.get()) : "";
    sqlite3_reset(m_stmt.get());
    fail(db, "SQL step failed (" + sql.substr(0, 60) + ")");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() noexcept {
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

std::int64_t Statement::int64(int col) const noexcept {
    return sqlite3_column_int64(m_stmt.get(), col);
}
double Statement::real(int col) const noexcept {
    return sqlite3_column_double(m_stmt.get(), col);
}
std::string_view Statement::text(int col) const noexcept {
    const auto* p = sqlite3_column_text(m_stmt.get(), col);
    if (p == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(p),
            static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), col))};
}
bool Statement::is_null(int col) const noexcept {
    return sqlite3_column_type(m_stmt.get(), col) == SQLITE_NULL;
}
std::optional<std::int64_t> Statement::opt_int64(int col) const noexcept {
    if (is_null(col)) {
        return std::nullopt;
    }
    return int64(col);
}
std::optional<std::string> Statement::opt_text(int col) const {
    if (is_null(col)) {
        return std::nullopt;
    }
    return std::string(text(col));
}

Database::Database(const std::string& path, Mode mode) : m_path(path) {
    sqlite3* raw = nullptr;
    int flags = mode == Mode::read_only ? SQLITE_OPEN_READONLY
                                        : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    std::string name = path;
    if (on_read_only_file_system(path)) {
        name = immutable_uri(path);
        flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
    }
    flags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
    m_db.reset(raw);
    if (rc != SQLITE_OK) {
        fail(raw, "cannot open database '" + path + "'", "'" + path + "'");
    }
    sqlite3_busy_timeout(raw, 5000);
    sqlite3_extended_result_codes(raw, 1);
}

void Database::exec(const std::string& sql) {
    // Without an error string: fail() reads the same text from sqlite3_errmsg.
    const int rc = sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        fail(m_db.get(), "SQL failed (" + sql.substr(0, 60) + ")");
    }
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc =
        sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        fail(m_db.get(), "cannot prepare SQL (" + std::string(sql.substr(0, 60)) + ")");
    }
    return Statement(stmt);
}

std::int64_t Database::last_insert_rowid() const noexcept {
    return sqlite3_last_insert_rowid(m_db.get());
}
int Database::changes() const noexcept {
    return sqlite3_changes(m_db.get());
}

Transaction::Transaction(Database& db, const char* begin) : m_db(db) {
    m_db.exec(begin);
}
Transaction::~Transaction() {
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) { // NOLINT(bugprone-empty-catch): nothing sane to do in a destructor
        }
    }
}
void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

void configure_sqlite_for_threads() noexcept {
    // SQLITE_MISUSE once SQLite is initialised: then the statistics simply stay on.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

namespace {
// Before main(): GDAL's drivers and SpatiaLite may initialise SQLite before our first
// connection, after which the setting cannot change.
[[maybe_unused]] const bool g_sqlite_configured = (configure_sqlite_for_threads(), true);
} // namespace

} // namespace incidentmap::sqlite
