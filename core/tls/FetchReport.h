#pragma once

#include "tls/TlsFetch.h"

#include <QJsonObject>

namespace trustscope::core::tls {

// The `fetch --json` shape: host, port, address, sni, protocol, cipher, group, alpn,
// presentedChain, ocspStaple, clientCertificateRequested, acceptableClientCAs, alert, error.
[[nodiscard]] QJsonObject toJson(const FetchResult &result);
[[nodiscard]] QString toText(const FetchResult &result);

} // namespace trustscope::core::tls
