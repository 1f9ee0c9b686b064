#pragma once

#include <exception>
#include <string>

namespace incidentmap::api {

/// An RFC 9457 problem: HTTP status, title and detail.
struct Problem {
    int status = 500;
    std::string title;
    std::string detail;
    /// Seconds after which a client may try again (the Retry-After header); 0: none.
    int retry_after = 0;
    /// The application/problem+json body.
    [[nodiscard]] std::string json() const;
};

/// Maps an exception to its problem (the one table from error kind to status and title).
Problem problem_from(const std::exception& e);
/// The problem for a status with a detail.
Problem problem(int status, std::string detail);

/// Process exit code for an exception (CLI): 2 invalid input, 3 not found, 4 storage (a full
/// disk too), 5 unavailable (locked, read-only, unreachable), 1 other.
int exit_code_for(const std::exception& e);

} // namespace incidentmap::api
