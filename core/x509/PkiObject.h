#pragma once

// Decoded PKI objects: plain values, safe to copy between threads. The DER is kept so any
// object can be re-parsed, dumped as ASN.1 or exported.

#include "EnumNames.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <variant>

struct x509_st; // OpenSSL's X509, opaque here

namespace trustscope::core {

struct NameAttribute {
    QString oid;
    QString shortName; // "CN", or the dotted OID when OpenSSL has no name
    QString value;
};

struct DistinguishedName {
    QString rfc4514;                 // most specific first, as RFC 4514 writes it
    QList<NameAttribute> attributes; // in encoding order (country first, usually)
    QByteArray der;
    [[nodiscard]] QString commonName() const;
};

struct GeneralName {
    QString type; // DNS | IP | email | URI | dirName | otherName | RID | x400 | ediParty
    QString value;
};

struct Extension {
    QString oid;
    QString name; // "Subject Alternative Name", or the OID for unknown extensions
    bool critical = false;
    QString value;       // one line, for JSON and tables
    QStringList details; // one entry per item (a name, a policy, a log …), for tree views
    QByteArray der;      // extnValue contents
    QString error;       // set when the value did not decode; value then holds the hex
};

struct PublicKeyInfo {
    QString algorithm; // RSA, EC, ED25519, ML-DSA-65 …
    int bits = 0;
    QString curve;            // EC only: prime256v1 …
    QString spkiSha256Base64; // the pin-sha256 value
    QString spkiSha256Hex;
    QByteArray spkiDer;
};

enum class ValidityState { Valid, Expired, NotYetValid };

struct Certificate {
    QByteArray der;
    // OpenSSL's parse of `der` when it was decoded from one (X509, shared and never modified), so
    // that evaluations need not parse it again; users check it still encodes to `der`.
    std::shared_ptr<x509_st> parsed;
    int version = 0; // 1, 2 or 3 as people say it (the encoded value plus one)
    QString serialHex;
    DistinguishedName subject;
    DistinguishedName issuer;
    QDateTime notBefore; // UTC
    QDateTime notAfter;  // UTC
    PublicKeyInfo publicKey;
    QString signatureAlgorithm; // e.g. sha256WithRSAEncryption
    QString signatureAlgorithmOid;
    QString signatureParameters; // RSA-PSS: hash, MGF, salt length
    QString signatureDigest;     // the hash behind the signature, when there is one
    QString sha1Hex;
    QString sha256Hex;
    bool selfIssued = false; // subject == issuer
    bool selfSigned = false; // and its own key verifies its signature
    bool isCa = false;       // basicConstraints cA
    QList<GeneralName> subjectAltNames;
    QList<Extension> extensions;

    [[nodiscard]] ValidityState validityAt(const QDateTime &when) const;
    // "valid, expires in 41 days", "expired 3 days ago", "not yet valid (starts in 2 days)"
    [[nodiscard]] QString validityDescription(const QDateTime &when) const;
    [[nodiscard]] QString displayName() const; // CN, else the first SAN, else the subject
    [[nodiscard]] const Extension *extension(const QString &oid) const;
};

struct CrlEntry {
    QString serialHex;
    QDateTime revocationDate;
    QString reason; // empty when the entry has no reason code
    QDateTime invalidityDate;
};

struct Crl {
    QByteArray der;
    int version = 1;
    DistinguishedName issuer;
    QDateTime thisUpdate;
    QDateTime nextUpdate; // invalid when absent
    QString crlNumber;    // decimal
    QString signatureAlgorithm;
    qsizetype entryCount = 0;
    QList<Extension> extensions;
    QString sha256Hex;

    // A delta CRL (deltaCRLIndicator) only amends its base CRL: alone, it is no revocation evidence.
    [[nodiscard]] bool isDelta() const;
};

struct Csr {
    QByteArray der;
    DistinguishedName subject;
    PublicKeyInfo publicKey;
    QString signatureAlgorithm;
    bool signatureValid = false;
    QList<Extension> requestedExtensions;
    QList<GeneralName> subjectAltNames;
};

struct PrivateKey {
    QByteArray pkcs8Der; // unencrypted PKCS#8; kept so it can be exported, never printed
    QString format;      // "PKCS#8", "encrypted PKCS#8", "traditional RSA", "traditional EC", "PKCS#12"
    bool wasEncrypted = false;
    PublicKeyInfo publicKey; // derived from the private key
};

struct PublicKey {
    PublicKeyInfo info;
};

struct OcspSingleResponse {
    QString serialHex;
    QString hashAlgorithm;
    QString issuerNameHashHex;
    QString issuerKeyHashHex;
    QString status; // good | revoked | unknown
    QDateTime revocationTime;
    QString revocationReason;
    QDateTime thisUpdate;
    QDateTime nextUpdate;
};

struct OcspResponse {
    QByteArray der;
    QString responseStatus; // successful, malformedRequest, tryLater …
    QString responderId;    // a name, or "key hash: …"
    QDateTime producedAt;
    QString signatureAlgorithm;
    QList<OcspSingleResponse> responses;
    int embeddedCertificates = 0;
};

enum class ObjectType { Certificate, Crl, Csr, PrivateKey, PublicKey, OcspResponse };
inline constexpr std::array<EnumName<ObjectType>, 6> objectTypeTable{{
    {ObjectType::Certificate, "certificate"},
    {ObjectType::Crl, "crl"},
    {ObjectType::Csr, "csr"},
    {ObjectType::PrivateKey, "privateKey"},
    {ObjectType::PublicKey, "publicKey"},
    {ObjectType::OcspResponse, "ocspResponse"},
}};
static_assert(enumTableIsComplete(objectTypeTable, 6));
// The PEM label of what PkiObject::der() holds. A private key's der() is empty (the private part
// is never shown or copied); what is shown of it is its public key. One-way: two types share a label.
inline constexpr std::array<EnumName<ObjectType>, 6> derPemLabelTable{{
    {ObjectType::Certificate, "CERTIFICATE"},
    {ObjectType::Crl, "X509 CRL"},
    {ObjectType::Csr, "CERTIFICATE REQUEST"},
    {ObjectType::PrivateKey, "PUBLIC KEY"},
    {ObjectType::PublicKey, "PUBLIC KEY"},
    {ObjectType::OcspResponse, "OCSP RESPONSE"},
}};

// The JSON and CLI spelling: certificate, crl, csr, privateKey, publicKey, ocspResponse.
[[nodiscard]] QString objectTypeName(ObjectType type);

struct PkiObject {
    std::variant<Certificate, Crl, Csr, PrivateKey, PublicKey, OcspResponse> value;
    QString container;  // how it was stored: PEM, DER, base64, PKCS#7, CMS, PKCS#12
    qint64 offset = -1; // byte offset in the file, where known

    [[nodiscard]] ObjectType type() const { return ObjectType(value.index()); }
    [[nodiscard]] QString typeName() const { return objectTypeName(type()); }
    [[nodiscard]] QString title() const;  // a one-line label for lists and trees
    [[nodiscard]] QByteArray der() const; // empty for private keys
    template <typename T> [[nodiscard]] const T *as() const { return std::get_if<T>(&value); }
};

} // namespace trustscope::core
