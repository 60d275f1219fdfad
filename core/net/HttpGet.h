#pragma once

#include "Error.h"

#include <QByteArray>
#include <QUrl>

#include <atomic>

namespace trustscope::core::net {

struct HttpResponse {
    int status = 0;
    QByteArray body;
    QString via; // the proxy (host:port) that carried the request; empty: direct
};

// A plain-HTTP GET, as AIA caIssuers and CRL distribution points use (RFC 5280 says http).
// Blocking, for worker threads; follows no redirects; bodies over maxBytes are refused.
// `proxy` is the user's proxy setting as net::proxyFor() reads it (empty: the environment's
// http_proxy and no_proxy); the response says which proxy carried it.
[[nodiscard]] Result<HttpResponse> httpGet(const QUrl &url, int timeoutMs, qint64 maxBytes = 4 * 1024 * 1024,
                                           const std::atomic_bool *cancel = nullptr, const QString &proxy = {});

// A plain-HTTP POST of `body` (OCSP requests, RFC 6960 appendix A.1). Same rules as httpGet().
[[nodiscard]] Result<HttpResponse> httpPost(const QUrl &url, const QByteArray &contentType, const QByteArray &body,
                                            int timeoutMs, qint64 maxBytes = 4 * 1024 * 1024,
                                            const std::atomic_bool *cancel = nullptr, const QString &proxy = {});

} // namespace trustscope::core::net
