#pragma once

#include "incidentmap/query/query.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace incidentmap::api::detail {

struct App;

/// The REST API's incident query from its parameters: bbox, near with radius_km, within (a
/// GeoJSON polygon or a region the gazetteer knows), since, until, type, sub_type,
/// min_fatalities, q, sort, cursor, limit (default 100, at most the configured largest page),
/// offset and a CQL2 filter. Which parameters a route takes is for the route to check. Throws
/// InvalidInput for a malformed or contradictory one.
incidents::IncidentQuery query_from(const httplib::Params& params, const App& app);
/// query_from over a request's query parameters.
incidents::IncidentQuery query_from(const httplib::Request& req, const App& app);

/// Adds a CQL2 text `filter` (with `filter-lang` and `filter-crs` checked) to a query. Throws
/// InvalidInput.
void apply_filter(const httplib::Params& params, incidents::IncidentQuery& q);

/// The filters of POST /api/incidents/search as parameters: the same names as the query
/// parameters, in a JSON object; `within` may be a GeoJSON geometry object, bbox and near
/// arrays of numbers, type and sub_type arrays of strings. Throws InvalidInput.
httplib::Params params_from_json(const nlohmann::json& j);

} // namespace incidentmap::api::detail
