// Every export format is read back with GDAL: the same count, attributes and coordinates.

#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/export.hpp"
#include "incidentmap/store/store.hpp"

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <map>
#include <memory>
#include <random>

namespace {

using namespace incidentmap;
using incidents::ExportFormat;
using incidents::Incident;

struct DatasetCloser {
    void operator()(void* ds) const noexcept { GDALClose(ds); }
};

std::vector<Incident> sample_incidents() {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(-179.999, 179.999);
    std::uniform_real_distribution<double> lat(-89.9, 89.9);
    const char* names[] = {"Mykolaiv", "Київ", "Zürich \"Altstadt\"", "O'Higgins, Región",
                           "Line\nbreak & <tag>"};
    std::vector<Incident> v;
    for (int n = 0; n < 60; ++n) {
        Incident i;
        i.point = {std::round(lon(rng) * 1e6) / 1e6, std::round(lat(rng) * 1e6) / 1e6};
        i.event_date = "2022-03-" + std::string(n % 28 < 9 ? "0" : "") + std::to_string(n % 28 + 1);
        i.event_type = n % 2 ? "Battles" : "Explosions/Remote violence";
        i.sub_event_type = n % 2 ? "Armed clash" : "Shelling/artillery/missile attack";
        i.location = names[n % 5];
        i.country = "UA";
        i.fatalities = n;
        i.injured = n % 7;
        i.notes = "Note " + std::to_string(n) + ": «quoted», commas, and ; semicolons";
        if (n % 3 == 0) {
            i.source_id = "UKR" + std::to_string(1000 + n);
        }
        v.push_back(i);
    }
    return v;
}

// A date field as YYYY-MM-DD, whether the driver typed it as a date or kept a string.
std::string date_of(OGRFeatureH f, OGRFeatureDefnH defn, int index) {
    auto type = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, index));
    if (type == OFTDate || type == OFTDateTime) {
        int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
        float ss = 0;
        OGR_F_GetFieldAsDateTimeEx(f, index, &y, &m, &d, &hh, &mm, &ss, &tz);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return buf;
    }
    return OGR_F_GetFieldAsString(f, index);
}

class Export : public ::testing::TestWithParam<ExportFormat> {};

TEST_P(Export, GdalReadsBackTheSameFeatures) {
    GDALAllRegister();
    auto store = incidents::open_spatialite_store(":memory:");
    auto data = sample_incidents();
    store->insert(data);
    std::map<std::int64_t, const Incident*> by_id;
    for (const auto& i : data) {
        by_id[i.id] = &i;
    }
    test::TempDir dir;
    const auto format = GetParam();
    const std::string path = dir.file(std::string("out") + incidents::file_extension(format));
    incidents::IncidentQuery q;
    ASSERT_EQ(incidents::export_incidents(*store, q, format, path), data.size());

    std::unique_ptr<void, DatasetCloser> ds(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    ASSERT_TRUE(ds) << "GDAL cannot open " << path;
    ASSERT_EQ(GDALDatasetGetLayerCount(ds.get()), 1);
    OGRLayerH layer = GDALDatasetGetLayer(ds.get(), 0);
    ASSERT_EQ(OGR_L_GetFeatureCount(layer, 1), static_cast<GIntBig>(data.size()));
    OGR_L_ResetReading(layer);
    std::size_t seen = 0;
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        std::unique_ptr<void, void (*)(OGRFeatureH)> hold(f, OGR_F_Destroy);
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
        auto field = [&](const char* name) { return OGR_FD_GetFieldIndex(defn, name); };
        // GeoPackage makes "id" its primary key column (the FID).
        const auto id = static_cast<std::int64_t>(
            field("id") >= 0 ? OGR_F_GetFieldAsInteger64(f, field("id")) : OGR_F_GetFID(f));
        ASSERT_TRUE(by_id.count(id)) << id;
        const Incident& want = *by_id[id];
        EXPECT_EQ(date_of(f, defn, field("event_date")), want.event_date);
        EXPECT_STREQ(OGR_F_GetFieldAsString(f, field("event_type")), want.event_type.c_str());
        EXPECT_STREQ(OGR_F_GetFieldAsString(f, field("location")), want.location.c_str());
        EXPECT_STREQ(OGR_F_GetFieldAsString(f, field("notes")), want.notes.c_str());
        EXPECT_EQ(OGR_F_GetFieldAsInteger(f, field("fatalities")), want.fatalities);
        if (format != ExportFormat::geojson) {
            // ACLED's column names in the flat formats.
            const std::string acled_id = OGR_F_GetFieldAsString(f, field("event_id_cnty"));
            EXPECT_EQ(acled_id,
                      want.source_id.empty() ? "UA" + std::to_string(id) : want.source_id);
            EXPECT_NEAR(OGR_F_GetFieldAsDouble(f, field("latitude")), want.point.lat, 1e-6);
            EXPECT_NEAR(OGR_F_GetFieldAsDouble(f, field("longitude")), want.point.lon, 1e-6);
        }
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        ASSERT_TRUE(g != nullptr) << "feature " << id << " has no geometry";
        EXPECT_NEAR(OGR_G_GetX(g, 0), want.point.lon, 1e-6);
        EXPECT_NEAR(OGR_G_GetY(g, 0), want.point.lat, 1e-6);
        ++seen;
    }
    EXPECT_EQ(seen, data.size());
}

INSTANTIATE_TEST_SUITE_P(Formats, Export,
                         ::testing::Values(ExportFormat::geojson, ExportFormat::geojsonseq,
                                           ExportFormat::gpkg, ExportFormat::csv, ExportFormat::kml,
                                           ExportFormat::fgb),
                         [](const auto& info) {
                             return std::string(incidents::file_extension(info.param)).substr(1);
                         });

TEST(Export, AFilteredExportHoldsOnlyTheMatches) {
    auto store = incidents::open_spatialite_store(":memory:");
    auto data = sample_incidents();
    store->insert(data);
    test::TempDir dir;
    incidents::IncidentQuery q;
    q.min_fatalities = 50;
    EXPECT_EQ(incidents::export_incidents(*store, q, ExportFormat::gpkg, dir.file("f.gpkg")), 10u);
    EXPECT_THROW(incidents::parse_export_format("shp"), InvalidInput);
}

// The parallel GeoJSON export (a worker per core, chunks written in order) gives exactly the
// bytes of the sequential one, filtered or not.
TEST(Export, ParallelGeoJsonEqualsSequential) {
    test::TempDir dir;
    auto store = incidents::open_spatialite_store(dir.file("big.sqlite"));
    std::vector<Incident> data;
    for (int round = 0; round < 40; ++round) {
        for (auto i : sample_incidents()) {
            i.source_id.clear(); // unique per incident
            data.push_back(std::move(i));
        }
    }
    store->insert(data);
    for (int filtered = 0; filtered < 2; ++filtered) {
        incidents::IncidentQuery q;
        if (filtered) {
            q.bbox = geo::BBox{0, -90, 180, 90};
            q.min_fatalities = 10;
        }
        std::string sequential, parallel;
        auto n1 = incidents::detail::export_geojson(
            *store, q, [&](std::string_view c) { sequential.append(c); }, 1000000000);
        auto n2 = incidents::detail::export_geojson(
            *store, q, [&](std::string_view c) { parallel.append(c); }, 10);
        EXPECT_EQ(n1, n2);
        EXPECT_GT(n1, filtered ? 500u : 2000u);
        EXPECT_EQ(sequential, parallel);
    }
}

} // namespace
