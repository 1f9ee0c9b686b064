#include "incidentmap/geo/topojson.hpp"
#include "incidentmap/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace incidentmap::geo {

namespace {

using nlohmann::json;
using Arcs = std::vector<std::vector<LonLat>>;

// The topology's arcs as positions: quantized arcs are delta-encoded integers, scaled and
// translated by the topology's transform.
Arcs decode_arcs(const json& topo) {
    const bool quantized = topo.contains("transform");
    double sx = 1.0, sy = 1.0, tx = 0.0, ty = 0.0;
    if (quantized) {
        sx = topo.at("transform").at("scale").at(0).get<double>();
        sy = topo.at("transform").at("scale").at(1).get<double>();
        tx = topo.at("transform").at("translate").at(0).get<double>();
        ty = topo.at("transform").at("translate").at(1).get<double>();
    }
    Arcs arcs;
    for (const auto& arc : topo["arcs"]) {
        std::vector<LonLat> pts;
        double x = 0.0, y = 0.0;
        for (const auto& d : arc) {
            if (quantized) {
                x += d.at(0).get<double>();
                y += d.at(1).get<double>();
                pts.push_back({x * sx + tx, y * sy + ty});
            } else {
                pts.push_back({d.at(0).get<double>(), d.at(1).get<double>()});
            }
        }
        arcs.push_back(std::move(pts));
    }
    return arcs;
}

// A polygon's rings from their arc indexes (~i is arc i reversed).
Polygon decode_polygon(const json& rings, const Arcs& arcs) {
    Polygon poly;
    for (const auto& ring_arcs : rings) {
        Ring ring;
        for (const auto& a : ring_arcs) {
            int idx = a.get<int>();
            bool reversed = idx < 0;
            std::size_t k = static_cast<std::size_t>(reversed ? ~idx : idx);
            if (k >= arcs.size()) {
                throw InvalidInput("TopoJSON arc index out of range");
            }
            std::vector<LonLat> pts = arcs[k];
            if (reversed) {
                std::reverse(pts.begin(), pts.end());
            }
            auto begin = pts.begin();
            if (!ring.empty()) {
                ++begin; // arcs share their end points
            }
            ring.insert(ring.end(), begin, pts.end());
        }
        if (ring.size() > 1 && ring.front() == ring.back()) {
            ring.pop_back();
        }
        if (ring.size() >= 3) {
            poly.rings.push_back(std::move(ring));
        }
    }
    return poly;
}

TopoFeature decode_feature(const json& g, const Arcs& arcs) {
    TopoFeature f;
    if (g.contains("id")) {
        f.id = g["id"].is_string() ? g["id"].get<std::string>() : g["id"].dump();
    }
    if (g.contains("properties") && g["properties"].is_object() &&
        g["properties"].contains("name") && g["properties"]["name"].is_string()) {
        f.name = g["properties"]["name"].get<std::string>();
    }
    std::string type = g.value("type", "");
    if (type == "Polygon") {
        f.shape.polygons.push_back(decode_polygon(g.at("arcs"), arcs));
    } else if (type == "MultiPolygon") {
        for (const auto& poly : g.at("arcs")) {
            f.shape.polygons.push_back(decode_polygon(poly, arcs));
        }
    }
    return f;
}

} // namespace

std::vector<TopoFeature> decode_topojson(const json& topology, const std::string& object,
                                         const std::string& where) {
    if (!topology.is_object() || !topology.contains("arcs") || !topology.contains("objects") ||
        !topology["objects"].is_object() || topology["objects"].empty()) {
        throw InvalidInput("'" + where + "' is not TopoJSON (no arcs/objects)");
    }
    try {
        const auto arcs = decode_arcs(topology);
        const auto& objects = topology["objects"];
        const json& obj = objects.contains(object) ? objects[object] : objects.begin().value();
        std::vector<TopoFeature> out;
        for (const auto& g : obj.value("geometries", json::array())) {
            out.push_back(decode_feature(g, arcs));
        }
        return out;
    } catch (const json::exception& e) {
        throw InvalidInput("'" + where + "': malformed TopoJSON: " + e.what());
    }
}

} // namespace incidentmap::geo
