#include "app.hpp"
#include "responses.hpp"
#include "routes/routes.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace incidentmap::api::detail {

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const char* mime_for(const fs::path& p) {
    auto ext = p.extension().string();
    if (ext == ".html")
        return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs")
        return "application/javascript";
    if (ext == ".css")
        return "text/css";
    if (ext == ".png")
        return "image/png";
    if (ext == ".svg")
        return "image/svg+xml";
    if (ext == ".json")
        return "application/json";
    return "application/octet-stream";
}

void serve_file(httplib::Response& res, const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
        send_problem(res, problem(404, "no such file"));
        return;
    }
    res.set_content(read_file(p), mime_for(p));
}

} // namespace

// The route patterns admit no '/' (or, for the packages' nested dist/ folders, no "..") so that
// a request cannot name a file outside the folders served.
void register_static_files(RouteTable& server, App& app) {
    server.get("/", [&app](const httplib::Request&, httplib::Response& res) {
        serve_file(res, fs::path(app.config.web_root) / "index.html");
    });
    server.get(R"(/web/([A-Za-z0-9_.-]+))",
               [&app](const httplib::Request& req, httplib::Response& res) {
                   serve_file(res, fs::path(app.config.web_root) / std::string(req.matches[1]));
               });
    // The npm packages the page loads, each from its dist/ folder of node_modules.
    struct Vendor {
        const char* route;
        const char* folder;
    };
    static constexpr Vendor vendors[] = {{"leaflet", "leaflet/dist"},
                                         {"markercluster", "leaflet.markercluster/dist"},
                                         {"heat", "leaflet.heat/dist"},
                                         {"togeojson", "@tmcw/togeojson/dist"}};
    for (const auto& v : vendors) {
        server.get(std::string("/vendor/") + v.route + R"(/([A-Za-z0-9_./-]+))",
                   [&app, folder = v.folder](const httplib::Request& req, httplib::Response& res) {
                       const std::string rel = req.matches[1];
                       if (rel.find("..") != std::string::npos) {
                           send_problem(res, problem(400, "bad path"));
                           return;
                       }
                       serve_file(res, fs::path(app.config.vendor_root) / folder / rel);
                   });
    }
}

} // namespace incidentmap::api::detail
