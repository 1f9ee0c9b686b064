// Ingest: an article's extraction stored with the article, in one write transaction.

#include "incidentmap/extract/extract.hpp"

namespace incidentmap::incidents {

IngestResult ingest(IncidentStore& store, const Extractor& extractor, const ArticleInput& input) {
    Extraction ex = extractor.extract(input);
    Article a;
    a.text = input.text;
    a.source = ex.source;
    a.url = input.url;
    a.title = input.title;
    a.published = ex.published;
    IngestResult r;
    for (const auto& t : ex.toponyms) {
        if (t.unplaced) {
            r.unplaced.push_back(t.text + " (" + t.place->name + ")");
        }
    }
    // One transaction: a process killed half-way leaves neither the article nor its incidents,
    // so that running the ingest again stores both (an article stored alone would read as
    // "existed" and its incidents would never come).
    store.in_write_transaction([&] {
        auto ref = store.add_article(a);
        r.article_id = ref.id;
        r.existed = ref.existed;
        if (ref.existed) {
            return;
        }
        std::vector<Incident> fresh;
        for (auto& inc : ex.incidents) {
            for (auto& e : inc.evidence) {
                e.article_id = ref.id;
            }
            auto dups = store.find_duplicates(inc);
            if (!dups.empty()) {
                store.merge_into(dups.front().id, inc);
                r.incident_ids.push_back(dups.front().id);
                ++r.merged;
            } else {
                fresh.push_back(std::move(inc));
            }
        }
        store.insert(fresh);
        for (const auto& inc : fresh) {
            r.incident_ids.push_back(inc.id);
        }
        r.created = fresh.size();
    });
    return r;
}

} // namespace incidentmap::incidents
