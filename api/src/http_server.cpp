#include "http_server.hpp"

#include "incidentmap/api/problem.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace incidentmap::api::detail {

namespace {

/// How often a connection blocked in `recv` wakes to check whether the server is stopping.
constexpr auto tick = std::chrono::milliseconds(50);

/// Output is sent when this much has gathered, and always at the end of a response.
constexpr std::size_t send_threshold = 64 * 1024;

/// A request's head (request line and headers) must have arrived this long after its first
/// byte, its body this long after its head; past that the connection is answered 408 and
/// closed. A head is gathered in the epoll set, holding no worker, so a client sending a byte a
/// second costs a wake-up a second, not a worker; a body is read by the worker that parses the
/// request, which the body deadline frees again.
constexpr auto head_timeout = std::chrono::seconds(10);
constexpr auto body_timeout = std::chrono::seconds(30);

/// What a connection's input buffer holds at first, and the most a request head may fill while
/// it is gathered: a head longer than that (the library refuses a request line over 8 KB with
/// 414) is handed to the library as it is.
constexpr std::size_t initial_buffer = 16 * 1024;
constexpr std::size_t max_gathered_head = 64 * 1024;

/// The longest request line the library reads (CPPHTTPLIB_REQUEST_URI_MAX_LENGTH): a head whose
/// request line is longer is the library's to refuse (414, naming the URL limit); a head whose
/// headers are longer than max_gathered_head is refused here (431).
constexpr std::size_t max_request_line = 8192;

/// The most connections served at once (each holds a 16 KB buffer at least); one more is
/// answered 503 and closed.
constexpr std::size_t max_connections = 10000;

/// File descriptors kept free for serving (the store's files, an export's temporary files): a
/// connection that would leave fewer is answered 503 and closed rather than accepted until the
/// process runs out of descriptors, where accepting stops altogether (the library retries
/// accept() while it fails with EMFILE, leaving clients waiting unanswered).
constexpr rlim_t fd_reserve = 64;

/// Connections the kernel completes and queues before the server accepts them. The library
/// listens with a queue of 5: a burst of new connections beyond it has its handshakes dropped,
/// and those clients wait a second or more for their SYN to be sent again. (The kernel caps it
/// at net.core.somaxconn.)
constexpr int listen_backlog = 4096;

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
        ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
        ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
        port = ntohs(a->sin6_port);
    }
    ip = text;
}

/// A connection's byte stream: reads through a buffer, writes into one until a response is
/// complete (or large), flushing any pending output before it blocks to read.
class ConnectionStream final : public httplib::Stream {
public:
    ConnectionStream(socket_t sock, const std::atomic<socket_t>& listener,
                     std::chrono::seconds read_timeout)
        : m_sock(sock), m_listener(listener), m_read_timeout(read_timeout), m_in(initial_buffer) {}

    bool is_readable() const override { return true; }
    bool is_writable() const override { return !m_failed; }

    ssize_t read(char* ptr, std::size_t size) override {
        if (m_begin == m_end) {
            if (!flush()) {
                return -1;
            }
            if (size >= m_in.size()) { // a large body: straight into the caller's buffer
                return receive(ptr, size);
            }
            const auto n = receive(m_in.data(), m_in.size());
            if (n <= 0) {
                return n;
            }
            m_begin = 0;
            m_end = static_cast<std::size_t>(n);
        }
        const auto n = std::min(size, m_end - m_begin);
        std::memcpy(ptr, m_in.data() + m_begin, n);
        m_begin += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, std::size_t size) override {
        if (m_failed || m_timed_out) { // a request that timed out is answered 408, not this
            return -1;
        }
        if (m_out.size() + size > send_threshold) {
            if (!flush()) {
                return -1;
            }
            if (size >= send_threshold) {
                return send_all(ptr, size) ? static_cast<ssize_t>(size) : -1;
            }
        }
        m_out.append(ptr, size);
        return static_cast<ssize_t>(size);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        m_peer.get(m_sock, ::getpeername, ip, port);
    }

    void get_local_ip_and_port(std::string& ip, int& port) const override {
        m_local.get(m_sock, ::getsockname, ip, port);
    }

    socket_t socket() const override { return m_sock; }

    /// Whether input of a next request is already buffered (pipelining, or a head in pieces).
    bool buffered() const { return m_begin < m_end; }

    /// Whether a whole request head is buffered (or as much as may be gathered): parsing it
    /// will not wait for the client.
    bool head_ready() const {
        const std::string_view in(m_in.data() + m_begin, m_end - m_begin);
        return in.find("\r\n\r\n") != std::string_view::npos || in.size() >= max_gathered_head;
    }

    /// Whether the buffer is full of a head that does not end, its request line within the
    /// library's limit: headers longer than max_gathered_head.
    bool head_too_large() const {
        const std::string_view in(m_in.data() + m_begin, m_end - m_begin);
        const auto line_end = in.find("\r\n");
        return in.size() >= max_gathered_head && in.find("\r\n\r\n") == std::string_view::npos &&
               line_end != std::string_view::npos && line_end <= max_request_line;
    }

    /// Gives back the output buffer's memory while the connection waits for its next request.
    void release_output() { std::string().swap(m_out); }

    /// Adds to the buffer what has arrived, without waiting; false once the peer has closed its
    /// side or the connection failed.
    bool take_available() {
        if (m_begin > 0) { // the start of a request at the start of the buffer
            std::memmove(m_in.data(), m_in.data() + m_begin, m_end - m_begin);
            m_end -= m_begin;
            m_begin = 0;
        }
        for (;;) {
            if (m_end == m_in.size()) {
                if (m_in.size() >= max_gathered_head) {
                    return true;
                }
                m_in.resize(std::min(2 * m_in.size(), max_gathered_head));
            }
            const auto n = ::recv(m_sock, m_in.data() + m_end, m_in.size() - m_end, MSG_DONTWAIT);
            if (n > 0) {
                m_end += static_cast<std::size_t>(n);
            } else if (n == 0) {
                return false;
            } else if (errno != EINTR) {
                return errno == EAGAIN || errno == EWOULDBLOCK;
            }
        }
    }

    /// Reads give up at `t` (and the request is answered 408).
    void set_deadline(std::chrono::steady_clock::time_point t) { m_deadline = t; }
    /// Whether a read gave up at the deadline.
    bool timed_out() const { return m_timed_out; }

    /// Sends `text` at once, in place of anything gathered; false once the peer is gone.
    bool send_now(std::string_view text) {
        m_out.clear();
        return send_all(text.data(), text.size());
    }

    /// Sends what has gathered; false once the peer is gone.
    bool flush() {
        if (m_out.empty()) {
            return !m_failed;
        }
        const bool ok = send_all(m_out.data(), m_out.size());
        m_out.clear();
        return ok;
    }

private:
    /// A blocking receive that gives up after the read timeout, at the request's deadline, or
    /// when the server stops.
    ssize_t receive(char* ptr, std::size_t size) {
        const auto deadline =
            std::min(std::chrono::steady_clock::now() + m_read_timeout, m_deadline);
        for (;;) {
            const auto n = ::recv(m_sock, ptr, size, 0);
            if (n >= 0) {
                return n;
            }
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                return -1;
            }
            if (m_listener.load() == INVALID_SOCKET) {
                return -1;
            }
            if (const auto now = std::chrono::steady_clock::now(); now >= deadline) {
                m_timed_out = now >= m_deadline;
                return -1;
            }
        }
    }

    bool send_all(const char* ptr, std::size_t size) {
        while (size > 0 && !m_failed) {
            const auto n = ::send(m_sock, ptr, size, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                m_failed = true; // gone, or no progress within the write timeout
                break;
            }
            ptr += n;
            size -= static_cast<std::size_t>(n);
        }
        return !m_failed;
    }

    socket_t m_sock;
    const std::atomic<socket_t>& m_listener;
    std::chrono::seconds m_read_timeout;
    std::chrono::steady_clock::time_point m_deadline = std::chrono::steady_clock::time_point::max();
    std::vector<char> m_in;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::string m_out;
    bool m_failed = false;
    bool m_timed_out = false;
    // The connection's two addresses, asked of the kernel once (the library asks per request).
    struct Address {
        bool known = false;
        std::string ip;
        int port = 0;
        void get(socket_t sock, int (*query)(int, sockaddr*, socklen_t*), std::string& out_ip,
                 int& out_port) {
            if (!known) {
                sockaddr_storage addr{};
                socklen_t len = sizeof addr;
                if (query(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
                    address_of(addr, ip, port);
                }
                known = true;
            }
            out_ip = ip;
            out_port = port;
        }
    };
    mutable Address m_peer;
    mutable Address m_local;
};

void set_timeout(socket_t sock, int option, std::chrono::microseconds t) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(t.count() / 1000000);
    tv.tv_usec = static_cast<suseconds_t>(t.count() % 1000000);
    ::setsockopt(sock, SOL_SOCKET, option, &tv, sizeof tv);
}

constexpr std::uint32_t wanted_events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;

} // namespace

struct HttpServer::Connection {
    Connection(Socket s, const std::atomic<socket_t>& listener, std::chrono::seconds timeout,
               std::size_t keep_alive)
        : owned(std::move(s)), sock(owned.get()), stream(sock, listener, timeout),
          remaining(keep_alive) {}

    Socket owned; // closed last, after the stream that uses it
    socket_t sock;
    ConnectionStream stream;
    std::size_t remaining; // requests left before the connection closes
    // Set while the connection waits in the epoll set; since when (steady clock ticks).
    std::atomic<bool> parked{false};
    std::atomic<std::int64_t> since{0};
    // When the first byte of a request head still incomplete was read (0: none is).
    std::atomic<std::int64_t> head_since{0};
};

HttpServer::HttpServer(std::size_t workers)
    : m_workers(std::max<std::size_t>(1, workers)), m_epoll(::epoll_create1(EPOLL_CLOEXEC)) {
    if (!m_epoll) {
        throw std::system_error(errno, std::generic_category(), "epoll_create1");
    }
    // Accepting only hands the connection to the epoll set: one thread does.
    new_task_queue = [] { return new httplib::ThreadPool(1); };
}

HttpServer::~HttpServer() = default;

bool HttpServer::serve() {
    std::vector<std::thread> workers;
    workers.reserve(m_workers);
    for (std::size_t i = 0; i < m_workers; ++i) {
        workers.emplace_back([this] { work(); });
    }
    ::listen(svr_sock_, listen_backlog); // the bound socket listens already: a longer queue
    const bool ok = listen_after_bind();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    for (auto& t : workers) {
        t.join();
    }
    std::lock_guard lock(m_mutex);
    m_connections.clear();
    return ok;
}

namespace {

std::int64_t ticks_now() {
    return std::chrono::steady_clock::now().time_since_epoch().count();
}

std::int64_t ticks(std::chrono::seconds s) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(s).count();
}

std::chrono::steady_clock::time_point time_of(std::int64_t t) {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(t));
}

// A whole response that closes the connection, for what is answered before (or instead of)
// the library's parsing: problem+json, `extra` header lines after Content-Type.
std::string closing_response(const char* status_line, const Problem& p, const char* extra = "") {
    const std::string body = p.json();
    return std::string("HTTP/1.1 ") + status_line +
           "\r\nContent-Type: application/problem+json\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
}

// The answer to a request that did not arrive within its deadlines.
const std::string& timeout_response() {
    static const std::string text = closing_response(
        "408 Request Timeout",
        {408, "Request timeout",
         "the request did not arrive in time: its head must arrive within " +
             std::to_string(head_timeout.count()) + " s of its first byte, its body within " +
             std::to_string(body_timeout.count()) + " s of its head"});
    return text;
}

// The answer to a head whose headers do not end within max_gathered_head.
const std::string& head_too_large_response() {
    static const std::string text = closing_response(
        "431 Request Header Fields Too Large",
        {431, "Request header fields too large",
         "the request head is longer than " + std::to_string(max_gathered_head / 1024) +
             " KB (the limit for the request line and headers together)"});
    return text;
}

// The answer to a head the client stopped sending (it closed its side) before the blank line.
const std::string& truncated_head_response() {
    static const std::string text = closing_response(
        "400 Bad Request",
        {400, "Invalid request",
         "the connection ended inside the request head (no blank line after the headers, "
         "each line ending in CRLF)"});
    return text;
}

// The answer to a connection beyond what the server holds (max_connections, or the
// descriptors it keeps free).
const std::string& refused_response() {
    static const std::string text =
        closing_response("503 Service Unavailable",
                         {503, "Service unavailable",
                          "the server holds as many connections as it can (at most " +
                              std::to_string(max_connections) +
                              ", and as its file descriptor limit allows); try again shortly"},
                         "Retry-After: 1\r\n");
    return text;
}

// Whether one more connection fits: fewer than max_connections, and `sock` (the lowest free
// descriptor, as the kernel gives them, so every one below it is in use) leaves fd_reserve
// descriptors under the limit. The limit is read each time: it may change while the server runs.
bool room_for(socket_t sock, std::size_t connections) {
    rlimit limit{};
    if (connections >= max_connections) {
        return false;
    }
    return ::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
           static_cast<rlim_t>(sock) + fd_reserve < limit.rlim_cur;
}

} // namespace

bool HttpServer::process_and_close_socket(socket_t sock) {
    Socket owned(sock); // whatever happens from here on, the socket is closed
    set_timeout(sock, SO_RCVTIMEO, tick);
    set_timeout(sock, SO_SNDTIMEO,
                std::chrono::seconds(write_timeout_sec_) +
                    std::chrono::microseconds(write_timeout_usec_));
    // One timeout covers both the wait for the rest of a request and a request's reads.
    auto connection = std::make_unique<Connection>(
        std::move(owned), svr_sock_,
        std::chrono::seconds(std::max<time_t>({keep_alive_timeout_sec_, read_timeout_sec_, 1})),
        std::max<std::size_t>(1, keep_alive_max_count_));
    auto* c = connection.get();
    std::lock_guard lock(m_mutex);
    if (m_stopping) {
        return false; // closed with `connection`
    }
    if (!room_for(sock, m_connections.size())) {
        const auto& text = refused_response();
        ::send(sock, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        return false;
    }
    m_connections.emplace(c, std::move(connection));
    epoll_event ev{};
    ev.events = wanted_events;
    ev.data.ptr = c;
    c->since = ticks_now();
    c->parked = true;
    if (::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, sock, &ev) != 0) {
        m_connections.erase(c);
        return false;
    }
    return true;
}

// A worker: takes one ready connection at a time. EPOLLONESHOT makes the taker its only user
// until it hands the connection back (or closes it), so serving needs no lock.
void HttpServer::work() {
    for (;;) {
        epoll_event ev{};
        const int n = ::epoll_wait(m_epoll.get(), &ev, 1, static_cast<int>(tick.count()));
        if (svr_sock_.load() == INVALID_SOCKET) {
            return;
        }
        auto now = ticks_now();
        if (now >= m_next_sweep.load(std::memory_order_relaxed)) {
            close_idle(now); // also under load, when no wait ends empty
        }
        if (n <= 0) {
            continue;
        }
        auto* c = static_cast<Connection*>(ev.data.ptr);
        c->parked = false;
        if (serve_ready(*c)) {
            c->stream.release_output();
            epoll_event again{};
            again.events = wanted_events;
            again.data.ptr = c;
            c->since = ticks_now();
            c->parked = true;
            if (::epoll_ctl(m_epoll.get(), EPOLL_CTL_MOD, c->sock, &again) == 0) {
                continue; // another worker may own it from here on
            }
        }
        std::lock_guard lock(m_mutex);
        m_connections.erase(c);
    }
}

// Serves the requests that have arrived on a connection; false when it is to be closed. A
// request is parsed only once its whole head is here: until then the connection goes back to
// the epoll set, and is answered 408 once the head is overdue.
bool HttpServer::serve_ready(Connection& c) {
    const std::function<void(httplib::Request&)> head_read = [&c](httplib::Request&) {
        c.stream.set_deadline(std::chrono::steady_clock::now() + body_timeout);
    };
    for (;;) {
        if (!c.stream.head_ready()) {
            const bool open = c.stream.take_available();
            if (!c.stream.buffered()) {
                return open; // between requests: idle, or gone
            }
            if (!c.stream.head_ready()) {
                const auto now = ticks_now();
                if (c.head_since == 0) {
                    c.head_since = now;
                }
                // (Overdue first: the sweep shuts an overdue head's connection for reading.)
                if (now - c.head_since > ticks(head_timeout)) {
                    c.stream.send_now(timeout_response());
                    return false;
                }
                if (!open) { // the client will send no more: the head can never end
                    c.stream.send_now(truncated_head_response());
                    return false;
                }
                return true;
            }
        }
        if (c.stream.head_too_large()) {
            c.stream.send_now(head_too_large_response());
            return false;
        }
        const auto head_since = c.head_since.exchange(0);
        c.stream.set_deadline(head_since ? time_of(head_since) + head_timeout
                                         : std::chrono::steady_clock::now() + head_timeout);
        bool closed = false;
        bool ok = process_request(c.stream, c.remaining == 1, closed, head_read);
        if (c.stream.timed_out()) {
            c.stream.send_now(timeout_response());
            return false;
        }
        ok = c.stream.flush() && ok;
        if (!ok || closed || --c.remaining == 0) {
            return false;
        }
    }
}

// At most once a second: shuts down connections that have been idle longer than the keep-alive
// timeout, and wakes those whose request head is overdue (shut down for reading, they turn
// readable while they can still be answered 408). The worker that takes them finds them closed.
// A connection whose next request is waiting in the kernel is not idle: it waits for a worker,
// however long all of them are busy.
void HttpServer::close_idle(std::int64_t now) {
    auto due = m_next_sweep.load();
    const auto second =
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::seconds(1))
            .count();
    if (now < due || !m_next_sweep.compare_exchange_strong(due, now + second)) {
        return; // not yet, or another worker sweeps
    }
    const auto limit = second * std::max<std::int64_t>(keep_alive_timeout_sec_, 1);
    std::lock_guard lock(m_mutex);
    for (auto& [key, c] : m_connections) {
        if (!c->parked) {
            continue;
        }
        if (const auto head = c->head_since.load(); head != 0) {
            if (now - head > ticks(head_timeout)) {
                ::shutdown(c->sock, SHUT_RD);
            }
            continue;
        }
        // (Claimed from the epoll set first: a worker that took it meanwhile keeps it.)
        int waiting = 0;
        bool parked = true;
        if (now - c->since > limit && ::ioctl(c->sock, FIONREAD, &waiting) == 0 && waiting == 0 &&
            c->parked.compare_exchange_strong(parked, false)) {
            ::shutdown(c->sock, SHUT_RDWR);
        }
    }
}

std::uint64_t raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit); // (on failure the soft limit stays: fewer connections)
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

} // namespace incidentmap::api::detail
