#pragma once

#include "incidentmap/sqlite/sqlite.hpp"

namespace incidentmap::incidents::spatialite {

/// Brings the database's tables to this incidentmap's schema, each migration in its own
/// transaction (registering the SQL functions migrations use on the connection). Throws
/// StorageError for a database newer than this incidentmap.
void migrate(sqlite::Database& db);

} // namespace incidentmap::incidents::spatialite
