#include "incidentmap/error.hpp"
#include "incidentmap/extract/extract.hpp"

#include "app.hpp"
#include "request.hpp"
#include "responses.hpp"
#include "routes/auth.hpp"
#include "routes/routes.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace incidentmap::api::detail {

namespace {

using nlohmann::json;

// The article of a request body: a JSON object of strings, `text` and optionally `published`,
// `source`, `url` and `title`. Throws InvalidInput.
incidents::ArticleInput article_from(const json& j) {
    if (!j.is_object()) {
        throw InvalidInput("the body must be a JSON object with at least 'text'");
    }
    static const std::set<std::string> allowed = {"text", "published", "source", "url", "title"};
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!allowed.count(it.key())) {
            throw InvalidInput("unknown member '" + it.key().substr(0, 40) +
                               "' (allowed: text, published, source, url, title)");
        }
        if (!it->is_string()) {
            throw InvalidInput("member '" + it.key() + "' must be a string");
        }
    }
    incidents::ArticleInput in;
    in.text = j.value("text", "");
    in.published = j.value("published", "");
    in.source = j.value("source", "");
    in.url = j.value("url", "");
    in.title = j.value("title", "");
    return in;
}

// 201 with what was created and merged, or 200 when the article was stored before (and
// nothing changed); "unplaced" lists the names found only as their region's.
void post_article(App& app, const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res, app)) {
        return;
    }
    check_params(req, {});
    const auto in = article_from(json_body(req));
    auto store = app.pool.acquire();
    auto r = incidents::ingest(*store, app.extractor, in);
    json out = {{"article_id", r.article_id},     {"existed", r.existed},
                {"created", r.created},           {"merged", r.merged},
                {"incident_ids", r.incident_ids}, {"unplaced", r.unplaced}};
    res.status = r.existed ? 200 : 201;
    res.set_content(out.dump(), "application/json");
}

// An incident the article supports, with its evidence spans in the article's text (byte offsets
// of its UTF-8, half-open) and their sentences.
json supported_incident(const incidents::Incident& i, std::int64_t article_id) {
    json spans = json::array();
    for (const auto& e : i.evidence) {
        if (e.article_id == article_id) {
            spans.push_back({{"start", e.begin}, {"end", e.end}, {"text", e.text}});
        }
    }
    return {{"id", i.id},
            {"event_date", i.event_date},
            {"event_type", i.event_type},
            {"sub_event_type", i.sub_event_type},
            {"location", i.location},
            {"fatalities", i.fatalities},
            {"evidence", std::move(spans)},
            {"href", "/api/incidents/" + std::to_string(i.id)}};
}

// GET /api/articles/{id}: the stored article, its text whole, and the incidents it supports with
// the spans of the text that support them (what the map's article panel highlights).
void get_article(App& app, const httplib::Request& req, httplib::Response& res) {
    check_params(req, {});
    const auto id = std::stoll(req.matches[1]);
    auto store = app.pool.acquire();
    json out;
    store->in_snapshot([&] {
        auto a = store->article(id);
        if (!a) {
            throw NotFound("no article with id " + std::to_string(id));
        }
        json supported = json::array();
        for (auto incident_id : store->incidents_of_article(id)) {
            if (auto i = store->get(incident_id)) {
                supported.push_back(supported_incident(*i, id));
            }
        }
        out = {{"id", a->id},     {"title", a->title},         {"source", a->source},
               {"url", a->url},   {"published", a->published}, {"created", a->created},
               {"text", a->text}, {"offsets", "UTF-8 bytes"},  {"incidents", std::move(supported)}};
    });
    send_body(req, res, out.dump(-1, ' ', false, json::error_handler_t::replace),
              "application/json");
}

} // namespace

void register_articles(RouteTable& server, App& app) {
    server.post("/api/articles", with_app(app, post_article));
    server.get(R"(/api/articles/(\d{1,18}))", with_app(app, get_article));
}

} // namespace incidentmap::api::detail
