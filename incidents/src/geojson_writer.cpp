#include "incidentmap/incidents/geojson_writer.hpp"
#include "incidentmap/geo/error.hpp"
#include "incidentmap/geo/geojson.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace incidentmap::incidents {

using geo::append_json_string;

namespace {

void prop(std::string& out, const char* key, std::string_view value, bool& first) {
    if (!first) {
        out.push_back(',');
    }
    first = false;
    out.push_back('"');
    out += key;
    out += "\":";
    append_json_string(out, value);
}

void prop_num(std::string& out, const char* key, long long value, bool& first) {
    if (!first) {
        out.push_back(',');
    }
    first = false;
    out.push_back('"');
    out += key;
    out += "\":";
    out += std::to_string(value);
}

void prop_null(std::string& out, const char* key, bool& first) {
    if (!first) {
        out.push_back(',');
    }
    first = false;
    out.push_back('"');
    out += key;
    out += "\":null";
}

} // namespace

void append_feature(std::string& out, const Incident& i) {
    out += R"({"type":"Feature","id":)";
    out += std::to_string(i.id);
    out += R"(,"geometry":{"type":"Point","coordinates":)";
    geo::append_position(out, i.point);
    out += R"(},"properties":{)";
    bool first = true;
    prop_num(out, "id", i.id, first);
    prop(out, "event_date", i.event_date, first);
    if (i.event_time) {
        prop(out, "event_time", *i.event_time, first);
    } else {
        prop_null(out, "event_time", first);
    }
    prop_num(out, "time_precision", i.time_precision, first);
    prop(out, "event_type", i.event_type, first);
    prop(out, "sub_event_type", i.sub_event_type, first);
    prop(out, "actor1", i.actor1, first);
    prop(out, "actor2", i.actor2, first);
    prop(out, "country", i.country, first);
    prop(out, "admin1", i.admin1, first);
    prop(out, "admin2", i.admin2, first);
    prop(out, "location", i.location, first);
    if (i.geonameid) {
        prop_num(out, "geonameid", *i.geonameid, first);
    } else {
        prop_null(out, "geonameid", first);
    }
    prop_num(out, "geo_precision", i.geo_precision, first);
    prop_num(out, "fatalities", i.fatalities, first);
    prop_num(out, "injured", i.injured, first);
    prop(out, "source", i.source, first);
    prop(out, "source_url", i.source_url, first);
    prop(out, "source_id", i.source_id, first);
    prop(out, "notes", i.notes, first);
    out += ",\"confidence\":";
    geo::append_coordinate(out, std::round(i.confidence * 1000.0) / 1000.0);
    out += ",\"evidence\":[";
    for (std::size_t k = 0; k < i.evidence.size(); ++k) {
        const auto& e = i.evidence[k];
        if (k) {
            out.push_back(',');
        }
        out += "{\"article_id\":" + std::to_string(e.article_id) +
               ",\"start\":" + std::to_string(e.begin) + ",\"end\":" + std::to_string(e.end) +
               ",\"text\":";
        append_json_string(out, e.text);
        out.push_back('}');
    }
    out += "]";
    prop(out, "created", i.created, first);
    prop(out, "updated", i.updated, first);
    out += "}}";
}

std::string incident_feature(const Incident& incident) {
    std::string out;
    append_feature(out, incident);
    return out;
}

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
            if (!geo::is_valid_utf8(out)) {
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
