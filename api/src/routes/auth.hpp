#pragma once

#include <httplib.h>

namespace incidentmap::api::detail {

struct App;

/// Checks a request's bearer token against the configured digests (in constant time); sends
/// 403 when the server takes no writes, 429 while the client has guessed wrong too often
/// (FailedAttempts), 401 when the token is missing or wrong, and returns false then.
bool authorized(const httplib::Request& req, httplib::Response& res, App& app);

} // namespace incidentmap::api::detail
