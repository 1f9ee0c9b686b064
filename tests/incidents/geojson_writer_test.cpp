// The streaming GeoJSON writer: RFC 7946 structure, escaping, 6-decimal coordinates, bbox,
// chunked output; and the strict Feature reader.

#include "test_support.hpp"

#include "incidentmap/geo/error.hpp"
#include "incidentmap/incidents/geojson_writer.hpp"

#include <nlohmann/json.hpp>

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
