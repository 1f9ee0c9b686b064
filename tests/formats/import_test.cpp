// Import of ACLED CSV, UCDP GED CSV and GeoJSON: mapping, line-numbered errors, upsert by
// source id, strict mode.

#include "incidents/field_values.hpp"
#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/export.hpp"
#include "incidentmap/formats/import.hpp"
#include "incidentmap/incidents/fields.hpp"

#include <fstream>
#include <sstream>

namespace {

using namespace incidentmap;
using incidents::ImportFormat;

incidents::ImportOptions with_countries() {
    incidents::ImportOptions o;
    o.country_code = [](std::string_view name) -> std::string {
        if (name == "Ukraine") {
            return "UA";
        }
        if (name == "Yemen") {
            return "YE";
        }
        return {};
    };
    return o;
}

// Columns in an unusual order, quoted notes with commas, quotes and a line break, an old
// DD/MM/YYYY date, a numeric iso code, and a bad latitude on line 5.
const char* acled_csv =
    "\xEF\xBB\xBF"
    "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,"
    "iso,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,"
    "fatalities,tags,timestamp\r\n"
    "UKR1,2022-03-29,2022,1,Explosions/Remote violence,Shelling/artillery/missile attack,"
    "Military Forces of Russia (2000-),,804,Ukraine,Mykolaiv,Mykolaivskyi,Mykolaiv,46.9750,"
    "31.9946,1,Ukrinform,\"On 29 March 2022, a missile hit the \"\"regional\"\" "
    "administration,\nkilling 12.\",12,,1648600000\r\n"
    "UKR2,29/03/2022,2022,1,Strategic developments,Agreement,,,804,Ukraine,Kyiv City,,Kyiv,"
    "50.4501,30.5234,2,dpa,talks,0,,1\r\n"
    "UKR3,2022-03-30,2022,1,Battles,Armed clash,,,804,Ukraine,Donetsk,,Mariupol,95.0,37.5,1,"
    "x,bad latitude,0,,1\r\n"
    "UKR4,30 March 2022,2022,1,Protests,Peaceful protest,,,804,Ukraine,Lviv,,Lviv,49.84,24.03,"
    "1,x,ok,0,,1\r\n";

TEST(ImportAcled, MapsColumnsByNameAndReportsBadRowsWithTheirLine) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(acled_csv);
    auto r = incidents::import_incidents(*store, in, ImportFormat::acled, with_countries());
    EXPECT_EQ(r.rows, 4u);
    EXPECT_EQ(r.created, 3u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 5u) << "the quoted line break counts: the bad row starts on 5";
    EXPECT_NE(r.errors[0].message.find("latitude"), std::string::npos) << r.errors[0].message;

    incidents::IncidentQuery q;
    q.sort = incidents::IncidentQuery::Sort::event_date_asc;
    auto all = store->query(q).incidents;
    ASSERT_EQ(all.size(), 3u);
    const auto& strike = all[0].source_id == "UKR1" ? all[0] : all[1];
    EXPECT_EQ(strike.source_id, "UKR1");
    EXPECT_EQ(strike.country, "UA") << "from the country name, iso being numeric";
    EXPECT_EQ(strike.fatalities, 12);
    EXPECT_EQ(strike.notes,
              "On 29 March 2022, a missile hit the \"regional\" administration,\nkilling 12.");
    EXPECT_DOUBLE_EQ(strike.point.lat, 46.975);
    EXPECT_EQ(strike.actor1, "Military Forces of Russia (2000-)");
    bool old_date = false;
    for (const auto& i : all) {
        old_date |= i.source_id == "UKR2" && i.event_date == "2022-03-29" && i.geo_precision == 2;
        if (i.source_id == "UKR4") {
            EXPECT_EQ(i.event_date, "2022-03-30");
        }
    }
    EXPECT_TRUE(old_date) << "DD/MM/YYYY";
}

TEST(ImportAcled, ReimportingUpdatesInsteadOfDoubling) {
    auto store = incidents::open_spatialite_store(":memory:");
    for (int pass = 0; pass < 2; ++pass) {
        std::istringstream in(acled_csv);
        auto r = incidents::import_incidents(*store, in, ImportFormat::acled, with_countries());
        EXPECT_EQ(r.created, pass == 0 ? 3u : 0u);
        EXPECT_EQ(r.updated, pass == 0 ? 0u : 3u);
    }
    incidents::IncidentQuery q;
    EXPECT_EQ(store->query(q).number_matched, 3u);
}

TEST(ImportAcled, StrictWritesNothingWhenARowIsBad) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(acled_csv);
    auto opt = with_countries();
    opt.strict = true;
    auto r = incidents::import_incidents(*store, in, ImportFormat::acled, opt);
    EXPECT_FALSE(r.written);
    EXPECT_EQ(r.errors.size(), 1u);
    incidents::IncidentQuery q;
    EXPECT_EQ(store->query(q).number_matched, 0u);
}

TEST(ImportAcled, AFileWithoutTheRequiredColumnsIsRejectedWhole) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in("name,lat,lon\nKyiv,50,30\n");
    EXPECT_THROW(incidents::import_incidents(*store, in, ImportFormat::acled), InvalidInput);
    std::istringstream empty("");
    EXPECT_THROW(incidents::import_incidents(*store, empty, ImportFormat::acled), InvalidInput);
}

// Incidents exported as CSV (ACLED's columns) and imported back have every field such a file
// carries: all but the time of day, for which ACLED has no column, and the store's own.
TEST(ImportAcled, ReadsBackEveryFieldOfItsOwnCsvExport) {
    auto from = incidents::open_spatialite_store(":memory:");
    std::vector<incidents::Incident> v{test::every_field_set(), test::every_field_set(1)};
    const auto want = v;
    from->insert(v);
    test::TempDir dir;
    const auto path = dir.file("export.csv");
    incidents::export_incidents(*from, {}, incidents::ExportFormat::csv, path);
    auto to = incidents::open_spatialite_store(":memory:");
    std::ifstream in(path, std::ios::binary);
    const auto r = incidents::import_incidents(*to, in, ImportFormat::acled);
    EXPECT_EQ(r.created, 2u);
    EXPECT_TRUE(r.errors.empty()) << r.errors.front().message;
    incidents::IncidentQuery all;
    all.sort = incidents::IncidentQuery::Sort::id_asc;
    const auto got = to->query(all).incidents;
    ASSERT_EQ(got.size(), 2u);
    for (std::size_t k = 0; k < got.size(); ++k) {
        test::expect_fields_equal(got[k], want[k], "the CSV", [](const incidents::FieldInfo& f) {
            return f.assigned || f.field == incidents::Field::event_time;
        });
        EXPECT_FALSE(got[k].event_time);
    }
}

TEST(ImportUcdp, MapsViolenceTypesPrecisionAndWindows1252Text) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::string csv =
        "id,relid,year,type_of_violence,side_a,side_b,source_office,source_headline,"
        "where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,"
        "country,date_prec,date_start,date_end,best,low,high\n"
        "244657,UKR-2022-1-1,2022,1,Government of Russia (Soviet Union),Government of Ukraine,"
        "Reuters,Caf\xE9 hit \x93"
        "again\x94,1,Mykolaiv town,,Mykolaivska oblast,,46.975,31.995,"
        "Ukraine,1,2022-03-29 00:00:00.000,2022-03-29 00:00:00.000,12,10,15\n"
        "300001,YEM-2019-3,2019,3,AQAP,Civilians,AFP,,4,Abyan governorate,,Abyan,,13.5,45.8,"
        "Yemen (North Yemen),4,2019-05-01,2019-05-31,3,3,3\n"
        "300002,X,2019,9,A,B,AFP,,1,x,,a,,13.5,45.8,Yemen,1,2019-05-01,2019-05-01,1,1,1\n";
    std::istringstream in(csv);
    auto r = incidents::import_incidents(*store, in, ImportFormat::ucdp, with_countries());
    EXPECT_EQ(r.created, 2u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 4u);
    EXPECT_NE(r.errors[0].message.find("type_of_violence"), std::string::npos);
    incidents::IncidentQuery q;
    q.sort = incidents::IncidentQuery::Sort::event_date_asc;
    auto all = store->query(q).incidents;
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].source_id, "UCDP:300001");
    EXPECT_EQ(all[0].event_type, "Violence against civilians");
    EXPECT_EQ(all[0].country, "YE") << "the name before the parenthesis";
    EXPECT_EQ(all[0].geo_precision, 3);
    EXPECT_EQ(all[0].time_precision, 3);
    EXPECT_EQ(all[1].event_type, "Battles");
    EXPECT_EQ(all[1].fatalities, 12) << "best estimate";
    EXPECT_EQ(all[1].event_date, "2022-03-29");
    EXPECT_EQ(all[1].notes, "Café hit “again”") << "Windows-1252 read as such";
}

TEST(ImportGeoJson, FeatureCollectionWithABadFeatureReportsItsLine) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::string doc = R"({"type": "FeatureCollection", "name": "x",
"features": [
{"type":"Feature","geometry":{"type":"Point","coordinates":[30.5,50.4]},
 "properties":{"event_date":"2022-03-29","event_type":"Battles","source_id":"a1","location":"Kyiv"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[30.5,150.4]},
 "properties":{"event_date":"2022-03-29","event_type":"Battles"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[31.9,46.9]},
 "properties":{"event_date":"2022-03-29","event_type":"Riots","note":"]}{"}}
]})";
    std::istringstream in(doc);
    auto r = incidents::import_incidents(*store, in, ImportFormat::geojson);
    EXPECT_EQ(r.rows, 3u);
    EXPECT_EQ(r.created, 2u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 5u);
    EXPECT_NE(r.errors[0].message.find("feature 2"), std::string::npos) << r.errors[0].message;
}

TEST(ImportGeoJson, TextSequencesAndRoundTripOfOwnExport) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::string seq =
        "\x1e{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},"
        "\"properties\":{\"event_date\":\"2022-03-29\",\"event_type\":\"Battles\","
        "\"source_id\":\"s1\"}}\n"
        "\x1e{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[3,4]},"
        "\"properties\":{\"event_date\":\"2022-03-30\",\"event_type\":\"Battles\","
        "\"source_id\":\"s2\"}}\n";
    std::istringstream in(seq);
    auto r = incidents::import_incidents(*store, in, ImportFormat::geojson);
    EXPECT_EQ(r.created, 2u);
    EXPECT_TRUE(r.errors.empty());
    std::istringstream again(seq);
    r = incidents::import_incidents(*store, again, ImportFormat::geojson);
    EXPECT_EQ(r.updated, 2u);
    EXPECT_EQ(r.created, 0u);
}

TEST(ImportGeoJson, UnusableDocumentsAreRejectedWhole) {
    auto store = incidents::open_spatialite_store(":memory:");
    for (const char* bad :
         {"", "{\"type\":\"FeatureCollection\"}", "{\"features\": 5}",
          "{\"type\":\"FeatureCollection\",\"features\":[{\"a\":1}", "\xff\xfe{}", "hello"}) {
        std::istringstream in(bad);
        EXPECT_THROW(incidents::import_incidents(*store, in, ImportFormat::geojson), InvalidInput)
            << bad;
    }
}

// Found by fuzz_feature_spans: a ',' between the objects of a text sequence made the scanner
// find the same empty feature forever, until memory ran out.
TEST(ImportGeoJson, ACommaBetweenTheObjectsOfASequenceIsRefused) {
    auto store = incidents::open_spatialite_store(":memory:");
    const std::string feature = "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}";
    std::istringstream in(feature + "\n" + feature + "\n," + feature + "\n");
    EXPECT_THROW(incidents::import_incidents(*store, in, ImportFormat::geojson), InvalidInput);
}

TEST(ImportFormatGuess, FromTheFirstBytes) {
    EXPECT_EQ(incidents::guess_import_format("  {\"type\""), ImportFormat::geojson);
    EXPECT_EQ(incidents::guess_import_format("event_id_cnty,event_date\n"), ImportFormat::acled);
    EXPECT_EQ(incidents::guess_import_format("id,relid,type_of_violence\n"), ImportFormat::ucdp);
    EXPECT_THROW(incidents::guess_import_format("a,b,c\n"), InvalidInput);
}

TEST(ImportFormatGuess, TheAcledApiAnswerByItsTopLevelDataArray) {
    EXPECT_EQ(incidents::guess_import_format(
                  "\xEF\xBB\xBF{\"status\":200,\"success\":true,\"messages\":[\"a\\\"b\"],"
                  "\"data\" : [{\"event_id_cnty\":\"UKR1\""),
              ImportFormat::acled_json)
        << "after a BOM, other keys, an escaped quote, and cut off inside the first record";
    EXPECT_EQ(incidents::guess_import_format(
                  "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                  "\"properties\":{\"data\":[1]}}]}"),
              ImportFormat::geojson)
        << "a \"data\" array below the top level is a property";
    EXPECT_EQ(incidents::guess_import_format("{\"data\":{\"rows\":[]}}"), ImportFormat::geojson);
    EXPECT_EQ(incidents::guess_import_format("{\"note\":\"\\\"data\\\":[\",\"type\":\"Feature\"}"),
              ImportFormat::geojson)
        << "\"data\": inside a string is no key";
}

TEST(ImportFormatGuess, PathsOnlyGdalReads) {
    for (const char* p : {"/vsizip/ged.zip/ged.csv", "/vsicurl/https://x/y.gpkg", "GED241.ZIP",
                          "a/sheet.xlsx", "layer.gpkg", "pts.shp", "a.kml", "a.fgb"}) {
        EXPECT_TRUE(incidents::is_gdal_path(p)) << p;
    }
    for (const char* p : {"acled.csv", "api.json", "x.geojson", "-", "dir.zip/file", "noext"}) {
        EXPECT_FALSE(incidents::is_gdal_path(p)) << p;
    }
}

} // namespace
