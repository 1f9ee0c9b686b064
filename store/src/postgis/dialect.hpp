#pragma once

#include "../sql/select.hpp"

namespace incidentmap::incidents::postgis {

/// The shared SQL as PostgreSQL and PostGIS spell it: `$n` (`::date` for dates), the GiST
/// index of the geometry column, a tsvector, an array for a set of ids.
const detail::Dialect& dialect();

} // namespace incidentmap::incidents::postgis
