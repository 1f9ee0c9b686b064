// GET /api/clusters on real data: UCDP's Ukraine events (tests/data/ucdp, real coordinates, many
// events at one point) imported into a server of their own, on either backend.

#include "server_fixture.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <vector>

namespace {

using incidentmap::test::env_or_skip;
using namespace incidentmap::test::serve;

// A box as the bbox parameter writes it.
std::string bbox_param(const std::array<double, 4>& b) {
    std::string out = "&bbox=";
    for (std::size_t k = 0; k < 4; ++k) {
        out += (k ? "," : "") + json(b[k]).dump();
    }
    return out;
}

// Every square's count is numberMatched of /api/incidents with the same filters inside the
// square (a bbox selects the squares it touches, each counted whole); without a bbox the squares
// add up to the filters' numberMatched; a square's point lies inside it.
TEST_F(ApiTest, ClustersOfUcdpEventsEqualNumberMatchedInEachSquare) {
    UcdpServer ucdp;
    struct Case {
        std::string filter;
        std::array<double, 4> box; ///< the bbox filter (the whole world for none)
        std::vector<int> zooms;    ///< the larger the box, the fewer squares a zoom may ask for
    };
    const std::array<double, 4> world{-180, -90, 180, 90};
    const Case cases[] = {{"", world, {0, 2, 6}},
                          {"&type=Battles", world, {3, 5}},
                          {"&since=2015-01-01&until=2015-12-31", {22, 44, 41, 53}, {4, 7, 9}},
                          {"&min_fatalities=5", {36, 46.5, 40.5, 49.5}, {6, 9}},
                          {"&q=Donetsk", {36, 46.5, 40.5, 49.5}, {8, 10}},
                          {"", {37.6, 47.9, 38.0, 48.1}, {11, 13, 15}},
                          {"&near=37.8,48.0&radius_km=60", world, {2, 6}}};
    std::size_t squares = 0;
    for (const auto& [filter, box, zooms] : cases) {
        const auto f = filter + (box == world ? "" : bbox_param(box));
        const auto all = ucdp.get("/api/incidents?limit=1" + f)["numberMatched"].get<std::size_t>();
        ASSERT_GT(all, 0u) << f;
        for (const int zoom : zooms) {
            const auto fc = ucdp.get("/api/clusters?zoom=" + std::to_string(zoom) + f);
            ASSERT_TRUE(fc.contains("features")) << f << " zoom " << zoom;
            std::size_t total = 0;
            for (const auto& c : fc["features"]) {
                const auto n = c["properties"]["count"].get<std::size_t>();
                total += n;
                const auto b = c["bbox"].get<std::array<double, 4>>();
                const auto p = c["geometry"]["coordinates"].get<std::array<double, 2>>();
                EXPECT_TRUE(p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]);
                std::size_t by_type = 0;
                for (const auto& [type, k] : c["properties"]["by_type"].items()) {
                    by_type += k.get<std::size_t>();
                }
                EXPECT_EQ(by_type, n);
                if (squares++ % 5 != 0) {
                    continue; // a sample of the squares: each check is a request
                }
                const auto matched =
                    ucdp.get("/api/incidents?limit=1" + filter + bbox_param(b))["numberMatched"];
                EXPECT_EQ(matched.get<std::size_t>(), n) << f << " square " << c["id"];
            }
            EXPECT_EQ(fc["numberMatched"].get<std::size_t>(), total);
            if (box == world) {
                EXPECT_EQ(total, all) << f << " zoom " << zoom;
            } else {
                EXPECT_GE(total, all) << f << " zoom " << zoom;
            }
        }
    }
    EXPECT_GT(squares, 300u);
}

TEST_F(ApiTest, ClustersRefuseABadZoomOrTooManySquares) {
    const auto problem = [](const json& j) { return j["detail"].get<std::string>(); };
    EXPECT_NE(problem(get_json("/api/clusters", 400)).find("zoom is required"), std::string::npos);
    EXPECT_NE(problem(get_json("/api/clusters?zoom=26", 400)).find("zoom"), std::string::npos);
    EXPECT_NE(problem(get_json("/api/clusters?zoom=-1", 400)).find("zoom"), std::string::npos);
    EXPECT_NE(problem(get_json("/api/clusters?zoom=7", 400)).find("too many squares"),
              std::string::npos);
    EXPECT_NE(problem(get_json("/api/clusters?zoom=3&limit=5", 400)).find("unknown"),
              std::string::npos);
    const auto fc = get_json("/api/clusters?zoom=14&bbox=31.9,46.9,32.1,47.1");
    EXPECT_EQ(fc["type"], "FeatureCollection");
    EXPECT_GE(fc["numberMatched"].get<int>(), 1) << "the Mykolayiv strike of the sample article";
    EXPECT_NE(fc["attribution"].get<std::string>().find("GeoNames"), std::string::npos);
}

} // namespace
