#pragma once

#include "incidentmap/geo/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace incidentmap::incidents {

/// The words that support an incident: a character span of a stored article.
struct Evidence {
    std::int64_t article_id = 0;
    std::size_t begin = 0; ///< byte offset in the article text, half-open
    std::size_t end = 0;
    std::string text; ///< the sentence(s) themselves
};

/// One incident, compatible with ACLED's public codebook (see FORMATS.md).
struct Incident {
    std::int64_t id = 0;    ///< assigned by the store
    std::string source_id;  ///< an external id (ACLED event_id_cnty, UCDP id) for de-duplication
    std::string event_date; ///< ISO 8601 date YYYY-MM-DD
    std::optional<std::string> event_time; ///< HH:MM when known
    int time_precision = 1;                ///< 1 day, 2 week, 3 month
    std::string event_type;
    std::string sub_event_type;
    std::string actor1;
    std::string actor2;
    std::string country; ///< ISO 3166-1 alpha-2
    std::string admin1;
    std::string admin2;
    std::string location; ///< the place name as resolved
    std::optional<std::int64_t> geonameid;
    geo::LonLat point;
    int geo_precision = 1; ///< 1 the place, 2 near it / part of a region, 3 region or country
    int fatalities = 0;
    int injured = 0;
    std::string source;
    std::string source_url;
    std::string notes;
    double confidence = 0.5; ///< 0..1
    std::vector<Evidence> evidence;
    std::string created; ///< ISO 8601 UTC timestamps, set by the store
    std::string updated;
    /// Further attributes a source carried that no field holds (ACLED's assoc_actor_1, inter1,
    /// civilian_targeting, tags; a file's own columns), as the text of one JSON object of
    /// strings: kept, so that nothing of an imported row is lost. Empty when there are none.
    std::optional<std::string> attributes;
};

/// The largest attributes object an incident keeps, in bytes of its JSON text.
inline constexpr std::size_t max_attributes_bytes = 65536;

/// A stored news article.
struct Article {
    std::int64_t id = 0;
    std::string text;
    std::string source;
    std::string url;
    std::string title;
    std::string published; ///< YYYY-MM-DD
    std::string text_hash; ///< hex SHA-256 of the text: the same text is the same article
    std::string created;
};

/// The event types of ACLED and their sub-types.
const std::vector<std::pair<std::string, std::vector<std::string>>>& event_types();

/// True when `type` is one of ACLED's six event types. Thread-safe.
bool is_event_type(const std::string& type);

/// True when `sub` is a sub-event type (of any type). Thread-safe.
bool is_sub_event_type(const std::string& sub);

/// True when `date` is a valid calendar date YYYY-MM-DD. Thread-safe.
bool is_iso_date(const std::string& date);

/// Checks an incident before storing: valid date, type, coordinates, precision, counts.
/// Throws InvalidInput naming the field.
void validate(const Incident& incident);

/// A fast, stable hex digest of a text (FNV-1a 64 of the bytes, twice with different seeds),
/// for HTTP entity tags. Not collision-resistant: never a key for identity (text_sha256 is).
std::string text_digest(const std::string& text);

/// The SHA-256 of the text's bytes as 64 lower-case hex digits (an article's text_hash).
/// Thread-safe.
std::string text_sha256(std::string_view text);

} // namespace incidentmap::incidents
