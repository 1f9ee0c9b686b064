#include "merge.hpp"

#include <algorithm>

namespace incidentmap::incidents::detail {

std::vector<Incident> merge_duplicates(StoryIncidents found) {
    std::vector<Incident> merged;
    for (std::size_t n = 0; n < found.incidents.size(); ++n) {
        auto& inc = found.incidents[n];
        auto it = std::find_if(merged.begin(), merged.end(), [&](const Incident& m) {
            return m.event_date == inc.event_date && m.event_type == inc.event_type &&
                   m.sub_event_type == inc.sub_event_type && m.location == inc.location &&
                   m.country == inc.country;
        });
        if (it == merged.end() && !found.dated[n]) {
            it = std::find_if(merged.begin(), merged.end(), [&](const Incident& m) {
                return m.event_type == inc.event_type && m.location == inc.location &&
                       m.country == inc.country;
            });
        }
        if (it == merged.end()) {
            merged.push_back(std::move(inc));
            continue;
        }
        it->fatalities = std::max(it->fatalities, inc.fatalities);
        it->injured = std::max(it->injured, inc.injured);
        it->geo_precision = std::min(it->geo_precision, inc.geo_precision);
        it->confidence = std::min(0.99, std::max(it->confidence, inc.confidence) + 0.05);
        if (it->actor1.empty()) {
            it->actor1 = inc.actor1;
        }
        for (auto& e : inc.evidence) {
            it->evidence.push_back(std::move(e));
        }
    }
    return merged;
}

} // namespace incidentmap::incidents::detail
