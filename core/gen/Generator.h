#pragma once

// Test PKIs: keys, CAs, leaves, CSRs, exports, and ready-made broken scenarios (TN2232
// recommends a private test CA over self-signed certificates).

#include "Error.h"
#include "ossl/Ossl.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <atomic>

namespace trustscope::core::gen {

// rsa2048 rsa3072 rsa4096 p256 p384 p521 ed25519 ed448 mldsa44 mldsa65 mldsa87
[[nodiscard]] const QStringList &keyTypeNames();
// Key generation can take seconds (RSA 4096): call it on a worker.
[[nodiscard]] Result<ossl::EvpPkeyPtr> generateKey(const QString &keyType);

enum class Role { RootCa, IntermediateCa, Leaf, SelfSignedLeaf };

struct CertificateSpec {
    Role role = Role::Leaf;
    QString commonName;
    QString organization;
    QStringList dnsNames;
    QStringList ipAddresses;
    QStringList emailAddresses;
    QStringList uris;
    bool serverAuth = true; // leaves: EKU serverAuth
    bool clientAuth = false;
    bool forceCa = false;       // a "leaf" that claims CA:TRUE (negative tests)
    int pathLength = -1;        // CAs: -1 no limit
    QStringList permittedNames; // name constraints, "DNS:example.com", "IP:10.0.0.0/8", "email:example.com"
    QStringList excludedNames;
    bool mustStaple = false;
    QString ocspUrl;
    QString caIssuersUrl;
    QString crlUrl;
    // Certificate policies (RFC 5280 4.2.1.4, 4.2.1.5, 4.2.1.11, 4.2.1.14); -1 leaves a constraint out.
    QStringList policies;                      // OIDs, or "anyPolicy"
    QStringList policyMappings;                // CAs: "issuerDomainPolicy:subjectDomainPolicy"
    int requireExplicitPolicy = -1;            // CAs: policyConstraints requireExplicitPolicy skip count
    int inhibitPolicyMapping = -1;             // CAs: policyConstraints inhibitPolicyMapping skip count
    int inhibitAnyPolicy = -1;                 // CAs: inhibitAnyPolicy skip count
    QDateTime notBefore;                       // invalid: now - 1 hour
    QDateTime notAfter;                        // invalid: notBefore + 365 days (CAs: 10 years)
    QString digest = QStringLiteral("sha256"); // sha256 sha384 sha512 (sha1 only for negative tests)
    // Leaves: issued through a precertificate whose SCTs from these test logs (gen ct-log) are embedded.
    QStringList ctLogDirectories;
    QDateTime sctTime; // invalid: now
};

// Issues a certificate for `subjectKey`. Roots and self-signed leaves sign themselves; others
// need the issuer's certificate and key. Serials are random 128-bit positive integers.
[[nodiscard]] Result<ossl::X509Ptr> issueCertificate(const CertificateSpec &spec, EVP_PKEY *subjectKey,
                                                     X509 *issuer = nullptr, EVP_PKEY *issuerKey = nullptr);
// A CSR with the spec's subject and SANs, and one signed by a CA (the CSR's signature is checked).
[[nodiscard]] Result<ossl::X509ReqPtr> createRequest(const CertificateSpec &spec, EVP_PKEY *key);
[[nodiscard]] Result<ossl::X509Ptr> signRequest(X509_REQ *request, CertificateSpec spec, X509 *issuer,
                                                EVP_PKEY *issuerKey);

// Test Certificate Transparency logs (gen ct-log): DIR/log.key (P-256) and DIR/log-list.json, a
// log list in Apple's v5 schema holding the one log, in `state` since `stateSince`.
struct CtLogSpec {
    QString name, operatorName, folder;
    QString state = QStringLiteral("usable");
    QDateTime stateSince;                 // invalid: a day ago
    QDateTime intervalStart, intervalEnd; // a temporal interval, when both are valid
};
[[nodiscard]] Result<QStringList> createCtLog(const CtLogSpec &spec);
struct CtLogKey {
    ossl::EvpPkeyPtr key;
    QByteArray spki, id; // the log id is the SHA-256 of its SubjectPublicKeyInfo
    QString directory;
};
[[nodiscard]] Result<CtLogKey> readCtLog(const QString &directory);
// One SCT v1 (RFC 6962 3.2) over `entry`: a precertificate's TBSCertificate when `issuerKeyHash`
// is given (embedded SCTs), else a certificate's DER (TLS / OCSP-delivered SCTs).
[[nodiscard]] Result<QByteArray> signSct(const CtLogKey &log, qint64 timestampMs, const QByteArray &issuerKeyHash,
                                         const QByteArray &entry);
// Turns a signed `certificate` into a precertificate, has each log sign it, and embeds the SCT
// list (the caller signs the certificate again).
[[nodiscard]] std::optional<Error> embedScts(X509 *certificate, X509 *issuer, EVP_PKEY *issuerKey, const EVP_MD *digest,
                                             const QStringList &logDirectories, const QDateTime &sctTime);
// SCTs for `certificate` from each log, as a SERVERINFOV2 PEM file for the signed_certificate_timestamp
// TLS extension (serve --sct, openssl s_server -serverinfo).
[[nodiscard]] Result<QByteArray> tlsSctsFor(X509 *certificate, const QStringList &logDirectories,
                                            const QDateTime &sctTime);
[[nodiscard]] Result<QByteArray> serverInfoForScts(const QList<QByteArray> &scts);

// Exports.
[[nodiscard]] QByteArray certificatePem(X509 *certificate);
[[nodiscard]] QByteArray certificateDer(X509 *certificate);
[[nodiscard]] Result<QByteArray> privateKeyPem(EVP_PKEY *key, const QByteArray &passphrase = {}); // AES-256 when given
enum class Pkcs12Flavour { Modern, Legacy }; // AES-256-CBC + PBKDF2 + SHA-256 MAC | 3DES + SHA-1 MAC
[[nodiscard]] Result<QByteArray> pkcs12(EVP_PKEY *key, X509 *certificate, const QList<X509 *> &chain,
                                        const QByteArray &passphrase, Pkcs12Flavour flavour,
                                        const QString &friendlyName = {});
// Writes atomically; `secret` files (keys, PKCS#12) get mode 0600 before any byte is written.
[[nodiscard]] std::optional<Error> writeFile(const QString &path, const QByteArray &data, bool secret = false);

// Reads a PEM (or DER) certificate / private key file; encrypted keys need their passphrase.
[[nodiscard]] Result<ossl::X509Ptr> readCertificateFile(const QString &path);
[[nodiscard]] Result<ossl::EvpPkeyPtr> readPrivateKeyFile(const QString &path, const QByteArray &passphrase = {});

// One certificate with a new key, written as files: BASE.key (0600, encrypted with the
// passphrase if any), BASE.pem, BASE.der, BASE-chain.pem (with its issuer, unless that is a
// root) and, with a passphrase, BASE-modern.p12 and BASE-legacy.p12.
struct IssueJob {
    CertificateSpec spec;
    QString keyType = QStringLiteral("p256");
    QString issuerCertificatePath; // empty for roots and self-signed leaves
    QString issuerKeyPath;
    QByteArray issuerKeyPassphrase;
    QString folder;
    QString baseName;
    QByteArray passphrase;
};
struct IssuedFiles {
    QStringList files; // absolute paths, in the order written
    QString certificatePath;
};
[[nodiscard]] Result<IssuedFiles> issueToFiles(const IssueJob &job, const std::atomic_bool *cancel = nullptr);

// Scenarios: a folder per case with root.pem, intermediate.pem, leaf.pem, leaf.key, chain.pem (as a
// server sends it) and README.txt saying what is wrong and what a client should report.
struct ScenarioInfo {
    QString name;
    QString description; // what is wrong
    QString expectedKey; // the check a client should fail (Apple's key); empty: trusted
    bool opensslAccepts; // `openssl verify -x509_strict -verify_hostname HOST` succeeds
};
[[nodiscard]] const QList<ScenarioInfo> &scenarios();

struct ScenarioOptions {
    QString host = QStringLiteral("localhost"); // the leaf names it, and 127.0.0.1, unless the scenario says otherwise
    QString keyType = QStringLiteral("p256");
    QString baseUrl = QStringLiteral("http://127.0.0.1:8080/"); // where AIA and CRL URLs point
};

struct ScenarioResult {
    ScenarioInfo info;
    QString folder;
    QStringList files; // written, relative to folder
};
[[nodiscard]] Result<ScenarioResult> writeScenario(const QString &name, const QString &folder,
                                                   const ScenarioOptions &options = {},
                                                   const std::atomic_bool *cancel = nullptr);

} // namespace trustscope::core::gen
