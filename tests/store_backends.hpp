#pragma once

// The store backends the store tests run on: SpatiaLite always; PostGIS when the test command
// started a throwaway cluster and named it in INCIDENTMAP_TEST_POSTGIS.

#include "incidentmap/incidents/store.hpp"

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace incidentmap::test {

inline std::vector<std::string> store_backends() {
    std::vector<std::string> b{"spatialite"};
    if (const char* pg = std::getenv("INCIDENTMAP_TEST_POSTGIS"); pg != nullptr && *pg != '\0') {
        b.emplace_back("postgis");
    }
    return b;
}

/// A fresh, empty store of this backend.
inline std::unique_ptr<incidents::IncidentStore> open_test_store(const std::string& backend) {
    if (backend == "spatialite") {
        return incidents::open_spatialite_store(":memory:");
    }
    throw std::runtime_error("unknown store backend " + backend);
}

} // namespace incidentmap::test
