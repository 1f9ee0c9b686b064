#include "incidentmap/error.hpp"
#include "incidentmap/extract/extract.hpp"

#include "app.hpp"
#include "request.hpp"
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

} // namespace

void register_articles(RouteTable& server, App& app) {
    server.post("/api/articles", with_app(app, post_article));
}

} // namespace incidentmap::api::detail
