#pragma once

// A readable record of a TLS handshake as it happened (OpenSSL's message callback): what each
// side sent, when, and the facts that explain a failure — the answer to "which end triggers it"
// without a packet capture.

#include <QList>
#include <QString>
#include <QStringList>

#include <openssl/ssl.h>

namespace trustscope::core::tls {

struct TraceEvent {
    double atMs = 0;   // since the fetch began
    QString direction; // sent | received
    QString record;    // handshake | alert | change_cipher_spec
    QString message;   // ClientHello, ServerHello, Certificate, CertificateRequest, … or the alert's name
    int length = 0;    // bytes of the message
    QStringList facts; // "SNI example.com", "offers TLSv1.3, TLSv1.2", "3 certificates", "fatal" …
};

// Decodes one message as OpenSSL's msg_callback reports it; nullopt for record headers and
// other pseudo content types. `ssl` names cipher suites and groups; `tls13` says how to read
// Certificate and CertificateRequest bodies.
[[nodiscard]] std::optional<TraceEvent> decodeTraceMessage(bool sent, int contentType, const unsigned char *data,
                                                           size_t length, const SSL *ssl, bool tls13);

// One line per event: "   12.3 ms  →  ClientHello (512 bytes): SNI example.com; ALPN h2, http/1.1; …"
[[nodiscard]] QString traceText(const QList<TraceEvent> &trace);

} // namespace trustscope::core::tls
