#include "trust/Limbo.h"

#include "trust/TrustEvaluation.h"
#include "x509/Document.h"

#include <QJsonArray>

namespace trustscope::core::trust {

namespace {

QList<Certificate> certificatesOf(const QJsonValue &value)
{
    QList<Certificate> certificates;
    const QJsonArray array = value.isArray() ? value.toArray() : QJsonArray{value};
    for (const QJsonValue &pem : array) {
        if (!pem.isString())
            continue;
        if (const auto document = loadDocument(pem.toString().toUtf8(), QStringLiteral("limbo")))
            for (const PkiObject &object : document->objects)
                if (const auto *certificate = object.as<Certificate>())
                    certificates.append(*certificate);
    }
    return certificates;
}

} // namespace

LimboOutcome runLimboCase(const QJsonObject &testcase)
{
    LimboOutcome outcome;
    outcome.id = testcase[QStringLiteral("id")].toString();
    outcome.expected = testcase[QStringLiteral("expected_result")].toString();
    // Features we do not implement, and the RFC 5280 side of web-PKI conflicts (we follow
    // the CA/Browser Forum profile for TLS servers).
    static const QStringList unsupported = {QStringLiteral("rfc5280-incompatible-with-webpki")};
    // The RFC 5280 side of a pair that conflicts with the web PKI profile is not ours.
    if (outcome.id.startsWith(QLatin1String("rfc5280::")) &&
        !testcase[QStringLiteral("conflicts_with")].toArray().isEmpty()) {
        outcome.actual = QStringLiteral("SKIPPED");
        outcome.context = QStringLiteral("conflicts with the web PKI profile we follow");
        return outcome;
    }
    for (const QJsonValue &feature : testcase[QStringLiteral("features")].toArray()) {
        if (unsupported.contains(feature.toString()) || feature.toString().startsWith(QLatin1String("pedantic-"))) {
            outcome.actual = QStringLiteral("SKIPPED");
            outcome.context = QStringLiteral("unsupported feature ") + feature.toString();
            return outcome;
        }
    }
    const QList<Certificate> leaves = certificatesOf(testcase[QStringLiteral("peer_certificate")]);
    if (leaves.isEmpty()) {
        outcome.actual = QStringLiteral("FAILURE");
        outcome.context = QStringLiteral("the peer certificate does not parse");
        return outcome;
    }
    Policy policy;
    policy.useSystemAnchors = false;
    policy.anchorsOnly = true;
    policy.fetchMissingIntermediates = false;
    policy.anchors = certificatesOf(testcase[QStringLiteral("trusted_certs")]);
    policy.intermediates = certificatesOf(testcase[QStringLiteral("untrusted_intermediates")]);
    const bool server = testcase[QStringLiteral("validation_kind")].toString() == QLatin1String("SERVER");
    policy.kind = server ? PolicyKind::SslServer : PolicyKind::Basic;
    if (server) {
        const QJsonObject name = testcase[QStringLiteral("expected_peer_name")].toObject();
        policy.hostName = name[QStringLiteral("value")].toString();
    } else {
        for (const QJsonValue &email : testcase[QStringLiteral("expected_peer_names")].toArray())
            policy.emailAddresses.append(email.toObject()[QStringLiteral("value")].toString(email.toString()));
    }
    const QString time = testcase[QStringLiteral("validation_time")].toString();
    if (!time.isEmpty()) {
        QDateTime at = QDateTime::fromString(time, Qt::ISODateWithMs);
        if (!at.isValid())
            at = QDateTime::fromString(time, Qt::ISODate);
        policy.verificationTime = at.toUTC();
    }
    if (!testcase[QStringLiteral("max_chain_depth")].isNull())
        policy.maxIntermediates = testcase[QStringLiteral("max_chain_depth")].toInt(8);
    for (const QJsonValue &usage : testcase[QStringLiteral("key_usage")].toArray())
        policy.requiredKeyUsages.append(usage.toString());
    for (const QJsonValue &usage : testcase[QStringLiteral("extended_key_usage")].toArray())
        policy.requiredExtendedKeyUsages.append(usage.toString());

    // CRLs given with the case are the only revocation source, and their answer is required.
    for (const QJsonValue &pem : testcase[QStringLiteral("crls")].toArray())
        if (const auto document = loadDocument(pem.toString().toUtf8(), QStringLiteral("limbo")))
            for (const PkiObject &object : document->objects)
                if (const auto *crl = object.as<Crl>())
                    policy.crls.append({crl->der, QStringLiteral("limbo")});
    if (!testcase[QStringLiteral("crls")].toArray().isEmpty()) {
        policy.revocation = RevocationMode::Crl;
        policy.requireRevocation = true;
        policy.revocationDownloads = false; // the case holds every CRL there is
    }

    const Evaluation evaluation = evaluate(leaves.first(), {}, policy);
    outcome.actual = evaluation.trusted ? QStringLiteral("SUCCESS") : QStringLiteral("FAILURE");
    QStringList reasons;
    for (const CheckFailure &failure : evaluation.failures)
        reasons.append(QStringLiteral("%1@%2: %3")
                           .arg(failure.key)
                           .arg(failure.certIndex)
                           .arg(failure.opensslError.isEmpty() ? failure.explanation : failure.opensslError));
    outcome.context = reasons.join(QStringLiteral("; "));
    return outcome;
}

} // namespace trustscope::core::trust
