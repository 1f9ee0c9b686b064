#pragma once

#include "incidentmap/api/server.hpp"
#include "incidentmap/extract/extract.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include "failed_attempts.hpp"
#include "response_cache.hpp"
#include "store_pool.hpp"

#include <cstddef>
#include <mutex>
#include <string>

namespace incidentmap::api::detail {

/// What the route handlers share: the configuration, the gazetteer and the extractor over it
/// (both read-only, used by every worker at once), the pool of store connections and the cache
/// of answers. Lives for as long as the server runs; not movable (the extractor points at the
/// gazetteer).
struct App {
    ServerConfig config;
    gazetteer::Gazetteer gazetteer;
    incidents::Extractor extractor;
    StorePool pool;
    std::string attribution; ///< the data sources' credit line, in every answer that uses them
    ResponseCache responses;
    /// The country outlines as GeoJSON, made on the first request that asks for them.
    std::string countries_geojson;
    std::once_flag countries_once;
    FailedAttempts failed_attempts; ///< wrong tokens by client, to slow guessing

    /// Opens `connections` store connections to `c.db`. Throws what `open_store` throws.
    App(const ServerConfig& c, gazetteer::Gazetteer g, std::size_t connections)
        : config(c), gazetteer(std::move(g)),
          extractor(gazetteer, {.focus = gazetteer::parse_focus(c.focus, gazetteer)}),
          pool(c.db, connections) {
        attribution = gazetteer.attribution();
        if (attribution.empty()) {
            attribution = "Place data (c) GeoNames, CC BY 4.0; boundaries: Natural Earth";
        }
    }
};

} // namespace incidentmap::api::detail
