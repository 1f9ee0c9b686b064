// Writes N synthetic incidents into a store (SpatiaLite file or postgresql:// URI), for the
// benchmarks. Deterministic for a given seed. Points cluster around real-world-like hot spots
// so that bbox queries return realistic result sizes.
//   generate_incidents --db FILE|URI --count 1000000 [--seed 42] [--batch 10000]

#include "incidentmap/store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

int main(int argc, char** argv) {
    std::string db;
    std::size_t count = 100000;
    std::size_t batch = 10000;
    unsigned seed = 42;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        std::string v = argv[i + 1];
        if (k == "--db")
            db = v;
        else if (k == "--count")
            count = std::stoul(v);
        else if (k == "--seed")
            seed = static_cast<unsigned>(std::stoul(v));
        else if (k == "--batch")
            batch = std::stoul(v);
        else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }
    if (db.empty()) {
        std::cerr << "usage: generate_incidents --db FILE|URI --count N [--seed S] [--batch B]\n";
        return 2;
    }
    using namespace incidentmap;
    try {
        auto store = incidents::open_store(db);
        std::mt19937_64 rng(seed);
        // Hot spots: lon, lat, spread (degrees), weight.
        struct Spot {
            double lon, lat, spread, weight;
        };
        const std::vector<Spot> spots = {
            {31.0, 48.5, 3.0, 5}, {36.0, 34.5, 2.0, 3},  {32.5, 15.5, 3.0, 3}, {-1.5, 13.0, 4.0, 2},
            {96.0, 21.0, 3.0, 2}, {34.4, 31.4, 0.3, 2},  {-74.0, 4.5, 3.0, 1}, {8.0, 10.0, 4.0, 2},
            {28.0, -2.0, 3.0, 2}, {-99.0, 23.0, 5.0, 1}, {0, 0, 180, 1}};
        std::vector<double> weights;
        for (const auto& s : spots)
            weights.push_back(s.weight);
        std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
        std::normal_distribution<double> gauss(0.0, 1.0);
        std::uniform_int_distribution<int> day(0, 3 * 365 - 1);
        std::geometric_distribution<int> deaths(0.4);
        const auto& types = incidents::event_types();
        std::uniform_int_distribution<std::size_t> type_pick(0, types.size() - 1);
        auto t0 = std::chrono::steady_clock::now();
        std::vector<incidents::Incident> buf;
        for (std::size_t n = 0; n < count;) {
            buf.clear();
            for (std::size_t k = 0; k < batch && n < count; ++k, ++n) {
                const auto& s = spots[pick(rng)];
                incidents::Incident i;
                if (s.spread >= 180) {
                    i.point = {std::uniform_real_distribution<double>(-180, 180)(rng),
                               std::asin(std::uniform_real_distribution<double>(-1, 1)(rng)) * 180 /
                                   M_PI};
                } else {
                    i.point = {std::clamp(s.lon + gauss(rng) * s.spread, -180.0, 180.0),
                               std::clamp(s.lat + gauss(rng) * s.spread, -90.0, 90.0)};
                }
                int d = day(rng);
                int y = 2021 + d / 365;
                int doy = d % 365;
                static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
                int m = 0;
                while (doy >= mdays[m]) {
                    doy -= mdays[m++];
                }
                char date[48];
                std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m + 1, doy + 1);
                i.event_date = date;
                const auto& t = types[type_pick(rng)];
                i.event_type = t.first;
                i.sub_event_type = t.second[std::uniform_int_distribution<std::size_t>(
                    0, t.second.size() - 1)(rng)];
                i.fatalities = deaths(rng);
                i.injured = deaths(rng);
                i.location = "Synthetic place " + std::to_string(n % 5000);
                i.country = "XX";
                i.source = "synthetic";
                i.notes = "Synthetic incident number " + std::to_string(n) + " for benchmarks.";
                i.confidence = 0.5;
                buf.push_back(std::move(i));
            }
            store->insert(buf);
            if (n % 100000 == 0 || n == count) {
                double secs =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                std::cerr << "[generate] " << n << " incidents, " << static_cast<long>(n / secs)
                          << " /s\n";
            }
        }
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::cout << "bulk_load_incidents_per_s " << static_cast<long>(count / secs) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "generate_incidents: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
