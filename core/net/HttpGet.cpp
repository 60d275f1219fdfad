#include "net/HttpGet.h"

#include "net/Proxy.h"
#include "net/Socket.h"

#include <sys/socket.h>

namespace trustscope::core::net {

namespace {

Result<HttpResponse> httpRequest(const QUrl &url, const QByteArray &method, const QByteArray &contentType,
                                 const QByteArray &body, int timeoutMs, qint64 maxBytes, const std::atomic_bool *cancel,
                                 const QString &proxySetting)
{
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty())
        return fail(Error::Code::Unsupported, QStringLiteral("only http:// URLs are fetched (%1)").arg(url.toString()));
    const auto proxy = proxyFor(proxySetting, url.host(), false);
    if (!proxy)
        return std::unexpected(proxy.error());
    const Deadline deadline(timeoutMs, cancel);
    Socket socket;
    QString address;
    const QString connectHost = *proxy ? (*proxy)->host : url.host();
    const quint16 connectPort = *proxy ? (*proxy)->port : quint16(url.port(80));
    if (auto error = connectTcp(socket, connectHost, connectPort, AF_UNSPEC, deadline, address))
        return fail(Error::Code::Network,
                    *proxy ? QStringLiteral("proxy %1: %2").arg((*proxy)->display(), error->message) : error->message);
    QByteArray path =
        url.path(QUrl::FullyEncoded).isEmpty() ? QByteArray("/") : url.path(QUrl::FullyEncoded).toLatin1();
    const QByteArray query = url.hasQuery() ? "?" + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray();
    // Through a proxy the request line names the whole URL (RFC 9112 3.2.2, absolute-form).
    if (*proxy)
        path = url.scheme().toLatin1() + "://" + url.authority(QUrl::FullyEncoded).toLatin1() + path;
    // HTTP/1.0 and Connection: close, so the body ends where the connection does.
    QByteArray request = method + ' ' + path + query + " HTTP/1.0\r\nHost: " + url.authority().toLatin1() +
                         "\r\nUser-Agent: Trustscope\r\nConnection: close\r\n";
    if (method == "POST")
        request += "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    if (auto error = socket.sendAll(request, deadline))
        return fail(Error::Code::Network, QStringLiteral("%1: %2").arg(url.toString(), *error));
    QByteArray received;
    if (auto error = socket.readAll(received, maxBytes + 64 * 1024, deadline))
        return fail(error->startsWith(QLatin1String("more than")) ? Error::Code::LimitExceeded : Error::Code::Network,
                    QStringLiteral("%1: %2").arg(url.toString(), *error));
    const qsizetype headerEnd = received.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return fail(Error::Code::Network, QStringLiteral("%1: not an HTTP response").arg(url.toString()));
    const QList<QByteArray> statusLine = received.left(received.indexOf("\r\n")).split(' ');
    HttpResponse response;
    response.status = statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
    response.body = received.mid(headerEnd + 4);
    if (*proxy)
        response.via = (*proxy)->display();
    return response;
}

} // namespace

Result<HttpResponse> httpGet(const QUrl &url, int timeoutMs, qint64 maxBytes, const std::atomic_bool *cancel,
                             const QString &proxy)
{
    return httpRequest(url, "GET", {}, {}, timeoutMs, maxBytes, cancel, proxy);
}

Result<HttpResponse> httpPost(const QUrl &url, const QByteArray &contentType, const QByteArray &body, int timeoutMs,
                              qint64 maxBytes, const std::atomic_bool *cancel, const QString &proxy)
{
    return httpRequest(url, "POST", contentType, body, timeoutMs, maxBytes, cancel, proxy);
}

} // namespace trustscope::core::net
