#pragma once

// What iOS and macOS would report for a failure, and plain-words explanations of the codes
// developers find in their logs (errSSL*, NSURLError*, CFNetwork "3:-9807", OSStatus, alerts).

#include "tls/TlsFetch.h"
#include "trust/TrustEvaluation.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace trustscope::core::apple {

// The errors an app would see for one failure. Codes are 0 when the connection would succeed.
struct AppleView {
    int osStatus = 0; // SecTrustEvaluateWithError's code: the highest-priority failed check
    QString osStatusName;
    int errSsl = 0; // the TLS layer's code (kCFStreamErrorDomainSSL, domain 3)
    QString errSslName;
    int nsurlError = 0; // NSURLErrorDomain
    QString nsurlErrorName;
    QString trustResult; // kSecTrustResultRecoverableTrustFailure …; empty for handshake failures
    int trustResultValue = -1;
    QStringList checkKeys; // the TrustResultDetails keys that failed
    bool likely = false;   // part of the mapping is not in Apple's open sources (CFNetwork is closed)
    // What the verdict was evaluated against: Apple's root store (name, date) and the user's anchors.
    QString storeName;
    QString storeDate;
    QString anchorsNote; // the --anchor certificates stand for SecTrustSetAnchorCertificates or a profile
    [[nodiscard]] bool isFailure() const { return nsurlError != 0; }
    [[nodiscard]] QString logLine() const; // how it shows in an app's log, e.g. "NSURLErrorDomain -1202 (…)"
};

[[nodiscard]] AppleView appleViewOf(const trust::Evaluation &evaluation);
[[nodiscard]] AppleView appleViewOf(const tls::FetchResult &fetch); // failures only; a success gives {}
[[nodiscard]] QJsonObject toJson(const AppleView &view);

struct CodeExplanation {
    QString matched; // the text that was recognised: "-9807", "errSSLNoRootCert", "3:-9807", "alert 42"
    QString domain;  // errSSL | NSURLErrorDomain | OSStatus | TLS alert
    int code = 0;
    QString name;
    QString meaning;   // what the code says
    QString causes;    // what usually causes it
    QString nextSteps; // what to check next
    bool likely = false;
};

struct Explanation {
    QList<CodeExplanation> codes; // in the order they appear in the text, each once
    QString host;                 // a server named in the text (URL or host:port), if any
    quint16 port = 0;             // 0 when the text names none
};

// Finds and explains every code in a log line, an error dialog's text or a crash report.
[[nodiscard]] Explanation explain(const QString &text);
[[nodiscard]] QJsonObject toJson(const Explanation &explanation);
[[nodiscard]] QString toText(const Explanation &explanation);

// The `NSPinnedDomains` entry (Info.plist XML) pinning a chain: the leaf's key and the CAs' keys.
[[nodiscard]] QString pinnedDomainsPlist(const QString &host, const QList<Certificate> &chain,
                                         bool includeSubdomains = false);

} // namespace trustscope::core::apple
