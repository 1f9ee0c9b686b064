#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace incidentmap::api {

/// How `incidentmap serve` runs.
struct ServerConfig {
    std::string host = "127.0.0.1";
    int port = 8080; ///< 0 picks a free port (printed and passed to on_listen)
    std::string db = "data/incidents.sqlite";
    std::string gazetteer = "data/gazetteer.sqlite";
    /// Countries posted articles report on ("UA,RU"): the geoparser's focus. Checked against
    /// the gazetteer when the server starts.
    std::string focus;
    std::string web_root;    ///< the web/ folder (index.html, app.js)
    std::string vendor_root; ///< node_modules, for Leaflet
    /// The SHA-256 (token_digest) of each bearer token allowed to write; none = writes refused.
    std::vector<std::string> token_digests;
    bool protect_reads = false; ///< reads need a token too
    std::string cors_origin;    ///< Access-Control-Allow-Origin, empty = no CORS headers
    bool quiet = false;         ///< no access log
    std::size_t max_body_bytes = 8 * 1024 * 1024;
    std::size_t max_limit = 10000; ///< the largest page a client may ask for
    std::size_t threads = 0;       ///< worker threads, 0 = hardware concurrency * 2
    std::function<void(int port)> on_listen;
};

/// Runs the HTTP server until SIGINT/SIGTERM or stop_server(), then returns (the signals'
/// previous handlers back in place). Throws Error when the port cannot be bound or the
/// database / gazetteer cannot be opened.
void run_server(const ServerConfig& config);

/// The OpenAPI 3.0 document describing the HTTP API, with `server_url` as its server.
std::string openapi_document(const std::string& server_url);
/// The OpenAPI 3.0 document of the OGC API - Features alone, paths relative to /ogc.
std::string openapi_document_ogc(const std::string& server_url);

/// Asks a running server (in this process) to stop; nothing when none runs. Thread-safe and
/// async-signal-safe.
void stop_server();

} // namespace incidentmap::api
