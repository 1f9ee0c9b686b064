// The gazetteer build from a tiny GeoNames-format fixture.

#include "test_support.hpp"

#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geo/error.hpp"

#include <filesystem>
#include <fstream>

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

TEST(Builder, OpeningAMissingOrForeignFileIsAClearError) {
    test::TempDir dir;
    EXPECT_THROW((void)gazetteer::Gazetteer::open(dir.file("nope.sqlite")), NotFound);
    write(dir.file("foreign.sqlite"), "not a database at all");
    EXPECT_THROW((void)gazetteer::Gazetteer::open(dir.file("foreign.sqlite")), StorageError);
}

} // namespace
