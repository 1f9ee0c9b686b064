// The PostGIS backend of IncidentStore: libpq, a geometry column with a GiST index, a B-tree on
// time, full text in a tsvector, prepared statements, COPY for bulk loads, server-side cursors
// for long scans. Exact geodesic and polygon tests run in C++ after the index prefilter, as in
// the SpatiaLite backend, so both give the same answers.

#include "incidentmap/error.hpp"
#include "incidentmap/incidents/clock.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/store/store.hpp"

#include "../incident_columns.hpp"
#include "../sql/clusters.hpp"
#include "../sql/evidence.hpp"
#include "../sql/select.hpp"
#include "connection.hpp"
#include "dialect.hpp"
#include "schema.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace incidentmap::incidents {

namespace {

using postgis::Connection;
using postgis::copy_field;
using postgis::CursorRows;
using postgis::dialect;
using postgis::num;
using postgis::Param;
using postgis::Params;
using postgis::params_of;
using postgis::PgRow;
using postgis::Result;
using Tx = Connection::Transaction;

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

// A row of "SELECT id, text, source, url, title, published, text_hash, created".
Article read_article(const PgRow& row) {
    Article a;
    a.id = row.int64(0);
    a.text = row.text(1);
    a.source = row.text(2);
    a.url = row.text(3);
    a.title = row.text(4);
    a.published = row.text(5);
    a.text_hash = row.text(6);
    a.created = row.text(7);
    return a;
}

constexpr const char* select_articles =
    "SELECT id, text, source, url, title, published, text_hash, created FROM articles";

// The incidents an article supports (the index evidence_article, migration 6).
constexpr const char* articles_incidents =
    "SELECT DISTINCT incident_id FROM evidence WHERE article_id = $1 ORDER BY incident_id";

// Rows of one result, as the shared evidence readers step through them.
class ResultRows {
public:
    explicit ResultRows(const PGresult* r) noexcept : m_r(r) {}
    bool next() noexcept { return ++m_row < PQntuples(m_r); }
    [[nodiscard]] std::int64_t int64(int c) const noexcept { return PgRow(m_r, m_row).int64(c); }
    [[nodiscard]] std::string_view text(int c) const noexcept { return PgRow(m_r, m_row).text(c); }

private:
    const PGresult* m_r;
    int m_row = -1;
};

// An incident's line of COPY text, then its evidence's lines.
void copy_lines(const Incident& i, std::string& rows, std::string& evidence) {
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
        evidence += std::to_string(i.id) + "\t" +
                    (e.article_id > 0 ? std::to_string(e.article_id) : std::string("\\N")) + "\t" +
                    std::to_string(e.begin) + "\t" + std::to_string(e.end) + "\t";
        copy_field(evidence, e.text);
        evidence.push_back('\n');
    }
}

class PostgisStore final : public IncidentStore {
public:
    explicit PostgisStore(std::string uri) : m_db(std::move(uri)) {
        postgis::migrate(m_db);
        // The clusters' counts of a transaction's writes are written as it commits.
        m_db.before_commit = [this] { write_cluster_deltas(); };
        m_db.after_rollback = [this] { m_clusters.clear(); };
        fill_cluster_counts();
    }

    std::string backend() const override { return "postgis"; }

    std::unique_ptr<IncidentStore> reopen() override {
        return std::make_unique<PostgisStore>(m_db.uri());
    }

    ArticleRef add_article(Article& a) override {
        if (a.text_hash.empty()) {
            a.text_hash = text_sha256(a.text);
        }
        Tx tx(m_db);
        // Two writers of the same article: the second waits and then finds it.
        m_db.exec("SELECT pg_advisory_xact_lock(74320002)");
        auto found = m_db.exec("SELECT id FROM articles WHERE text_hash = $1 OR (url <> '' AND "
                               "url = $2) LIMIT 1",
                               {a.text_hash, a.url});
        if (PQntuples(found.get()) > 0) {
            a.id = std::atoll(PQgetvalue(found.get(), 0, 0));
            return {a.id, true};
        }
        a.created = utc_now();
        auto ins =
            m_db.exec("INSERT INTO articles(text, source, url, title, published, text_hash, "
                      "created) VALUES($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                      {a.text, a.source, a.url, a.title, a.published, a.text_hash, a.created});
        a.id = std::atoll(PQgetvalue(ins.get(), 0, 0));
        tx.commit();
        return {a.id, false};
    }

    void in_write_transaction(const std::function<void()>& fn) override {
        Tx tx(m_db);
        fn();
        tx.commit();
    }

    std::optional<Article> article(std::int64_t id) override {
        auto r = m_db.exec(std::string(select_articles) + " WHERE id = $1", {std::to_string(id)});
        if (PQntuples(r.get()) == 0) {
            return std::nullopt;
        }
        return read_article(PgRow(r.get(), 0));
    }

    std::vector<std::int64_t> incidents_of_article(std::int64_t article_id) override {
        auto r = m_db.exec(std::string(articles_incidents), {std::to_string(article_id)});
        const int rows = PQntuples(r.get());
        std::vector<std::int64_t> ids;
        ids.reserve(static_cast<std::size_t>(rows));
        for (int row = 0; row < rows; ++row) {
            ids.push_back(PgRow(r.get(), row).int64(0));
        }
        return ids;
    }

    void insert(std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        Tx tx(m_db);
        insert_rows(incidents);
        tx.commit();
    }

    bool upsert(Incident& i) override {
        std::vector<Incident> one{i};
        bool updated = upsert_all(one) > 0;
        i = std::move(one.front());
        return updated;
    }

    // The batch's stored source ids are found in one query and its new rows copied in
    // together: an import's round trips are a few per batch, not two per row (50,000 rows were
    // 100,000 statements). A source id twice in one batch: the later row updates the earlier,
    // as row-by-row upserts did.
    std::size_t upsert_all(std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        Tx tx(m_db);
        auto stored = stored_ids(incidents);
        std::vector<std::size_t> fresh; // positions of the rows to insert
        std::unordered_set<std::string_view> fresh_ids;
        auto insert_fresh = [&] {
            std::vector<Incident> rows;
            rows.reserve(fresh.size());
            for (auto k : fresh) {
                rows.push_back(std::move(incidents[k]));
            }
            insert_rows(rows);
            for (std::size_t n = 0; n < fresh.size(); ++n) {
                auto& i = incidents[fresh[n]];
                i = std::move(rows[n]);
                if (!i.source_id.empty()) {
                    stored[i.source_id] = i.id;
                }
            }
            fresh.clear();
            fresh_ids.clear();
        };
        std::size_t updated = 0;
        for (std::size_t k = 0; k < incidents.size(); ++k) {
            auto& i = incidents[k];
            if (!i.source_id.empty() && fresh_ids.count(i.source_id)) {
                insert_fresh();
            }
            if (auto it = i.source_id.empty() ? stored.end() : stored.find(i.source_id);
                it != stored.end()) {
                i.id = it->second;
                write_row(i);
                ++updated;
                continue;
            }
            if (!i.source_id.empty()) {
                fresh_ids.insert(i.source_id);
            }
            fresh.push_back(k);
        }
        insert_fresh();
        tx.commit();
        return updated;
    }

    void update(Incident& i) override {
        validate(i);
        Tx tx(m_db);
        if (!write_row(i)) {
            throw NotFound("no incident with id " + std::to_string(i.id));
        }
        tx.commit();
    }

    void merge_into(std::int64_t id, const Incident& dup) override {
        Tx tx(m_db);
        m_db.exec("SELECT id FROM incidents WHERE id = $1 FOR UPDATE", {std::to_string(id)});
        auto cur = get(id);
        if (!cur) {
            throw NotFound("no incident with id " + std::to_string(id));
        }
        Incident merged = detail::merged(*cur, dup);
        write_row(merged);
        tx.commit();
    }

    bool remove(std::int64_t id) override {
        Tx tx(m_db);
        auto r = m_db.exec("DELETE FROM incidents WHERE id = $1 RETURNING lon, lat, event_type, "
                           "fatalities",
                           {std::to_string(id)});
        const bool removed = PQntuples(r.get()) > 0;
        if (removed) {
            const PgRow row(r.get(), 0);
            m_clusters.add({row.real(0), row.real(1)}, std::string(row.text(2)), row.int64(3), -1);
        }
        tx.commit();
        return removed;
    }

    std::optional<Incident> get(std::int64_t id) override {
        auto r = m_db.exec_prepared("get",
                                    std::string("SELECT ") + dialect().incident_columns() +
                                        " FROM incidents WHERE id = $1",
                                    {std::to_string(id)});
        if (PQntuples(r.get()) == 0) {
            return std::nullopt;
        }
        std::vector<Incident> one(1);
        detail::read_incident_into(PgRow(r.get(), 0), one.front());
        load_evidence(one);
        return std::move(one.front());
    }

    std::vector<Incident> find_duplicates(const Incident& like) override {
        const auto select = detail::duplicates_sql(dialect(), like);
        auto r = m_db.exec(select.text, params_of(select.values));
        std::vector<Incident> out(static_cast<std::size_t>(PQntuples(r.get())));
        for (int k = 0; k < PQntuples(r.get()); ++k) {
            detail::read_incident_into(PgRow(r.get(), k), out[static_cast<std::size_t>(k)]);
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
                   const std::function<bool(Incident &&)>& fn) { scan(sub, fn, true, keyset); },
            [this](const IncidentQuery& sub) -> std::optional<std::size_t> {
                if (detail::needs_incident_filter(sub)) {
                    return std::nullopt;
                }
                const auto sql = detail::count_sql(dialect(), sub);
                auto r = m_db.exec(sql.text, params_of(sql.values));
                return static_cast<std::size_t>(PgRow(r.get(), 0).int64(0));
            });
        load_evidence(r.incidents);
        return r;
    }

    std::size_t for_each(const IncidentQuery& q,
                         const std::function<void(Incident&)>& fn) override {
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        // Incidents in id order, their evidence from a second cursor in the same order.
        Tx tx(m_db, "BEGIN READ ONLY");
        std::size_t n = 0;
        {
            detail::EvidenceMerge evidence(
                CursorRows(m_db, "ev", detail::evidence_in_range_sql(dialect(), q), 20000));
            n = detail::stream_with_evidence(
                q, evidence,
                [this](const IncidentQuery& ordered, const auto& row) {
                    scan(ordered, row, true, nullptr);
                },
                fn);
        } // the cursor is closed before the transaction ends
        tx.commit();
        return n;
    }

    Stats stats(const IncidentQuery& q) override {
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        if (detail::needs_incident_filter(q)) {
            return detail::tally([&](const auto& fn) { scan(q, fn, false, nullptr); });
        }
        Tx tx(m_db, "BEGIN READ ONLY"); // one snapshot for the three counts
        auto st = detail::tally_in_sql([&](detail::Tally by, const detail::TallyRow& row) {
            const auto sql = detail::tally_sql(dialect(), q, by);
            auto r = m_db.exec(sql.text, params_of(sql.values));
            for (int k = 0; k < PQntuples(r.get()); ++k) {
                const PgRow p(r.get(), k);
                row(p.text(0), by == detail::Tally::admin1 ? p.text(1) : "",
                    static_cast<std::size_t>(p.int64(by == detail::Tally::admin1 ? 2 : 1)));
            }
        });
        tx.commit();
        return st;
    }

    std::vector<Cluster> clusters(const IncidentQuery& q, ClusterGrid grid) override {
        IncidentQuery copy = q;
        copy.limit = 1;
        validate(copy);
        if (detail::needs_incident_filter(q)) {
            return detail::cluster_tally(q, grid, [&](const IncidentQuery& sub, const auto& fn) {
                scan(sub, fn, false, nullptr);
            });
        }
        const auto select = detail::counts_answer(q, grid)
                                ? detail::counted_clusters_sql(dialect(), q, grid)
                                : detail::clusters_sql(dialect(), q, grid);
        auto r = m_db.exec(select.text, params_of(select.values));
        detail::ClusterSums sums;
        for (int k = 0; k < PQntuples(r.get()); ++k) {
            const PgRow row(r.get(), k);
            sums.add(row.int64(0), row.int64(1), std::string(row.text(2)),
                     static_cast<std::size_t>(row.int64(3)), row.int64(4), row.real(5),
                     row.real(6));
        }
        return sums.clusters();
    }

    std::tuple<geo::BBox, std::string, std::string> extent() override {
        auto r = m_db.exec("SELECT min(lon), min(lat), max(lon), max(lat), "
                           "to_char(min(event_date), 'YYYY-MM-DD'), to_char(max(event_date), "
                           "'YYYY-MM-DD'), count(*) FROM incidents");
        const PgRow row(r.get(), 0);
        if (row.int64(6) == 0) {
            return {geo::BBox{-180, -90, 180, 90}, "", ""};
        }
        return {geo::BBox{row.real(0), row.real(1), row.real(2), row.real(3)},
                std::string(row.text(4)), std::string(row.text(5))};
    }

    bool imported(const std::string& digest) override {
        return PQntuples(
                   m_db.exec("SELECT 1 FROM imported_rows WHERE digest = $1", {digest}).get()) > 0;
    }

    void record_import(const ImportedRows& r) override {
        Tx tx(m_db);
        m_db.exec("INSERT INTO imported_rows(digest, rows, created) VALUES($1, $2, $3)",
                  {r.digest, std::to_string(r.rows), r.created.empty() ? utc_now() : r.created});
        tx.commit();
    }

    std::vector<ImportedRows> imports() override {
        std::vector<ImportedRows> out;
        auto r = m_db.exec("SELECT digest, rows, created FROM imported_rows ORDER BY digest");
        for (int row = 0; row < PQntuples(r.get()); ++row) {
            const PgRow x(r.get(), row);
            out.push_back({std::string(x.text(0)), static_cast<std::size_t>(x.int64(1)),
                           std::string(x.text(2))});
        }
        return out;
    }

    std::optional<std::pair<std::int64_t, std::int64_t>> id_bounds() override {
        auto r = m_db.exec("SELECT min(id), max(id) FROM incidents");
        const PgRow row(r.get(), 0);
        if (row.is_null(0)) {
            return std::nullopt;
        }
        return std::make_pair(row.int64(0), row.int64(1));
    }

    StoreCounts counts() override {
        auto r = m_db.exec("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM "
                           "incidents), (SELECT count(*) FROM evidence)");
        const PgRow row(r.get(), 0);
        return {static_cast<std::size_t>(row.int64(0)), static_cast<std::size_t>(row.int64(1)),
                static_cast<std::size_t>(row.int64(2))};
    }

    void for_each_article(const std::function<void(Article&)>& fn) override {
        Tx tx(m_db, "BEGIN READ ONLY");
        detail::SqlBuilder select(dialect());
        select.add(select_articles).add(" ORDER BY id");
        {
            CursorRows rows(m_db, "arts", select, 2000);
            while (rows.next()) {
                Article a = read_article(rows.row());
                fn(a);
            }
        } // the cursor is closed before the transaction ends
        tx.commit();
    }

    void restore(std::vector<Article>& articles, std::vector<Incident>& incidents) override {
        for (const auto& i : incidents) {
            validate(i);
        }
        Tx tx(m_db);
        copy_articles(articles);
        copy_in(incidents, true);
        for (const char* table : {"articles", "incidents"}) {
            m_db.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table +
                      "', 'id'), greatest((SELECT max(id) FROM " + table + "), 1))");
        }
        tx.commit();
    }

private:
    // Inserts, assigning ids: COPY pays off from a few dozen rows; below, its round trips cost
    // more than inserts.
    void insert_rows(std::vector<Incident>& incidents) {
        if (incidents.size() >= 64) {
            copy_in(incidents);
        } else {
            for (auto& i : incidents) {
                insert_one(i);
            }
        }
    }

    // The stored incidents' ids by the source ids of these, in one query.
    std::unordered_map<std::string, std::int64_t>
    stored_ids(const std::vector<Incident>& incidents) {
        std::unordered_map<std::string, std::int64_t> out;
        std::string array = "{"; // a text[] literal: each element quoted, \ and " escaped
        for (const auto& i : incidents) {
            if (i.source_id.empty()) {
                continue;
            }
            array += array.size() > 1 ? ",\"" : "\"";
            for (char c : i.source_id) {
                if (c == '"' || c == '\\') {
                    array.push_back('\\');
                }
                array.push_back(c);
            }
            array.push_back('"');
        }
        if (array.size() == 1) {
            return out;
        }
        array.push_back('}');
        // The second term lets a generic plan use the partial unique index.
        auto r = m_db.exec_prepared("find_sources",
                                    "SELECT source_id, id FROM incidents WHERE source_id = "
                                    "ANY($1::text[]) AND source_id <> ''",
                                    {array});
        for (int row = 0; row < PQntuples(r.get()); ++row) {
            out.emplace(PQgetvalue(r.get(), row, 0), std::atoll(PQgetvalue(r.get(), row, 1)));
        }
        return out;
    }

    void load_evidence(std::vector<Incident>& page) {
        if (page.empty()) {
            return;
        }
        const auto select = detail::evidence_of_sql(dialect(), detail::evidence_ids(page));
        auto r = m_db.exec_prepared("evidence", select.text, params_of(select.values));
        ResultRows rows(r.get());
        detail::attach_evidence(rows, page);
    }

    void insert_one(Incident& i) {
        static const std::string sql =
            "INSERT INTO incidents(" + detail::join_fields(detail::inserted_field, column_name) +
            ", evidence_text) VALUES(" + detail::join_fields(detail::inserted_field, placeholder) +
            ", $" + std::to_string(detail::count_fields(detail::inserted_field) + 1) +
            ") RETURNING id";
        i.created = i.updated = utc_now();
        auto r = m_db.exec_prepared("insert", sql, write_params(i, detail::inserted_field));
        i.id = std::atoll(PQgetvalue(r.get(), 0, 0));
        write_evidence(i);
        m_clusters.add(i, 1);
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
        i.updated = utc_now();
        // What the row counted for, locked until the transaction ends.
        auto old = m_db.exec_prepared("old_counted",
                                      "SELECT lon, lat, event_type, fatalities FROM incidents "
                                      "WHERE id = $1 FOR UPDATE",
                                      {std::to_string(i.id)});
        if (PQntuples(old.get()) == 0) {
            return false;
        }
        auto p = write_params(i, detail::updated_field);
        p.push_back(std::to_string(i.id));
        auto r = m_db.exec_prepared("update", sql, p);
        const PgRow was(old.get(), 0);
        m_clusters.add({was.real(0), was.real(1)}, std::string(was.text(2)), was.int64(3), -1);
        m_clusters.add(i, 1);
        i.created = PQgetvalue(r.get(), 0, 0);
        m_db.exec("DELETE FROM evidence WHERE incident_id = $1", {std::to_string(i.id)});
        write_evidence(i);
        return true;
    }

    void write_evidence(const Incident& i) {
        for (const auto& e : i.evidence) {
            m_db.exec_prepared(
                "insert_evidence",
                "INSERT INTO evidence(incident_id, article_id, start, \"end\", text) "
                "VALUES($1,$2,$3,$4,$5)",
                {std::to_string(i.id),
                 e.article_id > 0 ? Param(std::to_string(e.article_id)) : std::nullopt,
                 std::to_string(e.begin), std::to_string(e.end), e.text});
        }
    }

    void copy_articles(const std::vector<Article>& articles) {
        if (articles.empty()) {
            return;
        }
        std::string data;
        for (const auto& a : articles) {
            data += std::to_string(a.id);
            for (const std::string* f :
                 {&a.text, &a.source, &a.url, &a.title, &a.published, &a.text_hash, &a.created}) {
                data.push_back('\t');
                copy_field(data, *f);
            }
            data.push_back('\n');
        }
        m_db.copy("COPY articles(id, text, source, url, title, published, text_hash, created) "
                  "FROM STDIN",
                  data);
    }

    // Ids reserved from the sequence for new incidents, with the time of the write.
    void assign_ids(std::vector<Incident>& incidents) {
        auto r = m_db.exec("SELECT nextval(pg_get_serial_sequence('incidents', 'id')) FROM "
                           "generate_series(1, $1)",
                           {std::to_string(incidents.size())});
        const std::string now = utc_now();
        for (std::size_t k = 0; k < incidents.size(); ++k) {
            incidents[k].id = std::atoll(PQgetvalue(r.get(), static_cast<int>(k), 0));
            incidents[k].created = incidents[k].updated = now;
        }
    }

    // Bulk load with COPY: ids are reserved first (or kept, when restoring).
    void copy_in(std::vector<Incident>& incidents, bool keep_ids = false) {
        if (incidents.empty()) {
            return;
        }
        if (!keep_ids) {
            assign_ids(incidents);
        }
        std::string rows;
        std::string evidence;
        for (const auto& i : incidents) {
            copy_lines(i, rows, evidence);
            m_clusters.add(i, 1);
        }
        m_db.copy("COPY incidents(" + detail::join_fields(detail::every_field, column_name) +
                      ", evidence_text) FROM STDIN",
                  rows);
        if (!evidence.empty()) {
            m_db.copy("COPY evidence(incident_id, article_id, start, \"end\", text) FROM STDIN",
                      evidence);
        }
    }

    // Streams matching incidents (without evidence) through a server-side cursor; SQL does the
    // indexed prefilters, the exact geodesic and polygon tests follow in C++.
    void scan(const IncidentQuery& q, const std::function<bool(Incident&&)>& fn, bool ordered,
              const Cursor* keyset) {
        const auto select = detail::scan_sql(dialect(), q, ordered, keyset);
        const bool post_filter = detail::needs_incident_filter(q);
        Tx tx(m_db, "BEGIN READ ONLY");
        {
            CursorRows rows(m_db, "scan" + std::to_string(++m_cursors), select, 5000);
            Incident row;
            while (rows.next()) {
                detail::read_incident_into(rows.row(), row);
                if (post_filter && !matches(q, row)) {
                    continue;
                }
                if (!fn(std::move(row))) {
                    break;
                }
            }
        } // the cursor is closed before the transaction ends
        tx.commit();
    }

    void write_cluster_deltas() {
        for (const auto& sql : m_clusters.statements(dialect())) {
            m_db.exec(sql.text, params_of(sql.values));
        }
        m_clusters.clear();
    }

    // A store that had incidents before it kept the clusters' counts counts them once (one
    // process at a time).
    void fill_cluster_counts() {
        auto missing = [&] {
            auto r = m_db.exec(detail::cluster_counts_missing);
            return std::string_view(PQgetvalue(r.get(), 0, 0)) == "t";
        };
        if (!missing()) {
            return;
        }
        Tx tx(m_db);
        m_db.exec("SELECT pg_advisory_xact_lock(74320003)");
        if (missing()) {
            for (const auto& sql : detail::fill_cluster_counts_sql(dialect())) {
                m_db.exec(sql.text, params_of(sql.values));
            }
        }
        tx.commit();
    }

    Connection m_db;
    detail::ClusterDeltas m_clusters; ///< the open write transaction's changes of the counts
    std::size_t m_cursors = 0;        ///< names the cursors of nested scans apart
};

} // namespace

std::unique_ptr<IncidentStore> open_postgis_store(const std::string& uri) {
    return std::make_unique<PostgisStore>(uri);
}

} // namespace incidentmap::incidents
