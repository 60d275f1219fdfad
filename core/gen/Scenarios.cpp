// The ready-made test PKIs, including the broken ones a client must reject.

#include "gen/Generator.h"

#include "ossl/OpenSslError.h"
#include "x509/Pem.h"

#include <QDir>

namespace trustscope::core::gen {

using namespace trustscope::ossl;

const QList<ScenarioInfo> &scenarios()
{
    static const QList<ScenarioInfo> list{
        {QStringLiteral("valid"), QStringLiteral("a correct chain: root, intermediate, server leaf"), QString(), true},
        {QStringLiteral("expired"), QStringLiteral("the leaf expired 30 days ago"), QStringLiteral("TemporalValidity"),
         false},
        {QStringLiteral("not-yet-valid"), QStringLiteral("the leaf becomes valid in 30 days"),
         QStringLiteral("TemporalValidity"), false},
        {QStringLiteral("wrong-host"), QStringLiteral("the leaf names wrong.invalid, not the host"),
         QStringLiteral("SSLHostname"), false},
        {QStringLiteral("self-signed"), QStringLiteral("the server sends a self-signed leaf"),
         QStringLiteral("AnchorTrusted"), false},
        {QStringLiteral("untrusted-root"),
         QStringLiteral("the chain ends at untrusted-root.pem, not at the root.pem clients trust"),
         QStringLiteral("AnchorTrusted"), false},
        {QStringLiteral("missing-intermediate"),
         QStringLiteral("chain.pem lacks the intermediate; the leaf's AIA points to intermediate.der"),
         QStringLiteral("MissingIntermediate"), false},
        {QStringLiteral("wrong-eku"), QStringLiteral("the leaf is for clientAuth only"),
         QStringLiteral("ExtendedKeyUsage"), false},
        {QStringLiteral("name-constraint-violation"),
         QStringLiteral("the intermediate may only issue for allowed.invalid"), QStringLiteral("IssuerNameConstraints"),
         false},
        {QStringLiteral("revoked"),
         QStringLiteral("the intermediate revoked the leaf (intermediate.crl, and index.txt for openssl ocsp)"),
         QStringLiteral("Revocation"), false},
        {QStringLiteral("sha1-signature"), QStringLiteral("the leaf is signed with SHA-1"),
         QStringLiteral("WeakSignature"), true},
        {QStringLiteral("weak-rsa-1024"), QStringLiteral("the leaf has a 1024-bit RSA key"),
         QStringLiteral("WeakKeySize"), true},
        {QStringLiteral("too-long-validity"),
         QStringLiteral("the leaf is valid for 825 days, over the 398 a public CA may issue (an error under a public "
                        "root, an advisory under your own)"),
         QStringLiteral("ValidityPeriodMaximums"), true},
        {QStringLiteral("leaf-is-ca"), QStringLiteral("the leaf claims CA:TRUE"), QStringLiteral("NotCA"), true},
    };
    return list;
}

namespace {

struct Issued {
    EvpPkeyPtr key;
    X509Ptr certificate;
};

Result<Issued> make(const CertificateSpec &spec, const QString &keyType, const Issued *issuer)
{
    auto key = generateKey(keyType);
    if (!key)
        return std::unexpected(key.error());
    auto certificate = issueCertificate(spec, key->get(), issuer ? issuer->certificate.get() : nullptr,
                                        issuer ? issuer->key.get() : nullptr);
    if (!certificate)
        return std::unexpected(certificate.error());
    return Issued{std::move(*key), std::move(*certificate)};
}

Result<QByteArray> revocationList(const Issued &issuer, X509 *revoked)
{
    X509CrlPtr crl(X509_CRL_new());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Asn1TimePtr lastUpdate(ASN1_TIME_set(nullptr, time_t(now.addSecs(-3600).toSecsSinceEpoch())));
    Asn1TimePtr nextUpdate(ASN1_TIME_set(nullptr, time_t(now.addDays(30).toSecsSinceEpoch())));
    Asn1TimePtr revokedAt(ASN1_TIME_set(nullptr, time_t(now.addDays(-1).toSecsSinceEpoch())));
    Owned<X509_REVOKED, X509_REVOKED_free> entry(X509_REVOKED_new());
    Asn1EnumeratedPtr reason(ASN1_ENUMERATED_new());
    if (!crl || !entry || !reason || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
        X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.certificate.get())) != 1 ||
        X509_CRL_set1_lastUpdate(crl.get(), lastUpdate.get()) != 1 ||
        X509_CRL_set1_nextUpdate(crl.get(), nextUpdate.get()) != 1 ||
        X509_REVOKED_set_serialNumber(entry.get(), X509_get_serialNumber(revoked)) != 1 ||
        X509_REVOKED_set_revocationDate(entry.get(), revokedAt.get()) != 1 ||
        ASN1_ENUMERATED_set(reason.get(), 1) != 1 ||
        X509_REVOKED_add1_ext_i2d(entry.get(), NID_crl_reason, reason.get(), 0, 0) != 1 ||
        X509_CRL_add0_revoked(crl.get(), entry.get()) != 1)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot build the CRL")));
    (void)entry.release(); // the CRL owns it now: release() cannot fail
    // RFC 5280 5.2.3: a conforming CRL has a CRL number (clients set aside one without).
    Asn1IntegerPtr number(ASN1_INTEGER_new());
    if (!number || ASN1_INTEGER_set(number.get(), 1) != 1 ||
        X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot number the CRL")));
    X509_CRL_sort(crl.get());
    if (X509_CRL_sign(crl.get(), issuer.key.get(),
                      EVP_PKEY_is_a(issuer.key.get(), "RSA") || EVP_PKEY_is_a(issuer.key.get(), "EC") ? EVP_sha256()
                                                                                                      : nullptr) <= 0)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot sign the CRL")));
    unsigned char *bytes = nullptr;
    const int length = i2d_X509_CRL(crl.get(), &bytes);
    const OpenSslBytesPtr owner(bytes);
    return QByteArray(reinterpret_cast<const char *>(bytes), length);
}

} // namespace

Result<ScenarioResult> writeScenario(const QString &name, const QString &folder, const ScenarioOptions &options,
                                     const std::atomic_bool *cancel)
{
    const auto info = std::find_if(scenarios().cbegin(), scenarios().cend(),
                                   [&](const ScenarioInfo &scenario) { return scenario.name == name; });
    if (info == scenarios().cend()) {
        QStringList names;
        for (const ScenarioInfo &scenario : scenarios())
            names.append(scenario.name);
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("unknown scenario '%1' (one of %2)").arg(name, names.join(QStringLiteral(", "))));
    }
    if (!QDir().mkpath(folder))
        return fail(Error::Code::Io, QStringLiteral("cannot create %1").arg(folder));
    const QDir dir(folder);
    ScenarioResult result{*info, dir.absolutePath(), {}};
    const auto cancelled = [&] { return cancel && cancel->load(); };
    const auto write = [&](const QString &file, const QByteArray &data, bool secret = false) -> std::optional<Error> {
        result.files.append(file);
        return writeFile(dir.filePath(file), data, secret);
    };
    const auto writeIssued = [&](const QString &base, const Issued &issued) -> std::optional<Error> {
        if (auto error = write(base + QStringLiteral(".pem"), certificatePem(issued.certificate.get())))
            return error;
        auto key = privateKeyPem(issued.key.get());
        if (!key)
            return key.error();
        return write(base + QStringLiteral(".key"), *key, true);
    };

    const QDateTime now = QDateTime::currentDateTimeUtc();
    CertificateSpec rootSpec;
    rootSpec.role = Role::RootCa;
    rootSpec.organization = QStringLiteral("Trustscope Test PKI");
    rootSpec.commonName = QStringLiteral("Trustscope Test Root (%1)").arg(name);
    auto root = make(rootSpec, options.keyType, nullptr);
    if (!root)
        return std::unexpected(root.error());
    if (auto error = writeIssued(QStringLiteral("root"), *root))
        return std::unexpected(*error);

    // The chain the leaf hangs under: the trusted root's, or another root's for untrusted-root.
    std::optional<Issued> otherRoot;
    if (name == QLatin1String("untrusted-root")) {
        CertificateSpec otherSpec = rootSpec;
        otherSpec.commonName = QStringLiteral("Untrusted Root");
        auto made = make(otherSpec, options.keyType, nullptr);
        if (!made)
            return std::unexpected(made.error());
        otherRoot = std::move(*made);
        if (auto error = writeIssued(QStringLiteral("untrusted-root"), *otherRoot))
            return std::unexpected(*error);
    }
    if (cancelled())
        return fail(Error::Code::Cancelled, QStringLiteral("cancelled"));
    CertificateSpec intermediateSpec;
    intermediateSpec.role = Role::IntermediateCa;
    intermediateSpec.organization = rootSpec.organization;
    intermediateSpec.commonName = QStringLiteral("Trustscope Test Intermediate (%1)").arg(name);
    intermediateSpec.pathLength = 0;
    if (name == QLatin1String("name-constraint-violation"))
        intermediateSpec.permittedNames = {QStringLiteral("DNS:allowed.invalid")};
    auto intermediate = make(intermediateSpec, options.keyType, otherRoot ? &*otherRoot : &*root);
    if (!intermediate)
        return std::unexpected(intermediate.error());
    if (auto error = writeIssued(QStringLiteral("intermediate"), *intermediate))
        return std::unexpected(*error);
    if (auto error = write(QStringLiteral("intermediate.der"), certificateDer(intermediate->certificate.get())))
        return std::unexpected(*error);

    CertificateSpec leafSpec;
    leafSpec.role = name == QLatin1String("self-signed") ? Role::SelfSignedLeaf : Role::Leaf;
    leafSpec.commonName = options.host;
    leafSpec.dnsNames = {name == QLatin1String("wrong-host") ? QStringLiteral("wrong.invalid") : options.host};
    if (name != QLatin1String("wrong-host"))
        leafSpec.ipAddresses = {QStringLiteral("127.0.0.1")};
    leafSpec.serverAuth = name != QLatin1String("wrong-eku");
    leafSpec.clientAuth = name == QLatin1String("wrong-eku");
    leafSpec.forceCa = name == QLatin1String("leaf-is-ca");
    leafSpec.caIssuersUrl = options.baseUrl + QStringLiteral("intermediate.der");
    if (name == QLatin1String("revoked"))
        leafSpec.crlUrl = options.baseUrl + QStringLiteral("intermediate.crl");
    if (name == QLatin1String("expired")) {
        leafSpec.notBefore = now.addDays(-400);
        leafSpec.notAfter = now.addDays(-30);
    } else if (name == QLatin1String("not-yet-valid")) {
        leafSpec.notBefore = now.addDays(30);
        leafSpec.notAfter = now.addDays(120);
    } else if (name == QLatin1String("too-long-validity")) {
        leafSpec.notBefore = now.addSecs(-3600);
        leafSpec.notAfter = leafSpec.notBefore.addDays(825);
    } else {
        leafSpec.notBefore = now.addSecs(-3600);
        leafSpec.notAfter = leafSpec.notBefore.addDays(90);
    }
    if (name == QLatin1String("sha1-signature"))
        leafSpec.digest = QStringLiteral("sha1");
    auto leaf = make(leafSpec, name == QLatin1String("weak-rsa-1024") ? QStringLiteral("rsa1024") : options.keyType,
                     &*intermediate);
    if (!leaf)
        return std::unexpected(leaf.error());
    if (auto error = writeIssued(QStringLiteral("leaf"), *leaf))
        return std::unexpected(*error);

    // What the server sends, leaf first.
    QByteArray chain = certificatePem(leaf->certificate.get());
    if (name != QLatin1String("missing-intermediate") && name != QLatin1String("self-signed"))
        chain += certificatePem(intermediate->certificate.get());
    if (otherRoot) // servers often send their root too; here it is one the client does not trust
        chain += certificatePem(otherRoot->certificate.get());
    if (auto error = write(QStringLiteral("chain.pem"), chain))
        return std::unexpected(*error);
    QList<QByteArray> chainDer{certificateDer(leaf->certificate.get())};
    if (name != QLatin1String("missing-intermediate") && name != QLatin1String("self-signed"))
        chainDer.append(certificateDer(intermediate->certificate.get()));
    if (otherRoot)
        chainDer.append(certificateDer(otherRoot->certificate.get()));
    if (auto error = write(QStringLiteral("chain.p7b"), toPkcs7Der(chainDer)))
        return std::unexpected(*error);

    if (name == QLatin1String("revoked")) {
        auto crl = revocationList(*intermediate, leaf->certificate.get());
        if (!crl)
            return std::unexpected(crl.error());
        if (auto error = write(QStringLiteral("intermediate.crl"), *crl))
            return std::unexpected(*error);
        BignumPtr serial(ASN1_INTEGER_to_BN(X509_get_serialNumber(leaf->certificate.get()), nullptr));
        const OpenSslStringPtr hex(BN_bn2hex(serial.get()));
        const QByteArray index = "R\t" + now.addDays(90).toString(QStringLiteral("yyMMddHHmmss'Z'")).toLatin1() + '\t' +
                                 now.addDays(-1).toString(QStringLiteral("yyMMddHHmmss'Z'")).toLatin1() +
                                 ",keyCompromise\t" + QByteArray(hex.get()) +
                                 "\tunknown\t/CN=" + options.host.toUtf8() + '\n';
        if (auto error = write(QStringLiteral("index.txt"), index))
            return std::unexpected(*error);
    }

    const QString readme =
        QStringLiteral("Trustscope test scenario: %1\n\nWhat is wrong: %2.\nA client that trusts root.pem and "
                       "connects to %3 should report: %4.\n\nFiles: root.pem (the root to trust), intermediate.pem, "
                       "leaf.pem + leaf.key (the server's), chain.pem (what the server sends, leaf first).\n"
                       "Serve it: trustscope-cli serve --chain chain.pem --key leaf.key\n"
                       "Check it: trustscope-cli verify chain.pem --anchor root.pem --anchors-only --host %3\n")
            .arg(name, info->description, options.host,
                 info->expectedKey.isEmpty() ? QStringLiteral("trusted")
                                             : QStringLiteral("a %1 failure").arg(info->expectedKey));
    if (auto error = write(QStringLiteral("README.txt"), readme.toUtf8()))
        return std::unexpected(*error);
    return result;
}

} // namespace trustscope::core::gen
