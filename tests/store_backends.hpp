#pragma once

// The store backends the store tests run on: SpatiaLite always; PostGIS when the test command
// started a throwaway cluster and named it in INCIDENTMAP_TEST_POSTGIS.

#include "incidentmap/store/store.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace incidentmap::test {

inline std::vector<std::string> store_backends() {
    return {"spatialite", "postgis"};
}

/// The test cluster's URI: INCIDENTMAP_TEST_POSTGIS, else the file the CTest fixture
/// (tests/postgis_cluster.sh) wrote. Throws with what to do when there is none.
inline std::string postgis_uri() {
    if (const char* pg = std::getenv("INCIDENTMAP_TEST_POSTGIS"); pg != nullptr && *pg != '\0') {
        return pg;
    }
    std::ifstream in(INCIDENTMAP_DEFAULT_TEST_POSTGIS_URI_FILE);
    std::string uri;
    if (!(in >> uri)) {
        throw std::runtime_error(
            "no PostGIS test cluster: run the tests with ctest (it starts one), or start one "
            "with tests/postgis_cluster.sh start DIR and set INCIDENTMAP_TEST_POSTGIS");
    }
    return uri;
}

/// The URI of the test cluster's database with a fresh, empty schema first on the search path.
inline std::string fresh_postgis_uri() {
    const std::string uri = postgis_uri();
    static std::atomic<int> counter{0};
    const std::string schema = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    PGconn* c = PQconnectdb(uri.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(c);
        PQfinish(c);
        throw std::runtime_error("cannot reach the test cluster " + uri + ": " + msg);
    }
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr);
    PQclear(PQexec(c, ("DROP SCHEMA IF EXISTS " + schema + " CASCADE").c_str()));
    PGresult* r = PQexec(c, ("CREATE SCHEMA " + schema).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(c);
    if (!ok) {
        throw std::runtime_error("cannot create schema " + schema);
    }
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema + "%2Cpublic";
}

/// A fresh, empty store of this backend.
inline std::unique_ptr<incidents::IncidentStore> open_test_store(const std::string& backend) {
    if (backend == "spatialite") {
        return incidents::open_spatialite_store(":memory:");
    }
    if (backend == "postgis") {
        return incidents::open_postgis_store(fresh_postgis_uri());
    }
    throw std::runtime_error("unknown store backend " + backend);
}

} // namespace incidentmap::test
