// The PostGIS store's tables, as its migrations made them.

#include "schema.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/incidents/clock.hpp"

#include <cstdlib>
#include <string>
#include <vector>

namespace incidentmap::incidents::postgis {

namespace {

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
        // 3: the further attributes of a source's row (fields.hpp: attributes).
        R"(
        ALTER TABLE incidents ADD COLUMN attributes text;
        )",
        // 4: the rows without source ids that imports stored, by their digest (see
        // IncidentStore::record_import): importing them again stores nothing more.
        R"(
        CREATE TABLE IF NOT EXISTS imported_rows(
            digest text PRIMARY KEY,
            rows bigint NOT NULL,
            created text NOT NULL);
        )",
        // 5: the clusters' counts by square and event type of the low zooms' grids (see
        // store/src/sql/clusters.hpp); filled from the incidents when the store opens.
        R"(
        CREATE TABLE IF NOT EXISTS cluster_counts(
            level integer NOT NULL,
            y bigint NOT NULL,
            x bigint NOT NULL,
            event_type text NOT NULL,
            n bigint NOT NULL,
            fatalities bigint NOT NULL,
            lon_sum double precision NOT NULL,
            lat_sum double precision NOT NULL,
            PRIMARY KEY(level, y, x, event_type));
        )",
        // 6: an article's incidents found without a scan (GET /api/articles/{id}).
        "CREATE INDEX IF NOT EXISTS evidence_article ON evidence(article_id, incident_id);",
    };
    return m;
}

} // namespace

void migrate(Connection& c) {
    Connection::Transaction tx(c);
    // One migrating process at a time: two servers started together would both apply them.
    c.exec("SELECT pg_advisory_xact_lock(74320001)");
    c.exec("CREATE EXTENSION IF NOT EXISTS postgis");
    c.exec("CREATE TABLE IF NOT EXISTS schema_migrations(version integer PRIMARY KEY, applied "
           "text NOT NULL)");
    auto r = c.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
    auto current = static_cast<std::size_t>(std::atoll(PQgetvalue(r.get(), 0, 0)));
    const auto& all = migrations();
    if (current > all.size()) {
        throw StorageError("the database has schema version " + std::to_string(current) +
                           ", newer than this incidentmap (" + std::to_string(all.size()) + ")");
    }
    for (std::size_t v = current; v < all.size(); ++v) {
        c.exec(all[v]);
        c.exec("INSERT INTO schema_migrations VALUES($1, $2)", {std::to_string(v + 1), utc_now()});
    }
    tx.commit();
}

} // namespace incidentmap::incidents::postgis
