// Hostile HTTP against the real binary (the fixture of tests/api/server_fixture.hpp, four
// workers): JSON bodies nested 100,000 deep, clients that send a request a byte a second, and a
// request that waits for a worker longer than the keep-alive timeout. Each must be answered
// (4xx problem+json, or in time) and leave the server answering everyone else.

#include "api/server_fixture.hpp"
#include "faults/hostile/corpus.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
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

// ---------------------------------------------------------------------------------------------
// The corpus of tests/faults/hostile/ (tests/faults/README.md): well over a thousand malformed
// and hostile requests, each sent on a new raw connection. Its own suite, so its own server:
// the wrong tokens at the corpus's end block this address for a minute.

namespace hostile = incidentmap::test::hostile;

class HostileCorpus : public HostileHttp {
protected:
    // What is wrong with an answer to `e` ("" when nothing is).
    static std::string judge(const hostile::Entry& e, const hostile::Answer& a) {
        const int status = a.status();
        if (!a.error.empty()) {
            return a.error + " within 5 s";
        }
        if (status == 0) {
            return e.may_close && a.bytes.empty() ? "" : "no HTTP answer";
        }
        if (status >= 500) {
            return "a server error";
        }
        if (!e.expect.empty() &&
            std::find(e.expect.begin(), e.expect.end(), status) == e.expect.end()) {
            return "an unexpected status";
        }
        if (status >= 400 && a.header("Content-Type") != "application/problem+json") {
            return "a " + std::to_string(status) + " that is not application/problem+json";
        }
        if (e.allow && status == 405 && a.header("Allow") != *e.allow) {
            return "Allow: '" + a.header("Allow") + "', not '" + *e.allow + "'";
        }
        if (e.detail && a.bytes.find(*e.detail) == std::string::npos) {
            return "the answer does not say '" + *e.detail + "'";
        }
        if (e.detail_absent && a.bytes.find(*e.detail_absent) != std::string::npos) {
            return "the answer says '" + *e.detail_absent + "'";
        }
        return "";
    }
    // An answer's start on one line.
    static std::string one_line(std::string text) {
        std::replace(text.begin(), text.end(), '\r', ' ');
        std::replace(text.begin(), text.end(), '\n', '|');
        return text;
    }
    // Whether the server process is still running.
    static bool server_running() { return ::waitpid(s_server->pid(), nullptr, WNOHANG) == 0; }
};

// Each request is answered below 500 within 5 s (or, for a head that cannot end, the
// connection closed), as its entry expects, a 4xx as problem+json; after each, the server
// runs and answers a normal request correctly.
TEST_F(HostileCorpus, EveryRequestIsAnsweredBelow500AndTheServerAnswersTheNext) {
    const auto entries = hostile::read_corpus(
        incidentmap::test::env_or_skip("INCIDENTMAP_HOME") + "/tests/faults/hostile", token);
    ASSERT_GE(entries.size(), 1000u);
    auto probe = client();
    probe.set_keep_alive(true);
    std::map<std::string, int> by_cat;
    double slowest = 0;
    std::string slowest_why;
    for (const auto& e : entries) {
        ++by_cat[e.cat];
        const auto a = hostile::exchange(s_server->port(), e.bytes, std::chrono::seconds(5));
        const auto wrong = judge(e, a);
        EXPECT_TRUE(wrong.empty()) << e.where << " [" << e.cat << "] " << e.why << ": " << wrong
                                   << ": " << one_line(a.bytes.substr(0, 300));
        if (a.seconds > slowest) {
            slowest = a.seconds;
            slowest_why = e.where + " " + e.why;
        }
        ASSERT_TRUE(server_running()) << "the server died after " << e.where << " " << e.why;
        auto res = probe.Get("/api/incidents?limit=1");
        ASSERT_TRUE(res) << "no answer after " << e.where << " " << e.why;
        ASSERT_EQ(res->status, 200) << "after " << e.where << " " << e.why;
        ASSERT_NE(res->body.find("\"FeatureCollection\""), std::string::npos) << e.where;
    }
    std::string counts;
    for (const auto& [cat, n] : by_cat) {
        counts += " " + cat + " " + std::to_string(n);
    }
    std::cout << entries.size() << " entries:" << counts << "; slowest " << slowest << " s ("
              << slowest_why << ")\n";
}

// ---------------------------------------------------------------------------------------------
// Slow clients at the default thread count (the fixture's server is started without --threads):
// 500 idle connections and 200 clients sending a request head a byte a second, each connected
// again when the server closes it (an idle one after the keep-alive timeout, a slow one with
// 408 once its head is 10 s overdue), while a normal request is timed once a second for 15 s.

class SlowClients : public HostileHttp {
protected:
    static void SetUpTestSuite() {
        s_dir = new incidentmap::test::TempDir();
        s_db = backend_db(*s_dir);
        s_server = new Server(s_db, {}, 0);
    }
    // The soft limit of open files of process `pid` ("Max open files" of /proc/PID/limits).
    static long open_files_limit(pid_t pid) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("Max open files", 0) == 0) {
                return std::atol(line.substr(26).c_str());
            }
        }
        return -1;
    }
    // How many descriptors process `pid` has open.
    static long open_files(pid_t pid) {
        const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
        return std::distance(std::filesystem::directory_iterator(fds),
                             std::filesystem::directory_iterator());
    }
    // This process's soft limit raised to its hard limit; the soft limit now.
    static long raise_own_limit() {
        rlimit limit{};
        ::getrlimit(RLIMIT_NOFILE, &limit);
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
        return static_cast<long>(limit.rlim_cur);
    }
};

// The attackers: idle connections and slow heads, kept up until `stop`.
class Attackers {
public:
    Attackers(int (*connect)(int), std::size_t idle, std::size_t slow)
        : m_connect(connect), m_idle(idle, -1), m_slow(slow, -1), m_sent(slow, 0) {}
    Attackers(const Attackers&) = delete;
    Attackers& operator=(const Attackers&) = delete;
    ~Attackers() {
        for (const int fd : m_idle) {
            ::close(fd);
        }
        for (const int fd : m_slow) {
            ::close(fd);
        }
    }
    // Opens what is closed, then once a second sends each slow client its head's next byte,
    // until `stop`.
    void run(const std::atomic<bool>& stop) {
        while (!stop) {
            reopen(m_idle, nullptr);
            reopen(m_slow, &m_sent);
            for (std::size_t k = 0; k < m_slow.size(); ++k) {
                const char byte = head()[m_sent[k] % head().size()];
                if (::send(m_slow[k], &byte, 1, MSG_NOSIGNAL) == 1) {
                    ++m_sent[k];
                }
            }
            for (int t = 0; t < 10 && !stop; ++t) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    }
    [[nodiscard]] std::size_t reconnects() const { return m_reconnects; }
    [[nodiscard]] std::size_t failed() const { return m_failed; }

private:
    // A head that never ends: header lines after the request line, a byte at a time.
    static const std::string& head() {
        static const std::string text =
            "GET /api/incidents?limit=1 HTTP/1.1\r\nHost: t\r\n" + std::string(5000, 'a');
        return text;
    }
    // Connects again each connection that is not open or that the server has closed.
    void reopen(std::vector<int>& fds, std::vector<std::size_t>* sent) {
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (fds[k] >= 0 && !closed_by_server(fds[k])) {
                continue;
            }
            if (fds[k] >= 0) {
                ::close(fds[k]);
                ++m_reconnects;
            }
            fds[k] = m_connect(30);
            m_failed += fds[k] < 0 ? 1 : 0;
            if (sent != nullptr) {
                (*sent)[k] = 0;
            }
        }
    }
    static bool closed_by_server(int fd) {
        pollfd p{fd, POLLIN | POLLRDHUP, 0};
        return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR));
    }

    int (*m_connect)(int);
    std::vector<int> m_idle;
    std::vector<int> m_slow;
    std::vector<std::size_t> m_sent;
    std::size_t m_reconnects = 0;
    std::size_t m_failed = 0;
};

TEST_F(SlowClients, ANormalRequestIsAnsweredWithinASecondBeside500IdleAnd200Slowloris) {
    ASSERT_GE(raise_own_limit(), 1000) << "this test needs 700 connections and more";
    ASSERT_GE(open_files_limit(s_server->pid()), 1000) << "the server raises its limit to "
                                                          "its hard limit, which is too low";
    Attackers attackers(raw_connection, 500, 200);
    std::atomic<bool> stop{false};
    std::thread attack([&] { attackers.run(stop); });
    std::this_thread::sleep_for(std::chrono::seconds(1)); // all connected
    std::vector<double> took;
    long most_fds = 0;
    const auto start = Clock::now();
    while (Clock::now() - start < std::chrono::seconds(15)) {
        most_fds = std::max(most_fds, open_files(s_server->pid()));
        auto c = client(); // a new connection each time, as a new visitor's
        c.set_read_timeout(5, 0);
        const auto asked = Clock::now();
        auto res = c.Get("/api/incidents?limit=5");
        took.push_back(std::chrono::duration<double>(Clock::now() - asked).count());
        EXPECT_TRUE(res) << "no answer at " << took.size() << " s";
        EXPECT_EQ(res ? res->status : 0, 200);
        EXPECT_NE(res ? res->body.find("\"FeatureCollection\"") : std::string::npos,
                  std::string::npos);
        EXPECT_LT(took.back(), 1.0) << "request " << took.size() << " took " << took.back();
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    }
    stop = true;
    attack.join();
    std::sort(took.begin(), took.end());
    std::cout << took.size() << " requests beside 500 idle and 200 slow connections: median "
              << took[took.size() / 2] * 1000 << " ms, slowest " << took.back() * 1000
              << " ms; the server held up to " << most_fds << " descriptors; "
              << attackers.reconnects() << " reconnections\n";
    EXPECT_GE(most_fds, 700) << "the connections were not all held at once";
    EXPECT_EQ(attackers.failed(), 0u) << "connections refused";
}

// With too few descriptors left, a new connection is answered 503 problem+json and closed at
// once, rather than left waiting unaccepted; when descriptors are free again, all is as before.
TEST_F(SlowClients, OutOfDescriptorsANewConnectionIs503AndTheServerLives) {
    const pid_t pid = s_server->pid();
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // earlier connections closed
    rlimit before{};
    ASSERT_EQ(::prlimit(pid, RLIMIT_NOFILE, nullptr, &before), 0);
    rlimit low = before;
    low.rlim_cur = static_cast<rlim_t>(open_files(pid) + 64 + 10); // room for ten connections
    ASSERT_EQ(::prlimit(pid, RLIMIT_NOFILE, &low, nullptr), 0);
    std::vector<int> held;
    int refused = 0;
    for (int k = 0; k < 30; ++k) {
        const int fd = raw_connection(5);
        ASSERT_GE(fd, 0);
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 300) > 0) { // the server spoke first: a refusal
            const std::string in = read_to_end(fd);
            EXPECT_EQ(in.rfind("HTTP/1.1 503 ", 0), 0u) << in.substr(0, 200);
            EXPECT_NE(in.find("application/problem+json"), std::string::npos);
            EXPECT_NE(in.find("Retry-After: 1"), std::string::npos);
            ++refused;
            ::close(fd);
        } else {
            held.push_back(fd);
        }
    }
    EXPECT_GE(refused, 15) << "connections past the descriptor limit were not refused";
    EXPECT_GE(held.size(), 5u);
    ASSERT_EQ(::prlimit(pid, RLIMIT_NOFILE, &before, nullptr), 0);
    for (const int fd : held) {
        ::close(fd);
    }
    ASSERT_EQ(::waitpid(pid, nullptr, WNOHANG), 0) << "the server died";
    expect_alive("running out of descriptors");
}

// ---------------------------------------------------------------------------------------------
// Reads behind a token (--protect-reads): no method reads without it. HEAD runs the GET
// handler, and its headers (the length, the ETag) tell about what the body would hold.

class ProtectedReads : public HostileHttp {
protected:
    static void SetUpTestSuite() {
        s_dir = new incidentmap::test::TempDir();
        s_db = backend_db(*s_dir);
        s_server = new Server(s_db, {"--protect-reads"});
    }
};

TEST_F(ProtectedReads, HeadAndGetNeedTheTokenOptionsDoesNot) {
    for (const char* path : {"/api/incidents?limit=1", "/api/stats", "/api/incidents/1"}) {
        auto res = client().Head(path);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 401) << "HEAD " << path;
        res = client().Get(path);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 401) << "GET " << path;
    }
    auto res = client().Head("/api/stats", with_token());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    httplib::Request options;
    options.method = "OPTIONS";
    options.path = "/api/incidents";
    res = client().send(options);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204);
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD, POST, OPTIONS");
}

} // namespace
