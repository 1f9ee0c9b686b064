#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace incidentmap::api::detail {

/// While it lives, SIGINT and SIGTERM call `stop` on a watcher thread rather than in the signal
/// handler: the handler only adds to an eventfd (write(2) is async-signal-safe; stopping the
/// server, which takes the listener down, is not), and the watcher waits on it. After the first
/// signal the watcher calls `stop` again every 50 ms until it is destroyed, so a signal that
/// comes before the server has begun to accept is not lost. The previous dispositions come
/// back on destruction. One instance at a time in a process.
class StopSignals {
public:
    /// Installs the handlers and starts the watcher; `stop` must not throw. Throws
    /// std::system_error (nothing installed then).
    explicit StopSignals(std::function<void()> stop);
    /// Restores the previous handlers and ends the watcher (waiting for a `stop` in progress).
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    /// As if SIGTERM had come, while an instance lives; otherwise nothing. Thread-safe and
    /// async-signal-safe.
    static void request_stop() noexcept;

private:
    void watch();
    void restore() noexcept;

    std::function<void()> m_stop;
    struct sigaction m_old_int {};
    struct sigaction m_old_term {};
    std::atomic<bool> m_done{false};
    std::thread m_watcher;
};

} // namespace incidentmap::api::detail
