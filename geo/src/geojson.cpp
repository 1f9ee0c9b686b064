#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/text/utf8.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cmath>
#include <cstdio>

namespace incidentmap::geo {

namespace {

using nlohmann::json;

struct Budget {
    std::size_t left;
    std::size_t limit; ///< what `left` started from, for the error message
};

LonLat read_position(const json& j, const std::string& where) {
    if (!j.is_array() || j.size() < 2 || j.size() > 3) {
        throw InvalidInput(where + ": a position must be an array [lon, lat] (optionally with "
                                   "an elevation)");
    }
    if (!j[0].is_number() || !j[1].is_number()) {
        throw InvalidInput(where + ": position values must be numbers");
    }
    LonLat p{j[0].get<double>(), j[1].get<double>()};
    if (!p.valid()) {
        throw InvalidInput(where + ": position out of range (lon must be within [-180,180], lat "
                                   "within [-90,90], both finite)");
    }
    return p;
}

Ring read_ring(const json& j, const std::string& where, Budget& budget) {
    if (!j.is_array()) {
        throw InvalidInput(where + ": a linear ring must be an array of positions");
    }
    if (j.size() < 4) {
        throw InvalidInput(where + ": a linear ring needs at least 4 positions");
    }
    if (j.size() > budget.left) {
        throw InvalidInput(where + ": too many vertices (the limit is " +
                           std::to_string(budget.limit) + " in all, to keep queries fast)");
    }
    budget.left -= j.size();
    Ring ring;
    ring.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
        ring.push_back(read_position(j[i], where + "[" + std::to_string(i) + "]"));
    }
    if (!(ring.front() == ring.back())) {
        throw InvalidInput(where + ": a linear ring must be closed (first position == last)");
    }
    ring.pop_back();
    return ring;
}

Polygon read_polygon(const json& j, const std::string& where, Budget& budget) {
    if (!j.is_array() || j.empty()) {
        throw InvalidInput(where + ": Polygon coordinates must be a non-empty array of rings");
    }
    Polygon poly;
    for (std::size_t i = 0; i < j.size(); ++i) {
        poly.rings.push_back(read_ring(j[i], where + "[" + std::to_string(i) + "]", budget));
    }
    return poly;
}

} // namespace

Geometry geometry_from_json(const json& j, std::size_t max_vertices, const std::string& where) {
    if (!j.is_object()) {
        throw InvalidInput(where + ": a GeoJSON geometry must be an object");
    }
    auto type_it = j.find("type");
    if (type_it == j.end() || !type_it->is_string()) {
        throw InvalidInput(where + ": missing string member 'type'");
    }
    const std::string type = type_it->get<std::string>();
    if (type == "Feature") {
        auto g = j.find("geometry");
        if (g == j.end()) {
            throw InvalidInput(where + ": Feature without 'geometry'");
        }
        return geometry_from_json(*g, max_vertices, where + ".geometry");
    }
    auto coords = j.find("coordinates");
    if (coords == j.end()) {
        throw InvalidInput(where + ": missing member 'coordinates'");
    }
    Budget budget{max_vertices, max_vertices};
    if (type == "Point") {
        return read_position(*coords, where + ".coordinates");
    }
    if (type == "Polygon") {
        return read_polygon(*coords, where + ".coordinates", budget);
    }
    if (type == "MultiPolygon") {
        if (!coords->is_array() || coords->empty()) {
            throw InvalidInput(where + ".coordinates: MultiPolygon needs an array of polygons");
        }
        MultiPolygon mp;
        for (std::size_t i = 0; i < coords->size(); ++i) {
            mp.polygons.push_back(read_polygon(
                (*coords)[i], where + ".coordinates[" + std::to_string(i) + "]", budget));
        }
        return mp;
    }
    throw InvalidInput(where + ": unsupported geometry type '" + type.substr(0, 40) +
                       "' (expected Point, Polygon or MultiPolygon)");
}

Geometry parse_geojson_geometry(std::string_view text, std::size_t max_vertices) {
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        throw InvalidInput(std::string("malformed GeoJSON: ") + e.what());
    }
    return geometry_from_json(j, max_vertices);
}

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        // Fast path: copy the run of printable ASCII that needs no escaping in one go,
        // scanning 16 bytes at a time where SSE2 is there (every x86-64).
        std::size_t run = i;
#if defined(__SSE2__)
        {
            const __m128i quote = _mm_set1_epi8('"');
            const __m128i backslash = _mm_set1_epi8('\\');
            const __m128i space = _mm_set1_epi8(0x20);
            const __m128i del = _mm_set1_epi8(0x7f);
            while (run + 16 <= n) {
                const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + run));
                // Signed compare: bytes below 0x20 and from 0x80 on are both "less than".
                const __m128i special = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                    _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)));
                const int mask = _mm_movemask_epi8(special);
                if (mask != 0) {
                    run += static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
                    break;
                }
                run += 16;
            }
        }
#endif
        while (run < n) {
            auto r = static_cast<unsigned char>(s[run]);
            if (r < 0x20 || r >= 0x7f || r == '"' || r == '\\') {
                break;
            }
            ++run;
        }
        if (run > i) {
            out.append(s.data() + i, run - i);
            i = run;
            continue;
        }
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out.push_back(hex[c >> 4]);
                    out.push_back(hex[c & 0xF]);
                } else {
                    out.push_back(static_cast<char>(c));
                }
            }
            ++i;
            continue;
        }
        // Copy a whole valid multi-byte sequence, or emit U+FFFD for an invalid byte.
        std::size_t len = (c & 0xE0) == 0xC0   ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 0;
        if (len != 0 && i + len <= n && text::is_valid_utf8(s.substr(i, len))) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    out.push_back('"');
}

void append_coordinate(std::string& out, double value) {
    // Fixed point with 6 decimals (about 0.1 m), trailing zeros dropped; no printf on the hot path.
    const double scaled = std::round(value * 1e6);
    if (!std::isfinite(scaled) || std::abs(scaled) > 9e15) {
        char buf[64];
        int len = std::snprintf(buf, sizeof buf, "%.6f", value);
        out.append(buf, static_cast<std::size_t>(std::max(len, 0)));
        return;
    }
    auto v = static_cast<long long>(scaled);
    const bool negative = v < 0;
    if (negative) {
        v = -v;
    }
    const long long integer = v / 1000000;
    long long fraction = v % 1000000;
    if (negative && v != 0) {
        out.push_back('-');
    }
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, integer);
    out.append(buf, end);
    if (fraction != 0) {
        char digits[6];
        for (int k = 5; k >= 0; --k) {
            digits[k] = static_cast<char>('0' + fraction % 10);
            fraction /= 10;
        }
        int len = 6;
        while (len > 0 && digits[len - 1] == '0') {
            --len;
        }
        out.push_back('.');
        out.append(digits, static_cast<std::size_t>(len));
    }
}

void append_position(std::string& out, LonLat p) {
    out.push_back('[');
    append_coordinate(out, p.lon);
    out.push_back(',');
    append_coordinate(out, p.lat);
    out.push_back(']');
}

namespace {

void append_polygon_coords(std::string& out, const Polygon& poly) {
    out.push_back('[');
    for (std::size_t r = 0; r < poly.rings.size(); ++r) {
        if (r) {
            out.push_back(',');
        }
        out.push_back('[');
        const auto& ring = poly.rings[r];
        for (std::size_t i = 0; i <= ring.size(); ++i) {
            if (i) {
                out.push_back(',');
            }
            append_position(out, ring[i % ring.size()]);
        }
        out.push_back(']');
    }
    out.push_back(']');
}

} // namespace

void append_geometry(std::string& out, const Geometry& g) {
    if (const auto* p = std::get_if<LonLat>(&g)) {
        out += R"({"type":"Point","coordinates":)";
        append_position(out, *p);
        out.push_back('}');
    } else if (const auto* poly = std::get_if<Polygon>(&g)) {
        out += R"({"type":"Polygon","coordinates":)";
        append_polygon_coords(out, *poly);
        out.push_back('}');
    } else {
        out += R"({"type":"MultiPolygon","coordinates":[)";
        const auto& mp = std::get<MultiPolygon>(g);
        for (std::size_t i = 0; i < mp.polygons.size(); ++i) {
            if (i) {
                out.push_back(',');
            }
            append_polygon_coords(out, mp.polygons[i]);
        }
        out += "]}";
    }
}

} // namespace incidentmap::geo
