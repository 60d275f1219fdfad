#pragma once

// Plain non-blocking sockets with deadlines and cancellation, for the TLS fetch and for HTTP
// (AIA, CRLs). Blocking calls for worker threads; every wait is sliced to notice cancel.

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>

#include <atomic>
#include <optional>

struct sockaddr;

namespace trustscope::core::net {

class Deadline {
public:
    explicit Deadline(int milliseconds, const std::atomic_bool *cancel)
        : m_limit(milliseconds)
        , m_cancel(cancel)
    {
        m_timer.start();
    }
    [[nodiscard]] int remaining() const { return int(qMax<qint64>(0, m_limit - m_timer.elapsed())); }
    [[nodiscard]] bool cancelled() const { return m_cancel && m_cancel->load(); }
    [[nodiscard]] int limit() const { return m_limit; }

private:
    QElapsedTimer m_timer;
    int m_limit;
    const std::atomic_bool *m_cancel;
};

// Waits for `events` (poll flags) on `socket`; empty on success, else why not.
[[nodiscard]] std::optional<QString> waitFor(int socket, short events, const Deadline &deadline);

class Socket {
public:
    Socket() = default;
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    ~Socket() { close(); }
    void close();
    [[nodiscard]] int fd() const { return m_fd; }
    void adopt(int fd);
    [[nodiscard]] std::optional<QString> sendAll(const QByteArray &data, const Deadline &deadline);
    // One line (up to LF), at most 64 KiB: a peer that never ends a line is cut off.
    [[nodiscard]] std::optional<QString> readLine(QByteArray &line, const Deadline &deadline);
    [[nodiscard]] std::optional<QString> readExactly(QByteArray &out, qsizetype count, const Deadline &deadline);
    // Everything until the peer closes, at most maxBytes.
    [[nodiscard]] std::optional<QString> readAll(QByteArray &out, qint64 maxBytes, const Deadline &deadline);

private:
    [[nodiscard]] std::optional<QString> readSome(const Deadline &deadline, bool *closed = nullptr);
    int m_fd = -1;
    QByteArray m_buffer;
};

[[nodiscard]] QString describeAddress(const sockaddr *address);
[[nodiscard]] bool isIpAddress(const QString &text);                           // an IPv4 or IPv6 literal
[[nodiscard]] QString formatIpAddress(const unsigned char *bytes, int length); // 4 or 16 bytes

// Resolves `host` and connects to the first address that answers within the deadline.
// On failure: stage "DNS" or "TCP connect" and a message.
struct ConnectError {
    QString stage;
    QString message;
};
[[nodiscard]] std::optional<ConnectError> connectTcp(Socket &socket, const QString &host, quint16 port, int family,
                                                     const Deadline &deadline, QString &address);

} // namespace trustscope::core::net
