#pragma once

// Actors of an incident: who acted, named in its sentence. Internal to the extract module.

#include "incidentmap/incidents/incident.hpp"
#include "words.hpp"

#include <vector>

namespace incidentmap::incidents::detail {

/// Sets an incident's actors from the words of its sentence: actor1 the first actor named
/// anywhere in it (a nationality before a military noun, "Russian troops" -> "Russian
/// military"; else a group, "rebels" -> "Rebels"), actor2 "Civilians" for violence against
/// civilians. When territory changes hands, who took it decides the sub-event type (a state's
/// forces regain it, others overtake it). Thread-safe.
void assign_actors(Incident& inc, const std::vector<Word>& w);

} // namespace incidentmap::incidents::detail
