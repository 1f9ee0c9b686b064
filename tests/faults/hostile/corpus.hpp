#pragma once

// The hostile HTTP corpus (tests/faults/hostile/*.jsonl, described in tests/faults/README.md):
// its entries read into the bytes a client sends and what the answer must be, and one
// exchange on a raw socket, so that malformed heads can be sent as they are.

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace incidentmap::test::hostile {

/// One request of the corpus and what its answer must be.
struct Entry {
    std::string where; ///< file:line
    std::string cat;
    std::string why;
    std::string bytes;       ///< the request, as sent
    std::vector<int> expect; ///< the statuses allowed; empty: any below 500
    std::optional<std::string> allow;
    std::optional<std::string> detail;        ///< the answer's body contains it
    std::optional<std::string> detail_absent; ///< the answer's body does not contain it
    bool may_close = false; ///< the server may close the connection without answering
};

/// A string of the corpus as bytes: each character U+0000..U+00FF is one byte (the JSON text
/// reads as UTF-8, so each such character arrives as one or two bytes). Throws on any other.
inline std::string bytes_of_text(const std::string& utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
            const auto next = static_cast<unsigned char>(utf8[++i]);
            out.push_back(static_cast<char>(((c & 0x1F) << 6) | (next & 0x3F)));
        } else {
            throw std::runtime_error("a corpus string holds a character above U+00FF");
        }
    }
    return out;
}

/// A field: a string, or pieces (a string, or [string, times]).
inline std::string bytes_of(const nlohmann::json& field) {
    if (field.is_string()) {
        return bytes_of_text(field.get<std::string>());
    }
    std::string out;
    for (const auto& piece : field) {
        if (piece.is_string()) {
            out += bytes_of_text(piece.get<std::string>());
        } else {
            const std::string one = bytes_of_text(piece.at(0).get<std::string>());
            const auto times = piece.at(1).get<std::size_t>();
            out.reserve(out.size() + one.size() * times);
            for (std::size_t k = 0; k < times; ++k) {
                out += one;
            }
        }
    }
    return out;
}

inline bool same_name(std::string a, std::string b) {
    auto lower = [](std::string& s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    };
    lower(a);
    lower(b);
    return a == b;
}

/// The request of an entry made of parts: the request line, the entry's headers, Host,
/// Connection: close and Content-Length unless the entry sets them, the token it asks for.
inline std::string request_of(const nlohmann::json& j, const std::string& token) {
    std::string head = bytes_of(j.at("method")) + " " + bytes_of(j.at("target")) + " " +
                       (j.contains("version") ? bytes_of(j["version"]) : "HTTP/1.1") + "\r\n";
    bool host = false, connection = false, framing = false;
    for (const auto& h : j.value("headers", nlohmann::json::array())) {
        const std::string name = bytes_of(h.at(0));
        const std::string line = name + ": " + bytes_of(h.at(1)) + "\r\n";
        for (std::size_t k = 0; k < (h.size() > 2 ? h[2].get<std::size_t>() : 1); ++k) {
            head += line;
        }
        host = host || same_name(name, "host");
        connection = connection || same_name(name, "connection");
        framing =
            framing || same_name(name, "content-length") || same_name(name, "transfer-encoding");
    }
    head += host ? "" : "Host: hostile\r\n";
    head += connection ? "" : "Connection: close\r\n";
    if (const auto auth = j.value("auth", std::string()); !auth.empty()) {
        head += "Authorization: Bearer " + (auth == "token" ? token : "wrong-" + token) + "\r\n";
    }
    std::string body = j.contains("body") ? bytes_of(j["body"]) : std::string();
    if (j.contains("body") && !framing && !j.value("no_length", false)) {
        head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    return head + "\r\n" + body;
}

inline Entry entry_of(const nlohmann::json& j, const std::string& where, const std::string& token) {
    Entry e;
    e.where = where;
    e.cat = j.at("cat").get<std::string>();
    e.why = j.at("why").get<std::string>();
    e.bytes = j.contains("raw") ? bytes_of(j["raw"]) : request_of(j, token);
    if (j.contains("expect")) {
        e.expect = j["expect"].is_array() ? j["expect"].get<std::vector<int>>()
                                          : std::vector<int>{j["expect"].get<int>()};
    }
    for (auto [key, field] : {std::pair{"allow", &e.allow}, std::pair{"detail", &e.detail},
                              std::pair{"detail_absent", &e.detail_absent}}) {
        if (j.contains(key)) {
            *field = j[key].get<std::string>();
        }
    }
    e.may_close = j.value("may_close", false);
    return e;
}

/// Every entry of the *.jsonl files in `dir`, in the order of their names and lines.
inline std::vector<Entry> read_corpus(const std::filesystem::path& dir, const std::string& token) {
    std::vector<std::filesystem::path> files;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (f.path().extension() == ".jsonl") {
            files.push_back(f.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<Entry> out;
    for (const auto& f : files) {
        std::ifstream in(f);
        std::string line;
        for (std::size_t n = 1; std::getline(in, line); ++n) {
            if (!line.empty()) {
                const std::string where = f.filename().string() + ":" + std::to_string(n);
                out.push_back(entry_of(nlohmann::json::parse(line), where, token));
            }
        }
    }
    return out;
}

/// What came back for one request.
struct Answer {
    std::string bytes;     ///< everything the server sent
    bool finished = false; ///< the server closed (or reset) the connection in time
    std::string error;     ///< why the exchange failed, if it did
    double seconds = 0;

    /// Where the first final response starts: after any 1xx (100 Continue).
    [[nodiscard]] std::size_t final_start() const {
        std::size_t at = 0;
        while (bytes.compare(at, 10, "HTTP/1.1 1") == 0) {
            const auto end = bytes.find("\r\n\r\n", at);
            if (end == std::string::npos) {
                return at;
            }
            at = end + 4;
        }
        return at;
    }
    /// The status of the first final response; 0 when none came.
    [[nodiscard]] int status() const {
        const auto at = final_start();
        if (bytes.compare(at, 7, "HTTP/1.") != 0 || bytes.size() < at + 12) {
            return 0;
        }
        return std::atoi(bytes.substr(at + 9, 3).c_str());
    }
    /// A header of the first final response ("" when it has none).
    [[nodiscard]] std::string header(const std::string& name) const {
        const auto end = bytes.find("\r\n\r\n", final_start());
        std::size_t at = bytes.find("\r\n", final_start());
        while (at != std::string::npos && at < end) {
            const auto next = bytes.find("\r\n", at + 2);
            const std::string line = bytes.substr(at + 2, next - at - 2);
            if (const auto colon = line.find(':');
                colon != std::string::npos && same_name(line.substr(0, colon), name)) {
                const auto v = line.find_first_not_of(' ', colon + 1);
                return v == std::string::npos ? "" : line.substr(v);
            }
            at = next;
        }
        return "";
    }
};

/// Sends `request` on a new connection to the loopback `port`, closes the sending side, and
/// reads until the server closes the connection or `timeout` passes. Sending and reading
/// interleave, so that an early answer (413 to a long body) is read while the body goes out.
inline Answer exchange(int port, const std::string& request, std::chrono::milliseconds timeout) {
    Answer a;
    const auto start = std::chrono::steady_clock::now();
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 &&
        errno != EINPROGRESS) {
        a.error = "connect failed";
        ::close(fd);
        return a;
    }
    std::size_t sent = 0;
    bool sending = true;
    char buf[65536];
    while (!a.finished) {
        const auto left = timeout - (std::chrono::steady_clock::now() - start);
        if (left <= std::chrono::milliseconds(0)) {
            a.error = sending ? "the server stopped reading the request" : "no end of answer";
            break;
        }
        pollfd p{fd, static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
        ::poll(&p, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count()));
        if (sending && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
            const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
            }
            if (sent == request.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                sending = false; // all sent, or the server will read no more
                ::shutdown(fd, SHUT_WR);
            }
        }
        if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
            const auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0) {
                a.bytes.append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                a.finished = true; // closed, or reset after its answer
            }
        }
    }
    ::close(fd);
    a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return a;
}

} // namespace incidentmap::test::hostile
