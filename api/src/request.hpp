#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace incidentmap::api::detail {

/// Checks that every query parameter is one of `allowed`, valid UTF-8 and given once. Throws
/// InvalidInput naming the first that is not (and, for an unknown one, listing `allowed`).
void check_params(const httplib::Params& params, const std::vector<std::string>& allowed);
/// check_params for a literal list.
void check_params(const httplib::Params& params, std::initializer_list<const char*> allowed);
/// check_params for a request's query parameters.
void check_params(const httplib::Request& req, std::initializer_list<const char*> allowed);

/// The value of a parameter, or nullopt when it is not given.
std::optional<std::string> param(const httplib::Params& params, const char* key);
/// The value of a request's query parameter, or nullopt when it is not given.
std::optional<std::string> param(const httplib::Request& req, const char* key);

/// The request body parsed as JSON. Throws InvalidInput when it is not declared as JSON, not
/// valid UTF-8 or malformed.
nlohmann::json json_body(const httplib::Request& req);

/// "http://" and the Host the client asked for (localhost without one): the base of links.
std::string self_base(const httplib::Request& req);

/// The request's query string, encoded again, without the parameter `drop` and with `add`
/// (already encoded) appended when it is not empty.
std::string query_string_without(const httplib::Request& req, const char* drop,
                                 const std::string& add);

} // namespace incidentmap::api::detail
