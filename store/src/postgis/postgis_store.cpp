// The PostGIS backend of IncidentStore: libpq, a geometry column with a GiST index, a B-tree on
// time, full text in a tsvector, prepared statements, COPY for bulk loads, server-side cursors
// for long scans. Exact geodesic and polygon tests run in C++ after the index prefilter, as in
// the SpatiaLite backend, so both give the same answers.

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geodesic.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/store/store.hpp"

#include "incident_columns.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

namespace incidentmap::incidents {

namespace {

struct ConnCloser {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultClearer {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

// Parameters travel as text; nullopt is SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string now_iso() {
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// COPY text format: backslash escapes for the separators.
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

const std::vector<std::string>& migrations() {
    static const std::vector<std::string> m = {
        // 1: articles, incidents (a generated point geometry, a generated tsvector), evidence.
        R"(
        CREATE TABLE articles(
            id bigserial PRIMARY KEY,
            text text NOT NULL,
            source text NOT NULL DEFAULT '',
            url text NOT NULL DEFAULT '',
            title text NOT NULL DEFAULT '',
            published text NOT NULL DEFAULT '',
            text_hash text NOT NULL UNIQUE,
            created text NOT NULL);
        CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url <> '';
        CREATE TABLE incidents(
            id bigserial PRIMARY KEY,
            source_id text NOT NULL DEFAULT '',
            event_date date NOT NULL,
            event_time text,
            time_precision integer NOT NULL DEFAULT 1,
            event_type text NOT NULL,
            sub_event_type text NOT NULL DEFAULT '',
            actor1 text NOT NULL DEFAULT '',
            actor2 text NOT NULL DEFAULT '',
            country text NOT NULL DEFAULT '',
            admin1 text NOT NULL DEFAULT '',
            admin2 text NOT NULL DEFAULT '',
            location text NOT NULL DEFAULT '',
            geonameid bigint,
            lon double precision NOT NULL,
            lat double precision NOT NULL,
            geo_precision integer NOT NULL DEFAULT 1,
            fatalities integer NOT NULL DEFAULT 0,
            injured integer NOT NULL DEFAULT 0,
            source text NOT NULL DEFAULT '',
            source_url text NOT NULL DEFAULT '',
            notes text NOT NULL DEFAULT '',
            confidence double precision NOT NULL DEFAULT 0.5,
            created text NOT NULL,
            updated text NOT NULL,
            evidence_text text NOT NULL DEFAULT '',
            geom geometry(Point, 4326) GENERATED ALWAYS AS
                (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
            fts tsvector GENERATED ALWAYS AS (to_tsvector('simple',
                location || ' ' || notes || ' ' || evidence_text || ' ' || actor1 || ' ' ||
                actor2)) STORED);
        CREATE INDEX incidents_geom ON incidents USING gist(geom);
        CREATE INDEX incidents_date ON incidents(event_date, id);
        CREATE INDEX incidents_type ON incidents(event_type, event_date);
        CREATE INDEX incidents_place ON incidents(geonameid, event_date);
        CREATE UNIQUE INDEX incidents_source_id ON incidents(source_id) WHERE source_id <> '';
        CREATE INDEX incidents_fts ON incidents USING gin(fts);
        CREATE TABLE evidence(
            id bigserial PRIMARY KEY,
            incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            article_id bigint REFERENCES articles(id) ON DELETE SET NULL,
            start bigint NOT NULL,
            "end" bigint NOT NULL,
            text text NOT NULL);
        CREATE INDEX evidence_incident ON evidence(incident_id, id);
        )",
        // 2: articles are told apart by the SHA-256 of their text (it was a 128-bit FNV-1a
        // digest, under which two texts could have passed for one).
        R"(
        UPDATE articles SET text_hash = encode(sha256(convert_to(text, 'UTF8')), 'hex');
        )",
    };
    return m;
}

// A field's parameter, as libpq passes it: text, or NULL.
Param field_param(const std::string& v) {
    return v;
}
Param field_param(const std::optional<std::string>& v) {
    return v;
}
Param field_param(int v) {
    return std::to_string(v);
}
Param field_param(std::int64_t v) {
    return std::to_string(v);
}
Param field_param(const std::optional<std::int64_t>& v) {
    return v ? Param(std::to_string(*v)) : std::nullopt;
}
Param field_param(double v) {
    return num(v);
}

// A field's placeholder: $n, with the cast of a date (the column is a date, the value text).
std::string placeholder(const FieldInfo& f, int n) {
    return "$" + std::to_string(n) + (f.type == FieldType::date ? "::date" : "");
}

std::string column_name(const FieldInfo& f, int /*n*/) {
    return std::string(f.name);
}

// The columns of every field, in the table's order (what detail::fields_in_row reads): dates
// as the text YYYY-MM-DD.
const std::string& incident_columns() {
    static const std::string columns =
        detail::join_fields(detail::every_field, [](const FieldInfo& f, int) {
            return f.type == FieldType::date ? "to_char(" + std::string(f.name) + ", 'YYYY-MM-DD')"
                                             : std::string(f.name);
        });
    return columns;
}

std::string evidence_text(const Incident& i) {
    std::string all;
    for (const auto& e : i.evidence) {
        all += e.text;
        all.push_back('\n');
    }
    return all;
}

// The parameters of the fields `keep` selects, in the table's order, and then the evidence's
// text (a column of its own, for the full-text index).
template <typename Keep> Params write_params(const Incident& i, Keep keep) {
    Params p;
    p.reserve(field_count + 2);
    for_each_field([&]<Field F>() {
        if (keep(info(F))) {
            p.push_back(field_param(member<F>(i)));
        }
    });
    p.push_back(evidence_text(i));
    return p;
}

// The current row of a result, read as detail::fields_in_row reads a row.
class PgRow {
public:
    PgRow(PGresult* r, int row) noexcept : m_r(r), m_row(row) {}
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
    PGresult* m_r;
    int m_row;
};

class PostgisStore final : public IncidentStore {
public:
    explicit PostgisStore(std::string uri) : m_uri(std::move(uri)) {
        connect();
        migrate();
    }

    std::string backend() const override { return "postgis"; }

    std::unique_ptr<IncidentStore> reopen() override {
        return std::make_unique<PostgisStore>(m_uri);
    }

    ArticleRef add_article(Article& a) override {
        if (a.text_hash.empty()) {
            a.text_hash = text_sha256(a.text);
        }
        Tx tx(*this);
        exec("SELECT pg_advisory_xact_lock(74320002)");
        auto found = exec("SELECT id FROM articles WHERE text_hash = $1 OR (url <> '' AND url = "
                          "$2) LIMIT 1",
                          {a.text_hash, a.url});
        if (PQntuples(found.get()) > 0) {
            a.id = std::atoll(PQgetvalue(found.get(), 0, 0));
            return {a.id, true};
        }
        a.created = now_iso();
        auto ins = exec("INSERT INTO articles(text, source, url, title, published, text_hash, "
                        "created) VALUES($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                        {a.text, a.source, a.url, a.title, a.published, a.text_hash, a.created});
        a.id = std::atoll(PQgetvalue(ins.get(), 0, 0));
        tx.commit();
        return {a.id, false};
    }

    void in_write_transaction(const std::function<void()>& fn) override {
        Tx tx(*this);
        fn();
        tx.commit();
    }

    std::optional<Article> article(std::int64_t id) override {
        auto r = exec("SELECT id, text, source, url, title, published, text_hash, created FROM "
                      "articles WHERE id = $1",
                      {std::to_string(id)});
        if (PQntuples(r.get()) == 0) {
            return std::nullopt;
        }
        return read_article(r.get(), 0);
    }

    void insert(std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        Tx tx(*this);
        if (incidents.size() >= 64) {
            copy_in(incidents);
        } else {
            for (auto& i : incidents) {
                insert_one(i);
            }
        }
        tx.commit();
    }

    bool upsert(Incident& i) override {
        std::vector<Incident> one{i};
        bool updated = upsert_all(one) > 0;
        i = std::move(one.front());
        return updated;
    }

    std::size_t upsert_all(std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        Tx tx(*this);
        std::size_t updated = 0;
        for (auto& i : incidents) {
            bool found = false;
            if (!i.source_id.empty()) {
                auto r = exec_prepared(
                    "find_source",
                    // The second term lets a generic plan use the partial unique index.
                    "SELECT id FROM incidents WHERE source_id = $1 AND source_id <> ''",
                    {i.source_id});
                if (PQntuples(r.get()) > 0) {
                    i.id = std::atoll(PQgetvalue(r.get(), 0, 0));
                    found = true;
                }
            }
            if (found) {
                write_row(i);
                ++updated;
            } else {
                insert_one(i);
            }
        }
        tx.commit();
        return updated;
    }

    void update(Incident& i) override {
        validate(i);
        Tx tx(*this);
        if (!write_row(i)) {
            throw NotFound("no incident with id " + std::to_string(i.id));
        }
        tx.commit();
    }

    void merge_into(std::int64_t id, const Incident& dup) override {
        Tx tx(*this);
        exec("SELECT id FROM incidents WHERE id = $1 FOR UPDATE", {std::to_string(id)});
        auto cur = get(id);
        if (!cur) {
            throw NotFound("no incident with id " + std::to_string(id));
        }
        Incident merged = detail::merged(*cur, dup);
        write_row(merged);
        tx.commit();
    }

    bool remove(std::int64_t id) override {
        Tx tx(*this);
        auto r = exec("DELETE FROM incidents WHERE id = $1", {std::to_string(id)});
        bool removed = std::atoi(PQcmdTuples(r.get())) > 0;
        tx.commit();
        return removed;
    }

    std::optional<Incident> get(std::int64_t id) override {
        auto r = exec_prepared(
            "get", std::string("SELECT ") + incident_columns() + " FROM incidents WHERE id = $1",
            {std::to_string(id)});
        if (PQntuples(r.get()) == 0) {
            return std::nullopt;
        }
        Incident i;
        read_incident(r.get(), 0, i);
        std::vector<Incident> one{std::move(i)};
        load_evidence(one);
        return std::move(one.front());
    }

    std::vector<Incident> find_duplicates(const Incident& like) override {
        auto r = exec(std::string("SELECT ") + incident_columns() +
                          " FROM incidents WHERE event_date = $1::date AND event_type = $2 AND "
                          "sub_event_type = $3 AND ((geonameid IS NOT NULL AND geonameid = $4) OR "
                          "(abs(lon - $5) < 0.01 AND abs(lat - $6) < 0.01))",
                      {like.event_date, like.event_type, like.sub_event_type,
                       std::to_string(like.geonameid.value_or(0)), num(like.point.lon),
                       num(like.point.lat)});
        std::vector<Incident> out(static_cast<std::size_t>(PQntuples(r.get())));
        for (int k = 0; k < PQntuples(r.get()); ++k) {
            read_incident(r.get(), k, out[static_cast<std::size_t>(k)]);
        }
        load_evidence(out);
        return out;
    }

    QueryResult query(const IncidentQuery& q) override {
        validate(q, 100000);
        QueryResult r = detail::page(
            q,
            [this](const IncidentQuery& sub, const std::function<bool(Incident &&)>& fn) {
                scan(sub, fn, false, nullptr);
            },
            [this](const IncidentQuery& sub, const Cursor* keyset,
                   const std::function<bool(Incident &&)>& fn) { scan(sub, fn, true, keyset); });
        load_evidence(r.incidents);
        return r;
    }

    std::size_t for_each(const IncidentQuery& q,
                         const std::function<void(Incident&)>& fn) override {
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        // Incidents in id order, their evidence from a second cursor in the same order.
        Tx tx(*this, "BEGIN READ ONLY");
        const std::int64_t lo =
            q.id_range ? q.id_range->first : std::numeric_limits<std::int64_t>::min();
        const std::int64_t hi =
            q.id_range ? q.id_range->second : std::numeric_limits<std::int64_t>::max();
        exec("DECLARE ev NO SCROLL CURSOR FOR SELECT incident_id, article_id, start, \"end\", "
             "text FROM evidence WHERE incident_id BETWEEN $1 AND $2 ORDER BY incident_id, id",
             {std::to_string(lo), std::to_string(hi)});
        Result ev;
        int ev_row = 0;
        auto ev_next = [&]() -> bool {
            if (ev && ++ev_row < PQntuples(ev.get())) {
                return true;
            }
            ev = exec("FETCH 20000 FROM ev");
            ev_row = 0;
            return PQntuples(ev.get()) > 0;
        };
        ev = exec("FETCH 20000 FROM ev");
        bool have_ev = PQntuples(ev.get()) > 0;
        std::size_t n = 0;
        IncidentQuery ordered = q;
        ordered.sort = IncidentQuery::Sort::id_asc;
        scan(
            ordered,
            [&](Incident&& i) {
                auto ev_id = [&] { return std::atoll(PQgetvalue(ev.get(), ev_row, 0)); };
                while (have_ev && ev_id() < i.id) {
                    have_ev = ev_next();
                }
                std::size_t k = 0;
                while (have_ev && ev_id() == i.id) {
                    if (k == i.evidence.size()) {
                        i.evidence.emplace_back();
                    }
                    auto& e = i.evidence[k++];
                    e.article_id = PQgetisnull(ev.get(), ev_row, 1)
                                       ? 0
                                       : std::atoll(PQgetvalue(ev.get(), ev_row, 1));
                    e.begin = static_cast<std::size_t>(std::atoll(PQgetvalue(ev.get(), ev_row, 2)));
                    e.end = static_cast<std::size_t>(std::atoll(PQgetvalue(ev.get(), ev_row, 3)));
                    e.text.assign(PQgetvalue(ev.get(), ev_row, 4),
                                  static_cast<std::size_t>(PQgetlength(ev.get(), ev_row, 4)));
                    have_ev = ev_next();
                }
                i.evidence.resize(k);
                fn(i);
                ++n;
                return true;
            },
            true, nullptr);
        exec("CLOSE ev");
        tx.commit();
        return n;
    }

    Stats stats(const IncidentQuery& q) override {
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        std::map<std::string, std::size_t> by_type, by_day, by_admin1;
        Stats st;
        scan(
            q,
            [&](Incident&& i) {
                ++by_type[i.event_type];
                ++by_day[i.event_date];
                ++by_admin1[i.admin1.empty() ? i.country : i.country + "." + i.admin1];
                ++st.total;
                return true;
            },
            false, nullptr);
        st.by_type.assign(by_type.begin(), by_type.end());
        st.by_day.assign(by_day.begin(), by_day.end());
        st.by_admin1.assign(by_admin1.begin(), by_admin1.end());
        return st;
    }

    std::tuple<geo::BBox, std::string, std::string> extent() override {
        auto r = exec("SELECT min(lon), min(lat), max(lon), max(lat), "
                      "to_char(min(event_date), 'YYYY-MM-DD'), to_char(max(event_date), "
                      "'YYYY-MM-DD'), count(*) FROM incidents");
        if (std::atoll(PQgetvalue(r.get(), 0, 6)) == 0) {
            return {geo::BBox{-180, -90, 180, 90}, "", ""};
        }
        auto d = [&](int c) { return std::strtod(PQgetvalue(r.get(), 0, c), nullptr); };
        return {geo::BBox{d(0), d(1), d(2), d(3)}, PQgetvalue(r.get(), 0, 4),
                PQgetvalue(r.get(), 0, 5)};
    }

    std::optional<std::pair<std::int64_t, std::int64_t>> id_bounds() override {
        auto r = exec("SELECT min(id), max(id) FROM incidents");
        if (PQgetisnull(r.get(), 0, 0)) {
            return std::nullopt;
        }
        return std::make_pair(std::atoll(PQgetvalue(r.get(), 0, 0)),
                              std::atoll(PQgetvalue(r.get(), 0, 1)));
    }

    StoreCounts counts() override {
        auto r = exec("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM incidents), "
                      "(SELECT count(*) FROM evidence)");
        return {static_cast<std::size_t>(std::atoll(PQgetvalue(r.get(), 0, 0))),
                static_cast<std::size_t>(std::atoll(PQgetvalue(r.get(), 0, 1))),
                static_cast<std::size_t>(std::atoll(PQgetvalue(r.get(), 0, 2)))};
    }

    void for_each_article(const std::function<void(Article&)>& fn) override {
        Tx tx(*this, "BEGIN READ ONLY");
        exec("DECLARE arts NO SCROLL CURSOR FOR SELECT id, text, source, url, title, published, "
             "text_hash, created FROM articles ORDER BY id");
        for (;;) {
            auto r = exec("FETCH 2000 FROM arts");
            if (PQntuples(r.get()) == 0) {
                break;
            }
            for (int k = 0; k < PQntuples(r.get()); ++k) {
                Article a = read_article(r.get(), k);
                fn(a);
            }
        }
        exec("CLOSE arts");
        tx.commit();
    }

    void restore(std::vector<Article>& articles, std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        Tx tx(*this);
        if (!articles.empty()) {
            std::string data;
            for (const auto& a : articles) {
                data += std::to_string(a.id);
                for (const std::string* f : {&a.text, &a.source, &a.url, &a.title, &a.published,
                                             &a.text_hash, &a.created}) {
                    data.push_back('\t');
                    copy_field(data, *f);
                }
                data.push_back('\n');
            }
            copy("COPY articles(id, text, source, url, title, published, text_hash, created) FROM "
                 "STDIN",
                 data);
        }
        copy_in(incidents, true);
        exec("SELECT setval(pg_get_serial_sequence('articles', 'id'), "
             "greatest((SELECT max(id) FROM articles), 1))");
        exec("SELECT setval(pg_get_serial_sequence('incidents', 'id'), "
             "greatest((SELECT max(id) FROM incidents), 1))");
        tx.commit();
    }

private:
    // A transaction that rolls back unless committed; nested uses join the outer one.
    class Tx {
    public:
        explicit Tx(PostgisStore& s, const char* begin = "BEGIN") : m_s(s) {
            if (!m_s.m_in_tx) {
                m_s.exec(begin);
                m_s.m_in_tx = true;
                m_owner = true;
            }
        }
        Tx(const Tx&) = delete;
        Tx& operator=(const Tx&) = delete;
        void commit() {
            if (m_owner) {
                m_s.m_in_tx = false;
                m_owner = false;
                m_s.exec("COMMIT");
            }
        }
        ~Tx() {
            if (m_owner) {
                m_s.m_in_tx = false;
                if (m_s.m_conn && PQstatus(m_s.m_conn.get()) == CONNECTION_OK) {
                    PQclear(PQexec(m_s.m_conn.get(), "ROLLBACK"));
                }
            }
        }

    private:
        PostgisStore& m_s;
        bool m_owner = false;
    };

    void connect() {
        m_conn.reset(PQconnectdb(m_uri.c_str()));
        if (PQstatus(m_conn.get()) != CONNECTION_OK) {
            std::string msg = PQerrorMessage(m_conn.get());
            m_conn.reset();
            throw Unavailable("cannot connect to PostgreSQL: " + trim(msg));
        }
        PQsetNoticeProcessor(
            m_conn.get(), [](void*, const char*) {}, nullptr);
        m_prepared.clear();
        // Scans read their cursors to the end (counts, exports): plan for all rows, not for
        // the first few (which would walk the date index and filter everything).
        PQclear(PQexec(m_conn.get(), "SET cursor_tuple_fraction = 1.0"));
    }

    // Reconnects when the server went away and came back (outside a transaction only: a
    // transaction cut in the middle is lost and its request fails).
    void ensure_connected() {
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
                PQclear(PQexec(m_conn.get(), "SET cursor_tuple_fraction = 1.0"));
                return;
            }
        }
        connect();
    }

    static std::string trim(std::string s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
            s.pop_back();
        }
        return s;
    }

    Result check(PGresult* raw, const std::string& sql) {
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
            throw InvalidInput("a duplicate: " + msg);
        }
        if (code.rfind("22", 0) == 0 || code.rfind("23", 0) == 0) {
            throw InvalidInput(msg);
        }
        if (code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03") {
            throw Unavailable("the database is unavailable: " + msg);
        }
        throw StorageError("PostgreSQL: " + msg + " (in: " + sql.substr(0, 60) + ")");
    }

    // Runs a statement; a connection found dead outside a transaction (the server restarted
    // since it was last used) is reset and the statement tried once more.
    template <class Send> Result run(const std::string& sql, Send send) {
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

    Result exec(const std::string& sql, const Params& params = {}) {
        if (params.empty()) {
            // The simple protocol: several statements at once (migrations), no parameters.
            return run(sql, [&] { return PQexec(m_conn.get(), sql.c_str()); });
        }
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) {
            values.push_back(p ? p->c_str() : nullptr);
        }
        return run(sql, [&] {
            return PQexecParams(m_conn.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, 0);
        });
    }

    // A statement prepared once per connection, then executed by name.
    Result exec_prepared(const std::string& name, const std::string& sql, const Params& params) {
        std::vector<const char*> values;
        for (const auto& p : params) {
            values.push_back(p ? p->c_str() : nullptr);
        }
        return run(sql, [&]() -> PGresult* {
            if (!m_prepared.count(name)) {
                PGresult* prep = PQprepare(m_conn.get(), name.c_str(), sql.c_str(), 0, nullptr);
                if (PQresultStatus(prep) != PGRES_COMMAND_OK) {
                    return prep; // the error is reported by check()
                }
                PQclear(prep);
                m_prepared.insert(name);
            }
            return PQexecPrepared(m_conn.get(), name.c_str(), static_cast<int>(values.size()),
                                  values.data(), nullptr, nullptr, 0);
        });
    }

    void copy(const std::string& sql, const std::string& data) {
        exec(sql); // enters COPY IN state
        if (PQputCopyData(m_conn.get(), data.data(), static_cast<int>(data.size())) != 1 ||
            PQputCopyEnd(m_conn.get(), nullptr) != 1) {
            throw StorageError("COPY failed: " + trim(PQerrorMessage(m_conn.get())));
        }
        while (PGresult* r = PQgetResult(m_conn.get())) {
            check(r, sql);
        }
    }

    void migrate() {
        Tx tx(*this);
        exec("SELECT pg_advisory_xact_lock(74320001)");
        exec("CREATE EXTENSION IF NOT EXISTS postgis");
        exec("CREATE TABLE IF NOT EXISTS schema_migrations(version integer PRIMARY KEY, applied "
             "text NOT NULL)");
        auto r = exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
        auto current = static_cast<std::size_t>(std::atoll(PQgetvalue(r.get(), 0, 0)));
        const auto& all = migrations();
        if (current > all.size()) {
            throw StorageError("the database has schema version " + std::to_string(current) +
                               ", newer than this incidentmap (" + std::to_string(all.size()) +
                               ")");
        }
        for (std::size_t v = current; v < all.size(); ++v) {
            exec(all[v]);
            exec("INSERT INTO schema_migrations VALUES($1, $2)",
                 {std::to_string(v + 1), now_iso()});
        }
        tx.commit();
    }

    static Article read_article(PGresult* r, int row) {
        Article a;
        a.id = std::atoll(PQgetvalue(r, row, 0));
        a.text = PQgetvalue(r, row, 1);
        a.source = PQgetvalue(r, row, 2);
        a.url = PQgetvalue(r, row, 3);
        a.title = PQgetvalue(r, row, 4);
        a.published = PQgetvalue(r, row, 5);
        a.text_hash = PQgetvalue(r, row, 6);
        a.created = PQgetvalue(r, row, 7);
        return a;
    }

    static void read_incident(PGresult* r, int row, Incident& i) {
        detail::read_incident_into(PgRow(r, row), i);
    }

    void load_evidence(std::vector<Incident>& page) {
        if (page.empty()) {
            return;
        }
        std::string ids = "{";
        std::unordered_map<std::int64_t, Incident*> by_id;
        for (auto& i : page) {
            if (ids.size() > 1) {
                ids.push_back(',');
            }
            ids += std::to_string(i.id);
            by_id.emplace(i.id, &i);
            i.evidence.clear();
        }
        ids.push_back('}');
        auto r = exec_prepared("evidence",
                               "SELECT incident_id, article_id, start, \"end\", text FROM evidence "
                               "WHERE incident_id = ANY($1::bigint[]) ORDER BY incident_id, id",
                               {ids});
        for (int k = 0; k < PQntuples(r.get()); ++k) {
            auto it = by_id.find(std::atoll(PQgetvalue(r.get(), k, 0)));
            if (it == by_id.end()) {
                continue;
            }
            it->second->evidence.push_back(
                {PQgetisnull(r.get(), k, 1) ? 0 : std::atoll(PQgetvalue(r.get(), k, 1)),
                 static_cast<std::size_t>(std::atoll(PQgetvalue(r.get(), k, 2))),
                 static_cast<std::size_t>(std::atoll(PQgetvalue(r.get(), k, 3))),
                 std::string(PQgetvalue(r.get(), k, 4),
                             static_cast<std::size_t>(PQgetlength(r.get(), k, 4)))});
        }
    }

    void insert_one(Incident& i) {
        static const std::string sql =
            "INSERT INTO incidents(" + detail::join_fields(detail::inserted_field, column_name) +
            ", evidence_text) VALUES(" + detail::join_fields(detail::inserted_field, placeholder) +
            ", $" + std::to_string(detail::count_fields(detail::inserted_field) + 1) +
            ") RETURNING id";
        i.created = i.updated = now_iso();
        auto r = exec_prepared("insert", sql, write_params(i, detail::inserted_field));
        i.id = std::atoll(PQgetvalue(r.get(), 0, 0));
        write_evidence(i);
    }

    // Returns false when there is no such incident.
    bool write_row(Incident& i) {
        static const std::string sql =
            "UPDATE incidents SET " +
            detail::join_fields(detail::updated_field,
                                [](const FieldInfo& f, int n) {
                                    return std::string(f.name) + "=" + placeholder(f, n);
                                }) +
            ", evidence_text=$" + std::to_string(detail::count_fields(detail::updated_field) + 1) +
            " WHERE id=$" + std::to_string(detail::count_fields(detail::updated_field) + 2) +
            " RETURNING created";
        i.updated = now_iso();
        auto p = write_params(i, detail::updated_field);
        p.push_back(std::to_string(i.id));
        auto r = exec_prepared("update", sql, p);
        if (PQntuples(r.get()) == 0) {
            return false;
        }
        i.created = PQgetvalue(r.get(), 0, 0);
        exec("DELETE FROM evidence WHERE incident_id = $1", {std::to_string(i.id)});
        write_evidence(i);
        return true;
    }

    void write_evidence(const Incident& i) {
        for (const auto& e : i.evidence) {
            exec_prepared("insert_evidence",
                          "INSERT INTO evidence(incident_id, article_id, start, \"end\", text) "
                          "VALUES($1,$2,$3,$4,$5)",
                          {std::to_string(i.id),
                           e.article_id > 0 ? Param(std::to_string(e.article_id)) : std::nullopt,
                           std::to_string(e.begin), std::to_string(e.end), e.text});
        }
    }

    // Bulk load with COPY: ids are reserved from the sequence first (or kept, when restoring).
    void copy_in(std::vector<Incident>& incidents, bool keep_ids = false) {
        if (incidents.empty()) {
            return;
        }
        if (!keep_ids) {
            auto r = exec("SELECT nextval(pg_get_serial_sequence('incidents', 'id')) FROM "
                          "generate_series(1, $1)",
                          {std::to_string(incidents.size())});
            const std::string now = now_iso();
            for (std::size_t k = 0; k < incidents.size(); ++k) {
                incidents[k].id = std::atoll(PQgetvalue(r.get(), static_cast<int>(k), 0));
                incidents[k].created = incidents[k].updated = now;
            }
        }
        std::string rows;
        std::string ev;
        for (const auto& i : incidents) {
            bool first = true;
            for (const auto& p : write_params(i, detail::every_field)) {
                if (!first) {
                    rows.push_back('\t');
                }
                first = false;
                if (p) {
                    copy_field(rows, *p);
                } else {
                    rows += "\\N";
                }
            }
            rows.push_back('\n');
            for (const auto& e : i.evidence) {
                ev += std::to_string(i.id) + "\t" +
                      (e.article_id > 0 ? std::to_string(e.article_id) : std::string("\\N")) +
                      "\t" + std::to_string(e.begin) + "\t" + std::to_string(e.end) + "\t";
                copy_field(ev, e.text);
                ev.push_back('\n');
            }
        }
        copy("COPY incidents(" + detail::join_fields(detail::every_field, column_name) +
                 ", evidence_text) FROM STDIN",
             rows);
        if (!ev.empty()) {
            copy("COPY evidence(incident_id, article_id, start, \"end\", text) FROM STDIN", ev);
        }
    }

    // Streams matching incidents (without evidence) through a server-side cursor; SQL does the
    // indexed prefilters, the exact geodesic and polygon tests follow in C++.
    void scan(const IncidentQuery& q, const std::function<bool(Incident&&)>& fn, bool ordered,
              const Cursor* keyset) {
        std::string sql =
            std::string("SELECT ") + incident_columns() + " FROM incidents WHERE true";
        Params params;
        auto param = [&](std::string v) {
            params.emplace_back(std::move(v));
            return "$" + std::to_string(params.size());
        };
        auto envelope = [&](const geo::BBox& b) {
            std::vector<geo::BBox> parts;
            if (b.crosses_antimeridian()) {
                parts.push_back({b.min_lon, b.min_lat, 180.0, b.max_lat});
                parts.push_back({-180.0, b.min_lat, b.max_lon, b.max_lat});
            } else {
                parts.push_back(b);
            }
            sql += " AND (";
            for (std::size_t k = 0; k < parts.size(); ++k) {
                const auto& p = parts[k];
                sql += std::string(k ? " OR " : "") + "geom && ST_MakeEnvelope(" +
                       param(num(p.min_lon)) + "," + param(num(p.min_lat)) + "," +
                       param(num(p.max_lon)) + "," + param(num(p.max_lat)) + ", 4326)";
            }
            sql += ")";
        };
        if (q.bbox) {
            envelope(*q.bbox);
            const auto b = *q.bbox;
            sql += " AND lat >= " + param(num(b.min_lat)) + " AND lat <= " + param(num(b.max_lat));
            if (b.crosses_antimeridian()) {
                sql += " AND (lon >= " + param(num(b.min_lon)) +
                       " OR lon <= " + param(num(b.max_lon)) + ")";
            } else {
                sql +=
                    " AND lon >= " + param(num(b.min_lon)) + " AND lon <= " + param(num(b.max_lon));
            }
        }
        if (q.near && q.radius_km) {
            envelope(geo::bbox_around(*q.near, *q.radius_km * 1000.0));
        }
        if (q.within) {
            envelope(geo::bounds(*q.within));
        }
        if (q.id_range) {
            sql += " AND id BETWEEN " + param(std::to_string(q.id_range->first)) + " AND " +
                   param(std::to_string(q.id_range->second));
        }
        if (q.since) {
            sql += " AND event_date >= " + param(*q.since) + "::date";
        }
        if (q.until) {
            sql += " AND event_date <= " + param(*q.until) + "::date";
        }
        auto in_list = [&](const char* column, const std::vector<std::string>& values) {
            if (values.empty()) {
                return;
            }
            sql += std::string(" AND ") + column + " IN (";
            for (std::size_t k = 0; k < values.size(); ++k) {
                sql += (k ? "," : "") + param(values[k]);
            }
            sql += ")";
        };
        in_list("event_type", q.types);
        in_list("sub_event_type", q.sub_types);
        if (q.min_fatalities) {
            sql += " AND fatalities >= " + param(std::to_string(*q.min_fatalities));
        }
        if (!q.country.empty()) {
            sql += " AND country = " + param(q.country);
        }
        if (!q.admin1.empty()) {
            sql += " AND admin1 = " + param(q.admin1);
        }
        if (q.text) {
            auto words = detail::query_words(*q.text);
            if (words.empty()) {
                throw InvalidInput("the text query q has no searchable words");
            }
            std::string joined;
            for (const auto& w : words) {
                joined += (joined.empty() ? "" : " ") + w;
            }
            sql += " AND fts @@ plainto_tsquery('simple', " + param(joined) + ")";
        }
        if (keyset) {
            if (keyset->sort == IncidentQuery::Sort::id_asc) {
                sql += " AND id > " + param(std::to_string(keyset->id));
            } else {
                const bool asc = keyset->sort == IncidentQuery::Sort::event_date_asc;
                const auto d = param(keyset->event_date);
                sql += std::string(" AND (event_date ") + (asc ? ">" : "<") + " " + d +
                       "::date OR (event_date = " + d + "::date AND id " + (asc ? ">" : "<") + " " +
                       param(std::to_string(keyset->id)) + "))";
            }
        }
        if (ordered) {
            switch (q.sort) {
            case IncidentQuery::Sort::event_date_asc:
                sql += " ORDER BY event_date ASC, id ASC";
                break;
            case IncidentQuery::Sort::id_asc:
                sql += " ORDER BY id ASC";
                break;
            default:
                sql += " ORDER BY event_date DESC, id DESC";
                break;
            }
        }
        const bool post_filter = (q.near && q.radius_km) || q.within || q.predicate;
        Tx tx(*this, "BEGIN READ ONLY");
        const std::string name = "scan" + std::to_string(++m_cursors);
        exec("DECLARE " + name + " NO SCROLL CURSOR FOR " + sql, params);
        Incident row;
        bool go = true;
        while (go) {
            auto r = exec("FETCH 5000 FROM " + name);
            const int n = PQntuples(r.get());
            if (n == 0) {
                break;
            }
            for (int k = 0; k < n && go; ++k) {
                read_incident(r.get(), k, row);
                if (post_filter && !matches(q, row)) {
                    continue;
                }
                go = fn(std::move(row));
            }
        }
        exec("CLOSE " + name);
        tx.commit();
    }

    std::string m_uri;
    std::unique_ptr<PGconn, ConnCloser> m_conn;
    std::set<std::string> m_prepared;
    bool m_in_tx = false;
    std::size_t m_cursors = 0;
};

} // namespace

std::unique_ptr<IncidentStore> open_postgis_store(const std::string& uri) {
    return std::make_unique<PostgisStore>(uri);
}

} // namespace incidentmap::incidents
