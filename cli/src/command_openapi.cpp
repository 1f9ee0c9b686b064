#include "cli.hpp"
#include "incidentmap/api/server.hpp"

#include <iostream>

namespace incidentmap::cli {

namespace {

int run(const Args& args) {
    const std::string server = args.get_or("server", "http://localhost:8080");
    std::cout << (args.flag("ogc") ? api::openapi_document_ogc(server)
                                   : api::openapi_document(server))
              << "\n";
    return 0;
}

} // namespace

const Command& openapi_command() {
    static const Command c{
        "openapi",
        "print the OpenAPI 3.0 document of the HTTP API",
        "[--ogc] [--server URL]",
        {{"ogc", "", "the document of the OGC API - Features at /ogc (served at /ogc/api)"},
         {"server", "URL", "the server URL the document names (default http://localhost:8080)"}},
        "",
        run};
    return c;
}

} // namespace incidentmap::cli
