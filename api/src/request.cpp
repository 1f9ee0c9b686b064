#include "request.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/query/parameters.hpp"
#include "incidentmap/text/ascii.hpp"
#include "incidentmap/text/utf8.hpp"

#include <algorithm>

namespace incidentmap::api::detail {

void check_params(const httplib::Params& params, const std::vector<std::string>& allowed) {
    for (const auto& [key, value] : params) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) {
                list += list.empty() ? a : ", " + a;
            }
            throw InvalidInput(
                "unknown query parameter '" + key.substr(0, 60) + "'" +
                (list.empty() ? std::string(" (this endpoint takes none)") : "; allowed: " + list));
        }
        if (!text::is_valid_utf8(value)) {
            throw InvalidInput("query parameter '" + key + "' is not valid UTF-8");
        }
        if (params.count(key) > 1) {
            throw InvalidInput("query parameter '" + key + "' is given more than once");
        }
    }
}

void check_params(const httplib::Params& params, std::initializer_list<const char*> allowed) {
    check_params(params, std::vector<std::string>(allowed.begin(), allowed.end()));
}

void check_params(const httplib::Request& req, std::initializer_list<const char*> allowed) {
    check_params(req.params, allowed);
}

std::optional<std::string> param(const httplib::Params& params, const char* key) {
    return incidents::parameter(params, key);
}

std::optional<std::string> param(const httplib::Request& req, const char* key) {
    return param(req.params, key);
}

void check_json_depth(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t k = 0; k < text.size(); ++k) {
        const char c = text[k];
        if (in_string) {
            if (c == '\\') {
                ++k; // the escaped character, whatever it is, does not end the string
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_json_depth) {
                throw InvalidInput("the JSON body nests arrays and objects more than " +
                                   std::to_string(max_json_depth) + " levels deep (the limit)");
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth; // (an unbalanced closer is the parser's to report)
        }
    }
}

bool is_json_media_type(std::string_view content_type) {
    auto media =
        text::lower_ascii(text::trim_space(content_type.substr(0, content_type.find(';'))));
    const std::string_view m = media;
    return m == "application/json" ||
           (m.rfind("application/", 0) == 0 && m.size() > 17 && m.substr(m.size() - 5) == "+json");
}

const std::string& json_text(const httplib::Request& req) {
    if (!is_json_media_type(req.get_header_value("Content-Type"))) {
        throw InvalidInput("the body must be JSON (Content-Type: application/json, or a type "
                           "ending in +json such as application/geo+json)");
    }
    if (!text::is_valid_utf8(req.body)) {
        throw InvalidInput("the body is not valid UTF-8");
    }
    // The JSON reader takes a NUL byte for the end of its input and would ignore what follows;
    // JSON text holds none (a string writes it \u0000).
    if (req.body.find('\0') != std::string::npos) {
        throw InvalidInput("the body holds a NUL byte, which JSON text cannot");
    }
    check_json_depth(req.body);
    return req.body;
}

nlohmann::json json_body(const httplib::Request& req) {
    try {
        return nlohmann::json::parse(json_text(req));
    } catch (const nlohmann::json::exception& e) {
        throw InvalidInput(std::string("malformed JSON body: ") + e.what());
    }
}

std::string self_base(const httplib::Request& req) {
    auto host = req.get_header_value("Host");
    if (host.empty()) {
        host = "localhost";
    }
    return "http://" + host;
}

std::string query_string_without(const httplib::Request& req, const char* drop,
                                 const std::string& add) {
    std::string qs;
    for (const auto& [k, v] : req.params) {
        if (k == drop) {
            continue;
        }
        qs += (qs.empty() ? "" : "&") + httplib::detail::encode_query_param(k) + "=" +
              httplib::detail::encode_query_param(v);
    }
    if (!add.empty()) {
        qs += (qs.empty() ? "" : "&") + add;
    }
    return qs;
}

} // namespace incidentmap::api::detail
