#pragma once

// Atom feeds (RFC 4287) of incidents, newest first, each entry placed with GeoRSS Simple
// (<georss:point>): what a feed reader subscribes to for "new incidents in this area".

#include "incidentmap/incidents/incident.hpp"

#include <string>
#include <vector>

namespace incidentmap::incidents {

/// What a feed says about itself.
struct AtomFeed {
    std::string title;
    std::string self;      ///< the feed's own URL, also its id
    std::string alternate; ///< the map of the same filters
    std::string rights;    ///< the data's attribution
    std::string base;      ///< "http://host": an incident's id and link are base/api/incidents/ID
    std::string now;       ///< RFC 3339: the feed's updated when no entry is newer
};

/// The feed of `entries`, in their order; `updated` is the newest of their `updated` times.
std::string atom_feed(const AtomFeed& feed, const std::vector<Incident>& entries);

} // namespace incidentmap::incidents
