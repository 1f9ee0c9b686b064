// Import of a real file nobody here wrote (UCDP's GED for Ukraine, tests/data/ucdp/README.md),
// and of files made as the tools our users have write them.

#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/import.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>

#include <nlohmann/json.hpp>

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

// The GED columns no field holds (relid, low, high, the dyad, the deaths by side…) are kept as
// the row's attributes, as the file writes them; those a field took are not repeated there.
TEST(ImportRealFiles, UcdpGedColumnsWithoutAFieldAreKeptAsAttributes) {
    std::ifstream in(test::env_or_skip("INCIDENTMAP_TEST_DATA") + "/ucdp/ucdp-ged-ukraine.csv",
                     std::ios::binary);
    ASSERT_TRUE(in);
    auto store = incidents::open_spatialite_store(":memory:");
    auto r = incidents::import_incidents(*store, in, incidents::ImportFormat::ucdp);
    ASSERT_EQ(r.created, 3883u);
    std::map<std::string, nlohmann::json> attributes;
    store->for_each({}, [&](incidents::Incident& i) {
        ASSERT_TRUE(i.attributes) << i.source_id;
        attributes[i.source_id] = nlohmann::json::parse(*i.attributes);
    });
    const auto& a = attributes["UCDP:147997"];
    EXPECT_EQ(a.value("relid", ""), "UKR-2014-1-14085-0");
    EXPECT_EQ(a.value("dyad_name", ""), "Government of Ukraine - Maidan");
    EXPECT_EQ(a.value("low", ""), "5");
    EXPECT_EQ(a.value("high", ""), "5");
    EXPECT_EQ(a.value("number_of_sources", ""), "5");
    for (const char* taken : {"id", "latitude", "longitude", "best", "side_a", "date_start",
                              "where_description", "adm_1", "type_of_violence"}) {
        EXPECT_FALSE(a.contains(taken)) << taken;
    }
}

TEST(ImportRealFiles, UcdpGedColumnsNamedByMapWinOverTheUcdpMapping) {
    std::ifstream in(test::env_or_skip("INCIDENTMAP_TEST_DATA") + "/ucdp/ucdp-ged-ukraine.csv",
                     std::ios::binary);
    ASSERT_TRUE(in);
    auto store = incidents::open_spatialite_store(":memory:");
    incidents::ImportOptions opt;
    opt.columns =
        incidents::parse_column_mapping("notes=source_original,location=where_description");
    auto r = incidents::import_incidents(*store, in, incidents::ImportFormat::ucdp, opt);
    EXPECT_EQ(r.created, 3883u);
    incidents::Incident slov;
    store->for_each({}, [&](incidents::Incident& i) {
        if (i.source_id == "UCDP:153027") {
            slov = i;
        }
    });
    EXPECT_EQ(slov.notes, "rebel spokesman, Ukraine's interim president");
    EXPECT_EQ(slov.location, "Slavyansk town") << "where_coordinates is Sloviansk town";
    EXPECT_EQ(slov.event_date, "2014-05-02");
    EXPECT_EQ(slov.fatalities, 5) << "the rest as UCDP's mapping has it";
}

// Files as the tools our users have write them: the ACLED API's JSON, UCDP's GED in its zip,
// a spreadsheet, a GeoPackage of another projection and other column names.

std::map<std::string, incidents::Incident> by_source_id(incidents::IncidentStore& store) {
    std::map<std::string, incidents::Incident> out;
    store.for_each({}, [&](incidents::Incident& i) { out[i.source_id] = i; });
    return out;
}

// As the API answers (pretty-printed here, so that records have lines of their own): every
// value a string, nulls where a field is empty, keys the CSV lacks (a nested one too), an
// extra top-level key after the data.
const char* acled_api_json = R"json({
  "status": 200,
  "success": true,
  "last_update": 1,
  "count": 3,
  "messages": [],
  "data": [
    {"event_id_cnty": "UKR90001", "event_date": "2023-03-13", "year": "2023",
     "time_precision": "1", "disorder_type": "Political violence",
     "event_type": "Explosions/Remote violence",
     "sub_event_type": "Shelling/artillery/missile attack",
     "actor1": "Military Forces of Russia (2000-)", "assoc_actor_1": null,
     "inter1": "8", "actor2": null, "interaction": "80", "civilian_targeting": "",
     "iso": "804", "region": "Europe", "country": "Ukraine", "admin1": "Donetsk",
     "admin2": "Kramatorskyi", "admin3": "Kramatorska", "location": "Kramatorsk",
     "latitude": "48.7389", "longitude": "37.5848", "geo_precision": "1",
     "source": "Ukrinform", "source_scale": "National",
     "notes": "On 13 March 2023, Russian forces shelled Kramatorsk, killing 2 civilians.",
     "fatalities": "2", "tags": null, "timestamp": "1678900000",
     "population_best": {"value": "150000"}},
    {"event_id_cnty": "UKR90002", "event_date": "2023-03-14", "year": "2023",
     "time_precision": "2", "event_type": "Protests", "sub_event_type": "Peaceful protest",
     "actor1": "Protesters (Ukraine)", "actor2": null, "iso": "804", "country": "Ukraine",
     "admin1": "Lviv", "admin2": null, "location": "Lviv", "latitude": "49.8397",
     "longitude": "24.0297", "geo_precision": "2", "source": "Zaxid.net", "notes": null,
     "fatalities": "0", "tags": "crowd size=dozens", "timestamp": "1678900001"},
    {"event_id_cnty": "UKR90003", "event_date": "2023-03-15", "event_type": "Battles",
     "sub_event_type": "Armed clash", "latitude": "not known", "longitude": "38.0",
     "fatalities": "0"}
  ],
  "filename": "2023-03-16"
})json";

TEST(ImportAcledApiJson, ReadsStringValuesNullsAndExtraKeysLikeTheCsv) {
    EXPECT_EQ(incidents::guess_import_format(acled_api_json), incidents::ImportFormat::acled_json);
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream in(acled_api_json);
    auto r = incidents::import_incidents(*store, in, incidents::ImportFormat::acled_json);
    EXPECT_EQ(r.rows, 3u);
    EXPECT_EQ(r.created, 2u);
    EXPECT_EQ(r.rejected, 1u);
    ASSERT_EQ(r.errors.size(), 1u);
    const std::string_view json(acled_api_json);
    const auto third = json.substr(0, json.find("UKR90003"));
    EXPECT_EQ(r.errors[0].line, 1 + std::count(third.begin(), third.end(), '\n'))
        << "the line the third record's '{' is on";
    EXPECT_NE(r.errors[0].message.find("record 3: latitude 'not known'"), std::string::npos)
        << r.errors[0].message;

    auto all = by_source_id(*store);
    ASSERT_EQ(all.size(), 2u);
    const auto& strike = all.at("UKR90001");
    EXPECT_EQ(strike.event_date, "2023-03-13");
    EXPECT_DOUBLE_EQ(strike.point.lat, 48.7389);
    EXPECT_DOUBLE_EQ(strike.point.lon, 37.5848);
    EXPECT_EQ(strike.fatalities, 2);
    EXPECT_EQ(strike.actor2, "") << "null";
    EXPECT_EQ(strike.admin2, "Kramatorskyi");
    EXPECT_EQ(strike.sub_event_type, "Shelling/artillery/missile attack");
    const auto& protest = all.at("UKR90002");
    EXPECT_EQ(protest.event_date, "2023-03-14");
    EXPECT_EQ(protest.time_precision, 2);
    EXPECT_EQ(protest.geo_precision, 2);
    EXPECT_EQ(protest.fatalities, 0);
    EXPECT_EQ(protest.notes, "");
    EXPECT_DOUBLE_EQ(protest.point.lon, 24.0297);

    // The same answer again updates, never duplicates.
    std::istringstream again(acled_api_json);
    auto r2 = incidents::import_incidents(*store, again, incidents::ImportFormat::acled_json);
    EXPECT_EQ(r2.created, 0u);
    EXPECT_EQ(r2.updated, 2u);
}

TEST(ImportAcledApiJson, DayMonthDatesAreDecidedFromAllRecordsAsInTheCsv) {
    // One line, as the API sends it; the second date shows the order of the first.
    std::istringstream in(
        R"({"success":true,"count":2,"data":[{"event_id_cnty":"A1","event_date":"05/02/2014",)"
        R"("event_type":"Battles","latitude":"48.85","longitude":"37.62","fatalities":"5"},)"
        R"({"event_id_cnty":"A2","event_date":"13/02/2014","event_type":"Battles",)"
        R"("latitude":"48.0","longitude":"37.0","fatalities":"1"}]})");
    auto store = incidents::open_spatialite_store(":memory:");
    auto r = incidents::import_incidents(*store, in, incidents::ImportFormat::acled_json);
    EXPECT_EQ(r.created, 2u);
    ASSERT_EQ(r.dates.size(), 1u);
    EXPECT_EQ(r.dates[0].order, text::DayMonthOrder::day_first);
    auto all = by_source_id(*store);
    EXPECT_EQ(all.at("A1").event_date, "2014-02-05");
    EXPECT_EQ(all.at("A1").fatalities, 5);
}

TEST(ImportAcledApiJson, AnErrorAnswerOrOtherJsonIsRefusedSayingWhy) {
    auto store = incidents::open_spatialite_store(":memory:");
    std::istringstream denied(
        R"({"status":403,"success":false,"error":{"code":403,"message":"Access denied"}})");
    try {
        incidents::import_incidents(*store, denied, incidents::ImportFormat::acled_json);
        FAIL() << "an error answer was imported";
    } catch (const InvalidInput& e) {
        EXPECT_NE(std::string(e.what()).find("Access denied"), std::string::npos) << e.what();
    }
    std::istringstream geojson(R"({"type":"FeatureCollection","features":[]})");
    EXPECT_EQ(incidents::guess_import_format(geojson.str()), incidents::ImportFormat::geojson);
    EXPECT_THROW(incidents::import_incidents(*store, geojson, incidents::ImportFormat::acled_json),
                 InvalidInput);
    std::istringstream cut(R"({"success":true,"data":[{"event_id_cnty":"A1","event_date":"2)");
    EXPECT_THROW(incidents::import_incidents(*store, cut, incidents::ImportFormat::acled_json),
                 InvalidInput);
}

void write_file(const std::string& path, const std::string& bytes) {
    VSILFILE* f = VSIFOpenL(path.c_str(), "wb");
    ASSERT_NE(f, nullptr) << path;
    ASSERT_EQ(VSIFWriteL(bytes.data(), 1, bytes.size(), f), bytes.size());
    VSIFCloseL(f);
}

// ogr2ogr -f FORMAT out in ARGS..., through GDAL's library.
void ogr2ogr(const std::string& out, const std::string& in, std::vector<std::string> args,
             std::vector<std::string> open_options = {}) {
    GDALAllRegister();
    std::vector<char*> oo;
    for (auto& o : open_options) {
        oo.push_back(o.data());
    }
    oo.push_back(nullptr);
    GDALDatasetH src = GDALOpenEx(in.c_str(), GDAL_OF_VECTOR, nullptr, oo.data(), nullptr);
    ASSERT_NE(src, nullptr) << in;
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    GDALVectorTranslateOptions* opt = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    int usage_error = 0;
    GDALDatasetH dst = GDALVectorTranslate(out.c_str(), nullptr, 1, &src, opt, &usage_error);
    GDALVectorTranslateOptionsFree(opt);
    ASSERT_NE(dst, nullptr) << CPLGetLastErrorMsg();
    GDALClose(dst);
    GDALClose(src);
}

TEST(ImportGdal, UcdpGedZipThroughVsizipImportsWholeAsTheCsvDoes) {
    test::TempDir dir;
    const auto csv =
        test::read_file(test::env_or_skip("INCIDENTMAP_TEST_DATA") + "/ucdp/ucdp-ged-ukraine.csv");
    const std::string zip = dir.file("ged241-ukraine.zip");
    write_file("/vsizip/" + zip + "/GEDEvent_v24_1.csv", csv);
    // A download with its codebook beside the data: the one member GDAL reads is taken.
    const std::string with_codebook = dir.file("ged241-ukraine-with-codebook.zip");
    {
        void* z = CPLCreateZip(with_codebook.c_str(), nullptr);
        ASSERT_NE(z, nullptr);
        const std::string readme = "UCDP Georeferenced Event Dataset, version 24.1\n";
        ASSERT_EQ(CPLCreateFileInZip(z, "README.txt", nullptr), CE_None);
        CPLWriteFileInZip(z, readme.data(), static_cast<int>(readme.size()));
        CPLCloseFileInZip(z);
        ASSERT_EQ(CPLCreateFileInZip(z, "GEDEvent_v24_1.csv", nullptr), CE_None);
        CPLWriteFileInZip(z, csv.data(), static_cast<int>(csv.size()));
        CPLCloseFileInZip(z);
        CPLCloseZip(z);
    }
    for (const std::string& path : {"/vsizip/" + zip, zip, with_codebook}) {
        SCOPED_TRACE(path);
        auto store = incidents::open_spatialite_store(":memory:");
        auto r = incidents::import_dataset(*store, path);
        EXPECT_EQ(r.rows, 3883u);
        EXPECT_EQ(r.created, 3883u);
        EXPECT_EQ(r.rejected, 0u);
        ASSERT_EQ(r.dates.size(), 2u);
        EXPECT_EQ(r.dates[0].order, text::DayMonthOrder::month_first);
        auto all = by_source_id(*store);
        ASSERT_EQ(all.size(), 3883u);
        const auto& slov = all.at("UCDP:153027"); // 05/02/2014 00:00, sources 2014-05-02
        EXPECT_EQ(slov.event_date, "2014-05-02");
        EXPECT_DOUBLE_EQ(slov.point.lat, 48.853333);
        EXPECT_DOUBLE_EQ(slov.point.lon, 37.625);
        EXPECT_EQ(slov.fatalities, 5);
        EXPECT_EQ(slov.admin1, "Donetsk oblast");
        EXPECT_EQ(all.at("UCDP:446258").event_date, "2022-08-31"); // 8/31/2022 12:00:00 AM
        EXPECT_EQ(all.at("UCDP:446258").fatalities, 1);
        // A Windows-1252 apostrophe among the UTF-8, as in the CSV read directly.
        EXPECT_NE(all.at("UCDP:149250").notes.find("Ukraine\u2019s Lvov"), std::string::npos);
    }
}

// An ACLED export after a spreadsheet: ogr2ogr -f XLSX from the CSV, with the types a
// spreadsheet gives the cells (AUTODETECT_TYPE: numbers as numbers, ISO dates as date cells),
// with the dates kept as the text a spreadsheet wrote back ("13/03/2023 00:00:00"), and with
// every cell text.
const char* acled_for_xlsx =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,"
    "region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp\n"
    "UKR91001,DATE1,2023,1,Political violence,Explosions/Remote violence,Air/drone strike,"
    "Military Forces of Russia (2000-),,8,Civilians (Ukraine),,7,78,Civilian targeting,804,"
    "Europe,Ukraine,Odesa,Odeskyi,Odeska,Odesa,46.4825,30.7233,1,Suspilne,National,"
    "\"On 13 March 2023, a drone hit Odesa, killing 3.\",3,,1678900000\n"
    "UKR91002,DATE2,2023,1,Demonstrations,Protests,Peaceful protest,Protesters (Ukraine),,6,,,0,"
    "60,,804,Europe,Ukraine,Kyiv City,Kyiv,,Kyiv,50.4501,30.5234,1,Kyiv Independent,National,"
    "A protest.,0,crowd size=around 100,1678900001\n";

std::string with_dates(std::string csv, const std::string& d1, const std::string& d2) {
    csv.replace(csv.find("DATE1"), 5, d1);
    csv.replace(csv.find("DATE2"), 5, d2);
    return csv;
}

TEST(ImportGdal, XlsxWrittenByASpreadsheetFromAnAcledExport) {
    test::TempDir dir;
    struct Case {
        const char* name;
        std::string csv;
        std::vector<std::string> open_options;
    };
    const Case cases[] = {
        {"typed cells",
         with_dates(acled_for_xlsx, "2023-03-13", "2023-03-25"),
         {"AUTODETECT_TYPE=YES"}},
        {"text dates",
         with_dates(acled_for_xlsx, "13/03/2023 00:00:00", "25/03/2023 00:00:00"),
         {"AUTODETECT_TYPE=YES"}},
        {"all text", with_dates(acled_for_xlsx, "13/03/2023", "25/03/2023"), {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto csv = dir.file(std::string(c.name) + ".csv");
        const auto xlsx = dir.file(std::string(c.name) + ".xlsx");
        write_file(csv, c.csv);
        ogr2ogr(xlsx, csv, {"-f", "XLSX"}, c.open_options);
        auto store = incidents::open_spatialite_store(":memory:");
        auto r = incidents::import_dataset(*store, xlsx);
        EXPECT_EQ(r.rows, 2u);
        EXPECT_EQ(r.created, 2u);
        EXPECT_EQ(r.rejected, 0u) << (r.errors.empty() ? "" : r.errors[0].message);
        auto all = by_source_id(*store);
        ASSERT_EQ(all.size(), 2u);
        const auto& strike = all.at("UKR91001");
        EXPECT_EQ(strike.event_date, "2023-03-13");
        EXPECT_DOUBLE_EQ(strike.point.lat, 46.4825);
        EXPECT_DOUBLE_EQ(strike.point.lon, 30.7233);
        EXPECT_EQ(strike.fatalities, 3);
        EXPECT_EQ(strike.sub_event_type, "Air/drone strike");
        EXPECT_EQ(strike.notes, "On 13 March 2023, a drone hit Odesa, killing 3.");
        EXPECT_EQ(all.at("UKR91002").event_date, "2023-03-25");
        EXPECT_EQ(all.at("UKR91002").location, "Kyiv");
    }
}

// Web Mercator, as many GIS layers are stored.
std::pair<double, double> to_3857(double lon, double lat) {
    constexpr double r = 6378137.0;
    const double rad = std::numbers::pi / 180.0;
    return {r * lon * rad, r * std::log(std::tan(std::numbers::pi / 4 + lat * rad / 2))};
}

// A GeoPackage in EPSG:3857 whose columns have other names (German, as a partner's layer
// might), day-first dotted dates, and a line among the points.
std::string odd_geopackage(const test::TempDir& dir) {
    GDALAllRegister();
    const auto path = dir.file("vorfaelle.gpkg");
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = GDALCreate(drv, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    EXPECT_NE(ds, nullptr);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 3857);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "vorfaelle", srs, wkbUnknown, nullptr);
    OSRRelease(srs);
    for (const char* name : {"Kennung", "Datum", "Art", "Unterart", "Ort", "Beschreibung"}) {
        OGRFieldDefnH fd = OGR_Fld_Create(name, OFTString);
        OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
    }
    OGRFieldDefnH tote = OGR_Fld_Create("Tote", OFTInteger);
    OGR_L_CreateField(layer, tote, TRUE);
    OGR_Fld_Destroy(tote);
    struct Row {
        const char* id;
        const char* date;
        const char* type;
        const char* sub;
        const char* place;
        const char* notes;
        int dead;
        const char* wkt; // empty: the point below
        double lon;
        double lat;
    };
    const Row rows[] = {
        {"V-1", "05.02.2023", "Battles", "Armed clash", "Bakhmut", "Gefechte am Stadtrand", 4, "",
         38.0, 48.5953},
        {"V-2", "13.02.2023", "Explosions/Remote violence", "Air/drone strike", "Kharkiv",
         "Drohnenangriff", 1, "", 36.2304, 49.9935},
        {"V-3", "14.02.2023", "Battles", "Armed clash", "Frontline", "Eine Linie", 0,
         "LINESTRING (4200000 6200000,4210000 6210000)", 0, 0},
    };
    for (const auto& r : rows) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        const char* values[] = {r.id, r.date, r.type, r.sub, r.place, r.notes};
        for (int k = 0; k < 6; ++k) {
            OGR_F_SetFieldString(f, k, values[k]);
        }
        OGR_F_SetFieldInteger(f, 6, r.dead);
        OGRGeometryH g = nullptr;
        if (*r.wkt != '\0') {
            char* wkt = const_cast<char*>(r.wkt);
            OGR_G_CreateFromWkt(&wkt, nullptr, &g);
        } else {
            const auto [x, y] = to_3857(r.lon, r.lat);
            g = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(g, 0, x, y);
        }
        OGR_F_SetGeometryDirectly(f, g);
        EXPECT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return path;
}

TEST(ImportGdal, GeoPackageInWebMercatorWithColumnsOfOtherNamesThroughMap) {
    test::TempDir dir;
    const auto gpkg = odd_geopackage(dir);
    auto store = incidents::open_spatialite_store(":memory:");
    // Without --map the layer lacks what an incident needs, and says so.
    try {
        incidents::import_dataset(*store, gpkg);
        FAIL() << "a layer without event_date was read";
    } catch (const InvalidInput& e) {
        EXPECT_NE(std::string(e.what()).find("event_date, event_type"), std::string::npos)
            << e.what();
    }
    incidents::ImportOptions opt;
    opt.columns = incidents::parse_column_mapping(
        "source_id=Kennung, event_date=Datum,event_type=ART,sub_event_type=Unterart,"
        "location=Ort,notes=Beschreibung,fatalities=Tote");
    auto r = incidents::import_dataset(*store, gpkg, opt);
    EXPECT_EQ(r.rows, 3u);
    EXPECT_EQ(r.created, 2u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 3u);
    EXPECT_NE(r.errors[0].message.find("feature 3: the geometry is a LINESTRING, not a point"),
              std::string::npos)
        << r.errors[0].message;
    ASSERT_EQ(r.reasons.size(), 1u);
    EXPECT_EQ(r.reasons[0].reason.substr(0, 36), "the geometry is a LINESTRING, not a ")
        << "counted without the feature's number";
    EXPECT_EQ(r.reasons[0].first_lines, std::vector<std::size_t>{3});
    ASSERT_EQ(r.dates.size(), 1u);
    EXPECT_EQ(r.dates[0].order, text::DayMonthOrder::day_first) << "13.02.2023 shows it";

    auto all = by_source_id(*store);
    ASSERT_EQ(all.size(), 2u);
    const auto& bakhmut = all.at("V-1");
    EXPECT_EQ(bakhmut.event_date, "2023-02-05");
    EXPECT_NEAR(bakhmut.point.lon, 38.0, 1e-9) << "reprojected from EPSG:3857";
    EXPECT_NEAR(bakhmut.point.lat, 48.5953, 1e-9);
    EXPECT_EQ(bakhmut.fatalities, 4);
    EXPECT_EQ(bakhmut.location, "Bakhmut");
    EXPECT_EQ(bakhmut.notes, "Gefechte am Stadtrand");
    const auto& kharkiv = all.at("V-2");
    EXPECT_EQ(kharkiv.event_date, "2023-02-13");
    EXPECT_NEAR(kharkiv.point.lon, 36.2304, 1e-9);
    EXPECT_NEAR(kharkiv.point.lat, 49.9935, 1e-9);
    EXPECT_EQ(kharkiv.sub_event_type, "Air/drone strike");
}

TEST(ImportGdal, MapRejectsUnknownFieldsListingTheValidOnesAndColumnsTheFileLacks) {
    try {
        incidents::parse_column_mapping("event_date=Datum,when=Zeit");
        FAIL() << "an unknown target was taken";
    } catch (const InvalidInput& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("'when'"), std::string::npos) << m;
        for (const char* f : {"event_date", "notes", "fatalities", "lat", "lon", "source_id"}) {
            EXPECT_NE(m.find(f), std::string::npos) << f << " missing from " << m;
        }
        EXPECT_EQ(m.find("created"), std::string::npos) << "the store sets it: " << m;
    }
    EXPECT_THROW(incidents::parse_column_mapping("id=Kennung"), InvalidInput);
    EXPECT_THROW(incidents::parse_column_mapping("notes"), InvalidInput);
    EXPECT_THROW(incidents::parse_column_mapping("notes=A,notes=B"), InvalidInput);

    test::TempDir dir;
    const auto gpkg = odd_geopackage(dir);
    auto store = incidents::open_spatialite_store(":memory:");
    incidents::ImportOptions opt;
    opt.columns = incidents::parse_column_mapping("event_date=Datum,event_type=Typ");
    try {
        incidents::import_dataset(*store, gpkg, opt);
        FAIL() << "a column the layer lacks was mapped";
    } catch (const InvalidInput& e) {
        EXPECT_NE(std::string(e.what()).find("no column Typ"), std::string::npos) << e.what();
    }
}

} // namespace
