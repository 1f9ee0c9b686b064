#pragma once

#include <httplib.h>

namespace incidentmap::api::detail {

struct App;

/// Checks a request's bearer token against the configured ones (in constant time); sends
/// 403 when the server takes no writes, 401 when the token is missing or wrong, and returns
/// false then.
bool authorized(const httplib::Request& req, httplib::Response& res, const App& app);

} // namespace incidentmap::api::detail
