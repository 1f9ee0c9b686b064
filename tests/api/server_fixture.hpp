#pragma once

// The integration tests' fixture: the real incidentmap binary serving on an ephemeral port,
// with a temporary database and the gazetteer built from the bundled GeoNames data.

#include "store_backends.hpp"
#include "test_support.hpp"

#include <gdal.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace incidentmap::test::serve {

using nlohmann::json;

/// The bearer token the tests' servers accept for writes.
inline constexpr const char* token = "integration-test-token-0123456789";

inline double km_between(double lat1, double lon1, double lat2, double lon2) {
    const double r = 6371.0088;
    const double p1 = lat1 * M_PI / 180, p2 = lat2 * M_PI / 180;
    const double dp = p2 - p1, dl = (lon2 - lon1) * M_PI / 180;
    const double a = std::sin(dp / 2) * std::sin(dp / 2) +
                     std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2 * r * std::asin(std::sqrt(a));
}

// Runs a command and returns its standard output and exit status.
inline std::pair<std::string, int> run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) {
        return {"", -1};
    }
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
        out.append(buf, n);
    }
    int status = ::pclose(p);
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

class Server {
public:
    /// Serves `db` with `threads` workers (0: the server's default); `extra` are further options
    /// of `incidentmap serve`. With a `log` file, the access log goes there (else none).
    explicit Server(const std::string& db, const std::vector<std::string>& extra = {},
                    int threads = 4, const std::string& log = {}) {
        int fds[2];
        if (::pipe(fds) != 0) {
            throw std::runtime_error("pipe failed");
        }
        const std::string bin = env_or_skip("INCIDENTMAP_BIN");
        const std::string home = env_or_skip("INCIDENTMAP_HOME");
        std::vector<std::string> args = {bin,           "serve",
                                         "--port",      "0",
                                         "--db",        db,
                                         "--gazetteer", incidentmap::test::gazetteer_path(),
                                         "--web",       home + "/web",
                                         "--vendor",    home + "/node_modules"};
        if (log.empty()) {
            args.emplace_back("--quiet");
        }
        if (threads > 0) {
            args.insert(args.end(), {"--threads", std::to_string(threads)});
        }
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        std::vector<std::string> env_s;
        for (char** e = environ; *e; ++e) {
            env_s.emplace_back(*e);
        }
        env_s.push_back(std::string("INCIDENTMAP_TOKENS=") + token);
        std::vector<char*> envp;
        for (auto& e : env_s) {
            envp.push_back(e.data());
        }
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        if (!log.empty()) {
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                             O_WRONLY | O_CREAT | O_TRUNC, 0644);
        }
        if (posix_spawn(&m_pid, bin.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
            throw std::runtime_error("cannot start " + bin);
        }
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        // The server prints "incidentmap listening on http://127.0.0.1:PORT/".
        std::string line;
        char c = 0;
        while (::read(fds[0], &c, 1) == 1 && c != '\n') {
            line.push_back(c);
        }
        ::close(fds[0]);
        auto pos = line.rfind(':');
        if (line.find("listening on") == std::string::npos || pos == std::string::npos) {
            throw std::runtime_error("server did not start: '" + line + "'");
        }
        m_port = std::stoi(line.substr(pos + 1));
    }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    ~Server() {
        if (m_pid != 0 && !stop(SIGTERM, std::chrono::seconds(10))) {
            ::kill(m_pid, SIGKILL); // a server that ignores SIGTERM must not hang the tests
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] pid_t pid() const { return m_pid; }
    // Sends `sig` and waits up to `within` for the server to end: its wait status, or nullopt
    // when it is still running.
    std::optional<int> stop(int sig, std::chrono::milliseconds within) {
        ::kill(m_pid, sig);
        const auto deadline = std::chrono::steady_clock::now() + within;
        int status = 0;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                return std::nullopt;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        m_pid = 0;
        return status;
    }

private:
    pid_t m_pid = 0;
    int m_port = 0;
};

// Whether something accepts TCP connections on the loopback port.
inline bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

// The database the server runs on: a SpatiaLite file, or with INCIDENTMAP_TEST_BACKEND=postgis
// a fresh schema of the test cluster.
inline std::string backend_db(const TempDir& dir) {
    const char* b = std::getenv("INCIDENTMAP_TEST_BACKEND");
    if (b != nullptr && std::string(b) == "postgis") {
        return incidentmap::test::fresh_postgis_uri();
    }
    return dir.file("incidents.sqlite");
}

class ApiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new incidentmap::test::TempDir();
        s_db = backend_db(*s_dir);
        s_server = new Server(s_db);
        auto cli = client();
        json body = {{"text", incidentmap::test::sample_article()},
                     {"published", "2022-03-29"},
                     {"source", "dpa"}};
        auto res = cli.Post("/api/articles", {{"Authorization", std::string("Bearer ") + token}},
                            body.dump(), "application/json");
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 201) << res->body;
    }
    static void TearDownTestSuite() {
        delete s_server;
        delete s_dir;
    }
    static httplib::Client client() {
        httplib::Client c("127.0.0.1", s_server->port());
        c.set_read_timeout(30, 0);
        return c;
    }
    static json get_json(const std::string& path, int expect_status = 200) {
        auto res = client().Get(path);
        EXPECT_TRUE(res);
        if (!res) {
            return {};
        }
        EXPECT_EQ(res->status, expect_status) << path << " -> " << res->body;
        return json::parse(res->body);
    }
    // The server's OGC API through GDAL's OAPIF driver (nullptr when GDAL cannot open it).
    static GDALDatasetH open_oapif() {
        GDALAllRegister();
        const std::string url =
            "OAPIF:http://127.0.0.1:" + std::to_string(s_server->port()) + "/ogc";
        return GDALOpenEx(url.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                          nullptr);
    }
    // A plain TCP connection to the server (-1 on failure), reads timing out after `seconds`.
    static int raw_connection(int seconds) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(s_server->port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            if (fd >= 0) {
                ::close(fd);
            }
            return -1;
        }
        timeval tv{seconds, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        return fd;
    }
    static bool has_feature_near(const json& fc, double lat, double lon, double km) {
        for (const auto& f : fc["features"]) {
            const auto& c = f["geometry"]["coordinates"];
            if (km_between(lat, lon, c[1].get<double>(), c[0].get<double>()) <= km) {
                return true;
            }
        }
        return false;
    }
    static inline incidentmap::test::TempDir* s_dir = nullptr;
    static inline std::string s_db;
    static inline Server* s_server = nullptr;
};

// A server on its own store holding the UCDP file (tests/data/ucdp: real events in Ukraine).
class UcdpServer {
public:
    UcdpServer() : m_db(backend_db(m_dir)) {
        const auto file = env_or_skip("INCIDENTMAP_HOME") + "/tests/data/ucdp/ucdp-ged-ukraine.csv";
        auto [out, status] = run(env_or_skip("INCIDENTMAP_BIN") + " import " + file +
                                 " --quiet --db '" + m_db + "' 2>&1");
        EXPECT_EQ(status, 0) << out;
        m_server.emplace(m_db);
    }
    json get(const std::string& path, int expect_status = 200) {
        httplib::Client c("127.0.0.1", m_server->port());
        c.set_read_timeout(60, 0);
        auto res = c.Get(path);
        EXPECT_TRUE(res) << path;
        if (!res) {
            return {};
        }
        EXPECT_EQ(res->status, expect_status) << path << " -> " << res->body;
        return json::parse(res->body);
    }

    [[nodiscard]] int port() const { return m_server->port(); }

private:
    incidentmap::test::TempDir m_dir;
    std::string m_db;
    std::optional<Server> m_server;
};

} // namespace incidentmap::test::serve
