#include "x509/Report.h"

#include "asn1/Asn1Tree.h"
#include "x509/CrlIndex.h"

#include <QJsonArray>

namespace trustscope::core {

QString isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

namespace {

QJsonValue optionalTime(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(isoUtc(time)) : QJsonValue();
}

QJsonObject toJson(const PublicKeyInfo &key)
{
    QJsonObject json{{QStringLiteral("algorithm"), key.algorithm},
                     {QStringLiteral("bits"), key.bits},
                     {QStringLiteral("spkiSha256"), key.spkiSha256Base64},
                     {QStringLiteral("spkiSha256Hex"), key.spkiSha256Hex}};
    if (!key.curve.isEmpty())
        json.insert(QStringLiteral("curve"), key.curve);
    return json;
}

QJsonArray toJson(const QList<Extension> &extensions)
{
    QJsonArray array;
    for (const Extension &extension : extensions)
        array.append(toJson(extension));
    return array;
}

QJsonArray toJson(const QList<GeneralName> &names)
{
    QJsonArray array;
    for (const GeneralName &name : names)
        array.append(QJsonObject{{QStringLiteral("type"), name.type}, {QStringLiteral("value"), name.value}});
    return array;
}

QJsonArray toJson(const DistinguishedName &name)
{
    QJsonArray array;
    for (const NameAttribute &attribute : name.attributes)
        array.append(QJsonObject{{QStringLiteral("oid"), attribute.oid},
                                 {QStringLiteral("name"), attribute.shortName},
                                 {QStringLiteral("value"), attribute.value}});
    return array;
}

} // namespace

QJsonObject toJson(const Extension &extension)
{
    QJsonObject json{{QStringLiteral("oid"), extension.oid},
                     {QStringLiteral("name"), extension.name},
                     {QStringLiteral("critical"), extension.critical},
                     {QStringLiteral("value"), extension.value},
                     {QStringLiteral("details"), QJsonArray::fromStringList(extension.details)}};
    if (!extension.error.isEmpty())
        json.insert(QStringLiteral("error"), extension.error);
    return json;
}

QJsonObject toJson(const Certificate &certificate)
{
    QJsonObject json{
        {QStringLiteral("type"), QStringLiteral("certificate")},
        {QStringLiteral("version"), certificate.version},
        {QStringLiteral("subject"), certificate.subject.rfc4514},
        {QStringLiteral("subjectAttributes"), toJson(certificate.subject)},
        {QStringLiteral("issuer"), certificate.issuer.rfc4514},
        {QStringLiteral("issuerAttributes"), toJson(certificate.issuer)},
        {QStringLiteral("serial"), certificate.serialHex},
        {QStringLiteral("notBefore"), isoUtc(certificate.notBefore)},
        {QStringLiteral("notAfter"), isoUtc(certificate.notAfter)},
        {QStringLiteral("sha1"), certificate.sha1Hex},
        {QStringLiteral("sha256"), certificate.sha256Hex},
        {QStringLiteral("spkiSha256"), certificate.publicKey.spkiSha256Base64},
        {QStringLiteral("publicKey"), toJson(certificate.publicKey)},
        {QStringLiteral("signatureAlgorithm"), certificate.signatureAlgorithm},
        {QStringLiteral("signatureAlgorithmOid"), certificate.signatureAlgorithmOid},
        {QStringLiteral("selfIssued"), certificate.selfIssued},
        {QStringLiteral("selfSigned"), certificate.selfSigned},
        {QStringLiteral("isCA"), certificate.isCa},
        {QStringLiteral("subjectAltNames"), toJson(certificate.subjectAltNames)},
        {QStringLiteral("extensions"), toJson(certificate.extensions)},
    };
    if (!certificate.signatureParameters.isEmpty())
        json.insert(QStringLiteral("signatureParameters"), certificate.signatureParameters);
    if (!certificate.signatureDigest.isEmpty())
        json.insert(QStringLiteral("signatureDigest"), certificate.signatureDigest);
    return json;
}

QJsonObject toJson(const PkiObject &object)
{
    QJsonObject json = std::visit(
        [](const auto &value) -> QJsonObject {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, Certificate>) {
                return toJson(value);
            } else if constexpr (std::is_same_v<T, Crl>) {
                QJsonArray entries;
                if (const auto tree = asn1::Tree::parse(value.der)) {
                    const CrlIndex index(*tree);
                    for (qint32 row = 0; row < index.count(); ++row) {
                        const CrlEntry entry = index.entry(row);
                        QJsonObject item{{QStringLiteral("serial"), entry.serialHex},
                                         {QStringLiteral("revocationDate"), isoUtc(entry.revocationDate)}};
                        if (!entry.reason.isEmpty())
                            item.insert(QStringLiteral("reason"), entry.reason);
                        if (entry.invalidityDate.isValid())
                            item.insert(QStringLiteral("invalidityDate"), isoUtc(entry.invalidityDate));
                        entries.append(item);
                    }
                }
                return {{QStringLiteral("issuer"), value.issuer.rfc4514},
                        {QStringLiteral("entries"), entries},
                        {QStringLiteral("version"), value.version},
                        {QStringLiteral("thisUpdate"), isoUtc(value.thisUpdate)},
                        {QStringLiteral("nextUpdate"), optionalTime(value.nextUpdate)},
                        {QStringLiteral("crlNumber"), value.crlNumber},
                        {QStringLiteral("signatureAlgorithm"), value.signatureAlgorithm},
                        {QStringLiteral("entryCount"), value.entryCount},
                        {QStringLiteral("sha256"), value.sha256Hex},
                        {QStringLiteral("extensions"), toJson(value.extensions)}};
            } else if constexpr (std::is_same_v<T, Csr>) {
                return {{QStringLiteral("subject"), value.subject.rfc4514},
                        {QStringLiteral("publicKey"), toJson(value.publicKey)},
                        {QStringLiteral("signatureAlgorithm"), value.signatureAlgorithm},
                        {QStringLiteral("signatureValid"), value.signatureValid},
                        {QStringLiteral("subjectAltNames"), toJson(value.subjectAltNames)},
                        {QStringLiteral("extensions"), toJson(value.requestedExtensions)}};
            } else if constexpr (std::is_same_v<T, PrivateKey>) {
                return {{QStringLiteral("format"), value.format},
                        {QStringLiteral("encrypted"), value.wasEncrypted},
                        {QStringLiteral("publicKey"), toJson(value.publicKey)}};
            } else if constexpr (std::is_same_v<T, PublicKey>) {
                return {{QStringLiteral("publicKey"), toJson(value.info)}};
            } else {
                QJsonArray responses;
                for (const OcspSingleResponse &single : value.responses) {
                    QJsonObject item{{QStringLiteral("serial"), single.serialHex},
                                     {QStringLiteral("status"), single.status},
                                     {QStringLiteral("thisUpdate"), isoUtc(single.thisUpdate)},
                                     {QStringLiteral("nextUpdate"), optionalTime(single.nextUpdate)},
                                     {QStringLiteral("hashAlgorithm"), single.hashAlgorithm},
                                     {QStringLiteral("issuerNameHash"), single.issuerNameHashHex},
                                     {QStringLiteral("issuerKeyHash"), single.issuerKeyHashHex}};
                    if (single.revocationTime.isValid())
                        item.insert(QStringLiteral("revocationTime"), isoUtc(single.revocationTime));
                    if (!single.revocationReason.isEmpty())
                        item.insert(QStringLiteral("revocationReason"), single.revocationReason);
                    responses.append(item);
                }
                return {{QStringLiteral("responseStatus"), value.responseStatus},
                        {QStringLiteral("responder"), value.responderId},
                        {QStringLiteral("producedAt"), optionalTime(value.producedAt)},
                        {QStringLiteral("responses"), responses}};
            }
        },
        object.value);
    json.insert(QStringLiteral("type"), object.typeName());
    json.insert(QStringLiteral("container"), object.container);
    if (object.offset >= 0)
        json.insert(QStringLiteral("offset"), object.offset);
    return json;
}

namespace {

class TextWriter {
public:
    void heading(const QString &title) { m_text += QLatin1Char('\n') + title + QLatin1Char('\n'); }
    void field(const QString &name, const QString &value)
    {
        if (!value.isEmpty())
            m_text += QStringLiteral("  %1 %2\n").arg(name + QLatin1Char(':'), -22).arg(value);
    }
    void line(const QString &text) { m_text += QStringLiteral("  ") + text + QLatin1Char('\n'); }
    void extensions(const QList<Extension> &extensions)
    {
        if (extensions.isEmpty())
            return;
        heading(QStringLiteral("Extensions"));
        for (const Extension &extension : extensions) {
            line(extension.name +
                 (extension.name != extension.oid ? QStringLiteral(" (") + extension.oid + QLatin1Char(')')
                                                  : QString()) +
                 (extension.critical ? QStringLiteral(" [critical]") : QString()) +
                 (extension.error.isEmpty() ? QString()
                                            : QStringLiteral(" [error: ") + extension.error + QLatin1Char(']')));
            for (const QString &detail : extension.details)
                line(QStringLiteral("    ") + detail);
        }
    }
    void key(const PublicKeyInfo &key)
    {
        heading(QStringLiteral("Public key"));
        field(QStringLiteral("Algorithm"),
              key.algorithm + (key.curve.isEmpty() ? QString() : QStringLiteral(" ") + key.curve));
        field(QStringLiteral("Size"), QStringLiteral("%1 bits").arg(key.bits));
        field(QStringLiteral("pin-sha256"), key.spkiSha256Base64);
    }
    QString take() { return std::move(m_text); }

private:
    QString m_text;
};

} // namespace

QString toText(const PkiObject &object, const QDateTime &now)
{
    TextWriter out;
    out.line(object.typeName() + QStringLiteral(": ") + object.title() + QStringLiteral(" (") + object.container +
             (object.offset >= 0 ? QStringLiteral(", byte %1").arg(object.offset) : QString()) + QLatin1Char(')'));
    if (const auto *certificate = object.as<Certificate>()) {
        out.heading(QStringLiteral("Subject"));
        out.field(QStringLiteral("Name"), certificate->subject.rfc4514);
        for (const GeneralName &name : certificate->subjectAltNames)
            out.field(QStringLiteral("Alt name"), name.type + QStringLiteral(": ") + name.value);
        out.heading(QStringLiteral("Issuer"));
        out.field(QStringLiteral("Name"), certificate->issuer.rfc4514);
        out.field(QStringLiteral("Self-signed"),
                  certificate->selfSigned
                      ? QStringLiteral("yes")
                      : (certificate->selfIssued ? QStringLiteral("self-issued, not self-signed") : QString()));
        out.heading(QStringLiteral("Validity"));
        out.field(QStringLiteral("Not before"), isoUtc(certificate->notBefore));
        out.field(QStringLiteral("Not after"), isoUtc(certificate->notAfter));
        out.field(QStringLiteral("State"), certificate->validityDescription(now));
        out.key(certificate->publicKey);
        out.heading(QStringLiteral("Signature"));
        out.field(QStringLiteral("Algorithm"), certificate->signatureAlgorithm);
        out.field(QStringLiteral("Parameters"), certificate->signatureParameters);
        out.heading(QStringLiteral("Identity"));
        out.field(QStringLiteral("Version"), QString::number(certificate->version));
        out.field(QStringLiteral("Serial"), certificate->serialHex);
        out.field(QStringLiteral("CA"), certificate->isCa ? QStringLiteral("yes") : QStringLiteral("no"));
        out.extensions(certificate->extensions);
        out.heading(QStringLiteral("Fingerprints"));
        out.field(QStringLiteral("SHA-256"), certificate->sha256Hex);
        out.field(QStringLiteral("SHA-1"), certificate->sha1Hex);
    } else if (const auto *crl = object.as<Crl>()) {
        out.field(QStringLiteral("Issuer"), crl->issuer.rfc4514);
        out.field(QStringLiteral("This update"), isoUtc(crl->thisUpdate));
        out.field(QStringLiteral("Next update"), isoUtc(crl->nextUpdate));
        out.field(QStringLiteral("CRL number"), crl->crlNumber);
        out.field(QStringLiteral("Signature"), crl->signatureAlgorithm);
        out.field(QStringLiteral("Entries"), QString::number(crl->entryCount));
        out.extensions(crl->extensions);
        if (const auto tree = asn1::Tree::parse(crl->der)) {
            const CrlIndex index(*tree);
            constexpr qint32 shown = 20; // the rest with --json
            out.heading(QStringLiteral("Revoked certificates"));
            for (qint32 row = 0; row < qMin(index.count(), shown); ++row) {
                const CrlEntry entry = index.entry(row);
                out.line(entry.serialHex + QStringLiteral("  ") + isoUtc(entry.revocationDate) +
                         (entry.reason.isEmpty() ? QString() : QStringLiteral("  ") + entry.reason));
            }
            if (index.count() > shown)
                out.line(QStringLiteral("… and %1 more (all of them with --json)").arg(index.count() - shown));
        }
    } else if (const auto *csr = object.as<Csr>()) {
        out.field(QStringLiteral("Subject"), csr->subject.rfc4514);
        out.field(QStringLiteral("Signature"),
                  csr->signatureAlgorithm +
                      (csr->signatureValid ? QStringLiteral(" (verifies)") : QStringLiteral(" (DOES NOT VERIFY)")));
        out.key(csr->publicKey);
        out.extensions(csr->requestedExtensions);
    } else if (const auto *key = object.as<PrivateKey>()) {
        out.field(QStringLiteral("Format"), key->format);
        out.key(key->publicKey);
    } else if (const auto *publicKey = object.as<PublicKey>()) {
        out.key(publicKey->info);
    } else if (const auto *ocsp = object.as<OcspResponse>()) {
        out.field(QStringLiteral("Status"), ocsp->responseStatus);
        out.field(QStringLiteral("Responder"), ocsp->responderId);
        out.field(QStringLiteral("Produced at"), isoUtc(ocsp->producedAt));
        for (const OcspSingleResponse &single : ocsp->responses)
            out.line(QStringLiteral("serial %1: %2, this update %3, next update %4")
                         .arg(single.serialHex, single.status, isoUtc(single.thisUpdate), isoUtc(single.nextUpdate)));
    }
    return out.take();
}

} // namespace trustscope::core
