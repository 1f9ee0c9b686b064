// Import of a real file nobody here wrote: UCDP's GED for Ukraine (tests/data/ucdp/README.md).

#include "test_support.hpp"

#include "incidentmap/formats/import.hpp"

#include <fstream>
#include <map>

namespace {

using namespace incidentmap;

TEST(ImportRealFiles, UcdpGedUkraineImportsWholeWithItsDatesMonthFirst) {
    std::ifstream in(test::env_or_skip("INCIDENTMAP_TEST_DATA") + "/ucdp/ucdp-ged-ukraine.csv",
                     std::ios::binary);
    ASSERT_TRUE(in);
    auto store = incidents::open_spatialite_store(":memory:");
    auto r = incidents::import_incidents(*store, in, incidents::ImportFormat::ucdp);
    EXPECT_EQ(r.rows, 3883u);
    EXPECT_EQ(r.created, 3883u);
    EXPECT_EQ(r.rejected, 0u);
    ASSERT_EQ(r.dates.size(), 2u);
    EXPECT_EQ(r.dates[0].order, text::DayMonthOrder::month_first);

    std::map<std::string, std::string> date_of;
    store->for_each({}, [&](incidents::Incident& i) { date_of[i.source_id] = i.event_date; });
    // Each checked against the row's own source_date, which says the day independently.
    EXPECT_EQ(date_of["UCDP:147997"], "2014-01-22"); // 1/22/2014 12:00:00 AM
    EXPECT_EQ(date_of["UCDP:446258"], "2022-08-31"); // 8/31/2022 12:00:00 AM
    EXPECT_EQ(date_of["UCDP:153027"], "2014-05-02"); // 05/02/2014 00:00; sources 2014-05-02
    EXPECT_EQ(date_of["UCDP:218219"], "2016-01-10"); // 01/10/2016 00:00; source 10/01/2016
    EXPECT_EQ(date_of["UCDP:446152"], "2022-09-01"); // 09/01/2022 00:00; sources 2022-09-01
    EXPECT_EQ(date_of["UCDP:462254"], "2023-02-01"); // 02/01/2023 00:00; sources 2023-02-01
}

} // namespace
