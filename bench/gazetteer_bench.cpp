// Gazetteer lookup latency and geoparsing / extraction throughput.
//   build/bench/gazetteer_bench [--benchmark_filter=...]
// Environment: INCIDENTMAP_BENCH_GAZETTEER (default data/gazetteer.sqlite),
// INCIDENTMAP_BENCH_CORPUS (a JSONL file of {"id","text"}, default ../shared/eval/lgl.jsonl).

#include "incidentmap/extract/extract.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geoparse/geoparser.hpp"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace incidentmap;

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

const gazetteer::Gazetteer& gz() {
    static auto g = std::make_unique<gazetteer::Gazetteer>(
        gazetteer::Gazetteer::open(env_or("INCIDENTMAP_BENCH_GAZETTEER", "data/gazetteer.sqlite")));
    return *g;
}

// Texts of the corpus: the "text" member of each JSON line, unescaped just enough for news.
const std::vector<std::string>& corpus() {
    static std::vector<std::string> docs = [] {
        std::vector<std::string> out;
        std::ifstream in(env_or("INCIDENTMAP_BENCH_CORPUS",
                                std::string(INCIDENTMAP_SOURCE_DIR) + "/../shared/eval/lgl.jsonl"));
        std::string line;
        while (std::getline(in, line)) {
            auto p = line.find("\"text\": \"");
            std::size_t skip = 9;
            if (p == std::string::npos) {
                p = line.find("\"text\":\"");
                skip = 8;
            }
            if (p == std::string::npos) {
                continue;
            }
            std::string text;
            for (std::size_t i = p + skip; i < line.size(); ++i) {
                if (line[i] == '\\' && i + 1 < line.size()) {
                    char c = line[++i];
                    text.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c);
                } else if (line[i] == '"') {
                    break;
                } else {
                    text.push_back(line[i]);
                }
            }
            out.push_back(std::move(text));
        }
        if (out.empty()) {
            std::ifstream sample(std::string(INCIDENTMAP_SOURCE_DIR) +
                                 "/samples/dpa-2022-03-29-istanbul-talks.txt");
            out.emplace_back(std::istreambuf_iterator<char>(sample),
                             std::istreambuf_iterator<char>());
        }
        return out;
    }();
    return docs;
}

void BM_LookupExact(benchmark::State& state) {
    const std::vector<std::string> names = {"Mykolayiv",   "Kyiv",  "Chernihiv", "Istanbul",
                                            "Springfield", "Paris", "Donetsk",   "London",
                                            "Mariupol",    "Crimea"};
    gazetteer::LookupOptions opt;
    opt.match = gazetteer::LookupOptions::Match::exact;
    opt.limit = 5;
    gz(); // load outside the timed loop
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = gz().lookup(names[i++ % names.size()], opt);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_LookupExact)
    ->ComputeStatistics("median",
                        [](const std::vector<double>& v) {
                            std::vector<double> s = v;
                            std::sort(s.begin(), s.end());
                            return s[s.size() / 2];
                        })
    ->Repetitions(5);

void BM_LookupPrefix(benchmark::State& state) {
    gazetteer::LookupOptions opt;
    opt.match = gazetteer::LookupOptions::Match::prefix;
    for (auto _ : state) {
        auto r = gz().lookup("Myko", opt);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_LookupPrefix);

void BM_Geoparse(benchmark::State& state) {
    gazetteer::Geoparser parser(gz());
    const auto& docs = corpus();
    std::size_t i = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto& d = docs[i++ % docs.size()];
        auto r = parser.parse(d);
        bytes += d.size();
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations())); // articles/s
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_Geoparse)->Unit(benchmark::kMicrosecond);

void BM_Extract(benchmark::State& state) {
    incidents::Extractor ex(gz());
    const auto& docs = corpus();
    std::size_t i = 0;
    for (auto _ : state) {
        incidents::ArticleInput in;
        in.text = docs[i++ % docs.size()];
        in.published = "2022-03-29";
        auto r = ex.extract(in);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Extract)->Unit(benchmark::kMicrosecond);

// End to end: extraction, then the article and its incidents stored (duplicates merged) in a
// SpatiaLite file. Each article is made unique so that none is skipped as seen before.
void BM_Ingest(benchmark::State& state) {
    incidents::Extractor ex(gz());
    const auto& docs = corpus();
    const auto path = std::filesystem::temp_directory_path() /
                      ("incidentmap-bench-ingest-" + std::to_string(::getpid()) + ".sqlite");
    std::filesystem::remove(path);
    {
        auto store = incidents::open_spatialite_store(path.string());
        std::size_t i = 0;
        for (auto _ : state) {
            incidents::ArticleInput in;
            in.text = docs[i % docs.size()] + "\n" + std::to_string(i);
            ++i;
            in.published = "2022-03-29";
            auto r = incidents::ingest(*store, ex, in);
            benchmark::DoNotOptimize(r);
        }
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Ingest)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
