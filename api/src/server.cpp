#include "incidentmap/api/server.hpp"
#include "incidentmap/api/problem.hpp"
#include "incidentmap/error.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/text/ascii.hpp"

#include "app.hpp"
#include "http_server.hpp"
#include "responses.hpp"
#include "routes/routes.hpp"
#include "stop_signals.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <string_view>
#include <thread>

namespace incidentmap::api {

namespace {

// The query string of a request as its client sent it (still percent-encoded, at most 2,000
// bytes), with the value of any parameter whose name speaks of a secret blanked: tokens are never
// taken from the query string, but a client may still put one there, and the log must not keep it.
std::string logged_query(const std::string& target) {
    auto q = target.find('?');
    if (q == std::string::npos) {
        return {};
    }
    std::string out;
    std::string_view rest = std::string_view(target).substr(q + 1, 2000);
    for (bool first = true; !rest.empty(); first = false) {
        auto amp = rest.find('&');
        auto pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        auto eq = pair.find('=');
        // The name as the server reads it (decoded), so that "%74oken" is a token too.
        auto name =
            text::lower_ascii(httplib::detail::decode_url(std::string(pair.substr(0, eq)), true));
        bool secret = name.find("token") != std::string::npos ||
                      name.find("key") != std::string::npos ||
                      name.find("pass") != std::string::npos;
        out += first ? "" : "&";
        out += secret && eq != std::string_view::npos ? std::string(pair.substr(0, eq)) + "=-"
                                                      : std::string(pair);
    }
    return out;
}

// The structured access log (one JSON line a request, on stderr); the Authorization header is
// never logged. Bytes that are not UTF-8 are replaced, so that a hostile path cannot stop the log.
void log_request(const httplib::Request& req, const httplib::Response& res) {
    nlohmann::json line = {{"time", detail::now_iso()}, {"method", req.method},
                           {"path", req.path},          {"query", logged_query(req.target)},
                           {"status", res.status},      {"bytes", res.body.size()},
                           {"remote", req.remote_addr}};
    std::cerr << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

// Errors become problem+json: what a handler throws, through the one table of problem_from;
// what the library answers itself (no route, a body too large), by status. A path that exists
// asked with a method it does not take is 405 with the methods it does (the library says 404).
void set_error_handling(httplib::Server& svr, const detail::RouteTable& routes,
                        std::size_t max_body) {
    svr.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                detail::send_problem(res, problem_from(e));
            } catch (...) {
                detail::send_problem(res, problem(500, "unexpected error"));
            }
        });
    svr.set_error_handler([&routes, max_body](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
            return;
        }
        if (res.status == 404) {
            if (auto allow = routes.allow(req.path); !allow.empty()) {
                res.status = 405;
                res.set_header("Allow", allow);
                detail::send_problem(
                    res, problem(405, req.method.substr(0, 20) + " is not a method of " +
                                          req.path.substr(0, 200) + "; it takes " + allow));
                return;
            }
            detail::send_problem(res, problem(404, "no such resource: " + req.path.substr(0, 200)));
        } else if (res.status == 413) {
            detail::send_problem(res, problem(413, "the request body is longer than " +
                                                       std::to_string(max_body) +
                                                       " bytes (the limit; a form's is 8192)"));
        } else if (res.status == 414) {
            detail::send_problem(res, problem(414, "the URL is longer than 8192 bytes (the "
                                                   "limit); POST /api/incidents/search takes "
                                                   "the filters in a JSON body"));
        } else {
            detail::send_problem(res, problem(res.status, "request failed"));
        }
    });
}

// Sent with every answer. The map's page loads its scripts and style sheets from this server
// only (no inline script, no eval); its one style attribute is the legend's colour swatches;
// images are its own, data: URIs, and the optional OpenStreetMap tiles (which need the origin as
// Referer, hence strict-origin-when-cross-origin rather than no-referrer). Nobody may frame it.
void set_security_headers(httplib::Server& svr) {
    svr.set_default_headers({
        {"Content-Security-Policy",
         "default-src 'self'; script-src 'self'; style-src 'self'; "
         "style-src-attr 'unsafe-inline'; img-src 'self' data: blob: "
         "https://tile.openstreetmap.org; connect-src 'self'; object-src 'none'; "
         "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "strict-origin-when-cross-origin"},
    });
}

// Binds the configured address (port 0: any free port); returns the port. Throws Error.
int bind(httplib::Server& svr, const ServerConfig& config) {
    if (config.port == 0) {
        const int port = svr.bind_to_any_port(config.host);
        if (port <= 0) {
            throw Error("cannot bind to " + config.host);
        }
        return port;
    }
    if (!svr.bind_to_port(config.host, config.port)) {
        throw Error("cannot listen on " + config.host + ":" + std::to_string(config.port) +
                    " (is another server using the port?)");
    }
    return config.port;
}

} // namespace

void stop_server() {
    detail::StopSignals::request_stop();
}

void run_server(const ServerConfig& config) {
    detail::raise_fd_limit();
    auto gz = gazetteer::Gazetteer::open(config.gazetteer);
    std::size_t threads =
        config.threads ? config.threads : std::max(4u, std::thread::hardware_concurrency() * 2);
    detail::App app(config, std::move(gz), threads);

    detail::HttpServer svr(threads);
    svr.set_tcp_nodelay(true);
    svr.set_payload_max_length(config.max_body_bytes);
    svr.set_keep_alive_max_count(1000);
    if (!config.quiet) {
        svr.set_logger(log_request);
    }
    detail::RouteTable routes(svr);
    set_error_handling(svr, routes, config.max_body_bytes);
    set_security_headers(svr);
    detail::register_auth(routes, app);
    detail::register_static_files(routes, app);
    detail::register_incidents(routes, app);
    detail::register_articles(routes, app);
    detail::register_places(routes, app);
    detail::register_ogc(routes, app);
    detail::register_tiles(routes, app);
    detail::register_openapi(routes, app);

    const int port = bind(svr, config);
    const detail::StopSignals signals([&svr] { svr.stop(); });
    std::cout << "incidentmap listening on http://" << config.host << ":" << port << "/"
              << std::endl;
    if (config.on_listen) {
        config.on_listen(port);
    }
    svr.serve();
}

} // namespace incidentmap::api
