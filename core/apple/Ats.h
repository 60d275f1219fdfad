#pragma once

// App Transport Security diagnostics without a Mac, like `nscurl --ats-diagnostics`: probes
// the server's TLS versions and cipher suites, checks its certificate against Apple's rules,
// and says which ATS configuration would load it.

#include "inspect/Inspection.h"
#include "tls/TlsFetch.h"
#include "trust/TrustEvaluation.h"

#include <QJsonObject>

#include <atomic>

namespace trustscope::core::apple {

struct AtsCheck {
    QString name; // "TLS 1.2 or later", "Forward secrecy", "Key size" …
    bool passed = false;
    QString detail; // what was found, in plain words
};

struct AtsConfiguration {
    QString name; // "ATS default", "NSExceptionMinimumTLSVersion TLSv1.0" …
    bool passed = false;
    QString reason; // why it fails, or what makes it pass
};

struct AtsReport {
    QString host;
    quint16 port = 443;
    QStringList versionsSupported;       // TLSv1 … TLSv1.3
    QString tls12ForwardSecretCipher;    // the suite chosen when only ATS's ECDHE suites were offered
    QString tls12NonForwardSecretCipher; // … when only ATS's RSA key-exchange suites were offered
    QList<Certificate> chain;            // as sent (the best handshake's)
    trust::Evaluation evaluation;        // system roots (plus the caller's anchors)
    QList<AtsCheck> checks;
    QList<AtsConfiguration> configurations;
    QString exceptionPlist;    // the Info.plist fragment that would make it load; empty if none needed
    QString error;             // the server could not be reached at all
    QStringList trustProblems; // trust inputs (anchor files) that did not load: judged without them
    [[nodiscard]] bool defaultPasses() const { return !configurations.isEmpty() && configurations.first().passed; }
};

// Blocking (several handshakes): run it on a worker. `base` carries the target and the
// connection options; `settings` the anchors. The chain is judged by inspect::evaluate under the
// SSL server policy for the target's host, without trust exceptions: ATS does not honour them.
[[nodiscard]] AtsReport diagnoseAts(const tls::FetchOptions &base, inspect::TrustSettings settings,
                                    const std::atomic_bool *cancel = nullptr);
[[nodiscard]] QJsonObject toJson(const AtsReport &report);
[[nodiscard]] QString toText(const AtsReport &report);

} // namespace trustscope::core::apple
