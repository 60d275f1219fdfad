#pragma once

// A local TLS server for a test chain, so an app can be pointed at a broken PKI: answers each
// connection with the chain, optionally after an SMTP STARTTLS exchange, then a short HTTP reply.

#include "Error.h"
#include "tls/TlsFetch.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>

namespace trustscope::core::gen {

struct ServeOptions {
    QByteArray chainPem;                          // leaf first, as the server sends it
    QByteArray keyPem;                            // the leaf's private key
    quint16 port = 0;                             // 0: any free port
    tls::StartTls startTls = tls::StartTls::None; // None or Smtp (see serveStartTlsSupported)
    QByteArray serverInfoPem;                     // TLS extensions to send, e.g. SCTs (gen sct)
};

[[nodiscard]] constexpr bool serveStartTlsSupported(tls::StartTls protocol)
{
    return protocol == tls::StartTls::None || protocol == tls::StartTls::Smtp;
}

// Listens on 127.0.0.1 and serves until `stop` becomes true (checked every 100 ms). `ready`
// is called once with the port listened on. Blocking: run it on a worker thread (or as the CLI).
[[nodiscard]] std::optional<Error> serveTls(const ServeOptions &options, const std::atomic_bool &stop,
                                            const std::function<void(quint16 port)> &ready);

} // namespace trustscope::core::gen
