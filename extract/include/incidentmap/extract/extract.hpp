#pragma once

#include "incidentmap/geoparse/geoparser.hpp"
#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/store/store.hpp"

#include <string>
#include <vector>

namespace incidentmap::incidents {

/// An article as submitted: text plus optional metadata.
struct ArticleInput {
    std::string text;
    std::string published; ///< YYYY-MM-DD; relative dates resolve against it (today when empty)
    std::string source;
    std::string url;
    std::string title;
};

/// A sentence of an article: byte span.
struct Sentence {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// What extraction found in one article.
struct Extraction {
    std::string source;   ///< given, or read from a source line at the top
    std::string dateline; ///< a dateline place read from the top ("Istanbul"), if any
    std::string published;
    std::vector<Sentence> sentences;
    std::vector<gazetteer::Toponym> toponyms;
    std::vector<Incident> incidents; ///< evidence article_id is 0 until stored
};

/// Splits text into sentences (abbreviation- and quote-aware). Thread-safe.
std::vector<Sentence> split_sentences(std::string_view text);

/// Numbers written in digits or words ("three", "twenty-two", "1,200"); nullopt otherwise.
std::optional<long> parse_number_word(std::string_view word);

/// Resolves a date phrase relative to a published date: "Tuesday", "yesterday", "February 24",
/// "24 February 2022", "last week" (time precision 2). Returns {date, precision} or nullopt.
std::optional<std::pair<std::string, int>> resolve_date(std::string_view sentence,
                                                        const std::string& published);

/// Turns news text into ACLED-style incidents, each with its evidence sentence(s).
/// Thread-safe after construction; the gazetteer must outlive it.
class Extractor {
public:
    /// `options` are the geoparser's (e.g. the deployment's focus countries).
    explicit Extractor(const gazetteer::Gazetteer& gazetteer,
                       gazetteer::GeoparseOptions options = {});

    /// Throws InvalidInput for empty, non-UTF-8 or over-long (> 5 MiB) text or a bad date.
    [[nodiscard]] Extraction extract(const ArticleInput& input) const;

    [[nodiscard]] const gazetteer::Gazetteer& gazetteer() const noexcept { return *m_gazetteer; }

private:
    const gazetteer::Gazetteer* m_gazetteer;
    gazetteer::Geoparser m_geoparser;
};

/// The outcome of ingesting one article.
struct IngestResult {
    std::int64_t article_id = 0;
    bool existed = false;    ///< the article was stored before: nothing changed
    std::size_t created = 0; ///< new incidents
    std::size_t merged = 0;  ///< incidents that matched an existing one (evidence added)
    std::vector<std::int64_t> incident_ids;
    /// Names the gazetteer lacks, placed at the region or district that qualifies them, as
    /// "Ozarianivka (Donetsk)": what an analyst may want to place by hand.
    std::vector<std::string> unplaced;
};

/// Stores the article and its incidents; a duplicate (same date, place, type) of a stored
/// incident is merged into it. Re-ingesting the same article changes nothing.
IngestResult ingest(IncidentStore& store, const Extractor& extractor, const ArticleInput& input);

} // namespace incidentmap::incidents
