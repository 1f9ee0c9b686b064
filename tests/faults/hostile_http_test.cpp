// Hostile HTTP against the real binary (the fixture of tests/api/server_fixture.hpp, four
// workers): JSON bodies nested 100,000 deep, clients that send a request a byte a second, and a
// request that waits for a worker longer than the keep-alive timeout. Each must be answered
// (4xx problem+json, or in time) and leave the server answering everyone else.

#include "api/server_fixture.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace incidentmap::test::serve;
using Clock = std::chrono::steady_clock;

class HostileHttp : public ApiTest {
protected:
    static httplib::Headers with_token() {
        return {{"Authorization", std::string("Bearer ") + token}};
    }
    // The server still answers a normal request correctly.
    static void expect_alive(const std::string& after) {
        auto res = client().Get("/api/incidents?limit=1");
        ASSERT_TRUE(res) << "no answer after " << after;
        EXPECT_EQ(res->status, 200) << "after " << after;
        EXPECT_NE(res->body.find("FeatureCollection"), std::string::npos) << "after " << after;
    }
    // Sends `body` and expects 400 problem+json naming the nesting limit.
    static void expect_depth_refused(const std::string& method, const std::string& path,
                                     const std::string& body, const std::string& what) {
        httplib::Request req;
        req.method = method;
        req.path = path;
        req.headers = with_token();
        req.body = body;
        req.set_header("Content-Type", "application/json");
        auto res = client().send(req);
        ASSERT_TRUE(res) << method << " " << path << " (" << what << "): no answer";
        EXPECT_EQ(res->status, 400) << method << " " << path << " (" << what << ")";
        EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
        EXPECT_NE(res->body.find("more than 64 levels deep (the limit)"), std::string::npos)
            << method << " " << path << " (" << what << "): " << res->body.substr(0, 300);
        expect_alive(method + " " + path + " (" + what + ")");
    }
    static std::string nested(std::size_t depth) {
        return std::string(depth, '[') + std::string(depth, ']');
    }
    // The bodies that once killed the server: 100,000 '[' alone, and documents nested as deep
    // where each route walks them.
    static std::vector<std::pair<std::string, std::string>> deep_bodies(const char* member) {
        const std::string deep = nested(100000);
        return {{"100,000 '['", std::string(100000, '[')},
                {"a nested value", std::string("{\"") + member + "\":" + deep + "}"},
                {"a nested geometry",
                 R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":)" + deep +
                     R"(},"properties":{}})"},
                {"a nested polygon in a search",
                 R"({"within":{"type":"Polygon","coordinates":)" + deep + "}}"}};
    }
    // A new incident's id, for the routes that change one.
    static std::string new_incident() {
        const json f = {{"type", "Feature"},
                        {"geometry", {{"type", "Point"}, {"coordinates", {31.99, 46.97}}}},
                        {"properties",
                         {{"event_date", "2022-03-29"},
                          {"event_type", "Battles"},
                          {"country", "UA"},
                          {"location", "Mykolayiv"}}}};
        auto res = client().Post("/api/incidents", with_token(), f.dump(), "application/json");
        EXPECT_TRUE(res);
        EXPECT_EQ(res ? res->status : 0, 201);
        return res ? std::to_string(json::parse(res->body)["id"].get<long long>()) : "0";
    }
    // Sends all of `text` on a raw connection.
    static bool send_all(int fd, const std::string& text) {
        return ::send(fd, text.data(), text.size(), MSG_NOSIGNAL) ==
               static_cast<ssize_t>(text.size());
    }
    // What a raw connection receives until the server closes it (or the read times out).
    static std::string read_to_end(int fd) {
        std::string in;
        char buf[4096];
        for (ssize_t r = 0; (r = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
            in.append(buf, static_cast<std::size_t>(r));
        }
        return in;
    }
};

// One limit on the nesting of JSON bodies (64 levels) on the routes that read JSON and need no
// token or any: 400 problem+json that names it, and the server lives on.
TEST_F(HostileHttp, DeeplyNestedJsonBodiesAreRefusedAndTheServerLives) {
    for (const auto& [what, body] : deep_bodies("filter")) {
        expect_depth_refused("POST", "/api/incidents/search", body, what);
    }
    for (const auto& [what, body] : deep_bodies("text")) {
        expect_depth_refused("POST", "/api/articles", body, what);
    }
    // Brackets inside strings do not count; 64 levels are within the limit (the body is then
    // refused for what it says, not for its depth).
    const std::string in_string =
        R"({"q":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[)"
        R"([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"{{{{{{{{{{{{ Mykolayiv"})";
    auto res = client().Post("/api/incidents/search", in_string, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body.substr(0, 300);
    res =
        client().Post("/api/incidents/search", "{\"bbox\":" + nested(63) + "}", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(res->body.find("levels deep"), std::string::npos) << res->body.substr(0, 300);
    expect_depth_refused("POST", "/api/incidents/search", "{\"bbox\":" + nested(64) + "}",
                         "65 levels");
}

// The same for the writes (with a token). Disabled until the writes of api/src/routes/
// incident_writes.cpp read their body through detail::json_text (request.hpp), which applies
// the limit: today a nested geometry or merge patch overflows the stack in the Feature reader.
TEST_F(HostileHttp, DeeplyNestedJsonWritesAreRefusedAndTheServerLives) {
    const std::string id = new_incident();
    for (const auto& [what, body] : deep_bodies("properties")) {
        expect_depth_refused("POST", "/api/incidents", body, what);
        expect_depth_refused("PUT", "/api/incidents/" + id, body, what);
        expect_depth_refused("PATCH", "/api/incidents/" + id, body, what);
        expect_depth_refused("POST", "/ogc/collections/incidents/items", body, what);
        expect_depth_refused("PUT", "/ogc/collections/incidents/items/" + id, body, what);
    }
}

// Slowloris: eight clients each sending a request head a byte a second (twice the workers)
// leave a normal request answered at once; each of them is answered 408 once its head is 10 s
// overdue, and so is a client that sent half a head and fell silent.
TEST_F(HostileHttp, SlowClientsHoldNoWorkerAndAre408AfterTenSeconds) {
    const std::string head =
        "GET /api/incidents?limit=1 HTTP/1.1\r\nHost: t\r\nX-Slow: " + std::string(100, 'a') +
        "\r\n\r\n";
    std::vector<int> slow;
    for (int k = 0; k < 8; ++k) {
        slow.push_back(raw_connection(20));
        ASSERT_GE(slow.back(), 0);
    }
    const int silent = raw_connection(20);
    ASSERT_GE(silent, 0);
    ASSERT_TRUE(send_all(silent, head.substr(0, 20)));
    const auto start = Clock::now();
    std::atomic<bool> stop{false};
    // Nine bytes in nine seconds; then silent, so that the server's close after its 408 finds
    // nothing unread (which would reset the connection before the client reads the answer).
    std::thread drip([&] {
        for (std::size_t i = 0; i < 9 && !stop; ++i) {
            for (const int fd : slow) {
                send_all(fd, head.substr(i, 1)); // fails once the server has closed it
            }
            for (int t = 0; t < 10 && !stop; ++t) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto c = client();
    c.set_read_timeout(5, 0);
    const auto asked = Clock::now();
    auto res = c.Get("/api/incidents?limit=5");
    const double took = std::chrono::duration<double>(Clock::now() - asked).count();
    EXPECT_TRUE(res) << "a normal request is not answered while slow clients send";
    EXPECT_EQ(res ? res->status : 0, 200);
    EXPECT_LT(took, 2.0) << "a normal request waited behind slow clients";

    for (const int fd : slow) {
        const std::string in = read_to_end(fd);
        const double at = std::chrono::duration<double>(Clock::now() - start).count();
        EXPECT_EQ(in.rfind("HTTP/1.1 408 ", 0), 0u) << in.substr(0, 200);
        EXPECT_NE(in.find("application/problem+json"), std::string::npos);
        EXPECT_GT(at, 9.5);
        EXPECT_LT(at, 13.0);
        ::close(fd);
    }
    const std::string in = read_to_end(silent);
    EXPECT_EQ(in.rfind("HTTP/1.1 408 ", 0), 0u) << "the silent client: " << in.substr(0, 200);
    ::close(silent);
    stop = true;
    drip.join();
    expect_alive("slow clients");
}

// A request that arrives while every worker is busy waits for one, however long: the sweep of
// idle connections (keep-alive timeout 5 s) does not close a connection whose request is there.
// The four workers are kept busy by bodies sent a byte a second for 7 s.
TEST_F(HostileHttp, AQueuedRequestOutlivesTheIdleSweep) {
    const int seconds = 7;
    const std::string body = "{\"q\":\"Mykolayiv\"}";
    const std::string head = "POST /api/incidents/search HTTP/1.1\r\nHost: t\r\n"
                             "Connection: close\r\nContent-Type: application/json\r\n"
                             "Content-Length: " +
                             std::to_string(body.size() + seconds) + "\r\n\r\n";
    std::vector<int> busy;
    for (int k = 0; k < 4; ++k) {
        busy.push_back(raw_connection(30));
        ASSERT_GE(busy.back(), 0);
        ASSERT_TRUE(send_all(busy.back(), head + body.substr(0, 1)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // each worker reads a body
    const int queued = raw_connection(30);
    ASSERT_GE(queued, 0);
    ASSERT_TRUE(send_all(queued, "GET /api/incidents?limit=1 HTTP/1.1\r\nHost: t\r\n"
                                 "Connection: close\r\n\r\n"));
    for (int s = 0; s < seconds; ++s) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        for (const int fd : busy) {
            send_all(fd, " "); // JSON allows white space after the '{'
        }
    }
    for (const int fd : busy) {
        send_all(fd, body.substr(1));
    }
    const std::string in = read_to_end(queued);
    EXPECT_EQ(in.rfind("HTTP/1.1 200 ", 0), 0u)
        << "the queued request was closed unanswered: '" << in.substr(0, 200) << "'";
    EXPECT_NE(in.find("FeatureCollection"), std::string::npos);
    ::close(queued);
    for (const int fd : busy) {
        EXPECT_EQ(read_to_end(fd).rfind("HTTP/1.1 200 ", 0), 0u);
        ::close(fd);
    }
    expect_alive("a queued request");
}

// A URL over the library's limit is 414 problem+json that names the limit and the way around it.
TEST_F(HostileHttp, LongUrlsAre414NamingTheLimit) {
    auto res = client().Get("/api/incidents?q=" + std::string(100000, 'a'));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 414);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_NE(res->body.find("longer than 8192 bytes (the limit)"), std::string::npos) << res->body;
    expect_alive("a 100 KB URL");
}

} // namespace
