#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"
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

using geo::append_json_string;

GeoJsonWriter::GeoJsonWriter(Sink sink, std::string foreign_members) : m_sink(std::move(sink)) {
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

void GeoJsonWriter::finish(std::string trailing_members) {
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

Incident incident_from_feature(std::string_view text) {
    using nlohmann::json;
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        throw InvalidInput(std::string("malformed JSON: ") + e.what());
    }
    if (!j.is_object() || j.value("type", "") != "Feature") {
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
    auto str = [&](const char* key, std::string& out) {
        if (props.contains(key) && !props[key].is_null()) {
            if (!props[key].is_string()) {
                throw InvalidInput(std::string("property '") + key + "' must be a string");
            }
            out = props[key].get<std::string>();
            if (!text::is_valid_utf8(out)) {
                throw InvalidInput(std::string("property '") + key + "' is not valid UTF-8");
            }
        }
    };
    auto num = [&](const char* key, int& out) {
        if (props.contains(key) && !props[key].is_null()) {
            if (!props[key].is_number_integer()) {
                throw InvalidInput(std::string("property '") + key + "' must be an integer");
            }
            auto v = props[key].get<long long>();
            if (v < 0 || v > 10000000) {
                throw InvalidInput(std::string("property '") + key + "' is out of range");
            }
            out = static_cast<int>(v);
        }
    };
    str("event_date", i.event_date);
    str("event_type", i.event_type);
    str("sub_event_type", i.sub_event_type);
    str("actor1", i.actor1);
    str("actor2", i.actor2);
    str("country", i.country);
    str("admin1", i.admin1);
    str("admin2", i.admin2);
    str("location", i.location);
    str("source", i.source);
    str("source_url", i.source_url);
    str("source_id", i.source_id);
    if (i.source_id.empty()) {
        str("event_id_cnty", i.source_id); // ACLED's name, as in the flat exports
    }
    str("notes", i.notes);
    num("geo_precision", i.geo_precision);
    num("time_precision", i.time_precision);
    num("fatalities", i.fatalities);
    num("injured", i.injured);
    if (props.contains("geonameid") && props["geonameid"].is_number_integer()) {
        i.geonameid = props["geonameid"].get<std::int64_t>();
    }
    if (props.contains("event_time") && props["event_time"].is_string()) {
        i.event_time = props["event_time"].get<std::string>();
    }
    if (props.contains("confidence")) {
        if (!props["confidence"].is_number()) {
            throw InvalidInput("property 'confidence' must be a number");
        }
        i.confidence = props["confidence"].get<double>();
    }
    validate(i);
    return i;
}

} // namespace incidentmap::incidents
