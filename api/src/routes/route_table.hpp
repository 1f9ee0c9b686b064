#pragma once

#include <httplib.h>

#include <regex>
#include <string>
#include <vector>

namespace incidentmap::api::detail {

/// The server's routes, registered through it: each goes to the library, and the table keeps
/// which methods each path pattern takes, so that a path that exists answers a method it does
/// not take with 405 and an Allow header (the library answers 404), and OPTIONS with the same
/// list. Filled before the server starts, read by every worker after: not thread-safe to fill.
class RouteTable {
public:
    explicit RouteTable(httplib::Server& server) : m_server(server) {}

    RouteTable& get(const std::string& pattern, httplib::Server::Handler handler);
    RouteTable& post(const std::string& pattern, httplib::Server::Handler handler);
    RouteTable& put(const std::string& pattern, httplib::Server::Handler handler);
    RouteTable& patch(const std::string& pattern, httplib::Server::Handler handler);
    RouteTable& del(const std::string& pattern, httplib::Server::Handler handler);

    /// The methods `path` takes as an Allow header ("GET, HEAD, POST, OPTIONS": HEAD with GET,
    /// always OPTIONS, in a fixed order); empty when no route has the path.
    [[nodiscard]] std::string allow(const std::string& path) const;

    /// The server the routes go to (for its handlers that are not routes).
    httplib::Server& server() { return m_server; }

private:
    void add(const std::string& pattern, unsigned method);

    struct Route {
        std::string text; ///< the pattern as registered
        std::regex pattern;
        unsigned methods = 0; ///< bits of kinds
    };
    httplib::Server& m_server;
    std::vector<Route> m_routes;
};

} // namespace incidentmap::api::detail
