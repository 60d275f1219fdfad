#include "x509/Export.h"

#include "x509/Pem.h"

#include <QFileInfo>
#include <QSaveFile>

namespace trustscope::core {

ExportFormat exportFormatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("der") || suffix == QLatin1String("cer"))
        return ExportFormat::Der;
    if (suffix == QLatin1String("p7b") || suffix == QLatin1String("p7c"))
        return ExportFormat::Pkcs7;
    return ExportFormat::Pem;
}

Result<QByteArray> exportObject(const PkiObject &object, ExportFormat format)
{
    const QByteArray der = object.der();
    if (object.as<PrivateKey>())
        return fail(Error::Code::Unsupported,
                    QStringLiteral("a private key is never exported: export its certificate"));
    if (der.isEmpty())
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("the %1 has no encoding to export").arg(object.typeName()));
    switch (format) {
    case ExportFormat::Der:
        return der;
    case ExportFormat::Pem:
        return toPem(der, enumName(derPemLabelTable, object.type()));
    case ExportFormat::Pkcs7:
        if (const auto *certificate = object.as<Certificate>())
            return toPkcs7Der({certificate->der});
        return fail(Error::Code::Unsupported,
                    QStringLiteral("a PKCS#7 bundle holds certificates, not a %1").arg(object.typeName()));
    }
    return fail(Error::Code::Internal, QStringLiteral("unknown export format"));
}

Result<QByteArray> exportCertificates(const Document &document, ExportFormat format)
{
    QList<QByteArray> certificates;
    for (const PkiObject &object : document.objects)
        if (const auto *certificate = object.as<Certificate>())
            certificates.append(certificate->der);
    if (certificates.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 holds no certificate").arg(document.fileName));
    switch (format) {
    case ExportFormat::Pkcs7:
        return toPkcs7Der(certificates);
    case ExportFormat::Pem: {
        QByteArray pem;
        for (const QByteArray &der : std::as_const(certificates))
            pem += toPem(der, QStringLiteral("CERTIFICATE"));
        return pem;
    }
    case ExportFormat::Der:
        if (certificates.size() == 1)
            return certificates.first();
        return fail(Error::Code::Unsupported,
                    QStringLiteral("DER holds one certificate and %1 holds %2: export the chain as PEM or PKCS#7")
                        .arg(document.fileName)
                        .arg(certificates.size()));
    }
    return fail(Error::Code::Internal, QStringLiteral("unknown export format"));
}

Result<void> writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(Error::Code::Io, QStringLiteral("cannot write %1").arg(path), file.errorString());
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return fail(Error::Code::Io, QStringLiteral("cannot write %1").arg(path), reason);
    }
    if (!file.commit())
        return fail(Error::Code::Io, QStringLiteral("cannot write %1").arg(path), file.errorString());
    return {};
}

} // namespace trustscope::core
