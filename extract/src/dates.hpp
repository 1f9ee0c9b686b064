#pragma once

// Dates of incidents: what day a sentence or a clause speaks of, read against the article's
// publication date. resolve_date (the public header) reads one phrase; DateTracker carries a
// date from sentence to sentence. Internal to the extract module.

#include "incidentmap/extract/extract.hpp"
#include "words.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace incidentmap::incidents::detail {

/// A date YYYY-MM-DD with its ACLED time precision (1 day, 2 week, 3 month), as resolve_date
/// returns it.
using DatedPhrase = std::pair<std::string, int>;

/// Today's date in UTC, YYYY-MM-DD. Thread-safe.
std::string today_utc();

/// The month (1-12) a word names, in any case and with or without a final period: the whole
/// name or its first 3 or 4 letters ("February", "feb", "Sept."); 0 for none. Thread-safe.
int month_of(std::string_view w);

/// The date of one sentence of an article.
struct SentenceDate {
    std::string date;  ///< the day the sentence speaks of; the publication date when unknown
    int precision = 1; ///< ACLED time precision of `date`
    /// the sentence names the day itself, or one relative to the last named ("the next day")
    bool named = false;
    bool known = false;   ///< named, or carried over from a dated sentence just before
    std::size_t from = 0; ///< where the sentence's own words begin (after an inline dateline)
};

/// Follows the dates of an article's sentences, in order: a sentence that names no day
/// continues the story of a dated one up to two sentences before ("The attackers arrived at
/// dawn..."), and "the next day", "two days later" count from it. One per article; not
/// thread-safe.
class DateTracker {
public:
    explicit DateTracker(std::string published) : m_published(std::move(published)) {}

    /// The date of sentence number `index` of `text`, whose words are `w`; its words before
    /// `dateline_end` (an inline dateline: the publication's date) do not count. Call in
    /// sentence order.
    SentenceDate date_of(std::string_view text, const Sentence& sent, std::size_t index,
                         const std::vector<Word>& w, std::size_t dateline_end);

private:
    std::string m_published;
    std::optional<DatedPhrase> m_last; ///< the date last named
    std::size_t m_last_sentence = 0;   ///< the sentence that named it
};

/// The date that clause `clause` of a sentence names itself, in its words from byte `from` on
/// ("accused the rebels on Friday of shelling on February 24 that killed ..."); nullopt when
/// it names none. Thread-safe.
std::optional<DatedPhrase> clause_date(std::string_view text, const SentenceWords& sw, int clause,
                                       std::size_t from, const std::string& published);

} // namespace incidentmap::incidents::detail
