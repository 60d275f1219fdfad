#include "net/HttpGet.h"

#include "net/Socket.h"

#include <sys/socket.h>

namespace trustscope::core::net {

namespace {

Result<HttpResponse> httpRequest(const QUrl &url, const QByteArray &method, const QByteArray &contentType,
                                 const QByteArray &body, int timeoutMs, qint64 maxBytes, const std::atomic_bool *cancel)
{
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty())
        return fail(Error::Code::Unsupported, QStringLiteral("only http:// URLs are fetched (%1)").arg(url.toString()));
    const Deadline deadline(timeoutMs, cancel);
    Socket socket;
    QString address;
    if (auto error = connectTcp(socket, url.host(), quint16(url.port(80)), AF_UNSPEC, deadline, address))
        return fail(Error::Code::Network, error->message);
    const QByteArray path =
        url.path(QUrl::FullyEncoded).isEmpty() ? QByteArray("/") : url.path(QUrl::FullyEncoded).toLatin1();
    const QByteArray query = url.hasQuery() ? "?" + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray();
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
    return response;
}

} // namespace

Result<HttpResponse> httpGet(const QUrl &url, int timeoutMs, qint64 maxBytes, const std::atomic_bool *cancel)
{
    return httpRequest(url, "GET", {}, {}, timeoutMs, maxBytes, cancel);
}

Result<HttpResponse> httpPost(const QUrl &url, const QByteArray &contentType, const QByteArray &body, int timeoutMs,
                              qint64 maxBytes, const std::atomic_bool *cancel)
{
    return httpRequest(url, "POST", contentType, body, timeoutMs, maxBytes, cancel);
}

} // namespace trustscope::core::net
