#include "test_support.hpp"

#include "incidentmap/gazetteer/normalize.hpp"

namespace {

using incidentmap::gazetteer::normalize_name;

TEST(Normalize, FoldsCaseDiacriticsAndApostrophes) {
    EXPECT_EQ(normalize_name("Mykolaïv"), "mykolaiv");
    EXPECT_EQ(normalize_name("Donets’k"), "donetsk");
    EXPECT_EQ(normalize_name("Donets'k"), "donetsk");
    EXPECT_EQ(normalize_name("Donetsʼk"), "donetsk");
    EXPECT_EQ(normalize_name("  SÃO   Paulo "), "sao paulo");
    EXPECT_EQ(normalize_name("Ivano-Frankivsk"), "ivano frankivsk");
    EXPECT_EQ(normalize_name("Türkiye"), "turkiye");
}

TEST(Normalize, TransliteratesOtherScripts) {
    EXPECT_EQ(normalize_name("Київ"), normalize_name("Kiïv"));
    EXPECT_EQ(normalize_name("Миколаїв"), "mikolaiv");
    EXPECT_EQ(normalize_name("Чернигов"), normalize_name("Černigov"))
        << "ISO 9 style, as GeoNames romanises";
    EXPECT_FALSE(normalize_name("Αθήνα").empty());
}

TEST(Normalize, DropsInvalidBytesAndPunctuation) {
    EXPECT_EQ(normalize_name("Kyiv\xff!"), "kyiv");
    EXPECT_EQ(normalize_name("..."), "");
}

} // namespace

namespace {

using incidentmap::gazetteer::transliteration_key;

TEST(Normalize, TransliterationKeyJoinsRussianAndUkrainianForms) {
    auto key = [](std::string_view s) { return transliteration_key(normalize_name(s)); };
    EXPECT_EQ(key("Zaporozhye"), key("Zaporizhzhia"));
    EXPECT_EQ(key("Zaporizhia"), key("Zaporizhzhia"));
    EXPECT_EQ(key("Kharkov"), key("Kharkiv"));
    EXPECT_EQ(key("Lugansk"), key("Luhansk"));
    EXPECT_EQ(key("Krasnogorovka"), key("Krasnohorivka"));
    EXPECT_EQ(key("Leninskoye"), key("Leninske"));
    EXPECT_EQ(key("Donets'k"), key("Donetsk"));
    EXPECT_EQ(key("Starobeshevskiy"), key("Starobeshevskyi"));
    EXPECT_NE(key("Kharkiv"), key("Kherson"));
    EXPECT_NE(key("Georgia"), key("Gorlivka"));
}

} // namespace
