#include "ossl/OpenSslError.h"
#include "x509/Decode.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <QCryptographicHash>

#include <QTimeZone>

namespace trustscope::core::x509 {

using namespace trustscope::ossl;

namespace {

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

template <typename T, int (*I2d)(const T *, unsigned char **)> QByteArray toDer(const T *object)
{
    unsigned char *der = nullptr;
    const int length = I2d(object, &der);
    if (length <= 0) {
        clearOpenSslErrors();
        return {};
    }
    OpenSslBytesPtr owned(der);
    return toByteArray(der, length);
}

QString rsaPssParameters(const X509_ALGOR *algorithm)
{
    const ASN1_OBJECT *object = nullptr;
    int parameterType = 0;
    const void *parameter = nullptr;
    X509_ALGOR_get0(&object, &parameterType, &parameter, algorithm);
    if (OBJ_obj2nid(object) != NID_rsassaPss)
        return {};
    if (parameterType != V_ASN1_SEQUENCE)
        return QStringLiteral("hash SHA-1, MGF1 with SHA-1, salt length 20 (defaults)");
    const auto *sequence = static_cast<const ASN1_STRING *>(parameter);
    const unsigned char *cursor = ASN1_STRING_get0_data(sequence);
    Owned<RSA_PSS_PARAMS, RSA_PSS_PARAMS_free> pss(d2i_RSA_PSS_PARAMS(nullptr, &cursor, ASN1_STRING_length(sequence)));
    if (!pss) {
        clearOpenSslErrors();
        return QStringLiteral("(RSA-PSS parameters do not decode)");
    }
    const QString hash = pss->hashAlgorithm ? objectToName(pss->hashAlgorithm->algorithm) : QStringLiteral("sha1");
    // The MGF1 hash is an AlgorithmIdentifier inside the maskGenAlgorithm's parameters.
    QString mgfHash = QStringLiteral("sha1");
    if (pss->maskGenAlgorithm && pss->maskGenAlgorithm->parameter &&
        pss->maskGenAlgorithm->parameter->type == V_ASN1_SEQUENCE) {
        const ASN1_STRING *mgfParameters = pss->maskGenAlgorithm->parameter->value.sequence;
        const unsigned char *mgfCursor = ASN1_STRING_get0_data(mgfParameters);
        Owned<X509_ALGOR, X509_ALGOR_free> hashAlgorithm(
            d2i_X509_ALGOR(nullptr, &mgfCursor, ASN1_STRING_length(mgfParameters)));
        if (hashAlgorithm)
            mgfHash = objectToName(hashAlgorithm->algorithm);
        clearOpenSslErrors();
    }
    const long salt = pss->saltLength ? ASN1_INTEGER_get(pss->saltLength) : 20;
    return QStringLiteral("hash %1, MGF1 with %2, salt length %3").arg(hash, mgfHash).arg(salt);
}

} // namespace

QString signatureAlgorithmName(const X509_ALGOR *algorithm)
{
    const ASN1_OBJECT *object = nullptr;
    X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
    return objectToName(object);
}

PublicKeyInfo decodePublicKey(EVP_PKEY *key, const QByteArray &spkiDer)
{
    PublicKeyInfo info;
    if (!key)
        return info;
    const char *typeName = EVP_PKEY_get0_type_name(key);
    info.algorithm = typeName ? QString::fromLatin1(typeName) : QStringLiteral("unknown");
    if (info.algorithm == QLatin1String("rsaEncryption"))
        info.algorithm = QStringLiteral("RSA");
    info.bits = EVP_PKEY_get_bits(key);
    char group[80] = {};
    size_t groupLength = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &groupLength) == 1)
        info.curve = QString::fromLatin1(group, qsizetype(groupLength));
    info.spkiDer = spkiDer.isEmpty() ? toDer<EVP_PKEY, i2d_PUBKEY>(key) : spkiDer;
    const QByteArray digest = QCryptographicHash::hash(info.spkiDer, QCryptographicHash::Sha256);
    info.spkiSha256Base64 = QString::fromLatin1(digest.toBase64());
    info.spkiSha256Hex = QString::fromLatin1(digest.toHex());
    clearOpenSslErrors();
    return info;
}

Result<Certificate> decodeCertificate(X509 *certificate)
{
    Certificate out;
    out.der = toDer<X509, i2d_X509>(certificate);
    if (out.der.isEmpty())
        return std::unexpected(
            openSslFailure(Error::Code::InvalidInput, QStringLiteral("the certificate does not re-encode")));
    if (X509_up_ref(certificate) == 1)
        out.parsed = std::shared_ptr<X509>(certificate, X509_free);
    else
        clearOpenSslErrors(); // no cached parse: evaluations parse `der` themselves
    out.version = int(X509_get_version(certificate)) + 1;
    out.serialHex = integerToHex(X509_get0_serialNumber(certificate));
    out.subject = decodeName(X509_get_subject_name(certificate));
    out.issuer = decodeName(X509_get_issuer_name(certificate));
    out.notBefore = toDateTime(X509_get0_notBefore(certificate));
    out.notAfter = toDateTime(X509_get0_notAfter(certificate));
    // The SPKI as the certificate carries it: what pins hash, and no re-encoding of the key.
    out.publicKey = decodePublicKey(X509_get0_pubkey(certificate),
                                    toDer<X509_PUBKEY, i2d_X509_PUBKEY>(X509_get_X509_PUBKEY(certificate)));

    const X509_ALGOR *algorithm = nullptr;
    X509_get0_signature(nullptr, &algorithm, certificate);
    const ASN1_OBJECT *algorithmObject = nullptr;
    X509_ALGOR_get0(&algorithmObject, nullptr, nullptr, algorithm);
    out.signatureAlgorithm = objectToName(algorithmObject);
    out.signatureAlgorithmOid = objectToDottedOid(algorithmObject);
    out.signatureParameters = rsaPssParameters(algorithm);
    int digestNid = NID_undef;
    if (X509_get_signature_info(certificate, &digestNid, nullptr, nullptr, nullptr) == 1 && digestNid != NID_undef)
        out.signatureDigest = QString::fromLatin1(OBJ_nid2sn(digestNid));

    out.sha1Hex = QString::fromLatin1(QCryptographicHash::hash(out.der, QCryptographicHash::Sha1).toHex());
    out.sha256Hex = sha256Hex(out.der);
    out.selfIssued = X509_NAME_cmp(X509_get_subject_name(certificate), X509_get_issuer_name(certificate)) == 0;
    out.selfSigned = out.selfIssued && X509_self_signed(certificate, 1) == 1;
    out.isCa = X509_get_extension_flags(certificate) & EXFLAG_CA; // basicConstraints cA, whatever the key usage

    out.extensions = decodeExtensions(X509_get0_extensions(certificate));
    GeneralNamesPtr altNames(
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
    out.subjectAltNames = decodeGeneralNames(altNames.get());
    clearOpenSslErrors(); // the checks above may leave benign errors on the queue
    return out;
}

Result<Crl> decodeCrl(X509_CRL *crl)
{
    Crl out;
    out.der = toDer<X509_CRL, i2d_X509_CRL>(crl);
    out.version = int(X509_CRL_get_version(crl)) + 1;
    out.issuer = decodeName(X509_CRL_get_issuer(crl));
    out.thisUpdate = toDateTime(X509_CRL_get0_lastUpdate(crl));
    if (const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl))
        out.nextUpdate = toDateTime(next);
    const X509_ALGOR *algorithm = nullptr;
    X509_CRL_get0_signature(crl, nullptr, &algorithm);
    out.signatureAlgorithm = signatureAlgorithmName(algorithm);
    out.entryCount = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl));
    Asn1IntegerPtr number(static_cast<ASN1_INTEGER *>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr)));
    if (number)
        out.crlNumber = integerToDecimal(number.get());
    out.extensions = decodeExtensions(X509_CRL_get0_extensions(crl));
    out.sha256Hex = sha256Hex(out.der);
    clearOpenSslErrors();
    return out;
}

namespace {

struct Tlv {
    qint64 start = 0; // of the identifier octet
    qint64 contentStart = 0;
    qint64 end = 0; // one past the content
    int tag = 0;
    int tagClass = 0;
    bool constructed = false;
};

// One definite-length TLV at `position`, inside [position, limit).
std::optional<Tlv> readTlv(const QByteArray &der, qint64 position, qint64 limit)
{
    const auto *base = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *cursor = base + position;
    long length = 0;
    int tag = 0;
    int tagClass = 0;
    const int flags = ASN1_get_object(&cursor, &length, &tag, &tagClass, long(limit - position));
    if (flags & 0x80 || (flags & 0x01)) { // an error, or indefinite length (not DER)
        clearOpenSslErrors();
        return std::nullopt;
    }
    Tlv tlv{position, cursor - base, (cursor - base) + length, tag, tagClass, (flags & V_ASN1_CONSTRUCTED) != 0};
    if (tlv.end > limit)
        return std::nullopt;
    return tlv;
}

QByteArray wrapSequence(const QByteArray &content)
{
    const int total = ASN1_object_size(1, int(content.size()), V_ASN1_SEQUENCE);
    if (total < 0)
        return {};
    QByteArray out(total - content.size(), Qt::Uninitialized);
    auto *cursor = reinterpret_cast<unsigned char *>(out.data());
    ASN1_put_object(&cursor, 1, int(content.size()), V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    return out + content;
}

} // namespace

std::optional<Crl> decodeLargeCrl(const QByteArray &der)
{
    // CertificateList ::= SEQUENCE { tbsCertList SEQUENCE { …, thisUpdate, nextUpdate?,
    // revokedCertificates SEQUENCE OF …?, crlExtensions [0]? }, signatureAlgorithm, signature }
    const auto outer = readTlv(der, 0, der.size());
    if (!outer || outer->end != der.size() || outer->tag != V_ASN1_SEQUENCE || !outer->constructed)
        return std::nullopt;
    const auto tbs = readTlv(der, outer->contentStart, outer->end);
    if (!tbs || tbs->tag != V_ASN1_SEQUENCE || !tbs->constructed)
        return std::nullopt;
    std::optional<Tlv> revoked;
    bool afterTime = false;
    for (qint64 position = tbs->contentStart; position < tbs->end;) {
        const auto field = readTlv(der, position, tbs->end);
        if (!field)
            return std::nullopt;
        if (field->tagClass == V_ASN1_UNIVERSAL &&
            (field->tag == V_ASN1_UTCTIME || field->tag == V_ASN1_GENERALIZEDTIME))
            afterTime = true;
        else if (afterTime && field->tagClass == V_ASN1_UNIVERSAL && field->tag == V_ASN1_SEQUENCE &&
                 field->constructed)
            revoked = field;
        position = field->end;
    }
    if (!revoked)
        return std::nullopt;
    qsizetype entries = 0;
    for (qint64 position = revoked->contentStart; position < revoked->end; ++entries) {
        const auto entry = readTlv(der, position, revoked->end);
        if (!entry || entry->tag != V_ASN1_SEQUENCE)
            return std::nullopt; // let the full decoder say what is wrong
        position = entry->end;
    }
    const QByteArray tbsWithoutEntries =
        der.mid(tbs->contentStart, revoked->start - tbs->contentStart) + der.mid(revoked->end, tbs->end - revoked->end);
    const QByteArray skeleton =
        wrapSequence(wrapSequence(tbsWithoutEntries) + der.mid(tbs->end, outer->end - tbs->end));
    const auto *cursor = reinterpret_cast<const unsigned char *>(skeleton.constData());
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, long(skeleton.size())));
    if (!crl || cursor != reinterpret_cast<const unsigned char *>(skeleton.constData()) + skeleton.size()) {
        clearOpenSslErrors();
        return std::nullopt;
    }
    auto decoded = decodeCrl(crl.get());
    if (!decoded)
        return std::nullopt;
    decoded->der = der;
    decoded->entryCount = entries;
    decoded->sha256Hex = sha256Hex(der);
    return *decoded;
}

Result<QList<CrlEntry>> crlEntries(const QByteArray &crlDer, qsizetype first, qsizetype count)
{
    const auto *cursor = reinterpret_cast<const unsigned char *>(crlDer.constData());
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, long(crlDer.size())));
    if (!crl)
        return std::unexpected(openSslFailure(Error::Code::InvalidInput, QStringLiteral("the CRL does not decode")));
    static const char *const reasons[] = {"unspecified",        "keyCompromise", "cACompromise",
                                          "affiliationChanged", "superseded",    "cessationOfOperation",
                                          "certificateHold",    "(unused 7)",    "removeFromCRL",
                                          "privilegeWithdrawn", "aACompromise"};
    const STACK_OF(X509_REVOKED) *revoked = X509_CRL_get_REVOKED(crl.get());
    const qsizetype total = sk_X509_REVOKED_num(revoked);
    QList<CrlEntry> entries;
    for (qsizetype index = qMax<qsizetype>(first, 0); index < total && index < first + count; ++index) {
        const X509_REVOKED *entry = sk_X509_REVOKED_value(revoked, int(index));
        CrlEntry out;
        out.serialHex = integerToHex(X509_REVOKED_get0_serialNumber(entry));
        out.revocationDate = toDateTime(X509_REVOKED_get0_revocationDate(entry));
        Owned<ASN1_ENUMERATED, ASN1_ENUMERATED_free> reason(
            static_cast<ASN1_ENUMERATED *>(X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr)));
        if (reason) {
            const long code = ASN1_ENUMERATED_get(reason.get());
            out.reason = code >= 0 && code < long(std::size(reasons)) ? QString::fromLatin1(reasons[code])
                                                                      : QStringLiteral("reason %1").arg(code);
        }
        Owned<ASN1_GENERALIZEDTIME, ASN1_GENERALIZEDTIME_free> invalidity(static_cast<ASN1_GENERALIZEDTIME *>(
            X509_REVOKED_get_ext_d2i(entry, NID_invalidity_date, nullptr, nullptr)));
        if (invalidity)
            out.invalidityDate = toDateTime(invalidity.get());
        entries.append(out);
    }
    clearOpenSslErrors();
    return entries;
}

Result<Csr> decodeCsr(X509_REQ *request)
{
    Csr out;
    out.der = toDer<X509_REQ, i2d_X509_REQ>(request);
    out.subject = decodeName(X509_REQ_get_subject_name(request));
    EVP_PKEY *key = X509_REQ_get0_pubkey(request);
    out.publicKey = decodePublicKey(key);
    const X509_ALGOR *algorithm = nullptr;
    X509_REQ_get0_signature(request, nullptr, &algorithm);
    out.signatureAlgorithm = signatureAlgorithmName(algorithm);
    out.signatureValid = key && X509_REQ_verify(request, key) == 1;
    ExtensionStackPtr extensions(X509_REQ_get_extensions(request));
    out.requestedExtensions = decodeExtensions(extensions.get());
    for (int index = 0; index < sk_X509_EXTENSION_num(extensions.get()); ++index) {
        X509_EXTENSION *extension = sk_X509_EXTENSION_value(extensions.get(), index);
        if (OBJ_obj2nid(X509_EXTENSION_get_object(extension)) != NID_subject_alt_name)
            continue;
        GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(X509V3_EXT_d2i(extension)));
        out.subjectAltNames = decodeGeneralNames(names.get());
    }
    clearOpenSslErrors();
    return out;
}

Result<PrivateKey> decodePrivateKey(EVP_PKEY *key, QString format, bool wasEncrypted)
{
    PrivateKey out;
    out.format = std::move(format);
    out.wasEncrypted = wasEncrypted;
    out.publicKey = decodePublicKey(key);
    Pkcs8PrivKeyInfoPtr pkcs8(EVP_PKEY2PKCS8(key));
    if (!pkcs8)
        return std::unexpected(
            openSslFailure(Error::Code::Unsupported, QStringLiteral("the private key cannot be converted to PKCS#8")));
    out.pkcs8Der = toDer<PKCS8_PRIV_KEY_INFO, i2d_PKCS8_PRIV_KEY_INFO>(pkcs8.get());
    return out;
}

Result<OcspResponse> decodeOcspResponse(OCSP_RESPONSE *response)
{
    OcspResponse out;
    out.der = toDer<OCSP_RESPONSE, i2d_OCSP_RESPONSE>(response);
    out.responseStatus = QString::fromLatin1(OCSP_response_status_str(OCSP_response_status(response)));
    OcspBasicResponsePtr basic(OCSP_response_get1_basic(response));
    if (!basic) {
        clearOpenSslErrors();
        return out; // e.g. tryLater: no body, which is a valid response
    }
    out.producedAt = toDateTime(OCSP_resp_get0_produced_at(basic.get()));
    const ASN1_OCTET_STRING *keyHash = nullptr;
    const X509_NAME *name = nullptr;
    if (OCSP_resp_get0_id(basic.get(), &keyHash, &name) == 1)
        out.responderId = name ? decodeName(name).rfc4514
                               : QStringLiteral("key hash ") +
                                     hexColon(toByteArray(ASN1_STRING_get0_data(keyHash), ASN1_STRING_length(keyHash)));
    out.signatureAlgorithm = signatureAlgorithmName(OCSP_resp_get0_tbs_sigalg(basic.get()));
    out.embeddedCertificates = sk_X509_num(OCSP_resp_get0_certs(basic.get()));
    for (int index = 0; index < OCSP_resp_count(basic.get()); ++index) {
        OCSP_SINGLERESP *single = OCSP_resp_get0(basic.get(), index);
        OcspSingleResponse item;
        int reason = -1;
        ASN1_GENERALIZEDTIME *revoked = nullptr, *thisUpdate = nullptr, *nextUpdate = nullptr;
        const int status = OCSP_single_get0_status(single, &reason, &revoked, &thisUpdate, &nextUpdate);
        item.status = QString::fromLatin1(OCSP_cert_status_str(status));
        if (revoked)
            item.revocationTime = toDateTime(revoked);
        if (reason >= 0)
            item.revocationReason = QString::fromLatin1(OCSP_crl_reason_str(reason));
        item.thisUpdate = toDateTime(thisUpdate);
        if (nextUpdate)
            item.nextUpdate = toDateTime(nextUpdate);
        ASN1_OCTET_STRING *nameHash = nullptr, *issuerKeyHash = nullptr;
        ASN1_OBJECT *hashAlgorithm = nullptr;
        ASN1_INTEGER *serial = nullptr;
        if (OCSP_id_get0_info(&nameHash, &hashAlgorithm, &issuerKeyHash, &serial,
                              const_cast<OCSP_CERTID *>(OCSP_SINGLERESP_get0_id(single))) == 1) {
            item.serialHex = integerToHex(serial);
            item.hashAlgorithm = objectToName(hashAlgorithm);
            item.issuerNameHashHex =
                QString::fromLatin1(toByteArray(ASN1_STRING_get0_data(nameHash), ASN1_STRING_length(nameHash)).toHex());
            item.issuerKeyHashHex = QString::fromLatin1(
                toByteArray(ASN1_STRING_get0_data(issuerKeyHash), ASN1_STRING_length(issuerKeyHash)).toHex());
        }
        out.responses.append(item);
    }
    clearOpenSslErrors();
    return out;
}

Result<Certificate> certificateFromDer(const QByteArray &der)
{
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    X509Ptr certificate(d2i_X509(nullptr, &cursor, long(der.size())));
    if (!certificate)
        return std::unexpected(openSslFailure(Error::Code::InvalidInput, QStringLiteral("not a DER certificate")));
    if (cursor != reinterpret_cast<const unsigned char *>(der.constData()) + der.size())
        return fail(Error::Code::InvalidInput, QStringLiteral("trailing bytes after the certificate"));
    return decodeCertificate(certificate.get());
}

Result<Crl> crlFromDer(const QByteArray &der)
{
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, long(der.size())));
    if (!crl)
        return std::unexpected(openSslFailure(Error::Code::InvalidInput, QStringLiteral("not a DER CRL")));
    return decodeCrl(crl.get());
}

} // namespace trustscope::core::x509
