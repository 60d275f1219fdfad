#include "trust/CheckKeys.h"

// Generated from shared/reference/apple/codes.json (trust_detail_keys.checks): Apple's
// SecPolicy check keys, whether a trust exception may cover a failure of each
// (overridable_by_exceptions) and the OSStatus it reports.

namespace trustscope::core::trust {

namespace {
constexpr CheckKeyInfo kKeys[] = {
    {"SSLHostname", true, "errSecHostNameMismatch", -67602, "SSL hostname does not match name(s) in certificate"},
    {"Email", true, "errSecSMIMEEmailAddressesNotFound", -67623, "Email address does not match name(s) in certificate"},
    {"TemporalValidity", true, "errSecCertificateExpired", -67818, "Certificate is not temporally valid"},
    {"ValidLeaf", true, "errSecCertificateExpired", -67818, "Certificate is not temporally valid"},
    {"WeakKeySize", false, "errSecUnsupportedKeySize", -67735, "Certificate is using a broken key size"},
    {"WeakSignature", false, "errSecInvalidDigestAlgorithm", -67815, "Certificate is using a broken signature algorithm"},
    {"KeyUsage", true, "errSecInvalidKeyUsageForPolicy", -67608, "Key usage does not match certificate usage"},
    {"ExtendedKeyUsage", true, "errSecInvalidExtendedKeyUsage", -67609, "Extended key usage does not match certificate usage"},
    {"SubjectCommonName", true, "errSecInvalidSubjectName", -67655, "Common Name does not match expected name"},
    {"SubjectCommonNamePrefix", true, "errSecInvalidSubjectName", -67655, "Common Name does not match expected name"},
    {"SubjectCommonNameTEST", true, "errSecInvalidSubjectName", -67655, "Common Name does not match expected name"},
    {"SubjectOrganization", true, "errSecInvalidSubjectName", -67655, "Organization does not match expected name"},
    {"SubjectOrganizationalUnit", true, "errSecInvalidSubjectName", -67655, "Organizational Unit does not match expected name"},
    {"NotValidBefore", true, "errSecCertificateNotValidYet", -67819, "Certificate issued before allowed time"},
    {"EAPTrustedServerNames", true, "errSecHostNameMismatch", -67602, "Trusted EAP hostname does not match name(s) in certificate"},
    {"LeafMarkerOid", true, "errSecMissingRequiredExtension", -67880, "Missing project-specific extension OID"},
    {"LeafMarkerOidWithoutValueCheck", true, "errSecMissingRequiredExtension", -67880, "Missing project-specific extension OID"},
    {"LeafMarkersProdAndQA", true, "errSecMissingRequiredExtension", -67880, "Missing project-specific extension OID"},
    {"BlackListedLeaf", false, "errSecCertificateRevoked", -67820, "Certificate is blocked"},
    {"GrayListedLeaf", true, "errSecNotTrusted", -67843, "Certificate is listed as untrusted"},
    {"LeafSPKISHA256", true, "errSSLATSCertificateTrustViolation", -9886, "Public key does not match pinned value"},
    {"NotCA", true, "errSecCertificateIsCA", -67902, "Leaf certificate is a CA"},
    {"MarkRepresentation", true, "errSecInvalidData", -67673, "SVG data does not match logotype extension"},
    {"URI", true, "errSecHostNameMismatch", -67602, "URI does not match name(s) in certificate"},
    {"IssuerCommonName", true, "errSecInvalidSubjectName", -67655, "Common Name does not match expected name"},
    {"IssuerCommonNamePrefix", true, "errSecInvalidSubjectName", -67655, "Common Name does not match expected name"},
    {"BasicConstraints", true, "errSecNoBasicConstraints", -67604, "Basic constraints are required but missing"},
    {"BasicConstraintsCA", true, "errSecNoBasicConstraintsCA", -67605, "Non-CA certificate used as a CA"},
    {"BasicConstraintsPathLen", true, "errSecPathLengthConstraintExceeded", -67611, "Chain exceeded constrained path length"},
    {"IntermediateSPKISHA256", true, "errSecPublicKeyInconsistent", -67811, "Public key does not match pinned value"},
    {"IntermediateEKU", true, "errSecInvalidExtendedKeyUsage", -67609, "Extended key usage does not match pinned value"},
    {"IntermediateMarkerOid", true, "errSecMissingRequiredExtension", -67880, "Missing issuer-specific extension OID"},
    {"IntermediateMarkerOidWithoutValueCheck", true, "errSecMissingRequiredExtension", -67880, "Missing issuer-specific extension OID"},
    {"IntermediateOrganization", true, "errSecInvalidSubjectName", -67655, "Organization does not match expected name"},
    {"IntermediateCountry", true, "errSecInvalidSubjectName", -67655, "Country or Region does not match expected name"},
    {"AnchorSHA256", true, "errSecInvalidRoot", -67612, "Anchor does not match pinned fingerprint"},
    {"AnchorTrusted", true, "errSecNotTrusted", -67843, "Root is not trusted"},
    {"MissingIntermediate", true, "errSecCreateChainFailed", -25318, "Unable to build chain to root (possible missing intermediate)"},
    {"AnchorApple", true, "errSecInvalidRoot", -67612, "Anchor is not an Apple root"},
    {"CAspkiSHA256", true, "errSSLATSCertificateTrustViolation", -9886, "Public key does not match pinned value"},
    {"RootMarkerOid", true, "errSecMissingRequiredExtension", -67880, "Missing issuer-specific extension OID"},
    {"NonEmptySubject", true, "errSecInvalidSubjectName", -67655, "Certificate missing a name"},
    {"IdLinkage", true, "errSecInvalidIDLinkage", -67610, "SubjectKeyID/AuthorityKeyID mismatch in chain"},
    {"KeySize", true, "errSecUnsupportedKeySize", -67735, "Key size is not permitted for this use"},
    {"SignatureHashAlgorithms", true, "errSecInvalidDigestAlgorithm", -67815, "Signature hash algorithm is not permitted for this use"},
    {"CertificatePolicy", true, "errSecInvalidPolicyIdentifiers", -67835, "Missing project-specific Certificate Policy OID"},
    {"ValidRoot", true, "errSecCertificateExpired", -67818, "Root is not temporally valid"},
    {"CriticalExtensions", true, "errSecUnknownCriticalExtensionFlag", -67603, "Found unknown critical extensions"},
    {"ChainLength", true, "errSecPathLengthConstraintExceeded", -67611, "Chain does not match expected path length"},
    {"BasicCertificateProcessing", true, "errSecInvalidCertificateRef", -67690, "Certificate is not standards compliant"},
    {"NameConstraints", true, "errSecInvalidName", -67689, "Name constraints violated"},
    {"PolicyConstraints", true, "errSecInvalidPolicyIdentifiers", -67835, "Policy constraints violated"},
    {"GrayListedKey", true, "errSecNotTrusted", -67843, "Key is listed as untrusted"},
    {"BlackListedKey", false, "errSecCertificateRevoked", -67820, "Key is blocked"},
    {"UsageConstraints", false, "errSecTrustSettingDeny", -67654, "User or administrator set certificate as distrusted"},
    {"SystemTrustedWeakHash", true, "errSecInvalidDigestAlgorithm", -67815, "Signature hash algorithm is not permitted for this use"},
    {"SystemTrustedWeakKey", true, "errSecUnsupportedKeySize", -67735, "Key size is not permitted for this use"},
    {"PinningRequired", true, "errSecInvalidRoot", -67612, "Pinning required but not used"},
    {"Revocation", false, "errSecCertificateRevoked", -67820, "Certificate is revoked"},
    {"RevocationResponseRequired", true, "errSecIncompleteCertRevocationCheck", -67635, "Failed to check revocation"},
    {"CTRequired", true, "errSecNotTrusted", -67843, "Certificate Transparency validation required but missing"},
    {"SystemTrustedCTRequired", true, "errSecVerifyActionFailed", -67825, "Certificate Transparency validation required for this use"},
    {"IssuerPolicyConstraints", false, "errSecCertificatePolicyNotAllowed", -67899, "Certificate violates issuer policy constraints"},
    {"IssuerNameConstraints", false, "errSecCertificateNameNotAllowed", -67900, "Certificate violates issuer name constraints"},
    {"ValidityPeriodMaximums", true, "errSecCertificateValidityPeriodTooLong", -67901, "Certificate exceeds maximum temporal validity period"},
    {"SystemTrustValidityPeriod", true, "errSecCertificateValidityPeriodTooLong", -67901, "Certificate exceeds maximum temporal validity period"},
    {"OtherTrustValidityPeriod", true, "errSecCertificateValidityPeriodTooLong", -67901, "Certificate exceeds maximum temporal validity period"},
    {"ServerAuthEKU", true, "errSecInvalidExtendedKeyUsage", -67609, "Extended key usage does not match certificate usage"},
    {"EmailProtectionEKU", true, "errSecInvalidExtendedKeyUsage", -67609, "Extended key usage does not match certificate usage"},
    {"SinglePurposeChainEKU", true, "errSecInvalidExtendedKeyUsage", -67609, "Extended key usage does not match certificate usage"},
    {"UnparseableExtension", true, "errSecUnknownCertExtension", -67618, "Unable to parse known extension"},
    {"NonTlsCTRequired", true, "errSecVerifyActionFailed", -67825, "Certificate Transparency validation required but missing"},
    {"DuplicateExtension", true, "errSecCertificateDuplicateExtension", -67903, "Multiple extensions with the same extension ID"},
    {"QWAC", true, "errSecMissingQualifiedCertStatement", -67904, "Certificate is not a qualified web certificate"},
    {"NoNetworkAccess", false, "errSecInternal", 0, "Unexpected error detail"},
    {"ExtendedValidation", false, "errSecInternal", 0, "Unexpected error detail"},
    {"RevocationOnline", false, "errSecInternal", 0, "Unexpected error detail"},
    {"RevocationIfTrusted", false, "errSecInternal", 0, "Unexpected error detail"},
    {"RevocationDbIgnored", false, "errSecInternal", 0, "Unexpected error detail"},
};
} // namespace

const CheckKeyInfo *checkKey(QStringView key)
{
    for (const CheckKeyInfo &info : kKeys)
        if (key == QLatin1String(info.key))
            return &info;
    return nullptr;
}

} // namespace trustscope::core::trust
