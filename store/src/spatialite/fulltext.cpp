#include "fulltext.hpp"

namespace incidentmap::incidents::spatialite {

void FullTextQueue::put(std::int64_t id, std::string location, std::string notes,
                        std::string evidence, std::string actors) {
    m_rows.insert_or_assign(
        id, Row{std::move(location), std::move(notes), std::move(evidence), std::move(actors)});
}

void FullTextQueue::write(sqlite::Database& db) {
    if (m_rows.empty()) {
        return;
    }
    if (!m_insert) {
        m_insert.emplace(db.prepare("INSERT INTO incidents_fts(rowid, location, notes, evidence, "
                                    "actors) VALUES(?,?,?,?,?)"));
    }
    for (const auto& [id, row] : m_rows) {
        m_insert->bind(1, id)
            .bind(2, row.location)
            .bind(3, row.notes)
            .bind(4, row.evidence)
            .bind(5, row.actors)
            .run();
    }
    m_rows.clear();
}

} // namespace incidentmap::incidents::spatialite
