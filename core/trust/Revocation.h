#pragma once

// Revocation checks for one certificate of a built path: OCSP (a stapled response or the
// responder named in AIA) and CRLs (the HTTP distribution points). Used by evaluate().

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <QList>

#include <atomic>
#include <openssl/types.h>
#include <vector>

namespace trustscope::core::trust {

struct RevocationCheck {
    int certIndex = 0; // position in the built path
    QString source;    // staple | ocsp | crl
    QString status;    // good | revoked | unknown | unavailable
    QString url;       // the responder or CRL; empty for a staple
    QDateTime revokedAt;
    QString reason; // keyCompromise, superseded …, when the source gives one
    QDateTime thisUpdate;
    QDateTime nextUpdate;
    QString detail;      // why no answer, or what answered, in plain words
    bool cached = false; // answered from this process's cache, no request made
    QByteArray crlDer;   // a downloaded CRL that answered: judged again with the CRL files' rules

    [[nodiscard]] bool isDefinitive() const
    {
        return status == QLatin1String("good") || status == QLatin1String("revoked");
    }
};

struct RevocationContext {
    int timeoutMs = 5000;
    const std::atomic_bool *cancel = nullptr;
    QStringList *network = nullptr; // every request made is appended here
    QString proxy;                  // as net::proxyFor() reads it: the TLS connection's proxy setting
};

// Checks `subject`, issued by `issuer`, against `stapled` (a DER OCSPResponse, as sent in the
// TLS handshake). No network.
[[nodiscard]] RevocationCheck checkStapledOcsp(X509 *subject, X509 *issuer, const QByteArray &stapled);

// Asks the OCSP responder named in the subject's AIA extension (HTTP POST, with a nonce).
[[nodiscard]] RevocationCheck checkOcsp(X509 *subject, X509 *issuer, const RevocationContext &context);

// Downloads the subject's CRL from its HTTP distribution points, verifies it against `issuer`
// and looks the serial up. CRLs are cached by URL until their nextUpdate (at most 10 minutes).
[[nodiscard]] RevocationCheck checkCrl(X509 *subject, X509 *issuer, const RevocationContext &context);

// A CRL the user gave (a file), checked before any CRL is downloaded.
struct LocalCrl {
    QByteArray der;
    QString origin; // file:///path, as revocation results name it
};

// Checks every certificate of `path` (leaf first; the last one is the trusted anchor, not checked)
// against the user's CRLs with OpenSSL's CRL rules: signed by the certificate's issuer or by an
// indirect CRL issuer the CRL names (found in `crlIssuers` or the path), in scope by issuing
// distribution point and onlyContainsUserCerts / onlyContainsCACerts, current at `at`. One result per
// certificate below the anchor; "unavailable" where no given CRL answers. No network.
[[nodiscard]] QList<RevocationCheck> checkLocalCrls(const std::vector<X509 *> &path,
                                                    const std::vector<X509 *> &crlIssuers, const QList<LocalCrl> &crls,
                                                    const QDateTime &at);

// Forgets every cached answer (tests; a "Refresh" in the GUI).
void clearRevocationCache();

} // namespace trustscope::core::trust
