#pragma once

#include "incidentmap/store/store.hpp"

#include <functional>
#include <string>

namespace incidentmap::incidents {

/// Copies every article, incident and evidence row, ids and timestamps kept, and the records of
/// imported rows (IncidentStore::imports), from `source` into `target` (SpatiaLite to PostGIS
/// or back), `batch` rows per transaction, then compares the counts of both. The target is empty,
/// or holds what an earlier migrate of the same source committed before it stopped (the source's
/// first articles by id, then its first incidents): the copy goes on after them. `progress` hears
/// "N / M articles" and "N / M incidents" lines (and, resuming, one line saying so). Returns the
/// counts. Throws InvalidInput, having written nothing, when the target holds anything else;
/// StorageError when the counts differ afterwards.
StoreCounts migrate(IncidentStore& source, IncidentStore& target, std::size_t batch,
                    const std::function<void(const std::string&)>& progress = {});

} // namespace incidentmap::incidents
