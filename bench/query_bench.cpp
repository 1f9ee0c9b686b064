// Times a bbox query written as a GeoJSON FeatureCollection, and a full GeoJSON export, against
// a store — the incidentmap side of bench/store_vs_peers.sh.
//   query_bench --db FILE|URI --bbox minLon,minLat,maxLon,maxLat [--repeat 5] [--export FILE]
//   query_bench --db FILE|URI --queries [--repeat 5]   (the query set of bench/backends.sh)

#include "incidentmap/formats/export.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/geo/types.hpp"
#include "incidentmap/store/store.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <vector>

namespace {

using incidentmap::incidents::IncidentQuery;

// The same queries on any backend: name, query; prints the median milliseconds of each
// (the query and the GeoJSON of its page) and the features returned.
void run_query_set(incidentmap::incidents::IncidentStore& store, int repeat) {
    using namespace incidentmap;
    std::vector<std::pair<std::string, IncidentQuery>> set;
    auto add = [&](const std::string& name, IncidentQuery q) { set.emplace_back(name, q); };
    IncidentQuery q;
    q.bbox = geo::BBox{35.3, 33.8, 36.7, 35.2};
    q.limit = 10000;
    add("bbox_10k", q);
    q = {};
    q.bbox = geo::BBox{30.0, 46.0, 32.0, 47.5};
    q.limit = 100;
    add("bbox_page100_count", q);
    q = {};
    q.near = geo::LonLat{30.52, 50.45};
    q.radius_km = 50;
    q.limit = 1000;
    add("radius_50km", q);
    q = {};
    q.near = geo::LonLat{30.52, 50.45};
    q.sort = IncidentQuery::Sort::distance;
    q.limit = 10;
    q.count_matched = false;
    add("nearest_10", q);
    q = {};
    q.within = geo::Geometry{
        geo::Polygon{{{{34.0, 44.0}, {40.0, 44.0}, {40.0, 50.0}, {37.0, 47.0}, {34.0, 50.0}}}}};
    q.limit = 1000;
    add("polygon", q);
    q = {};
    q.since = "2022-03-01";
    q.until = "2022-03-07";
    q.types = {"Battles"};
    q.limit = 100;
    add("week_battles", q);
    q = {};
    q.text = "incident number 4242";
    q.limit = 100;
    add("text", q);
    q = {};
    q.min_fatalities = 10;
    q.limit = 100;
    q.count_matched = false;
    add("min_fatalities_page", q);
    for (const auto& [name, query] : set) {
        std::vector<double> times;
        std::size_t n = 0;
        for (int r = 0; r < repeat; ++r) {
            auto t0 = std::chrono::steady_clock::now();
            auto res = store.query(query);
            std::string out;
            incidents::GeoJsonWriter w([&](std::string_view c) { out.append(c); });
            for (const auto& i : res.incidents) {
                w.add(i);
            }
            w.finish();
            times.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
            n = res.incidents.size();
        }
        std::sort(times.begin(), times.end());
        std::cout << "query " << name << " " << times[times.size() / 2] << " ms " << n
                  << " features\n";
    }
}

} // namespace

int main(int argc, char** argv) {
    using namespace incidentmap;
    std::string db, bbox, export_path;
    int repeat = 5;
    bool queries = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--queries") {
            queries = true;
        }
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k == "--queries") {
            --i;
            continue;
        }
        std::string v = argv[i + 1];
        if (k == "--db")
            db = v;
        else if (k == "--bbox")
            bbox = v;
        else if (k == "--repeat")
            repeat = std::stoi(v);
        else if (k == "--export")
            export_path = v;
    }
    try {
        auto store = incidents::open_store(db);
        if (queries) {
            run_query_set(*store, repeat);
        }
        if (!bbox.empty()) {
            incidents::IncidentQuery q;
            q.bbox = geo::parse_bbox(bbox);
            q.limit = 100000;
            q.count_matched = false;
            std::vector<double> times;
            std::size_t n = 0, bytes = 0;
            for (int r = 0; r < repeat; ++r) {
                auto t0 = std::chrono::steady_clock::now();
                std::string out;
                auto res = store->query(q);
                out.reserve(res.incidents.size() * 640 + 4096); // as the server does
                incidents::GeoJsonWriter w([&](std::string_view c) { out.append(c); });
                for (const auto& i : res.incidents) {
                    w.add(i);
                }
                w.finish();
                times.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count());
                n = w.count();
                bytes = out.size();
            }
            std::sort(times.begin(), times.end());
            std::cout << "bbox_features " << n << "\nbbox_geojson_bytes " << bytes
                      << "\nbbox_geojson_median_ms " << times[times.size() / 2] << "\n";
        }
        if (!export_path.empty()) {
            incidents::IncidentQuery q;
            auto t0 = std::chrono::steady_clock::now();
            auto n = incidents::export_incidents(*store, q, incidents::ExportFormat::geojson,
                                                 export_path);
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            double mb = static_cast<double>(std::filesystem::file_size(export_path)) / 1e6;
            std::cout << "export_features " << n << "\nexport_seconds " << s << "\nexport_mb_per_s "
                      << mb / s << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "query_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
