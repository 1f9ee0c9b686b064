#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
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

/// How deep arrays and objects may nest in a JSON request body. Deeper documents are refused
/// before they are parsed: the library's parse is iterative, but dumping, copying and comparing
/// a document recurse once a level, and 100,000 levels overflow a worker's stack and kill the
/// server. No document this API reads nests deeper than a GeoJSON MultiPolygon's coordinates
/// inside a search body (six levels).
inline constexpr std::size_t max_json_depth = 64;

/// Throws InvalidInput naming the limit when arrays and objects in `text` (read as JSON: brackets
/// inside strings do not count) nest deeper than max_json_depth. Linear, no allocation.
void check_json_depth(std::string_view text);

/// Whether a Content-Type declares JSON: application/json or application/...+json, in any
/// case, with any parameters.
bool is_json_media_type(std::string_view content_type);

/// The request body as JSON text, for a reader of JSON: checked to be declared as JSON, valid
/// UTF-8 without NUL bytes and to nest no deeper than max_json_depth. Throws InvalidInput when
/// it is not.
const std::string& json_text(const httplib::Request& req);

/// The request body parsed as JSON. Throws InvalidInput when json_text does or it is
/// malformed.
nlohmann::json json_body(const httplib::Request& req);

/// "http://" and the Host the client asked for (localhost without one): the base of links.
std::string self_base(const httplib::Request& req);

/// The request's query string, encoded again, without the parameter `drop` and with `add`
/// (already encoded) appended when it is not empty.
std::string query_string_without(const httplib::Request& req, const char* drop,
                                 const std::string& add);

} // namespace incidentmap::api::detail
