#include "incidentmap/gazetteer/normalize.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <tuple>
#include <utility>

namespace incidentmap::gazetteer {

namespace {

// ICU transliterators are not thread-safe; each thread gets its own instance.
icu::Transliterator* transliterator() {
    thread_local std::unique_ptr<icu::Transliterator> tl = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
            "Any-Latin; Latin-ASCII; Any-Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status)) {
            t.reset();
        }
        return t;
    }();
    return tl.get();
}

bool is_apostrophe_ascii(char c) {
    return c == '\'' || c == '`';
}

// Lower-cases ASCII, drops apostrophes, maps other punctuation to single spaces.
std::string fold_ascii(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (char c : s) {
        auto uc = static_cast<unsigned char>(c);
        if (is_apostrophe_ascii(c)) {
            continue;
        }
        if ((uc >= 'a' && uc <= 'z') || (uc >= '0' && uc <= '9')) {
            if (pending_space && !out.empty()) {
                out.push_back(' ');
            }
            pending_space = false;
            out.push_back(c);
        } else if (uc >= 'A' && uc <= 'Z') {
            if (pending_space && !out.empty()) {
                out.push_back(' ');
            }
            pending_space = false;
            out.push_back(static_cast<char>(uc + 32));
        } else {
            pending_space = true;
        }
    }
    return out;
}

bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'j';
}

// The consonant of the digraph (or trigraph) at s[i], and its length; {c, 1} for one letter.
std::pair<char, std::size_t> consonant_at(std::string_view s, std::size_t i) {
    const std::string_view rest = s.substr(i);
    if (rest.rfind("shch", 0) == 0) {
        return {'S', 4};
    }
    if (rest.rfind("sch", 0) == 0) {
        return {'S', 3};
    }
    static constexpr std::pair<std::string_view, char> digraphs[] = {
        {"kh", 'x'}, {"zh", 'Z'}, {"sh", 'S'}, {"ch", 'C'}, {"tch", 'C'}, {"ts", 'c'}, {"tz", 'c'}};
    for (const auto& [d, c] : digraphs) {
        if (rest.rfind(d, 0) == 0) {
            return {c, d.size()};
        }
    }
    const char c = s[i];
    if (c == 'h') {
        return {'g', 1}; // Ukrainian h is Russian g: Horlivka, Gorlovka
    }
    if (c == 'w') {
        return {'v', 1};
    }
    return {c, 1};
}

} // namespace

std::string transliteration_key(std::string_view normalized) {
    std::string key;
    key.reserve(normalized.size());
    for (std::size_t i = 0; i < normalized.size();) {
        const char c = normalized[i];
        if (c == ' ') {
            ++i;
            continue;
        }
        char out = 'a';
        std::size_t len = 1;
        if (!is_vowel(c)) {
            std::tie(out, len) = consonant_at(normalized, i);
        }
        if (key.empty() || key.back() != out) {
            key.push_back(out);
        }
        i += len;
    }
    return key;
}

std::string normalize_name(std::string_view name) {
    bool ascii = true;
    for (char c : name) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        return fold_ascii(name);
    }
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
    // Apostrophe-like characters are removed before transliteration: they mark softness in
    // romanised Slavic names (Donets’k) and would otherwise become separators.
    static const char16_t apostrophes[] = {u'\u2019', u'\u2018', u'\u02BC', u'\u02B9',
                                           u'\u00B4', u'\u2032', u'\u02BB'};
    for (char16_t a : apostrophes) {
        u.findAndReplace(icu::UnicodeString(a), icu::UnicodeString());
    }
    if (auto* t = transliterator()) {
        t->transliterate(u);
    }
    std::string utf8;
    u.toUTF8String(utf8);
    return fold_ascii(utf8);
}

} // namespace incidentmap::gazetteer
