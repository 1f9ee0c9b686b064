// The SpatiaLite store: writes, transactions, text search and a property test of every spatial
// and attribute filter against a brute-force scan.

#include "incidents/field_values.hpp"
#include "store_backends.hpp"
#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/geo/geodesic.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/query/cql2.hpp"
#include "incidentmap/store/store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <type_traits>

namespace {

using namespace incidentmap;
using incidents::Incident;
using incidents::IncidentQuery;

// Every test runs on each backend built and reachable (see test::store_backends()).
class Store : public ::testing::TestWithParam<std::string> {
protected:
    std::unique_ptr<incidents::IncidentStore> open_store() {
        return test::open_test_store(GetParam());
    }
};

Incident make(double lon, double lat, const std::string& date = "2022-03-29",
              const std::string& type = "Battles", int fatalities = 0) {
    Incident i;
    i.point = {lon, lat};
    i.event_date = date;
    i.event_type = type;
    i.fatalities = fatalities;
    i.location = "Somewhere";
    i.notes = "A test incident";
    return i;
}

TEST_P(Store, InsertGetUpdateRemove) {
    auto store = open_store();
    std::vector<Incident> v{
        make(31.99296, 46.97625, "2022-03-29", "Explosions/Remote violence", 3)};
    v[0].injured = 22;
    v[0].evidence.push_back({0, 10, 20, "the sentence"});
    store->insert(v);
    ASSERT_GT(v[0].id, 0);
    auto got = store->get(v[0].id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->fatalities, 3);
    EXPECT_EQ(got->injured, 22);
    EXPECT_DOUBLE_EQ(got->point.lon, 31.99296);
    ASSERT_EQ(got->evidence.size(), 1u);
    EXPECT_EQ(got->evidence[0].text, "the sentence");
    EXPECT_FALSE(got->created.empty());
    got->fatalities = 4;
    store->update(*got);
    EXPECT_EQ(store->get(v[0].id)->fatalities, 4);
    EXPECT_TRUE(store->remove(v[0].id));
    EXPECT_FALSE(store->get(v[0].id));
    EXPECT_FALSE(store->remove(v[0].id));
    Incident ghost = make(0, 0);
    ghost.id = 12345;
    EXPECT_THROW(store->update(ghost), NotFound);
}

// Every field of the table is written and read back by each way of writing: one insert, an
// update, a bulk insert (COPY on PostGIS), an upsert, and a restore (which keeps the store's own
// fields too); read back one by one and by a query.
TEST_P(Store, EveryFieldIsWrittenAndReadBack) {
    auto store = open_store();
    const auto assigned = [](const incidents::FieldInfo& f) { return f.assigned; };
    std::vector<Incident> one{test::every_field_set()};
    store->insert(one);
    auto got = store->get(one[0].id);
    ASSERT_TRUE(got);
    test::expect_fields_equal(*got, test::every_field_set(), "insert", assigned);
    EXPECT_FALSE(got->created.empty());
    EXPECT_FALSE(got->updated.empty());
    Incident changed = test::every_field_set(1);
    changed.id = one[0].id;
    store->update(changed);
    got = store->get(one[0].id);
    test::expect_fields_equal(*got, test::every_field_set(1), "update", assigned);
    std::vector<Incident> many;
    for (int k = 0; k < 70; ++k) {
        many.push_back(test::every_field_set(k % 2));
        many.back().source_id += " " + std::to_string(k);
    }
    const std::vector<Incident> want = many;
    store->insert(many);
    IncidentQuery q;
    q.sort = IncidentQuery::Sort::id_asc;
    const auto page = store->query(q);
    ASSERT_EQ(page.incidents.size(), 71u);
    for (std::size_t k = 0; k < many.size(); ++k) {
        test::expect_fields_equal(*store->get(many[k].id), want[k], "bulk insert", assigned);
        test::expect_fields_equal(page.incidents[k + 1], want[k], "query", assigned);
    }
    std::vector<Incident> upsert{want[3]};
    upsert[0].notes = "upserted";
    EXPECT_EQ(store->upsert_all(upsert), 1u);
    EXPECT_EQ(upsert[0].id, many[3].id);
    Incident upserted = want[3];
    upserted.notes = "upserted";
    test::expect_fields_equal(*store->get(many[3].id), upserted, "upsert", assigned);
    auto restored = open_store();
    std::vector<incidents::Article> no_articles;
    std::vector<Incident> copies{test::every_field_set(), test::every_field_set(1)};
    copies[0].id = 7;
    copies[1].id = 9;
    copies[1].source_id = "another";
    const std::vector<Incident> kept = copies;
    restored->restore(no_articles, copies);
    test::expect_fields_equal(*restored->get(7), kept[0], "restore");
    test::expect_fields_equal(*restored->get(9), kept[1], "restore");
}

TEST_P(Store, AnInvalidIncidentWritesNothing) {
    auto store = open_store();
    std::vector<Incident> v{make(1, 1), make(2, 2), make(200, 0)};
    EXPECT_THROW(store->insert(v), InvalidInput);
    v = {make(1, 1), make(2, 2, "2022-02-30")};
    EXPECT_THROW(store->insert(v), InvalidInput);
    v = {make(1, 1, "2022-03-01", "Picnic")};
    EXPECT_THROW(store->insert(v), InvalidInput);
    IncidentQuery all;
    EXPECT_EQ(store->query(all).number_matched, 0u);
}

TEST_P(Store, UpsertBySourceIdAndArticleDeduplication) {
    auto store = open_store();
    Incident a = make(10, 10);
    a.source_id = "UKR1234";
    EXPECT_FALSE(store->upsert(a));
    Incident b = make(11, 11);
    b.source_id = "UKR1234";
    b.fatalities = 7;
    EXPECT_TRUE(store->upsert(b));
    IncidentQuery all;
    auto r = store->query(all);
    ASSERT_EQ(r.number_matched, 1u);
    EXPECT_EQ(r.incidents[0].fatalities, 7);
    incidents::Article art;
    art.text = "Some text";
    art.url = "https://example.org/a";
    auto first = store->add_article(art);
    EXPECT_FALSE(first.existed);
    incidents::Article same_text;
    same_text.text = "Some text";
    EXPECT_TRUE(store->add_article(same_text).existed);
    incidents::Article same_url;
    same_url.text = "Other text";
    same_url.url = "https://example.org/a";
    auto again = store->add_article(same_url);
    EXPECT_TRUE(again.existed);
    EXPECT_EQ(again.id, first.id);
}

// An article's incidents are those with evidence in it, each once, in id order; merging and
// removing incidents keeps the answer true.
TEST_P(Store, AnArticlesIncidentsAreThoseCitingIt) {
    auto store = open_store();
    incidents::Article one;
    one.text = "First article";
    one.id = store->add_article(one).id;
    incidents::Article two;
    two.text = "Second article";
    two.id = store->add_article(two).id;
    std::vector<Incident> v{make(1, 1), make(2, 2), make(3, 3), make(4, 4)};
    v[0].evidence = {{one.id, 0, 5, "First"}, {one.id, 6, 13, "article"}};
    v[1].evidence = {{two.id, 0, 6, "Second"}};
    v[2].evidence = {{one.id, 0, 5, "First"}, {two.id, 7, 14, "article"}};
    store->insert(v);
    EXPECT_EQ(store->incidents_of_article(one.id), (std::vector<std::int64_t>{v[0].id, v[2].id}));
    EXPECT_EQ(store->incidents_of_article(two.id), (std::vector<std::int64_t>{v[1].id, v[2].id}));
    EXPECT_TRUE(store->incidents_of_article(two.id + 1000).empty());
    store->merge_into(v[3].id, v[1]); // v[3] takes v[1]'s evidence
    EXPECT_TRUE(store->remove(v[1].id));
    EXPECT_TRUE(store->remove(v[2].id));
    EXPECT_EQ(store->incidents_of_article(one.id), std::vector<std::int64_t>{v[0].id});
    EXPECT_EQ(store->incidents_of_article(two.id), std::vector<std::int64_t>{v[3].id});
}

// A second insert of a stored source id is a Conflict (HTTP 409), on one row and on a bulk
// load (COPY on PostGIS), whose message names neither SQL nor the statement; nothing of the
// failed write stays.
TEST_P(Store, ADuplicateSourceIdIsAConflictWithoutSql) {
    auto store = open_store();
    Incident a = make(10, 10);
    a.source_id = "UCDP-1";
    std::vector<Incident> one{a};
    store->insert(one);
    for (std::size_t n : {std::size_t{1}, std::size_t{100}}) {
        std::vector<Incident> again(n, make(12, 12));
        for (std::size_t k = 0; k < n; ++k) {
            again[k].source_id = "new " + std::to_string(k);
        }
        again.back().source_id = "UCDP-1";
        try {
            store->insert(again);
            ADD_FAILURE() << "a duplicate source id was stored (" << n << " rows)";
        } catch (const Conflict& e) {
            const std::string what = e.what();
            for (const char* sql : {"INSERT", "COPY", "SELECT", "incidents("}) {
                EXPECT_EQ(what.find(sql), std::string::npos) << what;
            }
        }
        EXPECT_EQ(store->counts().incidents, 1u) << n << " rows";
    }
}

// The store's timestamps come from one clock: an update keeps `created` and advances
// `updated`, and both read back as the writer was told.
TEST_P(Store, TimestampsAreTheWritesTimeInUtc) {
    auto store = open_store();
    std::vector<Incident> v{make(1, 1)};
    store->insert(v);
    const std::string created = v[0].created;
    ASSERT_EQ(created.size(), 20u) << created;
    EXPECT_EQ(created.back(), 'Z');
    EXPECT_EQ(v[0].updated, created);
    auto got = store->get(v[0].id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->created, created);
    got->created = "";
    store->update(*got);
    EXPECT_EQ(got->created, created) << "update tells the writer the stored created";
    EXPECT_GE(got->updated, created);
    EXPECT_EQ(store->get(v[0].id)->updated, got->updated);
}

// Full-text rows follow an incident through one transaction (SpatiaLite writes them when it
// commits): an update's text replaces the insert's, a removal leaves none, a rollback writes
// none, not even into the row that later takes the same id.
TEST_P(Store, TextSearchSeesTheLastWriteOfATransaction) {
    auto store = open_store();
    auto matches = [&](const char* word) {
        IncidentQuery q;
        q.text = word;
        return store->query(q).number_matched.value_or(0);
    };
    std::vector<Incident> v{make(1, 1), make(2, 2)};
    v[0].notes = "alpha words";
    v[1].notes = "gamma words";
    store->in_write_transaction([&] {
        store->insert(v);
        Incident changed = v[0];
        changed.notes = "beta words";
        store->update(changed);
        store->remove(v[1].id);
    });
    EXPECT_EQ(matches("alpha"), 0u);
    EXPECT_EQ(matches("beta"), 1u);
    EXPECT_EQ(matches("gamma"), 0u);
    EXPECT_THROW(store->in_write_transaction([&] {
        std::vector<Incident> w{make(3, 3)};
        w[0].notes = "delta";
        store->insert(w);
        throw InvalidInput("abandoned");
    }),
                 InvalidInput);
    // A write of another incident commits next, then a new one may take the abandoned id.
    Incident again = *store->get(v[0].id);
    again.notes = "beta again";
    store->update(again);
    std::vector<Incident> w{make(4, 4)};
    w[0].notes = "epsilon";
    store->insert(w);
    EXPECT_EQ(matches("epsilon"), 1u);
    EXPECT_EQ(matches("delta"), 0u);
}

TEST_P(Store, TextSearchTreatsOperatorsAndSqlAsWords) {
    auto store = open_store();
    std::vector<Incident> v{make(1, 1), make(2, 2)};
    v[0].notes = "A missile hit the regional administration";
    v[1].notes = "Talks in Istanbul";
    store->insert(v);
    IncidentQuery q;
    q.text = "missile";
    EXPECT_EQ(store->query(q).number_matched, 1u);
    for (const char* evil : {"'; DROP TABLE incidents; --", "NEAR(a b)", "\"unbalanced",
                             "missile OR talks", "*", "a AND"}) {
        q.text = evil;
        try {
            (void)store->query(q);
        } catch (const InvalidInput&) {
        }
    }
    IncidentQuery all;
    EXPECT_EQ(store->query(all).number_matched, 2u) << "nothing was dropped";
}

TEST_P(Store, PagingSortingAndCounts) {
    auto store = open_store();
    std::vector<Incident> v;
    for (int d = 1; d <= 9; ++d) {
        v.push_back(make(d, d, "2022-03-0" + std::to_string(d)));
    }
    store->insert(v);
    IncidentQuery q;
    q.limit = 4;
    q.offset = 2;
    auto r = store->query(q);
    EXPECT_EQ(r.number_matched, 9u);
    ASSERT_EQ(r.incidents.size(), 4u);
    EXPECT_EQ(r.incidents[0].event_date, "2022-03-07") << "newest first";
    q.sort = IncidentQuery::Sort::event_date_asc;
    EXPECT_EQ(store->query(q).incidents[0].event_date, "2022-03-03");
}

// Random incidents worldwide, a tenth of them within a degree of the antimeridian and a
// fifteenth within two degrees of a pole.
std::vector<Incident> random_incidents(std::mt19937_64& rng, int count) {
    std::uniform_real_distribution<double> lon(-180, 180);
    std::uniform_real_distribution<double> lat(-90, 90);
    std::uniform_int_distribution<int> day(1, 28);
    std::uniform_int_distribution<int> deaths(0, 20);
    const auto& types = incidents::event_types();
    std::vector<Incident> all;
    for (int n = 0; n < count; ++n) {
        double x = lon(rng);
        double y = lat(rng);
        if (n % 10 == 0) {
            x = (n % 20 == 0 ? 1 : -1) *
                (179.0 + std::uniform_real_distribution<double>(0, 1)(rng));
        }
        if (n % 15 == 0) {
            y = (n % 30 == 0 ? 1 : -1) * (88.0 + std::uniform_real_distribution<double>(0, 2)(rng));
        }
        char date[16];
        std::snprintf(date, sizeof date, "2022-03-%02d", day(rng) % 28 + 1);
        all.push_back(
            make(x, y, date, types[static_cast<std::size_t>(n) % types.size()].first, deaths(rng)));
    }
    return all;
}

// The squares of `grid` a bbox touches hold the point's square.
bool touched(incidents::ClusterGrid grid, const std::optional<geo::BBox>& bbox, geo::LonLat p) {
    if (!bbox) {
        return true;
    }
    const auto [x, y] = grid.cell_of(p);
    const auto [x0, y0] = grid.cell_of({bbox->min_lon, bbox->min_lat});
    const auto [x1, y1] = grid.cell_of({bbox->max_lon, bbox->max_lat});
    const bool columns = bbox->crosses_antimeridian() ? x >= x0 || x <= x1 : x >= x0 && x <= x1;
    return columns && y >= y0 && y <= y1;
}

// The clusters a brute-force tally of `all` gives for `q` (its bbox selecting whole squares),
// compared with `got`.
void detail_check_tally(const std::vector<Incident>& all, const IncidentQuery& q,
                        incidents::ClusterGrid grid, const std::vector<incidents::Cluster>& got,
                        std::size_t k) {
    IncidentQuery unboxed = q;
    unboxed.bbox.reset();
    incidents::detail::ClusterSums sums;
    for (const auto& i : all) {
        if (q.near && geo::distance_m(*q.near, i.point) > *q.radius_km * 1000.0) {
            continue;
        }
        if (incidents::matches(unboxed, i) && touched(grid, q.bbox, i.point)) {
            const auto [x, y] = grid.cell_of(i.point);
            sums.add(x, y, i.event_type, 1, i.fatalities, i.point.lon, i.point.lat);
        }
    }
    const auto want = sums.clusters();
    ASSERT_EQ(got.size(), want.size()) << "query " << k << " level " << grid.level;
    for (std::size_t n = 0; n < want.size(); ++n) {
        ASSERT_EQ(got[n].x, want[n].x) << "query " << k;
        ASSERT_EQ(got[n].y, want[n].y) << "query " << k;
        ASSERT_EQ(got[n].count, want[n].count) << "query " << k;
        ASSERT_EQ(got[n].fatalities, want[n].fatalities) << "query " << k;
        ASSERT_EQ(got[n].by_type, want[n].by_type) << "query " << k;
        ASSERT_NEAR(got[n].center.lon, want[n].center.lon, 1e-9) << "query " << k;
        ASSERT_NEAR(got[n].center.lat, want[n].center.lat, 1e-9) << "query " << k;
    }
}

// Every filter of IncidentQuery, on random data worldwide (poles and the antimeridian included),
// must give exactly what a brute-force scan gives.
TEST_P(Store, RandomQueriesEqualABruteForceScan) {
    auto store = open_store();
    std::mt19937_64 rng(20220329);
    std::uniform_real_distribution<double> lon(-180, 180);
    std::uniform_real_distribution<double> lat(-90, 90);
    std::uniform_int_distribution<int> deaths(0, 20);
    const auto& types = incidents::event_types();
    std::vector<Incident> all = random_incidents(rng, 3000);
    store->insert(all);
    auto brute = [&](const IncidentQuery& q) {
        std::set<std::int64_t> ids;
        for (const auto& i : all) {
            if (q.near && geo::distance_m(*q.near, i.point) > *q.radius_km * 1000.0) {
                continue;
            }
            if (incidents::matches(q, i)) {
                ids.insert(i.id);
            }
        }
        return ids;
    };
    std::uniform_int_distribution<int> kind(0, 5);
    for (int k = 0; k < 1000; ++k) {
        IncidentQuery q;
        q.limit = 100000;
        switch (kind(rng)) {
        case 0: {
            double a = lon(rng), b = lon(rng), c = lat(rng), d = lat(rng);
            q.bbox = geo::BBox{a, std::min(c, d), b, std::max(c, d)}; // may cross the antimeridian
            break;
        }
        case 1: {
            geo::LonLat c{lon(rng), lat(rng)};
            if (k % 3 == 0) {
                c = {k % 2 ? 179.9 : -179.9, lat(rng)};
            }
            if (k % 5 == 0) {
                c.lat = k % 2 ? 89.5 : -89.5;
            }
            q.near = c;
            q.radius_km = std::uniform_real_distribution<double>(10, 3000)(rng);
            break;
        }
        case 2: {
            double x = std::uniform_real_distribution<double>(-170, 150)(rng);
            double y = std::uniform_real_distribution<double>(-80, 60)(rng);
            q.within = geo::Geometry{geo::Polygon{
                {{{x, y}, {x + 20, y}, {x + 10, y + 5}, {x + 20, y + 20}, {x, y + 20}}}}};
            break;
        }
        case 3:
            q.since = "2022-03-10";
            q.until = "2022-03-20";
            q.min_fatalities = deaths(rng);
            break;
        case 4:
            q.types = {types[static_cast<std::size_t>(k) % types.size()].first};
            q.bbox = geo::BBox{-180, -90, 0, 90};
            break;
        default:
            q.near = geo::LonLat{lon(rng), lat(rng)};
            q.radius_km = 5000;
            q.since = "2022-03-05";
            q.types = {"Battles", "Riots"};
            break;
        }
        auto r = store->query(q);
        std::set<std::int64_t> got;
        for (const auto& i : r.incidents) {
            got.insert(i.id);
        }
        auto want = brute(q);
        ASSERT_EQ(got, want) << "query " << k;
        ASSERT_EQ(r.number_matched, want.size());
    }
}

// k-nearest (sort=distance without a radius) and distance order within a radius, on random
// data with poles and the antimeridian, against sorting every incident by geodesic distance.
TEST_P(Store, NearestAndDistanceOrderEqualABruteForceSort) {
    auto store = open_store();
    std::mt19937_64 rng(1);
    auto all = random_incidents(rng, 2000);
    store->insert(all);
    std::uniform_real_distribution<double> lon(-180, 180);
    std::uniform_real_distribution<double> lat(-90, 90);
    for (int k = 0; k < 200; ++k) {
        IncidentQuery q;
        geo::LonLat c{lon(rng), lat(rng)};
        if (k % 4 == 0) {
            c.lon = k % 8 ? 179.95 : -179.95;
        }
        if (k % 7 == 0) {
            c.lat = k % 2 ? 89.9 : -89.9;
        }
        q.near = c;
        q.sort = IncidentQuery::Sort::distance;
        q.limit = static_cast<std::size_t>(1 + k % 40);
        if (k % 3 == 0) {
            q.radius_km = std::uniform_real_distribution<double>(100, 4000)(rng);
        }
        if (k % 5 == 0) {
            q.types = {"Battles", "Protests"};
        }
        std::vector<std::pair<double, std::int64_t>> want;
        for (const auto& i : all) {
            double d = geo::distance_m(c, i.point);
            if (incidents::matches(q, i)) {
                want.emplace_back(d, i.id);
            }
        }
        std::sort(want.begin(), want.end());
        const std::size_t matched = want.size();
        want.resize(std::min(want.size(), q.limit));
        auto r = store->query(q);
        ASSERT_EQ(r.incidents.size(), want.size()) << "query " << k;
        for (std::size_t n = 0; n < want.size(); ++n) {
            ASSERT_EQ(r.incidents[n].id, want[n].second) << "query " << k << " rank " << n;
        }
        ASSERT_EQ(r.number_matched, matched) << "query " << k;
    }
}

// Keyset paging visits every match exactly once, in order, for every sort, with and without
// numberMatched, and agrees with offset paging.
TEST_P(Store, CursorPagingVisitsEveryMatchOnceInOrder) {
    auto store = open_store();
    std::mt19937_64 rng(2);
    auto all = random_incidents(rng, 500); // 28 dates: many ties broken by id
    store->insert(all);
    for (auto sort : {IncidentQuery::Sort::event_date_desc, IncidentQuery::Sort::event_date_asc,
                      IncidentQuery::Sort::id_asc, IncidentQuery::Sort::distance}) {
        for (bool count : {true, false}) {
            IncidentQuery q;
            q.sort = sort;
            q.bbox = geo::BBox{-180, -60, 180, 60};
            if (sort == IncidentQuery::Sort::distance) {
                q.near = geo::LonLat{30.5, 50.4};
            }
            q.count_matched = count;
            IncidentQuery whole = q;
            whole.limit = 10000;
            auto expected = store->query(whole).incidents;
            ASSERT_GT(expected.size(), 100u);
            q.limit = 37;
            std::vector<std::int64_t> got;
            std::size_t pages = 0;
            for (;;) {
                auto r = store->query(q);
                // Offset paging gives the same page.
                IncidentQuery by_offset = q;
                by_offset.cursor.reset();
                by_offset.offset = got.size();
                auto o = store->query(by_offset);
                ASSERT_EQ(o.incidents.size(), r.incidents.size());
                for (std::size_t n = 0; n < r.incidents.size(); ++n) {
                    ASSERT_EQ(o.incidents[n].id, r.incidents[n].id);
                    got.push_back(r.incidents[n].id);
                }
                if (count) {
                    ASSERT_EQ(r.number_matched, expected.size()) << "cursor does not change it";
                }
                ++pages;
                ASSERT_LT(pages, 100u);
                if (!r.next_cursor) {
                    break;
                }
                q.cursor = r.next_cursor;
            }
            ASSERT_EQ(got.size(), expected.size());
            for (std::size_t n = 0; n < got.size(); ++n) {
                ASSERT_EQ(got[n], expected[n].id) << "position " << n;
            }
        }
    }
}

TEST_P(Store, BadCursorsAndDistanceFiltersAreRejected) {
    auto store = open_store();
    IncidentQuery q;
    q.cursor = "d_2022-03-29_12"; // well-formed
    EXPECT_NO_THROW(store->query(q));
    for (const char* bad : {"", "x", "d_2022-13-01_1", "d_2022-03-29_-4", "d_2022-03-29_1x",
                            "zz_1_1", "d_2022-03-29'; DROP TABLE incidents; --_1"}) {
        q.cursor = bad;
        EXPECT_THROW(store->query(q), InvalidInput) << bad;
    }
    q.cursor = "i__5";
    EXPECT_THROW(store->query(q), InvalidInput) << "a cursor of another sort";
    q.sort = IncidentQuery::Sort::id_asc;
    EXPECT_NO_THROW(store->query(q));
    q.offset = 3;
    EXPECT_THROW(store->query(q), InvalidInput) << "cursor and offset";
    IncidentQuery d;
    d.sort = IncidentQuery::Sort::distance;
    EXPECT_THROW(store->query(d), InvalidInput) << "distance needs near";
    IncidentQuery n;
    n.near = geo::LonLat{30, 50};
    EXPECT_THROW(store->query(n), InvalidInput) << "near without radius or distance sort";
}

// Random CQL2 filters (comparisons, BETWEEN, IN, LIKE, spatial and temporal functions under
// AND, OR and NOT) through the store, which narrows its indexed scan by them, must select
// exactly what an independent C++ condition selects on every incident.
struct RandomFilter {
    std::string text;
    std::function<bool(const Incident&)> holds;
};

RandomFilter random_atom(std::mt19937_64& rng) {
    auto uni = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
    auto date = [](int d) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "2022-03-%02d", d);
        return std::string(buf);
    };
    const auto& types = incidents::event_types();
    switch (uni(0, 11)) {
    case 0: {
        int n = uni(0, 20);
        static const char* ops[] = {"=", "<>", "<", "<=", ">", ">="};
        int op = uni(0, 5);
        return {"fatalities " + std::string(ops[op]) + " " + std::to_string(n),
                [n, op](const Incident& i) {
                    int f = i.fatalities;
                    return op == 0   ? f == n
                           : op == 1 ? f != n
                           : op == 2 ? f < n
                           : op == 3 ? f <= n
                           : op == 4 ? f > n
                                     : f >= n;
                }};
    }
    case 1: {
        int a = uni(0, 20), b = uni(0, 20);
        return {std::to_string(a) + " < fatalities AND fatalities NOT BETWEEN " +
                    std::to_string(b) + " AND " + std::to_string(b + 3),
                [a, b](const Incident& i) {
                    return a < i.fatalities && (i.fatalities < b || i.fatalities > b + 3);
                }};
    }
    case 2: {
        int d = uni(1, 28);
        bool ge = uni(0, 1) == 1;
        std::string ds = date(d);
        return {
            std::string("event_date ") + (ge ? ">=" : "<") + " DATE('" + ds + "')",
            [ds, ge](const Incident& i) { return ge ? i.event_date >= ds : i.event_date < ds; }};
    }
    case 3: {
        int a = uni(1, 28), b = uni(1, 28);
        if (a > b) {
            std::swap(a, b);
        }
        std::string as = date(a), bs = date(b);
        bool open = uni(0, 3) == 0;
        return {"T_INTERSECTS(event_date, INTERVAL('" + as + "', '" + (open ? ".." : bs) + "'))",
                [as, bs, open](const Incident& i) {
                    return i.event_date >= as && (open || i.event_date <= bs);
                }};
    }
    case 4: {
        std::string ds = date(uni(1, 28));
        int which = uni(0, 2);
        static const char* fn[] = {"T_BEFORE", "T_AFTER", "T_EQUALS"};
        return {std::string(fn[which]) + "(event_date, DATE('" + ds + "'))",
                [ds, which](const Incident& i) {
                    return which == 0   ? i.event_date < ds
                           : which == 1 ? i.event_date > ds
                                        : i.event_date == ds;
                }};
    }
    case 5: {
        int a = uni(1, 28), b = uni(1, 28);
        if (a > b) {
            std::swap(a, b);
        }
        std::string as = date(a), bs = date(b);
        // the literal first: the interval contains the event's day
        return {"T_CONTAINS(INTERVAL('" + as + "', '" + bs + "'), event_date)",
                [as, bs](const Incident& i) { return i.event_date > as && i.event_date < bs; }};
    }
    case 6: {
        std::string t = types[static_cast<std::size_t>(uni(0, 5))].first;
        bool eq = uni(0, 1) == 1;
        return {std::string("event_type ") + (eq ? "= '" : "<> '") + t + "'",
                [t, eq](const Incident& i) { return (i.event_type == t) == eq; }};
    }
    case 7: {
        std::string a = types[static_cast<std::size_t>(uni(0, 5))].first;
        std::string b = types[static_cast<std::size_t>(uni(0, 5))].first;
        bool neg = uni(0, 2) == 0;
        return {std::string("event_type ") + (neg ? "NOT IN" : "IN") + " ('" + a + "', '" + b +
                    "')",
                [a, b, neg](const Incident& i) {
                    return (i.event_type == a || i.event_type == b) != neg;
                }};
    }
    case 8: {
        double w = uni(-180, 179), e = uni(-180, 180), s = uni(-90, 89), n = uni(-90, 90);
        if (s > n) {
            std::swap(s, n);
        }
        geo::BBox box{w, s, e, n}; // w > e crosses the antimeridian
        char buf[128];
        std::snprintf(buf, sizeof buf, "S_INTERSECTS(geometry, BBOX(%g, %g, %g, %g))", w, s, e, n);
        return {buf, [box](const Incident& i) { return box.contains(i.point); }};
    }
    case 9: {
        double x = uni(-170, 150), y = uni(-80, 60);
        geo::Polygon poly{
            {{{x, y}, {x + 20, y}, {x + 10, y + 5}, {x + 20, y + 20}, {x, y + 20}, {x, y}}}};
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "S_WITHIN(geometry, POLYGON((%g %g, %g %g, %g %g, %g %g, %g %g, %g %g)))", x,
                      y, x + 20, y, x + 10, y + 5, x + 20, y + 20, x, y + 20, x, y);
        // random points never fall exactly on an edge
        return {buf, [poly](const Incident& i) { return geo::contains(poly, i.point); }};
    }
    case 10: {
        double w = uni(-180, 170), s = uni(-90, 80);
        geo::BBox box{w, s, w + 10, s + 10};
        char buf[128];
        std::snprintf(buf, sizeof buf, "S_DISJOINT(BBOX(%g, %g, %g, %g), geometry)", w, s, w + 10,
                      s + 10);
        return {buf, [box](const Incident& i) { return !box.contains(i.point); }};
    }
    default: {
        bool neg = uni(0, 1) == 1;
        return {std::string("location ") + (neg ? "NOT LIKE" : "LIKE") + " 'Some%_ere'",
                [neg](const Incident& i) { return (i.location == "Somewhere") != neg; }};
    }
    }
}

RandomFilter random_filter(std::mt19937_64& rng, int depth) {
    auto uni = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
    if (depth == 0 || uni(0, 2) == 0) {
        return random_atom(rng);
    }
    switch (uni(0, 2)) {
    case 0: {
        auto a = random_filter(rng, depth - 1), b = random_filter(rng, depth - 1);
        return {"(" + a.text + ") AND (" + b.text + ")",
                [a, b](const Incident& i) { return a.holds(i) && b.holds(i); }};
    }
    case 1: {
        auto a = random_filter(rng, depth - 1), b = random_filter(rng, depth - 1);
        return {"(" + a.text + ") or " + b.text,
                [a, b](const Incident& i) { return a.holds(i) || b.holds(i); }};
    }
    default: {
        auto a = random_filter(rng, depth - 1);
        return {"NOT (" + a.text + ")", [a](const Incident& i) { return !a.holds(i); }};
    }
    }
}

TEST_P(Store, RandomCql2FiltersEqualABruteForceScan) {
    auto store = open_store();
    std::mt19937_64 rng(29032022);
    std::vector<Incident> all = random_incidents(rng, 3000);
    store->insert(all);
    std::size_t selected = 0;
    for (int k = 0; k < 600; ++k) {
        auto f = random_filter(rng, 3);
        IncidentQuery q;
        q.limit = 100000;
        q.sort = k % 2 ? IncidentQuery::Sort::id_asc : IncidentQuery::Sort::event_date_desc;
        incidents::cql2::Filter::parse(f.text).apply_to(q);
        auto r = store->query(q);
        std::set<std::int64_t> got, want;
        for (const auto& i : r.incidents) {
            got.insert(i.id);
        }
        for (const auto& i : all) {
            if (f.holds(i)) {
                want.insert(i.id);
            }
        }
        ASSERT_EQ(got, want) << "filter " << k << ": " << f.text;
        ASSERT_EQ(r.number_matched, want.size()) << f.text;
        selected += want.size();
    }
    EXPECT_GT(selected, 600u * 100u) << "the random filters should select something";
}

// Exports render a backend's rows with append_features: the same bytes as append_feature on
// each match read with for_each (optional fields, evidence and escaping included), the same
// count and the same bbox, for plain, SQL-filtered and incident-filtered queries.
TEST_P(Store, AppendFeaturesWritesWhatAppendFeatureWrites) {
    auto store = open_store();
    std::mt19937_64 rng(7);
    std::vector<Incident> all = random_incidents(rng, 300);
    for (std::size_t n = 0; n < all.size(); ++n) {
        auto& i = all[n];
        if (n % 3 == 0) {
            i.event_time = "14:3" + std::to_string(n % 10);
        }
        if (n % 4 == 0) {
            i.geonameid = 700000 + static_cast<std::int64_t>(n);
        }
        i.actor1 = n % 2 ? "Військові \"сили\"" : "";
        i.admin1 = "Tab\there, back\\slash";
        i.notes = "Line\nbreak, \x01 control and \u2028 separator " + std::to_string(n);
        i.source_url = "https://example.org/a?b=" + std::to_string(n);
        i.confidence = 0.1234 + static_cast<double>(n % 7) / 10.0;
        for (std::size_t e = 0; e < n % 3; ++e) {
            i.evidence.push_back({0, e * 10, e * 10 + 9, "Evidence \"" + std::to_string(e) + "\""});
        }
    }
    store->insert(all);
    std::vector<IncidentQuery> queries(5);
    queries[1].id_range = std::make_pair(all[40].id, all[200].id);
    queries[2].bbox = geo::BBox{-120, -60, 150, 70};
    queries[2].min_fatalities = 5;
    queries[3].near = geo::LonLat{10, 20};
    queries[3].radius_km = 8000;
    queries[4].predicate = [](const Incident& i) { return i.fatalities % 2 == 0; };
    for (std::size_t k = 0; k < queries.size(); ++k) {
        std::string want;
        geo::BBox want_bbox = geo::BBox::empty();
        const std::size_t want_count = store->for_each(queries[k], [&](Incident& i) {
            if (!want.empty()) {
                want.push_back(',');
            }
            incidents::append_feature(want, i);
            want_bbox.extend(i.point);
        });
        std::string got = "prefix";
        geo::BBox got_bbox = geo::BBox::empty();
        const std::size_t got_count = store->append_features(queries[k], got, got_bbox);
        EXPECT_GT(want_count, 20u) << "query " << k;
        EXPECT_EQ(got_count, want_count) << "query " << k;
        EXPECT_EQ(got, "prefix" + want) << "query " << k;
        EXPECT_EQ(got_bbox.min_lon, want_bbox.min_lon) << "query " << k;
        EXPECT_EQ(got_bbox.max_lat, want_bbox.max_lat) << "query " << k;
    }
}

// The clusters of random queries on random data (worldwide, and dense in one small area for the
// fine grids), counted from the store's counts (bbox and types only) or from the incidents: every
// square's count equals numberMatched of the same filters inside the square, and count,
// fatalities, types and centre equal a brute-force tally, on SQL-filtered and incident-filtered
// (polygon, radius, CQL2) queries.
TEST_P(Store, ClustersEqualNumberMatchedInsideEachSquare) {
    auto store = open_store();
    std::mt19937_64 rng(1520);
    std::vector<Incident> all = random_incidents(rng, 2000);
    std::uniform_real_distribution<double> near_lon(37.0, 38.0);
    std::uniform_real_distribution<double> near_lat(47.5, 48.5);
    for (auto& i : random_incidents(rng, 1000)) {
        i.point = {near_lon(rng), near_lat(rng)};
        all.push_back(std::move(i));
    }
    store->insert(all);
    std::vector<IncidentQuery> queries(8);
    queries[1].types = {"Battles", "Riots"};
    queries[1].since = "2022-03-10";
    queries[2].bbox = geo::BBox{36.5, 47.0, 38.2, 49.0};
    queries[2].min_fatalities = 4;
    queries[3].within = geo::Geometry{
        geo::Polygon{{{{30, 40}, {40, 40}, {37.5, 48}, {40, 50}, {30, 50}, {30, 40}}}}};
    queries[4].near = geo::LonLat{37.5, 48.0};
    queries[4].radius_km = 40;
    queries[5].predicate = [](const Incident& i) { return i.fatalities % 3 == 0; };
    queries[6].bbox = geo::BBox{170, -60, -170, 60}; // across the antimeridian
    queries[7].bbox = geo::BBox{37.2, 47.6, 37.9, 48.3};
    queries[7].types = {"Protests"};
    std::size_t checked = 0;
    for (std::size_t k = 0; k < queries.size(); ++k) {
        auto& q = queries[k];
        q.limit = 1;
        for (const int level : {0, 3, 7, 11, 12, 15}) {
            const incidents::ClusterGrid grid{level};
            const auto clusters = store->clusters(q, grid);
            detail_check_tally(all, q, grid, clusters, k);
            for (std::size_t n = 0; n < clusters.size(); n += 1 + clusters.size() / 8) {
                const auto& c = clusters[n];
                IncidentQuery inside = q;
                inside.bbox = grid.bounds(c.x, c.y);
                ASSERT_EQ(c.count, store->query(inside).number_matched)
                    << "query " << k << " level " << level << " square " << c.x << "," << c.y;
                ++checked;
            }
        }
        if (!q.bbox) {
            std::size_t total = 0;
            for (const auto& c : store->clusters(q, incidents::ClusterGrid{5})) {
                total += c.count;
            }
            EXPECT_EQ(total, store->query(q).number_matched) << "query " << k;
        }
    }
    EXPECT_GT(checked, 200u);
}

// The store's counts follow every write: updates that move an incident or change its type or
// fatalities, removals, merges, upserts, restores, a transaction rolled back; and a store that
// had incidents before it kept counts fills them when it opens.
TEST_P(Store, ClusterCountsFollowEveryWrite) {
    auto store = open_store();
    std::mt19937_64 rng(1521);
    std::vector<Incident> all = random_incidents(rng, 600);
    store->insert(all);
    const auto& types = incidents::event_types();
    for (std::size_t n = 0; n < 200; ++n) {
        auto i = *store->get(all[n].id);
        i.point = {i.point.lon * 0.5, i.point.lat * 0.5};
        i.event_type = types[n % types.size()].first;
        i.fatalities = static_cast<int>(n % 13);
        store->update(i);
    }
    for (std::size_t n = 200; n < 260; ++n) {
        store->remove(all[n].id);
    }
    for (std::size_t n = 260; n < 300; ++n) {
        auto dup = all[n];
        dup.fatalities = 50;
        store->merge_into(all[n].id, dup);
    }
    auto more = random_incidents(rng, 30);
    for (std::size_t n = 0; n < more.size(); ++n) {
        more[n].source_id = "s" + std::to_string(n % 20); // ten of them update another
    }
    store->upsert_all(more);
    EXPECT_THROW(store->in_write_transaction([&] {
        auto lost = random_incidents(rng, 40);
        store->insert(lost);
        store->remove(all[300].id);
        throw std::runtime_error("rolled back");
    }),
                 std::runtime_error);
    auto check = [](incidents::IncidentStore& s, const char* what) {
        SCOPED_TRACE(what);
        std::vector<Incident> now;
        s.for_each({}, [&](Incident& i) { now.push_back(i); });
        for (const int level : {3, 8, 12}) {
            const incidents::ClusterGrid grid{level};
            detail_check_tally(now, {}, grid, s.clusters({}, grid), 0);
            IncidentQuery battles;
            battles.types = {"Battles"};
            detail_check_tally(now, battles, grid, s.clusters(battles, grid), 1);
        }
    };
    check(*store, "after the writes");
    {
        auto copy = open_store();
        std::vector<incidents::Article> no_articles;
        std::vector<Incident> rows;
        store->for_each({}, [&](Incident& i) { rows.push_back(i); });
        copy->restore(no_articles, rows);
        check(*copy, "after a restore");
    }
    if (GetParam() == "spatialite") {
        incidentmap::test::TempDir dir;
        const auto file = dir.file("old.sqlite");
        {
            auto old = incidents::open_spatialite_store(file);
            auto some = random_incidents(rng, 100);
            old->insert(some);
        }
        {
            sqlite3* db = nullptr;
            ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
            ASSERT_EQ(sqlite3_exec(db, "DELETE FROM cluster_counts", nullptr, nullptr, nullptr),
                      SQLITE_OK);
            sqlite3_close(db);
        }
        auto reopened = incidents::open_spatialite_store(file);
        check(*reopened, "after the counts were filled");
    }
}

// A point on a square's edge belongs to the square east or north of it, on every backend and
// in the incident-filtered path alike.
TEST_P(Store, AClusterHoldsItsWestAndSouthEdges) {
    auto store = open_store();
    std::vector<Incident> all{make(22.5, 45.0), make(-180.0, -90.0), make(180.0, 90.0),
                              make(0.0, 0.0)};
    store->insert(all);
    const incidents::ClusterGrid grid{4}; // squares of 22.5 degrees
    IncidentQuery sql_filtered;
    IncidentQuery row_filtered;
    row_filtered.predicate = [](const Incident&) { return true; };
    for (const auto* q : {&sql_filtered, &row_filtered}) {
        std::set<std::pair<std::int64_t, std::int64_t>> got;
        for (const auto& c : store->clusters(*q, grid)) {
            got.insert({c.x, c.y});
        }
        const std::set<std::pair<std::int64_t, std::int64_t>> want{{9, 6}, {0, 0}, {15, 7}, {8, 4}};
        EXPECT_EQ(got, want);
    }
}

// stats() counts by type, day and admin1 in SQL where SQL applies the filters, and over the
// matches where it does not: both equal a brute-force tally of the matches, with and without an
// admin1 (its key "CC.admin1", or the country alone).
TEST_P(Store, StatsEqualABruteForceTally) {
    auto store = open_store();
    std::mt19937_64 rng(1522);
    std::vector<Incident> all = random_incidents(rng, 1500);
    for (std::size_t n = 0; n < all.size(); ++n) {
        all[n].country = n % 3 ? "UA" : "RU";
        all[n].admin1 = n % 4 ? std::to_string(n % 7) : "";
    }
    store->insert(all);
    std::vector<IncidentQuery> queries(5);
    queries[1].types = {"Battles", "Protests"};
    queries[2].bbox = geo::BBox{-100, -50, 120, 60};
    queries[2].since = "2022-03-05";
    queries[3].within =
        geo::Geometry{geo::Polygon{{{{-60, -40}, {80, -40}, {80, 50}, {-60, 50}, {-60, -40}}}}};
    queries[4].country = "UA";
    queries[4].min_fatalities = 3;
    for (std::size_t k = 0; k < queries.size(); ++k) {
        std::map<std::string, std::size_t> type, day, admin1;
        std::size_t total = 0;
        for (const auto& i : all) {
            if (incidents::matches(queries[k], i)) {
                ++type[i.event_type];
                ++day[i.event_date];
                ++admin1[i.admin1.empty() ? i.country : i.country + "." + i.admin1];
                ++total;
            }
        }
        using Counts = std::map<std::string, std::size_t>;
        const auto st = store->stats(queries[k]);
        EXPECT_EQ(st.total, total) << "query " << k;
        EXPECT_EQ(Counts(st.by_type.begin(), st.by_type.end()), type) << "query " << k;
        EXPECT_EQ(Counts(st.by_day.begin(), st.by_day.end()), day) << "query " << k;
        EXPECT_EQ(Counts(st.by_admin1.begin(), st.by_admin1.end()), admin1) << "query " << k;
        EXPECT_GT(total, 50u) << "query " << k;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, Store, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& info) { return info.param; });

} // namespace

TEST(ArticleIdentity, TextHashIsTheSha256OfTheText) {
    // FIPS 180-2's test vector.
    EXPECT_EQ(incidents::text_sha256("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    auto store = incidents::open_spatialite_store(":memory:");
    incidents::Article a;
    a.text = "abc";
    store->add_article(a);
    EXPECT_EQ(store->article(a.id)->text_hash, incidents::text_sha256("abc"));
}

namespace {

// Runs SQL on a SpatiaLite store's file directly, as an older incidentmap left it.
void sqlite_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
}

void postgres_exec(const std::string& uri, const std::string& sql) {
    PGconn* c = PQconnectdb(uri.c_str());
    ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
    PGresult* r = PQexec(c, sql.c_str());
    const auto status = PQresultStatus(r);
    const std::string message = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    ASSERT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) << message;
}

// A store whose articles carry the digest of an older version is rehashed when opened, and the
// same text is then still the same article.
void expect_rehashed(const std::string& location, const std::function<void()>& make_old) {
    {
        auto store = incidents::open_store(location);
        incidents::Article a;
        a.text = "An article stored by an older incidentmap";
        store->add_article(a);
    }
    make_old();
    auto store = incidents::open_store(location);
    incidents::Article again;
    again.text = "An article stored by an older incidentmap";
    auto ref = store->add_article(again);
    EXPECT_TRUE(ref.existed);
    EXPECT_EQ(store->article(ref.id)->text_hash,
              incidents::text_sha256("An article stored by an older incidentmap"));
}

} // namespace

TEST(ArticleIdentity, OlderSpatialiteStoresAreRehashed) {
    test::TempDir dir;
    const auto path = dir.file("old.sqlite");
    expect_rehashed(path, [&] {
        // As version 2 left it: the digest of then, no attributes column.
        sqlite_exec(path, "UPDATE articles SET text_hash = '0123456789abcdef0123456789abcdef'; "
                          "ALTER TABLE incidents DROP COLUMN attributes; "
                          "DELETE FROM schema_migrations WHERE version >= 3");
    });
}

TEST(ArticleIdentity, OlderPostgisStoresAreRehashed) {
    const auto uri = test::fresh_postgis_uri();
    expect_rehashed(uri, [&] {
        // As version 1 left it: the digest of then, no attributes column.
        postgres_exec(uri, "UPDATE articles SET text_hash = '0123456789abcdef0123456789abcdef'; "
                           "ALTER TABLE incidents DROP COLUMN attributes; "
                           "DELETE FROM schema_migrations WHERE version >= 2");
    });
}

namespace {

// The columns a backend's migrations made, by name: their type and whether they are NOT NULL.
using Columns = std::map<std::string, std::pair<std::string, bool>>;

// Every field has its column in a new store, of its type and nullability; besides them only the
// columns a backend adds on its own.
void expect_field_columns(const Columns& columns, const std::set<std::string>& others,
                          const std::function<std::string(const incidents::FieldInfo&)>& type) {
    std::set<std::string> seen;
    for (const auto& f : incidents::fields) {
        const std::string name(f.name);
        auto it = columns.find(name);
        ASSERT_NE(it, columns.end()) << "no column for the field " << name;
        EXPECT_EQ(it->second.first, type(f)) << name;
        EXPECT_EQ(it->second.second, !f.nullable) << name << " NOT NULL";
        seen.insert(name);
    }
    for (const auto& [name, column] : columns) {
        EXPECT_TRUE(seen.count(name) || others.count(name)) << "a column of no field: " << name;
    }
}

// The declared type of a field's member: bigint where it holds an std::int64_t.
bool holds_int64(incidents::Field field) {
    bool wide = false;
    incidents::with_field(field, [&]<incidents::Field F>() {
        using T = typename incidents::detail::Unwrapped<incidents::member_type<F>>::type;
        wide = std::is_same_v<T, std::int64_t>;
    });
    return wide;
}

} // namespace

TEST(StoreSchema, SpatialiteHasAColumnForEveryField) {
    test::TempDir dir;
    const auto path = dir.file("schema.sqlite");
    incidents::open_spatialite_store(path);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(
                  db, "SELECT name, type, \"notnull\" OR pk FROM pragma_table_info('incidents')",
                  -1, &s, nullptr),
              SQLITE_OK);
    Columns columns;
    while (sqlite3_step(s) == SQLITE_ROW) {
        columns[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] = {
            reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
            sqlite3_column_int(s, 2) != 0};
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    expect_field_columns(columns, {"geom"}, [](const incidents::FieldInfo& f) -> std::string {
        if (f.type == incidents::FieldType::integer) {
            return "INTEGER";
        }
        return f.type == incidents::FieldType::number ? "REAL" : "TEXT";
    });
}

TEST(StoreSchema, PostgisHasAColumnForEveryField) {
    const auto uri = test::fresh_postgis_uri();
    incidents::open_postgis_store(uri);
    PGconn* c = PQconnectdb(uri.c_str());
    ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
    PGresult* r = PQexec(c, "SELECT column_name, data_type, is_nullable FROM "
                            "information_schema.columns WHERE table_schema = current_schema() AND "
                            "table_name = 'incidents'");
    ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
    Columns columns;
    for (int k = 0; k < PQntuples(r); ++k) {
        columns[PQgetvalue(r, k, 0)] = {PQgetvalue(r, k, 1),
                                        std::string(PQgetvalue(r, k, 2)) == "NO"};
    }
    PQclear(r);
    PQfinish(c);
    expect_field_columns(columns, {"evidence_text", "geom", "fts"},
                         [](const incidents::FieldInfo& f) -> std::string {
                             switch (f.type) {
                             case incidents::FieldType::integer:
                                 return holds_int64(f.field) ? "bigint" : "integer";
                             case incidents::FieldType::number:
                                 return "double precision";
                             case incidents::FieldType::date:
                                 return "date";
                             default:
                                 return "text";
                             }
                         });
}
