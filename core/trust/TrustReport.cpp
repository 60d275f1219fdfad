#include "trust/TrustReport.h"

#include "trust/CheckKeys.h"
#include "x509/Report.h"

#include <QJsonArray>

namespace trustscope::core::trust {

QJsonObject toJson(const Evaluation &evaluation)
{
    QJsonArray path;
    for (qsizetype index = 0; index < evaluation.path.size(); ++index) {
        const PathElement &element = evaluation.path.at(index);
        path.append(QJsonObject{{QStringLiteral("index"), index},
                                {QStringLiteral("subject"), element.certificate.subject.rfc4514},
                                {QStringLiteral("issuer"), element.certificate.issuer.rfc4514},
                                {QStringLiteral("sha256"), element.certificate.sha256Hex},
                                {QStringLiteral("sha1"), element.certificate.sha1Hex},
                                {QStringLiteral("notAfter"), isoUtc(element.certificate.notAfter)},
                                {QStringLiteral("role"), element.role},
                                {QStringLiteral("source"), element.source}});
    }
    const auto failureJson = [](const CheckFailure &failure) {
        QJsonObject item{{QStringLiteral("certIndex"), failure.certIndex},
                         {QStringLiteral("key"), failure.key},
                         {QStringLiteral("recoverable"), failure.recoverable},
                         {QStringLiteral("explanation"), failure.explanation},
                         {QStringLiteral("remedy"), failure.remedy},
                         {QStringLiteral("opensslError"),
                          failure.opensslError.isEmpty() ? QJsonValue() : QJsonValue(failure.opensslError)}};
        if (const CheckKeyInfo *info = checkKey(failure.key))
            item.insert(QStringLiteral("osStatus"),
                        QJsonObject{{QStringLiteral("name"), QString::fromLatin1(info->osStatusName)},
                                    {QStringLiteral("value"), info->osStatus}});
        return item;
    };
    QJsonArray failures, excepted;
    for (const CheckFailure &failure : evaluation.failures)
        failures.append(failureJson(failure));
    for (const CheckFailure &failure : evaluation.excepted)
        excepted.append(failureJson(failure));
    return {{QStringLiteral("result"), evaluation.result},
            {QStringLiteral("trusted"), evaluation.trusted},
            {QStringLiteral("reason"), evaluation.mainReason()},
            {QStringLiteral("path"), path},
            {QStringLiteral("failures"), failures},
            {QStringLiteral("excepted"), excepted},
            {QStringLiteral("network"), QJsonArray::fromStringList(evaluation.network)},
            {QStringLiteral("rejectedPaths"), QJsonArray::fromStringList(evaluation.rejectedPaths)},
            {QStringLiteral("validUntil"), isoUtc(evaluation.validUntil)},
            {QStringLiteral("evaluatedAt"), isoUtc(evaluation.evaluatedAt)}};
}

QString toText(const Evaluation &evaluation)
{
    QString text = evaluation.trusted ? QStringLiteral("TRUSTED") : QStringLiteral("NOT TRUSTED");
    text += QStringLiteral(" (%1): %2\n").arg(evaluation.result, evaluation.mainReason());
    text += QStringLiteral("\nPath built:\n");
    for (qsizetype index = 0; index < evaluation.path.size(); ++index) {
        const PathElement &element = evaluation.path.at(index);
        text += QStringLiteral("  %1 %2  [%3, %4]\n")
                    .arg(index)
                    .arg(element.certificate.subject.rfc4514, element.role, element.source);
    }
    if (evaluation.validUntil.isValid())
        text +=
            QStringLiteral("  valid until %1 (the earliest expiry on the path)\n").arg(isoUtc(evaluation.validUntil));
    if (!evaluation.failures.isEmpty()) {
        text += QStringLiteral("\nFailed checks:\n");
        for (const CheckFailure &failure : evaluation.failures)
            text += QStringLiteral("  [%1] certificate %2, %3\n      %4\n      Fix: %5\n")
                        .arg(failure.key)
                        .arg(failure.certIndex)
                        .arg(failure.recoverable ? QStringLiteral("recoverable") : QStringLiteral("fatal"),
                             failure.explanation, failure.remedy);
    }
    for (const CheckFailure &failure : evaluation.excepted)
        text += QStringLiteral("  excepted by a trust exception: [%1] certificate %2\n")
                    .arg(failure.key)
                    .arg(failure.certIndex);
    for (const QString &fetch : evaluation.network)
        text += QStringLiteral("  network: %1\n").arg(fetch);
    for (const QString &rejected : evaluation.rejectedPaths)
        text += QStringLiteral("  other path: %1\n").arg(rejected);
    return text;
}

} // namespace trustscope::core::trust
