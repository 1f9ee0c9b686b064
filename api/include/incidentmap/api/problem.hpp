#pragma once

#include <exception>
#include <string>

namespace incidentmap::api {

/// An RFC 9457 problem: HTTP status, title and detail.
struct Problem {
    int status = 500;
    std::string title;
    std::string detail;
    /// The application/problem+json body.
    [[nodiscard]] std::string json() const;
};

/// Maps an exception to its problem (the one table from error kind to status and title).
Problem problem_from(const std::exception& e);
/// The problem for a status with a detail.
Problem problem(int status, std::string detail);

/// Process exit code for an exception (CLI): 2 invalid input, 3 not found, 4 storage, 5
/// unavailable, 1 other.
int exit_code_for(const std::exception& e);

} // namespace incidentmap::api
