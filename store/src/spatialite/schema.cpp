// The SpatiaLite store's tables, as its migrations made them.

#include "schema.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/incidents/clock.hpp"
#include "incidentmap/incidents/incident.hpp"

#include <sqlite3.h>

#include <string>
#include <vector>

namespace incidentmap::incidents::spatialite {

using sqlite::Database;
using sqlite::Transaction;

namespace {

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
        // 4: the further attributes of a source's row (fields.hpp: attributes).
        R"(
        ALTER TABLE incidents ADD COLUMN attributes TEXT;
        )",
        // 5: the spatial index kept by plain SQL. SpatiaLite's own triggers called
        // RTreeAlign(), which prepares and runs a statement of its own for every row, and
        // stamped geometry_columns_time on every write (nothing here reads it): a bulk import
        // spent a fifth of its time in them. The index holds the same boxes (SQLite's R*Tree
        // rounds float32 bounds outwards), under the same trigger names, so that SpatiaLite's
        // DisableSpatialIndex and RecoverSpatialIndex still find them.
        R"(
        DROP TRIGGER IF EXISTS tmi_incidents_geom;
        DROP TRIGGER IF EXISTS tmu_incidents_geom;
        DROP TRIGGER IF EXISTS tmd_incidents_geom;
        DROP TRIGGER IF EXISTS gii_incidents_geom;
        DROP TRIGGER IF EXISTS giu_incidents_geom;
        CREATE TRIGGER gii_incidents_geom AFTER INSERT ON incidents
        FOR EACH ROW WHEN NEW.geom IS NOT NULL BEGIN
            INSERT INTO idx_incidents_geom(pkid, xmin, xmax, ymin, ymax)
            VALUES (NEW.ROWID, MbrMinX(NEW.geom), MbrMaxX(NEW.geom), MbrMinY(NEW.geom),
                    MbrMaxY(NEW.geom));
        END;
        CREATE TRIGGER giu_incidents_geom AFTER UPDATE OF geom ON incidents
        FOR EACH ROW BEGIN
            DELETE FROM idx_incidents_geom WHERE pkid = NEW.ROWID;
            INSERT INTO idx_incidents_geom(pkid, xmin, xmax, ymin, ymax)
            SELECT NEW.ROWID, MbrMinX(NEW.geom), MbrMaxX(NEW.geom), MbrMinY(NEW.geom),
                   MbrMaxY(NEW.geom)
            WHERE NEW.geom IS NOT NULL;
        END;
        )",
        // 6: the rows without source ids that imports stored, by their digest (see
        // IncidentStore::record_import): importing them again stores nothing more.
        R"(
        CREATE TABLE IF NOT EXISTS imported_rows(
            digest TEXT PRIMARY KEY,
            rows INTEGER NOT NULL,
            created TEXT NOT NULL);
        )",
        // 7: the clusters' counts by square and event type of the low zooms' grids (see
        // store/src/sql/clusters.hpp); filled from the incidents when the store opens.
        R"(
        CREATE TABLE IF NOT EXISTS cluster_counts(
            level INTEGER NOT NULL,
            y INTEGER NOT NULL,
            x INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            n INTEGER NOT NULL,
            fatalities INTEGER NOT NULL,
            lon_sum REAL NOT NULL,
            lat_sum REAL NOT NULL,
            PRIMARY KEY(level, y, x, event_type)) WITHOUT ROWID;
        )",
        // 8: an article's incidents found without a scan (GET /api/articles/{id}).
        "CREATE INDEX IF NOT EXISTS evidence_article ON evidence(article_id, incident_id);",
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

} // namespace

void migrate(Database& db) {
    register_sha256(db.handle());
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
            "applied TEXT NOT NULL)");
    auto s = db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    s.step();
    auto current = static_cast<std::size_t>(s.int64(0));
    s.reset();
    const auto& all = migrations();
    if (current > all.size()) {
        throw StorageError("database '" + db.path() + "' has schema version " +
                           std::to_string(current) + ", newer than this incidentmap (" +
                           std::to_string(all.size()) + ")");
    }
    if (current == 0) {
        // Spatial metadata (only WGS 84 reference systems: fast and small).
        auto has = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'spatial_ref_sys'");
        has.step();
        if (has.int64(0) == 0) {
            db.exec("SELECT InitSpatialMetadata(1, 'WGS84')");
        }
    }
    for (std::size_t v = current; v < all.size(); ++v) {
        Transaction tx(db, "BEGIN IMMEDIATE");
        db.exec(all[v]);
        auto ins = db.prepare("INSERT INTO schema_migrations VALUES(?, ?)");
        ins.bind(1, static_cast<std::int64_t>(v + 1)).bind(2, utc_now()).run();
        tx.commit();
    }
}

} // namespace incidentmap::incidents::spatialite
