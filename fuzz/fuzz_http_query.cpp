// Fuzzes what the server does with a request's untrusted bytes once the HTTP library has split
// them: the query string read into parameters (as the library does), checked (known names,
// UTF-8, given once) and made an IncidentQuery for the REST API and the OGC API's items; and a
// search body (JSON) checked for depth and read as filters. In-process, no sockets. The input is
// the query string, then a NUL byte and the body.
#include "incidentmap/error.hpp"
#include "incidentmap/query/parameters.hpp"

#include "incident_query.hpp"
#include "request.hpp"

#include <httplib.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace im = incidentmap::incidents;

// The gazetteer's answer for within=country:... and admin1:..., without a gazetteer.
im::ParameterContext context(bool clamp_limit) {
    im::ParameterContext c;
    c.clamp_limit = clamp_limit;
    c.region = [](std::string_view kind,
                  std::string_view spec) -> std::optional<std::pair<std::string, std::string>> {
        if (spec == "UA" || spec == "Ukraine") {
            return std::pair<std::string, std::string>{"UA", kind == "admin1" ? "16" : ""};
        }
        return std::nullopt;
    };
    return c;
}

void rest_query(const httplib::Params& params) {
    static const auto allowed = im::parameter_names(im::rest_use);
    try {
        incidentmap::api::detail::check_params(params, allowed);
        im::IncidentQuery base;
        base.limit = incidentmap::api::detail::rest_page_size;
        auto q = im::query_from(params, im::rest_use, context(false), base);
        im::validate(q);
    } catch (const incidentmap::InvalidInput&) {
    }
}

void ogc_query(const httplib::Params& params) {
    try {
        im::IncidentQuery base;
        base.limit = incidentmap::api::detail::ogc_page_size;
        base.sort = im::IncidentQuery::Sort::id_asc;
        auto q = im::query_from(params, im::ogc_use, context(true), base, "country = 'UA'");
        im::validate(q);
    } catch (const incidentmap::InvalidInput&) {
    }
}

void search_body(const std::string& body) {
    httplib::Request req;
    req.headers.emplace("Content-Type", "application/json");
    req.body = body;
    try {
        const auto params =
            incidentmap::api::detail::params_from_json(incidentmap::api::detail::json_body(req));
        rest_query(params);
    } catch (const incidentmap::InvalidInput&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    httplib::Request req;
    httplib::detail::parse_query_text(std::string(input.substr(0, nul)), req.params);
    rest_query(req.params);
    ogc_query(req.params);
    (void)incidentmap::api::detail::query_string_without(req, "cursor", "cursor=i__1");
    if (nul != std::string_view::npos) {
        search_body(std::string(input.substr(nul + 1)));
    }
    return 0;
}
