#pragma once

#include "Error.h"

#include <QString>

#include <optional>

namespace trustscope::core::net {

// An HTTP proxy to go through: CONNECT for TLS, absolute-URI requests for plain HTTP.
struct ProxyAddress {
    QString host;
    quint16 port = 0;
    [[nodiscard]] QString display() const; // host:port, IPv6 in brackets
};

// Which proxy reaches `targetHost`. `setting` is what the user gave (--proxy, the GUI's proxy
// field): a URL such as http://proxy:3128 or host:port, or "none"/"direct" for no proxy. Empty:
// the environment names it, https_proxy/HTTPS_PROXY for TLS (`forTls`), http_proxy/HTTP_PROXY
// for plain HTTP (AIA, OCSP, CRLs). no_proxy/NO_PROXY applies either way. nullopt: connect
// directly. An error for a setting that is not a proxy URL.
[[nodiscard]] Result<std::optional<ProxyAddress>> proxyFor(const QString &setting, const QString &targetHost,
                                                           bool forTls);

// Whether a no_proxy list ("localhost,.example.org,10.0.0.1,*") exempts `host`.
[[nodiscard]] bool exemptFromProxy(const QString &noProxy, const QString &host);

} // namespace trustscope::core::net
