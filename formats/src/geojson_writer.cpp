#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/incidents/fields.hpp"
#include "incidentmap/text/utf8.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace incidentmap::incidents {

GeoJsonWriter::GeoJsonWriter(Sink sink, const std::string& foreign_members)
    : m_sink(std::move(sink)) {
    m_buffer.reserve(1 << 17);
    m_buffer += R"({"type":"FeatureCollection",)";
    if (!foreign_members.empty()) {
        m_buffer += foreign_members;
        m_buffer.push_back(',');
    }
    m_buffer += R"("features":[)";
}

GeoJsonWriter::~GeoJsonWriter() = default;

void GeoJsonWriter::flush_if_large() {
    if (m_buffer.size() >= (1 << 16)) {
        m_sink(m_buffer);
        m_buffer.clear();
    }
}

void GeoJsonWriter::add(const Incident& incident) {
    if (m_count++) {
        m_buffer.push_back(',');
    }
    append_feature(m_buffer, incident);
    m_bbox.extend(incident.point);
    flush_if_large();
}

void GeoJsonWriter::add_rendered(std::string_view features, std::size_t count,
                                 const geo::BBox& bbox) {
    if (count == 0) {
        return;
    }
    if (m_count) {
        m_buffer.push_back(',');
    }
    m_count += count;
    m_bbox.extend({bbox.min_lon, bbox.min_lat});
    m_bbox.extend({bbox.max_lon, bbox.max_lat});
    // Large pieces go to the sink as they are, without a copy into the buffer.
    if (features.size() >= (1 << 16)) {
        m_sink(m_buffer);
        m_buffer.clear();
        m_sink(features);
        return;
    }
    m_buffer.append(features);
    flush_if_large();
}

void GeoJsonWriter::finish(const std::string& trailing_members) {
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_buffer += "]";
    if (m_count) {
        m_buffer += ",\"bbox\":[";
        geo::append_coordinate(m_buffer, m_bbox.min_lon);
        m_buffer.push_back(',');
        geo::append_coordinate(m_buffer, m_bbox.min_lat);
        m_buffer.push_back(',');
        geo::append_coordinate(m_buffer, m_bbox.max_lon);
        m_buffer.push_back(',');
        geo::append_coordinate(m_buffer, m_bbox.max_lat);
        m_buffer.push_back(']');
    }
    if (!trailing_members.empty()) {
        m_buffer.push_back(',');
        m_buffer += trailing_members;
    }
    m_buffer += "}";
    m_sink(m_buffer);
    m_buffer.clear();
}

namespace {

using nlohmann::json;

// A text property into a string: absent or null leaves it as it is; else a valid UTF-8 string.
void read_text(const json& props, const std::string& key, std::string& out) {
    const auto it = props.find(key);
    if (it == props.end() || it->is_null()) {
        return;
    }
    if (!it->is_string()) {
        throw InvalidInput("property '" + key + "' must be a string");
    }
    out = it->get<std::string>();
    if (!text::is_valid_utf8(out)) {
        throw InvalidInput("property '" + key + "' is not valid UTF-8");
    }
}

// A property into the field's member, by the field's type. Absent (or null) leaves the
// default; text must be a valid UTF-8 string (and may come under the field's ACLED name, as
// the flat exports write it), an integer a count up to 10,000,000, a number a number (null
// included). A nullable field of another type stays null.
template <Field F> void read_property(const json& props, Incident& i) {
    constexpr FieldInfo f = info(F);
    const std::string key(f.name);
    auto& m = member<F>(i);
    const auto it = props.find(key);
    if constexpr (f.nullable) {
        if (it == props.end()) {
            return;
        }
        if constexpr (f.type == FieldType::object) {
            if (it->is_object()) {
                m = it->dump();
            } else if (!it->is_null()) {
                throw InvalidInput("property '" + key + "' must be a JSON object");
            }
        } else if constexpr (is_textual(f.type)) {
            if (it->is_string()) {
                m = it->get<std::string>();
            }
        } else if constexpr (f.type == FieldType::integer) {
            if (it->is_number_integer()) {
                m = it->get<std::int64_t>();
            }
        } else if (it->is_number()) {
            m = it->get<double>();
        }
    } else if constexpr (is_textual(f.type)) {
        read_text(props, key, m);
        if (m.empty() && !f.acled.empty() && f.acled != f.name) {
            read_text(props, std::string(f.acled), m);
        }
    } else if constexpr (f.type == FieldType::integer) {
        if (it == props.end() || it->is_null()) {
            return;
        }
        if (!it->is_number_integer()) {
            throw InvalidInput("property '" + key + "' must be an integer");
        }
        const auto v = it->get<long long>();
        if (v < 0 || v > 10000000) {
            throw InvalidInput("property '" + key + "' is out of range");
        }
        m = static_cast<member_type<F>>(v);
    } else {
        if (it == props.end()) {
            return;
        }
        if (!it->is_number()) {
            throw InvalidInput("property '" + key + "' must be a number");
        }
        m = it->get<double>();
    }
}

} // namespace

Incident incident_from_feature(std::string_view text) {
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        throw InvalidInput(std::string("malformed JSON: ") + e.what());
    }
    // A json default: with a string one, value() throws json's type_error for a "type" that is
    // not a string, which no caller maps to a 400.
    if (!j.is_object() || j.value("type", json()) != "Feature") {
        throw InvalidInput("expected a GeoJSON Feature object");
    }
    auto g = geo::geometry_from_json(j.value("geometry", json()), 1, "geometry");
    const auto* pt = std::get_if<geo::LonLat>(&g);
    if (!pt) {
        throw InvalidInput("an incident's geometry must be a Point");
    }
    Incident i;
    i.point = *pt;
    const json props = j.value("properties", json::object());
    if (!props.is_object()) {
        throw InvalidInput("properties must be an object");
    }
    // The properties a writer gives, in the table's order; the store assigns the others.
    for_each_field([&]<Field F>() {
        if constexpr (!info(F).assigned && !info(F).geometry) {
            read_property<F>(props, i);
        }
    });
    validate(i);
    return i;
}

} // namespace incidentmap::incidents
