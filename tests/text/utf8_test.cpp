#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/utf8.hpp"

#include <gtest/gtest.h>

using namespace incidentmap;

TEST(Utf8, RejectsOverlongsSurrogatesAndTruncation) {
    EXPECT_TRUE(text::is_valid_utf8("Миколаїв ’"));
    EXPECT_FALSE(text::is_valid_utf8("\xC0\xAF"));
    EXPECT_FALSE(text::is_valid_utf8("\xED\xA0\x80"));
    EXPECT_FALSE(text::is_valid_utf8("\xE2\x80"));
    EXPECT_FALSE(text::is_valid_utf8("\xF5\x80\x80\x80"));
}

TEST(Utf8, DecodesEachSequenceLengthAndReplacesBadLeadBytes) {
    const std::string_view s = "a\xC3\xA9\xE2\x80\x99\xF0\x9F\x98\x80\x80\xE2";
    std::size_t i = 0;
    EXPECT_EQ(text::next_codepoint(s, i), 'a');
    EXPECT_EQ(text::next_codepoint(s, i), 0xE9u);
    EXPECT_EQ(text::next_codepoint(s, i), 0x2019u);
    EXPECT_EQ(text::next_codepoint(s, i), 0x1F600u);
    EXPECT_EQ(i, 10u);
    EXPECT_EQ(text::next_codepoint(s, i), 0xFFFDu); // a lone continuation byte
    EXPECT_EQ(text::next_codepoint(s, i), 0xFFFDu); // a sequence cut by the end
    EXPECT_EQ(i, s.size());
}

TEST(Utf8, CountsCodePoints) {
    EXPECT_EQ(text::codepoint_count("Київ"), 4u);
    EXPECT_EQ(text::codepoint_count(""), 0u);
}

TEST(Ascii, LowersOnlyAsciiLetters) {
    EXPECT_EQ(text::lower_ascii("Kyiv KИЇВ"), "kyiv kИЇВ");
}

TEST(Ascii, TrimsAsciiSpaceAtBothEndsOnly) {
    EXPECT_EQ(text::trim_space(" \t event_date \r\n"), "event_date");
    EXPECT_EQ(text::trim_space("a b"), "a b");
    EXPECT_EQ(text::trim_space(" \v\f "), "");
    EXPECT_EQ(text::trim_space(""), "");
    EXPECT_EQ(text::trim_space("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0")
        << "no-break space is no ASCII";
}
