// The gazetteer build from a tiny GeoNames-format fixture.

#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace incidentmap;

void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

const char* places = "700569\tMykolayiv\tMykolayiv\tMykolaiv,Nikolaev,Миколаїв\t46.97625\t31."
                     "99296\tP\tPPLA\tUA\t\t16\t4806\t\t\t470011\t42\t23\tEurope/Kyiv\t2023-01-22\n"
                     "700568\tMykolaiv\tMykolaiv\tMykolayiv\t49.52659\t23."
                     "98138\tP\tPPLA2\tUA\t\t15\t4610\t\t\t14498\t\t287\tEurope/Kyiv\t2023-01-23\n"
                     "703448\tKyiv\tKyiv\tKiev,Київ\t50.45466\t30."
                     "5238\tP\tPPLC\tUA\t\t12\t\t\t\t2797553\t\t187\tEurope/Kyiv\t2023-01-01\n"
                     "this line is broken\n"
                     "1\tBad\tBad\t\t99\t999\tP\tPPL\tXX\t\t\t\t\t\t0\t\t\t\t\n";

TEST(Builder, BuildsPlacesRegionsAndNames) {
    test::TempDir dir;
    write(dir.file("places.txt"), places);
    write(dir.file("admin1.txt"), "UA.16\tMykolaiv\tMykolaiv\t700567\nUA."
                                  "15\tLviv\tLviv\t702549\nUA.12\tKyiv City\tKyiv City\t703447\n");
    gazetteer::BuildInputs in;
    in.places = {dir.file("places.txt")};
    in.admin1 = dir.file("admin1.txt");
    std::vector<std::string> progress;
    gazetteer::build_gazetteer(in, dir.file("gz.sqlite"),
                               [&](const std::string& l) { progress.push_back(l); });
    auto gz = gazetteer::Gazetteer::open(dir.file("gz.sqlite"));
    EXPECT_EQ(gz.size(), 6u) << "3 places + 3 admin1 regions; 2 malformed lines skipped";
    bool reported = false;
    for (const auto& l : progress) {
        reported = reported || l.find("2 malformed lines skipped") != std::string::npos;
    }
    EXPECT_TRUE(reported);
    EXPECT_EQ(gz.lookup("Nikolaev").front().place->id, 700569);
    EXPECT_EQ(gz.lookup("Київ").front().place->id, 703448);
    const auto* region = gz.admin1("UA.16");
    ASSERT_NE(region, nullptr);
    EXPECT_EQ(region->id, 700567);
    EXPECT_EQ(region->point.lat, 46.97625) << "its only place";
    EXPECT_EQ(gz.lookup("Mykolaiv Oblast").front().place->admin1_key(), "UA.16");
}

TEST(Builder, AFailedRebuildLeavesThePreviousFileIntact) {
    test::TempDir dir;
    write(dir.file("places.txt"), places);
    gazetteer::BuildInputs in;
    in.places = {dir.file("places.txt")};
    gazetteer::build_gazetteer(in, dir.file("gz.sqlite"));
    auto size = std::filesystem::file_size(dir.file("gz.sqlite"));
    gazetteer::BuildInputs bad = in;
    bad.admin1 = dir.file("missing.txt");
    EXPECT_THROW(gazetteer::build_gazetteer(bad, dir.file("gz.sqlite")), NotFound);
    EXPECT_EQ(std::filesystem::file_size(dir.file("gz.sqlite")), size);
    EXPECT_EQ(gazetteer::Gazetteer::open(dir.file("gz.sqlite")).lookup("Kyiv").front().place->id,
              703448);
    write(dir.file("empty.txt"), "garbage\n");
    bad = in;
    bad.places = {dir.file("empty.txt")};
    EXPECT_THROW(gazetteer::build_gazetteer(bad, dir.file("gz.sqlite")), InvalidInput);
    EXPECT_EQ(std::filesystem::file_size(dir.file("gz.sqlite")), size);
    int leftovers = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        leftovers += e.path().string().find(".tmp-") != std::string::npos;
    }
    EXPECT_EQ(leftovers, 0);
}

// The centroid on the sphere of a box of longitudes and latitudes, integrated in closed form.
incidentmap::geo::LonLat box_centroid(double lon0, double lon1, double lat0, double lat1) {
    const double d = 3.14159265358979323846 / 180.0;
    const double a = lat0 * d, b = lat1 * d, l0 = lon0 * d, l1 = lon1 * d;
    const double cos2 = (b / 2 + std::sin(2 * b) / 4) - (a / 2 + std::sin(2 * a) / 4);
    const double x = cos2 * (std::sin(l1) - std::sin(l0));
    const double y = cos2 * (std::cos(l0) - std::cos(l1));
    const double z = (std::sin(b) * std::sin(b) - std::sin(a) * std::sin(a)) / 2 * (l1 - l0);
    return {std::atan2(y, x) / d, std::atan2(z, std::hypot(x, y)) / d};
}

// A TopoJSON object of boxes (unquantized), one arc per box.
std::string
topo_boxes(const std::string& object,
           const std::vector<std::tuple<std::string, std::string, double, double, double, double>>&
               boxes) {
    std::string arcs, geoms;
    int i = 0;
    for (const auto& [id, name, lon0, lon1, lat0, lat1] : boxes) {
        auto pt = [](double x, double y) {
            return "[" + std::to_string(x) + "," + std::to_string(y) + "]";
        };
        arcs += std::string(i ? "," : "") + "[" + pt(lon0, lat0) + "," + pt(lon1, lat0) + "," +
                pt(lon1, lat1) + "," + pt(lon0, lat1) + "," + pt(lon0, lat0) + "]";
        geoms += std::string(i ? "," : "") + R"({"type":"Polygon","arcs":[[)" + std::to_string(i) +
                 R"(]],"id":")" + id + R"(","properties":{"name":")" + name + "\"}}";
        ++i;
    }
    return R"({"type":"Topology","arcs":[)" + arcs + R"(],"objects":{")" + object +
           R"(":{"type":"GeometryCollection","geometries":[)" + geoms + "]}}}";
}

TEST(Builder, CountryReferencePointsAndRegionOutlines) {
    test::TempDir dir;
    // Two towns in Ohio (one in county 125), Texas given by the dump itself as an ADM1 feature.
    write(dir.file("places.txt"),
          "5150529\tCleveland\tCleveland\t\t41.4995\t-81.69541\tP\tPPLA2\tUS\t\tOH\t035\t\t\t"
          "372624\t199\t201\tAmerica/New_York\t2019-09-19\n"
          "5165734\tPaulding\tPaulding\t\t41.13811\t-84.58051\tP\tPPLA2\tUS\t\tOH\t125\t\t\t"
          "3470\t\t221\tAmerica/New_York\t2017-05-23\n"
          "4736286\tTexas\tTexas\t\t31.25044\t-99.25061\tA\tADM1\tUS\t\tTX\t\t\t\t"
          "28304596\t\t226\tAmerica/Chicago\t2022-03-13\n"
          "703448\tKyiv\tKyiv\tKiev\t50.45466\t30.5238\tP\tPPLC\tUA\t\t12\t\t\t\t2797553\t\t187\t"
          "Europe/Kyiv\t2023-01-01\n"
          "6255150\tSouth America\tSouth America\t\t-14.60491\t-57.65625\tL\tCONT\t\t\t\t\t\t\t"
          "385742554\t\t351\t\t2012-08-26\n");
    write(dir.file("admin1.txt"),
          "US.OH\tOhio\tOhio\t5165418\nUS.TX\tTexas\tTexas\t4736286\nUA.12\tKyiv City\tKyiv "
          "City\t703447\n");
    write(dir.file("admin2.txt"), "US.OH.035\tCuyahoga County\tCuyahoga County\t5152425\n"
                                  "US.OH.125\tPaulding County\tPaulding County\t5165736\n");
    write(dir.file("iso.json"),
          R"({"3166-1":[{"alpha_2":"US","numeric":"840","name":"United States"},)"
          R"({"alpha_2":"UA","numeric":"804","name":"Ukraine"}]})");
    write(dir.file("points.csv"), "country,latitude,longitude\nUA,49,32\r\nUS,38,-97\n");
    std::filesystem::create_directory(dir.file("us"));
    write(dir.file("us/states-10m.json"),
          topo_boxes("states", {{"39", "Ohio", -84.8, -80.5, 38.4, 42.0},
                                {"48", "Texas", -106.6, -93.5, 25.8, 36.5},
                                {"72", "Puerto Rico", -67.3, -65.6, 17.9, 18.5}}));
    write(dir.file("us/counties-10m.json"),
          topo_boxes("counties", {{"39125", "Paulding", -84.8, -84.3, 40.98, 41.27}}));
    // The nation: a main part and a far island too small to pull its centre.
    write(dir.file("us/nation-10m.json"),
          topo_boxes("nation", {{"US", "United States", -124.0, -67.0, 25.0, 49.0},
                                {"US", "United States", -160.0, -155.0, 19.0, 22.0}}));
    gazetteer::BuildInputs in;
    in.places = {dir.file("places.txt")};
    in.admin1 = dir.file("admin1.txt");
    in.admin2 = dir.file("admin2.txt");
    in.iso3166 = dir.file("iso.json");
    in.country_points = dir.file("points.csv");
    in.us_atlas = dir.file("us");
    std::vector<std::string> progress;
    gazetteer::build_gazetteer(in, dir.file("gz.sqlite"),
                               [&](const std::string& l) { progress.push_back(l); });
    auto gz = gazetteer::Gazetteer::open(dir.file("gz.sqlite"));

    // Ohio's point was the build's estimate from its towns: now its outline's centre.
    const auto* ohio = gz.admin1("US.OH");
    ASSERT_NE(ohio, nullptr);
    auto expect = box_centroid(-84.8, -80.5, 38.4, 42.0);
    EXPECT_NEAR(ohio->point.lon, expect.lon, 1e-3);
    EXPECT_NEAR(ohio->point.lat, expect.lat, 1e-3);
    EXPECT_LT(ohio->point.lat, 40.5) << "not the middle of its towns (41.3)";
    // Texas came with GeoNames' own point, which an outline does not replace.
    const auto* texas = gz.admin1("US.TX");
    ASSERT_NE(texas, nullptr);
    EXPECT_EQ(texas->id, 4736286);
    EXPECT_EQ(texas->point.lat, 31.25044);
    // A county found by its FIPS code; one without an outline keeps its estimate.
    auto paulding = gz.lookup("Paulding County");
    ASSERT_FALSE(paulding.empty());
    expect = box_centroid(-84.8, -84.3, 40.98, 41.27);
    EXPECT_NEAR(paulding.front().place->point.lat, expect.lat, 1e-3);
    EXPECT_NEAR(paulding.front().place->point.lon, expect.lon, 1e-3);
    auto cuyahoga = gz.lookup("Cuyahoga County");
    ASSERT_FALSE(cuyahoga.empty());
    EXPECT_EQ(cuyahoga.front().place->point.lat, 41.4995);
    // Countries: a detailed outline beats a published point, which beats the capital.
    const auto* us = gz.country("US");
    ASSERT_NE(us, nullptr);
    expect = box_centroid(-124.0, -67.0, 25.0, 49.0);
    EXPECT_NEAR(us->point.lon, expect.lon, 1e-3);
    EXPECT_NEAR(us->point.lat, expect.lat, 1e-3);
    EXPECT_GT(us->point.lat, 37.5) << "the sphere's centroid lies poleward of the planar one";
    const auto* ua = gz.country("UA");
    ASSERT_NE(ua, nullptr);
    EXPECT_EQ(ua->point.lat, 49.0);
    EXPECT_EQ(ua->point.lon, 32.0);
    // Continents: from a dump as they are; otherwise made from the places' time zones.
    auto south = gz.lookup("South America");
    ASSERT_FALSE(south.empty());
    EXPECT_EQ(south.front().place->id, 6255150);
    EXPECT_EQ(south.front().place->kind, gazetteer::PlaceKind::country);
    auto north = gz.lookup("North America");
    ASSERT_FALSE(north.empty());
    EXPECT_EQ(north.front().place->feature_code, "CONT");
    EXPECT_NEAR(north.front().place->point.lat, (41.4995 + 41.13811) / 2, 1e-9);
    EXPECT_EQ(north.front().place->population, 372624 + 3470);
    EXPECT_FALSE(gz.lookup("Europe").empty());
    EXPECT_TRUE(gz.lookup("Asia").empty()) << "no place of the fixture lies in Asia";
    bool reported = false;
    for (const auto& l : progress) {
        reported = reported || l.find("1 of 3 states and 1 of 1 counties") != std::string::npos;
    }
    EXPECT_TRUE(reported);

    // Bad inputs: a clear error naming the file (and line), the gazetteer left as it was.
    write(dir.file("bad.csv"), "country,latitude,longitude\nUA,49,32\nUSA,38,-97\n");
    auto bad = in;
    bad.country_points = dir.file("bad.csv");
    try {
        gazetteer::build_gazetteer(bad, dir.file("gz.sqlite"));
        ADD_FAILURE() << "no error";
    } catch (const InvalidInput& e) {
        EXPECT_NE(std::string(e.what()).find("bad.csv:3"), std::string::npos) << e.what();
    }
    write(dir.file("bad.csv"), "UA,91,32\n");
    EXPECT_THROW(gazetteer::build_gazetteer(bad, dir.file("gz.sqlite")), InvalidInput);
    write(dir.file("us/counties-10m.json"), R"({"type":"Topology","arcs":[[[0,0],[1]]],)"
                                            R"("objects":{"counties":{"geometries":[]}}})");
    EXPECT_THROW(gazetteer::build_gazetteer(in, dir.file("gz.sqlite")), InvalidInput);
    std::filesystem::remove(dir.file("us/counties-10m.json"));
    EXPECT_THROW(gazetteer::build_gazetteer(in, dir.file("gz.sqlite")), NotFound);
    EXPECT_EQ(gazetteer::Gazetteer::open(dir.file("gz.sqlite")).country("UA")->point.lon, 32.0);
}

TEST(Builder, RegionsCrowdedInACornerTakeTheMiddleOfTheirLand) {
    test::TempDir dir;
    // Ukraine as a box; region 01's towns crowd its south-west corner, region 02's the north-east.
    auto row = [](int id, const char* name, double lat, double lon, const char* a1) {
        return std::to_string(id) + "\t" + name + "\t" + name + "\t\t" + std::to_string(lat) +
               "\t" + std::to_string(lon) + "\tP\tPPL\tUA\t\t" + a1 +
               "\t\t\t\t1000\t\t100\tEurope/Kyiv\t2023-01-01\n";
    };
    // Two villages filed under the wrong region, far from it, and one of a region the admin1
    // list does not know: neither may drag a region's point.
    write(dir.file("places.txt"),
          row(1, "Aa", 46.0, 21.0, "01") + row(2, "Ab", 46.2, 21.3, "01") +
              row(3, "Ac", 45.8, 21.4, "01") + row(4, "Ad", 46.3, 20.8, "01") +
              row(5, "Ba", 51.0, 39.0, "02") + row(6, "Bb", 50.8, 38.7, "02") +
              row(7, "Bc", 51.2, 38.6, "02") + row(8, "Bd", 50.7, 39.2, "02") +
              row(9, "Stray", 45.1, 39.9, "01") + row(10, "Stray2", 51.9, 20.1, "02") +
              row(11, "Unknown", 51.9, 30.0, "99") + row(12, "Unknown2", 45.1, 30.0, "99"));
    write(dir.file("admin1.txt"), "UA.01\tWest\tWest\t0\nUA.02\tEast\tEast\t0\n");
    write(dir.file("iso.json"),
          R"({"3166-1":[{"alpha_2":"UA","numeric":"804","name":"Ukraine"}]})");
    write(dir.file("countries.json"),
          topo_boxes("countries", {{"804", "Ukraine", 20, 40, 45, 52}}));
    gazetteer::BuildInputs in;
    in.places = {dir.file("places.txt")};
    in.admin1 = dir.file("admin1.txt");
    in.iso3166 = dir.file("iso.json");
    in.countries_topojson = dir.file("countries.json");
    gazetteer::build_gazetteer(in, dir.file("gz.sqlite"));
    auto gz = gazetteer::Gazetteer::open(dir.file("gz.sqlite"));
    const auto* west = gz.admin1("UA.01");
    const auto* east = gz.admin1("UA.02");
    ASSERT_NE(west, nullptr);
    ASSERT_NE(east, nullptr);
    // The land splits between the two groups of towns (the unknown region's places keep the
    // middle of the north and south edges, the stray villages only the far corners, which do
    // not count): each region's centre lies inside its own half, off the corner its towns crowd
    // (at 21.1 and 38.9 degrees east) but short of the middle a share of the strays' or the
    // unknown region's land would pull it to (28 to 29 degrees east).
    EXPECT_GT(west->point.lon, 22.0);
    EXPECT_LT(west->point.lon, 25.0);
    EXPECT_GT(west->point.lat, 46.5);
    EXPECT_GT(east->point.lon, 35.0);
    EXPECT_LT(east->point.lon, 38.0);
    EXPECT_LT(east->point.lat, 50.5);
    // Symmetric towns, symmetric land: the two centres mirror each other about the box's middle.
    EXPECT_NEAR(west->point.lon - 20.0, 40.0 - east->point.lon, 0.3);
    EXPECT_NEAR(west->point.lat - 45.0, 52.0 - east->point.lat, 0.3);
}

// Found by fuzz_geonames: a row repeating an earlier row's id as an ADM1 feature was indexed as
// the entry appended next (here Kyiv), or past the end of the entries when none followed.
TEST(Builder, ARepeatedIdIsIndexedWhereItsFirstRowIs) {
    test::TempDir dir;
    write(dir.file("places.txt"),
          "5\tMykolaiv\tMykolaiv\t\t46.97\t31.99\tP\tPPLA\tUA\t\t16\t\t\t\t470011\t\t\t"
          "Europe/Kyiv\t2023-01-22\n"
          "5\tMykolaiv Oblast\tMykolaiv Oblast\t\t47.0\t32.0\tA\tADM1\tUA\t\t16\t\t\t\t1000000"
          "\t\t\tEurope/Kyiv\t2023-01-22\n"
          "703448\tKyiv\tKyiv\t\t50.45\t30.52\tP\tPPLC\tUA\t\t12\t\t\t\t2797553\t\t\t"
          "Europe/Kyiv\t2023-01-01\n");
    write(dir.file("admin1.txt"), "UA.16\tMykolaiv\tMykolaiv\t5\n");
    gazetteer::BuildInputs in;
    in.places = {dir.file("places.txt")};
    in.admin1 = dir.file("admin1.txt");
    gazetteer::build_gazetteer(in, dir.file("gz.sqlite"));
    auto gz = gazetteer::Gazetteer::open(dir.file("gz.sqlite"));
    const auto* region = gz.admin1("UA.16");
    ASSERT_NE(region, nullptr);
    EXPECT_EQ(region->id, 5);
    EXPECT_EQ(gz.lookup("Kyiv").front().place->id, 703448);
}

// Found by fuzz_geonames: an id or a population beyond int64 was cast from double (undefined
// behaviour, reported by the sanitizer build); such an id is no place's, such a population 0.
TEST(Builder, NumbersBeyondInt64AreNoIdAndNoPopulation) {
    test::TempDir dir;
    write(dir.file("places.txt"),
          "703448\tKyiv\tKyiv\t\t50.45\t30.52\tP\tPPLC\tUA\t\t12\t\t\t\t1e43\t\t\t"
          "Europe/Kyiv\t2023-01-01\n"
          "4e43\tNowhere\tNowhere\t\t50.0\t30.0\tP\tPPL\tUA\t\t12\t\t\t\t10\t\t\t"
          "Europe/Kyiv\t2023-01-01\n");
    write(dir.file("alternates.txt"), "1\t4e43\ten\tNowhere Else\n2\t703448\tuk\tКиїв\n");
    gazetteer::BuildInputs in;
    in.places = {dir.file("places.txt")};
    in.alternate_names = dir.file("alternates.txt");
    gazetteer::build_gazetteer(in, dir.file("gz.sqlite"));
    auto gz = gazetteer::Gazetteer::open(dir.file("gz.sqlite"));
    ASSERT_FALSE(gz.lookup("Київ").empty());
    EXPECT_EQ(gz.lookup("Київ").front().place->population, 0);
    EXPECT_TRUE(gz.lookup("Nowhere").empty());
    EXPECT_TRUE(gz.lookup("Nowhere Else").empty());
}

// Found by fuzz_geonames: the same for the id of an admin code list, now unknown.
TEST(Builder, AnAdminIdBeyondInt64IsUnknown) {
    test::TempDir dir;
    write(dir.file("places.txt"), places);
    write(dir.file("admin1.txt"), "UA.12\tKyiv City\tKyiv City\t7e32\n");
    gazetteer::BuildInputs in;
    in.places = {dir.file("places.txt")};
    in.admin1 = dir.file("admin1.txt");
    gazetteer::build_gazetteer(in, dir.file("gz.sqlite"));
    const auto gz = gazetteer::Gazetteer::open(dir.file("gz.sqlite"));
    const auto* region = gz.admin1("UA.12");
    ASSERT_NE(region, nullptr);
    EXPECT_LT(region->id, 0) << "a synthetic id";
}

TEST(Builder, OpeningAMissingOrForeignFileIsAClearError) {
    test::TempDir dir;
    EXPECT_THROW((void)gazetteer::Gazetteer::open(dir.file("nope.sqlite")), NotFound);
    write(dir.file("foreign.sqlite"), "not a database at all");
    EXPECT_THROW((void)gazetteer::Gazetteer::open(dir.file("foreign.sqlite")), StorageError);
}

} // namespace
