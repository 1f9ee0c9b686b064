// The SpatiaLite backend of IncidentStore: one file, WAL, R*Tree spatial index, FTS5.

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geodesic.hpp"
#include "incidentmap/sqlite/sqlite.hpp"
#include "incidentmap/store/store.hpp"

#include "incidentmap/incidents/feature.hpp"
#include "incidentmap/incidents/fields.hpp"

#include "incident_columns.hpp"

#include <sqlite3.h>
// spatialite.h needs sqlite3.h first
#include <spatialite.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace incidentmap::incidents {

namespace {

using incidentmap::sqlite::Database;
using incidentmap::sqlite::Statement;
using incidentmap::sqlite::Transaction;

struct SpatialiteCacheDeleter {
    void operator()(void* cache) const noexcept { spatialite_cleanup_ex(cache); }
};

// Migrations, applied in order at open; each runs in its own transaction.
const std::vector<std::string>& migrations() {
    static const std::vector<std::string> m = {
        // 1: articles, incidents with a point geometry and its R*Tree, evidence, full text.
        R"(
        CREATE TABLE articles(
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL DEFAULT '',
            text_hash TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL);
        CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url <> '';
        CREATE TABLE incidents(
            id INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL DEFAULT '',
            event_date TEXT NOT NULL,
            event_time TEXT,
            time_precision INTEGER NOT NULL DEFAULT 1,
            event_type TEXT NOT NULL,
            sub_event_type TEXT NOT NULL DEFAULT '',
            actor1 TEXT NOT NULL DEFAULT '',
            actor2 TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            admin1 TEXT NOT NULL DEFAULT '',
            admin2 TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            geonameid INTEGER,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            geo_precision INTEGER NOT NULL DEFAULT 1,
            fatalities INTEGER NOT NULL DEFAULT 0,
            injured INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT '',
            source_url TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            confidence REAL NOT NULL DEFAULT 0.5,
            created TEXT NOT NULL,
            updated TEXT NOT NULL);
        SELECT AddGeometryColumn('incidents', 'geom', 4326, 'POINT', 'XY');
        SELECT CreateSpatialIndex('incidents', 'geom');
        CREATE INDEX incidents_date ON incidents(event_date, id);
        CREATE INDEX incidents_type ON incidents(event_type, event_date);
        CREATE INDEX incidents_place ON incidents(geonameid, event_date);
        CREATE UNIQUE INDEX incidents_source_id ON incidents(source_id) WHERE source_id <> '';
        CREATE TABLE evidence(
            incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL);
        CREATE INDEX evidence_incident ON evidence(incident_id);
        CREATE VIRTUAL TABLE incidents_fts USING fts5(location, notes, evidence, actors);
        )",
        // 2: the store's version, advanced by every committed write (see version()).
        R"(
        CREATE TABLE store_version(version INTEGER NOT NULL);
        INSERT INTO store_version VALUES(0);
        )",
        // 3: articles are told apart by the SHA-256 of their text (it was a 128-bit FNV-1a
        // digest, under which two texts could have passed for one); the function is the
        // connection's own (register_sha256).
        R"(
        UPDATE articles SET text_hash = incidentmap_sha256(text);
        )",
    };
    return m;
}

// incidentmap_sha256(text): text_sha256 as an SQL function of this connection, for the
// migration that rehashes the articles.
void register_sha256(sqlite3* db) {
    auto fn = [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
        const auto n = static_cast<std::size_t>(sqlite3_value_bytes(argv[0]));
        const auto hex = text_sha256(std::string_view(p == nullptr ? "" : p, n));
        sqlite3_result_text(ctx, hex.c_str(), static_cast<int>(hex.size()), SQLITE_TRANSIENT);
    };
    if (sqlite3_create_function_v2(db, "incidentmap_sha256", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   nullptr, fn, nullptr, nullptr, nullptr) != SQLITE_OK) {
        throw StorageError(std::string("cannot register incidentmap_sha256: ") +
                           sqlite3_errmsg(db));
    }
}

// The time of a write, as the store records created and updated.
constexpr std::string_view sql_now = "strftime('%Y-%m-%dT%H:%M:%SZ','now')";

// The columns of every field, in the table's order: what detail::fields_in_row reads.
const std::string& incident_columns() {
    static const std::string columns = detail::join_fields(
        detail::every_field, [](const FieldInfo& f, int) { return std::string(f.name); });
    return columns;
}

// Binds the fields `keep` selects, in the table's order, from parameter `n` on; returns the
// next parameter's number.
template <typename Keep> int bind_fields(Statement& s, const Incident& i, Keep keep, int n) {
    for_each_field([&]<Field F>() {
        if (keep(info(F))) {
            s.bind(n++, member<F>(i));
        }
    });
    return n;
}

// The columns of the current row of a statement through their sqlite3_value: one library call
// per text column where Statement's accessors make two (an export reads 25 columns a row). The
// statement is used by one thread only.
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

// Filters SQL cannot apply (geodesic distance, polygons, a predicate): checked on an Incident.
bool needs_incident_filter(const IncidentQuery& q) {
    return (q.near && q.radius_km) || q.within || q.predicate;
}

// The evidence of an id-ordered stream of incidents, from a second cursor walking the evidence
// index in the same order (a merge join), not from one query per incident.
class EvidenceMerge {
public:
    EvidenceMerge(Database& db, const IncidentQuery& q)
        : m_rows(db.prepare("SELECT incident_id, article_id, start, end, text FROM evidence "
                            "WHERE incident_id BETWEEN ? AND ? ORDER BY incident_id, rowid")) {
        m_rows.bind(1, q.id_range ? q.id_range->first : std::numeric_limits<std::int64_t>::min())
            .bind(2, q.id_range ? q.id_range->second : std::numeric_limits<std::int64_t>::max());
        m_row = m_rows.step();
    }

    // Fills `out` with the evidence of incident `id` (reusing its strings); ids must come in
    // ascending order.
    void read(std::int64_t id, std::vector<Evidence>& out) {
        while (m_row && m_rows.int64(0) < id) {
            m_row = m_rows.step();
        }
        std::size_t n = 0;
        while (m_row && m_rows.int64(0) == id) {
            if (n == out.size()) {
                out.emplace_back();
            }
            auto& e = out[n++];
            e.article_id = m_rows.int64(1);
            e.begin = static_cast<std::size_t>(m_rows.int64(2));
            e.end = static_cast<std::size_t>(m_rows.int64(3));
            e.text.assign(m_rows.text(4));
            m_row = m_rows.step();
        }
        out.resize(n);
    }

private:
    Statement m_rows;
    bool m_row = false;
};

// A row of "SELECT id, text, source, url, title, published, text_hash, created".
Article read_article(const Statement& s) {
    Article a;
    a.id = s.int64(0);
    a.text = std::string(s.text(1));
    a.source = std::string(s.text(2));
    a.url = std::string(s.text(3));
    a.title = std::string(s.text(4));
    a.published = std::string(s.text(5));
    a.text_hash = std::string(s.text(6));
    a.created = std::string(s.text(7));
    return a;
}

Incident read_incident(const Statement& s) {
    Incident i;
    detail::read_incident_into(s, i);
    return i;
}

// Each word of a user's text query becomes a quoted FTS5 string: no operator can be injected.
std::string fts_query(const std::string& text) {
    std::string out;
    for (const auto& w : detail::query_words(text)) {
        out += (out.empty() ? "\"" : " \"") + w + "\"";
    }
    return out;
}

// A write transaction that advances the store's version when it commits, so that whatever was
// computed from an earlier version (a cached response) is known to be out of date. Inside
// another one (`writing` is set: in_write_transaction) it joins it: the outer one commits or
// rolls back everything, so that an article and its incidents are stored together or not at all.
class WriteTransaction {
public:
    WriteTransaction(Database& db, bool& writing) : m_db(db), m_writing(writing) {
        if (!m_writing) {
            m_tx.emplace(db, "BEGIN IMMEDIATE");
            m_writing = true;
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    ~WriteTransaction() {
        if (m_tx) {
            m_writing = false;
        }
    }
    void commit() {
        if (m_tx) {
            m_db.exec("UPDATE store_version SET version = version + 1");
            m_tx->commit();
        }
    }

private:
    Database& m_db;
    bool& m_writing;
    std::optional<Transaction> m_tx; ///< empty when joined to an outer transaction
};

// The incident with a source id. The unique index on source_id is partial (WHERE source_id <>
// ''), and SQLite uses a partial index only when the query implies its condition: without the
// second term every lookup scanned the table, and an import of N rows with ids took N scans.
constexpr const char* find_by_source_id =
    "SELECT id FROM incidents WHERE source_id = ? AND source_id <> ''";

class SpatialiteStore final : public IncidentStore {
public:
    explicit SpatialiteStore(const std::string& path)
        : m_path(path), m_cache(spatialite_alloc_connection()),
          m_db(path, Database::Mode::read_write_create) {
        spatialite_init_ex(m_db.handle(), m_cache.get(), 0);
        if (path != ":memory:") {
            m_db.exec("PRAGMA journal_mode=WAL");
            // 64 MiB of page cache per connection: repeated map queries over a region stay
            // in memory instead of re-reading pages through the kernel.
            m_db.exec("PRAGMA cache_size=-65536");
        }
        // Sorts (ORDER BY event_date over a spatial selection) stay in memory, not temp files.
        m_db.exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;");
        register_sha256(m_db.handle());
        migrate();
    }

    std::string backend() const override { return "spatialite"; }

    StoreCounts counts() override {
        auto s = m_db.prepare("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM "
                              "incidents), (SELECT count(*) FROM evidence)");
        s.step();
        return {static_cast<std::size_t>(s.int64(0)), static_cast<std::size_t>(s.int64(1)),
                static_cast<std::size_t>(s.int64(2))};
    }

    void for_each_article(const std::function<void(Article&)>& fn) override {
        auto s = m_db.prepare("SELECT id, text, source, url, title, published, text_hash, created "
                              "FROM articles ORDER BY id");
        while (s.step()) {
            Article a = read_article(s);
            fn(a);
        }
    }

    void restore(std::vector<Article>& articles, std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        WriteTransaction tx(m_db, m_writing);
        try {
            auto art = m_db.prepare("INSERT INTO articles(id, text, source, url, title, "
                                    "published, text_hash, created) VALUES(?,?,?,?,?,?,?,?)");
            for (const auto& a : articles) {
                art.bind(1, a.id)
                    .bind(2, a.text)
                    .bind(3, a.source)
                    .bind(4, a.url)
                    .bind(5, a.title)
                    .bind(6, a.published)
                    .bind(7, a.text_hash)
                    .bind(8, a.created)
                    .run();
            }
            auto inc =
                m_db.prepare("INSERT INTO incidents(" + incident_columns() + ", geom) VALUES(" +
                             detail::join_fields(detail::every_field,
                                                 [](const FieldInfo&, int) { return "?"; }) +
                             ", MakePoint(?, ?, 4326))");
            for (const auto& i : incidents) {
                const int n = bind_fields(inc, i, detail::every_field, 1);
                inc.bind(n, i.point.lon).bind(n + 1, i.point.lat).run();
                write_children(i);
            }
        } catch (const StorageError& e) {
            throw InvalidInput(std::string("cannot restore: ") + e.what());
        }
        tx.commit();
    }

    std::optional<std::pair<std::int64_t, std::int64_t>> id_bounds() override {
        // Two subqueries: SQLite reads min() or max() alone from the end of the rowid b-tree,
        // but scans a whole index for both in one SELECT.
        auto s =
            m_db.prepare("SELECT (SELECT min(id) FROM incidents), (SELECT max(id) FROM incidents)");
        if (!s.step() || s.is_null(0)) {
            return std::nullopt;
        }
        return std::make_pair(s.int64(0), s.int64(1));
    }

    std::unique_ptr<IncidentStore> reopen() override {
        if (m_path == ":memory:") {
            return nullptr;
        }
        auto s = std::make_unique<SpatialiteStore>(m_path);
        // Reopened connections stream (exports): a small page cache, never filled and refilled.
        s->m_db.exec("PRAGMA cache_size=-1024");
        return s;
    }

    ArticleRef add_article(Article& a) override {
        if (a.text_hash.empty()) {
            a.text_hash = text_sha256(a.text);
        }
        WriteTransaction tx(m_db, m_writing);
        auto find = m_db.prepare(
            "SELECT id FROM articles WHERE text_hash = ? OR (url <> '' AND url = ?) LIMIT 1");
        find.bind(1, a.text_hash).bind(2, a.url);
        if (find.step()) {
            a.id = find.int64(0);
            return {a.id, true};
        }
        auto ins = m_db.prepare(
            "INSERT INTO articles(text, source, url, title, published, "
            "text_hash, created) VALUES(?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
        ins.bind(1, a.text)
            .bind(2, a.source)
            .bind(3, a.url)
            .bind(4, a.title)
            .bind(5, a.published)
            .bind(6, a.text_hash)
            .run();
        a.id = m_db.last_insert_rowid();
        tx.commit();
        return {a.id, false};
    }

    void in_write_transaction(const std::function<void()>& fn) override {
        WriteTransaction tx(m_db, m_writing);
        fn();
        tx.commit();
    }

    std::optional<Article> article(std::int64_t id) override {
        auto s = m_db.prepare("SELECT id, text, source, url, title, published, text_hash, created "
                              "FROM articles WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) {
            return std::nullopt;
        }
        return read_article(s);
    }

    void insert(std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        WriteTransaction tx(m_db, m_writing);
        for (auto& i : incidents) {
            insert_one(i);
        }
        tx.commit();
    }

    bool upsert(Incident& i) override {
        validate(i);
        WriteTransaction tx(m_db, m_writing);
        bool updated = false;
        if (!i.source_id.empty()) {
            auto s = m_db.prepare(find_by_source_id);
            s.bind(1, i.source_id);
            if (s.step()) {
                i.id = s.int64(0);
                write_row(i, true);
                updated = true;
            }
        }
        if (!updated) {
            insert_one(i);
        }
        tx.commit();
        return updated;
    }

    std::size_t upsert_all(std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        WriteTransaction tx(m_db, m_writing);
        std::size_t updated = 0;
        auto& find = cached(m_find_source, find_by_source_id);
        for (auto& i : incidents) {
            bool found = false;
            if (!i.source_id.empty()) {
                find.bind(1, i.source_id);
                if (find.step()) {
                    i.id = find.int64(0);
                    found = true;
                }
                find.reset();
            }
            if (found) {
                write_row(i, true);
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
        WriteTransaction tx(m_db, m_writing);
        write_row(i, true);
        if (m_db.changes() == 0) {
            throw NotFound("no incident with id " + std::to_string(i.id));
        }
        tx.commit();
    }

    void merge_into(std::int64_t id, const Incident& dup) override {
        WriteTransaction tx(m_db, m_writing);
        auto cur = get_unlocked(id);
        if (!cur) {
            throw NotFound("no incident with id " + std::to_string(id));
        }
        Incident merged = detail::merged(*cur, dup);
        write_row(merged, true);
        tx.commit();
    }

    bool remove(std::int64_t id) override {
        WriteTransaction tx(m_db, m_writing);
        auto s = m_db.prepare("DELETE FROM incidents WHERE id = ?");
        s.bind(1, id).run();
        bool removed = m_db.changes() > 0;
        auto f = m_db.prepare("DELETE FROM incidents_fts WHERE rowid = ?");
        f.bind(1, id).run();
        tx.commit();
        return removed;
    }

    std::optional<Incident> get(std::int64_t id) override { return get_unlocked(id); }

    std::vector<Incident> find_duplicates(const Incident& like) override {
        std::vector<Incident> out;
        auto s =
            m_db.prepare(std::string("SELECT ") + incident_columns() +
                         " FROM incidents WHERE event_date = ? AND event_type = ? AND "
                         "sub_event_type = ? AND ((geonameid IS NOT NULL AND geonameid = ?) OR "
                         "(abs(lon - ?) < 0.01 AND abs(lat - ?) < 0.01))");
        s.bind(1, like.event_date)
            .bind(2, like.event_type)
            .bind(3, like.sub_event_type)
            .bind(4, like.geonameid.value_or(0))
            .bind(5, like.point.lon)
            .bind(6, like.point.lat);
        while (s.step()) {
            out.push_back(read_incident(s));
        }
        for (auto& i : out) {
            load_evidence(i);
        }
        return out;
    }

    std::optional<std::int64_t> version() override {
        auto& s = cached(m_version, "SELECT version FROM store_version");
        std::optional<std::int64_t> v;
        if (s.step()) {
            v = s.int64(0);
        }
        s.reset();
        return v;
    }

    void in_snapshot(const std::function<void()>& fn) override {
        ReadTransaction snapshot(*this);
        fn();
    }

    QueryResult query(const IncidentQuery& q) override {
        validate(q, 100000);
        // One read transaction for the page and its evidence: one snapshot, one set of locks.
        ReadTransaction snapshot(*this);
        QueryResult r = detail::page(
            q,
            [this](const IncidentQuery& sub, const std::function<bool(Incident &&)>& fn) {
                scan(sub, fn, false);
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
        std::size_t n = 0;
        EvidenceMerge evidence(m_db, q);
        IncidentQuery ordered = q;
        ordered.sort = IncidentQuery::Sort::id_asc;
        scan(
            ordered,
            [&](Incident&& i) {
                evidence.read(i.id, i.evidence);
                fn(i);
                ++n;
                return true;
            },
            true);
        return n;
    }

    std::size_t append_features(const IncidentQuery& q, std::string& out,
                                geo::BBox& bbox) override {
        if (needs_incident_filter(q)) {
            return IncidentStore::append_features(q, out, bbox);
        }
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        // Each row is rendered from the statement's column memory: no strings copied into an
        // Incident first.
        EvidenceMerge evidence(m_db, q);
        std::vector<Evidence> row_evidence;
        IncidentQuery ordered = q;
        ordered.sort = IncidentQuery::Sort::id_asc;
        const auto select = scan_sql(ordered, true, nullptr);
        auto lease = statement(select.sql);
        Statement& s = *lease;
        select.bind(s);
        const RowValues row = lease.row();
        std::size_t n = 0;
        while (s.step()) {
            auto f = detail::fields_in_row(row);
            evidence.read(f.get<Field::id>(), row_evidence);
            f.evidence = row_evidence;
            if (n++) {
                out.push_back(',');
            }
            detail::append_feature(out, f);
            bbox.extend(f.point());
        }
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
            false);
        st.by_type.assign(by_type.begin(), by_type.end());
        st.by_day.assign(by_day.begin(), by_day.end());
        st.by_admin1.assign(by_admin1.begin(), by_admin1.end());
        return st;
    }

    std::tuple<geo::BBox, std::string, std::string> extent() override {
        auto s = m_db.prepare("SELECT min(lon), min(lat), max(lon), max(lat), min(event_date), "
                              "max(event_date), count(*) FROM incidents");
        s.step();
        if (s.int64(6) == 0) {
            return {geo::BBox{-180, -90, 180, 90}, "", ""};
        }
        return {geo::BBox{s.real(0), s.real(1), s.real(2), s.real(3)}, std::string(s.text(4)),
                std::string(s.text(5))};
    }

private:
    void migrate() {
        m_db.exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
                  "applied TEXT NOT NULL)");
        auto s = m_db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
        s.step();
        auto current = static_cast<std::size_t>(s.int64(0));
        s.reset();
        const auto& all = migrations();
        if (current > all.size()) {
            throw StorageError("database '" + m_db.path() + "' has schema version " +
                               std::to_string(current) + ", newer than this incidentmap (" +
                               std::to_string(all.size()) + ")");
        }
        if (current == 0) {
            // Spatial metadata (only WGS 84 reference systems: fast and small).
            auto has =
                m_db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'spatial_ref_sys'");
            has.step();
            if (has.int64(0) == 0) {
                m_db.exec("SELECT InitSpatialMetadata(1, 'WGS84')");
            }
        }
        for (std::size_t v = current; v < all.size(); ++v) {
            Transaction tx(m_db, "BEGIN IMMEDIATE");
            m_db.exec(all[v]);
            auto ins = m_db.prepare(
                "INSERT INTO schema_migrations VALUES(?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
            ins.bind(1, static_cast<std::int64_t>(v + 1)).run();
            tx.commit();
        }
    }

    std::optional<Incident> get_unlocked(std::int64_t id) {
        auto lease =
            statement(std::string("SELECT ") + incident_columns() + " FROM incidents WHERE id = ?");
        Statement& s = *lease;
        s.bind(1, id);
        if (!s.step()) {
            return std::nullopt;
        }
        Incident i = read_incident(s);
        load_evidence(i);
        return i;
    }

    void load_evidence(Incident& i) {
        if (!m_evidence) {
            m_evidence.emplace(m_db.prepare("SELECT article_id, start, end, text FROM evidence "
                                            "WHERE incident_id = ? ORDER BY rowid"));
        }
        auto& s = *m_evidence;
        s.bind(1, i.id);
        i.evidence.clear();
        while (s.step()) {
            i.evidence.push_back({s.int64(0), static_cast<std::size_t>(s.int64(1)),
                                  static_cast<std::size_t>(s.int64(2)), std::string(s.text(3))});
        }
        s.reset();
    }

    // Evidence for a page of incidents in one statement (ids as a JSON array for json_each).
    void load_evidence(std::vector<Incident>& page) {
        if (page.size() <= 4) {
            for (auto& i : page) {
                load_evidence(i);
            }
            return;
        }
        std::string ids = "[";
        std::unordered_map<std::int64_t, Incident*> by_id;
        by_id.reserve(page.size());
        for (auto& i : page) {
            if (ids.size() > 1) {
                ids.push_back(',');
            }
            ids += std::to_string(i.id);
            by_id.emplace(i.id, &i);
            i.evidence.clear();
        }
        ids.push_back(']');
        auto lease = statement("SELECT incident_id, article_id, start, end, text FROM evidence "
                               "WHERE incident_id IN (SELECT value FROM json_each(?)) "
                               "ORDER BY incident_id, rowid");
        Statement& s = *lease;
        s.bind(1, ids);
        while (s.step()) {
            auto it = by_id.find(s.int64(0));
            if (it != by_id.end()) {
                it->second->evidence.push_back({s.int64(1), static_cast<std::size_t>(s.int64(2)),
                                                static_cast<std::size_t>(s.int64(3)),
                                                std::string(s.text(4))});
            }
        }
    }

    // A deferred read transaction unless one is open already; ended when it goes out of scope.
    class ReadTransaction {
    public:
        explicit ReadTransaction(SpatialiteStore& store)
            : m_store(store), m_open(sqlite3_get_autocommit(store.m_db.handle()) != 0) {
            if (m_open) {
                m_store.cached(m_store.m_begin, "BEGIN").run();
                m_store.m_begin->reset();
            }
        }
        ReadTransaction(const ReadTransaction&) = delete;
        ReadTransaction& operator=(const ReadTransaction&) = delete;
        ~ReadTransaction() {
            if (m_open && sqlite3_get_autocommit(m_store.m_db.handle()) == 0) {
                try {
                    m_store.cached(m_store.m_commit, "COMMIT").run();
                } catch (...) {
                    sqlite3_exec(m_store.m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
                }
                if (m_store.m_commit) {
                    m_store.m_commit->reset();
                }
            }
        }

    private:
        SpatialiteStore& m_store;
        bool m_open;
    };

    // Read statements keyed by their SQL, prepared once per connection: the query shapes of
    // an API repeat, and preparing costs more than running a small query. A lease resets the
    // statement when done (releasing its read lock); a statement already leased (a nested
    // use) is prepared afresh instead.
    struct KeptStatement {
        Statement statement;
        sqlite3_stmt* handle = nullptr; // the statement's, for RowValues
        bool busy = false;
    };
    class StatementLease {
    public:
        StatementLease(KeptStatement* kept, std::optional<KeptStatement> own)
            : m_kept(kept), m_own(std::move(own)) {}
        StatementLease(const StatementLease&) = delete;
        StatementLease& operator=(const StatementLease&) = delete;
        ~StatementLease() {
            if (m_kept) {
                m_kept->statement.reset();
                m_kept->busy = false;
            }
        }
        Statement& operator*() { return held().statement; }
        Statement* operator->() { return &**this; }
        [[nodiscard]] RowValues row() { return RowValues(held().handle); }

    private:
        KeptStatement& held() { return m_kept ? *m_kept : *m_own; }
        KeptStatement* m_kept;
        std::optional<KeptStatement> m_own;
    };
    KeptStatement prepare_kept(const std::string& sql) {
        sqlite3_stmt* raw = nullptr;
        const int rc = sqlite3_prepare_v2(m_db.handle(), sql.data(), static_cast<int>(sql.size()),
                                          &raw, nullptr);
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
    StatementLease statement(const std::string& sql) {
        auto it = m_statements.find(sql);
        if (it == m_statements.end()) {
            if (m_statements.size() >= 128) {
                std::erase_if(m_statements, [](const auto& kv) { return !kv.second->busy; });
            }
            it =
                m_statements.emplace(sql, std::make_unique<KeptStatement>(prepare_kept(sql))).first;
        }
        if (it->second->busy) {
            return {nullptr, prepare_kept(sql)};
        }
        it->second->busy = true;
        return {it->second.get(), std::nullopt};
    }

    // A statement prepared once per connection and reused (bulk loads prepare nothing per row).
    Statement& cached(std::optional<Statement>& slot, const char* sql) {
        if (!slot) {
            slot.emplace(m_db.prepare(sql));
        }
        return *slot;
    }

    void insert_one(Incident& i) {
        // The store's timestamps are the time of the write; the database assigns the id.
        static const std::string sql =
            "INSERT INTO incidents(" +
            detail::join_fields(detail::inserted_field,
                                [](const FieldInfo& f, int) { return std::string(f.name); }) +
            ", geom) VALUES(" +
            detail::join_fields(
                detail::inserted_field,
                [](const FieldInfo& f, int) { return std::string(f.assigned ? sql_now : "?"); }) +
            ", MakePoint(?, ?, 4326)) RETURNING id, created, updated";
        auto& s = cached(m_insert, sql.c_str());
        const int n = bind_fields(s, i, detail::given_field, 1);
        s.bind(n, i.point.lon).bind(n + 1, i.point.lat);
        if (s.step()) {
            i.id = s.int64(0);
            i.created = std::string(s.text(1));
            i.updated = std::string(s.text(2));
        }
        while (s.step()) {
        }
        s.reset();
        write_children(i);
    }

    void write_row(Incident& i, bool /*existing*/) {
        static const std::string sql =
            "UPDATE incidents SET " +
            detail::join_fields(detail::updated_field,
                                [](const FieldInfo& f, int) {
                                    return std::string(f.name) + "=" +
                                           std::string(f.assigned ? sql_now : "?");
                                }) +
            ", geom=MakePoint(?, ?, 4326) WHERE id=?";
        auto s = m_db.prepare(sql);
        const int n = bind_fields(s, i, detail::given_field, 1);
        s.bind(n, i.point.lon).bind(n + 1, i.point.lat).bind(n + 2, i.id);
        s.run();
        if (m_db.changes() == 0) {
            return;
        }
        auto d = m_db.prepare("DELETE FROM evidence WHERE incident_id = ?");
        d.bind(1, i.id).run();
        auto f = m_db.prepare("DELETE FROM incidents_fts WHERE rowid = ?");
        f.bind(1, i.id).run();
        write_children(i);
    }

    void write_children(const Incident& i) {
        auto& e = cached(
            m_insert_evidence,
            "INSERT INTO evidence(incident_id, article_id, start, end, text) VALUES(?,?,?,?,?)");
        std::string all_evidence;
        for (const auto& ev : i.evidence) {
            e.bind(1, i.id);
            if (ev.article_id > 0) {
                e.bind(2, ev.article_id);
            } else {
                e.bind_null(2);
            }
            e.bind(3, static_cast<std::int64_t>(ev.begin))
                .bind(4, static_cast<std::int64_t>(ev.end))
                .bind(5, ev.text)
                .run();
            all_evidence += ev.text + "\n";
        }
        auto& f = cached(m_insert_fts, "INSERT INTO incidents_fts(rowid, location, notes, "
                                       "evidence, actors) VALUES(?,?,?,?,?)");
        f.bind(1, i.id)
            .bind(2, i.location)
            .bind(3, i.notes)
            .bind(4, all_evidence)
            .bind(5, i.actor1 + " " + i.actor2)
            .run();
    }

    // The SELECT of incident_columns for a query's indexed prefilters, in its order, and the
    // binding of its parameters.
    struct ScanSql {
        std::string sql;
        std::vector<std::function<void(Statement&, int&)>> binds;
        void bind(Statement& s) const {
            int n = 1;
            for (const auto& b : binds) {
                b(s, n);
            }
        }
    };
    static ScanSql scan_sql(const IncidentQuery& q, bool ordered, const Cursor* keyset) {
        ScanSql out;
        std::string& sql = out.sql;
        auto& binds = out.binds;
        sql = std::string("SELECT ") + incident_columns() + " FROM incidents WHERE 1";
        auto rtree = [&](const geo::BBox& b) {
            std::vector<geo::BBox> parts;
            if (b.crosses_antimeridian()) {
                parts.push_back({b.min_lon, b.min_lat, 180.0, b.max_lat});
                parts.push_back({-180.0, b.min_lat, b.max_lon, b.max_lat});
            } else {
                parts.push_back(b);
            }
            sql += " AND id IN (SELECT pkid FROM idx_incidents_geom WHERE ";
            for (std::size_t k = 0; k < parts.size(); ++k) {
                if (k) {
                    sql += " OR ";
                }
                sql += "(xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?)";
                auto p = parts[k];
                binds.emplace_back([p](Statement& s, int& n) {
                    s.bind(n, p.max_lon)
                        .bind(n + 1, p.min_lon)
                        .bind(n + 2, p.max_lat)
                        .bind(n + 3, p.min_lat);
                    n += 4;
                });
            }
            sql += ")";
        };
        if (q.bbox) {
            rtree(*q.bbox);
            // The R*Tree stores float32 boxes: the exact test on lon/lat follows.
            sql += " AND lat >= ? AND lat <= ?";
            auto b = *q.bbox;
            binds.emplace_back([b](Statement& s, int& n) {
                s.bind(n, b.min_lat).bind(n + 1, b.max_lat);
                n += 2;
            });
            if (b.crosses_antimeridian()) {
                sql += " AND (lon >= ? OR lon <= ?)";
            } else {
                sql += " AND lon >= ? AND lon <= ?";
            }
            binds.emplace_back([b](Statement& s, int& n) {
                s.bind(n, b.min_lon).bind(n + 1, b.max_lon);
                n += 2;
            });
        }
        if (q.near && q.radius_km) {
            rtree(geo::bbox_around(*q.near, *q.radius_km * 1000.0));
        }
        if (q.within) {
            rtree(geo::bounds(*q.within));
        }
        auto bind_text = [&](const std::string& v) {
            binds.emplace_back([v](Statement& s, int& n) { s.bind(n++, v); });
        };
        if (q.since) {
            sql += " AND event_date >= ?";
            bind_text(*q.since);
        }
        if (q.until) {
            sql += " AND event_date <= ?";
            bind_text(*q.until);
        }
        auto in_list = [&](const char* column, const std::vector<std::string>& values) {
            if (values.empty()) {
                return;
            }
            sql += std::string(" AND ") + column + " IN (";
            for (std::size_t k = 0; k < values.size(); ++k) {
                sql += k ? ",?" : "?";
                bind_text(values[k]);
            }
            sql += ")";
        };
        in_list("event_type", q.types);
        in_list("sub_event_type", q.sub_types);
        if (q.min_fatalities) {
            sql += " AND fatalities >= ?";
            int v = *q.min_fatalities;
            binds.emplace_back([v](Statement& s, int& n) { s.bind(n++, v); });
        }
        if (!q.country.empty()) {
            sql += " AND country = ?";
            bind_text(q.country);
        }
        if (!q.admin1.empty()) {
            sql += " AND admin1 = ?";
            bind_text(q.admin1);
        }
        if (q.text) {
            std::string fts = fts_query(*q.text);
            if (fts.empty()) {
                throw InvalidInput("the text query q has no searchable words");
            }
            sql += " AND id IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)";
            bind_text(fts);
        }
        if (q.id_range) {
            sql += " AND id BETWEEN ? AND ?";
            auto r = *q.id_range;
            binds.emplace_back([r](Statement& s, int& n) {
                s.bind(n, r.first).bind(n + 1, r.second);
                n += 2;
            });
        }
        if (keyset) {
            const Cursor c = *keyset;
            if (c.sort == IncidentQuery::Sort::id_asc) {
                sql += " AND id > ?";
                binds.emplace_back([c](Statement& s, int& n) { s.bind(n++, c.id); });
            } else {
                sql += c.sort == IncidentQuery::Sort::event_date_asc
                           ? " AND (event_date > ? OR (event_date = ? AND id > ?))"
                           : " AND (event_date < ? OR (event_date = ? AND id < ?))";
                binds.emplace_back([c](Statement& s, int& n) {
                    s.bind(n, c.event_date).bind(n + 1, c.event_date).bind(n + 2, c.id);
                    n += 3;
                });
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
        return out;
    }

    // Streams matching incidents (without evidence) in the query's order to fn until it
    // returns false. SQL does the indexed prefilters; exact geodesic and polygon tests follow.
    void scan(const IncidentQuery& q, const std::function<bool(Incident&&)>& fn, bool ordered,
              const Cursor* keyset = nullptr) {
        const auto select = scan_sql(q, ordered, keyset);
        auto lease = statement(select.sql);
        Statement& s = *lease;
        select.bind(s);
        const RowValues values = lease.row();
        const bool post_filter = needs_incident_filter(q);
        Incident row;
        while (s.step()) {
            detail::read_incident_into(values, row);
            if (post_filter && !matches(q, row)) {
                continue;
            }
            if (!fn(std::move(row))) {
                break;
            }
        }
    }

    std::string m_path;
    // Order matters: the connection closes before its SpatiaLite cache is freed.
    std::unique_ptr<void, SpatialiteCacheDeleter> m_cache;
    Database m_db;
    std::unordered_map<std::string, std::unique_ptr<KeptStatement>> m_statements;
    std::optional<Statement> m_begin;
    std::optional<Statement> m_commit;
    std::optional<Statement> m_version;
    std::optional<Statement> m_evidence;
    std::optional<Statement> m_insert;
    std::optional<Statement> m_insert_evidence;
    std::optional<Statement> m_insert_fts;
    std::optional<Statement> m_find_source;
    bool m_writing = false; ///< a WriteTransaction is open (nested ones join it)
};

} // namespace

std::unique_ptr<IncidentStore> open_spatialite_store(const std::string& path) {
    if (path != ":memory:") {
        std::filesystem::path p(path);
        if (p.has_parent_path() && !std::filesystem::exists(p.parent_path())) {
            std::filesystem::create_directories(p.parent_path());
        }
    }
    return std::make_unique<SpatialiteStore>(path);
}

} // namespace incidentmap::incidents
