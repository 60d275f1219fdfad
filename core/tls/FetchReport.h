#pragma once

#include "tls/TlsFetch.h"

#include <QJsonArray>
#include <QJsonObject>

namespace trustscope::core::tls {

// The `fetch --json` shape: host, port, address, sni, protocol, cipher, group, alpn,
// presentedChain, ocspStaple, clientCertificateRequested, acceptableClientCAs, alert, error.
[[nodiscard]] QJsonObject toJson(const FetchResult &result);
[[nodiscard]] QString toText(const FetchResult &result);
[[nodiscard]] QJsonArray traceJson(const QList<TraceEvent> &trace); // {atMs, direction, record, message, length, facts}

} // namespace trustscope::core::tls
