#pragma once

#include "../sql/select.hpp"

namespace incidentmap::incidents::spatialite {

/// The shared SQL as SQLite and SpatiaLite spell it: `?`, the R*Tree of the geometry column
/// (idx_incidents_geom), FTS5, json_each for a set of ids.
const detail::Dialect& dialect();

} // namespace incidentmap::incidents::spatialite
