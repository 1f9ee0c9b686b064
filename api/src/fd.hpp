#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <utility>

namespace incidentmap::api::detail {

/// Closes a plain file descriptor (an epoll set, an eventfd).
struct CloseFd {
    void operator()(int fd) const noexcept { ::close(fd); }
};

/// Shuts a socket down before closing it, so that the peer sees the end at once and a thread
/// still blocked on it wakes up.
struct ShutdownAndClose {
    void operator()(int fd) const noexcept {
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
    }
};

/// Owns a file descriptor (-1 for none) and hands it to `Close` when it goes: the RAII holder
/// of a POSIX handle, movable, not copyable. Not thread-safe.
template <typename Close> class UniqueFd {
public:
    UniqueFd() noexcept = default;
    explicit UniqueFd(int fd) noexcept : m_fd(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            reset(std::exchange(other.m_fd, -1));
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    /// The descriptor, still owned; -1 when there is none.
    [[nodiscard]] int get() const noexcept { return m_fd; }
    /// Whether there is one.
    explicit operator bool() const noexcept { return m_fd >= 0; }
    /// Closes the descriptor held (if any) and takes `fd`.
    void reset(int fd = -1) noexcept {
        if (m_fd >= 0) {
            Close{}(m_fd);
        }
        m_fd = fd;
    }

private:
    int m_fd = -1;
};

/// A file descriptor closed on destruction.
using Fd = UniqueFd<CloseFd>;
/// A connected socket shut down and closed on destruction.
using Socket = UniqueFd<ShutdownAndClose>;

} // namespace incidentmap::api::detail
