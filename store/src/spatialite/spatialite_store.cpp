// The SpatiaLite backend of IncidentStore: one file, WAL, R*Tree spatial index, FTS5.

#include "incidentmap/error.hpp"
#include "incidentmap/geo/geodesic.hpp"
#include "incidentmap/sqlite/sqlite.hpp"
#include "incidentmap/store/store.hpp"

#include "incidentmap/incidents/clock.hpp"
#include "incidentmap/incidents/feature.hpp"
#include "incidentmap/incidents/fields.hpp"

#include "../incident_columns.hpp"
#include "../sql/clusters.hpp"
#include "../sql/evidence.hpp"
#include "../sql/select.hpp"
#include "dialect.hpp"
#include "fulltext.hpp"
#include "schema.hpp"
#include "statements.hpp"

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
using spatialite::bind_values;
using spatialite::dialect;
using spatialite::FullTextQueue;
using spatialite::migrate;
using spatialite::RowValues;
using spatialite::StatementCache;
using spatialite::StatementRows;

struct SpatialiteCacheDeleter {
    void operator()(void* cache) const noexcept { spatialite_cleanup_ex(cache); }
};

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

// A write transaction that advances the store's version when it commits, so that whatever was
// computed from an earlier version (a cached response) is known to be out of date. Inside
// another one (`writing` is set: in_write_transaction) it joins it: the outer one commits or
// rolls back everything, so that an article and its incidents are stored together or not at all.
// What a write transaction writes when it commits: the full-text rows and the changes of the
// clusters' counts, both added up over its writes.
struct PendingWrites {
    FullTextQueue full_text;
    detail::ClusterDeltas clusters;

    void write(Database& db) {
        full_text.write(db);
        for (const auto& sql : clusters.statements(dialect())) {
            auto s = db.prepare(sql.text);
            bind_values(s, sql.values);
            s.run();
        }
        clusters.clear();
    }
    void clear() noexcept {
        full_text.clear();
        clusters.clear();
    }
};

class WriteTransaction {
public:
    WriteTransaction(Database& db, bool& writing, PendingWrites& pending)
        : m_db(db), m_writing(writing), m_pending(pending) {
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
            m_pending.clear(); // rolled back, or written by commit()
        }
    }
    void commit() {
        if (m_tx) {
            m_pending.write(m_db);
            m_db.exec("UPDATE store_version SET version = version + 1");
            m_tx->commit();
        }
    }

private:
    Database& m_db;
    bool& m_writing;
    PendingWrites& m_pending;
    std::optional<Transaction> m_tx; ///< empty when joined to an outer transaction
};

// The incident with a source id. The unique index on source_id is partial (WHERE source_id <>
// ''), and SQLite uses a partial index only when the query implies its condition: without the
// second term every lookup scanned the table, and an import of N rows with ids took N scans.
constexpr const char* find_by_source_id =
    "SELECT id FROM incidents WHERE source_id = ? AND source_id <> ''";

// The incidents an article supports (the index evidence_article, migration 8).
constexpr const char* articles_incidents =
    "SELECT DISTINCT incident_id FROM evidence WHERE article_id = ? ORDER BY incident_id";

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
        migrate(m_db);
        fill_cluster_counts();
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
        WriteTransaction tx(m_db, m_writing, m_pending);
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
            auto inc = m_db.prepare("INSERT INTO incidents(" + dialect().incident_columns() +
                                    ", geom) VALUES(" +
                                    detail::join_fields(detail::every_field,
                                                        [](const FieldInfo&, int) { return "?"; }) +
                                    ", MakePoint(?, ?, 4326))");
            for (const auto& i : incidents) {
                const int n = bind_fields(inc, i, detail::every_field, 1);
                inc.bind(n, i.point.lon).bind(n + 1, i.point.lat).run();
                write_children(i);
                m_pending.clusters.add(i, 1);
            }
        } catch (const StorageFull&) {
            throw; // the disk, not the rows
        } catch (const StorageError& e) {
            throw InvalidInput(std::string("cannot restore: ") + e.what());
        }
        tx.commit();
    }

    bool imported(const std::string& digest) override {
        auto s = m_db.prepare("SELECT 1 FROM imported_rows WHERE digest = ?");
        s.bind(1, digest);
        return s.step();
    }

    void record_import(const ImportedRows& r) override {
        WriteTransaction tx(m_db, m_writing, m_pending);
        auto s = m_db.prepare("INSERT INTO imported_rows(digest, rows, created) VALUES(?,?,?)");
        s.bind(1, r.digest)
            .bind(2, static_cast<std::int64_t>(r.rows))
            .bind(3, r.created.empty() ? utc_now() : r.created)
            .run();
        tx.commit();
    }

    std::vector<ImportedRows> imports() override {
        std::vector<ImportedRows> out;
        auto s = m_db.prepare("SELECT digest, rows, created FROM imported_rows ORDER BY digest");
        while (s.step()) {
            out.push_back({std::string(s.text(0)), static_cast<std::size_t>(s.int64(1)),
                           std::string(s.text(2))});
        }
        return out;
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
        WriteTransaction tx(m_db, m_writing, m_pending);
        auto find = m_db.prepare(
            "SELECT id FROM articles WHERE text_hash = ? OR (url <> '' AND url = ?) LIMIT 1");
        find.bind(1, a.text_hash).bind(2, a.url);
        if (find.step()) {
            a.id = find.int64(0);
            return {a.id, true};
        }
        auto ins = m_db.prepare("INSERT INTO articles(text, source, url, title, published, "
                                "text_hash, created) VALUES(?,?,?,?,?,?,?)");
        a.created = utc_now();
        ins.bind(1, a.text)
            .bind(2, a.source)
            .bind(3, a.url)
            .bind(4, a.title)
            .bind(5, a.published)
            .bind(6, a.text_hash)
            .bind(7, a.created)
            .run();
        a.id = m_db.last_insert_rowid();
        tx.commit();
        return {a.id, false};
    }

    void in_write_transaction(const std::function<void()>& fn) override {
        WriteTransaction tx(m_db, m_writing, m_pending);
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

    std::vector<std::int64_t> incidents_of_article(std::int64_t article_id) override {
        auto s = m_db.prepare(articles_incidents);
        s.bind(1, article_id);
        std::vector<std::int64_t> ids;
        while (s.step()) {
            ids.push_back(s.int64(0));
        }
        return ids;
    }

    void insert(std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        WriteTransaction tx(m_db, m_writing, m_pending);
        for (auto& i : incidents) {
            insert_one(i);
        }
        tx.commit();
    }

    bool upsert(Incident& i) override {
        validate(i);
        WriteTransaction tx(m_db, m_writing, m_pending);
        bool updated = false;
        if (!i.source_id.empty()) {
            auto s = m_db.prepare(find_by_source_id);
            s.bind(1, i.source_id);
            if (s.step()) {
                i.id = s.int64(0);
                write_row(i);
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
        WriteTransaction tx(m_db, m_writing, m_pending);
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
        WriteTransaction tx(m_db, m_writing, m_pending);
        if (!write_row(i)) {
            throw NotFound("no incident with id " + std::to_string(i.id));
        }
        tx.commit();
    }

    void merge_into(std::int64_t id, const Incident& dup) override {
        WriteTransaction tx(m_db, m_writing, m_pending);
        auto cur = get_unlocked(id);
        if (!cur) {
            throw NotFound("no incident with id " + std::to_string(id));
        }
        Incident merged = detail::merged(*cur, dup);
        write_row(merged);
        tx.commit();
    }

    bool remove(std::int64_t id) override {
        WriteTransaction tx(m_db, m_writing, m_pending);
        auto s = m_db.prepare("DELETE FROM incidents WHERE id = ? RETURNING lon, lat, event_type, "
                              "fatalities");
        s.bind(1, id);
        const bool removed = s.step();
        if (removed) {
            m_pending.clusters.add({s.real(0), s.real(1)}, std::string(s.text(2)), s.int64(3), -1);
            s.run();
        } else {
            s.reset();
        }
        auto f = m_db.prepare("DELETE FROM incidents_fts WHERE rowid = ?");
        f.bind(1, id).run();
        m_pending.full_text.erase(id);
        tx.commit();
        return removed;
    }

    std::optional<Incident> get(std::int64_t id) override { return get_unlocked(id); }

    std::vector<Incident> find_duplicates(const Incident& like) override {
        std::vector<Incident> out;
        auto s = prepared(detail::duplicates_sql(dialect(), like));
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
                   const std::function<bool(Incident &&)>& fn) { scan(sub, fn, true, keyset); },
            [this](const IncidentQuery& sub) { return count_in_sql(sub); });
        load_evidence(r.incidents);
        return r;
    }

    std::size_t for_each(const IncidentQuery& q,
                         const std::function<void(Incident&)>& fn) override {
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        auto evidence_rows = prepared(detail::evidence_in_range_sql(dialect(), q));
        detail::EvidenceMerge evidence{StatementRows(evidence_rows)};
        return detail::stream_with_evidence(
            q, evidence,
            [this](const IncidentQuery& ordered, const auto& row) { scan(ordered, row, true); },
            fn);
    }

    std::size_t append_features(const IncidentQuery& q, std::string& out,
                                geo::BBox& bbox) override {
        if (detail::needs_incident_filter(q)) {
            return IncidentStore::append_features(q, out, bbox);
        }
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        // Each row is rendered from the statement's column memory: no strings copied into an
        // Incident first.
        auto evidence_rows = prepared(detail::evidence_in_range_sql(dialect(), q));
        detail::EvidenceMerge evidence{StatementRows(evidence_rows)};
        std::vector<Evidence> row_evidence;
        IncidentQuery ordered = q;
        ordered.sort = IncidentQuery::Sort::id_asc;
        const auto select = detail::scan_sql(dialect(), ordered, true, nullptr);
        auto lease = statement(select.text);
        Statement& s = *lease;
        bind_values(s, select.values);
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
        ReadTransaction snapshot(*this);
        if (detail::needs_incident_filter(q)) {
            return detail::tally([&](const auto& fn) { scan(q, fn, false); });
        }
        return detail::tally_in_sql([&](detail::Tally by, const detail::TallyRow& row) {
            const auto sql = detail::tally_sql(dialect(), q, by);
            auto lease = statement(sql.text);
            bind_values(*lease, sql.values);
            while (lease->step()) {
                row(lease->text(0), by == detail::Tally::admin1 ? lease->text(1) : "",
                    static_cast<std::size_t>(lease->int64(by == detail::Tally::admin1 ? 2 : 1)));
            }
        });
    }

    // The number of matches as SQL counts them, when SQL applies every filter.
    std::optional<std::size_t> count_in_sql(const IncidentQuery& q) {
        if (detail::needs_incident_filter(q)) {
            return std::nullopt;
        }
        const auto sql = detail::count_sql(dialect(), q);
        auto lease = statement(sql.text);
        bind_values(*lease, sql.values);
        return lease->step() ? static_cast<std::size_t>(lease->int64(0)) : 0;
    }

    std::vector<Cluster> clusters(const IncidentQuery& q, ClusterGrid grid) override {
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        ReadTransaction snapshot(*this);
        if (detail::needs_incident_filter(q)) {
            return detail::cluster_tally(
                q, grid, [&](const IncidentQuery& sub, const auto& fn) { scan(sub, fn, false); });
        }
        const auto select = detail::counts_answer(q, grid)
                                ? detail::counted_clusters_sql(dialect(), q, grid)
                                : detail::clusters_sql(dialect(), q, grid);
        auto lease = statement(select.text);
        Statement& s = *lease;
        bind_values(s, select.values);
        detail::ClusterSums sums;
        while (s.step()) {
            sums.add(s.int64(0), s.int64(1), std::string(s.text(2)),
                     static_cast<std::size_t>(s.int64(3)), s.int64(4), s.real(5), s.real(6));
        }
        return sums.clusters();
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
    // A store that had incidents before it kept the clusters' counts counts them once.
    // (Asked first outside a write transaction: a read-only store can be opened.)
    void fill_cluster_counts() {
        auto missing = [&] {
            auto s = m_db.prepare(detail::cluster_counts_missing);
            return s.step() && s.int64(0) != 0;
        };
        if (!missing()) {
            return;
        }
        WriteTransaction tx(m_db, m_writing, m_pending);
        if (missing()) {
            for (const auto& sql : detail::fill_cluster_counts_sql(dialect())) {
                auto fill = prepared(sql);
                fill.run();
            }
        }
        tx.commit();
    }

    std::optional<Incident> get_unlocked(std::int64_t id) {
        auto lease = statement(std::string("SELECT ") + dialect().incident_columns() +
                               " FROM incidents WHERE id = ?");
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

    // Evidence for a page of incidents in one statement.
    void load_evidence(std::vector<Incident>& page) {
        if (page.size() <= 4) {
            for (auto& i : page) {
                load_evidence(i);
            }
            return;
        }
        const auto ids = detail::evidence_ids(page);
        const auto select = detail::evidence_of_sql(dialect(), ids);
        auto lease = statement(select.text);
        bind_values(*lease, select.values);
        StatementRows rows(*lease);
        detail::attach_evidence(rows, page);
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
                    rollback();
                }
                if (m_store.m_commit) {
                    m_store.m_commit->reset();
                }
            }
        }

    private:
        // A destructor does not throw: a failed rollback leaves the connection to SQLite,
        // which rolls back when it next begins or closes.
        void rollback() noexcept {
            try {
                m_store.m_db.exec("ROLLBACK");
            } catch (...) {
            }
        }

        SpatialiteStore& m_store;
        bool m_open;
    };

    StatementCache::Lease statement(const std::string& sql) { return m_statements.lease(sql); }

    // A statement of shared SQL, its values bound.
    Statement prepared(const detail::SqlBuilder& sql) {
        auto s = m_db.prepare(sql.text);
        bind_values(s, sql.values);
        return s;
    }

    // A statement prepared once per connection and reused (bulk loads prepare nothing per row).
    Statement& cached(std::optional<Statement>& slot, const char* sql) {
        if (!slot) {
            slot.emplace(m_db.prepare(sql));
        }
        return *slot;
    }

    void insert_one(Incident& i) {
        // The database assigns the id; the timestamps are the one clock's (utc_now).
        static const std::string sql =
            "INSERT INTO incidents(" +
            detail::join_fields(detail::inserted_field,
                                [](const FieldInfo& f, int) { return std::string(f.name); }) +
            ", geom) VALUES(" +
            detail::join_fields(detail::inserted_field, [](const FieldInfo&, int) { return "?"; }) +
            ", MakePoint(?, ?, 4326)) RETURNING id";
        i.created = i.updated = utc_now();
        auto& s = cached(m_insert, sql.c_str());
        const int n = bind_fields(s, i, detail::inserted_field, 1);
        s.bind(n, i.point.lon).bind(n + 1, i.point.lat);
        if (s.step()) {
            i.id = s.int64(0);
        }
        while (s.step()) {
        }
        s.reset();
        write_children(i);
        m_pending.clusters.add(i, 1);
    }

    // Returns false when there is no such incident.
    bool write_row(Incident& i) {
        static const std::string sql = "UPDATE incidents SET " +
                                       detail::join_fields(detail::updated_field,
                                                           [](const FieldInfo& f, int) {
                                                               return std::string(f.name) + "=?";
                                                           }) +
                                       ", geom=MakePoint(?, ?, 4326) WHERE id=? RETURNING created";
        i.updated = utc_now();
        // Prepared once per connection: a re-import updates every row (it spent a third of its
        // time preparing these).
        auto& old = cached(m_old_counted, "SELECT lon, lat, event_type, fatalities FROM incidents "
                                          "WHERE id = ?");
        old.bind(1, i.id);
        if (old.step()) {
            m_pending.clusters.add({old.real(0), old.real(1)}, std::string(old.text(2)),
                                   old.int64(3), -1);
        }
        old.reset();
        auto& s = cached(m_update, sql.c_str());
        const int n = bind_fields(s, i, detail::updated_field, 1);
        s.bind(n, i.point.lon).bind(n + 1, i.point.lat).bind(n + 2, i.id);
        if (!s.step()) {
            s.reset();
            return false;
        }
        i.created = std::string(s.text(0));
        s.run();
        cached(m_delete_evidence, "DELETE FROM evidence WHERE incident_id = ?").bind(1, i.id).run();
        cached(m_delete_fts, "DELETE FROM incidents_fts WHERE rowid = ?").bind(1, i.id).run();
        write_children(i);
        m_pending.clusters.add(i, 1);
        return true;
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
        m_pending.full_text.put(i.id, i.location, i.notes, std::move(all_evidence),
                                i.actor1 + " " + i.actor2);
    }

    // Streams matching incidents (without evidence) in the query's order to fn until it
    // returns false. SQL does the indexed prefilters; exact geodesic and polygon tests follow.
    void scan(const IncidentQuery& q, const std::function<bool(Incident&&)>& fn, bool ordered,
              const Cursor* keyset = nullptr) {
        const auto select = detail::scan_sql(dialect(), q, ordered, keyset);
        auto lease = statement(select.text);
        Statement& s = *lease;
        bind_values(s, select.values);
        const RowValues values = lease.row();
        const bool post_filter = detail::needs_incident_filter(q);
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
    StatementCache m_statements{m_db};
    std::optional<Statement> m_begin;
    std::optional<Statement> m_commit;
    std::optional<Statement> m_version;
    std::optional<Statement> m_evidence;
    std::optional<Statement> m_insert;
    std::optional<Statement> m_update;
    std::optional<Statement> m_old_counted;
    std::optional<Statement> m_delete_evidence;
    std::optional<Statement> m_delete_fts;
    std::optional<Statement> m_insert_evidence;
    PendingWrites m_pending; ///< what the open write transaction writes when it commits
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
