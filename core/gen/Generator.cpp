#include "gen/Generator.h"

#include "ossl/OpenSslError.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <openssl/rand.h>

#include <arpa/inet.h>

namespace trustscope::core::gen {

using namespace trustscope::ossl;

const QStringList &keyTypeNames()
{
    static const QStringList names{QStringLiteral("rsa2048"), QStringLiteral("rsa3072"), QStringLiteral("rsa4096"),
                                   QStringLiteral("p256"),    QStringLiteral("p384"),    QStringLiteral("p521"),
                                   QStringLiteral("ed25519"), QStringLiteral("ed448"),   QStringLiteral("mldsa44"),
                                   QStringLiteral("mldsa65"), QStringLiteral("mldsa87")};
    return names;
}

Result<EvpPkeyPtr> generateKey(const QString &keyType)
{
    EVP_PKEY *key = nullptr;
    if (keyType.startsWith(QLatin1String("rsa"))) {
        const size_t bits = keyType.mid(3).toUInt();
        if (bits < 512 || bits > 16384)
            return fail(Error::Code::InvalidInput, QStringLiteral("unknown key type '%1'").arg(keyType));
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits);
    } else if (keyType == QLatin1String("p256") || keyType == QLatin1String("p384") ||
               keyType == QLatin1String("p521")) {
        const QByteArray curve = "P-" + keyType.mid(1).toLatin1();
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.constData());
    } else if (keyType == QLatin1String("ed25519")) {
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    } else if (keyType == QLatin1String("ed448")) {
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448");
    } else if (keyType.startsWith(QLatin1String("mldsa"))) {
        const QByteArray algorithm = "ML-DSA-" + keyType.mid(5).toLatin1();
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm.constData());
    } else {
        return fail(Error::Code::InvalidInput, QStringLiteral("unknown key type '%1' (one of %2)")
                                                   .arg(keyType, keyTypeNames().join(QStringLiteral(", "))));
    }
    if (!key)
        return std::unexpected(
            openSslFailure(Error::Code::Unsupported, QStringLiteral("this OpenSSL cannot make %1 keys").arg(keyType)));
    return EvpPkeyPtr(key);
}

namespace {

// OpenSSL's configuration syntax wants IP constraints as address/netmask; users write CIDR.
QString constraintForConfig(const QString &constraint)
{
    if (!constraint.startsWith(QLatin1String("IP:"), Qt::CaseInsensitive) || !constraint.contains(QLatin1Char('/')))
        return constraint;
    const QString network = constraint.mid(3).section(QLatin1Char('/'), 0, 0);
    bool isNumber = false;
    const int prefix = constraint.section(QLatin1Char('/'), 1).toInt(&isNumber);
    const bool isV6 = network.contains(QLatin1Char(':'));
    const int bits = isV6 ? 128 : 32;
    unsigned char probe[16];
    if (!isNumber || prefix < 0 || prefix > bits ||
        inet_pton(isV6 ? AF_INET6 : AF_INET, network.toLatin1().constData(), probe) != 1)
        return constraint; // let OpenSSL name what is wrong
    unsigned char mask[16] = {};
    for (int bit = 0; bit < prefix; ++bit)
        mask[bit / 8] |= static_cast<unsigned char>(0x80 >> (bit % 8));
    char text[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(isV6 ? AF_INET6 : AF_INET, mask, text, sizeof text))
        return constraint;
    return QStringLiteral("IP:%1/%2").arg(network, QString::fromLatin1(text));
}

// Ed25519, Ed448 and ML-DSA sign the message itself: no separate digest.
const EVP_MD *digestFor(EVP_PKEY *signingKey, const QString &digest)
{
    if (!EVP_PKEY_is_a(signingKey, "RSA") && !EVP_PKEY_is_a(signingKey, "EC"))
        return nullptr;
    const EVP_MD *md = EVP_get_digestbyname(digest.toLatin1().constData());
    return md ? md : EVP_sha256();
}

bool setTime(ASN1_TIME *field, const QDateTime &when)
{
    return ASN1_TIME_set(field, time_t(when.toSecsSinceEpoch())) != nullptr;
}

std::optional<Error> addExtension(X509 *certificate, X509V3_CTX *context, int nid, const QString &value)
{
    const QByteArray text = value.toUtf8();
    X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, context, nid, text.constData()));
    if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1)
        return openSslFailure(Error::Code::InvalidInput,
                              QStringLiteral("cannot add %1 = %2").arg(QString::fromLatin1(OBJ_nid2sn(nid)), value));
    return std::nullopt;
}

// certificatePolicies has no config-string form without a config database: built from its parts.
std::optional<Error> addCertificatePolicies(X509 *certificate, const QStringList &oids)
{
    if (oids.isEmpty())
        return std::nullopt;
    const auto failure = [&] {
        return openSslFailure(Error::Code::InvalidInput,
                              QStringLiteral("cannot add certificatePolicies %1").arg(oids.join(QLatin1Char(','))));
    };
    CertificatePoliciesPtr policies(sk_POLICYINFO_new_null());
    if (!policies)
        return failure();
    for (const QString &oid : oids) {
        const QByteArray text = oid == QLatin1String("anyPolicy") ? QByteArrayLiteral("2.5.29.32.0") : oid.toLatin1();
        Owned<POLICYINFO, POLICYINFO_free> info(POLICYINFO_new());
        Asn1ObjectPtr object(OBJ_txt2obj(text.constData(), 1));
        if (!info || !object)
            return failure();
        ASN1_OBJECT_free(info->policyid);
        info->policyid = object.release();
        if (sk_POLICYINFO_push(policies.get(), info.get()) <= 0)
            return failure();
        info.release(); // the stack owns it now
    }
    if (X509_add1_ext_i2d(certificate, NID_certificate_policies, policies.get(), 0, X509V3_ADD_DEFAULT) != 1)
        return failure();
    return std::nullopt;
}

X509NamePtr nameFor(const CertificateSpec &spec)
{
    X509NamePtr name(X509_NAME_new());
    const auto add = [&](const char *field, const QString &value) {
        if (value.isEmpty())
            return;
        const QByteArray utf8 = value.toUtf8();
        X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(utf8.constData()), int(utf8.size()), -1, 0);
    };
    add("O", spec.organization);
    add("CN", spec.commonName);
    return name;
}

QString subjectAltNames(const CertificateSpec &spec)
{
    QStringList names;
    for (const QString &dns : spec.dnsNames)
        names.append(QStringLiteral("DNS:") + dns);
    for (const QString &ip : spec.ipAddresses)
        names.append(QStringLiteral("IP:") + ip);
    for (const QString &email : spec.emailAddresses)
        names.append(QStringLiteral("email:") + email);
    for (const QString &uri : spec.uris)
        names.append(QStringLiteral("URI:") + uri);
    return names.join(QLatin1Char(','));
}

bool randomSerial(X509 *certificate)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, and 16 bytes long
    BignumPtr number(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return number && BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate));
}

Result<X509Ptr> build(const CertificateSpec &spec, EVP_PKEY *subjectKey, const X509_NAME *subjectName, X509 *issuer,
                      EVP_PKEY *issuerKey, const STACK_OF(X509_EXTENSION) * requested)
{
    const bool selfSigned = spec.role == Role::RootCa || spec.role == Role::SelfSignedLeaf;
    if (!selfSigned && (!issuer || !issuerKey))
        return fail(Error::Code::InvalidInput, QStringLiteral("an issuer certificate and key are needed"));
    const bool isCa = spec.role == Role::RootCa || spec.role == Role::IntermediateCa;
    X509Ptr certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1 || !randomSerial(certificate.get()))
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot start a certificate")));
    X509NamePtr ownName = nameFor(spec);
    const X509_NAME *subject = subjectName ? subjectName : ownName.get();
    X509_set_subject_name(certificate.get(), subject);
    X509_set_issuer_name(certificate.get(), selfSigned ? subject : X509_get_subject_name(issuer));
    const QDateTime notBefore =
        spec.notBefore.isValid() ? spec.notBefore : QDateTime::currentDateTimeUtc().addSecs(-3600);
    const QDateTime notAfter = spec.notAfter.isValid() ? spec.notAfter : notBefore.addDays(isCa ? 3650 : 365);
    if (!setTime(X509_getm_notBefore(certificate.get()), notBefore) ||
        !setTime(X509_getm_notAfter(certificate.get()), notAfter) ||
        X509_set_pubkey(certificate.get(), subjectKey) != 1)
        return std::unexpected(
            openSslFailure(Error::Code::InvalidInput, QStringLiteral("cannot set the dates or key")));

    X509V3_CTX context;
    X509V3_set_ctx(&context, selfSigned ? certificate.get() : issuer, certificate.get(), nullptr, nullptr, 0);
    X509V3_set_ctx_nodb(&context);
    QList<std::pair<int, QString>> extensions;
    if (isCa || spec.forceCa) {
        extensions.append(
            {NID_basic_constraints,
             QStringLiteral("critical,CA:TRUE") +
                 (spec.pathLength >= 0 ? QStringLiteral(",pathlen:%1").arg(spec.pathLength) : QString())});
        // A "leaf" marked CA (the old `openssl req -x509` default) keeps a leaf's key usage.
        extensions.append({NID_key_usage, isCa ? QStringLiteral("critical,keyCertSign,cRLSign")
                                               : QStringLiteral("critical,digitalSignature")});
    } else {
        extensions.append({NID_basic_constraints, QStringLiteral("critical,CA:FALSE")});
        extensions.append({NID_key_usage, EVP_PKEY_is_a(subjectKey, "RSA")
                                              ? QStringLiteral("critical,digitalSignature,keyEncipherment")
                                              : QStringLiteral("critical,digitalSignature")});
    }
    if (!isCa) {
        QStringList usages;
        if (spec.serverAuth)
            usages.append(QStringLiteral("serverAuth"));
        if (spec.clientAuth)
            usages.append(QStringLiteral("clientAuth"));
        if (!usages.isEmpty())
            extensions.append({NID_ext_key_usage, usages.join(QLatin1Char(','))});
    }
    if (const QString names = subjectAltNames(spec); !names.isEmpty())
        extensions.append({NID_subject_alt_name, names});
    extensions.append({NID_subject_key_identifier, QStringLiteral("hash")});
    if (!selfSigned)
        extensions.append({NID_authority_key_identifier, QStringLiteral("keyid:always")});
    if (!spec.permittedNames.isEmpty() || !spec.excludedNames.isEmpty()) {
        QStringList constraints;
        for (const QString &name : spec.permittedNames)
            constraints.append(QStringLiteral("permitted;") + constraintForConfig(name));
        for (const QString &name : spec.excludedNames)
            constraints.append(QStringLiteral("excluded;") + constraintForConfig(name));
        extensions.append({NID_name_constraints, QStringLiteral("critical,") + constraints.join(QLatin1Char(','))});
    }
    QStringList access;
    if (!spec.ocspUrl.isEmpty())
        access.append(QStringLiteral("OCSP;URI:") + spec.ocspUrl);
    if (!spec.caIssuersUrl.isEmpty())
        access.append(QStringLiteral("caIssuers;URI:") + spec.caIssuersUrl);
    if (!access.isEmpty())
        extensions.append({NID_info_access, access.join(QLatin1Char(','))});
    if (!spec.crlUrl.isEmpty())
        extensions.append({NID_crl_distribution_points, QStringLiteral("URI:") + spec.crlUrl});
    if (!spec.policyMappings.isEmpty()) // RFC 5280 4.2.1.5: conforming CAs mark it critical
        extensions.append(
            {NID_policy_mappings, QStringLiteral("critical,") + spec.policyMappings.join(QLatin1Char(','))});
    QStringList policyConstraints;
    if (spec.requireExplicitPolicy >= 0)
        policyConstraints.append(QStringLiteral("requireExplicitPolicy:%1").arg(spec.requireExplicitPolicy));
    if (spec.inhibitPolicyMapping >= 0)
        policyConstraints.append(QStringLiteral("inhibitPolicyMapping:%1").arg(spec.inhibitPolicyMapping));
    if (!policyConstraints.isEmpty())
        extensions.append(
            {NID_policy_constraints, QStringLiteral("critical,") + policyConstraints.join(QLatin1Char(','))});
    if (spec.inhibitAnyPolicy >= 0)
        extensions.append({NID_inhibit_any_policy, QStringLiteral("critical,%1").arg(spec.inhibitAnyPolicy)});
    if (spec.mustStaple)
        extensions.append({NID_tlsfeature, QStringLiteral("status_request")});
    for (const auto &[nid, value] : std::as_const(extensions))
        if (auto error = addExtension(certificate.get(), &context, nid, value))
            return std::unexpected(*error);
    if (auto error = addCertificatePolicies(certificate.get(), spec.policies))
        return std::unexpected(*error);
    // A signed CSR's extensions the spec does not set itself (its SANs, mostly).
    for (int index = 0; requested && index < sk_X509_EXTENSION_num(requested); ++index) {
        X509_EXTENSION *extension = sk_X509_EXTENSION_value(requested, index);
        if (X509_get_ext_by_OBJ(certificate.get(), X509_EXTENSION_get_object(extension), -1) < 0 &&
            X509_add_ext(certificate.get(), extension, -1) != 1)
            return std::unexpected(
                openSslFailure(Error::Code::InvalidInput, QStringLiteral("cannot copy an extension of the request")));
    }
    EVP_PKEY *signingKey = selfSigned ? subjectKey : issuerKey;
    if (X509_sign(certificate.get(), signingKey, digestFor(signingKey, spec.digest)) <= 0)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("signing the certificate failed")));
    if (!spec.ctLogDirectories.isEmpty()) {
        if (selfSigned || isCa)
            return fail(Error::Code::InvalidInput, QStringLiteral("only a CA-issued leaf carries embedded SCTs"));
        if (auto error = embedScts(certificate.get(), issuer, issuerKey, digestFor(signingKey, spec.digest),
                                   spec.ctLogDirectories, spec.sctTime))
            return std::unexpected(*error);
        if (X509_sign(certificate.get(), signingKey, digestFor(signingKey, spec.digest)) <= 0)
            return std::unexpected(
                openSslFailure(Error::Code::Internal, QStringLiteral("signing the certificate failed")));
    }
    return certificate;
}

} // namespace

Result<X509Ptr> issueCertificate(const CertificateSpec &spec, EVP_PKEY *subjectKey, X509 *issuer, EVP_PKEY *issuerKey)
{
    return build(spec, subjectKey, nullptr, issuer, issuerKey, nullptr);
}

Result<X509ReqPtr> createRequest(const CertificateSpec &spec, EVP_PKEY *key)
{
    X509ReqPtr request(X509_REQ_new());
    X509NamePtr name = nameFor(spec);
    if (!request || X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1 ||
        X509_REQ_set_subject_name(request.get(), name.get()) != 1 || X509_REQ_set_pubkey(request.get(), key) != 1)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot start a request")));
    if (const QString names = subjectAltNames(spec); !names.isEmpty()) {
        // The stack owns the extension once pushed; before that, the unique_ptr does: freed once either way.
        ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
        const QByteArray text = names.toUtf8();
        X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, text.constData()));
        if (!extensions || !extension || sk_X509_EXTENSION_push(extensions.get(), extension.get()) <= 0)
            return std::unexpected(
                openSslFailure(Error::Code::InvalidInput, QStringLiteral("cannot add the names %1").arg(names)));
        (void)extension.release(); // owned by `extensions` now: release() cannot fail
        if (X509_REQ_add_extensions(request.get(), extensions.get()) != 1)
            return std::unexpected(
                openSslFailure(Error::Code::InvalidInput, QStringLiteral("cannot add the names %1").arg(names)));
    }
    if (X509_REQ_sign(request.get(), key, digestFor(key, spec.digest)) <= 0)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("signing the request failed")));
    return request;
}

Result<X509Ptr> signRequest(X509_REQ *request, CertificateSpec spec, X509 *issuer, EVP_PKEY *issuerKey)
{
    EVP_PKEY *key = X509_REQ_get0_pubkey(request);
    if (!key || X509_REQ_verify(request, key) != 1)
        return std::unexpected(
            openSslFailure(Error::Code::InvalidInput, QStringLiteral("the request's signature does not verify")));
    ExtensionStackPtr requested(X509_REQ_get_extensions(request));
    clearOpenSslErrors();
    if (spec.role == Role::RootCa || spec.role == Role::SelfSignedLeaf)
        spec.role = Role::Leaf;
    return build(spec, key, X509_REQ_get_subject_name(request), issuer, issuerKey, requested.get());
}

QByteArray certificatePem(X509 *certificate)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) {
        clearOpenSslErrors();
        return {}; // callers treat an empty PEM as a failure
    }
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

QByteArray certificateDer(X509 *certificate)
{
    unsigned char *bytes = nullptr;
    const int length = i2d_X509(certificate, &bytes);
    const OpenSslBytesPtr owner(bytes);
    return length > 0 ? QByteArray(reinterpret_cast<const char *>(bytes), length) : QByteArray();
}

Result<QByteArray> privateKeyPem(EVP_PKEY *key, const QByteArray &passphrase)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    const bool encrypt = !passphrase.isEmpty();
    if (PEM_write_bio_PKCS8PrivateKey(bio.get(), key, encrypt ? EVP_aes_256_cbc() : nullptr,
                                      encrypt ? passphrase.constData() : nullptr, int(passphrase.size()), nullptr,
                                      nullptr) != 1)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot write the private key")));
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

Result<QByteArray> pkcs12(EVP_PKEY *key, X509 *certificate, const QList<X509 *> &chain, const QByteArray &passphrase,
                          Pkcs12Flavour flavour, const QString &friendlyName)
{
    StackOfX509Ptr authorities(sk_X509_new_null());
    for (X509 *authority : chain) {
        if (!authorities || !pushWithReference(authorities.get(), authority))
            return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("out of memory")));
    }
    const bool legacy = flavour == Pkcs12Flavour::Legacy;
    const int cipher = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_aes_256_cbc;
    const QByteArray name = friendlyName.toUtf8();
    Pkcs12Ptr bundle(PKCS12_create(passphrase.constData(), name.isEmpty() ? nullptr : name.constData(), key,
                                   certificate, authorities.get(), cipher, cipher, PKCS12_DEFAULT_ITER, -1, 0));
    if (!bundle)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot build the PKCS#12")));
    // The MAC: SHA-1 for old importers (Windows 7, Java 8, Android < 10), SHA-256 otherwise.
    if (PKCS12_set_mac(bundle.get(), passphrase.constData(), int(passphrase.size()), nullptr, 0, PKCS12_DEFAULT_ITER,
                       legacy ? EVP_sha1() : EVP_sha256()) != 1)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot add the PKCS#12 MAC")));
    unsigned char *bytes = nullptr;
    const int length = i2d_PKCS12(bundle.get(), &bytes);
    const OpenSslBytesPtr owner(bytes);
    if (length <= 0)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot encode the PKCS#12")));
    return QByteArray(reinterpret_cast<const char *>(bytes), length);
}

std::optional<Error> writeFile(const QString &path, const QByteArray &data, bool secret)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Error::Code::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), {}};
    if (secret && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        return Error{Error::Code::Io, QStringLiteral("cannot restrict %1 to its owner").arg(path), {}};
    }
    if (file.write(data) != data.size() || !file.commit())
        return Error{Error::Code::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), {}};
    return std::nullopt;
}

} // namespace trustscope::core::gen
