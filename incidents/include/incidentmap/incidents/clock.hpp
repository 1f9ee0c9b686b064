#pragma once

#include <string>

namespace incidentmap::incidents {

/// The current time in UTC as "YYYY-MM-DDTHH:MM:SSZ": the one clock of incidentmap's
/// timestamps (incidents' and articles' created and updated on both backends, migrations
/// applied, the API's timeStamp and access log), so that times written by different parts
/// compare as text and never disagree by a time zone or a database's idea of now.
std::string utc_now();

} // namespace incidentmap::incidents
