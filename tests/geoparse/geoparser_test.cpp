#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/geoparse/geoparser.hpp"

#include <algorithm>
#include <memory>
#include <tuple>
#include <vector>

namespace {

using namespace incidentmap;
using gazetteer::Toponym;

const gazetteer::Gazetteer& gz() {
    static auto g =
        std::make_unique<gazetteer::Gazetteer>(gazetteer::Gazetteer::open(test::gazetteer_path()));
    return *g;
}

const Toponym* find(const std::vector<Toponym>& ts, std::string_view text) {
    for (const auto& t : ts) {
        if (t.text == text) {
            return &t;
        }
    }
    return nullptr;
}

TEST(Geoparser, SeedArticlePlacesResolveToTheRightIds) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse(test::sample_article());
    auto id_of = [&](std::string_view name) {
        const auto* t = find(ts, name);
        return t ? t->place->id : 0;
    };
    EXPECT_EQ(id_of("Istanbul"), 745044);
    EXPECT_EQ(id_of("Kiev"), 703448);
    EXPECT_EQ(id_of("Chernihiv"), 710735);
    EXPECT_EQ(id_of("Mykolayiv"), 700569);
    EXPECT_EQ(id_of("Mariupol"), 701822);
    EXPECT_EQ(id_of("Moscow"), 524901);
    const auto* donetsk = find(ts, "Donetsk");
    ASSERT_NE(donetsk, nullptr);
    EXPECT_TRUE(donetsk->place->id == 709717 || donetsk->place->admin1_key() == "UA.05");
    const auto* crimea = find(ts, "Crimea");
    ASSERT_NE(crimea, nullptr);
    EXPECT_EQ(crimea->place->admin1_key(), "UA.11");
    for (auto [name, iso] :
         std::vector<std::pair<const char*, const char*>>{{"Ukraine", "UA"},
                                                          {"Russia", "RU"},
                                                          {"Britain", "GB"},
                                                          {"Turkey", "TR"},
                                                          {"France", "FR"},
                                                          {"Germany", "DE"},
                                                          {"United States", "US"}}) {
        const auto* t = find(ts, name);
        ASSERT_NE(t, nullptr) << name;
        EXPECT_EQ(t->place->country, iso) << name;
        EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::country) << name;
    }
    // Spans are exact and in code points too.
    const std::string text = test::sample_article();
    for (const auto& t : ts) {
        EXPECT_EQ(text.substr(t.begin, t.end - t.begin), t.text);
        EXPECT_LE(t.cp_end - t.cp_begin, t.end - t.begin);
    }
    EXPECT_EQ(find(ts, "Vladimir"), nullptr) << "a first name is not the Russian city";
}

TEST(Geoparser, MetonymyAndNearness) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Moscow said on Tuesday it would reduce activity near Kiev. Kiev's "
                           "proposals were examined.");
    ASSERT_GE(ts.size(), 3u);
    EXPECT_TRUE(ts[0].metonymic) << "Moscow said";
    EXPECT_TRUE(ts[1].near) << "near Kiev";
    EXPECT_FALSE(ts[1].metonymic);
    EXPECT_TRUE(ts[2].metonymic) << "Kiev's proposals";
}

TEST(Geoparser, NamedParentDecides) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("The festival moved from Paris, Texas to Austin last year.");
    const auto* paris = find(ts, "Paris");
    ASSERT_NE(paris, nullptr);
    EXPECT_EQ(paris->place->country, "US");
    EXPECT_EQ(paris->place->admin1, "TX");
}

TEST(Geoparser, ContinentsAreNotTownsOfTheirOldNames) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Aid groups in South Africa and across Africa warned that Europe and "
                           "Asia would feel the drought too.");
    const auto* za = find(ts, "South Africa");
    ASSERT_NE(za, nullptr);
    EXPECT_EQ(za->place->country, "ZA");
    for (auto [name, lat0, lat1, lon0, lon1] :
         std::vector<std::tuple<const char*, double, double, double, double>>{
             {"Africa", -10, 15, 10, 30}, {"Europe", 40, 60, 0, 40}, {"Asia", 20, 50, 60, 120}}) {
        const auto* t = find(ts, name);
        ASSERT_NE(t, nullptr) << name;
        EXPECT_EQ(t->place->feature_code, "CONT") << name << " is not Mahdia or Ashiya";
        EXPECT_STREQ(gazetteer::kind_name(*t->place), "continent");
        EXPECT_TRUE(t->place->country.empty());
        EXPECT_GT(t->place->point.lat, lat0) << name;
        EXPECT_LT(t->place->point.lat, lat1) << name;
        EXPECT_GT(t->place->point.lon, lon0) << name;
        EXPECT_LT(t->place->point.lon, lon1) << name;
    }
    EXPECT_EQ(gz().country(""), nullptr) << "a continent has no country code to be found by";
}

TEST(Geoparser, RegionCue) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Shelling continued in the Mykolaiv region on Monday.");
    ASSERT_FALSE(ts.empty());
    EXPECT_EQ(ts[0].place->kind, gazetteer::PlaceKind::admin1);
    EXPECT_EQ(ts[0].place->admin1_key(), "UA.16");
}

TEST(Geoparser, NationalitiesNameTheirCountryAndAreFlagged) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Russian officials met Palestinians and a Sri Lankan envoy. The "
                           "teacher spoke only French.");
    const auto* russian = find(ts, "Russian");
    ASSERT_NE(russian, nullptr);
    EXPECT_TRUE(russian->demonym);
    EXPECT_EQ(russian->place->kind, gazetteer::PlaceKind::country);
    EXPECT_EQ(russian->place->country, "RU");
    const auto* palestinians = find(ts, "Palestinians");
    ASSERT_NE(palestinians, nullptr);
    EXPECT_EQ(palestinians->place->country, "PS");
    const auto* lankan = find(ts, "Sri Lankan");
    ASSERT_NE(lankan, nullptr);
    EXPECT_EQ(lankan->place->country, "LK");
    EXPECT_EQ(find(ts, "French"), nullptr) << "a language";
    gazetteer::GeoparseOptions no_demonyms;
    no_demonyms.demonyms = false;
    EXPECT_EQ(
        find(gazetteer::Geoparser(gz(), no_demonyms).parse("Russian officials met."), "Russian"),
        nullptr);
}

TEST(Geoparser, StateAbbreviationsAndTheDocumentsCountry) {
    gazetteer::Geoparser parser(gz());
    auto ts =
        parser.parse("HAMMOND, Ind. (AP) - A man from Charleston, W.Va., was held. Police "
                     "in Atlanta and across Georgia, Alabama and Tennessee searched for him.");
    const auto* ind = find(ts, "Ind");
    ASSERT_NE(ind, nullptr);
    EXPECT_EQ(ind->place->admin1_key(), "US.IN");
    const auto* charleston = find(ts, "Charleston");
    ASSERT_NE(charleston, nullptr);
    EXPECT_EQ(charleston->place->admin1_key(), "US.WV") << "the named parent decides";
    const auto* georgia = find(ts, "Georgia");
    ASSERT_NE(georgia, nullptr);
    EXPECT_EQ(georgia->place->kind, gazetteer::PlaceKind::admin1) << "the state among states";
    EXPECT_EQ(georgia->place->country, "US");
}

TEST(Geoparser, PersonsAreNoPlaces) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Who would have wanted Matthew D. Flores dead? Flores was 30. Sgt. "
                           "Courtney Gale and Hughes said the Moore family left on Dec. 20.");
    EXPECT_EQ(find(ts, "Flores"), nullptr);
    EXPECT_EQ(find(ts, "Courtney"), nullptr);
    EXPECT_EQ(find(ts, "Hughes"), nullptr);
    EXPECT_EQ(find(ts, "Dec"), nullptr);
}

TEST(Geoparser, TownsInNamesOfInstitutionsAndHyphenatedWords) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("A spokesman for the Dublin Veterans Project and the Texas Department "
                           "of Health said Egyptian-US ties matter to Atlanta-area residents.");
    EXPECT_NE(find(ts, "Dublin"), nullptr);
    const bool texas = std::any_of(ts.begin(), ts.end(), [](const Toponym& t) {
        return t.text.rfind("Texas", 0) == 0 && t.place->admin1_key() == "US.TX";
    });
    EXPECT_TRUE(texas);
    EXPECT_NE(find(ts, "US"), nullptr);
    EXPECT_NE(find(ts, "Atlanta"), nullptr);
    // A lowercase particle keeps a hyphenated name whole.
    auto hy =
        parser.parse("Gunmen struck Croix-des-Bouquets, and a bomb went off in Pul-e Khumri.");
    const auto* croix = find(hy, "Croix-des-Bouquets");
    ASSERT_NE(croix, nullptr);
    EXPECT_EQ(croix->place->country, "HT");
    const auto* pul = find(hy, "Pul-e Khumri");
    ASSERT_NE(pul, nullptr);
    EXPECT_EQ(pul->place->country, "AF");
    EXPECT_EQ(find(hy, "Croix"), nullptr);
}

TEST(Geoparser, BadAndHugeInput) {
    gazetteer::Geoparser parser(gz());
    EXPECT_TRUE(parser.parse("").empty());
    EXPECT_TRUE(parser.parse("nothing here at all").empty());
    EXPECT_THROW((void)parser.parse("Kyiv \xff\xfe"), InvalidInput);
    EXPECT_NO_THROW(
        (void)parser.parse(std::string("Kyiv\0\x01\x02 Lviv", sizeof("Kyiv\0\x01\x02 Lviv") - 1)));
    std::string big;
    while (big.size() < 2 * 1024 * 1024) {
        big += "Fighting was reported near Kharkiv and in Izium on Monday. ";
    }
    auto ts = parser.parse(big);
    EXPECT_GT(ts.size(), 1000u);
    EXPECT_THROW((void)parser.parse(std::string(11 * 1024 * 1024, 'a')), InvalidInput);
}

} // namespace

// --- Qualifiers, transliterations and the document's regions ---------------------------------

namespace {

const Toponym* parse_find(const std::vector<Toponym>& ts, std::string_view name) {
    const auto* t = find(ts, name);
    EXPECT_NE(t, nullptr) << name;
    return t;
}

// A region named as the news spells it ("Zaporizhia", GeoNames "Zaporizhzhia"), with no region
// word, after a place and a comma at the end of a phrase: a qualifier that restricts the place.
// Only where the place may lie in that region's country, and not inside a list of towns.
TEST(Geoparser, ARegionSpelledOtherwiseQualifiesThePlaceBeforeIt) {
    const gazetteer::Geoparser parser(gz());
    const auto ts = parser.parse("Russian forces fired artillery at Zaliznychne, Zaporizhia. "
                                 "Casualties unknown.");
    const auto* region = find(ts, "Zaporizhia");
    ASSERT_NE(region, nullptr);
    EXPECT_EQ(region->place->kind, gazetteer::PlaceKind::admin1);
    const auto* village = find(ts, "Zaliznychne");
    ASSERT_NE(village, nullptr);
    EXPECT_EQ(village->place->admin1_key(), region->place->admin1_key())
        << "the namesake in another oblast, at " << village->place->point.lat;
    // Towns in a list: "Rongo" is one of them, not a region of Thailand spelled otherwise.
    const auto list = parser.parse("Clashes were reported in Bondo, Rongo, Nyando and Kisii.");
    const auto* rongo = find(list, "Rongo");
    EXPECT_TRUE(rongo == nullptr || rongo->place->kind != gazetteer::PlaceKind::admin1);
}

// "Bakhmutsky district, Donetsk region": a district named by its town's adjective, in a region
// named after it, is that region's admin2 district; a village the gazetteer lacks in it stands
// at the district, marked unplaced.
TEST(Geoparser, ADistrictNamedByItsTownsAdjectiveQualifiesItsVillage) {
    const gazetteer::Geoparser parser(gz());
    const auto ts =
        parser.parse("near the village of Novogrigoryevka, Bakhmutsky district, Donetsk region");
    const auto* district = find(ts, "Bakhmutsky district");
    ASSERT_NE(district, nullptr);
    EXPECT_EQ(district->place->kind, gazetteer::PlaceKind::admin2);
    EXPECT_EQ(district->place->name, "Bakhmut Raion");
    const auto* village = find(ts, "Novogrigoryevka");
    ASSERT_NE(village, nullptr);
    EXPECT_TRUE(village->unplaced);
    EXPECT_EQ(village->place, district->place);
    // The adjective of no town of the region named is no district.
    EXPECT_EQ(find(parser.parse("near Kamenka, Zhytomyrsky district, Donetsk region"),
                   "Zhytomyrsky district"),
              nullptr);
}

// A deployment's focus (--focus UA) decides between namesakes of equal standing, as a bias and
// not a filter: a village named alone goes to the focus country, a large city elsewhere stays.
TEST(Geoparser, TheFocusLeansAmbiguousNamesTowardItsCountries) {
    const gazetteer::Geoparser plain(gz());
    gazetteer::GeoparseOptions ua;
    ua.focus = gazetteer::parse_focus("ua", gz());
    const gazetteer::Geoparser focused(gz(), ua);
    const auto country_of = [](const gazetteer::Geoparser& p, std::string_view text,
                               std::string_view name) {
        const auto ts = p.parse(text);
        const auto* t = find(ts, name);
        return t ? t->place->country : std::string("(none)");
    };
    EXPECT_NE(country_of(plain, "Shelling hit Druzhba.", "Druzhba"), "UA");
    EXPECT_EQ(country_of(focused, "Shelling hit Druzhba.", "Druzhba"), "UA");
    EXPECT_EQ(country_of(focused, "Shelling hit Pokrovka.", "Pokrovka"), "UA");
    EXPECT_EQ(country_of(focused, "Protests in Alexandria.", "Alexandria"), "EG");
}

TEST(Geoparser, FocusListsAreCheckedAgainstTheGazetteer) {
    EXPECT_EQ(gazetteer::parse_focus(" ua, RU ,", gz()), (std::vector<std::string>{"UA", "RU"}));
    EXPECT_TRUE(gazetteer::parse_focus("", gz()).empty());
    EXPECT_THROW(std::ignore = gazetteer::parse_focus("UA,XX", gz()), InvalidInput);
    EXPECT_THROW(std::ignore = gazetteer::parse_focus("Ukraine", gz()), InvalidInput);
}

} // namespace

TEST(GeoparserQualifiers, CommaRegionKeepsOnlyPlacesInside) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Shelling damaged houses in Kostiantynivka, Zaporizhzhia Oblast.");
    const auto* t = parse_find(ts, "Kostiantynivka");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::place);
    EXPECT_EQ(t->place->admin1_key(), "UA.26") << "not the larger namesake in Donetsk";
}

TEST(GeoparserQualifiers, BracketedRegionKeepsOnlyPlacesInside) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Two soldiers were wounded near Lyman (Odesa region) on Tuesday.");
    const auto* t = parse_find(ts, "Lyman");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->admin1_key(), "UA.17");
}

TEST(GeoparserQualifiers, InTheRegionKeepsOnlyPlacesInside) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Militants fired mortars at Lyman in the Kharkiv region overnight.");
    const auto* t = parse_find(ts, "Lyman");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->admin1_key(), "UA.07");
}

TEST(GeoparserQualifiers, HeadingRegionQualifiesTheListAfterIt) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Kharkiv region: in Balakliia and Lyman, two houses were destroyed.");
    const auto* t = parse_find(ts, "Lyman");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->admin1_key(), "UA.07");
}

TEST(GeoparserQualifiers, ListBeforeTheRegionIsQualifiedToo) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Fighting was reported near Vodiane and Lyman, Kharkiv region.");
    const auto* t = parse_find(ts, "Lyman");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->admin1_key(), "UA.07");
}

TEST(GeoparserQualifiers, NoCandidateInsideResolvesToTheRegionItself) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("A drone hit a warehouse near Lyman, Zaporizhzhia Oblast.");
    const auto* t = parse_find(ts, "Lyman");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::admin1);
    EXPECT_EQ(t->place->admin1_key(), "UA.26") << "never a Lyman outside the region";
}

TEST(GeoparserQualifiers, RussianFormFindsTheUkrainianPlaceInTheRegion) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Shells fell on the village of Mikhailovka, Zaporizhzhia region.");
    const auto* t = parse_find(ts, "Mikhailovka");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->name, "Mykhaylivka");
    EXPECT_EQ(t->place->admin1_key(), "UA.26");
}

TEST(GeoparserQualifiers, RegionWordOnASeatNamesItsRegion) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Air defence was active over the Zaporozhye region last night.");
    const auto* t = parse_find(ts, "Zaporozhye region");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::admin1);
    EXPECT_EQ(t->place->admin1_key(), "UA.26");
}

TEST(GeoparserQualifiers, RegionsInAListStayRegions) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Storms hit Texas, Oregon and Louisiana this week.");
    const auto* t = parse_find(ts, "Texas");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::admin1);
    EXPECT_EQ(t->place->admin1_key(), "US.TX");
}

TEST(GeoparserQualifiers, ABareNameOfAnotherCountryDoesNotQualify) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Fires burned in Los Angeles (San Fernando Valley) on Monday.");
    const auto* t = parse_find(ts, "Los Angeles");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->country, "US");
    EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::place);
}

TEST(GeoparserQualifiers, DistrictKeepsOnlyPlacesNearIt) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Mortars hit Vodiane, Vasylivka district, overnight.");
    const auto* t = parse_find(ts, "Vodiane");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->id, 689321);
}

TEST(GeoparserQualifiers, NoCandidateInTheDistrictResolvesToTheDistrict) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Mortars hit Lyman, Vasylivka district, overnight.");
    const auto* t = parse_find(ts, "Lyman");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::admin2);
    EXPECT_EQ(t->place->name, "Vasylivka Raion");
}

TEST(GeoparserCityOverRegion, ACityIsItsOwnRegionsNamesakeUnlessTheTextSaysRegion) {
    gazetteer::Geoparser parser(gz());
    auto city = parser.parse("Explosions were heard in Kharkiv on Monday.");
    const auto* t = parse_find(city, "Kharkiv");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->id, 706483);
    auto region = parser.parse("Explosions were heard in the Kharkiv region on Monday.");
    const auto* r = parse_find(region, "Kharkiv region");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->place->kind, gazetteer::PlaceKind::admin1);
    EXPECT_EQ(r->place->admin1_key(), "UA.07");
}

TEST(GeoparserQualifiers, ANameTheGazetteerLacksIsFoundByItsTransliterationInTheRegion) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("Shells fell on Dneprorudnoye, Zaporizhzhia region, at dawn.");
    const auto* t = parse_find(ts, "Dneprorudnoye");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->name, "Dniprorudne");
    EXPECT_EQ(t->place->admin1_key(), "UA.26");
}

TEST(GeoparserQualifiers, ANameNeitherFoundNorTransliteratedIsTheRegion) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("A fire broke out in Qwertzuvka, Zaporizhzhia region.");
    const auto* t = parse_find(ts, "Qwertzuvka");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::admin1);
    EXPECT_EQ(t->place->admin1_key(), "UA.26");
}

TEST(GeoparserQualifiers, APersonBeforeARegionIsNoPlace) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("The report was written by Dennis Quarrington, Ohio State professor.");
    EXPECT_EQ(find(ts, "Dennis Quarrington"), nullptr);
    EXPECT_EQ(find(ts, "Quarrington"), nullptr);
}

TEST(GeoparserRegionNames, RegionWordsInTheirManyForms) {
    gazetteer::Geoparser parser(gz());
    for (auto [text, name] : std::vector<std::pair<const char*, const char*>>{
             {"Shelling was reported across the Zaporizhia region on Friday.", "Zaporizhia region"},
             {"Two villages of Zaporizhska oblast lost power after the strikes.",
              "Zaporizhska oblast"}}) {
        auto ts = parser.parse(text);
        const auto* t = parse_find(ts, name);
        ASSERT_NE(t, nullptr) << text;
        EXPECT_EQ(t->place->kind, gazetteer::PlaceKind::admin1) << text;
        EXPECT_EQ(t->place->admin1_key(), "UA.26") << text;
    }
}

TEST(GeoparserRegionNames, AnEnglishWordBeforeRegionIsNoRegion) {
    gazetteer::Geoparser parser(gz());
    auto ts = parser.parse("The Border region was quiet, officials said.");
    EXPECT_EQ(find(ts, "Border region"), nullptr);
}
