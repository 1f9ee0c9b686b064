// Dates as real files carry them: the day/month order decided per column from all rows, files
// that do not show it refused, and exact counts however long the error list.

#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/import.hpp"

#include <algorithm>
#include <sstream>

namespace {

using namespace incidentmap;
using incidents::ImportFormat;

const char* ged_header =
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob\n";

// One GED row; dates as given, the source date day first as in the real file.
std::string ged_row(int id, const std::string& start, const std::string& end,
                    const std::string& source_date) {
    return std::to_string(id) + ",UKR-2014-1-" + std::to_string(id) +
           ",2014,TRUE,Clear,1,13243,13243,Ukraine: Donetsk,14521,14521,Government of Ukraine - "
           "DPR,137,137,Government of Ukraine,1149,1149,DPR,1,\"\"\"Ukraine crisis\"\", AFP\","
           "AFP," +
           source_date +
           ",Rebels shell \x93"
           "Donetsk\x94"
           " suburb,,1,Donetsk town,Donetsk town,Donetsk oblast,"
           "Donetsk raion,48.0,37.8,POINT (37.8 48),179000,Ukraine,369,Europe,1,1," +
           start + "," + end + ",0,0,2,0,2,3,2,369,\n";
}

std::vector<incidents::Incident> by_source_id(incidents::IncidentStore& store) {
    incidents::IncidentQuery q;
    q.sort = incidents::IncidentQuery::Sort::id_asc;
    return store.query(q).incidents;
}

TEST(ImportDates, UcdpMixedFormsAreReadMonthFirstAsTheColumnShows) {
    // As in the real GED file: "M/D/YYYY h:mm:ss AM" rows show month first (19 > 12), and the
    // "MM/DD/YYYY HH:MM" rows, none of which shows its order, follow the column.
    std::string csv = std::string(ged_header) +
                      ged_row(1, "8/19/2014 12:00:00 AM", "8/19/2014 12:00:00 AM", "20/08/2014") +
                      ged_row(2, "05/02/2014 00:00", "05/03/2014 00:00", "03/05/2014") +
                      ged_row(3, "1/22/2014 12:00:00 AM", "1/27/2014 12:00:00 AM", "27/01/2014") +
                      ged_row(4, "12/01/2021 00:00", "12/01/2021 00:00", "2021-12-01");
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(csv);
    auto r = incidents::import_incidents(*store, in, ImportFormat::ucdp);
    EXPECT_EQ(r.created, 4u);
    EXPECT_EQ(r.rejected, 0u);
    ASSERT_EQ(r.dates.size(), 2u);
    EXPECT_EQ(r.dates[0].column, "date_start");
    EXPECT_EQ(r.dates[0].order, text::DayMonthOrder::month_first);
    EXPECT_EQ(r.dates[0].numeric, 4u);
    EXPECT_EQ(r.dates[0].showing, 2u);
    auto all = by_source_id(*store);
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[0].event_date, "2014-08-19");
    EXPECT_EQ(all[1].event_date, "2014-05-02"); // 2 May, not 5 February
    EXPECT_EQ(all[2].event_date, "2014-01-22");
    EXPECT_EQ(all[3].event_date, "2021-12-01");
}

const char* acled_header =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp\r\n";

std::string acled_row(const std::string& id, const std::string& date) {
    return id + "," + date +
           ",2023,1,Political violence,Explosions/Remote violence,"
           "Shelling/artillery/missile attack,Military Forces of Russia (2000-),,8,,,,80,,804,"
           "Europe,Ukraine,Donetsk,Bakhmutskyi,Bakhmutska,Bakhmut,48.5953,38.0004,1,Ukrinform,"
           "National,\"On 13 March 2023, Russian forces shelled Bakhmut.\",0,,1678900000\r\n";
}

TEST(ImportDates, AcledAfterASpreadsheetIsReadDayFirst) {
    std::string csv = std::string(acled_header) + acled_row("UKR100", "13/03/2023 00:00:00") +
                      acled_row("UKR101", "01/03/2023 00:00:00") +
                      acled_row("UKR102", "28/02/2023 00:00:00");
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(csv);
    auto r = incidents::import_incidents(*store, in, ImportFormat::acled);
    EXPECT_EQ(r.created, 3u);
    EXPECT_EQ(r.rejected, 0u);
    ASSERT_EQ(r.dates.size(), 1u);
    EXPECT_EQ(r.dates[0].order, text::DayMonthOrder::day_first);
    auto all = by_source_id(*store);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].event_date, "2023-03-13");
    // ACLED's columns that no field holds are kept, non-empty ones only; year and iso, which
    // the layout derives, are not.
    ASSERT_TRUE(all[0].attributes);
    EXPECT_EQ(*all[0].attributes,
              R"({"admin3":"Bakhmutska","disorder_type":"Political violence","inter1":"8",)"
              R"("interaction":"80","region":"Europe","source_scale":"National"})");
    EXPECT_EQ(all[1].event_date, "2023-03-01"); // 1 March, as its column shows
    EXPECT_EQ(all[2].event_date, "2023-02-28");
}

TEST(ImportDates, AFileThatDoesNotShowItsOrderIsRefusedUnlessGiven) {
    std::string csv = std::string(acled_header) + acled_row("UKR1", "05/02/2023") +
                      acled_row("UKR2", "03/04/2023");
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(csv);
    try {
        (void)incidents::import_incidents(*store, in, ImportFormat::acled);
        FAIL() << "an ambiguous file was imported";
    } catch (const InvalidInput& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("05/02/2023"), std::string::npos) << m; // an example
        EXPECT_NE(m.find("--dates"), std::string::npos) << m;    // the way out
    }
    EXPECT_EQ(store->counts().incidents, 0u);

    incidents::ImportOptions opt;
    opt.dates = text::DayMonthOrder::month_first;
    std::istringstream again(csv);
    auto r = incidents::import_incidents(*store, again, ImportFormat::acled, opt);
    EXPECT_EQ(r.created, 2u);
    ASSERT_EQ(r.dates.size(), 1u);
    EXPECT_TRUE(r.dates[0].given);
    EXPECT_EQ(by_source_id(*store)[0].event_date, "2023-05-02");
}

TEST(ImportDates, AColumnShowingBothOrdersIsRefused) {
    std::string csv = std::string(acled_header) + acled_row("UKR1", "13/03/2023") +
                      acled_row("UKR2", "3/14/2023");
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(csv);
    EXPECT_THROW((void)incidents::import_incidents(*store, in, ImportFormat::acled), InvalidInput);
    EXPECT_EQ(store->counts().incidents, 0u);
}

TEST(ImportDates, IsoSpreadsheetSerialsAndMonthNamesNeedNoOrder) {
    std::string csv = std::string(acled_header) + acled_row("UKR1", "2023-03-13T00:00:00Z") +
                      acled_row("UKR2", "45000") + acled_row("UKR3", "\"March 16, 2023\"") +
                      acled_row("UKR4", "17-Mar-2023");
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(csv);
    auto r = incidents::import_incidents(*store, in, ImportFormat::acled);
    EXPECT_EQ(r.rejected, 0u);
    auto all = by_source_id(*store);
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[0].event_date, "2023-03-13");
    EXPECT_EQ(all[1].event_date, "2023-03-15");
    EXPECT_EQ(all[2].event_date, "2023-03-16");
    EXPECT_EQ(all[3].event_date, "2023-03-17");
}

TEST(ImportDates, RejectedRowsAreCountedExactlyPastTheErrorList) {
    std::string csv = acled_header;
    for (int k = 0; k < 1500; ++k) {
        csv += acled_row("UKR" + std::to_string(k), "not a date");
    }
    csv += acled_row("UKR9999", "2023-03-13");
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(csv);
    auto r = incidents::import_incidents(*store, in, ImportFormat::acled);
    EXPECT_EQ(r.rows, 1501u);
    EXPECT_EQ(r.created, 1u);
    EXPECT_EQ(r.rejected, 1500u);
    EXPECT_EQ(r.errors.size(), 1001u); // 1,000 listed, then the note that more follow
}

} // namespace

namespace {

// A file as European spreadsheets save ACLED's export: semicolons, decimal commas.
std::string semicolon_csv() {
    std::string header = acled_header;
    std::replace(header.begin(), header.end(), ',', ';');
    std::string csv = header;
    for (const char* date : {"13/03/2023 00:00:00", "01/03/2023 00:00:00", "31/02/2023"}) {
        csv += std::string("UKR;") + date +
               ";2023;1;Political violence;Battles;Armed clash;Military Forces of Ukraine "
               "(2019-);;1;;;;10;;804;Europe;Ukraine;Donetsk;;;Bakhmut;48,5953;38,0004;1;"
               "Ukrinform;National;\"Clashes; then shelling.\";3;;1678900000\r\n";
    }
    return csv;
}

} // namespace

TEST(ImportCsv, SemicolonsAndDecimalCommasFromEuropeanSpreadsheets) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(semicolon_csv());
    EXPECT_EQ(incidents::sniff_delimiter(in), ';');
    auto r = incidents::import_incidents(*store, in, ImportFormat::acled);
    EXPECT_EQ(r.rows, 3u);
    EXPECT_EQ(r.rejected, 1u); // 31 February
    auto all = by_source_id(*store);
    ASSERT_EQ(all.size(), 1u); // the same event_id_cnty twice: one incident, updated
    EXPECT_EQ(all[0].event_date, "2023-03-01");
    EXPECT_NEAR(all[0].point.lat, 48.5953, 1e-9);
    EXPECT_NEAR(all[0].point.lon, 38.0004, 1e-9);
    EXPECT_EQ(all[0].notes, "Clashes; then shelling.");
    EXPECT_EQ(all[0].fatalities, 3);
}

TEST(ImportCsv, ADryRunWritesNothingAndCountsTheReasons) {
    std::string csv = acled_header;
    for (int k = 0; k < 7; ++k) {
        csv += acled_row("UKR" + std::to_string(k), k < 5 ? "no date" : "2023-03-13");
    }
    auto store = incidents::open_spatialite_store(":memory:");
    incidents::ImportOptions opt;
    opt.dry_run = true;
    std::istringstream in(csv);
    auto r = incidents::import_incidents(*store, in, ImportFormat::acled, opt);
    EXPECT_EQ(r.rows, 7u);
    EXPECT_EQ(r.rejected, 5u);
    EXPECT_FALSE(r.written);
    EXPECT_EQ(store->counts().incidents, 0u);
    ASSERT_EQ(r.reasons.size(), 1u);
    EXPECT_EQ(r.reasons[0].rows, 5u);
    EXPECT_EQ(r.reasons[0].first_lines, (std::vector<std::size_t>{2, 3, 4, 5, 6}));
    EXPECT_EQ(r.reasons[0].reason.find("no date"), std::string::npos) << r.reasons[0].reason;
}
