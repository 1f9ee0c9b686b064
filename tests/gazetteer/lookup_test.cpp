// Hard cases of place lookup against the gazetteer built from the bundled GeoNames data.

#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <memory>

namespace {

using namespace incidentmap;
using gazetteer::LookupOptions;
using gazetteer::PlaceKind;

const gazetteer::Gazetteer& gz() {
    static auto g =
        std::make_unique<gazetteer::Gazetteer>(gazetteer::Gazetteer::open(test::gazetteer_path()));
    return *g;
}

std::int64_t top_id(std::string_view name, LookupOptions opt = {}) {
    auto c = gz().lookup(name, opt);
    return c.empty() ? 0 : c.front().place->id;
}

TEST(Lookup, TheBigMykolayivNotTheSmallOne) {
    auto c = gz().lookup("Mykolayiv");
    ASSERT_GE(c.size(), 2u);
    EXPECT_EQ(c[0].place->id, 700569);
    EXPECT_NEAR(c[0].place->point.lat, 46.976, 0.001);
    EXPECT_NEAR(c[0].place->point.lon, 31.993, 0.001);
    bool small_one = false;
    for (const auto& x : c) {
        small_one = small_one || x.place->id == 700568;
    }
    EXPECT_TRUE(small_one) << "700568 is a candidate, ranked lower";
    EXPECT_FALSE(c[0].reason.empty());
    EXPECT_EQ(top_id("Nikolaev"), 700569);
    EXPECT_EQ(top_id("Миколаїв"), 700569);
}

TEST(Lookup, KievKyivAndCyrillic) {
    for (const char* name : {"Kiev", "Kyiv", "KYIV", "Київ", "Киев"}) {
        EXPECT_EQ(top_id(name), 703448) << name;
    }
    EXPECT_EQ(top_id("Чернигов"), 710735);
    EXPECT_EQ(top_id("Chernihiv"), 710735);
}

TEST(Lookup, TwoDonetsksContextByCountry) {
    EXPECT_EQ(top_id("Donetsk"), 709717);
    EXPECT_EQ(top_id("Donets’k"), 709717);
    LookupOptions ru;
    ru.country = "RU";
    EXPECT_EQ(top_id("Donetsk", ru), 565348);
}

TEST(Lookup, TyposFindTheirPlaceByFuzzyMatch) {
    EXPECT_EQ(top_id("Chernigiv"), 710735);
    auto c = gz().lookup("Mykolaev");
    ASSERT_FALSE(c.empty());
    bool found = false;
    for (std::size_t i = 0; i < std::min<std::size_t>(2, c.size()); ++i) {
        found = found || c[i].place->id == 700569 ||
                (c[i].place->kind == PlaceKind::admin1 && c[i].place->admin1_key() == "UA.16");
    }
    EXPECT_TRUE(found);
}

TEST(Lookup, RegionsAndCountries) {
    auto crimea = gz().lookup("Crimea");
    ASSERT_FALSE(crimea.empty());
    EXPECT_EQ(crimea[0].place->kind, PlaceKind::admin1);
    EXPECT_EQ(crimea[0].place->admin1_key(), "UA.11");
    EXPECT_NEAR(crimea[0].place->point.lat, 45.0, 1.2);
    auto oblast = gz().lookup("Donetsk Oblast");
    ASSERT_FALSE(oblast.empty());
    EXPECT_EQ(oblast[0].place->admin1_key(), "UA.05");
    auto region = gz().lookup("the Mykolaiv region");
    ASSERT_FALSE(region.empty());
    EXPECT_EQ(region[0].place->admin1_key(), "UA.16");
    for (auto [name, iso] :
         std::vector<std::pair<const char*, const char*>>{{"Britain", "GB"},
                                                          {"UK", "GB"},
                                                          {"United States", "US"},
                                                          {"the United States", "US"},
                                                          {"Turkey", "TR"},
                                                          {"Türkiye", "TR"},
                                                          {"Ukraine", "UA"},
                                                          {"Russia", "RU"}}) {
        auto c = gz().lookup(name);
        ASSERT_FALSE(c.empty()) << name;
        EXPECT_EQ(c[0].place->kind, PlaceKind::country) << name;
        EXPECT_EQ(c[0].place->country, iso) << name;
    }
    const auto* us = gz().country("US");
    ASSERT_NE(us, nullptr);
    ASSERT_NE(gz().country_shape("US"), nullptr);
    EXPECT_TRUE(geo::contains(*gz().country_shape("US"), us->point))
        << "representative point inside";
}

TEST(Lookup, PrefixForAutocomplete) {
    LookupOptions opt;
    opt.match = LookupOptions::Match::prefix;
    auto c = gz().lookup("Myko", opt);
    bool found = false;
    for (const auto& x : c) {
        found = found || x.place->id == 700569;
    }
    EXPECT_TRUE(found);
}

TEST(Lookup, BadNamesAreClearErrors) {
    EXPECT_THROW((void)gz().lookup(""), InvalidInput);
    EXPECT_THROW((void)gz().lookup("!!!"), InvalidInput);
    EXPECT_THROW((void)gz().lookup("Kyiv\xff"), InvalidInput);
    EXPECT_THROW((void)gz().lookup(std::string(1000, 'a')), InvalidInput);
    EXPECT_TRUE(gz().lookup("Qwxzyplorgh").empty());
}

TEST(Reverse, APointInKyivIsKyivInUkraine) {
    auto r = gz().reverse({30.52, 50.45});
    ASSERT_NE(r.place, nullptr);
    EXPECT_EQ(r.place->country, "UA");
    EXPECT_LT(r.distance_m, 10000.0);
    ASSERT_NE(r.country, nullptr);
    EXPECT_EQ(r.country->country, "UA");
    ASSERT_NE(r.admin1, nullptr);
    EXPECT_EQ(r.admin1->country, "UA");
    EXPECT_THROW((void)gz().reverse({200, 0}), InvalidInput);
}

TEST(Lookup, PlacesInARegionAndTheirNames) {
    const auto* zp = gz().admin1("UA.26");
    ASSERT_NE(zp, nullptr);
    EXPECT_EQ(&gz().place(gz().index_of(*zp)), zp);
    const auto& inside = gz().places_in("UA.26");
    ASSERT_FALSE(inside.empty());
    bool melitopol = false;
    for (auto idx : inside) {
        const auto& p = gz().place(idx);
        EXPECT_EQ(p.admin1_key(), "UA.26");
        if (p.id == 701404) {
            melitopol = true;
            const auto names = gz().names_of(idx);
            ASSERT_FALSE(names.empty());
            EXPECT_EQ(names.front(), "melitopol") << "the main name first";
        }
    }
    EXPECT_TRUE(melitopol);
    const auto& regions = gz().places_in("UA");
    EXPECT_EQ(regions.size(), 27u);
    EXPECT_TRUE(gz().places_in("XX.99").empty());
}

} // namespace
