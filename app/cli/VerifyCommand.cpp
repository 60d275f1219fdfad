#include "Command.h"

#include "tls/TlsFetch.h"
#include "trust/Limbo.h"
#include "trust/TrustReport.h"
#include "x509/Document.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> verifyOptions()
{
    QList<QCommandLineOption> options{
        {QStringLiteral("fetch"), QStringLiteral("Fetch the chain from HOST[:PORT] or a URL instead of reading files."), QStringLiteral("target")},
        {QStringLiteral("host"), QStringLiteral("Check the leaf against this host name or IP address (default with --fetch: the host)."), QStringLiteral("name")},
        {QStringLiteral("policy"), QStringLiteral("ssl-server (default), ssl-client or basic."), QStringLiteral("policy")},
        {QStringLiteral("anchor"), QStringLiteral("Trust the certificates in <file> (repeatable)."), QStringLiteral("file")},
        {QStringLiteral("anchors-only"), QStringLiteral("Trust only the --anchor certificates, not the system's.")},
        {QStringLiteral("intermediate"), QStringLiteral("Extra intermediates from <file> (repeatable)."), QStringLiteral("file")},
        {QStringLiteral("no-aia"), QStringLiteral("Do not download missing intermediates from the AIA caIssuers URL.")},
        {QStringLiteral("at"), QStringLiteral("Evaluate at this time (ISO 8601) instead of now."), QStringLiteral("time")},
        {QStringLiteral("revocation"), QStringLiteral("none (default), ocsp, crl or both."), QStringLiteral("mode")},
        {QStringLiteral("require-revocation"), QStringLiteral("Fail when revocation cannot be checked.")},
        {QStringLiteral("pin"), QStringLiteral("Require a key in the path with this pin: sha256/BASE64 (repeatable)."), QStringLiteral("pin")},
        {QStringLiteral("exceptions"), QStringLiteral("Apply the trust exceptions in <file>."), QStringLiteral("file")},
    };
    for (const QCommandLineOption &option : fetchOptions())
        if (!option.names().contains(QStringLiteral("from")) && !option.names().contains(QStringLiteral("pem")))
            options.append(option);
    return options;
}

namespace {

Result<QList<Certificate>> certificatesFrom(const QString &path)
{
    const auto document = loadDocumentFile(path);
    if (!document)
        return std::unexpected(document.error());
    if (!document->errors.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("%1: %2").arg(path, document->errors.first().toString()));
    QList<Certificate> certificates;
    for (const PkiObject &object : document->objects)
        if (const auto *certificate = object.as<Certificate>())
            certificates.append(*certificate);
    if (certificates.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 holds no certificate").arg(path));
    return certificates;
}

} // namespace

int runVerify(const QStringList &files, const QCommandLineParser &parser)
{
    trust::Policy policy;
    if (parser.isSet(QStringLiteral("policy"))) {
        const auto kind = trust::policyKindFromName(parser.value(QStringLiteral("policy")));
        if (!kind) {
            err() << "trustscope-cli verify: --policy is ssl-server, ssl-client or basic\n";
            return ExitUsage;
        }
        policy.kind = *kind;
    }
    for (const QString &path : parser.values(QStringLiteral("anchor"))) {
        const auto certificates = certificatesFrom(path);
        if (!certificates) {
            err() << "trustscope-cli verify: " << certificates.error().toString() << '\n';
            return ExitUsage;
        }
        policy.anchors += *certificates;
    }
    policy.anchorsOnly = parser.isSet(QStringLiteral("anchors-only"));
    for (const QString &path : parser.values(QStringLiteral("intermediate"))) {
        const auto certificates = certificatesFrom(path);
        if (!certificates) {
            err() << "trustscope-cli verify: " << certificates.error().toString() << '\n';
            return ExitUsage;
        }
        policy.intermediates += *certificates;
    }
    policy.fetchMissingIntermediates = !parser.isSet(QStringLiteral("no-aia"));
    if (parser.isSet(QStringLiteral("at"))) {
        const QDateTime at = QDateTime::fromString(parser.value(QStringLiteral("at")), Qt::ISODateWithMs);
        if (!at.isValid()) {
            err() << "trustscope-cli verify: --at takes an ISO 8601 time such as 2026-01-31T12:00:00Z\n";
            return ExitUsage;
        }
        policy.verificationTime = at.toUTC();
    }
    const QString revocation = parser.value(QStringLiteral("revocation"));
    if (!revocation.isEmpty() && revocation != QLatin1String("none")) {
        err() << "trustscope-cli verify: --revocation " << revocation << " is not implemented yet (only none)\n";
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("exceptions"))) {
        err() << "trustscope-cli verify: --exceptions is not implemented yet\n";
        return ExitUsage;
    }
    for (const QString &pin : parser.values(QStringLiteral("pin"))) {
        if (!pin.startsWith(QLatin1String("sha256/")) || QByteArray::fromBase64(pin.mid(7).toLatin1()).size() != 32) {
            err() << "trustscope-cli verify: a pin is sha256/ followed by 44 base64 characters: " << pin << '\n';
            return ExitUsage;
        }
        policy.pins.append(pin.mid(7));
    }

    QList<Certificate> chain;
    if (parser.isSet(QStringLiteral("fetch"))) {
        tls::FetchOptions options;
        if (const std::optional<int> error = applyFetchOptions(parser, options))
            return *error;
        if (const auto error = tls::parseTarget(parser.value(QStringLiteral("fetch")), options)) {
            err() << "trustscope-cli verify: " << *error << '\n';
            return ExitUsage;
        }
        const tls::FetchResult fetched = tls::fetchChain(options);
        if (!fetched.ok()) {
            err() << "trustscope-cli: " << options.host << ':' << options.port << ": " << fetched.errorStage << ": " << fetched.errorMessage << '\n';
            return ExitNetwork;
        }
        chain = fetched.presentedChain;
        policy.hostName = parser.isSet(QStringLiteral("host")) ? parser.value(QStringLiteral("host")) : options.host;
    } else {
        if (files.isEmpty()) {
            err() << "trustscope-cli verify: name the leaf and chain files, or --fetch HOST[:PORT]\n";
            return ExitUsage;
        }
        for (const QString &path : files) {
            const auto certificates = certificatesFrom(path);
            if (!certificates) {
                err() << "trustscope-cli verify: " << certificates.error().toString() << '\n';
                return ExitUsage;
            }
            chain += *certificates;
        }
        policy.hostName = parser.value(QStringLiteral("host"));
    }
    const Certificate leaf = chain.takeFirst();
    const trust::Evaluation evaluation = trust::evaluate(leaf, chain, policy);
    if (parser.isSet(QStringLiteral("json")))
        out() << QJsonDocument(trust::toJson(evaluation)).toJson(QJsonDocument::Indented);
    else
        out() << trust::toText(evaluation);
    return evaluation.trusted ? ExitOk : ExitNotTrusted;
}

QList<QCommandLineOption> limboOptions()
{
    return {{QStringLiteral("json"), QStringLiteral("Print limbo's result format (version, harness, results).")}};
}

int runLimbo(const QStringList &files, const QCommandLineParser &parser)
{
    if (files.size() != 1) {
        err() << "trustscope-cli limbo: name the limbo.json file\n";
        return ExitUsage;
    }
    QFile file(files.first());
    if (!file.open(QIODevice::ReadOnly)) {
        err() << "trustscope-cli limbo: cannot read " << files.first() << '\n';
        return ExitUsage;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (document.isNull()) {
        err() << "trustscope-cli limbo: " << files.first() << " is not JSON: " << parseError.errorString() << '\n';
        return ExitUsage;
    }
    QList<QJsonObject> cases;
    for (const QJsonValue &value : document.object()[QStringLiteral("testcases")].toArray())
        cases.append(value.toObject());
    const QList<trust::LimboOutcome> outcomes = QtConcurrent::blockingMapped(cases, trust::runLimboCase);
    int passed = 0, failed = 0, skipped = 0, passedCore = 0, failedCore = 0;
    QJsonArray results;
    for (const trust::LimboOutcome &outcome : outcomes) {
        const bool betterTls = outcome.id.startsWith(QLatin1String("bettertls::"));
        if (outcome.actual == QLatin1String("SKIPPED")) {
            ++skipped;
        } else if (outcome.actual == outcome.expected) {
            ++passed;
            passedCore += betterTls ? 0 : 1;
        } else {
            ++failed;
            failedCore += betterTls ? 0 : 1;
        }
        results.append(QJsonObject{{QStringLiteral("id"), outcome.id},
                                   {QStringLiteral("actual_result"), outcome.actual},
                                   {QStringLiteral("context"), outcome.context}});
    }
    if (parser.isSet(QStringLiteral("json")))
        out() << QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                           {QStringLiteral("harness"), QStringLiteral("trustscope")},
                                           {QStringLiteral("results"), results}})
                     .toJson(QJsonDocument::Compact)
              << '\n';
    else
        for (const trust::LimboOutcome &outcome : outcomes)
            if (outcome.actual != QLatin1String("SKIPPED") && outcome.actual != outcome.expected)
                out() << "FAIL " << outcome.id << " expected " << outcome.expected << ": " << outcome.context << '\n';
    const double rate = passed + failed ? 100.0 * passed / (passed + failed) : 0;
    const double coreRate = passedCore + failedCore ? 100.0 * passedCore / (passedCore + failedCore) : 0;
    (parser.isSet(QStringLiteral("json")) ? err() : out())
        << QStringLiteral("limbo: %1 passed, %2 failed, %3 skipped: %4% (without BetterTLS: %5 of %6, %7%)\n")
               .arg(passed).arg(failed).arg(skipped).arg(rate, 0, 'f', 1).arg(passedCore).arg(passedCore + failedCore).arg(coreRate, 0, 'f', 1);
    return ExitOk;
}

} // namespace trustscope::cli
