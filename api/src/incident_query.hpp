#pragma once

#include "incidentmap/query/query.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <string>

namespace incidentmap::api::detail {

struct App;

/// The page size of the REST API's listings when no limit is given.
inline constexpr std::size_t rest_page_size = 100;
/// The page size of OGC API - Features items when no limit is given.
inline constexpr std::size_t ogc_page_size = 10;

/// The REST API's incident query from its parameters, read with query/parameters.hpp's table
/// (its rest_use entries: bbox, near with radius_km, within, since, until, type, sub_type,
/// min_fatalities, q, sort, cursor, limit up to the configured largest page, offset and a CQL2
/// filter); rest_page_size a page by default. Which parameters a route takes is for the route to
/// check. Throws InvalidInput for a malformed or contradictory one.
incidents::IncidentQuery query_from(const httplib::Params& params, const App& app);
/// query_from over a request's query parameters.
incidents::IncidentQuery query_from(const httplib::Request& req, const App& app);

/// The query of OGC API - Features items: bbox, limit (ogc_page_size by default; a larger one than
/// the largest page is clamped, not refused), offset and datetime, then what `equalities` makes
/// (CQL2 text of the queryables given as parameters, or empty; called once those are read) and
/// the CQL2 filter; ordered by id. Which parameters the route takes is for the route to check.
/// Throws InvalidInput.
incidents::IncidentQuery items_query_from(const httplib::Params& params, const App& app,
                                          const std::function<std::string()>& equalities);

/// The filters of POST /api/incidents/search as parameters: the same names as the query
/// parameters, in a JSON object; `within` may be a GeoJSON geometry object, bbox and near
/// arrays of numbers, type and sub_type arrays of strings. Throws InvalidInput.
httplib::Params params_from_json(const nlohmann::json& j);

} // namespace incidentmap::api::detail
