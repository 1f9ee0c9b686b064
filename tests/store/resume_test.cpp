// Writes that stop part-way and are run again, on each backend: a batch upsert that finds its
// stored and repeated source ids, a migrate that goes on after what a stopped one committed,
// an import of rows without source ids that stores them once.

#include "store_backends.hpp"
#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/import.hpp"
#include "incidentmap/store/migrate.hpp"
#include "incidentmap/store/store.hpp"

#include <sstream>
#include <stdexcept>

namespace {

using namespace incidentmap;
using incidents::Incident;
using incidents::IncidentQuery;

class Resume : public ::testing::TestWithParam<std::string> {
protected:
    std::unique_ptr<incidents::IncidentStore> open_store() {
        return test::open_test_store(GetParam());
    }
};

Incident make(int k, const std::string& source_id = "") {
    Incident i;
    i.point = {10.0 + k * 0.01, 20.0};
    i.event_date = "2022-03-29";
    i.event_type = "Battles";
    i.fatalities = k;
    i.notes = "incident " + std::to_string(k);
    i.source_id = source_id;
    return i;
}

std::vector<Incident> all_of(incidents::IncidentStore& store) {
    std::vector<Incident> out;
    store.for_each(IncidentQuery{}, [&](Incident& i) { out.push_back(i); });
    return out;
}

// 100 rows (a bulk load on PostGIS): one stored before, one twice in the batch (the later
// updates the earlier, as row-by-row upserts do), one without a source id, the rest new.
TEST_P(Resume, ABatchUpsertFindsStoredAndRepeatedSourceIds) {
    auto store = open_store();
    std::vector<Incident> first{make(0, "stored")};
    store->insert(first);
    std::vector<Incident> batch;
    batch.push_back(make(1, "stored"));
    batch.push_back(make(2, "twice"));
    batch.push_back(make(3));
    for (int k = 4; k < 99; ++k) {
        batch.push_back(make(k, "new " + std::to_string(k)));
    }
    batch.push_back(make(99, "twice"));
    EXPECT_EQ(store->upsert_all(batch), 2u);
    EXPECT_EQ(store->counts().incidents, 98u);
    for (const auto& i : batch) {
        ASSERT_GT(i.id, 0) << i.notes;
        EXPECT_EQ(store->get(i.id)->source_id, i.source_id) << i.notes;
    }
    EXPECT_EQ(batch.front().id, first.front().id);
    EXPECT_EQ(store->get(batch[1].id)->fatalities, 99) << "the later row of the source id wins";
    EXPECT_EQ(batch[1].id, batch.back().id);
}

// A source of articles, incidents and evidence; a migrate stopped after its first committed
// batch of incidents (its progress callback throws), then run again.
TEST_P(Resume, AMigrateGoesOnAfterWhatAStoppedOneCommitted) {
    auto source = incidents::open_spatialite_store(":memory:");
    incidents::Article a;
    a.text = "Shelling hit the market.";
    source->add_article(a);
    std::vector<Incident> rows;
    for (int k = 0; k < 25; ++k) {
        rows.push_back(make(k, k % 2 ? "src " + std::to_string(k) : ""));
    }
    rows[3].evidence.push_back({a.id, 0, 8, "Shelling"});
    source->insert(rows);
    auto target = open_store();
    const auto stop_after_incidents = [](const std::string& line) {
        if (line.find("incidents") != std::string::npos && line.rfind("0 / ", 0) != 0) {
            throw std::runtime_error("stopped");
        }
    };
    EXPECT_THROW(incidents::migrate(*source, *target, 10, stop_after_incidents),
                 std::runtime_error);
    EXPECT_EQ(target->counts().incidents, 10u) << "one batch committed";
    const auto got = incidents::migrate(*source, *target, 10);
    EXPECT_EQ(got, source->counts());
    const auto want = all_of(*source);
    const auto copied = all_of(*target);
    ASSERT_EQ(copied.size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
        EXPECT_EQ(copied[k].id, want[k].id);
        EXPECT_EQ(copied[k].source_id, want[k].source_id);
        EXPECT_EQ(copied[k].created, want[k].created);
        EXPECT_EQ(copied[k].evidence.size(), want[k].evidence.size());
    }
    // Complete: run again, it copies nothing and verifies.
    EXPECT_EQ(incidents::migrate(*source, *target, 10), source->counts());
}

TEST_P(Resume, AMigrateRefusesATargetHoldingAnythingElse) {
    auto source = incidents::open_spatialite_store(":memory:");
    std::vector<Incident> rows{make(1, "a"), make(2, "b")};
    source->insert(rows);
    auto target = open_store();
    std::vector<Incident> other{make(1, "not a")};
    target->insert(other);
    EXPECT_THROW(incidents::migrate(*source, *target, 10), InvalidInput);
    EXPECT_EQ(target->counts().incidents, 1u) << "nothing written";
    auto holes = open_store(); // the source's second incident without its first
    incidents::migrate(*source, *holes, 10);
    ASSERT_TRUE(holes->remove(rows[0].id));
    EXPECT_THROW(incidents::migrate(*source, *holes, 10), InvalidInput);
}

// Rows without source ids: the second import of the same rows stores nothing more, with or
// without rows with ids beside them; other rows are stored; a migrate copies the records.
TEST_P(Resume, RowsWithoutSourceIdsAreImportedOnce) {
    auto store = open_store();
    const std::string two =
        R"({"type":"FeatureCollection","features":[)"
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},)"
        R"("properties":{"event_date":"2022-03-29","event_type":"Battles"}},)"
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},)"
        R"("properties":{"event_date":"2022-03-29","event_type":"Battles"}},)"
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[3,4]},)"
        R"("properties":{"event_date":"2022-03-30","event_type":"Riots","source_id":"r1"}}]})";
    auto import = [&](const std::string& doc) {
        std::istringstream in(doc);
        return incidents::import_incidents(*store, in, incidents::ImportFormat::geojson);
    };
    auto r = import(two);
    EXPECT_EQ(r.created, 3u) << "two equal rows are two incidents";
    EXPECT_EQ(r.unchanged, 0u);
    r = import(two);
    EXPECT_EQ(r.created, 0u);
    EXPECT_EQ(r.updated, 1u);
    EXPECT_EQ(r.unchanged, 2u);
    EXPECT_EQ(store->counts().incidents, 3u);
    std::string other = two;
    other.replace(other.find("[1,2]"), 5, "[5,6]");
    r = import(other);
    EXPECT_EQ(r.created, 2u) << "other rows without ids";
    EXPECT_EQ(store->counts().incidents, 5u);
    // A migrate takes the records along: the copy knows the rows too.
    const auto records = store->imports();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].rows, 2u);
    auto copy = incidents::open_spatialite_store(":memory:");
    incidents::migrate(*store, *copy, 10);
    const auto copied = copy->imports();
    ASSERT_EQ(copied.size(), 2u);
    for (std::size_t k = 0; k < copied.size(); ++k) {
        EXPECT_EQ(copied[k].digest, records[k].digest);
        EXPECT_EQ(copied[k].created, records[k].created);
    }
    std::istringstream in(two);
    EXPECT_EQ(incidents::import_incidents(*copy, in, incidents::ImportFormat::geojson).unchanged,
              2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Resume, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& info) { return info.param; });

} // namespace
