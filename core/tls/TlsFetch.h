#pragma once

#include "tls/HandshakeTrace.h"
#include "x509/PkiObject.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>
#include <span>

namespace trustscope::core::tls {

enum class StartTls { None, Smtp, Imap, Pop3, Ftp, Xmpp, Ldap, Postgres, Mysql };

// The one table of STARTTLS protocols: the names `--starttls`, the GUI and URL schemes use, and
// the well-known ports the protocol is guessed from. Aliases ("submission", "postgresql") are
// accepted but not offered.
struct StartTlsName {
    const char *name;
    StartTls protocol;
    quint16 port; // 0: guessed from no port
    bool alias = false;
};
[[nodiscard]] std::span<const StartTlsName> startTlsNames();
// The names to offer, in order, "none" first: the CLI's help and the GUI's choice.
[[nodiscard]] QStringList startTlsChoices();
[[nodiscard]] std::optional<StartTls> startTlsFromName(const QString &name); // "smtp", "submission", …
[[nodiscard]] QString startTlsName(StartTls protocol);                       // "" for None
[[nodiscard]] StartTls startTlsForPort(quint16 port);                        // 25/587 smtp, 143 imap, … else None

enum class AddressFamily { Any, IPv4, IPv6 };

struct FetchOptions {
    QString host;
    quint16 port = 443;
    QString sni; // empty: the host name (never for IP literals)
    bool noSni = false;
    QStringList alpn;
    QString tlsMin; // "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"; empty: library default
    QString tlsMax;
    int connectTimeoutMs = 10000;
    int handshakeTimeoutMs = 10000;
    QString proxy; // http://host:port for CONNECT, "none" for none; empty: https_proxy / no_proxy (net::proxyFor)
    std::optional<StartTls> startTls; // nullopt: guessed from the port
    AddressFamily family = AddressFamily::Any;
    QString connectTo;               // connect to this address instead of resolving host (SNI stays the host)
    QByteArray clientCertificatePem; // PEM certificate + key, offered when the server asks
    int maxChainBytes = 1024 * 1024; // the largest Certificate message accepted
    QString cipherList; // TLS 1.2 and older suites to offer (OpenSSL syntax); empty: every suite the library has
    bool trace = false; // record the handshake messages (FetchResult::trace)
    QString keylogFile; // append the session secrets in NSS key-log format (decrypts a capture: keep it private)
};

struct TlsAlert {
    int code = 0;
    QString name;      // RFC name: handshake_failure
    QString direction; // received | sent
    QString appleName; // errSSLPeerHandshakeFail
    int appleCode = 0; // -9824
    bool appleLikely = false;
};

// A Certificate Transparency promise (RFC 6962): a log's signed timestamp for the leaf.
struct SignedCertificateTimestamp {
    QString source;  // tls-extension | ocsp-staple | certificate
    int version = 1; // v1
    QString logId;   // base64 of the log's key hash, as CT log lists name logs
    QDateTime timestamp;
    QString signatureAlgorithm; // ecdsa-with-SHA256 …
    QByteArray encoded;         // as RFC 6962 encodes it: verified with the chain (ct::evaluate)
};

struct FetchResult {
    QString host;
    quint16 port = 0;
    QString address;  // the peer address connected to
    QString sni;      // what was sent; empty when none
    QString startTls; // the protocol used before TLS, or empty
    QString protocol; // TLSv1.3
    QString cipher;   // IANA name
    QString group;    // key exchange group: X25519 …
    QString peerSignature;
    QString alpn;
    QList<Certificate> presentedChain; // as the server sent it: order and duplicates kept
    std::optional<OcspResponse> ocspStaple;
    int stapledSctCount = 0;                // SCTs delivered in the handshake (TLS extension or staple)
    QList<SignedCertificateTimestamp> scts; // every SCT the client saw, with where it came from
    bool clientCertificateRequested = false;
    QStringList acceptableClientCAs;
    std::optional<TlsAlert> alert;
    QString errorStage; // DNS, TCP connect, proxy, STARTTLS, handshake; empty on success
    QString errorMessage;
    qint64 elapsedMs = 0;
    QList<TraceEvent> trace; // with FetchOptions::trace, even when the handshake failed
    [[nodiscard]] bool ok() const { return errorStage.isEmpty(); }
};

// Only the plaintext STARTTLS exchange, on an already connected socket (which it takes over and
// closes): for tests and the fuzzer of the preamble parsers. Empty on success, else what failed.
[[nodiscard]] std::optional<QString> negotiateStartTls(int connectedSocket, StartTls protocol,
                                                       const FetchOptions &options, int timeoutMs);

// Connects, handshakes with verification off (everything is captured and evaluated later),
// and closes. Blocking: run it on a worker thread. `cancel` is polled every 50 ms.
[[nodiscard]] FetchResult fetchChain(const FetchOptions &options, const std::atomic_bool *cancel = nullptr);

// Parses "host", "host:port", "[v6]:port", "https://host/…", "smtp://host:587", "ldaps://…"
// into options (host, port and STARTTLS for the scheme). Error text when it is not a target.
[[nodiscard]] std::optional<QString> parseTarget(const QString &text, FetchOptions &options);

} // namespace trustscope::core::tls
