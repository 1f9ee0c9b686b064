// Fuzzes the ingest path with arbitrary article text: extraction, then storing the article and
// its incidents (merging duplicates) in an in-memory store.
#include "incidentmap/error.hpp"
#include "incidentmap/extract/extract.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>

namespace {
const incidentmap::gazetteer::Gazetteer& gz() {
    static auto g =
        std::make_unique<incidentmap::gazetteer::Gazetteer>(incidentmap::gazetteer::Gazetteer::open(
            std::getenv("INCIDENTMAP_FUZZ_GAZETTEER") ? std::getenv("INCIDENTMAP_FUZZ_GAZETTEER")
                                                      : "data/gazetteer.sqlite"));
    return *g;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static incidentmap::incidents::Extractor extractor(gz());
    static auto store = incidentmap::incidents::open_spatialite_store(":memory:");
    incidentmap::incidents::ArticleInput in;
    in.text.assign(reinterpret_cast<const char*>(data), size);
    in.published = "2022-03-29";
    try {
        auto ex = extractor.extract(in);
        for (const auto& i : ex.incidents) {
            incidentmap::incidents::validate(i);
            for (const auto& e : i.evidence) {
                if (e.end > in.text.size() || e.begin > e.end) {
                    __builtin_trap();
                }
            }
        }
        auto r = incidentmap::incidents::ingest(*store, extractor, in);
        for (auto id : r.incident_ids) {
            if (!store->get(id)) {
                __builtin_trap(); // an incident the ingest reported is not there
            }
        }
    } catch (const incidentmap::InvalidInput&) {
    }
    return 0;
}
