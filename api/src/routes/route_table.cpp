#include "routes/route_table.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace incidentmap::api::detail {

namespace {

// The methods, as bits, in the order an Allow header lists them.
constexpr unsigned get_bit = 1, head_bit = 2, post_bit = 4, put_bit = 8, patch_bit = 16,
                   delete_bit = 32, options_bit = 64;
constexpr std::array<std::pair<unsigned, const char*>, 7> names = {{{get_bit, "GET"},
                                                                    {head_bit, "HEAD"},
                                                                    {post_bit, "POST"},
                                                                    {put_bit, "PUT"},
                                                                    {patch_bit, "PATCH"},
                                                                    {delete_bit, "DELETE"},
                                                                    {options_bit, "OPTIONS"}}};

} // namespace

RouteTable& RouteTable::get(const std::string& pattern, httplib::Server::Handler handler) {
    m_server.Get(pattern, std::move(handler));
    add(pattern, get_bit | head_bit); // the library answers HEAD with the GET handler
    return *this;
}

RouteTable& RouteTable::post(const std::string& pattern, httplib::Server::Handler handler) {
    m_server.Post(pattern, std::move(handler));
    add(pattern, post_bit);
    return *this;
}

RouteTable& RouteTable::put(const std::string& pattern, httplib::Server::Handler handler) {
    m_server.Put(pattern, std::move(handler));
    add(pattern, put_bit);
    return *this;
}

RouteTable& RouteTable::patch(const std::string& pattern, httplib::Server::Handler handler) {
    m_server.Patch(pattern, std::move(handler));
    add(pattern, patch_bit);
    return *this;
}

RouteTable& RouteTable::del(const std::string& pattern, httplib::Server::Handler handler) {
    m_server.Delete(pattern, std::move(handler));
    add(pattern, delete_bit);
    return *this;
}

void RouteTable::add(const std::string& pattern, unsigned method) {
    auto it = std::find_if(m_routes.begin(), m_routes.end(),
                           [&](const Route& r) { return r.text == pattern; });
    if (it == m_routes.end()) {
        m_routes.push_back({pattern, std::regex(pattern), options_bit});
        it = std::prev(m_routes.end());
    }
    it->methods |= method;
}

// The library matches the same patterns against the same path (a whole match), so a path it
// routes is a path found here.
std::string RouteTable::allow(const std::string& path) const {
    unsigned methods = 0;
    for (const auto& r : m_routes) {
        if (std::regex_match(path, r.pattern)) {
            methods |= r.methods;
        }
    }
    std::string out;
    for (const auto& [bit, name] : names) {
        if (methods & bit) {
            out += (out.empty() ? "" : ", ") + std::string(name);
        }
    }
    return out;
}

} // namespace incidentmap::api::detail
