#pragma once

#include "routes/route_table.hpp"

#include <httplib.h>

namespace incidentmap::api::detail {

struct App;

/// A route handler that reads the shared state.
using AppHandler = void (*)(App& app, const httplib::Request& req, httplib::Response& res);

/// `handler` bound to `app`, as a cpp-httplib handler.
inline httplib::Server::Handler with_app(App& app, AppHandler handler) {
    return [&app, handler](const httplib::Request& req, httplib::Response& res) {
        handler(app, req, res);
    };
}

// Each function adds the routes of one resource to the server. The handlers keep a reference
// to `app`, which must outlive the server.

/// CORS headers on every answer, OPTIONS answered from the routes' methods and, with
/// protect_reads, the token check of reads under /api (a pre-routing handler).
void register_auth(RouteTable& server, App& app);
/// The web map and Leaflet: /, /web/*, /vendor/leaflet/*, /vendor/markercluster/*.
void register_static_files(RouteTable& server, App& app);
/// The REST API's incidents: /api/incidents (list, create, read, replace, change, delete),
/// /api/incidents/search, /api/export and /api/stats.
void register_incidents(RouteTable& server, App& app);
/// POST /api/articles: extract incidents from a news report and store them.
void register_articles(RouteTable& server, App& app);
/// The gazetteer: /api/geocode, /api/reverse and the country outlines at /api/countries.
void register_places(RouteTable& server, App& app);
/// OGC API - Features (Parts 1, 3 and 4) under /ogc.
void register_ogc(RouteTable& server, App& app);
/// OGC API - Tiles: vector tiles of the incidents and their clusters.
void register_tiles(RouteTable& server, App& app);
/// The OpenAPI documents: /api (the REST API) and /ogc/api (the OGC API).
void register_openapi(RouteTable& server, App& app);

} // namespace incidentmap::api::detail
