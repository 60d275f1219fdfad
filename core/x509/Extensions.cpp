#include "ossl/OpenSslError.h"
#include "x509/Decode.h"

#include <openssl/ct.h>

#include <QHash>

#include <QTimeZone>

namespace trustscope::core::x509 {

using namespace trustscope::ossl;

namespace {

// A decoder fills value/details from the already-d2i'd extension structure, or returns an
// error text. One function per extension keeps each small and testable.
using Decoder = QString (*)(const X509_EXTENSION *extension, Extension &out);

// Decodes the extension into its OpenSSL struct, owned by a unique_ptr freed with FreeFunction.
template <typename T, auto FreeFunction> Owned<T, FreeFunction> decodeStruct(const X509_EXTENSION *extension)
{
    return Owned<T, FreeFunction>(static_cast<T *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
}

QString joinDetails(const Extension &out)
{
    return out.details.join(QStringLiteral(", "));
}

QString decodeBasicConstraints(const X509_EXTENSION *extension, Extension &out)
{
    auto constraints = decodeStruct<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>(extension);
    if (!constraints)
        return QStringLiteral("basicConstraints does not decode");
    out.details.append(constraints->ca ? QStringLiteral("CA: true") : QStringLiteral("CA: false"));
    if (constraints->pathlen)
        out.details.append(QStringLiteral("path length: ") + integerToDecimal(constraints->pathlen));
    out.value = joinDetails(out);
    return {};
}

QString decodeKeyUsage(const X509_EXTENSION *extension, Extension &out)
{
    using BitStringPtr = Owned<ASN1_BIT_STRING, ASN1_BIT_STRING_free>;
    BitStringPtr bits(static_cast<ASN1_BIT_STRING *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
    if (!bits)
        return QStringLiteral("keyUsage does not decode");
    static const char *const names[] = {"Digital Signature", "Non Repudiation", "Key Encipherment",
                                        "Data Encipherment", "Key Agreement",   "Certificate Sign",
                                        "CRL Sign",          "Encipher Only",   "Decipher Only"};
    for (int bit = 0; bit < 9; ++bit)
        if (ASN1_BIT_STRING_get_bit(bits.get(), bit))
            out.details.append(QString::fromLatin1(names[bit]));
    out.value = joinDetails(out);
    return {};
}

QString decodeExtendedKeyUsage(const X509_EXTENSION *extension, Extension &out)
{
    using EkuPtr = Owned<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
    EkuPtr usages(static_cast<EXTENDED_KEY_USAGE *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
    if (!usages)
        return QStringLiteral("extKeyUsage does not decode");
    for (int index = 0; index < sk_ASN1_OBJECT_num(usages.get()); ++index) {
        const ASN1_OBJECT *usage = sk_ASN1_OBJECT_value(usages.get(), index);
        const int nid = OBJ_obj2nid(usage);
        out.details.append(nid != NID_undef ? QString::fromLatin1(OBJ_nid2sn(nid)) + QStringLiteral(" (") +
                                                  QString::fromLatin1(OBJ_nid2ln(nid)) + QLatin1Char(')')
                                            : objectToDottedOid(usage));
    }
    out.value = joinDetails(out);
    return {};
}

QString decodeAltNames(const X509_EXTENSION *extension, Extension &out)
{
    auto names = decodeStruct<GENERAL_NAMES, freeGeneralNames>(extension);
    if (!names)
        return QStringLiteral("the general names do not decode");
    for (const GeneralName &name : decodeGeneralNames(names.get()))
        out.details.append(name.type + QStringLiteral(": ") + name.value);
    out.value = joinDetails(out);
    return {};
}

QString decodeSubjectKeyIdentifier(const X509_EXTENSION *extension, Extension &out)
{
    auto keyId = decodeStruct<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>(extension);
    if (!keyId)
        return QStringLiteral("subjectKeyIdentifier does not decode");
    out.value = hexColon(toByteArray(ASN1_STRING_get0_data(keyId.get()), ASN1_STRING_length(keyId.get())));
    out.details.append(out.value);
    return {};
}

QString decodeAuthorityKeyIdentifier(const X509_EXTENSION *extension, Extension &out)
{
    auto identifier = decodeStruct<AUTHORITY_KEYID, AUTHORITY_KEYID_free>(extension);
    if (!identifier)
        return QStringLiteral("authorityKeyIdentifier does not decode");
    if (identifier->keyid)
        out.details.append(QStringLiteral("key ID: ") + hexColon(toByteArray(ASN1_STRING_get0_data(identifier->keyid),
                                                                             ASN1_STRING_length(identifier->keyid))));
    for (const GeneralName &name : decodeGeneralNames(identifier->issuer))
        out.details.append(QStringLiteral("issuer: ") + name.type + QStringLiteral(": ") + name.value);
    if (identifier->serial)
        out.details.append(QStringLiteral("serial: ") + integerToHex(identifier->serial));
    out.value = joinDetails(out);
    return {};
}

QString decodeInfoAccess(const X509_EXTENSION *extension, Extension &out)
{
    using InfoAccessPtr = Owned<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free>;
    InfoAccessPtr access(static_cast<AUTHORITY_INFO_ACCESS *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
    if (!access)
        return QStringLiteral("the access descriptions do not decode");
    for (int index = 0; index < sk_ACCESS_DESCRIPTION_num(access.get()); ++index) {
        const ACCESS_DESCRIPTION *description = sk_ACCESS_DESCRIPTION_value(access.get(), index);
        const int nid = OBJ_obj2nid(description->method);
        QString method;
        if (nid == NID_ad_OCSP)
            method = QStringLiteral("OCSP");
        else if (nid == NID_ad_ca_issuers)
            method = QStringLiteral("CA Issuers");
        else
            method = objectToName(description->method);
        const GeneralName location = decodeGeneralName(description->location);
        out.details.append(method + QStringLiteral(": ") + location.value);
    }
    out.value = joinDetails(out);
    return {};
}

QString reasonFlags(const ASN1_BIT_STRING *reasons)
{
    static const char *const names[] = {"unused",      "keyCompromise",        "cACompromise",    "affiliationChanged",
                                        "superseded",  "cessationOfOperation", "certificateHold", "privilegeWithdrawn",
                                        "aACompromise"};
    QStringList set;
    for (int bit = 0; bit < 9; ++bit)
        if (ASN1_BIT_STRING_get_bit(reasons, bit))
            set.append(QString::fromLatin1(names[bit]));
    return set.join(QStringLiteral(" "));
}

QString decodeCrlDistributionPoints(const X509_EXTENSION *extension, Extension &out)
{
    using PointsPtr = Owned<CRL_DIST_POINTS, CRL_DIST_POINTS_free>;
    PointsPtr points(static_cast<CRL_DIST_POINTS *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
    if (!points)
        return QStringLiteral("the distribution points do not decode");
    for (int index = 0; index < sk_DIST_POINT_num(points.get()); ++index) {
        const DIST_POINT *point = sk_DIST_POINT_value(points.get(), index);
        if (point->distpoint && point->distpoint->type == 0) {
            for (const GeneralName &name : decodeGeneralNames(point->distpoint->name.fullname))
                out.details.append(name.type == QLatin1String("URI") ? name.value
                                                                     : name.type + QStringLiteral(": ") + name.value);
        } else if (point->distpoint && point->distpoint->type == 1) {
            out.details.append(QStringLiteral("relative name (%1 attributes)")
                                   .arg(sk_X509_NAME_ENTRY_num(point->distpoint->name.relativename)));
        }
        if (point->reasons)
            out.details.append(QStringLiteral("reasons: ") + reasonFlags(point->reasons));
        for (const GeneralName &name : decodeGeneralNames(point->CRLissuer))
            out.details.append(QStringLiteral("CRL issuer: ") + name.value);
    }
    out.value = joinDetails(out);
    return {};
}

QString decodeCertificatePolicies(const X509_EXTENSION *extension, Extension &out)
{
    using PoliciesPtr = Owned<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free>;
    PoliciesPtr policies(static_cast<CERTIFICATEPOLICIES *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
    if (!policies)
        return QStringLiteral("certificatePolicies does not decode");
    QStringList oneLine;
    for (int index = 0; index < sk_POLICYINFO_num(policies.get()); ++index) {
        const POLICYINFO *policy = sk_POLICYINFO_value(policies.get(), index);
        const QString oid = objectToDottedOid(policy->policyid);
        const int nid = OBJ_obj2nid(policy->policyid);
        const QString name = nid == NID_any_policy
                                 ? QStringLiteral("anyPolicy")
                                 : (nid != NID_undef ? QString::fromLatin1(OBJ_nid2ln(nid)) : QString());
        const QString label =
            name.isEmpty() || name == oid ? oid : name + QStringLiteral(" (") + oid + QLatin1Char(')');
        out.details.append(QStringLiteral("policy: ") + label);
        oneLine.append(label);
        for (int q = 0; q < sk_POLICYQUALINFO_num(policy->qualifiers); ++q) {
            const POLICYQUALINFO *qualifier = sk_POLICYQUALINFO_value(policy->qualifiers, q);
            switch (OBJ_obj2nid(qualifier->pqualid)) {
            case NID_id_qt_cps:
                out.details.append(QStringLiteral("  CPS: ") + toQString(qualifier->d.cpsuri));
                break;
            case NID_id_qt_unotice: {
                const USERNOTICE *notice = qualifier->d.usernotice;
                QString text = QStringLiteral("  user notice:");
                if (notice->noticeref) {
                    text += QStringLiteral(" organization \"") + toQString(notice->noticeref->organization) +
                            QStringLiteral("\" notices");
                    for (int n = 0; n < sk_ASN1_INTEGER_num(notice->noticeref->noticenos); ++n)
                        text +=
                            QLatin1Char(' ') + integerToDecimal(sk_ASN1_INTEGER_value(notice->noticeref->noticenos, n));
                }
                if (notice->exptext)
                    text += QStringLiteral(" text \"") + toQString(notice->exptext) + QLatin1Char('"');
                out.details.append(text);
                break;
            }
            default:
                out.details.append(QStringLiteral("  qualifier ") + objectToDottedOid(qualifier->pqualid));
            }
        }
    }
    out.value = oneLine.join(QStringLiteral(", "));
    return {};
}

QString decodePolicyConstraints(const X509_EXTENSION *extension, Extension &out)
{
    auto constraints = decodeStruct<POLICY_CONSTRAINTS, POLICY_CONSTRAINTS_free>(extension);
    if (!constraints)
        return QStringLiteral("policyConstraints does not decode");
    if (constraints->requireExplicitPolicy)
        out.details.append(QStringLiteral("require explicit policy: ") +
                           integerToDecimal(constraints->requireExplicitPolicy));
    if (constraints->inhibitPolicyMapping)
        out.details.append(QStringLiteral("inhibit policy mapping: ") +
                           integerToDecimal(constraints->inhibitPolicyMapping));
    out.value = joinDetails(out);
    return {};
}

void freePolicyMappings(POLICY_MAPPINGS *mappings)
{
    sk_POLICY_MAPPING_pop_free(mappings, POLICY_MAPPING_free);
}

QString decodePolicyMappings(const X509_EXTENSION *extension, Extension &out)
{
    auto mappings = decodeStruct<POLICY_MAPPINGS, freePolicyMappings>(extension);
    if (!mappings)
        return QStringLiteral("policyMappings does not decode");
    for (int index = 0; index < sk_POLICY_MAPPING_num(mappings.get()); ++index) {
        const POLICY_MAPPING *mapping = sk_POLICY_MAPPING_value(mappings.get(), index);
        out.details.append(objectToDottedOid(mapping->issuerDomainPolicy) + QStringLiteral(" → ") +
                           objectToDottedOid(mapping->subjectDomainPolicy));
    }
    out.value = joinDetails(out);
    return {};
}

QString decodeInhibitAnyPolicy(const X509_EXTENSION *extension, Extension &out)
{
    auto skipCerts = decodeStruct<ASN1_INTEGER, ASN1_INTEGER_free>(extension);
    if (!skipCerts)
        return QStringLiteral("inhibitAnyPolicy does not decode");
    out.value = QStringLiteral("skip certificates: ") + integerToDecimal(skipCerts.get());
    out.details.append(out.value);
    return {};
}

void appendSubtrees(const STACK_OF(GENERAL_SUBTREE) * subtrees, const QString &kind, Extension &out)
{
    for (int index = 0; index < sk_GENERAL_SUBTREE_num(subtrees); ++index) {
        const GENERAL_SUBTREE *subtree = sk_GENERAL_SUBTREE_value(subtrees, index);
        const GeneralName base = decodeGeneralName(subtree->base);
        out.details.append(kind + QStringLiteral(": ") + base.type + QStringLiteral(": ") + base.value);
    }
}

QString decodeNameConstraints(const X509_EXTENSION *extension, Extension &out)
{
    auto constraints = decodeStruct<NAME_CONSTRAINTS, NAME_CONSTRAINTS_free>(extension);
    if (!constraints)
        return QStringLiteral("nameConstraints does not decode");
    appendSubtrees(constraints->permittedSubtrees, QStringLiteral("permitted"), out);
    appendSubtrees(constraints->excludedSubtrees, QStringLiteral("excluded"), out);
    out.value = joinDetails(out);
    return {};
}

QString decodeTlsFeature(const X509_EXTENSION *extension, Extension &out)
{
    using FeaturesPtr = Owned<TLS_FEATURE, TLS_FEATURE_free>;
    FeaturesPtr features(static_cast<TLS_FEATURE *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
    if (!features)
        return QStringLiteral("TLS feature does not decode");
    for (int index = 0; index < sk_ASN1_INTEGER_num(features.get()); ++index) {
        const long feature = ASN1_INTEGER_get(sk_ASN1_INTEGER_value(features.get(), index));
        if (feature == 5)
            out.details.append(QStringLiteral("status_request (OCSP must-staple)"));
        else if (feature == 17)
            out.details.append(QStringLiteral("status_request_v2"));
        else
            out.details.append(QStringLiteral("feature %1").arg(feature));
    }
    out.value = joinDetails(out);
    return {};
}

QString decodeSctList(const X509_EXTENSION *extension, Extension &out)
{
    using SctListPtr = Owned<STACK_OF(SCT), SCT_LIST_free>;
    SctListPtr scts(static_cast<STACK_OF(SCT) *>(X509V3_EXT_d2i(const_cast<X509_EXTENSION *>(extension))));
    if (!scts)
        return QStringLiteral("the SCT list does not decode");
    static const char *const hashes[] = {"none", "MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"};
    static const char *const signatures[] = {"anonymous", "RSA", "DSA", "ECDSA"};
    for (int index = 0; index < sk_SCT_num(scts.get()); ++index) {
        const SCT *sct = sk_SCT_value(scts.get(), index);
        unsigned char *logId = nullptr;
        const size_t logIdLength = SCT_get0_log_id(sct, &logId);
        const QString logIdText = QString::fromLatin1(toByteArray(logId, int(logIdLength)).toBase64());
        const QDateTime timestamp = QDateTime::fromMSecsSinceEpoch(qint64(SCT_get_timestamp(sct)), QTimeZone::UTC);
        QString algorithm;
        switch (SCT_get_signature_nid(sct)) {
        case NID_sha256WithRSAEncryption:
            algorithm = QStringLiteral("SHA-256 with RSA");
            break;
        case NID_ecdsa_with_SHA256:
            algorithm = QStringLiteral("SHA-256 with ECDSA");
            break;
        default: {
            // Not a pair OpenSSL names: print the raw TLS codes from the encoding.
            unsigned char *encoded = nullptr;
            const int length = i2o_SCT(sct, &encoded);
            OpenSslBytesPtr owned(encoded);
            // v1 layout: version(1) logId(32) timestamp(8) extlen(2) ext hash(1) sig(1)
            if (length > 43) {
                const int extensionLength = (encoded[41] << 8) | encoded[42];
                const int at = 43 + extensionLength;
                if (at + 1 < length) {
                    const int hash = encoded[at];
                    const int signature = encoded[at + 1];
                    algorithm = QString::fromLatin1(hash < 7 ? hashes[hash] : "hash ?") + QStringLiteral(" with ") +
                                QString::fromLatin1(signature < 4 ? signatures[signature] : "signature ?");
                }
            }
        }
        }
        out.details.append(QStringLiteral("v%1 log %2 at %3, %4")
                               .arg(SCT_get_version(sct) + 1)
                               .arg(logIdText, timestamp.toString(Qt::ISODateWithMs), algorithm));
    }
    out.value = QStringLiteral("%1 signed certificate timestamp(s)").arg(out.details.size());
    return {};
}

QString decodeCtPoison(const X509_EXTENSION *, Extension &out)
{
    out.value = QStringLiteral("precertificate (not for use in TLS)");
    out.details.append(out.value);
    return {};
}

const QHash<int, Decoder> &decoders()
{
    static const QHash<int, Decoder> table = {
        {NID_basic_constraints, decodeBasicConstraints},
        {NID_key_usage, decodeKeyUsage},
        {NID_ext_key_usage, decodeExtendedKeyUsage},
        {NID_subject_alt_name, decodeAltNames},
        {NID_issuer_alt_name, decodeAltNames},
        {NID_subject_key_identifier, decodeSubjectKeyIdentifier},
        {NID_authority_key_identifier, decodeAuthorityKeyIdentifier},
        {NID_info_access, decodeInfoAccess},
        {NID_sinfo_access, decodeInfoAccess},
        {NID_crl_distribution_points, decodeCrlDistributionPoints},
        {NID_freshest_crl, decodeCrlDistributionPoints},
        {NID_certificate_policies, decodeCertificatePolicies},
        {NID_policy_constraints, decodePolicyConstraints},
        {NID_policy_mappings, decodePolicyMappings},
        {NID_inhibit_any_policy, decodeInhibitAnyPolicy},
        {NID_name_constraints, decodeNameConstraints},
        {NID_tlsfeature, decodeTlsFeature},
        {NID_ct_precert_scts, decodeSctList},
        {NID_ct_precert_poison, decodeCtPoison},
    };
    return table;
}

// Extensions we have no decoder for: OpenSSL's printer when it knows one, else the bytes.
void decodeGeneric(const X509_EXTENSION *extension, Extension &out)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (bio && X509V3_EXT_print(bio.get(), const_cast<X509_EXTENSION *>(extension), 0, 0) == 1) {
        char *data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        const QString text = QString::fromUtf8(data, length).trimmed();
        out.details = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (QString &line : out.details)
            line = line.trimmed();
        out.value = out.details.join(QStringLiteral(", "));
    } else {
        out.value = hexColon(out.der);
        out.details.append(out.value);
    }
    clearOpenSslErrors();
}

} // namespace

Extension decodeExtension(const X509_EXTENSION *extension)
{
    Extension out;
    const ASN1_OBJECT *object = X509_EXTENSION_get_object(const_cast<X509_EXTENSION *>(extension));
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(const_cast<X509_EXTENSION *>(extension));
    const int nid = OBJ_obj2nid(object);
    out.oid = objectToDottedOid(object);
    out.name = nid != NID_undef ? QString::fromLatin1(OBJ_nid2ln(nid)) : out.oid;
    if (out.name.startsWith(QLatin1String("X509v3 "))) // OpenSSL's historic prefix says nothing to users
        out.name.remove(0, 7);
    out.critical = X509_EXTENSION_get_critical(extension) > 0;
    out.der = toByteArray(ASN1_STRING_get0_data(data), ASN1_STRING_length(data));
    const auto decoder = decoders().constFind(nid);
    if (decoder == decoders().constEnd()) {
        decodeGeneric(extension, out);
        return out;
    }
    const QString error = (*decoder)(extension, out);
    if (!error.isEmpty()) {
        out.error = error;
        out.details = {hexColon(out.der)};
        out.value = QStringLiteral("(does not decode) ") + out.details.first();
    }
    clearOpenSslErrors();
    return out;
}

QList<Extension> decodeExtensions(const STACK_OF(X509_EXTENSION) * extensions)
{
    QList<Extension> result;
    for (int index = 0; index < sk_X509_EXTENSION_num(extensions); ++index)
        result.append(decodeExtension(sk_X509_EXTENSION_value(extensions, index)));
    return result;
}

} // namespace trustscope::core::x509
