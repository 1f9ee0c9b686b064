#include "incidentmap/geo/types.hpp"
#include "incidentmap/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace incidentmap::geo {

bool LonLat::valid() const noexcept {
    return std::isfinite(lon) && std::isfinite(lat) && lon >= -180.0 && lon <= 180.0 &&
           lat >= -90.0 && lat <= 90.0;
}

bool BBox::valid() const noexcept {
    return LonLat{min_lon, min_lat}.valid() && LonLat{max_lon, max_lat}.valid() &&
           min_lat <= max_lat;
}

bool BBox::contains(LonLat p) const noexcept {
    if (p.lat < min_lat || p.lat > max_lat) {
        return false;
    }
    if (crosses_antimeridian()) {
        return p.lon >= min_lon || p.lon <= max_lon;
    }
    return p.lon >= min_lon && p.lon <= max_lon;
}

BBox BBox::empty() noexcept {
    constexpr double inf = std::numeric_limits<double>::infinity();
    return BBox{inf, inf, -inf, -inf};
}

void BBox::extend(LonLat p) noexcept {
    min_lon = std::min(min_lon, p.lon);
    min_lat = std::min(min_lat, p.lat);
    max_lon = std::max(max_lon, p.lon);
    max_lat = std::max(max_lat, p.lat);
}

std::optional<double> parse_double(std::string_view text) noexcept {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    if (text.front() == '+') {
        text.remove_prefix(1);
    }
    double value = 0.0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto pos = text.find(sep, start);
        parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos) {
            break;
        }
        start = pos + 1;
    }
    return parts;
}

} // namespace

BBox parse_bbox(const std::string& text) {
    auto parts = split(text, ',');
    if (parts.size() != 4 && parts.size() != 6) {
        throw InvalidInput("bbox must be four comma-separated numbers minLon,minLat,maxLon,maxLat "
                           "(or six, with heights after each corner's latitude); got '" +
                           text.substr(0, 200) + "'");
    }
    std::vector<double> v;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto d = parse_double(parts[i]);
        if (!d) {
            throw InvalidInput("bbox value " + std::to_string(i + 1) + " ('" +
                               std::string(parts[i].substr(0, 50)) + "') is not a finite number");
        }
        v.push_back(*d);
    }
    // OGC API - Features allows a 3D box (minLon,minLat,minHeight,maxLon,maxLat,maxHeight):
    // incidents have no height, so the heights select nothing out.
    if (v.size() == 6) {
        v = {v[0], v[1], v[3], v[4]};
    }
    BBox box{v[0], v[1], v[2], v[3]};
    if (!LonLat{box.min_lon, box.min_lat}.valid() || !LonLat{box.max_lon, box.max_lat}.valid()) {
        throw InvalidInput("bbox is out of range: longitudes must be within [-180,180] and "
                           "latitudes within [-90,90]");
    }
    if (box.min_lat > box.max_lat) {
        throw InvalidInput("bbox minLat is greater than maxLat");
    }
    return box;
}

LonLat parse_lonlat(const std::string& text) {
    auto parts = split(text, ',');
    if (parts.size() != 2) {
        throw InvalidInput("a position must be 'lon,lat'; got '" + text.substr(0, 200) + "'");
    }
    auto lon = parse_double(parts[0]);
    auto lat = parse_double(parts[1]);
    if (!lon || !lat) {
        throw InvalidInput("a position must be two finite numbers 'lon,lat'; got '" +
                           text.substr(0, 200) + "'");
    }
    LonLat p{*lon, *lat};
    if (!p.valid()) {
        throw InvalidInput(
            "position out of range: lon must be within [-180,180], lat within [-90,90]");
    }
    return p;
}

namespace {

bool ring_contains(const Ring& ring, LonLat p) noexcept {
    bool inside = false;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const auto& a = ring[i];
        const auto& b = ring[j];
        if ((a.lat > p.lat) != (b.lat > p.lat)) {
            double x = (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon;
            if (p.lon < x) {
                inside = !inside;
            }
        }
    }
    return inside;
}

double ring_area(const Ring& ring) noexcept {
    double a = 0.0;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        a += (ring[j].lon * ring[i].lat) - (ring[i].lon * ring[j].lat);
    }
    return a / 2.0;
}

const Polygon* largest(const MultiPolygon& mp) noexcept {
    const Polygon* best = nullptr;
    double best_area = -1.0;
    for (const auto& poly : mp.polygons) {
        if (poly.rings.empty() || poly.rings.front().size() < 3) {
            continue;
        }
        double a = std::abs(ring_area(poly.rings.front()));
        if (a > best_area) {
            best_area = a;
            best = &poly;
        }
    }
    return best;
}

} // namespace

bool contains(const Polygon& polygon, LonLat p) noexcept {
    bool inside = false;
    for (const auto& ring : polygon.rings) {
        if (ring.size() >= 3 && ring_contains(ring, p)) {
            inside = !inside;
        }
    }
    return inside;
}

bool contains(const MultiPolygon& mp, LonLat p) noexcept {
    return std::any_of(mp.polygons.begin(), mp.polygons.end(),
                       [&](const Polygon& poly) { return contains(poly, p); });
}

bool contains(const Geometry& g, LonLat p) noexcept {
    if (const auto* pt = std::get_if<LonLat>(&g)) {
        return *pt == p;
    }
    if (const auto* poly = std::get_if<Polygon>(&g)) {
        return contains(*poly, p);
    }
    return contains(std::get<MultiPolygon>(g), p);
}

BBox bounds(const Geometry& g) noexcept {
    BBox box = BBox::empty();
    if (const auto* pt = std::get_if<LonLat>(&g)) {
        box.extend(*pt);
        return box;
    }
    auto add_poly = [&](const Polygon& poly) {
        for (const auto& ring : poly.rings) {
            for (const auto& p : ring) {
                box.extend(p);
            }
        }
    };
    if (const auto* poly = std::get_if<Polygon>(&g)) {
        add_poly(*poly);
    } else {
        for (const auto& poly : std::get<MultiPolygon>(g).polygons) {
            add_poly(poly);
        }
    }
    return box;
}

LonLat centroid(const MultiPolygon& mp) noexcept {
    const Polygon* poly = largest(mp);
    if (poly == nullptr) {
        return {};
    }
    const Ring& ring = poly->rings.front();
    double area = ring_area(ring);
    if (std::abs(area) < 1e-12) {
        double sx = 0.0;
        double sy = 0.0;
        for (const auto& p : ring) {
            sx += p.lon;
            sy += p.lat;
        }
        return {sx / static_cast<double>(ring.size()), sy / static_cast<double>(ring.size())};
    }
    double cx = 0.0;
    double cy = 0.0;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        double f = ring[j].lon * ring[i].lat - ring[i].lon * ring[j].lat;
        cx += (ring[j].lon + ring[i].lon) * f;
        cy += (ring[j].lat + ring[i].lat) * f;
    }
    return {cx / (6.0 * area), cy / (6.0 * area)};
}

LonLat representative_point(const MultiPolygon& mp) noexcept {
    LonLat c = centroid(mp);
    const Polygon* poly = largest(mp);
    if (poly == nullptr || contains(*poly, c)) {
        return c;
    }
    // Scan horizontal lines near the centroid's latitude for the widest inside span.
    BBox box = bounds(Geometry{*poly});
    double best_width = -1.0;
    LonLat best = c;
    for (int step = 0; step <= 40; ++step) {
        // Lines alternate above and below the centroid: 0, +1, -1, +2, ... fortieths.
        double t =
            (step % 2 == 0 ? 1 : -1) * (step / 2) / 40.0; // NOLINT(bugprone-integer-division)
        double lat = c.lat + t * (box.max_lat - box.min_lat);
        if (lat <= box.min_lat || lat >= box.max_lat) {
            continue;
        }
        std::vector<double> xs;
        for (const auto& ring : poly->rings) {
            const std::size_t n = ring.size();
            for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
                const auto& a = ring[i];
                const auto& b = ring[j];
                if ((a.lat > lat) != (b.lat > lat)) {
                    xs.push_back((b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat) + a.lon);
                }
            }
        }
        std::sort(xs.begin(), xs.end());
        for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
            double w = xs[i + 1] - xs[i];
            if (w > best_width) {
                best_width = w;
                best = {(xs[i] + xs[i + 1]) / 2.0, lat};
            }
        }
        if (best_width > 0 && step > 6) {
            break;
        }
    }
    return best;
}

} // namespace incidentmap::geo
