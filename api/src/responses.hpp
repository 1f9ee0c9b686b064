#pragma once

#include "incidentmap/api/problem.hpp"
#include "incidentmap/query/query.hpp"
#include "incidentmap/store/store.hpp"

#include <httplib.h>

#include <functional>
#include <string>

namespace incidentmap::api::detail {

struct App;

/// The current UTC time as RFC 3339 with seconds ("2024-01-15T10:20:30Z"): incidents::utc_now,
/// the clock of the stored timestamps too.
std::string now_iso();

/// Sends a body, gzip-compressed when the client accepts it and it is worth it (1 KiB or more).
/// cpp-httplib compresses JSON and text itself but not application/geo+json.
void send_body(const httplib::Request& req, httplib::Response& res, const std::string& body,
               const char* type);

/// Sends a problem as application/problem+json with its status.
void send_problem(httplib::Response& res, const Problem& p);

/// The strong ETag of a feature's JSON.
std::string etag_of(const std::string& feature_json);

/// Sends an incident as a GeoJSON Feature with its ETag, or 304 when `status` is 200 and the
/// client has it already (If-None-Match).
void send_feature(const httplib::Request& req, httplib::Response& res,
                  const incidents::Incident& incident, int status = 200);

/// numberMatched, numberReturned and timeStamp of a page, as FeatureCollection members.
std::string page_members(const incidents::QueryResult& result);

/// A page as a FeatureCollection: `members` (raw JSON members) before the features, the bbox
/// and `trailing` (raw JSON members) after them.
std::string feature_collection(const incidents::QueryResult& result, const std::string& members,
                               const std::string& trailing);

/// Runs a query and sends its page as application/geo+json with `extra_members` after the
/// page's counts and, when there are more matches, the keyset `next_cursor`. Throws what the
/// store throws.
void write_collection(const httplib::Request& req, httplib::Response& res,
                      incidents::IncidentStore& store, const incidents::IncidentQuery& q,
                      const std::string& extra_members);

/// Answers a read request with `respond` in one snapshot of the store, or from the answer
/// cache when the same request was answered in this second at the store's current version
/// (as the snapshot sees it); a fresh answer is kept for the rest of the second.
void answer_cached(App& app, incidents::IncidentStore& store, const httplib::Request& req,
                   httplib::Response& res, const std::function<void()>& respond);

} // namespace incidentmap::api::detail
