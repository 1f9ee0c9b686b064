#include "incidentmap/api/server.hpp"

#include "request.hpp"
#include "routes/routes.hpp"

namespace incidentmap::api::detail {

// The documents name the server the way the client reached it (its Host header).
void register_openapi(RouteTable& server, App&) {
    server.get("/api", [](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        res.set_content(openapi_document(self_base(req)),
                        "application/vnd.oai.openapi+json;version=3.0");
    });
    server.get("/ogc/api", [](const httplib::Request& req, httplib::Response& res) {
        check_params(req, {"f"});
        res.set_content(openapi_document_ogc(self_base(req)),
                        "application/vnd.oai.openapi+json;version=3.0");
    });
}

} // namespace incidentmap::api::detail
