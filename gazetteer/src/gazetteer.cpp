#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/geo/geodesic.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/sqlite/sqlite.hpp"
#include "incidentmap/text/utf8.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace incidentmap::gazetteer {

const char* to_string(PlaceKind kind) noexcept {
    switch (kind) {
    case PlaceKind::place:
        return "place";
    case PlaceKind::admin2:
        return "admin2";
    case PlaceKind::admin1:
        return "admin1";
    case PlaceKind::country:
        return "country";
    }
    return "place";
}

const char* kind_name(const Place& place) noexcept {
    return place.feature_code == "CONT" ? "continent" : to_string(place.kind);
}

namespace {

constexpr std::uint32_t primary_bit = 0x80000000u;

std::uint32_t posting_index(std::uint32_t posting) noexcept {
    return posting & ~primary_bit;
}

std::int64_t cell_key(geo::LonLat p) noexcept {
    auto x = static_cast<std::int64_t>(std::floor(p.lon + 180.0));
    auto y = static_cast<std::int64_t>(std::floor(p.lat + 90.0));
    return y * 1000 + x;
}

// Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`.
std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    if (a.size() > b.size()) {
        std::swap(a, b);
    }
    if (b.size() - a.size() > limit) {
        return limit + 1;
    }
    std::vector<std::size_t> prev(a.size() + 1);
    std::vector<std::size_t> cur(a.size() + 1);
    for (std::size_t i = 0; i <= a.size(); ++i) {
        prev[i] = i;
    }
    for (std::size_t j = 1; j <= b.size(); ++j) {
        cur[0] = j;
        std::size_t row_min = cur[0];
        for (std::size_t i = 1; i <= a.size(); ++i) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[i] = std::min({prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + cost});
            row_min = std::min(row_min, cur[i]);
        }
        if (row_min > limit) {
            return limit + 1;
        }
        std::swap(prev, cur);
    }
    return prev[a.size()];
}

// Refuses a file that is not whole before SQLite reads it: a truncated SQLite file opens, and
// its missing pages read as empty, so a gazetteer cut short would answer fewer places, not fail.
// The header (https://sqlite.org/fileformat.html) says how many pages the file holds.
void check_file_header(const std::string& path) {
    const std::string rebuild = "; rebuild it with 'incidentmap gazetteer build'";
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 100> h{};
    in.read(reinterpret_cast<char*>(h.data()), h.size());
    if (!in || std::memcmp(h.data(), "SQLite format 3", 16) != 0) {
        throw StorageError("gazetteer file '" + path +
                           "' is not a gazetteer (its header is not an SQLite file's: corrupt "
                           "or another kind of file)" +
                           rebuild);
    }
    auto be32 = [&](std::size_t at) {
        return (std::uint32_t{h[at]} << 24) | (std::uint32_t{h[at + 1]} << 16) |
               (std::uint32_t{h[at + 2]} << 8) | std::uint32_t{h[at + 3]};
    };
    const std::uint32_t raw_page = (std::uint32_t{h[16]} << 8) | h[17];
    const std::uint64_t page_size = raw_page == 1 ? 65536 : raw_page;
    // The page count is valid when the "version-valid-for" number matches the change counter.
    const std::uint64_t pages = be32(92) == be32(24) ? be32(28) : 0;
    const auto size = static_cast<std::uint64_t>(std::filesystem::file_size(path));
    if (page_size < 512 || size < page_size * pages || size % page_size != 0) {
        throw StorageError("gazetteer file '" + path + "' is truncated or damaged (" +
                           std::to_string(size) + " bytes, its header says " +
                           std::to_string(page_size * pages) + ")" + rebuild);
    }
}

} // namespace

struct Gazetteer::Impl {
    std::vector<Place> places;
    std::vector<std::string> names;     // sorted distinct normalised names
    std::vector<std::uint32_t> offsets; // names[i] -> postings[offsets[i] .. offsets[i+1])
    std::vector<std::vector<std::uint32_t>> postings;
    std::unordered_map<std::string_view, std::uint32_t> exact;
    std::unordered_map<std::int64_t, std::uint32_t> by_id;
    std::unordered_map<std::string, std::uint32_t> admin1;
    std::unordered_map<std::string, std::uint32_t> country;
    std::map<std::string, geo::MultiPolygon, std::less<>> shapes;
    std::map<std::string, geo::BBox, std::less<>> shape_boxes;
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> grid;  // populated places
    std::unordered_map<std::string, std::vector<std::uint32_t>> inside; // by region key
    std::vector<std::vector<std::uint32_t>> names_of; // by place: indices into names
    std::unordered_set<std::string> words;
    std::string attribution;
};

Gazetteer::Gazetteer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer& Gazetteer::operator=(Gazetteer&&) noexcept = default;
Gazetteer::~Gazetteer() = default;

Gazetteer Gazetteer::open(const std::string& path) {
    if (!std::filesystem::exists(path)) {
        throw NotFound("gazetteer file '" + path +
                       "' does not exist; build it with 'incidentmap gazetteer build'");
    }
    check_file_header(path);
    sqlite::Database db(path, sqlite::Database::Mode::read_only);
    auto impl = std::make_unique<Impl>();
    try {
        auto meta = db.prepare("SELECT key, value FROM meta");
        while (meta.step()) {
            if (meta.text(0) == "attribution") {
                impl->attribution = std::string(meta.text(1));
            }
        }
    } catch (const StorageError&) {
        throw StorageError("'" + path + "' is not an incidentmap gazetteer (no meta table)");
    }
    auto places = db.prepare("SELECT idx, id, name, lon, lat, fclass, fcode, country, admin1, "
                             "admin2, population, kind FROM places ORDER BY idx");
    while (places.step()) {
        Place p;
        p.id = places.int64(1);
        p.name = std::string(places.text(2));
        p.point = {places.real(3), places.real(4)};
        auto fc = places.text(5);
        p.feature_class = fc.empty() ? 'P' : fc[0];
        p.feature_code = std::string(places.text(6));
        p.country = std::string(places.text(7));
        p.admin1 = std::string(places.text(8));
        p.admin2 = std::string(places.text(9));
        p.population = places.int64(10);
        p.kind = static_cast<PlaceKind>(places.int64(11));
        auto idx = static_cast<std::uint32_t>(impl->places.size());
        impl->by_id.emplace(p.id, idx);
        if (p.kind == PlaceKind::admin1) {
            impl->admin1.emplace(p.country + "." + p.admin1, idx);
            impl->inside[p.country].push_back(idx);
        } else if (p.kind == PlaceKind::country) {
            if (!p.country.empty()) { // continents have no code
                impl->country.emplace(p.country, idx);
            }
        } else if (p.kind == PlaceKind::place && p.feature_class == 'P') {
            impl->grid[cell_key(p.point)].push_back(idx);
        }
        if ((p.kind == PlaceKind::place || p.kind == PlaceKind::admin2) && !p.admin1.empty()) {
            impl->inside[p.country + "." + p.admin1].push_back(idx);
        }
        impl->places.push_back(std::move(p));
    }
    auto names = db.prepare("SELECT norm, place, is_primary FROM names ORDER BY rowid");
    impl->names_of.resize(impl->places.size());
    while (names.step()) {
        auto norm = names.text(0);
        auto posting =
            static_cast<std::uint32_t>(names.int64(1)) | (names.int64(2) ? primary_bit : 0u);
        if (impl->names.empty() || impl->names.back() != norm) {
            impl->names.emplace_back(norm);
            impl->postings.emplace_back();
        }
        impl->postings.back().push_back(posting);
        if (posting_index(posting) < impl->names_of.size()) {
            auto& own = impl->names_of[posting_index(posting)];
            const auto name_index = static_cast<std::uint32_t>(impl->names.size() - 1);
            if (posting & primary_bit) {
                own.insert(own.begin(), name_index);
            } else {
                own.push_back(name_index);
            }
        }
    }
    impl->exact.reserve(impl->names.size());
    for (std::uint32_t i = 0; i < impl->names.size(); ++i) {
        impl->exact.emplace(impl->names[i], i);
    }
    auto shapes = db.prepare("SELECT country, geojson FROM shapes");
    while (shapes.step()) {
        auto g = geo::parse_geojson_geometry(shapes.text(1), 10000000);
        geo::MultiPolygon mp;
        if (auto* poly = std::get_if<geo::Polygon>(&g)) {
            mp.polygons.push_back(*poly);
        } else if (auto* m = std::get_if<geo::MultiPolygon>(&g)) {
            mp = std::move(*m);
        }
        std::string iso(shapes.text(0));
        impl->shape_boxes[iso] = geo::bounds(geo::Geometry{mp});
        impl->shapes.emplace(iso, std::move(mp));
    }
    auto words = db.prepare("SELECT word FROM words");
    while (words.step()) {
        impl->words.emplace(words.text(0));
    }
    if (impl->places.empty()) {
        throw StorageError("gazetteer '" + path + "' holds no places");
    }
    return Gazetteer(std::move(impl));
}

double Gazetteer::prior(const Place& p) noexcept {
    switch (p.kind) {
    case PlaceKind::country:
        return 12.0;
    case PlaceKind::admin1:
        return 6.5;
    case PlaceKind::admin2:
        return 4.0;
    case PlaceKind::place:
        break;
    }
    double s = std::log10(static_cast<double>(std::max<std::int64_t>(p.population, 0)) + 1.0);
    const auto& c = p.feature_code;
    if (c == "PPLC") {
        s += 2.5;
    } else if (c == "PPLA") {
        s += 1.5;
    } else if (c == "PPLA2") {
        s += 0.7;
    } else if (c == "PPLA3" || c == "PPLA4") {
        s += 0.3;
    } else if (c == "PPLX" || c == "PPLH" || c == "PPLQ" || c == "PPLW") {
        s -= 1.5; // sections of cities, historical and abandoned places
    }
    if (p.feature_class == 'L') {
        s += 2.0; // named regions (Donbas, Siberia) are rarely populated places
    }
    return s;
}

const std::vector<std::uint32_t>* Gazetteer::find_normalized(std::string_view normalized) const {
    auto it = m_impl->exact.find(normalized);
    if (it == m_impl->exact.end()) {
        return nullptr;
    }
    return &m_impl->postings[it->second];
}

bool Gazetteer::has_longer_name(std::string_view prefix) const {
    std::string key(prefix);
    key.push_back(' ');
    auto it = std::lower_bound(m_impl->names.begin(), m_impl->names.end(), key);
    return it != m_impl->names.end() && it->compare(0, key.size(), key) == 0;
}

std::vector<Candidate> Gazetteer::lookup(std::string_view name,
                                         const LookupOptions& options) const {
    if (name.size() > 300) {
        throw InvalidInput("place name too long (at most 300 bytes)");
    }
    if (!text::is_valid_utf8(name)) {
        throw InvalidInput("place name is not valid UTF-8");
    }
    std::string norm = normalize_name(name);
    if (norm.rfind("the ", 0) == 0) {
        norm.erase(0, 4);
    }
    if (norm.empty()) {
        throw InvalidInput("place name is empty (after removing punctuation)");
    }
    if (options.limit == 0 || options.limit > 1000) {
        throw InvalidInput("limit must be between 1 and 1000");
    }
    std::vector<Candidate> out;
    std::unordered_map<std::uint32_t, std::size_t> seen; // place index -> position in out
    auto consider = [&](std::uint32_t posting, const std::string& matched, double penalty,
                        const char* how) {
        std::uint32_t idx = posting & ~primary_bit;
        const Place& p = m_impl->places[idx];
        if (!options.country.empty() && p.country != options.country) {
            return;
        }
        if (options.feature_class && p.feature_class != *options.feature_class) {
            return;
        }
        if (options.bbox && !options.bbox->contains(p.point)) {
            return;
        }
        double pr = prior(p);
        double score = pr - penalty + ((posting & primary_bit) ? 0.3 : 0.0);
        std::string reason = std::string(how) + " match of '" + matched + "' (" +
                             ((posting & primary_bit) ? "main name" : "alternate name") + "); " +
                             to_string(p.kind) + " " + p.feature_code + ", population " +
                             std::to_string(p.population);
        if (options.near) {
            double km = geo::distance_m(*options.near, p.point) / 1000.0;
            score -= std::log10(1.0 + km) * 1.5;
            reason += ", " + std::to_string(static_cast<long>(km)) + " km from the bias point";
        }
        // A place reached through several names keeps its best match.
        if (auto it = seen.find(idx); it != seen.end()) {
            if (out[it->second].score < score) {
                out[it->second] = {&p, score, matched, std::move(reason)};
            }
            return;
        }
        seen.emplace(idx, out.size());
        out.push_back({&p, score, matched, std::move(reason)});
    };
    using Match = LookupOptions::Match;
    if (options.match == Match::exact || options.match == Match::any) {
        if (const auto* post = find_normalized(norm)) {
            for (auto posting : *post) {
                consider(posting, norm, 0.0, "exact");
            }
        }
    }
    if (options.match == Match::prefix) {
        auto it = std::lower_bound(m_impl->names.begin(), m_impl->names.end(), norm);
        std::size_t scanned = 0;
        for (;
             it != m_impl->names.end() && it->compare(0, norm.size(), norm) == 0 && scanned < 20000;
             ++it, ++scanned) {
            double penalty = 0.1 * static_cast<double>(it->size() - norm.size());
            for (auto posting :
                 m_impl->postings[static_cast<std::size_t>(it - m_impl->names.begin())]) {
                consider(posting, *it, std::min(penalty, 2.0),
                         it->size() == norm.size() ? "exact" : "prefix");
            }
        }
    }
    if (options.match == Match::fuzzy || (options.match == Match::any && out.empty())) {
        if (norm.size() >= 5) {
            const std::size_t limit = norm.size() >= 8 ? 2 : 1;
            for (std::size_t i = 0; i < m_impl->names.size(); ++i) {
                const auto& cand = m_impl->names[i];
                if (cand.size() + limit < norm.size() || cand.size() > norm.size() + limit) {
                    continue;
                }
                auto d = bounded_edit_distance(norm, cand, limit);
                if (d <= limit && d > 0) {
                    for (auto posting : m_impl->postings[i]) {
                        consider(posting, cand, 2.5 * static_cast<double>(d),
                                 d == 1 ? "fuzzy (1 edit)" : "fuzzy (2 edits)");
                    }
                }
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
        if (a.score != b.score) {
            return a.score > b.score;
        }
        return a.place->id < b.place->id;
    });
    if (out.size() > options.limit) {
        out.resize(options.limit);
    }
    return out;
}

const Place& Gazetteer::place(std::uint32_t index) const {
    return m_impl->places.at(index);
}
std::uint32_t Gazetteer::index_of(const Place& place) const noexcept {
    return static_cast<std::uint32_t>(&place - m_impl->places.data());
}

std::vector<std::string_view> Gazetteer::names_of(std::uint32_t index) const {
    std::vector<std::string_view> out;
    for (auto n : m_impl->names_of.at(index)) {
        out.emplace_back(m_impl->names[n]);
    }
    return out;
}

const std::vector<std::uint32_t>& Gazetteer::places_in(std::string_view region_key) const {
    static const std::vector<std::uint32_t> none;
    auto it = m_impl->inside.find(std::string(region_key));
    return it == m_impl->inside.end() ? none : it->second;
}

std::size_t Gazetteer::size() const noexcept {
    return m_impl->places.size();
}

const Place* Gazetteer::by_id(std::int64_t id) const {
    auto it = m_impl->by_id.find(id);
    return it == m_impl->by_id.end() ? nullptr : &m_impl->places[it->second];
}

const Place* Gazetteer::admin1(std::string_view key) const {
    auto it = m_impl->admin1.find(std::string(key));
    return it == m_impl->admin1.end() ? nullptr : &m_impl->places[it->second];
}

const Place* Gazetteer::country(std::string_view iso2) const {
    auto it = m_impl->country.find(std::string(iso2));
    return it == m_impl->country.end() ? nullptr : &m_impl->places[it->second];
}

const geo::MultiPolygon* Gazetteer::country_shape(std::string_view iso2) const {
    auto it = m_impl->shapes.find(iso2);
    return it == m_impl->shapes.end() ? nullptr : &it->second;
}

const Place* Gazetteer::country_at(geo::LonLat p) const {
    for (const auto& [iso, box] : m_impl->shape_boxes) {
        if (box.contains(p) && geo::contains(m_impl->shapes.find(iso)->second, p)) {
            return country(iso);
        }
    }
    return nullptr;
}

ReverseResult Gazetteer::reverse(geo::LonLat p) const {
    if (!p.valid()) {
        throw InvalidInput("reverse geocoding needs a valid lon,lat");
    }
    ReverseResult r;
    double best = 1e300;
    // Search growing rings of 1-degree cells until a place is found and the ring is farther
    // than the best distance.
    for (int radius = 0; radius <= 60; ++radius) {
        for (int dy = -radius; dy <= radius; ++dy) {
            for (int dx = -radius; dx <= radius; ++dx) {
                if (std::max(std::abs(dx), std::abs(dy)) != radius) {
                    continue;
                }
                double lon = p.lon + dx;
                if (lon < -180.0) {
                    lon += 360.0;
                } else if (lon >= 180.0) {
                    lon -= 360.0;
                }
                double lat = p.lat + dy;
                if (lat < -90.0 || lat > 90.0) {
                    continue;
                }
                auto it = m_impl->grid.find(cell_key({lon, lat}));
                if (it == m_impl->grid.end()) {
                    continue;
                }
                for (auto idx : it->second) {
                    double d = geo::distance_m(p, m_impl->places[idx].point);
                    if (d < best) {
                        best = d;
                        r.place = &m_impl->places[idx];
                    }
                }
            }
        }
        // A ring at Chebyshev distance `radius` cells is at least (radius - 1) * ~20 km away
        // at high latitudes; stop once that exceeds the best found.
        if (r.place && best < (radius)*20000.0) {
            break;
        }
    }
    if (r.place) {
        r.distance_m = best;
        r.admin1 = admin1(r.place->admin1_key());
    }
    r.country = country_at(p);
    if (!r.country && r.place) {
        r.country = country(r.place->country);
    }
    return r;
}

bool Gazetteer::is_common_word(std::string_view lower) const {
    return m_impl->words.count(std::string(lower)) > 0;
}

std::string Gazetteer::attribution() const {
    return m_impl->attribution;
}

const Place* find_region(const Gazetteer& gz, std::string_view spec, PlaceKind kind) {
    if (kind == PlaceKind::country) {
        if (const auto* c = gz.country(spec)) {
            return c;
        }
    } else if (const auto* a = gz.admin1(spec)) {
        return a;
    }
    if (spec.empty() || spec.size() > 100) {
        return nullptr;
    }
    LookupOptions opt;
    opt.match = LookupOptions::Match::exact;
    opt.limit = 50;
    for (const auto& c : gz.lookup(spec, opt)) {
        if (c.place->kind == kind && !c.place->country.empty()) {
            return c.place;
        }
    }
    return nullptr;
}

} // namespace incidentmap::gazetteer
