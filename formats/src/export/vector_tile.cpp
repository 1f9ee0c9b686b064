#include "incidentmap/formats/vector_tile.hpp"

#include "incidentmap/incidents/fields.hpp"

#include <protozero/pbf_writer.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace incidentmap::incidents {

namespace {

// Web Mercator's latitude limit: the square world of the tiles.
constexpr double max_latitude = 85.05112877980659;

// The field numbers of the vector tile's messages (vector_tile.proto 2.1).
enum : protozero::pbf_tag_type {
    tile_layers = 3,
    layer_name = 1,
    layer_features = 2,
    layer_keys = 3,
    layer_values = 4,
    layer_extent = 5,
    layer_version = 15,
    feature_id = 1,
    feature_tags = 2,
    feature_type = 3,
    feature_geometry = 4,
    value_string = 1,
    value_double = 3,
    value_sint = 6,
};
constexpr std::uint32_t geom_point = 1;
constexpr std::uint32_t move_to_once = (1U << 3U) | 1U; // command MoveTo, count 1

// A point's place in the world square, 0..1 from the west and from the north.
std::pair<double, double> world_xy(geo::LonLat p) {
    const double lat = std::clamp(p.lat, -max_latitude, max_latitude) * std::numbers::pi / 180.0;
    const double x = (p.lon + 180.0) / 360.0;
    const double y = (1.0 - std::asinh(std::tan(lat)) / std::numbers::pi) / 2.0;
    return {x, y};
}

double latitude_of_row(double y, double n) {
    return std::atan(std::sinh(std::numbers::pi * (1.0 - 2.0 * y / n))) * 180.0 / std::numbers::pi;
}

} // namespace

bool TileId::valid() const noexcept {
    if (z < 0 || z > max_tile_zoom) {
        return false;
    }
    const std::int64_t n = std::int64_t{1} << z;
    return x >= 0 && x < n && y >= 0 && y < n;
}

geo::BBox TileId::bounds() const noexcept {
    const auto n = static_cast<double>(std::int64_t{1} << z);
    return {
        static_cast<double>(x) / n * 360.0 - 180.0, latitude_of_row(static_cast<double>(y + 1), n),
        static_cast<double>(x + 1) / n * 360.0 - 180.0, latitude_of_row(static_cast<double>(y), n)};
}

bool TileId::holds(geo::LonLat p) const noexcept {
    const auto n = static_cast<double>(std::int64_t{1} << z);
    const auto [wx, wy] = world_xy(p);
    const auto col = std::min(static_cast<std::int64_t>(wx * n), (std::int64_t{1} << z) - 1);
    const auto row = std::min(static_cast<std::int64_t>(wy * n), (std::int64_t{1} << z) - 1);
    return col == x && row == y;
}

VectorTileWriter::VectorTileWriter(TileId tile, std::uint32_t extent)
    : m_tile(tile), m_extent(extent) {}

std::uint32_t VectorTileWriter::value(Layer& layer, std::string encoded) {
    const auto next = static_cast<std::uint32_t>(layer.values.size());
    return layer.values.emplace(std::move(encoded), next).first->second;
}

std::uint32_t VectorTileWriter::key(Layer& layer, std::string_view name) {
    const auto next = static_cast<std::uint32_t>(layer.keys.size());
    return layer.keys.emplace(std::string(name), next).first->second;
}

std::uint32_t VectorTileWriter::string_value(Layer& layer, std::string_view v) {
    std::string encoded;
    protozero::pbf_writer(encoded).add_string(value_string, v.data(), v.size());
    return value(layer, std::move(encoded));
}

std::uint32_t VectorTileWriter::int_value(Layer& layer, std::int64_t v) {
    std::string encoded;
    protozero::pbf_writer(encoded).add_sint64(value_sint, v);
    return value(layer, std::move(encoded));
}

std::uint32_t VectorTileWriter::double_value(Layer& layer, double v) {
    std::string encoded;
    protozero::pbf_writer(encoded).add_double(value_double, v);
    return value(layer, std::move(encoded));
}

void VectorTileWriter::add_point(Layer& layer, geo::LonLat p, std::uint64_t id,
                                 const std::vector<std::uint32_t>& tags) {
    const auto n = static_cast<double>(std::int64_t{1} << m_tile.z);
    const auto [wx, wy] = world_xy(p);
    const auto px =
        static_cast<std::int32_t>(std::floor((wx * n - static_cast<double>(m_tile.x)) * m_extent));
    const auto py =
        static_cast<std::int32_t>(std::floor((wy * n - static_cast<double>(m_tile.y)) * m_extent));
    std::string feature;
    protozero::pbf_writer f(feature);
    f.add_uint64(feature_id, id);
    f.add_packed_uint32(feature_tags, tags.begin(), tags.end());
    f.add_enum(feature_type, static_cast<std::int32_t>(geom_point));
    const std::uint32_t geometry[] = {move_to_once, protozero::encode_zigzag32(px),
                                      protozero::encode_zigzag32(py)};
    f.add_packed_uint32(feature_geometry, std::begin(geometry), std::end(geometry));
    protozero::pbf_writer(layer.features).add_message(layer_features, feature);
    ++layer.count;
}

void VectorTileWriter::add(const Incident& incident) {
    std::vector<std::uint32_t> tags;
    for (const auto& field : fields) {
        if (field.geometry || field.field == Field::id) {
            continue; // the point is the geometry, the id the feature's id
        }
        if (field.field == Field::notes || field.type == FieldType::object) {
            continue; // long texts: a tile is for drawing, a click reads the incident itself
        }
        const auto v = get_field(incident, field.field);
        if (v.null || (is_textual(field.type) && v.text.empty())) {
            continue;
        }
        tags.push_back(key(m_incidents, field.name));
        if (is_textual(field.type)) {
            tags.push_back(string_value(m_incidents, v.text));
        } else if (field.type == FieldType::integer) {
            tags.push_back(int_value(m_incidents, v.integer));
        } else {
            tags.push_back(double_value(m_incidents, v.number));
        }
    }
    add_point(m_incidents, incident.point, static_cast<std::uint64_t>(incident.id), tags);
}

void VectorTileWriter::add(const Cluster& cluster) {
    std::vector<std::uint32_t> tags = {
        key(m_clusters, "count"), int_value(m_clusters, static_cast<std::int64_t>(cluster.count)),
        key(m_clusters, "fatalities"), int_value(m_clusters, cluster.fatalities)};
    for (const auto& [type, n] : cluster.by_type) {
        tags.push_back(key(m_clusters, type));
        tags.push_back(int_value(m_clusters, static_cast<std::int64_t>(n)));
    }
    add_point(m_clusters, cluster.center, m_clusters.count + 1, tags);
}

void VectorTileWriter::write_layer(std::string& tile, const char* name, const Layer& layer,
                                   std::uint32_t extent) {
    if (layer.count == 0) {
        return;
    }
    std::string bytes;
    protozero::pbf_writer l(bytes);
    l.add_uint32(layer_version, 2);
    l.add_string(layer_name, name);
    bytes += layer.features;
    // The tables in the order of their indexes.
    std::vector<const std::string*> keys(layer.keys.size());
    for (const auto& [k, n] : layer.keys) {
        keys[n] = &k;
    }
    for (const auto* k : keys) {
        l.add_string(layer_keys, *k);
    }
    std::vector<const std::string*> values(layer.values.size());
    for (const auto& [v, n] : layer.values) {
        values[n] = &v;
    }
    for (const auto* v : values) {
        l.add_message(layer_values, *v);
    }
    l.add_uint32(layer_extent, extent);
    protozero::pbf_writer(tile).add_message(tile_layers, bytes);
}

std::string VectorTileWriter::finish() {
    std::string tile;
    write_layer(tile, "incidents", m_incidents, m_extent);
    write_layer(tile, "clusters", m_clusters, m_extent);
    return tile;
}

} // namespace incidentmap::incidents
