#pragma once

// Duplicates within an article. Internal to the extract module.

#include "story.hpp"

#include <vector>

namespace incidentmap::incidents::detail {

/// The incidents of an article with its duplicates merged, in order of first mention: an
/// incident of the same date, place, type and sub-type as an earlier one joins it, and so does
/// an undated mention of the same type of event at the same place ("A police official in
/// Hyderabad said officers acted after protesters tried to block the highway"). The merged
/// incident keeps the larger figures, the finer place, the first actor named and all the
/// evidence, and gains confidence. Thread-safe.
std::vector<Incident> merge_duplicates(StoryIncidents found);

} // namespace incidentmap::incidents::detail
