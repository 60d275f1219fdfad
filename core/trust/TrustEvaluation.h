#pragma once

#include "EnumNames.h"
#include "ct/Ct.h"
#include "trust/Revocation.h"
#include "x509/PkiObject.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

namespace trustscope::core::trust {

class AnchorStore;

enum class PolicyKind { SslServer, SslClient, Basic };
enum class RevocationMode { None, Ocsp, Crl, Both };

// The names of --policy and --revocation, of the JSON fields "policy" and "revocation" and of the GUI's settings.
inline constexpr std::array<EnumName<PolicyKind>, 3> policyKindTable{{
    {PolicyKind::SslServer, "ssl-server"},
    {PolicyKind::SslClient, "ssl-client"},
    {PolicyKind::Basic, "basic"},
}};
static_assert(enumTableIsComplete(policyKindTable, 3));
inline constexpr std::array<EnumName<RevocationMode>, 4> revocationModeTable{{
    {RevocationMode::None, "none"},
    {RevocationMode::Ocsp, "ocsp"},
    {RevocationMode::Crl, "crl"},
    {RevocationMode::Both, "both"},
}};
static_assert(enumTableIsComplete(revocationModeTable, 4));

[[nodiscard]] std::optional<PolicyKind> policyKindFromName(const QString &name); // ssl-server, ssl-client, basic
[[nodiscard]] QString policyKindName(PolicyKind kind);
[[nodiscard]] std::optional<RevocationMode> revocationModeFromName(const QString &name); // none, ocsp, crl, both
[[nodiscard]] QString revocationModeName(RevocationMode mode);

// Why a host name cannot serve as the reference identity of a TLS check (embedded NUL, an IPv6 zone id,
// a label over 63 characters, a wildcard such as '*.com', …), or nullopt when it can.
[[nodiscard]] std::optional<QString> referenceIdentityProblem(const QString &host);
// The form OpenSSL compares: A-labels, lower case, no trailing dot; IP literals unchanged.
[[nodiscard]] QByteArray referenceIdentityForOpenSsl(const QString &host);
// The host name with control characters escaped and cut to 80 characters, for messages.
[[nodiscard]] QString printableHostName(const QString &host);

// What the user chose: anchors, intermediates, names, time, pins.
struct Policy {
    PolicyKind kind = PolicyKind::SslServer;
    QString hostName;           // DNS name or IP address literal; empty: no name check
    QStringList emailAddresses; // basic policy with S/MIME: every address must be in the SAN
    bool useSystemAnchors = true;
    // The platform's roots used when useSystemAnchors: null means the host's (systemAnchorStore()),
    // else a root program's (`--roots PROGRAM`, the per-program verdicts, the Apple diagnosis).
    std::shared_ptr<const AnchorStore> platformAnchors;
    QList<Certificate> anchors; // the user's own; any certificate can be one (partial chain)
    bool anchorsOnly = false;   // like SecTrustSetAnchorCertificatesOnly: no system anchors
    QList<Certificate> intermediates;
    bool fetchMissingIntermediates = true;     // AIA caIssuers over HTTP
    std::optional<QDateTime> verificationTime; // nullopt: now
    RevocationMode revocation = RevocationMode::None;
    bool requireRevocation = false; // no definitive answer for a certificate → RevocationResponseRequired
    QByteArray stapledOcspResponse; // DER, as the server stapled it for the leaf
    QStringList pins;               // pin-sha256 values (base64 SPKI SHA-256), any certificate of the path
    QByteArray pinnedLeafDer;       // "trust one specific certificate"
    int maxIntermediates = 8;
    QStringList requiredExtendedKeyUsages; // OIDs the leaf must assert (beyond the policy's)
    QStringList requiredKeyUsages;         // digitalSignature, keyEncipherment, …
    // Certificate Transparency: SCTs the handshake delivered (the leaf's own are read from it),
    // private log lists (--ct-log-list), and --require-ct (CT for any chain, own anchors too).
    QList<ct::DeliveredSct> deliveredScts;
    QList<ct::LogList> ctLogLists;
    bool requireCt = false;
    int httpTimeoutMs = 5000;
    QString proxy; // AIA, OCSP and CRL downloads: the TLS connection's proxy setting (net::proxyFor)
    // RFC 5280 6.1.1 (c), (e), (f), (g): the certificate-policy inputs of path validation.
    QStringList initialPolicies; // dotted OIDs; empty: anyPolicy
    bool requireExplicitPolicy = false;
    bool inhibitPolicyMapping = false;
    bool inhibitAnyPolicy = false;
    QList<LocalCrl> crls;               // delta CRLs are set aside when loaded
    bool revocationDownloads = true;    // false: only the staple and the CRL files answer (no network)
    QList<QByteArray> distrustedSha256; // raw SHA-256 of certificates never to trust (a path through one fails)
    QList<QByteArray> trustedLeavesDer; // leaves accepted as their own anchor, exactly these (a pinned self-signed one)
};

// The outcome of RFC 5280 policy processing on the chosen path (6.1.6).
struct PolicyOutcome {
    QStringList initialPolicySet;                // what the user accepted ("2.5.29.32.0" for anyPolicy)
    QStringList authoritiesConstrainedPolicySet; // the valid policies the CAs allow at the leaf
    QStringList userConstrainedPolicySet;        // those the user also accepts
    bool explicitPolicyRequired = false;         // by the user or by a policyConstraints on the path
    bool treeEmpty = false;                      // no valid policy tree (some certificate asserts no policy)
};

struct CheckFailure {
    int certIndex = 0;       // position in the built path (0 = leaf)
    QString key;             // Apple's check key: SSLHostname, TemporalValidity, …
    bool recoverable = true; // a trust exception may cover it
    QString explanation;     // what is wrong, in plain words
    QString remedy;          // how to fix the server
    QString opensslError;    // the OpenSSL verify error, where one exists
};

struct PathElement {
    Certificate certificate;
    QString role;   // leaf | intermediate | anchor
    QString source; // presented | aia | user | system
};

struct Evaluation {
    QString result; // unspecified (trusted) | proceed | recoverableTrustFailure | fatalTrustFailure
    bool trusted = false;
    QList<PathElement> path;      // the path chosen, leaf first
    QList<Certificate> presented; // the chain as given (as the server sent it), leaf first
    QList<CheckFailure> failures;
    QList<CheckFailure> excepted;      // failures a stored trust exception covers
    QList<CheckFailure> advisories;    // not failures here, but would be elsewhere (e.g. under a public root)
    QStringList network;               // every fetch made: "GET http://… → 200, 1234 bytes"
    QStringList notes;                 // how the verdict was asked for, when not as the user set it
    QString platformStore;             // whose roots were the platform anchors: system, apple, …; empty: none
    QStringList rejectedPaths;         // alternatives tried and why they lost
    QList<RevocationCheck> revocation; // one per certificate and source asked
    QDateTime validUntil;              // the earliest notAfter along the path
    QDateTime evaluatedAt;
    std::optional<PolicyOutcome> policies; // none when the path could not be verified at all
    std::optional<ct::Report> ct;          // TLS server verdicts with a path: every SCT, both CT policies
    [[nodiscard]] bool hasFatal() const;
    [[nodiscard]] QString mainReason() const; // the first failure's explanation, or "trusted"
};

// Evaluates `leaf` with the presented chain under `policy`: builds a path with backtracking,
// runs every check, and reports all failures (never only the first). Blocking when AIA or
// revocation fetches are enabled: run it on a worker thread.
[[nodiscard]] Evaluation evaluate(const Certificate &leaf, const QList<Certificate> &presented, const Policy &policy,
                                  const std::atomic_bool *cancel = nullptr);

} // namespace trustscope::core::trust
