// The GeoJSON Feature of an incident: one layout (write_feature) through two writers, a fast
// one for the common case (plain strings, ordinary coordinates) and a general one.

#include "incidentmap/incidents/feature.hpp"
#include "incidentmap/geo/geojson.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <span>
#include <string_view>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace incidentmap::incidents {

using geo::append_json_string;

namespace {

// The first property, which opens the properties object.
constexpr Field first_property = [] {
    for (const auto& f : fields) {
        if (!f.geometry) {
            return f.field;
        }
    }
    return Field::id;
}();

// The evidence array (not a field) goes before the store's timestamps.
constexpr Field evidence_before = Field::created;

// The bytes of a property's key, made from the table at compile time: `,"name":null`, with `{`
// instead of `,` before the first property. Each property is written as one literal key piece
// and its value: few calls per feature on the export hot path.
template <std::size_t N>
constexpr std::array<char, N + 8> key_bytes(std::string_view name, bool first) {
    std::array<char, N + 8> b{};
    b[0] = first ? '{' : ',';
    b[1] = '"';
    for (std::size_t k = 0; k < N; ++k) {
        b[2 + k] = name[k];
    }
    b[N + 2] = '"';
    b[N + 3] = ':';
    constexpr std::string_view null = "null";
    for (std::size_t k = 0; k < null.size(); ++k) {
        b[N + 4 + k] = null[k];
    }
    return b;
}
template <Field F>
constexpr auto key_storage = key_bytes<info(F).name.size()>(info(F).name, F == first_property);
// `,"name":`
template <Field F> constexpr std::string_view key{key_storage<F>.data(), info(F).name.size() + 4};
// `,"name":null`
template <Field F>
constexpr std::string_view null_key{key_storage<F>.data(), info(F).name.size() + 8};

// Appends to a string, escaping the strings: any feature.
class AppendingWriter {
public:
    explicit AppendingWriter(std::string& out) noexcept : m_out(out) {}
    void piece(std::string_view s) { m_out.append(s.data(), s.size()); }
    void byte(char c) { m_out.push_back(c); }
    void integer(long long value) {
        char buf[24];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        m_out.append(buf, end);
    }
    void text(std::string_view piece_before, std::string_view value) {
        piece(piece_before);
        append_json_string(m_out, value);
    }
    void number(std::string_view piece_before, long long value) {
        piece(piece_before);
        integer(value);
    }
    void coordinate(double value) { geo::append_coordinate(m_out, value); }

private:
    std::string& m_out;
};

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

// The sizes of the text fields, added up without a loop.
template <std::size_t... K>
std::size_t text_size(const detail::IncidentFields& i, std::index_sequence<K...> /*slots*/) {
    return (i.text[K].size() + ...);
}

// The room a feature takes at most on the plain path.
std::size_t plain_feature_room(const detail::IncidentFields& i) noexcept {
    std::size_t room =
        feature_room +
        text_size(i, std::make_index_sequence<std::tuple_size_v<decltype(i.text)>>{});
    for (const auto& e : i.evidence) {
        room += evidence_room + e.text.size();
    }
    return room;
}

// Writes a feature through a pointer into room made beforehand: the bytes of AppendingWriter as
// long as every string is plain (printable ASCII without '"' and '\\', copied as it is) and
// every coordinate ordinary (fixed point, not printf); ok() says whether it was such a feature.
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

// A property: its key and its value by the field's type; numbers (the confidence) to 3
// decimals, more would only be noise.
template <Field F, typename Writer>
void write_property(Writer& w, const detail::IncidentFields& i) {
    constexpr FieldInfo f = info(F);
    if constexpr (f.nullable) {
        if (i.is_null<F>()) {
            w.piece(null_key<F>);
            return;
        }
    }
    if constexpr (f.type == FieldType::object) {
        // The object's JSON text, compact and checked when it was written (validate).
        w.piece(key<F>);
        w.piece(i.get<F>());
    } else if constexpr (is_textual(f.type)) {
        w.text(key<F>, i.get<F>());
    } else if constexpr (f.type == FieldType::integer) {
        w.number(key<F>, i.get<F>());
    } else {
        w.piece(key<F>);
        w.coordinate(std::round(i.get<F>() * 1000.0) / 1000.0);
    }
}

template <typename Writer> void write_evidence(Writer& w, std::span<const Evidence> evidence) {
    w.piece(R"(,"evidence":[)");
    for (std::size_t k = 0; k < evidence.size(); ++k) {
        const auto& e = evidence[k];
        w.number(k ? R"(,{"article_id":)" : R"({"article_id":)", e.article_id);
        w.number(R"(,"start":)", static_cast<long long>(e.begin));
        w.number(R"(,"end":)", static_cast<long long>(e.end));
        w.text(R"(,"text":)", e.text);
        w.byte('}');
    }
    w.byte(']');
}

// A field's place in the properties: the evidence before the store's timestamps, the point's
// coordinates not at all (they are the geometry).
template <Field F, typename Writer> void write_field(Writer& w, const detail::IncidentFields& i) {
    if constexpr (F == evidence_before) {
        write_evidence(w, i.evidence);
    }
    if constexpr (!info(F).geometry) {
        write_property<F>(w, i);
    }
}

// The properties, unrolled at compile time. The writer and the fields are arguments here, not a
// closure's captures, and all of it is inlined into detail::append_feature: there the writer is
// a local whose position the compiler keeps in a register, not in memory to load again after
// every byte written.
template <typename Writer, std::size_t... K>
[[gnu::always_inline]] inline void write_properties(Writer& w, const detail::IncidentFields& i,
                                                    std::index_sequence<K...> /*fields*/) {
    (write_field<static_cast<Field>(K)>(w, i), ...);
}

// The one layout of a Feature, for either writer: its id, its point, then the table's
// properties in the table's order with the evidence among them.
template <typename Writer> void write_feature(Writer& w, const detail::IncidentFields& i) {
    w.number(R"({"type":"Feature","id":)", i.get<Field::id>());
    w.piece(R"(,"geometry":{"type":"Point","coordinates":[)");
    w.coordinate(i.get<Field::lon>());
    w.byte(',');
    w.coordinate(i.get<Field::lat>());
    w.piece(R"(]},"properties":)");
    write_properties(w, i, std::make_index_sequence<field_count>{});
    w.piece("}}");
}

} // namespace

void detail::append_feature(std::string& out, const IncidentFields& i) {
    const std::size_t start = out.size();
    out.resize(start + plain_feature_room(i));
    PlainFeatureWriter w(out.data() + start);
    write_feature(w, i);
    if (w.ok()) {
        out.resize(static_cast<std::size_t>(w.end() - out.data()));
    } else {
        out.resize(start);
        AppendingWriter general(out);
        write_feature(general, i);
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
