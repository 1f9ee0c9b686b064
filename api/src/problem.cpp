#include "incidentmap/api/problem.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/geo/geojson.hpp"

#include <nlohmann/json.hpp>

namespace incidentmap::api {

namespace {

struct Kind {
    int status;
    const char* title;
    int exit_code;
    int retry_after = 0; ///< seconds a client should wait before it tries again; 0: no header
};

// A busy store waits 5 s for a writer's lock (sqlite's busy timeout) before it answers 503:
// a client that retries after as long again finds it free in the common case.
constexpr int unavailable_retry_seconds = 5;

// The one table: error kind -> HTTP status, problem title, CLI exit code.
Kind kind_of(const std::exception& e) {
    // Before InvalidInput, of which it is a kind.
    if (dynamic_cast<const Conflict*>(&e)) {
        return {409, "Conflict", 2};
    }
    // JSON errors escaping a handler come from a request body or parameter the checks missed.
    if (dynamic_cast<const InvalidInput*>(&e) ||
        dynamic_cast<const nlohmann::json::exception*>(&e)) {
        return {400, "Invalid request", 2};
    }
    if (dynamic_cast<const NotFound*>(&e)) {
        return {404, "Not found", 3};
    }
    if (dynamic_cast<const Unavailable*>(&e)) {
        return {503, "Service unavailable", 5, unavailable_retry_seconds};
    }
    // Before StorageError, of which it is a kind.
    if (dynamic_cast<const StorageFull*>(&e)) {
        return {507, "Insufficient storage", 4};
    }
    if (dynamic_cast<const StorageError*>(&e)) {
        return {500, "Storage error", 4};
    }
    return {500, "Internal error", 1};
}

const char* title_of(int status) {
    switch (status) {
    case 400:
        return "Invalid request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not found";
    case 405:
        return "Method not allowed";
    case 406:
        return "Not acceptable";
    case 409:
        return "Conflict";
    case 412:
        return "Precondition failed";
    case 413:
        return "Payload too large";
    case 415:
        return "Unsupported media type";
    case 429:
        return "Too many requests";
    case 503:
        return "Service unavailable";
    case 507:
        return "Insufficient storage";
    default:
        return status >= 500 ? "Internal error" : "Invalid request";
    }
}

} // namespace

std::string Problem::json() const {
    std::string out =
        "{\"type\":\"about:blank\",\"status\":" + std::to_string(status) + ",\"title\":";
    geo::append_json_string(out, title);
    out += ",\"detail\":";
    geo::append_json_string(out, detail);
    out += "}";
    return out;
}

Problem problem_from(const std::exception& e) {
    auto k = kind_of(e);
    return {k.status, k.title, e.what(), k.retry_after};
}

Problem problem(int status, std::string detail) {
    return {status, title_of(status), std::move(detail)};
}

int exit_code_for(const std::exception& e) {
    return kind_of(e).exit_code;
}

} // namespace incidentmap::api
