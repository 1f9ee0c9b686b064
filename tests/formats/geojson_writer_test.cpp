// The streaming GeoJSON writer: RFC 7946 structure, escaping, 6-decimal coordinates, bbox,
// chunked output; and the strict Feature reader.

#include "incidents/field_values.hpp"
#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/incidents/fields.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <random>

namespace {

using namespace incidentmap;
using incidents::Incident;
using nlohmann::json;

Incident sample(std::int64_t id, double lon, double lat) {
    Incident i;
    i.id = id;
    i.point = {lon, lat};
    i.event_date = "2022-03-29";
    i.event_type = "Explosions/Remote violence";
    i.sub_event_type = "Shelling/artillery/missile attack";
    i.location = "Миколаїв \"центр\"\n\t\x01";
    i.fatalities = 3;
    i.injured = 22;
    i.evidence.push_back({7, 10, 20, "a \\ backslash and \u2028 separator"});
    return i;
}

TEST(GeoJsonWriter, WritesAValidFeatureCollectionWithBbox) {
    std::string out;
    std::size_t chunks = 0;
    {
        incidents::GeoJsonWriter w(
            [&](std::string_view c) {
                out.append(c);
                ++chunks;
            },
            "\"numberMatched\":2");
        w.add(sample(1, 31.992961234, 46.97625));
        w.add(sample(2, -179.5, -89.0000004));
        w.finish("\"links\":[]");
        EXPECT_EQ(w.count(), 2u);
    }
    auto j = json::parse(out);
    EXPECT_EQ(j["type"], "FeatureCollection");
    EXPECT_EQ(j["numberMatched"], 2);
    ASSERT_EQ(j["features"].size(), 2u);
    const auto& f = j["features"][0];
    EXPECT_EQ(f["type"], "Feature");
    EXPECT_EQ(f["id"], 1);
    EXPECT_EQ(f["geometry"]["type"], "Point");
    EXPECT_DOUBLE_EQ(f["geometry"]["coordinates"][0].get<double>(), 31.992961) << "lon first";
    EXPECT_DOUBLE_EQ(f["geometry"]["coordinates"][1].get<double>(), 46.97625);
    EXPECT_EQ(f["properties"]["location"], "Миколаїв \"центр\"\n\t\x01") << "escaped, round-trip";
    EXPECT_EQ(f["properties"]["evidence"][0]["text"], "a \\ backslash and \u2028 separator");
    EXPECT_EQ(out.find("31.992961234"), std::string::npos) << "6 decimals";
    EXPECT_EQ(j["bbox"], json::parse("[-179.5,-89.0,31.992961,46.97625]"));
    EXPECT_TRUE(j.contains("links"));
    EXPECT_GE(chunks, 1u);
}

TEST(GeoJsonWriter, ManyFeaturesStreamInChunks) {
    std::size_t chunks = 0;
    std::size_t bytes = 0;
    std::string last;
    incidents::GeoJsonWriter w([&](std::string_view c) {
        ++chunks;
        bytes += c.size();
        EXPECT_LE(c.size(), 200000u) << "no unbounded buffering";
    });
    for (int n = 0; n < 5000; ++n) {
        w.add(sample(n, n % 360 - 180, n % 180 - 90));
    }
    w.finish();
    EXPECT_GT(chunks, 10u);
    EXPECT_GT(bytes, 1000000u);
}

TEST(GeoJsonWriter, EmptyCollectionHasNoBbox) {
    std::string out;
    {
        incidents::GeoJsonWriter w([&](std::string_view c) { out.append(c); });
        w.finish();
    }
    auto j = json::parse(out);
    EXPECT_TRUE(j["features"].empty());
    EXPECT_FALSE(j.contains("bbox"));
}

// The exact bytes of a feature, every property in its place; a string that needs escaping
// takes another path through the writer and must still give the same layout.
TEST(GeoJsonWriter, WritesTheExactBytesOfAFeature) {
    Incident i;
    i.id = 42;
    i.source_id = "UKR1";
    i.point = {-0.1234565, 51.5};
    i.event_date = "2022-03-29";
    i.event_time = "14:30";
    i.time_precision = 2;
    i.event_type = "Battles";
    i.sub_event_type = "Armed clash";
    i.actor1 = "A";
    i.country = "UA";
    i.location = "Mykolaiv";
    i.geonameid = 700569;
    i.geo_precision = 3;
    i.fatalities = 5;
    i.injured = 7;
    i.confidence = 0.87654;
    i.evidence.push_back({9, 3, 14, "It happened."});
    i.evidence.push_back({0, 20, 30, "Again."});
    i.created = "2022-03-30T10:00:00Z";
    i.updated = "2022-03-30T11:00:00Z";
    const std::string head =
        R"({"type":"Feature","id":42,"geometry":{"type":"Point","coordinates":[-0.123457,51.5]},)"
        R"("properties":{"id":42,"event_date":"2022-03-29","event_time":"14:30",)"
        R"("time_precision":2,"event_type":"Battles","sub_event_type":"Armed clash",)"
        R"("actor1":"A","actor2":"","country":"UA","admin1":"","admin2":"",)";
    const std::string tail =
        R"("geonameid":700569,"geo_precision":3,"fatalities":5,"injured":7,"source":"",)"
        R"("source_url":"","source_id":"UKR1","notes":"","confidence":0.877,)"
        R"("evidence":[{"article_id":9,"start":3,"end":14,"text":"It happened."},)"
        R"({"article_id":0,"start":20,"end":30,"text":"Again."}],)"
        R"("created":"2022-03-30T10:00:00Z","updated":"2022-03-30T11:00:00Z",)"
        R"("attributes":null}})";
    EXPECT_EQ(incidents::incident_feature(i), head + R"("location":"Mykolaiv",)" + tail);
    i.location = "Миколаїв \"центр\"";
    EXPECT_EQ(incidents::incident_feature(i),
              head + "\"location\":\"Миколаїв \\\"центр\\\"\"," + tail);
    i.location = "Kyiv\t\"1\"";
    EXPECT_EQ(incidents::incident_feature(i), head + "\"location\":\"Kyiv\\t\\\"1\\\"\"," + tail);
    i.event_time.reset();
    i.geonameid.reset();
    i.evidence.clear();
    i.location = "Mykolaiv";
    const std::string plain = incidents::incident_feature(i);
    EXPECT_NE(plain.find(R"("event_time":null,)"), std::string::npos) << plain;
    EXPECT_NE(plain.find(R"("geonameid":null,)"), std::string::npos) << plain;
    EXPECT_NE(plain.find(R"("evidence":[],)"), std::string::npos) << plain;
    // Attributes are a JSON object, not a string.
    i.attributes = R"js({"assoc_actor_1":"Civilians (Ukraine)","inter1":"8"})js";
    const std::string with = incidents::incident_feature(i);
    EXPECT_NE(
        with.find(R"js("attributes":{"assoc_actor_1":"Civilians (Ukraine)","inter1":"8"}})js"),
        std::string::npos)
        << with;
}

// Coordinates and confidence as geo::append_coordinate writes them (6 decimals, trailing zeros
// dropped, no "-0"), over random values and the rounding edges.
TEST(GeoJsonWriter, WritesCoordinatesAsAppendCoordinateDoes) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> lon(-180, 180);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<double> values = {0.0,       -0.0,       4e-7,       -4e-7,      5e-7, -5e-7,
                                  1e-6,      -1e-6,      179.999999, -180.0,     12.5, -12.000001,
                                  0.1234565, -0.1234565, 89.9999995, -89.9999995};
    for (int k = 0; k < 20000; ++k) {
        values.push_back(lon(rng));
        values.push_back(std::round(lon(rng) * 1e4) / 1e4);
    }
    Incident i = sample(1, 0, 0);
    i.location = "plain";
    i.evidence.clear();
    for (std::size_t k = 0; k + 1 < values.size(); ++k) {
        i.point = {values[k], std::clamp(values[k + 1] / 2, -90.0, 90.0)};
        i.confidence = unit(rng);
        std::string want = "[";
        geo::append_coordinate(want, i.point.lon);
        want += ",";
        geo::append_coordinate(want, i.point.lat);
        want += "]";
        const std::string feature = incidents::incident_feature(i);
        ASSERT_NE(feature.find("\"coordinates\":" + want + "}"), std::string::npos)
            << want << " in " << feature;
        std::string confidence = "\"confidence\":";
        geo::append_coordinate(confidence, std::round(i.confidence * 1000.0) / 1000.0);
        ASSERT_NE(feature.find(confidence + ","), std::string::npos) << confidence;
    }
}

TEST(IncidentFromFeature, RoundTripsAWrittenFeature) {
    auto i = sample(5, 30.5, 50.4);
    i.source_id = "UKR123";
    auto back = incidents::incident_from_feature(incidents::incident_feature(i));
    EXPECT_EQ(back.location, i.location);
    EXPECT_EQ(back.fatalities, 3);
    EXPECT_EQ(back.injured, 22);
    EXPECT_EQ(back.source_id, "UKR123");
    EXPECT_DOUBLE_EQ(back.point.lon, 30.5);
}

// Every field a writer gives comes back from its Feature, through either path of the writer;
// the store's own (id, created, updated) are not read.
TEST(IncidentFromFeature, ReadsBackEveryFieldAWriterGives) {
    for (const auto& want : {test::every_field_set(), test::every_field_set(1, " «Київ» \"q\"")}) {
        const auto back = incidents::incident_from_feature(incidents::incident_feature(want));
        test::expect_fields_equal(back, want, "the Feature",
                                  [](const incidents::FieldInfo& f) { return f.assigned; });
        test::expect_fields_equal(back, Incident{}, "the store's fields",
                                  [](const incidents::FieldInfo& f) { return !f.assigned; });
    }
    auto nulls = test::every_field_set();
    nulls.event_time.reset();
    nulls.geonameid.reset();
    const auto back = incidents::incident_from_feature(incidents::incident_feature(nulls));
    EXPECT_FALSE(back.event_time);
    EXPECT_FALSE(back.geonameid);
}

TEST(IncidentFromFeature, RejectsBadInputNamingTheProblem) {
    auto fails_with = [](const std::string& text, const std::string& part) {
        try {
            incidents::incident_from_feature(text);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const InvalidInput& e) {
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
                << e.what() << " should mention " << part;
        }
    };
    const std::string props = R"("properties":{"event_date":"2022-03-29","event_type":"Battles"})";
    fails_with("{", "malformed JSON");
    fails_with(R"({"type":"FeatureCollection","features":[]})", "Feature");
    // Found by fuzz_feature: a "type" that is no string threw json's type_error, not InvalidInput.
    fails_with(R"({"type":{"type":"Poinus"}})", "Feature");
    fails_with(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[200,1]},)" + props +
                   "}",
               "range");
    fails_with(
        R"({"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,1],[2,2]]},)" +
            props + "}",
        "Point");
    fails_with(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,1]},)"
               R"("properties":{"event_date":"2022-02-30","event_type":"Battles"}})",
               "date");
    fails_with(
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,1]},)"
        R"("properties":{"event_date":"2022-03-29","event_type":"Battles","fatalities":-1}})",
        "fatalities");
    fails_with(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,1]},)"
               R"("properties":{"event_date":"2022-03-29","event_type":"Party"}})",
               "type");
}

} // namespace
