#include "routes/auth.hpp"

#include "incidentmap/api/tokens.hpp"

#include "app.hpp"
#include "responses.hpp"
#include "routes/routes.hpp"

#include <algorithm>
#include <string>

namespace incidentmap::api::detail {

namespace {

// No early exit at the first difference: how long the comparison takes tells nothing of how
// much of a guessed token was right.
bool constant_time_equal(const std::string& a, const std::string& b) {
    unsigned char diff = static_cast<unsigned char>(a.size() != b.size());
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

// The server keeps digests only: the presented token is hashed and compared with each.
bool token_ok(const httplib::Request& req, const App& app) {
    auto h = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    bool ok = false;
    if (h.rfind(prefix, 0) == 0) {
        const std::string digest = token_digest(std::string_view(h).substr(prefix.size()));
        for (const auto& d : app.config.token_digests) {
            ok = constant_time_equal(digest, d) || ok; // every digest compared: constant time
        }
    }
    return ok;
}

} // namespace

bool authorized(const httplib::Request& req, httplib::Response& res, App& app) {
    if (app.config.token_digests.empty()) {
        send_problem(res, problem(403, "writes are disabled on this server: start it with a token "
                                       "(--token-file or INCIDENTMAP_TOKENS)"));
        return false;
    }
    if (const long wait = app.failed_attempts.blocked_for(req.remote_addr); wait > 0) {
        res.set_header("Retry-After", std::to_string(wait));
        send_problem(res, problem(429, "too many wrong tokens from this address: try again in " +
                                           std::to_string(wait) + " s"));
        return false;
    }
    if (!token_ok(req, app)) {
        // A wrong token is a guess; no token at all is not.
        if (req.has_header("Authorization")) {
            app.failed_attempts.failed(req.remote_addr);
        }
        res.set_header("WWW-Authenticate", "Bearer");
        send_problem(
            res,
            problem(401, "this request needs 'Authorization: Bearer <token>' with a valid token"));
        return false;
    }
    return true;
}

// CORS and OPTIONS live here too: the Access-Control-* headers, the answer to OPTIONS (a
// browser's preflight among them) and the token check are what is decided for every request
// before its route runs, and the server has one pre-routing handler. OPTIONS needs no token.
void register_auth(RouteTable& routes, App& app) {
    routes.server().set_pre_routing_handler(
        [&app, &routes](const httplib::Request& req, httplib::Response& res) {
            if (!app.config.cors_origin.empty()) {
                res.set_header("Access-Control-Allow-Origin", app.config.cors_origin);
                res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
                res.set_header("Access-Control-Allow-Methods",
                               "GET, POST, PUT, PATCH, DELETE, OPTIONS");
            }
            if (req.method == "OPTIONS") {
                if (auto allow = routes.allow(req.path); !allow.empty()) {
                    res.status = 204;
                    res.set_header("Allow", allow);
                    return httplib::Server::HandlerResponse::Handled;
                }
                return httplib::Server::HandlerResponse::Unhandled; // no such path: 404
            }
            // (HEAD runs the GET handler: its headers tell as much as the body's size.)
            if (app.config.protect_reads && (req.method == "GET" || req.method == "HEAD") &&
                req.path.rfind("/api", 0) == 0) {
                if (!authorized(req, res, app)) {
                    return httplib::Server::HandlerResponse::Handled;
                }
            }
            return httplib::Server::HandlerResponse::Unhandled;
        });
}

} // namespace incidentmap::api::detail
