#pragma once

// One libpq connection of the PostGIS backend: statements with text parameters, prepared
// statements by name, COPY, transactions that nest, server-side cursors, and the mapping of
// PostgreSQL's errors onto incidentmap's (a duplicate key is a Conflict, a lost server is
// Unavailable).

#include "../sql/select.hpp"

#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::incidents::postgis {

struct ResultClearer {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

/// A parameter as libpq takes it: text, or SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

/// A number as text that reads back as the same double.
std::string num(double v);

/// Appends `v` to COPY text format, its separators escaped.
void copy_field(std::string& out, std::string_view v);

/// The parameters of shared SQL.
Params params_of(const std::vector<detail::SqlValue>& values);

/// A row of a result, read as detail::fields_in_row and the evidence readers read a row.
class PgRow {
public:
    PgRow(const PGresult* r, int row) noexcept : m_r(r), m_row(row) {}
    [[nodiscard]] std::string_view text(int c) const noexcept {
        return {PQgetvalue(m_r, m_row, c), static_cast<std::size_t>(PQgetlength(m_r, m_row, c))};
    }
    [[nodiscard]] std::int64_t int64(int c) const noexcept {
        return std::atoll(PQgetvalue(m_r, m_row, c));
    }
    [[nodiscard]] double real(int c) const noexcept {
        return std::strtod(PQgetvalue(m_r, m_row, c), nullptr);
    }
    [[nodiscard]] bool is_null(int c) const noexcept { return PQgetisnull(m_r, m_row, c) != 0; }

private:
    const PGresult* m_r;
    int m_row;
};

class Connection {
public:
    explicit Connection(std::string uri);

    /// A transaction that rolls back unless committed; nested uses join the outer one.
    class Transaction {
    public:
        explicit Transaction(Connection& c, const char* begin = "BEGIN");
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        ~Transaction();
        void commit();

    private:
        Connection& m_c;
        bool m_owner = false;
    };

    /// Runs a statement (several, without parameters: migrations).
    Result exec(const std::string& sql, const Params& params = {});
    /// Runs a statement prepared once per connection under `name`.
    Result exec_prepared(const std::string& name, const std::string& sql, const Params& params);
    /// Runs `sql`, a COPY … FROM STDIN, with `data` in COPY text format.
    void copy(const std::string& sql, const std::string& data);

    [[nodiscard]] const std::string& uri() const noexcept { return m_uri; }

    /// Runs in the outermost transaction just before it commits (its writes join it; when it
    /// throws, the transaction rolls back).
    std::function<void()> before_commit;
    /// Runs when the outermost transaction rolls back.
    std::function<void()> after_rollback;

private:
    void connect();
    void ensure_connected();
    Result check(PGresult* raw, const std::string& sql);
    template <class Send> Result run(const std::string& sql, Send send);

    struct Closer {
        void operator()(PGconn* c) const noexcept { PQfinish(c); }
    };
    std::string m_uri;
    std::unique_ptr<PGconn, Closer> m_conn;
    std::set<std::string> m_prepared;
    bool m_in_tx = false;
};

/// The rows of a query read through a server-side cursor in batches, as the shared evidence
/// readers step through rows. Inside a transaction; the cursor is closed at the end.
class CursorRows {
public:
    /// Declares cursor `name` for `sql`, fetched `batch` rows at a time.
    CursorRows(Connection& c, std::string name, const detail::SqlBuilder& sql, int batch);
    CursorRows(CursorRows&& other) noexcept;
    CursorRows(const CursorRows&) = delete;
    CursorRows& operator=(const CursorRows&) = delete;
    CursorRows& operator=(CursorRows&&) = delete;
    ~CursorRows();

    bool next();
    [[nodiscard]] PgRow row() const noexcept { return {m_batch.get(), m_row}; }
    [[nodiscard]] std::int64_t int64(int c) const noexcept { return row().int64(c); }
    [[nodiscard]] std::string_view text(int c) const noexcept { return row().text(c); }

private:
    Connection* m_c; ///< null once moved from
    std::string m_name;
    std::string m_fetch;
    Result m_batch;
    int m_row = -1;
};

} // namespace incidentmap::incidents::postgis
