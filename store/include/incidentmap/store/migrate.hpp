#pragma once

#include "incidentmap/store/store.hpp"

#include <functional>
#include <string>

namespace incidentmap::incidents {

/// Copies every article, incident and evidence row, ids and timestamps kept, from `source` into
/// the empty `target` (SpatiaLite to PostGIS or back), `batch` rows per transaction, then
/// compares the counts of both. `progress` hears "N / M articles" and "N / M incidents" lines.
/// Returns the counts. Throws InvalidInput when the target is not empty, StorageError when the
/// counts differ afterwards.
StoreCounts migrate(IncidentStore& source, IncidentStore& target, std::size_t batch,
                    const std::function<void(const std::string&)>& progress = {});

} // namespace incidentmap::incidents
