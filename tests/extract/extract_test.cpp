// Extraction: sentences, numbers, dates, casualties and the seed article end to end.

#include "test_support.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/extract/extract.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace {

using namespace incidentmap;
using incidents::ArticleInput;
using incidents::Extractor;
using incidents::Incident;

const gazetteer::Gazetteer& gz() {
    static auto g =
        std::make_unique<gazetteer::Gazetteer>(gazetteer::Gazetteer::open(test::gazetteer_path()));
    return *g;
}

const Incident* find_at(const std::vector<Incident>& v, std::int64_t geonameid) {
    auto it = std::find_if(v.begin(), v.end(),
                           [&](const Incident& i) { return i.geonameid == geonameid; });
    return it == v.end() ? nullptr : &*it;
}

TEST(SplitSentences, KeepsAbbreviationsAndQuotesTogether) {
    std::string text = "Gen. Smith arrived in the U.S. on Monday. \"We will win,\" he said. Prices "
                       "rose 3.5 percent!";
    auto s = incidents::split_sentences(text);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(text.substr(s[0].begin, s[0].end - s[0].begin),
              "Gen. Smith arrived in the U.S. on Monday.");
    EXPECT_EQ(text.substr(s[1].begin, s[1].end - s[1].begin), "\"We will win,\" he said.");
}

TEST(ParseNumberWord, DigitsWordsAndCompounds) {
    EXPECT_EQ(incidents::parse_number_word("three"), 3);
    EXPECT_EQ(incidents::parse_number_word("22"), 22);
    EXPECT_EQ(incidents::parse_number_word("1,200"), 1200);
    EXPECT_EQ(incidents::parse_number_word("twenty-two"), 22);
    EXPECT_EQ(incidents::parse_number_word("Twelve"), 12);
    EXPECT_FALSE(incidents::parse_number_word("people").has_value());
}

TEST(ResolveDate, WeekdaysAreTheMostRecentOnOrBeforePublication) {
    // 2022-03-29 was a Tuesday.
    EXPECT_EQ(incidents::resolve_date("on Tuesday", "2022-03-29")->first, "2022-03-29");
    EXPECT_EQ(incidents::resolve_date("on Monday", "2022-03-29")->first, "2022-03-28");
    EXPECT_EQ(incidents::resolve_date("on Wednesday", "2022-03-29")->first, "2022-03-23");
    EXPECT_EQ(incidents::resolve_date("in Tuesday’s attack", "2022-03-29")->first, "2022-03-29");
    EXPECT_EQ(incidents::resolve_date(
                  "The Turkish Foreign Ministry said the Istanbul talks had concluded on Tuesday "
                  "and were not expected to continue on Wednesday.",
                  "2022-03-29")
                  ->first,
              "2022-03-29");
    EXPECT_EQ(
        incidents::resolve_date(
            "the talks had concluded on Tuesday and were not expected to continue on Wednesday.",
            "2022-03-29")
            ->first,
        "2022-03-29");
}

TEST(ResolveDate, RelativeAndCalendarPhrases) {
    EXPECT_EQ(incidents::resolve_date("yesterday", "2022-03-01")->first, "2022-02-28");
    EXPECT_EQ(incidents::resolve_date("concluded on\u00a0Tuesday", "2022-03-29")->first,
              "2022-03-29");
    EXPECT_EQ(
        incidents::resolve_date("the war Russia launched on February 24", "2022-03-29")->first,
        "2022-02-24");
    EXPECT_EQ(incidents::resolve_date("on 24 February 2021", "2022-03-29")->first, "2021-02-24");
    EXPECT_EQ(incidents::resolve_date("on December 30", "2022-01-05")->first, "2021-12-30");
    auto week = incidents::resolve_date("last week", "2022-03-29");
    ASSERT_TRUE(week);
    EXPECT_EQ(week->second, 2);
    EXPECT_FALSE(incidents::resolve_date("no date here", "2022-03-29").has_value());
}

TEST(Extractor, SeedArticleGivesTheAnalystsIncidents) {
    Extractor ex(gz());
    ArticleInput in;
    in.text = test::sample_article();
    in.published = "2022-03-29";
    auto out = ex.extract(in);
    EXPECT_EQ(out.source, "dpa");
    EXPECT_EQ(out.dateline, "Istanbul");

    const Incident* strike = find_at(out.incidents, 700569);
    ASSERT_NE(strike, nullptr) << "Mykolayiv missile strike";
    EXPECT_EQ(strike->event_type, "Explosions/Remote violence");
    EXPECT_EQ(strike->sub_event_type, "Shelling/artillery/missile attack");
    EXPECT_EQ(strike->event_date, "2022-03-29");
    EXPECT_EQ(strike->fatalities, 3);
    EXPECT_EQ(strike->injured, 22);
    EXPECT_EQ(strike->geo_precision, 1);
    EXPECT_NE(strike->actor1.find("Russian"), std::string::npos);

    const Incident* talks = find_at(out.incidents, 745044);
    ASSERT_NE(talks, nullptr) << "Istanbul talks";
    EXPECT_EQ(talks->event_type, "Strategic developments");
    EXPECT_EQ(talks->sub_event_type, "Agreement");
    EXPECT_EQ(talks->event_date, "2022-03-29");

    for (std::int64_t id : {703448, 710735}) { // Kyiv, Chernihiv: activity reduced near them
        const Incident* i = find_at(out.incidents, id);
        ASSERT_NE(i, nullptr) << id;
        EXPECT_EQ(i->event_type, "Strategic developments") << id;
        EXPECT_EQ(i->geo_precision, 2) << id;
    }
    // No incident at the places that only speak or are spoken of.
    for (const auto& i : out.incidents) {
        EXPECT_NE(i.geonameid, 524901) << "Moscow";
        EXPECT_NE(i.admin1 + i.country, "11UA") << "Crimea";
        EXPECT_NE(i.country, "GB");
        EXPECT_NE(i.country, "FR");
        EXPECT_NE(i.country, "DE");
        EXPECT_NE(i.country, "US");
        EXPECT_NE(i.country, "RU");
        EXPECT_FALSE(i.evidence.empty());
        EXPECT_EQ(i.event_date, "2022-03-29") << i.location;
        for (const auto& e : i.evidence) {
            EXPECT_EQ(in.text.substr(e.begin, e.end - e.begin), e.text);
        }
    }
    // At most one incident per place and type: duplicates within the article are merged.
    EXPECT_LE(out.incidents.size(), 6u);
}

// A village the gazetteer lacks, named with its region or district: the incident stands at the
// most specific unit that can be found, with ACLED's precision, and keeps the name as written.
TEST(Extractor, AnUnfoundVillageStandsAtItsRegionOrDistrictKeepingItsName) {
    const Extractor ex(gz());
    ArticleInput in;
    in.published = "2024-02-11";
    in.text = "On 10 February 2024, Russian forces shelled Ozarianivka, Donetsk region. "
              "Casualties unknown.";
    auto incidents = ex.extract(in).incidents;
    ASSERT_EQ(incidents.size(), 1u);
    EXPECT_EQ(incidents[0].location, "Ozarianivka, Donetsk");
    EXPECT_EQ(incidents[0].geo_precision, 3);
    EXPECT_EQ(incidents[0].country, "UA");
    in.text = "On 10 February 2024, Russian forces shelled Novokaterynivka village, "
              "Starobeshivskiy district, Donetsk region. Casualties unknown.";
    incidents = ex.extract(in).incidents;
    ASSERT_EQ(incidents.size(), 1u);
    EXPECT_EQ(incidents[0].location, "Novokaterynivka, Starobesheve");
    EXPECT_EQ(incidents[0].geo_precision, 2) << "in the district of its town: near the town";
}

TEST(Extractor, BadInputIsAClearErrorOrNothing) {
    Extractor ex(gz());
    ArticleInput in;
    in.text = "   ";
    EXPECT_THROW(ex.extract(in), InvalidInput);
    in.text = "abc \xff\xfe def";
    EXPECT_THROW(ex.extract(in), InvalidInput);
    in.text = std::string(6 * 1024 * 1024, 'x');
    EXPECT_THROW(ex.extract(in), InvalidInput);
    in.text = "The weather was fine and nothing happened anywhere.";
    in.published = "2022-03-29";
    EXPECT_TRUE(ex.extract(in).incidents.empty());
    in.published = "29/03/2022";
    EXPECT_THROW(ex.extract(in), InvalidInput);
}

} // namespace
