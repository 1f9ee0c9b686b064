#include "responses.hpp"

#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/incidents/clock.hpp"
#include "incidentmap/incidents/feature.hpp"

#include "app.hpp"
#include "gzip.hpp"

namespace incidentmap::api::detail {

std::string now_iso() {
    return incidents::utc_now();
}

void send_body(const httplib::Request& req, httplib::Response& res, const std::string& body,
               const char* type) {
    res.set_header("Vary", "Accept-Encoding");
    if (body.size() >= 1024 &&
        req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
        if (auto gz = gzip_fast(body)) {
            res.set_header("Content-Encoding", "gzip");
            res.set_content(*gz, type);
            return;
        }
    }
    res.set_content(body, type);
}

void send_problem(httplib::Response& res, const Problem& p) {
    res.status = p.status;
    if (p.retry_after > 0) {
        res.set_header("Retry-After", std::to_string(p.retry_after));
    }
    res.set_content(p.json(), "application/problem+json");
}

std::string etag_of(const std::string& feature_json) {
    return "\"" + incidents::text_digest(feature_json) + "\"";
}

void send_feature(const httplib::Request& req, httplib::Response& res,
                  const incidents::Incident& incident, int status) {
    std::string body = incidents::incident_feature(incident);
    std::string tag = etag_of(body);
    res.set_header("ETag", tag);
    if (status == 200 && req.get_header_value("If-None-Match") == tag) {
        res.status = 304;
        return;
    }
    res.status = status;
    send_body(req, res, body, "application/geo+json");
}

std::string page_members(const incidents::QueryResult& result) {
    return "\"numberMatched\":" + std::to_string(result.number_matched.value_or(0)) +
           ",\"numberReturned\":" + std::to_string(result.incidents.size()) + ",\"timeStamp\":\"" +
           now_iso() + "\"";
}

std::string feature_collection(const incidents::QueryResult& result, const std::string& members,
                               const std::string& trailing) {
    std::string body;
    // About 600 bytes a feature: one allocation instead of a doubling series of copies.
    body.reserve(result.incidents.size() * 640 + 4096);
    incidents::GeoJsonWriter writer([&](std::string_view chunk) { body.append(chunk); }, members);
    for (const auto& i : result.incidents) {
        writer.add(i);
    }
    writer.finish(trailing);
    return body;
}

void write_collection(const httplib::Request& req, httplib::Response& res,
                      incidents::IncidentStore& store, const incidents::IncidentQuery& q,
                      const std::string& extra_members) {
    auto result = store.query(q);
    std::string members = page_members(result);
    if (!extra_members.empty()) {
        members += "," + extra_members;
    }
    std::string trailing;
    if (result.next_cursor) {
        // Keyset paging: the cursor, and the link that carries it.
        trailing += "\"next_cursor\":";
        geo::append_json_string(trailing, *result.next_cursor);
    }
    send_body(req, res, feature_collection(result, members, trailing), "application/geo+json");
}

void answer_cached(App& app, incidents::IncidentStore& store, const httplib::Request& req,
                   httplib::Response& res, const std::function<void()>& respond) {
    store.in_snapshot([&] {
        const auto version = store.version();
        if (!version) {
            respond();
            return;
        }
        const auto second = std::time(nullptr);
        std::string key = req.method + ' ' + req.target + '\n' + req.get_header_value("Host") +
                          '\n' + req.get_header_value("Accept") + '\n' +
                          req.get_header_value("Accept-Encoding");
        if (app.responses.get(key, *version, second, res)) {
            return;
        }
        respond();
        app.responses.put(std::move(key), *version, second, res);
    });
}

} // namespace incidentmap::api::detail
