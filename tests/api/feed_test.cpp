// GET /api/incidents.atom read by a real feed reader's parser: Debian's python3-feedparser (as
// Liferea, rss2email and many others use it), on UCDP's Ukraine events and on an incident whose
// notes hold markup and a control character.

#include "server_fixture.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

using namespace incidentmap::test::serve;

// The feed at `path` as feedparser reads it: bozo (not well-formed), the feed's title, rights
// and self link, and each entry's id, title, point (GeoRSS), category and summary.
json parsed_feed(int port, const std::string& path) {
    httplib::Client c("127.0.0.1", port);
    auto res = c.Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) {
        return {};
    }
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
    incidentmap::test::TempDir dir;
    const auto file = dir.path() / "feed.xml";
    std::ofstream(file, std::ios::binary) << res->body;
    const auto script = dir.path() / "read.py";
    std::ofstream(script) << R"(import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "bozo": d.bozo, "version": d.version, "title": d.feed.get("title"),
  "rights": d.feed.get("rights"), "updated": d.feed.get("updated"),
  "self": [l.href for l in d.feed.get("links", []) if l.rel == "self"],
  "entries": [{"id": e.id, "title": e.title, "updated": e.get("updated"),
               "where": e.get("where", {}).get("coordinates"),
               "category": [t.term for t in e.get("tags", [])],
               "summary": e.get("summary"),
               "links": {l.rel: l.href for l in e.links}} for e in d.entries]}))
)";
    // Debian's python3 (the one python3-feedparser installs into), not one earlier on PATH.
    auto [out, status] = run("/usr/bin/python3 " + script.string() + " " + file.string());
    EXPECT_EQ(status, 0) << out;
    return status == 0 ? json::parse(out) : json{};
}

TEST_F(ApiTest, TheAtomFeedOfAViewHasItsIncidentsNewestFirst) {
    UcdpServer ucdp;
    const std::string filters = "bbox=36,46.5,39.5,49&type=Battles&limit=40";
    const json page = ucdp.get("/api/incidents?" + filters);
    const json feed = parsed_feed(ucdp.port(), "/api/incidents.atom?" + filters);
    ASSERT_TRUE(feed.is_object());
    EXPECT_EQ(feed["bozo"], false) << feed.dump();
    EXPECT_EQ(feed["version"], "atom10");
    EXPECT_NE(feed["rights"].get<std::string>().find("GeoNames"), std::string::npos);
    ASSERT_EQ(feed["self"].size(), 1u);
    EXPECT_NE(feed["self"][0].get<std::string>().find("/api/incidents.atom?"), std::string::npos);
    const auto& features = page["features"];
    ASSERT_EQ(features.size(), 40u); // the box holds more battles than a page
    ASSERT_EQ(feed["entries"].size(), features.size());
    for (std::size_t k = 0; k < features.size(); ++k) {
        const auto& f = features[k];
        const auto& e = feed["entries"][k];
        const auto& p = f["properties"];
        EXPECT_EQ(e["id"], "http://127.0.0.1:" + std::to_string(ucdp.port()) + "/api/incidents/" +
                               std::to_string(f["id"].get<long>()));
        EXPECT_NE(e["title"].get<std::string>().find(p["event_date"].get<std::string>()),
                  std::string::npos);
        EXPECT_EQ(e["category"], json::array({"Battles"}));
        EXPECT_EQ(e["updated"], p["updated"]);
        ASSERT_TRUE(e["where"].is_array()) << e.dump();
        EXPECT_NEAR(e["where"][0].get<double>(), f["geometry"]["coordinates"][0].get<double>(),
                    1e-5);
        EXPECT_NEAR(e["where"][1].get<double>(), f["geometry"]["coordinates"][1].get<double>(),
                    1e-5);
        if (k > 0) {
            EXPECT_GE(features[k - 1]["properties"]["event_date"], p["event_date"]);
        }
    }
    // A filter nothing matches is an empty feed, and a bad one a 400 like /api/incidents's.
    EXPECT_TRUE(
        parsed_feed(ucdp.port(), "/api/incidents.atom?since=2031-01-01")["entries"].empty());
    httplib::Client c("127.0.0.1", ucdp.port());
    auto res = c.Get("/api/incidents.atom?bbox=1,2,3");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    res = c.Get("/api/incidents.atom?format=rss");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
}

// Markup in a note is text in the feed, and a control character (which XML forbids) does not
// make the whole feed unreadable.
TEST_F(ApiTest, TheAtomFeedKeepsMarkupAsTextAndDropsControlCharacters) {
    const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + token}};
    const json feature = {{"type", "Feature"},
                          {"geometry", {{"type", "Point"}, {"coordinates", {30.5, 50.45}}}},
                          {"properties",
                           {{"event_date", "2031-05-01"},
                            {"event_type", "Protests"},
                            {"location", "Kyiv <centre> & \"Maidan\""},
                            {"notes", "Crowd chanted <b>slogans</b> & left\x01 at noon"}}}};
    auto res = client().Post("/api/incidents", auth, feature.dump(), "application/geo+json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    const auto id = json::parse(res->body)["id"].get<long>();
    const json feed = parsed_feed(s_server->port(), "/api/incidents.atom?since=2031-01-01");
    EXPECT_EQ(feed["bozo"], false) << feed.dump();
    ASSERT_EQ(feed["entries"].size(), 1u) << feed.dump();
    const auto& e = feed["entries"][0];
    EXPECT_EQ(e["title"], "Protests: Kyiv <centre> & \"Maidan\" (2031-05-01)");
    EXPECT_NE(e["summary"].get<std::string>().find("Crowd chanted <b>slogans</b> & left at noon"),
              std::string::npos)
        << e["summary"];
    res = client().Delete("/api/incidents/" + std::to_string(id), auth);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204);
}

} // namespace
