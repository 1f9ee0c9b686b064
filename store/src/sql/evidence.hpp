#pragma once

// Evidence rows (evidence_columns) read into incidents, the same way on both backends. `Rows`
// is a backend's result: `bool next()` steps to the next row (false after the last), and
// int64(c) and text(c) read a column of the current one (int64 of NULL is 0).

#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/query/query.hpp"

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace incidentmap::incidents::detail {

/// Fills `e` from the current row of `rows`.
template <typename Rows> void read_evidence_row(const Rows& rows, Evidence& e) {
    e.article_id = rows.int64(1);
    e.begin = static_cast<std::size_t>(rows.int64(2));
    e.end = static_cast<std::size_t>(rows.int64(3));
    e.text.assign(rows.text(4));
}

/// The evidence of an id-ordered stream of incidents, from rows in the same order
/// (evidence_in_range_sql): a merge join, not one query per incident.
template <typename Rows> class EvidenceMerge {
public:
    explicit EvidenceMerge(Rows rows) : m_rows(std::move(rows)), m_row(m_rows.next()) {}

    /// Fills `out` with the evidence of incident `id`, reusing its strings; ids must come in
    /// ascending order.
    void read(std::int64_t id, std::vector<Evidence>& out) {
        while (m_row && m_rows.int64(0) < id) {
            m_row = m_rows.next();
        }
        std::size_t n = 0;
        while (m_row && m_rows.int64(0) == id) {
            if (n == out.size()) {
                out.emplace_back();
            }
            read_evidence_row(m_rows, out[n++]);
            m_row = m_rows.next();
        }
        out.resize(n);
    }

private:
    Rows m_rows;
    bool m_row;
};

/// Streams the matches of `query` in id order, each with its evidence from `evidence`, to
/// `fn`; returns their number. `scan(query, callback)` is the backend's ordered scan.
template <typename Rows, typename Scan>
std::size_t stream_with_evidence(const IncidentQuery& query, EvidenceMerge<Rows>& evidence,
                                 Scan&& scan, const std::function<void(Incident&)>& fn) {
    IncidentQuery ordered = query;
    ordered.sort = IncidentQuery::Sort::id_asc;
    std::size_t n = 0;
    scan(ordered, [&](Incident&& i) {
        evidence.read(i.id, i.evidence);
        fn(i);
        ++n;
        return true;
    });
    return n;
}

/// The ids of a page, for evidence_of_sql; clears the page's evidence.
inline std::vector<std::int64_t> evidence_ids(std::vector<Incident>& page) {
    std::vector<std::int64_t> ids;
    ids.reserve(page.size());
    for (auto& i : page) {
        ids.push_back(i.id);
        i.evidence.clear();
    }
    return ids;
}

/// Appends the evidence rows (evidence_of_sql of the page's ids) to their incidents.
template <typename Rows> void attach_evidence(Rows& rows, std::vector<Incident>& page) {
    std::unordered_map<std::int64_t, Incident*> by_id;
    by_id.reserve(page.size());
    for (auto& i : page) {
        by_id.emplace(i.id, &i);
    }
    while (rows.next()) {
        auto it = by_id.find(rows.int64(0));
        if (it != by_id.end()) {
            read_evidence_row(rows, it->second->evidence.emplace_back());
        }
    }
}

} // namespace incidentmap::incidents::detail
