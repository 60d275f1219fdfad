#include "net/HttpGet.h"

#include <QDeadlineTimer>
#include <QTcpSocket>

namespace trustscope::core::net {

Result<HttpResponse> httpGet(const QUrl &url, int timeoutMs, qint64 maxBytes, const std::atomic_bool *cancel)
{
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty())
        return fail(Error::Code::Unsupported, QStringLiteral("only http:// URLs are fetched (%1)").arg(url.toString()));
    const QDeadlineTimer deadline(timeoutMs);
    const auto timedOut = [&] { return cancel && cancel->load() ? QStringLiteral("cancelled") : QStringLiteral("timed out after %1 s").arg(timeoutMs / 1000.0); };
    // Waits in 50 ms slices so cancellation is seen promptly.
    const auto wait = [&](auto &&condition) {
        while (!deadline.hasExpired() && !(cancel && cancel->load()))
            if (condition(50))
                return true;
        return false;
    };
    QTcpSocket socket; // blocking use on this thread: no event loop needed
    socket.connectToHost(url.host(), quint16(url.port(80)));
    if (!wait([&](int slice) { return socket.waitForConnected(slice) || socket.state() == QAbstractSocket::UnconnectedState; }) ||
        socket.state() != QAbstractSocket::ConnectedState)
        return fail(Error::Code::Network, QStringLiteral("cannot connect to %1: %2").arg(url.authority(),
                                                                                            socket.error() == QAbstractSocket::UnknownSocketError ? timedOut() : socket.errorString()));
    const QByteArray path = url.path(QUrl::FullyEncoded).isEmpty() ? QByteArray("/") : url.path(QUrl::FullyEncoded).toLatin1();
    const QByteArray query = url.hasQuery() ? "?" + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray();
    socket.write("GET " + path + query + " HTTP/1.0\r\nHost: " + url.authority().toLatin1() + "\r\nUser-Agent: Trustscope\r\nConnection: close\r\n\r\n");
    QByteArray received;
    while (socket.state() == QAbstractSocket::ConnectedState || socket.bytesAvailable() > 0) {
        if (socket.bytesAvailable() == 0 && !wait([&](int slice) { return socket.waitForReadyRead(slice) || socket.state() != QAbstractSocket::ConnectedState; }))
            return fail(Error::Code::Network, QStringLiteral("%1: %2").arg(url.toString(), timedOut()));
        received += socket.readAll();
        if (received.size() > maxBytes + 64 * 1024)
            return fail(Error::Code::LimitExceeded, QStringLiteral("%1 sent more than %2 bytes").arg(url.toString()).arg(maxBytes));
    }
    const qsizetype headerEnd = received.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return fail(Error::Code::Network, QStringLiteral("%1: not an HTTP response").arg(url.toString()));
    const QList<QByteArray> statusLine = received.left(received.indexOf("\r\n")).split(' ');
    HttpResponse response;
    response.status = statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
    response.body = received.mid(headerEnd + 4);
    return response;
}

} // namespace trustscope::core::net
