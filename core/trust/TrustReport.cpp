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
    // The chain as sent, each with its place in the built path (null: not used).
    QJsonArray presented;
    for (qsizetype index = 0; index < evaluation.presented.size(); ++index) {
        const Certificate &certificate = evaluation.presented.at(index);
        QJsonValue pathIndex;
        for (qsizetype inPath = 0; inPath < evaluation.path.size(); ++inPath)
            if (evaluation.path.at(inPath).certificate.der == certificate.der)
                pathIndex = inPath;
        presented.append(QJsonObject{{QStringLiteral("index"), index},
                                     {QStringLiteral("subject"), certificate.subject.rfc4514},
                                     {QStringLiteral("sha256"), certificate.sha256Hex},
                                     {QStringLiteral("pathIndex"), pathIndex}});
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
    QJsonArray failures, excepted, advisories;
    for (const CheckFailure &advisory : evaluation.advisories)
        advisories.append(failureJson(advisory));
    for (const CheckFailure &failure : evaluation.failures)
        failures.append(failureJson(failure));
    for (const CheckFailure &failure : evaluation.excepted)
        excepted.append(failureJson(failure));
    QJsonArray revocation;
    for (const RevocationCheck &check : evaluation.revocation) {
        QJsonObject item{{QStringLiteral("certIndex"), check.certIndex},
                         {QStringLiteral("source"), check.source},
                         {QStringLiteral("status"), check.status},
                         {QStringLiteral("url"), check.url.isEmpty() ? QJsonValue() : QJsonValue(check.url)},
                         {QStringLiteral("detail"), check.detail},
                         {QStringLiteral("cached"), check.cached}};
        if (check.revokedAt.isValid())
            item.insert(QStringLiteral("revokedAt"), isoUtc(check.revokedAt));
        if (!check.reason.isEmpty())
            item.insert(QStringLiteral("reason"), check.reason);
        if (check.thisUpdate.isValid())
            item.insert(QStringLiteral("thisUpdate"), isoUtc(check.thisUpdate));
        if (check.nextUpdate.isValid())
            item.insert(QStringLiteral("nextUpdate"), isoUtc(check.nextUpdate));
        revocation.append(item);
    }
    QJsonObject json{{QStringLiteral("result"), evaluation.result},
                     {QStringLiteral("trusted"), evaluation.trusted},
                     {QStringLiteral("reason"), evaluation.mainReason()},
                     {QStringLiteral("path"), path},
                     {QStringLiteral("presented"), presented},
                     {QStringLiteral("failures"), failures},
                     {QStringLiteral("excepted"), excepted},
                     {QStringLiteral("advisories"), advisories},
                     {QStringLiteral("network"), QJsonArray::fromStringList(evaluation.network)},
                     {QStringLiteral("revocation"), revocation},
                     {QStringLiteral("rejectedPaths"), QJsonArray::fromStringList(evaluation.rejectedPaths)},
                     {QStringLiteral("validUntil"), isoUtc(evaluation.validUntil)},
                     {QStringLiteral("evaluatedAt"), isoUtc(evaluation.evaluatedAt)},
                     {QStringLiteral("rootStore"), evaluation.platformStore.isEmpty()
                                                       ? QJsonValue(QJsonValue::Null)
                                                       : QJsonValue(evaluation.platformStore)}};
    if (evaluation.ct)
        json.insert(QStringLiteral("ct"), ct::toJson(*evaluation.ct));
    if (!evaluation.notes.isEmpty())
        json.insert(QStringLiteral("notes"), QJsonArray::fromStringList(evaluation.notes));
    // RFC 5280 6.1.6's outputs; null when OpenSSL could not verify the path at all.
    if (const auto &policies = evaluation.policies)
        json.insert(
            QStringLiteral("policies"),
            QJsonObject{{QStringLiteral("initialPolicySet"), QJsonArray::fromStringList(policies->initialPolicySet)},
                        {QStringLiteral("authoritiesConstrainedPolicySet"),
                         QJsonArray::fromStringList(policies->authoritiesConstrainedPolicySet)},
                        {QStringLiteral("userConstrainedPolicySet"),
                         QJsonArray::fromStringList(policies->userConstrainedPolicySet)},
                        {QStringLiteral("explicitPolicyRequired"), policies->explicitPolicyRequired},
                        {QStringLiteral("validPolicyTreeEmpty"), policies->treeEmpty}});
    else
        json.insert(QStringLiteral("policies"), QJsonValue::Null);
    return json;
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
    for (const CheckFailure &advisory : evaluation.advisories)
        text += QStringLiteral("\nAdvisory [%1]: %2\n      Fix: %3\n")
                    .arg(advisory.key, advisory.explanation, advisory.remedy);
    for (const CheckFailure &failure : evaluation.excepted)
        text += QStringLiteral("  excepted by a trust exception: [%1] certificate %2\n")
                    .arg(failure.key)
                    .arg(failure.certIndex);
    if (!evaluation.revocation.isEmpty())
        text += QStringLiteral("\nRevocation:\n");
    for (const RevocationCheck &check : evaluation.revocation) {
        QString line = QStringLiteral("  certificate %1, %2: %3").arg(check.certIndex).arg(check.source, check.status);
        if (check.status == QLatin1String("revoked"))
            line += QStringLiteral(" on %1%2")
                        .arg(isoUtc(check.revokedAt),
                             check.reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(check.reason));
        if (!check.detail.isEmpty())
            line += QStringLiteral(" — %1").arg(check.detail);
        if (!check.url.isEmpty())
            line += QStringLiteral(" [%1]").arg(check.url);
        text += line + QLatin1Char('\n');
    }
    if (const auto &policies = evaluation.policies;
        policies && (!policies->authoritiesConstrainedPolicySet.isEmpty() || policies->explicitPolicyRequired ||
                     !policies->initialPolicySet.contains(QStringLiteral("2.5.29.32.0")))) {
        const auto list = [](const QStringList &oids) {
            return oids.isEmpty() ? QStringLiteral("none") : oids.join(QStringLiteral(", "));
        };
        text += QStringLiteral("\nCertificate policies (RFC 5280):\n  accepted: %1\n  valid for the path: %2\n  valid "
                               "and accepted: %3\n  explicit policy required: %4\n")
                    .arg(list(policies->initialPolicySet), list(policies->authoritiesConstrainedPolicySet),
                         list(policies->userConstrainedPolicySet),
                         policies->explicitPolicyRequired ? QStringLiteral("yes") : QStringLiteral("no"));
        if (policies->userConstrainedPolicySet.isEmpty() && !policies->explicitPolicyRequired)
            text += QStringLiteral("  (no accepted policy is valid, which fails only when an explicit policy is "
                                   "required: --require-explicit-policy)\n");
    }
    for (const QString &fetch : evaluation.network)
        text += QStringLiteral("  network: %1\n").arg(fetch);
    for (const QString &rejected : evaluation.rejectedPaths)
        text += QStringLiteral("  other path: %1\n").arg(rejected);
    return text;
}

} // namespace trustscope::core::trust
