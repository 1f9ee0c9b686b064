#include "incidentmap/store/migrate.hpp"

#include "incidentmap/error.hpp"

namespace incidentmap::incidents {

namespace {

std::string counted(std::size_t done, std::size_t all, const char* what) {
    return std::to_string(done) + " / " + std::to_string(all) + " " + what;
}

void copy_articles(IncidentStore& source, IncidentStore& target, std::size_t batch, std::size_t all,
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
        articles.push_back(std::move(a));
        if (articles.size() == batch) {
            flush();
        }
    });
    flush();
}

void copy_incidents(IncidentStore& source, IncidentStore& target, std::size_t batch,
                    std::size_t all, const std::function<void(const std::string&)>& progress) {
    std::vector<Article> none;
    std::vector<Incident> page;
    std::size_t done = 0;
    auto flush = [&] {
        target.restore(none, page);
        done += page.size();
        page.clear();
        if (progress) {
            progress(counted(done, all, "incidents"));
        }
    };
    source.for_each(IncidentQuery{}, [&](Incident& i) {
        page.push_back(std::move(i));
        if (page.size() == batch) {
            flush();
        }
    });
    flush();
}

} // namespace

StoreCounts migrate(IncidentStore& source, IncidentStore& target, std::size_t batch,
                    const std::function<void(const std::string&)>& progress) {
    const auto want = source.counts();
    const auto there = target.counts();
    if (there.articles || there.incidents || there.evidence) {
        throw InvalidInput("the target already holds " + std::to_string(there.incidents) +
                           " incidents and " + std::to_string(there.articles) +
                           " articles; migrate into an empty database");
    }
    copy_articles(source, target, batch, want.articles, progress);
    copy_incidents(source, target, batch, want.incidents, progress);
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
