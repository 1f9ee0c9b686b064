// The admin1 regions whose point the build estimated from their places: where places crowd one
// corner of a region (southern Ontario, Queensland's coast), the middle of the places is far
// from the region's. So the land of each country (its Natural Earth outline) is shared out among
// its regions in cells of 0.2 degrees, each cell going to the region of the nearest place within
// 12 degrees (land farther from every place, such as a far overseas part, goes to none); a
// region takes the centroid on the sphere of its main connected pieces of land: those holding at
// least a third as many of its places as the piece holding most. So a few villages GeoNames
// files under a region far away (Hebei's code on villages in Tibet), which claim much empty land
// around them, do not drag the region's point there.

#include "builder/build_steps.hpp"

#include "incidentmap/geo/rings.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace incidentmap::gazetteer::detail {

namespace {

constexpr double step = 0.2;  // degrees, a land cell's side
constexpr int columns = 1800; // 360 / step
constexpr double deg = 3.14159265358979323846 / 180.0;
constexpr double reach = 12.0;        // degrees, longitude scaled by cos(latitude)
constexpr std::size_t min_cells = 10; // below, the places' middle is the finer estimate
constexpr auto nobody = std::numeric_limits<std::size_t>::max();

// A country's places, each with the entry of its admin1 region (`nobody` when unknown).
using RegionPlaces = std::vector<std::pair<geo::LonLat, std::size_t>>;

// The places of each country that has an outline and an estimated admin1 region.
std::map<std::string, RegionPlaces> places_by_country(const BuildState& state) {
    std::set<std::string> wanted;
    for (auto index : state.estimated) {
        const auto& p = state.entries[index].place;
        if (p.kind == PlaceKind::admin1 && state.shapes.count(p.country)) {
            wanted.insert(p.country);
        }
    }
    std::map<std::string, RegionPlaces> places;
    for (const auto& e : state.entries) {
        const auto& p = e.place;
        if (p.kind == PlaceKind::place && p.feature_class == 'P' && wanted.count(p.country)) {
            // A place of no known region still holds the land nearest it (Norway's places carry
            // county codes of 2020 that the admin1 list no longer has): that land is no one's,
            // rather than a neighbour's.
            auto r = p.admin1.empty() ? state.admin1.end()
                                      : state.admin1.find(p.country + "." + p.admin1);
            places[p.country].emplace_back(p.point, r == state.admin1.end() ? nobody : r->second);
        }
    }
    return places;
}

// A country's places in one-degree buckets, to find the nearest place to a point. Reused from
// one country to the next so that the buckets are allocated once.
class PlaceGrid {
public:
    PlaceGrid() : m_buckets(360 * 180) {}

    // Holds `pts` (which must outlive the use of nearest()) instead of the previous places.
    void reset(const RegionPlaces& pts) {
        for (auto& b : m_buckets) {
            b.clear();
        }
        m_pts = &pts;
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const auto [bx, by] = bucket_of(pts[i].first);
            m_buckets[static_cast<std::size_t>(by) * 360 + static_cast<std::size_t>(bx)].push_back(
                i);
        }
    }

    // The index of the nearest place within reach, searched in growing squares of buckets
    // (across the antimeridian too); the number of places when there is none.
    [[nodiscard]] std::size_t nearest(geo::LonLat c) const {
        const auto& pts = *m_pts;
        const auto [bx, by] = bucket_of(c);
        const double k = std::max(std::cos(c.lat * deg), 0.05);
        double best = reach * reach;
        std::size_t found = pts.size();
        const int rings = std::min(180, static_cast<int>(std::ceil(reach / k)) + 1);
        const int rows = static_cast<int>(reach) + 1;
        for (int ring = 0; ring <= rings; ++ring) {
            // Every bucket of this ring and beyond lies at least (ring - 1) cells away.
            const double bound = std::max(0, ring - 1) * k;
            if (bound * bound >= best) {
                break;
            }
            for (int dy = -std::min(ring, rows); dy <= std::min(ring, rows); ++dy) {
                const int gy = by + dy;
                if (gy < 0 || gy >= 180) {
                    continue;
                }
                // The ring's perimeter: its whole top and bottom rows, else its two ends.
                const int dx_step = std::abs(dy) == ring ? 1 : std::max(1, 2 * ring);
                for (int dx = -ring; dx <= ring; dx += dx_step) {
                    const int gx = ((bx + dx) % 360 + 360) % 360;
                    for (auto i : m_buckets[static_cast<std::size_t>(gy) * 360 +
                                            static_cast<std::size_t>(gx)]) {
                        const double x = std::remainder(pts[i].first.lon - c.lon, 360.0) * k;
                        const double y = pts[i].first.lat - c.lat;
                        if (x * x + y * y < best) {
                            best = x * x + y * y;
                            found = i;
                        }
                    }
                }
            }
        }
        return found;
    }

private:
    static std::pair<int, int> bucket_of(geo::LonLat p) {
        return {std::clamp(static_cast<int>(std::floor(p.lon + 180.0)), 0, 359),
                std::clamp(static_cast<int>(std::floor(p.lat + 90.0)), 0, 179)};
    }

    const RegionPlaces* m_pts = nullptr;
    std::vector<std::vector<std::size_t>> m_buckets;
};

// Which region owns each cell of a country's land (cell key: row * columns + column): the region
// of the nearest place within reach. Cells no place is near are left out.
std::unordered_map<std::int64_t, std::size_t>
land_owners(const geo::MultiPolygon& land, const PlaceGrid& grid, const RegionPlaces& pts) {
    std::unordered_map<std::int64_t, std::size_t> owner;
    for (const auto& poly : land.polygons) {
        if (poly.rings.empty() || poly.rings.front().empty()) {
            continue;
        }
        const auto rings = geo::unwrapped_rings(poly);
        double lo = 90.0, hi = -90.0;
        for (const auto& ring : rings) {
            for (const auto& p : ring) {
                lo = std::min(lo, p.lat);
                hi = std::max(hi, p.lat);
            }
        }
        std::vector<double> xs;
        for (int row = static_cast<int>(std::ceil((lo + 90.0) / step - 0.5));
             - 90.0 + (row + 0.5) * step < hi; ++row) {
            const double y = -90.0 + (row + 0.5) * step;
            geo::row_crossings(rings, y, xs);
            for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
                for (auto col = static_cast<std::int64_t>(std::ceil(xs[i] / step - 0.5));
                     (static_cast<double>(col) + 0.5) * step <= xs[i + 1]; ++col) {
                    const std::int64_t wrapped_col =
                        ((col + columns / 2) % columns + columns) % columns;
                    const std::int64_t key = row * std::int64_t{columns} + wrapped_col;
                    if (owner.count(key)) {
                        continue;
                    }
                    const geo::LonLat c{-180.0 + (static_cast<double>(wrapped_col) + 0.5) * step,
                                        y};
                    if (auto n = grid.nearest(c); n != pts.size()) {
                        owner.emplace(key, pts[n].second);
                    }
                }
            }
        }
    }
    return owner;
}

// A region's land in connected pieces (eight neighbours, across the antimeridian): each piece's
// number of cells and the sum of its cells' unit vectors weighted by their area.
struct Pieces {
    std::vector<std::pair<std::size_t, std::array<double, 3>>> list; // cells, moment
    std::unordered_map<std::int64_t, std::size_t> piece_of;          // cell -> piece
};

Pieces connected_pieces(const std::vector<std::int64_t>& keys) {
    Pieces pieces;
    std::unordered_set<std::int64_t> left(keys.begin(), keys.end());
    std::vector<std::int64_t> stack;
    while (!left.empty()) {
        std::pair<std::size_t, std::array<double, 3>> piece{0, {0.0, 0.0, 0.0}};
        stack.push_back(*left.begin());
        left.erase(left.begin());
        while (!stack.empty()) {
            const auto key = stack.back();
            stack.pop_back();
            pieces.piece_of.emplace(key, pieces.list.size());
            const auto row = key / columns;
            const auto col = key % columns;
            const double lat = -90.0 + (static_cast<double>(row) + 0.5) * step;
            const double lon = -180.0 + (static_cast<double>(col) + 0.5) * step;
            const double w = std::cos(lat * deg); // a cell's area
            piece.first += 1;
            piece.second[0] += w * w * std::cos(lon * deg);
            piece.second[1] += w * w * std::sin(lon * deg);
            piece.second[2] += w * std::sin(lat * deg);
            for (std::int64_t dr = -1; dr <= 1; ++dr) {
                for (std::int64_t dc = -1; dc <= 1; ++dc) {
                    const auto next =
                        (row + dr) * columns + ((col + dc) % columns + columns) % columns;
                    if (auto it = left.find(next); it != left.end()) {
                        left.erase(it);
                        stack.push_back(next);
                    }
                }
            }
        }
        pieces.list.push_back(piece);
    }
    return pieces;
}

// How many of the region's places lie in each piece (by the cell each place lies in). A region
// whose places all lie off its land (on a coast cell another region's place is nearer to)
// weighs its pieces by their size instead.
std::vector<std::size_t> places_held(const Pieces& pieces, const std::vector<std::size_t>& members,
                                     const RegionPlaces& pts) {
    std::vector<std::size_t> held(pieces.list.size(), 0);
    for (auto i : members) {
        const auto& p = pts[i].first;
        const auto row = static_cast<std::int64_t>(std::floor((p.lat + 90.0) / step));
        const auto col = static_cast<std::int64_t>(std::floor((p.lon + 180.0) / step));
        const auto key = row * columns + (col % columns + columns) % columns;
        if (auto it = pieces.piece_of.find(key); it != pieces.piece_of.end()) {
            ++held[it->second];
        }
    }
    if (std::all_of(held.begin(), held.end(), [](std::size_t n) { return n == 0; })) {
        for (std::size_t k = 0; k < pieces.list.size(); ++k) {
            held[k] = pieces.list[k].first;
        }
    }
    return held;
}

// The direction of the summed moments of the pieces holding at least a third as many of the
// region's places as the piece holding most.
geo::LonLat centre_of_main_pieces(const Pieces& pieces, const std::vector<std::size_t>& held) {
    const std::size_t most = *std::max_element(held.begin(), held.end());
    std::array<double, 3> sum{0.0, 0.0, 0.0};
    for (std::size_t k = 0; k < pieces.list.size(); ++k) {
        if (3 * held[k] >= most && held[k] > 0) {
            for (int d = 0; d < 3; ++d) {
                sum[d] += pieces.list[k].second[d];
            }
        }
    }
    return {std::atan2(sum[1], sum[0]) / deg, std::atan2(sum[2], std::hypot(sum[0], sum[1])) / deg};
}

// Places the estimated regions of one country; returns how many.
std::size_t place_regions_of(BuildState& state, const geo::MultiPolygon& land,
                             const RegionPlaces& pts, PlaceGrid& grid) {
    grid.reset(pts);
    const auto owner = land_owners(land, grid, pts);
    std::map<std::size_t, std::vector<std::size_t>> members; // region -> its places
    for (std::size_t i = 0; i < pts.size(); ++i) {
        members[pts[i].second].push_back(i);
    }
    std::map<std::size_t, std::vector<std::int64_t>> cells; // region -> its land cells
    for (const auto& [key, region] : owner) {
        cells[region].push_back(key);
    }
    std::size_t placed = 0;
    for (const auto& [index, keys] : cells) {
        if (index == nobody || keys.size() < min_cells || !state.estimated.count(index)) {
            continue;
        }
        const auto pieces = connected_pieces(keys);
        const auto held = places_held(pieces, members[index], pts);
        state.entries[index].place.point = centre_of_main_pieces(pieces, held);
        ++placed;
    }
    return placed;
}

} // namespace

void place_regions_on_land(BuildState& state, const Reporter& say) {
    PlaceGrid grid;
    std::size_t placed = 0;
    for (const auto& [country, pts] : places_by_country(state)) {
        placed += place_regions_of(state, state.shapes.at(country), pts, grid);
    }
    say("  " + std::to_string(placed) +
        " admin1 regions placed at the centre of the land nearest their places");
}

} // namespace incidentmap::gazetteer::detail
