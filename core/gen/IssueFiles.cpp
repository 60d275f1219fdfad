// A certificate and its key as the files a user keeps: shared by `gen` and the generator dialog.

#include "gen/Generator.h"

#include "ossl/OpenSslError.h"
#include "x509/Document.h"
#include "x509/Pem.h"

#include <QDir>

namespace trustscope::core::gen {

using namespace trustscope::ossl;

// Both read through the document loader, so issuers can be any format it knows (PEM, DER,
// PKCS#7, PKCS#8, PKCS#12, traditional keys) and its limits and messages apply.
Result<X509Ptr> readCertificateFile(const QString &path)
{
    const auto certificates = loadCertificatesFile(path);
    if (!certificates)
        return std::unexpected(certificates.error());
    const QByteArray &der = certificates->first().der;
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    X509Ptr certificate(d2i_X509(nullptr, &cursor, long(der.size())));
    if (!certificate)
        return std::unexpected(openSslFailure(Error::Code::InvalidInput, QStringLiteral("cannot use %1").arg(path)));
    return certificate;
}

Result<EvpPkeyPtr> readPrivateKeyFile(const QString &path, const QByteArray &passphrase)
{
    FixedPasswordProvider passwords(passphrase);
    const auto document = loadDocumentFile(path, passphrase.isEmpty() ? nullptr : &passwords);
    if (!document)
        return std::unexpected(document.error());
    for (const PkiObject &object : document->objects)
        if (const auto *key = object.as<PrivateKey>()) {
            const auto *cursor = reinterpret_cast<const unsigned char *>(key->pkcs8Der.constData());
            EvpPkeyPtr decoded(d2i_AutoPrivateKey(nullptr, &cursor, long(key->pkcs8Der.size())));
            if (!decoded)
                return std::unexpected(
                    openSslFailure(Error::Code::InvalidInput, QStringLiteral("cannot use the key in %1").arg(path)));
            return decoded;
        }
    if (!document->errors.isEmpty()) // e.g. encrypted and no or the wrong passphrase
        return fail(Error::Code::InvalidInput, QStringLiteral("%1: %2").arg(path, document->errors.first().toString()));
    return fail(Error::Code::InvalidInput, QStringLiteral("%1 holds no private key").arg(path));
}

Result<IssuedFiles> issueToFiles(const IssueJob &job, const std::atomic_bool *cancel)
{
    const auto cancelled = [&] { return cancel && cancel->load(); };
    const bool selfSigned = job.spec.role == Role::RootCa || job.spec.role == Role::SelfSignedLeaf;
    X509Ptr issuerCertificate;
    EvpPkeyPtr issuerKey;
    if (!selfSigned) {
        if (job.issuerCertificatePath.isEmpty() || job.issuerKeyPath.isEmpty())
            return fail(Error::Code::InvalidInput, QStringLiteral("an issued certificate needs its CA's certificate "
                                                                  "and private key"));
        auto certificate = readCertificateFile(job.issuerCertificatePath);
        if (!certificate)
            return std::unexpected(certificate.error());
        auto key = readPrivateKeyFile(job.issuerKeyPath, job.issuerKeyPassphrase);
        if (!key)
            return std::unexpected(key.error());
        if (X509_check_private_key(certificate->get(), key->get()) != 1)
            return std::unexpected(openSslFailure(
                Error::Code::InvalidInput,
                QStringLiteral("%1 is not the key of %2").arg(job.issuerKeyPath, job.issuerCertificatePath)));
        issuerCertificate = std::move(*certificate);
        issuerKey = std::move(*key);
    }
    if (cancelled())
        return fail(Error::Code::Cancelled, QStringLiteral("cancelled"));
    auto key = generateKey(job.keyType);
    if (!key)
        return std::unexpected(key.error());
    if (cancelled())
        return fail(Error::Code::Cancelled, QStringLiteral("cancelled"));
    auto certificate = issueCertificate(job.spec, key->get(), issuerCertificate.get(), issuerKey.get());
    if (!certificate)
        return std::unexpected(certificate.error());

    if (!QDir().mkpath(job.folder))
        return fail(Error::Code::Io, QStringLiteral("cannot create %1").arg(job.folder));
    const QDir folder(job.folder);
    IssuedFiles result;
    const auto write = [&](const QString &suffix, const QByteArray &data, bool secret = false) {
        const QString path = folder.absoluteFilePath(job.baseName + suffix);
        result.files.append(path);
        return writeFile(path, data, secret);
    };
    auto keyPem = privateKeyPem(key->get(), job.passphrase);
    if (!keyPem)
        return std::unexpected(keyPem.error());
    if (auto error = write(QStringLiteral(".key"), *keyPem, true))
        return std::unexpected(*error);
    if (auto error = write(QStringLiteral(".pem"), certificatePem(certificate->get())))
        return std::unexpected(*error);
    result.certificatePath = result.files.last();
    if (auto error = write(QStringLiteral(".der"), certificateDer(certificate->get())))
        return std::unexpected(*error);
    if (issuerCertificate) {
        // The chain as a server sends it: this certificate, then its issuer unless that is a root.
        QByteArray chain = certificatePem(certificate->get());
        if (X509_check_issued(issuerCertificate.get(), issuerCertificate.get()) != X509_V_OK)
            chain += certificatePem(issuerCertificate.get());
        if (auto error = write(QStringLiteral("-chain.pem"), chain))
            return std::unexpected(*error);
        // The same chain as a PKCS#7 bundle (.p7b), which Windows and Java import directly.
        const QByteArray bundle =
            toPkcs7Der({certificateDer(certificate->get()), certificateDer(issuerCertificate.get())});
        if (bundle.isEmpty())
            return fail(Error::Code::Internal, QStringLiteral("cannot build the PKCS#7 bundle"));
        if (auto error = write(QStringLiteral("-chain.p7b"), bundle))
            return std::unexpected(*error);
    }
    if (!job.passphrase.isEmpty()) {
        const QList<X509 *> authorities = issuerCertificate ? QList<X509 *>{issuerCertificate.get()} : QList<X509 *>{};
        for (const auto &[flavour, suffix] :
             {std::pair{Pkcs12Flavour::Modern, "-modern.p12"}, std::pair{Pkcs12Flavour::Legacy, "-legacy.p12"}}) {
            auto bundle = pkcs12(key->get(), certificate->get(), authorities, job.passphrase, flavour, job.baseName);
            if (!bundle)
                return std::unexpected(bundle.error());
            if (auto error = write(QLatin1String(suffix), *bundle, true))
                return std::unexpected(*error);
        }
    }
    clearOpenSslErrors();
    return result;
}

} // namespace trustscope::core::gen
