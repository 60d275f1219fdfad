#include "net/Socket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <memory>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace trustscope::core::net {

std::optional<QString> waitFor(int socket, short events, const Deadline &deadline)
{
    for (;;) {
        if (deadline.cancelled())
            return QStringLiteral("cancelled");
        const int left = deadline.remaining();
        if (left == 0)
            return QStringLiteral("timed out after %1 s").arg(deadline.limit() / 1000.0);
        pollfd descriptor{socket, events, 0};
        const int ready = poll(&descriptor, 1, qMin(left, 50));
        if (ready > 0)
            return std::nullopt;
        if (ready < 0 && errno != EINTR)
            return QString::fromLocal8Bit(strerror(errno));
    }
}

void Socket::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

void Socket::adopt(int fd)
{
    close();
    m_fd = fd;
}

std::optional<QString> Socket::sendAll(const QByteArray &data, const Deadline &deadline)
{
    qsizetype sent = 0;
    while (sent < data.size()) {
        const ssize_t written = ::send(m_fd, data.constData() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
        if (written > 0) {
            sent += written;
            continue;
        }
        if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return QString::fromLocal8Bit(strerror(errno));
        if (auto error = waitFor(m_fd, POLLOUT, deadline))
            return error;
    }
    return std::nullopt;
}

std::optional<QString> Socket::readLine(QByteArray &line, const Deadline &deadline)
{
    for (;;) {
        const qsizetype end = m_buffer.indexOf('\n');
        if (end >= 0) {
            line = m_buffer.left(end + 1);
            m_buffer.remove(0, end + 1);
            return std::nullopt;
        }
        if (m_buffer.size() > 64 * 1024)
            return QStringLiteral("the server sent more than 64 KiB without a line break");
        if (auto error = readSome(deadline))
            return error;
    }
}

std::optional<QString> Socket::readExactly(QByteArray &out, qsizetype count, const Deadline &deadline)
{
    while (m_buffer.size() < count)
        if (auto error = readSome(deadline))
            return error;
    out = m_buffer.left(count);
    m_buffer.remove(0, count);
    return std::nullopt;
}

std::optional<QString> Socket::readAll(QByteArray &out, qint64 maxBytes, const Deadline &deadline)
{
    for (;;) {
        if (m_buffer.size() > maxBytes)
            return QStringLiteral("more than %1 bytes").arg(maxBytes);
        bool closed = false;
        if (auto error = readSome(deadline, &closed))
            return error;
        if (closed) {
            out = std::move(m_buffer);
            m_buffer.clear();
            return std::nullopt;
        }
    }
}

std::optional<QString> Socket::readSome(const Deadline &deadline, bool *closed)
{
    if (auto error = waitFor(m_fd, POLLIN, deadline))
        return error;
    char chunk[16384];
    const ssize_t received = ::recv(m_fd, chunk, sizeof chunk, 0);
    if (received == 0) {
        if (closed) {
            *closed = true;
            return std::nullopt;
        }
        return QStringLiteral("the server closed the connection");
    }
    if (received < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return std::nullopt;
        return QString::fromLocal8Bit(strerror(errno));
    }
    m_buffer.append(chunk, received);
    return std::nullopt;
}

QString describeAddress(const sockaddr *address)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(address)->sin_addr, text, sizeof text);
    else
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(address)->sin6_addr, text, sizeof text);
    return QString::fromLatin1(text);
}

bool isIpAddress(const QString &text)
{
    const QByteArray latin = text.toLatin1();
    unsigned char buffer[16];
    return inet_pton(AF_INET, latin.constData(), buffer) == 1 || inet_pton(AF_INET6, latin.constData(), buffer) == 1;
}

QString formatIpAddress(const unsigned char *bytes, int length)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(length == 4 ? AF_INET : AF_INET6, bytes, text, sizeof text))
        return {};
    return QString::fromLatin1(text);
}

std::optional<ConnectError> connectTcp(Socket &socket, const QString &host, quint16 port, int family,
                                       const Deadline &deadline, QString &address)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = family;
    addrinfo *found = nullptr;
    const QByteArray portText = QByteArray::number(port);
    const int status = getaddrinfo(host.toUtf8().constData(), portText.constData(), &hints, &found);
    if (status != 0)
        return ConnectError{
            QStringLiteral("DNS"),
            QStringLiteral("cannot resolve '%1': %2").arg(host, QString::fromLocal8Bit(gai_strerror(status)))};
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
    QString lastError = QStringLiteral("no address");
    for (addrinfo *candidate = addresses.get(); candidate; candidate = candidate->ai_next) {
        const int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                candidate->ai_protocol);
        if (fd < 0)
            continue;
        socket.adopt(fd);
        address = describeAddress(candidate->ai_addr);
        if (::connect(fd, candidate->ai_addr, candidate->ai_addrlen) == 0)
            return std::nullopt;
        if (errno != EINPROGRESS) {
            lastError = QString::fromLocal8Bit(strerror(errno));
            continue;
        }
        if (auto error = waitFor(fd, POLLOUT, deadline)) {
            lastError = *error;
            if (deadline.cancelled() || deadline.remaining() == 0)
                break;
            continue;
        }
        int socketError = 0;
        socklen_t length = sizeof socketError;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length);
        if (socketError == 0) {
            const int on = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            return std::nullopt;
        }
        lastError = QString::fromLocal8Bit(strerror(socketError));
    }
    socket.close();
    return ConnectError{
        QStringLiteral("TCP connect"),
        QStringLiteral("cannot connect to %1 port %2 (%3): %4").arg(host).arg(port).arg(address, lastError)};
}

} // namespace trustscope::core::net
