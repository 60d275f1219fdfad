#pragma once

// Decoders from OpenSSL structures to the plain values of PkiObject.h. Internal to core/x509
// except for the entry points the loader and the tests use.

#include "Error.h"
#include "ossl/Ossl.h"
#include "x509/PkiObject.h"

namespace trustscope::core::x509 {

[[nodiscard]] QDateTime toDateTime(const ASN1_TIME *time);       // UTC; invalid on failure
[[nodiscard]] QString integerToHex(const ASN1_INTEGER *integer); // "0A:1B:…" upper-case, colon-free
[[nodiscard]] QString integerToDecimal(const ASN1_INTEGER *integer);
[[nodiscard]] QString hexColon(const QByteArray &bytes);

[[nodiscard]] DistinguishedName decodeName(const X509_NAME *name);
[[nodiscard]] GeneralName decodeGeneralName(const GENERAL_NAME *name);
[[nodiscard]] QList<GeneralName> decodeGeneralNames(const GENERAL_NAMES *names);
[[nodiscard]] QString formatIpAddress(const QByteArray &bytes); // 4/16 bytes, or 8/32 with mask

// `spkiDer`: the SubjectPublicKeyInfo as encoded where the key came from; empty: encoded from `key`.
[[nodiscard]] PublicKeyInfo decodePublicKey(EVP_PKEY *key, const QByteArray &spkiDer = {});
[[nodiscard]] Extension decodeExtension(const X509_EXTENSION *extension);
[[nodiscard]] QList<Extension> decodeExtensions(const STACK_OF(X509_EXTENSION) * extensions);
[[nodiscard]] QString signatureAlgorithmName(const X509_ALGOR *algorithm);

[[nodiscard]] Result<Certificate> decodeCertificate(X509 *certificate);
[[nodiscard]] Result<Crl> decodeCrl(X509_CRL *crl);
// A big CRL without decoding its entries (OpenSSL would build an object for each of maybe
// millions): the header fields come from a copy without the revokedCertificates list, the
// entries are counted. Entries are read later from the ASN.1 tree (CrlIndex). nullopt when
// the bytes are not a DER CRL of that shape; the full decoder then says what is wrong.
[[nodiscard]] std::optional<Crl> decodeLargeCrl(const QByteArray &der);
[[nodiscard]] Result<Csr> decodeCsr(X509_REQ *request);
[[nodiscard]] Result<PrivateKey> decodePrivateKey(EVP_PKEY *key, QString format, bool wasEncrypted);
[[nodiscard]] Result<OcspResponse> decodeOcspResponse(OCSP_RESPONSE *response);

// Each decodes exactly one DER object and fails if bytes remain.
[[nodiscard]] Result<Certificate> certificateFromDer(const QByteArray &der);
[[nodiscard]] Result<Crl> crlFromDer(const QByteArray &der);
[[nodiscard]] Result<QList<CrlEntry>> crlEntries(const QByteArray &crlDer, qsizetype first, qsizetype count);

} // namespace trustscope::core::x509
