#include "incidentmap/incidents/feature.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace incidentmap::incidents {

using geo::append_json_string;

namespace {

// Each property is written as one literal key piece (",\"name\":") and its value: few calls
// per feature on the export hot path.
inline void key(std::string& out, std::string_view piece) {
    out.append(piece.data(), piece.size());
}

inline void integer(std::string& out, long long value) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, end);
}

inline void text(std::string& out, std::string_view piece, std::string_view value) {
    key(out, piece);
    append_json_string(out, value);
}

inline void number(std::string& out, std::string_view piece, long long value) {
    key(out, piece);
    integer(out, value);
}

// Any feature, each piece appended in turn.
void append_feature_general(std::string& out, const detail::IncidentFields& i) {
    key(out, R"({"type":"Feature","id":)");
    integer(out, i.id);
    key(out, R"(,"geometry":{"type":"Point","coordinates":)");
    geo::append_position(out, i.point);
    key(out, R"(},"properties":{"id":)");
    integer(out, i.id);
    text(out, R"(,"event_date":)", i.event_date);
    if (i.event_time) {
        text(out, R"(,"event_time":)", *i.event_time);
    } else {
        key(out, R"(,"event_time":null)");
    }
    number(out, R"(,"time_precision":)", i.time_precision);
    text(out, R"(,"event_type":)", i.event_type);
    text(out, R"(,"sub_event_type":)", i.sub_event_type);
    text(out, R"(,"actor1":)", i.actor1);
    text(out, R"(,"actor2":)", i.actor2);
    text(out, R"(,"country":)", i.country);
    text(out, R"(,"admin1":)", i.admin1);
    text(out, R"(,"admin2":)", i.admin2);
    text(out, R"(,"location":)", i.location);
    if (i.geonameid) {
        number(out, R"(,"geonameid":)", *i.geonameid);
    } else {
        key(out, R"(,"geonameid":null)");
    }
    number(out, R"(,"geo_precision":)", i.geo_precision);
    number(out, R"(,"fatalities":)", i.fatalities);
    number(out, R"(,"injured":)", i.injured);
    text(out, R"(,"source":)", i.source);
    text(out, R"(,"source_url":)", i.source_url);
    text(out, R"(,"source_id":)", i.source_id);
    text(out, R"(,"notes":)", i.notes);
    key(out, R"(,"confidence":)");
    geo::append_coordinate(out, std::round(i.confidence * 1000.0) / 1000.0);
    key(out, R"(,"evidence":[)");
    for (std::size_t k = 0; k < i.evidence.size(); ++k) {
        const auto& e = i.evidence[k];
        key(out, k ? R"(,{"article_id":)" : R"({"article_id":)");
        integer(out, e.article_id);
        number(out, R"(,"start":)", static_cast<long long>(e.begin));
        number(out, R"(,"end":)", static_cast<long long>(e.end));
        text(out, R"(,"text":)", e.text);
        out.push_back('}');
    }
    out.push_back(']');
    text(out, R"(,"created":)", i.created);
    text(out, R"(,"updated":)", i.updated);
    key(out, "}}");
}

// The bytes append_json_string copies as they are: printable ASCII but '"' and '\\'.
constexpr std::array<bool, 256> plain_bytes = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x7f; ++c) {
        t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    }
    return t;
}();

// Room for every key and punctuation of a feature (about 450 bytes), its integers (20 bytes
// each at most) and coordinates (18 at most), besides the strings themselves.
constexpr std::size_t feature_room = 1024;
// The same for one evidence object.
constexpr std::size_t evidence_room = 128;

// The room a feature takes at most on the plain path.
std::size_t plain_feature_room(const detail::IncidentFields& i) noexcept {
    std::size_t room = feature_room + i.source_id.size() + i.event_date.size() +
                       i.event_type.size() + i.sub_event_type.size() + i.actor1.size() +
                       i.actor2.size() + i.country.size() + i.admin1.size() + i.admin2.size() +
                       i.location.size() + i.source.size() + i.source_url.size() + i.notes.size() +
                       i.created.size() + i.updated.size();
    if (i.event_time) {
        room += i.event_time->size();
    }
    for (const auto& e : i.evidence) {
        room += evidence_room + e.text.size();
    }
    return room;
}

// Writes a feature through a pointer into room made beforehand: the bytes of
// append_feature_general as long as every string is plain (printable ASCII without '"' and
// '\\', copied as it is) and every coordinate ordinary (fixed point, not printf); ok() says
// whether it was such a feature.
class PlainFeatureWriter {
public:
    explicit PlainFeatureWriter(char* at) noexcept : m_at(at) {}
    [[nodiscard]] char* end() const noexcept { return m_at; }
    [[nodiscard]] bool ok() const noexcept { return m_ok; }

    void piece(std::string_view s) noexcept {
        std::memcpy(m_at, s.data(), s.size());
        m_at += s.size();
    }
    void byte(char c) noexcept { *m_at++ = c; }
    void integer(long long value) noexcept { m_at = std::to_chars(m_at, m_at + 20, value).ptr; }
    void text(std::string_view piece_before, std::string_view value) noexcept {
        piece(piece_before);
        byte('"');
        copy_plain(value);
        byte('"');
    }
    void number(std::string_view piece_before, long long value) noexcept {
        piece(piece_before);
        integer(value);
    }
    // geo::append_coordinate: 6 decimals, trailing zeros dropped.
    void coordinate(double value) noexcept {
        const double scaled = std::round(value * 1e6);
        if (!(std::abs(scaled) <= 9e15)) { // not finite, or printf's
            m_ok = false;
            return;
        }
        auto v = static_cast<long long>(scaled);
        const bool negative = v < 0;
        if (negative) {
            v = -v;
        }
        long long fraction = v % 1000000;
        if (negative && v != 0) {
            byte('-');
        }
        integer(v / 1000000);
        if (fraction != 0) {
            char digits[6];
            for (int k = 5; k >= 0; --k) {
                digits[k] = static_cast<char>('0' + fraction % 10);
                fraction /= 10;
            }
            std::size_t len = 6;
            while (digits[len - 1] == '0') {
                --len;
            }
            byte('.');
            piece({digits, len});
        }
    }

private:
    // Copies a string and checks, in the same pass, that it is plain.
    void copy_plain(std::string_view s) noexcept {
        const char* p = s.data();
        const std::size_t n = s.size();
        std::size_t k = 0;
#if defined(__SSE2__)
        if (n >= 16) {
            const __m128i quote = _mm_set1_epi8('"');
            const __m128i backslash = _mm_set1_epi8('\\');
            const __m128i space = _mm_set1_epi8(0x20);
            const __m128i del = _mm_set1_epi8(0x7f);
            __m128i special = _mm_setzero_si128();
            // 16 bytes at a time, the last block overlapping the one before.
            for (;;) {
                k = std::min(k, n - 16);
                const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
                _mm_storeu_si128(reinterpret_cast<__m128i*>(m_at + k), v);
                // Signed compare: bytes below 0x20 and from 0x80 on are both "less than".
                special = _mm_or_si128(
                    special,
                    _mm_or_si128(
                        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                        _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del))));
                k += 16;
                if (k >= n) {
                    break;
                }
            }
            m_ok = m_ok && _mm_movemask_epi8(special) == 0;
            m_at += n;
            return;
        }
#endif
        bool plain = true;
        for (; k < n; ++k) {
            const auto c = static_cast<unsigned char>(p[k]);
            plain = plain && plain_bytes[c];
            m_at[k] = static_cast<char>(c);
        }
        m_ok = m_ok && plain;
        m_at += n;
    }

    char* m_at;
    bool m_ok = true;
};

void write_plain_feature(PlainFeatureWriter& w, const detail::IncidentFields& i) noexcept {
    w.number(R"({"type":"Feature","id":)", i.id);
    w.piece(R"(,"geometry":{"type":"Point","coordinates":[)");
    w.coordinate(i.point.lon);
    w.byte(',');
    w.coordinate(i.point.lat);
    w.number(R"(]},"properties":{"id":)", i.id);
    w.text(R"(,"event_date":)", i.event_date);
    if (i.event_time) {
        w.text(R"(,"event_time":)", *i.event_time);
    } else {
        w.piece(R"(,"event_time":null)");
    }
    w.number(R"(,"time_precision":)", i.time_precision);
    w.text(R"(,"event_type":)", i.event_type);
    w.text(R"(,"sub_event_type":)", i.sub_event_type);
    w.text(R"(,"actor1":)", i.actor1);
    w.text(R"(,"actor2":)", i.actor2);
    w.text(R"(,"country":)", i.country);
    w.text(R"(,"admin1":)", i.admin1);
    w.text(R"(,"admin2":)", i.admin2);
    w.text(R"(,"location":)", i.location);
    if (i.geonameid) {
        w.number(R"(,"geonameid":)", *i.geonameid);
    } else {
        w.piece(R"(,"geonameid":null)");
    }
    w.number(R"(,"geo_precision":)", i.geo_precision);
    w.number(R"(,"fatalities":)", i.fatalities);
    w.number(R"(,"injured":)", i.injured);
    w.text(R"(,"source":)", i.source);
    w.text(R"(,"source_url":)", i.source_url);
    w.text(R"(,"source_id":)", i.source_id);
    w.text(R"(,"notes":)", i.notes);
    w.piece(R"(,"confidence":)");
    w.coordinate(std::round(i.confidence * 1000.0) / 1000.0);
    w.piece(R"(,"evidence":[)");
    for (std::size_t k = 0; k < i.evidence.size(); ++k) {
        const auto& e = i.evidence[k];
        w.number(k ? R"(,{"article_id":)" : R"({"article_id":)", e.article_id);
        w.number(R"(,"start":)", static_cast<long long>(e.begin));
        w.number(R"(,"end":)", static_cast<long long>(e.end));
        w.text(R"(,"text":)", e.text);
        w.byte('}');
    }
    w.byte(']');
    w.text(R"(,"created":)", i.created);
    w.text(R"(,"updated":)", i.updated);
    w.piece("}}");
}

} // namespace

detail::IncidentFields detail::fields_of(const Incident& i) noexcept {
    IncidentFields f;
    f.id = i.id;
    f.source_id = i.source_id;
    f.event_date = i.event_date;
    if (i.event_time) {
        f.event_time = *i.event_time;
    }
    f.time_precision = i.time_precision;
    f.event_type = i.event_type;
    f.sub_event_type = i.sub_event_type;
    f.actor1 = i.actor1;
    f.actor2 = i.actor2;
    f.country = i.country;
    f.admin1 = i.admin1;
    f.admin2 = i.admin2;
    f.location = i.location;
    f.geonameid = i.geonameid;
    f.point = i.point;
    f.geo_precision = i.geo_precision;
    f.fatalities = i.fatalities;
    f.injured = i.injured;
    f.source = i.source;
    f.source_url = i.source_url;
    f.notes = i.notes;
    f.confidence = i.confidence;
    f.evidence = i.evidence;
    f.created = i.created;
    f.updated = i.updated;
    return f;
}

void detail::append_feature(std::string& out, const IncidentFields& i) {
    const std::size_t start = out.size();
    out.resize(start + plain_feature_room(i));
    PlainFeatureWriter w(out.data() + start);
    write_plain_feature(w, i);
    if (w.ok()) {
        out.resize(static_cast<std::size_t>(w.end() - out.data()));
    } else {
        out.resize(start);
        append_feature_general(out, i);
    }
}

void append_feature(std::string& out, const Incident& incident) {
    detail::append_feature(out, detail::fields_of(incident));
}

std::string incident_feature(const Incident& incident) {
    std::string out;
    append_feature(out, incident);
    return out;
}

} // namespace incidentmap::incidents
