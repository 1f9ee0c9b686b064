#pragma once

// Mapbox Vector Tiles (specification 2.1) of incidents and of the store's clusters, in the
// tiles of OGC's WebMercatorQuad (the XYZ tiles of web maps: 2^z by 2^z tiles, row 0 at the
// north), encoded with protozero.

#include "incidentmap/geo/types.hpp"
#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/store/store.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace incidentmap::incidents {

/// A tile of WebMercatorQuad.
struct TileId {
    int z = 0;
    std::int64_t x = 0; ///< column, from the west
    std::int64_t y = 0; ///< row, from the north

    /// Whether the zoom is 0..max_tile_zoom and the column and row lie in it.
    [[nodiscard]] bool valid() const noexcept;
    /// The tile's bounds in longitude and latitude (its latitudes within ±85.0511°).
    [[nodiscard]] geo::BBox bounds() const noexcept;
    /// Whether a point lies in the tile (its west and north edges included).
    [[nodiscard]] bool holds(geo::LonLat p) const noexcept;
};

inline constexpr int max_tile_zoom = 22;

/// Writes one tile: layer "incidents" (points, every field but the point, the notes and the
/// attributes as a property, the id as the feature's id) and layer "clusters" (a point per cluster
/// at its incidents' mean position, with count, fatalities and a count per event type).
class VectorTileWriter {
public:
    explicit VectorTileWriter(TileId tile, std::uint32_t extent = 4096);

    void add(const Incident& incident);
    void add(const Cluster& cluster);
    /// The tile's bytes (empty when no feature was added).
    [[nodiscard]] std::string finish();

private:
    // One layer's features and its tables of keys and values.
    struct Layer {
        std::string features; ///< encoded Feature messages, each a length-delimited field
        std::map<std::string, std::uint32_t> keys;
        std::map<std::string, std::uint32_t> values; ///< by encoded Value message
        std::size_t count = 0;
    };
    void add_point(Layer& layer, geo::LonLat p, std::uint64_t id,
                   const std::vector<std::uint32_t>& tags);
    static std::uint32_t key(Layer& layer, std::string_view name);
    static std::uint32_t string_value(Layer& layer, std::string_view v);
    static std::uint32_t int_value(Layer& layer, std::int64_t v);
    static std::uint32_t double_value(Layer& layer, double v);
    static std::uint32_t value(Layer& layer, std::string encoded);
    static void write_layer(std::string& tile, const char* name, const Layer& layer,
                            std::uint32_t extent);

    TileId m_tile;
    std::uint32_t m_extent;
    Layer m_incidents;
    Layer m_clusters;
};

} // namespace incidentmap::incidents
