// Times a bbox query written as a GeoJSON FeatureCollection, and a full GeoJSON export, against
// a store — the incidentmap side of bench/store_vs_peers.sh.
//   query_bench --db FILE|URI --bbox minLon,minLat,maxLon,maxLat [--repeat 5] [--export FILE]

#include "incidentmap/geo/types.hpp"
#include "incidentmap/incidents/export.hpp"
#include "incidentmap/incidents/geojson_writer.hpp"
#include "incidentmap/incidents/store.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <vector>

int main(int argc, char** argv) {
    using namespace incidentmap;
    std::string db, bbox, export_path;
    int repeat = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
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
                incidents::GeoJsonWriter w([&](std::string_view c) { out.append(c); });
                auto res = store->query(q);
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
