#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/demonyms.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

using namespace incidentmap;

TEST(Demonyms, EveryCountryIsAnIsoAlpha2Code) {
    ASSERT_GT(text::demonyms().size(), 100u);
    for (const auto& d : text::demonyms()) {
        ASSERT_EQ(d.country.size(), 2u) << d.word;
        EXPECT_TRUE(d.country[0] >= 'A' && d.country[0] <= 'Z' && d.country[1] >= 'A' &&
                    d.country[1] <= 'Z')
            << d.word << " -> " << d.country;
    }
}

TEST(Demonyms, WordsAreUniqueAndInLowerCase) {
    std::set<std::string_view> seen;
    for (const auto& d : text::demonyms()) {
        EXPECT_FALSE(d.word.empty());
        EXPECT_EQ(text::lower_ascii(d.word), d.word);
        EXPECT_TRUE(seen.insert(d.word).second) << "listed twice: " << d.word;
    }
}

TEST(Demonyms, LookupIgnoresCaseAndDerivesNoPlural) {
    const text::Demonym* d = text::find_demonym("Ukrainian");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->country, "UA");
    EXPECT_EQ(d->actor, "Ukrainian");
    EXPECT_TRUE(d->names_country);
    EXPECT_EQ(text::find_demonym("UKRAINIAN"), d);
    EXPECT_EQ(text::find_demonym("ukrainian"), d);
    ASSERT_NE(text::find_demonym("Sri Lankan"), nullptr);
    EXPECT_EQ(text::find_demonym("Sri Lankan")->country, "LK");
    EXPECT_EQ(text::find_demonym("ukrainians"), nullptr);
    EXPECT_EQ(text::find_demonym("Ukraine"), nullptr);
    EXPECT_EQ(text::find_demonym(""), nullptr);
}

TEST(Demonyms, AbbreviationsAndPeoplesSayWhatTheyAre) {
    const text::Demonym* us = text::find_demonym("U.S");
    ASSERT_NE(us, nullptr);
    EXPECT_TRUE(us->abbreviation);
    EXPECT_EQ(us->country, "US");
    EXPECT_EQ(us->actor, "US");
    EXPECT_EQ(text::find_demonym("American")->actor, "US");
    EXPECT_FALSE(text::find_demonym("american")->abbreviation);
    const text::Demonym* kurdish = text::find_demonym("Kurdish");
    ASSERT_NE(kurdish, nullptr);
    EXPECT_FALSE(kurdish->names_country);
    EXPECT_TRUE(kurdish->actor.empty());
}

TEST(Demonyms, OneCountryGivesItsActorsOneAdjective) {
    std::map<std::string_view, std::string_view> actor_of;
    for (const auto& d : text::demonyms()) {
        if (d.actor.empty()) {
            continue;
        }
        EXPECT_TRUE(d.actor[0] >= 'A' && d.actor[0] <= 'Z') << d.word << " -> " << d.actor;
        auto [it, first] = actor_of.emplace(d.country, d.actor);
        EXPECT_EQ(it->second, d.actor) << d.word << " of " << d.country;
    }
    EXPECT_EQ(actor_of.at("PH"), "Philippine");
}

TEST(Demonyms, AbbreviationsNameTheirCountryAndAnActor) {
    for (const auto& d : text::demonyms()) {
        if (d.abbreviation) {
            EXPECT_TRUE(d.names_country) << d.word;
            EXPECT_FALSE(d.actor.empty()) << d.word;
        }
    }
}
