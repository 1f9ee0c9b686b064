#include "connection.hpp"

#include "incidentmap/error.hpp"

#include <cstdio>
#include <variant>

namespace incidentmap::incidents::postgis {

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

void copy_field(std::string& out, std::string_view v) {
    for (char c : v) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out.push_back(c);
        }
    }
}

Params params_of(const std::vector<detail::SqlValue>& values) {
    Params p;
    p.reserve(values.size());
    for (const auto& v : values) {
        if (const auto* d = std::get_if<double>(&v)) {
            p.emplace_back(num(*d));
        } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
            p.emplace_back(std::to_string(*i));
        } else {
            p.emplace_back(std::get<std::string>(v));
        }
    }
    return p;
}

namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

std::vector<const char*> values_of(const Params& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p ? p->c_str() : nullptr);
    }
    return values;
}

// Scans read their cursors to the end (counts, exports): plan for all rows, not for the first
// few (which would walk the date index and filter everything).
void set_session(PGconn* conn) {
    Result(PQexec(conn, "SET cursor_tuple_fraction = 1.0"));
}

} // namespace

Connection::Connection(std::string uri) : m_uri(std::move(uri)) {
    connect();
}

Connection::Transaction::Transaction(Connection& c, const char* begin) : m_c(c) {
    if (!m_c.m_in_tx) {
        m_c.exec(begin);
        m_c.m_in_tx = true;
        m_owner = true;
    }
}

void Connection::Transaction::commit() {
    if (m_owner) {
        if (m_c.before_commit) {
            m_c.before_commit();
        }
        m_c.m_in_tx = false;
        m_owner = false;
        m_c.exec("COMMIT");
    }
}

Connection::Transaction::~Transaction() {
    if (m_owner) {
        m_c.m_in_tx = false;
        if (m_c.m_conn && PQstatus(m_c.m_conn.get()) == CONNECTION_OK) {
            Result(PQexec(m_c.m_conn.get(), "ROLLBACK"));
        }
        if (m_c.after_rollback) {
            m_c.after_rollback();
        }
    }
}

void Connection::connect() {
    m_conn.reset(PQconnectdb(m_uri.c_str()));
    if (PQstatus(m_conn.get()) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(m_conn.get());
        m_conn.reset();
        throw Unavailable("cannot connect to PostgreSQL: " + trim(msg));
    }
    PQsetNoticeProcessor(
        m_conn.get(), [](void*, const char*) {}, nullptr);
    m_prepared.clear();
    set_session(m_conn.get());
}

// Reconnects when the server went away and came back (outside a transaction only: a
// transaction cut in the middle is lost and its request fails).
void Connection::ensure_connected() {
    if (m_conn && PQstatus(m_conn.get()) == CONNECTION_OK) {
        return;
    }
    if (m_in_tx) {
        throw Unavailable("the database connection was lost during a transaction");
    }
    if (m_conn) {
        PQreset(m_conn.get());
        if (PQstatus(m_conn.get()) == CONNECTION_OK) {
            m_prepared.clear();
            set_session(m_conn.get());
            return;
        }
    }
    connect();
}

Result Connection::check(PGresult* raw, const std::string& sql) {
    Result r(raw);
    auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) {
        return r;
    }
    if (PQstatus(m_conn.get()) != CONNECTION_OK) {
        throw Unavailable("the database connection was lost: " +
                          trim(PQerrorMessage(m_conn.get())));
    }
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = trim(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(m_conn.get()));
    std::string code = state ? state : "";
    if (code == "23505") {
        // The SQL and the server's wording stay out of the message: a client learns which
        // value collided, not how the table is built.
        const char* detail = r ? PQresultErrorField(r.get(), PG_DIAG_MESSAGE_DETAIL) : nullptr;
        throw Conflict(std::string("a duplicate of a stored row") +
                       (detail ? std::string(": ") + trim(detail) : std::string()));
    }
    if (code.rfind("22", 0) == 0 || code.rfind("23", 0) == 0) {
        throw InvalidInput(msg);
    }
    // 53100 disk_full, 53400 configuration_limit_exceeded (temp_file_limit): no room to write.
    if (code == "53100" || code == "53400") {
        throw StorageFull("the PostgreSQL server has no room to write: " + msg);
    }
    // 40P01 deadlock, 55P03 lock_not_available, 25006 read_only_sql_transaction (a standby).
    if (code == "40P01" || code == "55P03" || code == "25006") {
        throw Unavailable("the database cannot take the write now: " + msg);
    }
    if (code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03") {
        throw Unavailable("the database is unavailable: " + msg);
    }
    throw StorageError("PostgreSQL: " + msg + " (in: " + sql.substr(0, 60) + ")");
}

// A connection found dead outside a transaction (the server restarted since it was last used)
// is reset and the statement tried once more.
template <class Send> Result Connection::run(const std::string& sql, Send send) {
    ensure_connected();
    PGresult* raw = send();
    if (PQstatus(m_conn.get()) != CONNECTION_OK && !m_in_tx) {
        PQclear(raw);
        m_prepared.clear();
        ensure_connected();
        raw = send();
    }
    return check(raw, sql);
}

Result Connection::exec(const std::string& sql, const Params& params) {
    if (params.empty()) {
        // The simple protocol: several statements at once (migrations), no parameters.
        return run(sql, [&] { return PQexec(m_conn.get(), sql.c_str()); });
    }
    const auto values = values_of(params);
    return run(sql, [&] {
        return PQexecParams(m_conn.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0);
    });
}

Result Connection::exec_prepared(const std::string& name, const std::string& sql,
                                 const Params& params) {
    const auto values = values_of(params);
    return run(sql, [&]() -> PGresult* {
        if (!m_prepared.count(name)) {
            Result prep(PQprepare(m_conn.get(), name.c_str(), sql.c_str(), 0, nullptr));
            if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK) {
                return prep.release(); // the error is reported by check()
            }
            m_prepared.insert(name);
        }
        return PQexecPrepared(m_conn.get(), name.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0);
    });
}

void Connection::copy(const std::string& sql, const std::string& data) {
    exec(sql); // enters COPY IN state
    if (PQputCopyData(m_conn.get(), data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(m_conn.get(), nullptr) != 1) {
        throw StorageError("COPY failed: " + trim(PQerrorMessage(m_conn.get())));
    }
    while (PGresult* r = PQgetResult(m_conn.get())) {
        check(r, sql);
    }
}

CursorRows::CursorRows(Connection& c, std::string name, const detail::SqlBuilder& sql, int batch)
    : m_c(&c), m_name(std::move(name)),
      m_fetch("FETCH " + std::to_string(batch) + " FROM " + m_name) {
    c.exec("DECLARE " + m_name + " NO SCROLL CURSOR FOR " + sql.text, params_of(sql.values));
}

CursorRows::CursorRows(CursorRows&& other) noexcept
    : m_c(other.m_c), m_name(std::move(other.m_name)), m_fetch(std::move(other.m_fetch)),
      m_batch(std::move(other.m_batch)), m_row(other.m_row) {
    other.m_c = nullptr;
}

CursorRows::~CursorRows() {
    if (!m_c) {
        return;
    }
    try {
        m_c->exec("CLOSE " + m_name);
    } catch (...) {
        // The transaction is failing or the connection is gone: the cursor goes with them.
    }
}

bool CursorRows::next() {
    if (m_batch && ++m_row < PQntuples(m_batch.get())) {
        return true;
    }
    m_batch = m_c->exec(m_fetch);
    m_row = 0;
    return PQntuples(m_batch.get()) > 0;
}

} // namespace incidentmap::incidents::postgis
