#pragma once

#include "fd.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace incidentmap::api::detail {

/// cpp-httplib's server with a leaner connection loop. Parsing, routing and handlers stay the
/// library's (`process_request`); only the socket I/O differs:
///
/// - The library gives each connection a thread for its whole life and polls the socket before
///   every read and every write. Here accepted connections wait in one epoll set; a fixed set of
///   workers take turns at it (each asks for one ready connection, serves its requests, hands it
///   back), so a busy worker goes from one connection to the next without sleeping, and idle
///   keep-alive connections hold no thread.
/// - A connection reads through a buffer and gathers each response (headers and body) into one
///   `send`, so a small keep-alive request costs a `recv`, a `send` and two epoll calls.
///
/// - A request is parsed only once its whole head has arrived: a head that comes in pieces is
///   gathered in the connection's buffer while the connection waits in the epoll set, so a slow
///   client holds no worker. A head must arrive within 10 s of its first byte, a body within
///   30 s of its head; a request that does not is answered 408 and its connection closed.
///
/// - A head whose headers do not end within 64 KB is answered 431, one whose client closes its
///   side before the head ends 400, and a connection beyond 10,000 (or that would leave fewer
///   than 64 file descriptors free) 503; each is closed.
///
/// Idle connections are closed after the keep-alive timeout (a connection whose next request is
/// already waiting is not idle, however long the workers are busy); `stop()` is noticed within
/// a tick.
class HttpServer : public httplib::Server {
public:
    /// Throws std::system_error when the epoll set cannot be made.
    explicit HttpServer(std::size_t workers);
    /// Closes the connections still open, then the epoll set (defined where Connection is
    /// complete).
    ~HttpServer() override;

    /// Serves on the bound port until `stop()`; returns once every worker has finished.
    bool serve();

private:
    struct Connection;

    bool process_and_close_socket(socket_t sock) override;
    void work();
    bool serve_ready(Connection& c);
    void close_idle(std::int64_t now);

    std::size_t m_workers;
    Fd m_epoll;
    std::mutex m_mutex;
    // Declared after m_epoll: the connections close before the epoll set does.
    std::unordered_map<const Connection*, std::unique_ptr<Connection>> m_connections;
    bool m_stopping = false;
    std::atomic<std::int64_t> m_next_sweep{0}; // steady clock ticks
};

/// Raises the process's soft limit of open file descriptors to its hard limit (every
/// connection is one); returns the soft limit now in force (0 when it cannot be read).
std::uint64_t raise_fd_limit();

} // namespace incidentmap::api::detail
