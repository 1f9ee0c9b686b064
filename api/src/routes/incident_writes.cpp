#include "routes/incident_writes.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/formats/geojson_writer.hpp"
#include "incidentmap/incidents/feature.hpp"

#include "app.hpp"
#include "request.hpp"
#include "responses.hpp"
#include "routes/auth.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace incidentmap::api::detail {

namespace {

using nlohmann::json;

// RFC 7396 JSON merge patch.
void merge_patch(json& target, const json& patch) {
    if (!patch.is_object()) {
        target = patch;
        return;
    }
    if (!target.is_object()) {
        target = json::object();
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.value().is_null()) {
            target.erase(it.key());
        } else {
            merge_patch(target[it.key()], it.value());
        }
    }
}

// The current Feature with a merge patch applied, as JSON text.
std::string patched(const incidents::Incident& current, const std::string& patch_text) {
    json doc = json::parse(incidents::incident_feature(current));
    json p;
    try {
        p = json::parse(patch_text);
    } catch (const json::exception& e) {
        throw InvalidInput(std::string("malformed JSON body: ") + e.what());
    }
    merge_patch(doc, p);
    return doc.dump();
}

} // namespace

void create_incident(App& app, const httplib::Request& req, httplib::Response& res,
                     const std::string& location) {
    if (!authorized(req, res, app)) {
        return;
    }
    check_params(req, {});
    incidents::Incident i = incidents::incident_from_feature(json_text(req));
    auto store = app.pool.acquire();
    std::vector<incidents::Incident> one{std::move(i)};
    store->insert(one);
    res.set_header("Location", location + std::to_string(one.front().id));
    send_feature(req, res, one.front(), 201);
}

void replace_incident(App& app, const httplib::Request& req, httplib::Response& res, bool patch) {
    if (!authorized(req, res, app)) {
        return;
    }
    check_params(req, {});
    const std::string& body = json_text(req);
    const auto id = std::stoll(req.matches[1]);
    auto store = app.pool.acquire();
    auto current = store->get(id);
    if (!current) {
        throw NotFound("no incident with id " + std::to_string(id));
    }
    if (auto match = req.get_header_value("If-Match");
        !match.empty() && match != etag_of(incidents::incident_feature(*current))) {
        send_problem(res, problem(412, "the incident changed since you read it (ETag mismatch)"));
        return;
    }
    incidents::Incident next =
        incidents::incident_from_feature(patch ? patched(*current, body) : body);
    next.id = id;
    next.evidence = current->evidence;
    store->update(next);
    send_feature(req, res, *store->get(id));
}

void delete_incident(App& app, const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res, app)) {
        return;
    }
    check_params(req, {});
    auto store = app.pool.acquire();
    if (!store->remove(std::stoll(req.matches[1]))) {
        throw NotFound("no incident with id " + std::string(req.matches[1]));
    }
    res.status = 204;
}

} // namespace incidentmap::api::detail
