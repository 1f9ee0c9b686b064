#pragma once

#include <httplib.h>

#include <string>

namespace incidentmap::api::detail {

struct App;

// The writes of one incident, shared by the REST API (/api/incidents) and OGC API - Features
// Part 4 (/ogc/collections/incidents/items). Each checks the token first (see authorized) and
// throws InvalidInput, NotFound or what the store throws; the exception handler turns those
// into problems.

/// Creates an incident from a GeoJSON Feature body: 201 with the feature, its ETag and a
/// Location of `location` followed by the new id.
void create_incident(App& app, const httplib::Request& req, httplib::Response& res,
                     const std::string& location);

/// Replaces the incident whose id is the route's first match with the body's Feature, or with
/// `patch` changes it by a JSON merge patch (RFC 7396) of its Feature; 412 when If-Match names
/// another version. The evidence stays.
void replace_incident(App& app, const httplib::Request& req, httplib::Response& res, bool patch);

/// Deletes the incident whose id is the route's first match: 204.
void delete_incident(App& app, const httplib::Request& req, httplib::Response& res);

} // namespace incidentmap::api::detail
