#include "apple/Ats.h"

#include "trust/TrustReport.h"
#include "x509/Report.h"

#include <QJsonArray>
#include <QTimeZone>

namespace trustscope::core::apple {

namespace {

// The TLS 1.2 suites ATS accepts (Security's tls_ciphersuite_group_ats), in OpenSSL's names.
constexpr const char *kForwardSecretSuites =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA:"
    "ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA";
// What NSExceptionRequiresForwardSecrecy = NO adds (tls_ciphersuite_group_ats_compatibility).
constexpr const char *kCompatibilitySuites = "AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-SHA256:AES128-SHA256:"
                                             "AES256-SHA:AES128-SHA";

const QStringList &allVersions()
{
    static const QStringList versions{QStringLiteral("TLSv1"), QStringLiteral("TLSv1.1"), QStringLiteral("TLSv1.2"),
                                      QStringLiteral("TLSv1.3")};
    return versions;
}

QString plistVersion(const QString &openSslName)
{
    return openSslName == QLatin1String("TLSv1") ? QStringLiteral("TLSv1.0") : openSslName;
}

bool inSan(const Certificate &leaf, const QString &host)
{
    for (const GeneralName &name : leaf.subjectAltNames) {
        if (name.type == QLatin1String("DNS")) {
            const QString pattern = name.value.toLower();
            const QString wanted = host.toLower();
            if (pattern == wanted)
                return true;
            if (pattern.startsWith(QLatin1String("*.")) && wanted.count(QLatin1Char('.')) >= 2 &&
                wanted.section(QLatin1Char('.'), 1) == pattern.mid(2))
                return true;
        } else if (name.type == QLatin1String("IP") && name.value == host) {
            return true;
        }
    }
    return false;
}

} // namespace

AtsReport diagnoseAts(const tls::FetchOptions &base, inspect::TrustSettings settings, const std::atomic_bool *cancel)
{
    AtsReport report;
    report.host = base.host;
    report.port = base.port;
    const auto probe = [&](const QString &version, const QString &ciphers) {
        tls::FetchOptions options = base;
        options.tlsMin = version;
        options.tlsMax = version;
        options.cipherList = ciphers;
        return tls::fetchChain(options, cancel);
    };

    tls::FetchResult best;
    for (const QString &version : allVersions()) {
        const tls::FetchResult result = probe(version, {});
        if (result.ok()) {
            report.versionsSupported.append(version);
            best = result; // the newest version that works gives the chain to check
        } else if (result.errorStage != QLatin1String("handshake")) {
            report.error = QStringLiteral("%1: %2").arg(result.errorStage, result.errorMessage);
            return report; // not reachable at all: no point in further probes
        }
    }
    if (report.versionsSupported.isEmpty()) {
        report.error = QStringLiteral("no TLS version from 1.0 to 1.3 completes a handshake");
        return report;
    }
    const bool tls12 = report.versionsSupported.contains(QStringLiteral("TLSv1.2"));
    const bool tls13 = report.versionsSupported.contains(QStringLiteral("TLSv1.3"));
    // Forward secrecy below TLS 1.3: offer only ATS's suites on the newest version up to 1.2.
    QString legacyVersion;
    for (const QString &version : {QStringLiteral("TLSv1.2"), QStringLiteral("TLSv1.1"), QStringLiteral("TLSv1")})
        if (legacyVersion.isEmpty() && report.versionsSupported.contains(version))
            legacyVersion = version;
    if (!legacyVersion.isEmpty()) {
        const tls::FetchResult pfs = probe(legacyVersion, QString::fromLatin1(kForwardSecretSuites));
        report.tls12ForwardSecretCipher = pfs.ok() ? pfs.cipher : QString();
        const tls::FetchResult compatible = probe(legacyVersion, QString::fromLatin1(kCompatibilitySuites));
        report.tls12NonForwardSecretCipher = compatible.ok() ? compatible.cipher : QString();
    }
    report.chain = best.presentedChain;
    if (report.chain.isEmpty()) {
        report.error = QStringLiteral("the server sent no certificate");
        return report;
    }
    settings.policy.hostName = base.host;
    settings.policy.kind = trust::PolicyKind::SslServer;
    settings.exceptions = inspect::ExceptionSource::None;
    inspect::Inspection inspection;
    inspection.kind = inspect::Inspection::Kind::Endpoint;
    inspection.connection = best;
    inspection.chain = report.chain;
    inspect::evaluate(inspection, settings, cancel);
    report.evaluation = *inspection.evaluation;
    report.trustProblems = inspection.problems;

    // The requirements, one by one.
    const Certificate &leaf = report.chain.first();
    const bool forwardSecrecy = tls13 || !report.tls12ForwardSecretCipher.isEmpty();
    report.checks.append(
        {QStringLiteral("TLS 1.2 or later"), tls12 || tls13,
         QStringLiteral("the server speaks %1").arg(report.versionsSupported.join(QStringLiteral(", ")))});
    report.checks.append({QStringLiteral("Forward secrecy"), forwardSecrecy,
                          tls13 ? QStringLiteral("TLS 1.3 suites are all forward secret")
                          : !report.tls12ForwardSecretCipher.isEmpty()
                              ? QStringLiteral("accepts %1").arg(report.tls12ForwardSecretCipher)
                              : QStringLiteral("none of the ECDHE suites ATS offers is accepted%1")
                                    .arg(report.tls12NonForwardSecretCipher.isEmpty()
                                             ? QString()
                                             : QStringLiteral(" (only %1, without forward secrecy)")
                                                   .arg(report.tls12NonForwardSecretCipher))});
    bool keysStrong = true;
    QStringList weakKeys;
    bool hashesStrong = true;
    QStringList weakHashes;
    for (qsizetype index = 0; index < report.evaluation.path.size(); ++index) {
        const Certificate &certificate = report.evaluation.path.at(index).certificate;
        const PublicKeyInfo &key = certificate.publicKey;
        if ((key.algorithm == QLatin1String("RSA") && key.bits < 2048) ||
            (key.algorithm == QLatin1String("EC") && key.bits < 256)) {
            keysStrong = false;
            weakKeys.append(QStringLiteral("'%1' has a %2-bit %3 key")
                                .arg(certificate.displayName())
                                .arg(key.bits)
                                .arg(key.algorithm));
        }
        const QString digest = certificate.signatureDigest.toLower();
        const bool isRoot = index + 1 == report.evaluation.path.size() && certificate.selfSigned;
        if (!isRoot && (digest == QLatin1String("sha1") || digest == QLatin1String("md5"))) {
            hashesStrong = false;
            weakHashes.append(
                QStringLiteral("'%1' is signed with %2").arg(certificate.displayName(), digest.toUpper()));
        }
    }
    report.checks.append(
        {QStringLiteral("Key size (RSA 2048, EC 256)"), keysStrong,
         keysStrong ? QStringLiteral("leaf: %1 %2 bits").arg(leaf.publicKey.algorithm).arg(leaf.publicKey.bits)
                    : weakKeys.join(QStringLiteral("; "))});
    report.checks.append({QStringLiteral("Signature hash SHA-256 or better"), hashesStrong,
                          hashesStrong ? QStringLiteral("leaf: %1").arg(leaf.signatureAlgorithm)
                                       : weakHashes.join(QStringLiteral("; "))});
    const Extension *eku = leaf.extension(QStringLiteral("2.5.29.37"));
    bool serverAuth = !eku;
    if (eku)
        for (const QString &detail : eku->details)
            serverAuth = serverAuth || detail.startsWith(QLatin1String("serverAuth")) ||
                         detail.startsWith(QLatin1String("anyExtendedKeyUsage"));
    report.checks.append(
        {QStringLiteral("Extended key usage serverAuth"), serverAuth,
         eku ? eku->details.join(QStringLiteral(", ")) : QStringLiteral("no EKU extension (any use)")});
    const bool named = inSan(leaf, base.host);
    report.checks.append({QStringLiteral("Host name in the SAN"), named,
                          named ? QStringLiteral("'%1' is listed").arg(base.host)
                                : QStringLiteral("'%1' is not in the subject alternative names").arg(base.host)});
    // HT211025 / HT210176: 398 days for certificates issued from 2020-09-01, 825 from 2019-07-01.
    const qint64 days = leaf.notBefore.daysTo(leaf.notAfter);
    const QDateTime september2020(QDate(2020, 9, 1), QTime(0, 0), QTimeZone::UTC);
    const QDateTime july2019(QDate(2019, 7, 1), QTime(0, 0), QTimeZone::UTC);
    const qint64 limit = leaf.notBefore >= september2020 ? 398 : leaf.notBefore >= july2019 ? 825 : -1;
    const bool periodOk = limit < 0 || days <= limit;
    report.checks.append({QStringLiteral("Validity period"), periodOk,
                          limit < 0 ? QStringLiteral("%1 days (issued before the limits)").arg(days)
                                    : QStringLiteral("%1 days (at most %2 for a certificate issued %3)")
                                          .arg(days)
                                          .arg(limit)
                                          .arg(leaf.notBefore.date().toString(Qt::ISODate))});
    report.checks.append({QStringLiteral("Trusted chain"), report.evaluation.trusted,
                          report.evaluation.trusted ? QStringLiteral("a path to a trusted root was built")
                                                    : report.evaluation.mainReason()});

    // The configurations nscurl tries, and which would load the server.
    const bool certificateOk =
        keysStrong && hashesStrong && serverAuth && named && periodOk && report.evaluation.trusted;
    const QString certificateProblem = [&] {
        QStringList problems;
        for (const AtsCheck &check : std::as_const(report.checks))
            if (!check.passed && check.name != QLatin1String("TLS 1.2 or later") &&
                check.name != QLatin1String("Forward secrecy"))
                problems.append(check.name);
        return QStringLiteral("the certificate fails: %1 (see above)").arg(problems.join(QStringLiteral(", ")));
    }();
    const auto add = [&](const QString &name, bool passed, const QString &reason) {
        report.configurations.append({name, passed, reason});
    };
    const bool defaultTls = (tls12 && forwardSecrecy) || tls13;
    add(QStringLiteral("ATS default"), defaultTls && certificateOk,
        !certificateOk ? certificateProblem
        : !defaultTls  ? (tls12 || tls13 ? QStringLiteral("no forward-secret cipher suite")
                                         : QStringLiteral("TLS 1.2 is not supported"))
                       : QStringLiteral("meets every requirement"));
    const QString lowest = report.versionsSupported.first();
    for (const QString &version : allVersions()) {
        const qsizetype from = allVersions().indexOf(version);
        bool any = false;
        for (const QString &supported : std::as_const(report.versionsSupported))
            any = any || allVersions().indexOf(supported) >= from;
        add(QStringLiteral("NSExceptionMinimumTLSVersion %1").arg(plistVersion(version)),
            any && forwardSecrecy && certificateOk,
            !certificateOk    ? certificateProblem
            : !any            ? QStringLiteral("the server speaks nothing from %1 up").arg(plistVersion(version))
            : !forwardSecrecy ? QStringLiteral("no forward-secret cipher suite")
                              : QStringLiteral("loads"));
    }
    const bool compatibleSuite = forwardSecrecy || !report.tls12NonForwardSecretCipher.isEmpty();
    add(QStringLiteral("NSExceptionRequiresForwardSecrecy NO"), (tls12 || tls13) && compatibleSuite && certificateOk,
        !certificateOk      ? certificateProblem
        : !(tls12 || tls13) ? QStringLiteral("TLS 1.2 is not supported")
        : !compatibleSuite  ? QStringLiteral("no cipher suite ATS knows")
                            : QStringLiteral("loads"));
    add(QStringLiteral("NSAllowsArbitraryLoads"), report.evaluation.trusted,
        report.evaluation.trusted ? QStringLiteral("loads (ATS off; the chain is still evaluated)")
                                  : QStringLiteral("still fails: turning ATS off does not make an untrusted chain "
                                                   "trusted (%1)")
                                        .arg(report.evaluation.mainReason()));

    // The smallest exception that would make it load.
    if (!report.defaultPasses() && certificateOk) {
        QString entries;
        if (!(tls12 || tls13))
            entries += QStringLiteral("\t\t\t<key>NSExceptionMinimumTLSVersion</key>\n\t\t\t<string>%1</string>\n")
                           .arg(plistVersion(lowest));
        if (!forwardSecrecy)
            entries += QStringLiteral("\t\t\t<key>NSExceptionRequiresForwardSecrecy</key>\n\t\t\t<false/>\n");
        report.exceptionPlist =
            QStringLiteral("<!-- Better: fix the server (TLS 1.2+, ECDHE suites). Until then: -->\n"
                           "<key>NSAppTransportSecurity</key>\n<dict>\n\t<key>NSExceptionDomains</key>\n\t<dict>\n"
                           "\t\t<key>%1</key>\n\t\t<dict>\n%2\t\t</dict>\n\t</dict>\n</dict>\n")
                .arg(base.host.toHtmlEscaped(), entries);
    }
    return report;
}

QJsonObject toJson(const AtsReport &report)
{
    QJsonArray checks, configurations;
    for (const AtsCheck &check : report.checks)
        checks.append(QJsonObject{{QStringLiteral("name"), check.name},
                                  {QStringLiteral("passed"), check.passed},
                                  {QStringLiteral("detail"), check.detail}});
    for (const AtsConfiguration &configuration : report.configurations)
        configurations.append(QJsonObject{
            {QStringLiteral("name"), configuration.name},
            {QStringLiteral("result"), configuration.passed ? QStringLiteral("PASS") : QStringLiteral("FAIL")},
            {QStringLiteral("reason"), configuration.reason}});
    const auto text = [](const QString &value) { return value.isEmpty() ? QJsonValue() : QJsonValue(value); };
    return {{QStringLiteral("host"), report.host},
            {QStringLiteral("port"), report.port},
            {QStringLiteral("error"), text(report.error)},
            {QStringLiteral("trustProblems"), QJsonArray::fromStringList(report.trustProblems)},
            {QStringLiteral("versions"), QJsonArray::fromStringList(report.versionsSupported)},
            {QStringLiteral("tls12ForwardSecretCipher"), text(report.tls12ForwardSecretCipher)},
            {QStringLiteral("tls12NonForwardSecretCipher"), text(report.tls12NonForwardSecretCipher)},
            {QStringLiteral("checks"), checks},
            {QStringLiteral("configurations"), configurations},
            {QStringLiteral("atsDefault"), report.defaultPasses() ? QStringLiteral("PASS") : QStringLiteral("FAIL")},
            {QStringLiteral("exceptionPlist"), text(report.exceptionPlist)},
            {QStringLiteral("trust"),
             report.chain.isEmpty() ? QJsonValue() : QJsonValue(trust::toJson(report.evaluation))}};
}

QString toText(const AtsReport &report)
{
    QString text = QStringLiteral("App Transport Security diagnostics for %1:%2\n").arg(report.host).arg(report.port);
    if (!report.error.isEmpty())
        return text + QStringLiteral("  cannot diagnose: %1\n").arg(report.error);
    for (const QString &problem : report.trustProblems)
        text += QStringLiteral("  note: %1\n").arg(problem);
    text += QStringLiteral("\nRequirements:\n");
    for (const AtsCheck &check : report.checks)
        text += QStringLiteral("  [%1] %2: %3\n")
                    .arg(check.passed ? QStringLiteral("PASS") : QStringLiteral("FAIL"), check.name, check.detail);
    text += QStringLiteral("\nConfigurations:\n");
    for (const AtsConfiguration &configuration : report.configurations)
        text += QStringLiteral("  %1  %2 — %3\n")
                    .arg(configuration.passed ? QStringLiteral("PASS") : QStringLiteral("FAIL"), configuration.name,
                         configuration.reason);
    if (!report.exceptionPlist.isEmpty())
        text += QStringLiteral("\nInfo.plist exception that would load it:\n") + report.exceptionPlist;
    return text;
}

} // namespace trustscope::core::apple
