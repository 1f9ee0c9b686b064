// OGC API - Tiles of the incidents: Mapbox Vector Tiles in WebMercatorQuad, with the filters of
// /api/incidents. A tile holds its incidents (layer "incidents") when they are few enough to
// draw one by one, else the store's clusters of them (layer "clusters").

#include "incidentmap/error.hpp"
#include "incidentmap/formats/vector_tile.hpp"
#include "incidentmap/query/parameters.hpp"
#include "incidentmap/store/store.hpp"

#include "app.hpp"
#include "incident_query.hpp"
#include "request.hpp"
#include "routes/routes.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace incidentmap::api::detail {

namespace {

using incidents::TileId;
using nlohmann::json;

const char* const tiles_path = "/ogc/collections/incidents/tiles";
const char* const tile_type = "application/vnd.mapbox-vector-tile";
const char* const web_mercator_quad =
    "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";

// A tile draws its incidents one by one up to this many (about what a 256-pixel tile can show
// apart), else its clusters.
constexpr std::size_t tile_incidents_max = 2000;

std::vector<std::string> filter_params() {
    return incidents::parameter_names(incidents::rest_use, false);
}

json tileset(const std::string& base) {
    const std::string self = base + tiles_path + "/WebMercatorQuad";
    return {
        {"title", "incidents"},
        {"dataType", "vector"},
        {"crs", "http://www.opengis.net/def/crs/EPSG/0/3857"},
        {"tileMatrixSetURI", web_mercator_quad},
        {"links", json::array({{{"href", self}, {"rel", "self"}, {"type", "application/json"}},
                               {{"href", web_mercator_quad},
                                {"rel", "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"},
                                {"type", "application/json"}},
                               {{"href", self + "/{tileMatrix}/{tileRow}/{tileCol}"},
                                {"rel", "item"},
                                {"type", tile_type},
                                {"templated", true},
                                {"title", "a tile; the filters of /api/incidents may follow"}}})},
        {"layers",
         json::array({{{"id", "incidents"},
                       {"dataType", "vector"},
                       {"geometryType", "points"},
                       {"description", "the incidents of a tile holding at most " +
                                           std::to_string(tile_incidents_max)}},
                      {{"id", "clusters"},
                       {"dataType", "vector"},
                       {"geometryType", "points"},
                       {"description", "above that, their clusters: count, fatalities and a "
                                       "count per event type"}}})},
    };
}

void tilesets(App& /*app*/, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    auto set = tileset(self_base(req));
    json j = {{"tilesets", json::array({set})},
              {"links", json::array({{{"href", self_base(req) + tiles_path},
                                      {"rel", "self"},
                                      {"type", "application/json"}}})}};
    res.set_content(j.dump(), "application/json");
}

void tileset_metadata(App& /*app*/, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"f"});
    res.set_content(tileset(self_base(req)).dump(), "application/json");
}

TileId tile_of(const httplib::Request& req) {
    const auto number = [&](int k) { return std::stoll(std::string(req.matches[k])); };
    TileId t{static_cast<int>(number(1)), number(3), number(2)}; // {z}/{row}/{col}
    if (!t.valid()) {
        throw NotFound("no tile " + std::string(req.matches[1]) + "/" +
                       std::string(req.matches[2]) + "/" + std::string(req.matches[3]) +
                       " in WebMercatorQuad (zoom 0 to " +
                       std::to_string(incidents::max_tile_zoom) + ", row and column below 2^zoom)");
    }
    return t;
}

// The tile's incidents when they are few, else its clusters; each once across tiles (a point
// or a cluster's centre belongs to the tile holding it).
std::string encode_tile(incidents::IncidentStore& store, incidents::IncidentQuery q, TileId tile) {
    q.bbox = tile.bounds();
    // The clusters' squares: the grid of /api/clusters at the tile's zoom.
    const auto grid = incidents::ClusterGrid::for_zoom(tile.z);
    incidents::VectorTileWriter writer(tile);
    std::size_t around = 0;
    const auto clusters = store.clusters(q, grid);
    for (const auto& c : clusters) {
        around += c.count;
    }
    if (around <= tile_incidents_max) {
        store.for_each(q, [&](incidents::Incident& i) {
            if (tile.holds(i.point)) {
                writer.add(i);
            }
        });
    } else {
        for (const auto& c : clusters) {
            if (tile.holds(c.center)) {
                writer.add(c);
            }
        }
    }
    return writer.finish();
}

void get_tile(App& app, const httplib::Request& req, httplib::Response& res) {
    static const auto allowed = filter_params();
    check_params(req.params, allowed);
    const auto tile = tile_of(req);
    auto q = query_from(req, app);
    if (q.bbox) {
        throw InvalidInput("a tile takes no bbox: its bounds are the tile's");
    }
    auto store = app.pool.acquire();
    auto bytes = encode_tile(*store, q, tile);
    if (bytes.empty()) {
        res.status = 204; // OGC API - Tiles: no data in the tile
        return;
    }
    res.set_content(bytes, tile_type);
}

} // namespace

void register_tiles(RouteTable& server, App& app) {
    server.get(tiles_path, with_app(app, tilesets));
    server.get(std::string(tiles_path) + "/WebMercatorQuad", with_app(app, tileset_metadata));
    server.get(std::string(tiles_path) + R"(/WebMercatorQuad/(\d{1,2})/(\d{1,8})/(\d{1,8}))",
               with_app(app, get_tile));
}

} // namespace incidentmap::api::detail
