// Incident extraction from article text, in stages: the article checked, split into sentences
// and geoparsed; its heading read (source, dateline); its body read sentence by sentence into
// incidents (story.cpp, with events.cpp, location.cpp, dates.cpp, casualties.cpp, actors.cpp);
// duplicates within the article merged.

#include "incidentmap/extract/extract.hpp"
#include "dateline.hpp"
#include "dates.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/text/utf8.hpp"
#include "merge.hpp"
#include "story.hpp"

#include <string>
#include <utility>

namespace incidentmap::incidents {

namespace {

// Refuses what is no article text: empty, over 5 MiB, not UTF-8, binary.
void check_article_text(const std::string& text) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InvalidInput("the article text is empty");
    }
    if (text.size() > 5 * 1024 * 1024) {
        throw InvalidInput("the article is larger than 5 MiB");
    }
    if (!text::is_valid_utf8(text)) {
        throw InvalidInput("the article text is not valid UTF-8");
    }
    if (text.find('\0') != std::string::npos) {
        throw InvalidInput("the article text contains NUL bytes (binary data?)");
    }
}

} // namespace

Extractor::Extractor(const gazetteer::Gazetteer& gazetteer, gazetteer::GeoparseOptions options)
    : m_gazetteer(&gazetteer), m_geoparser(gazetteer, std::move(options)) {}

Extraction Extractor::extract(const ArticleInput& input) const {
    const std::string& text = input.text;
    check_article_text(text);
    Extraction ex;
    ex.published = input.published.empty() ? detail::today_utc() : input.published;
    if (!is_iso_date(ex.published)) {
        throw InvalidInput("published must be a date YYYY-MM-DD");
    }
    ex.source = input.source;
    ex.sentences = split_sentences(text);
    ex.toponyms = m_geoparser.parse(text);
    // A nationality ("Russian forces") names an actor, not a place where something happened.
    std::erase_if(ex.toponyms, [](const gazetteer::Toponym& t) { return t.demonym; });
    const detail::Heading heading = detail::read_heading(text, ex);
    ex.incidents = detail::merge_duplicates(detail::read_story(input, ex, heading));
    return ex;
}

} // namespace incidentmap::incidents
