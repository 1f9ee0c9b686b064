#include "incidentmap/store/migrate.hpp"

#include "incidentmap/error.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace incidentmap::incidents {

namespace {

std::string counted(std::size_t done, std::size_t all, const char* what) {
    return std::to_string(done) + " / " + std::to_string(all) + " " + what;
}

// What an earlier migrate of the same source, stopped part-way (killed, a lost server),
// committed to the target. Batches go in id order, every article before the first incident, so
// such a target holds the source's first articles by id and, once those are all there, its
// first incidents by id with their evidence.
struct CopiedBefore {
    std::vector<std::pair<std::int64_t, std::string>> articles; ///< id and text digest, by id
    std::size_t incidents = 0;
    std::optional<Incident> last_incident; ///< the one with the largest id
};

InvalidInput not_a_partial_copy(const StoreCounts& there, const std::string& why) {
    return InvalidInput("the target already holds " + std::to_string(there.incidents) +
                        " incidents and " + std::to_string(there.articles) +
                        " articles that are not the start of a copy of this source (" + why +
                        "); migrate into an empty database");
}

CopiedBefore copied_before(IncidentStore& target, const StoreCounts& want,
                           const StoreCounts& there) {
    CopiedBefore before;
    if (there == StoreCounts{}) {
        return before;
    }
    if (there.incidents > 0 && there.articles != want.articles) {
        throw not_a_partial_copy(there, "incidents without all of the articles");
    }
    target.for_each_article(
        [&](Article& a) { before.articles.emplace_back(a.id, std::move(a.text_hash)); });
    before.incidents = there.incidents;
    if (auto bounds = target.id_bounds()) {
        before.last_incident = target.get(bounds->second);
    }
    return before;
}

void copy_articles(IncidentStore& source, IncidentStore& target, std::size_t batch, std::size_t all,
                   const CopiedBefore& before, const StoreCounts& there,
                   const std::function<void(const std::string&)>& progress) {
    std::vector<Article> articles;
    std::vector<Incident> none;
    std::size_t done = 0;
    auto flush = [&] {
        target.restore(articles, none);
        done += articles.size();
        articles.clear();
        if (progress) {
            progress(counted(done, all, "articles"));
        }
    };
    source.for_each_article([&](Article& a) {
        if (done < before.articles.size()) { // there: it must be the same article
            if (before.articles[done].first != a.id ||
                before.articles[done].second != a.text_hash) {
                throw not_a_partial_copy(there, "article " + std::to_string(a.id) + " differs");
            }
            ++done;
            return;
        }
        articles.push_back(std::move(a));
        if (articles.size() == batch) {
            flush();
        }
    });
    if (done < before.articles.size()) {
        throw not_a_partial_copy(there, "articles the source does not hold");
    }
    flush();
}

void copy_incidents(IncidentStore& source, IncidentStore& target, std::size_t batch,
                    std::size_t all, const CopiedBefore& before, const StoreCounts& there,
                    const std::function<void(const std::string&)>& progress) {
    std::vector<Article> none;
    std::vector<Incident> page;
    std::size_t done = 0;
    const std::int64_t last = before.last_incident ? before.last_incident->id : 0;
    // The target's incidents must be the source's up to the last of them, none missing: checked
    // before the first one is written.
    bool checked = false;
    auto check_skipped = [&] {
        if (!checked && done != before.incidents) {
            throw not_a_partial_copy(there, "the source holds " + std::to_string(done) +
                                                " incidents up to id " + std::to_string(last));
        }
        checked = true;
    };
    auto flush = [&] {
        target.restore(none, page);
        done += page.size();
        page.clear();
        if (progress) {
            progress(counted(done, all, "incidents"));
        }
    };
    source.for_each(IncidentQuery{}, [&](Incident& i) {
        if (i.id <= last) {
            if (i.id == last && (i.source_id != before.last_incident->source_id ||
                                 i.created != before.last_incident->created ||
                                 i.event_date != before.last_incident->event_date)) {
                throw not_a_partial_copy(there, "incident " + std::to_string(i.id) + " differs");
            }
            ++done;
            return;
        }
        check_skipped();
        page.push_back(std::move(i));
        if (page.size() == batch) {
            flush();
        }
    });
    check_skipped();
    flush();
}

} // namespace

StoreCounts migrate(IncidentStore& source, IncidentStore& target, std::size_t batch,
                    const std::function<void(const std::string&)>& progress) {
    const auto want = source.counts();
    const auto there = target.counts();
    const auto before = copied_before(target, want, there);
    if (progress && !(there == StoreCounts{})) {
        progress("resuming: " + std::to_string(there.articles) + " articles and " +
                 std::to_string(there.incidents) + " incidents were copied before");
    }
    copy_articles(source, target, batch, want.articles, before, there, progress);
    copy_incidents(source, target, batch, want.incidents, before, there, progress);
    // The records of imported rows without source ids, those not there yet (resuming).
    target.in_write_transaction([&] {
        for (const auto& r : source.imports()) {
            if (!target.imported(r.digest)) {
                target.record_import(r);
            }
        }
    });
    const auto got = target.counts();
    if (!(got == want)) {
        throw StorageError("verification failed: the source holds " +
                           std::to_string(want.articles) + " articles, " +
                           std::to_string(want.incidents) + " incidents, " +
                           std::to_string(want.evidence) + " evidence rows; the target " +
                           std::to_string(got.articles) + ", " + std::to_string(got.incidents) +
                           ", " + std::to_string(got.evidence));
    }
    return got;
}

} // namespace incidentmap::incidents
