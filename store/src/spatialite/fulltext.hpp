#pragma once

// The full-text rows (incidents_fts) of a write transaction, written when it commits. FTS5
// writes its pending terms out at every statement savepoint, and each insert into incidents
// opens one (its spatial index triggers make it a multi-row write): rows added as incidents
// came made one tiny FTS5 segment per incident, and a bulk import spent a quarter of its time
// there. Written at the end, after the incidents, they are one segment per transaction.

#include "incidentmap/sqlite/sqlite.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace incidentmap::incidents::spatialite {

class FullTextQueue {
public:
    /// The text of incident `id`, replacing what was queued for it.
    void put(std::int64_t id, std::string location, std::string notes, std::string evidence,
             std::string actors);
    /// Forgets what was queued for incident `id` (removed, or rewritten).
    void erase(std::int64_t id) { m_rows.erase(id); }
    /// Writes the queued rows into incidents_fts and forgets them.
    void write(sqlite::Database& db);
    /// Forgets every queued row (the transaction rolled back).
    void clear() noexcept { m_rows.clear(); }

private:
    struct Row {
        std::string location, notes, evidence, actors;
    };
    std::map<std::int64_t, Row> m_rows;
    std::optional<sqlite::Statement> m_insert; ///< prepared once per connection
};

} // namespace incidentmap::incidents::spatialite
