#pragma once

#include "connection.hpp"

namespace incidentmap::incidents::postgis {

/// Creates the postgis extension when missing and brings the tables to this incidentmap's
/// schema, in one transaction. Throws StorageError for a database newer than this incidentmap.
void migrate(Connection& c);

} // namespace incidentmap::incidents::postgis
