#include "x509/PkiObject.h"

#include <algorithm>

#include <QTimeZone>

namespace trustscope::core {

QString DistinguishedName::commonName() const
{
    // The last CN is the most specific one when a name has several.
    for (auto it = attributes.crbegin(); it != attributes.crend(); ++it)
        if (it->shortName == QLatin1String("CN"))
            return it->value;
    return {};
}

QString objectTypeName(ObjectType type)
{
    return enumName(objectTypeTable, type);
}

ValidityState Certificate::validityAt(const QDateTime &when) const
{
    if (when < notBefore)
        return ValidityState::NotYetValid;
    // notAfter is inclusive and has whole seconds: valid through the last millisecond of it.
    if (when > notAfter.addMSecs(999))
        return ValidityState::Expired;
    return ValidityState::Valid;
}

namespace {
QString days(qint64 count)
{
    return count == 1 ? QStringLiteral("1 day") : QStringLiteral("%1 days").arg(count);
}
} // namespace

QString Certificate::validityDescription(const QDateTime &when) const
{
    switch (validityAt(when)) {
    case ValidityState::NotYetValid:
        return QStringLiteral("not yet valid (starts in %1)").arg(days(when.daysTo(notBefore)));
    case ValidityState::Expired: {
        const qint64 ago = notAfter.daysTo(when);
        return ago == 0 ? QStringLiteral("expired today") : QStringLiteral("expired %1 ago").arg(days(ago));
    }
    case ValidityState::Valid:
        break;
    }
    const qint64 left = when.daysTo(notAfter);
    return left == 0 ? QStringLiteral("valid, expires today") : QStringLiteral("valid, expires in %1").arg(days(left));
}

QString Certificate::displayName() const
{
    const QString commonName = subject.commonName();
    if (!commonName.isEmpty())
        return commonName;
    if (!subjectAltNames.isEmpty())
        return subjectAltNames.first().value;
    return subject.rfc4514.isEmpty() ? QStringLiteral("(empty subject)") : subject.rfc4514;
}

bool Crl::isDelta() const
{
    return std::any_of(extensions.cbegin(), extensions.cend(),
                       [](const Extension &extension) { return extension.oid == QLatin1String("2.5.29.27"); });
}

const Extension *Certificate::extension(const QString &oid) const
{
    for (const Extension &candidate : extensions)
        if (candidate.oid == oid)
            return &candidate;
    return nullptr;
}

QString PkiObject::title() const
{
    return std::visit(
        [](const auto &object) -> QString {
            using T = std::decay_t<decltype(object)>;
            if constexpr (std::is_same_v<T, Certificate>)
                return object.displayName();
            else if constexpr (std::is_same_v<T, Crl>)
                return QStringLiteral("CRL from ") +
                       (object.issuer.commonName().isEmpty() ? object.issuer.rfc4514 : object.issuer.commonName());
            else if constexpr (std::is_same_v<T, Csr>)
                return QStringLiteral("Request for ") +
                       (object.subject.commonName().isEmpty() ? object.subject.rfc4514 : object.subject.commonName());
            else if constexpr (std::is_same_v<T, PrivateKey>)
                return QStringLiteral("%1 %2 private key").arg(object.publicKey.algorithm).arg(object.publicKey.bits);
            else if constexpr (std::is_same_v<T, PublicKey>)
                return QStringLiteral("%1 %2 public key").arg(object.info.algorithm).arg(object.info.bits);
            else
                return QStringLiteral("OCSP response (%1)").arg(object.responseStatus);
        },
        value);
}

QByteArray PkiObject::der() const
{
    return std::visit(
        [](const auto &object) -> QByteArray {
            using T = std::decay_t<decltype(object)>;
            if constexpr (std::is_same_v<T, PrivateKey>)
                return {};
            else if constexpr (std::is_same_v<T, PublicKey>)
                return object.info.spkiDer;
            else
                return object.der;
        },
        value);
}

} // namespace trustscope::core
