#include "stop_signals.hpp"

#include "fd.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace incidentmap::api::detail {

namespace {

// The handler reads it: a lock-free atomic is all a handler may touch besides write(2).
static_assert(std::atomic<int>::is_always_lock_free);
std::atomic<int> g_wake_fd{-1}; // the eventfd while a StopSignals lives, else -1

// One eventfd for the life of the process: a handler that loaded its number just before the
// StopSignals went can still write to it without hitting a descriptor reused for another file.
const Fd& stop_eventfd() {
    static const Fd fd = [] {
        Fd made(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (!made) {
            throw std::system_error(errno, std::generic_category(), "eventfd");
        }
        return made;
    }();
    return fd;
}

void add_one(int fd) noexcept {
    const std::uint64_t one = 1;
    const auto written = ::write(fd, &one, sizeof one);
    (void)written; // only fails when the counter is near 2^64: a stop is pending anyway
}

void on_stop_signal(int) {
    const int saved = errno; // the interrupted code may be about to read it
    if (const int fd = g_wake_fd.load(); fd >= 0) {
        add_one(fd);
    }
    errno = saved;
}

void install(int sig) {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART; // as std::signal installs it: blocking calls go on
    if (::sigaction(sig, &action, nullptr) != 0) {
        throw std::system_error(errno, std::generic_category(), "sigaction");
    }
}

} // namespace

StopSignals::StopSignals(std::function<void()> stop) : m_stop(std::move(stop)) {
    const int fd = stop_eventfd().get();
    std::uint64_t stale = 0; // a request_stop or a signal that came after the last server
    (void)!::read(fd, &stale, sizeof stale);
    ::sigaction(SIGINT, nullptr, &m_old_int); // what restore() puts back, whatever fails below
    ::sigaction(SIGTERM, nullptr, &m_old_term);
    // A signal from here on is counted, and the watcher sees the count when it starts.
    g_wake_fd = fd;
    try {
        install(SIGINT);
        install(SIGTERM);
        m_watcher = std::thread([this] { watch(); });
    } catch (...) {
        restore();
        throw;
    }
}

StopSignals::~StopSignals() {
    restore();
    m_done = true;
    add_one(stop_eventfd().get());
    m_watcher.join();
}

void StopSignals::restore() noexcept {
    ::sigaction(SIGINT, &m_old_int, nullptr);
    ::sigaction(SIGTERM, &m_old_term, nullptr);
    g_wake_fd = -1;
}

void StopSignals::request_stop() noexcept {
    if (const int fd = g_wake_fd.load(); fd >= 0) {
        add_one(fd);
    }
}

void StopSignals::watch() {
    const int fd = stop_eventfd().get();
    bool stopping = false;
    for (;;) {
        pollfd ready{fd, POLLIN, 0};
        const int n = ::poll(&ready, 1, stopping ? 50 : -1);
        std::uint64_t count = 0;
        const bool signalled = n > 0 && ::read(fd, &count, sizeof count) == sizeof count;
        if (m_done) {
            return;
        }
        if (signalled || stopping) {
            stopping = true;
            m_stop();
        }
    }
}

} // namespace incidentmap::api::detail
