// explain, ats and pins: what Apple platforms make of a server, without a Mac.

#include "Command.h"

#include "apple/AppleDiagnosis.h"
#include "apple/Ats.h"
#include "tls/TlsFetch.h"
#include "x509/Document.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> explainOptions()
{
    return {{QStringLiteral("json"), QStringLiteral("Print JSON: {codes: [{matched, domain, code, name, meaning, "
                                                    "causes, nextSteps, likely}], host, port}.")}};
}

int runExplain(const QStringList &words, const QCommandLineParser &parser)
{
    QString text = words.join(QLatin1Char(' '));
    if (text.isEmpty() || text == QLatin1String("-")) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly)) {
            err() << "trustscope-cli explain: cannot read standard input\n";
            return ExitUsage;
        }
        text = QString::fromUtf8(input.read(1024 * 1024));
    }
    if (text.trimmed().isEmpty()) {
        err() << "trustscope-cli explain: give an error line, e.g. trustscope-cli explain \"NSURLErrorDomain -1202\"\n";
        return ExitUsage;
    }
    const apple::Explanation explanation = apple::explain(text);
    if (parser.isSet(QStringLiteral("json")))
        out() << QJsonDocument(apple::toJson(explanation)).toJson(QJsonDocument::Indented);
    else
        out() << apple::toText(explanation);
    return explanation.codes.isEmpty() ? ExitNotTrusted : ExitOk;
}

QList<QCommandLineOption> atsOptions()
{
    QList<QCommandLineOption> options{
        {QStringLiteral("json"), QStringLiteral("Print JSON.")},
        {QStringLiteral("anchor"),
         QStringLiteral("Also trust the certificates in <file> (repeatable), as a profile "
                        "installed on the device would."),
         QStringLiteral("file")},
    };
    for (const QCommandLineOption &option : fetchOptions())
        if (!option.names().contains(QStringLiteral("from")) && !option.names().contains(QStringLiteral("pem")) &&
            !option.names().contains(QStringLiteral("json")))
            options.append(option);
    return options;
}

int runAts(const QStringList &targets, const QCommandLineParser &parser)
{
    if (targets.size() != 1) {
        err() << "trustscope-cli ats: name one server, HOST[:PORT] or https://…\n";
        return ExitUsage;
    }
    tls::FetchOptions options;
    if (const std::optional<int> error = applyFetchOptions(parser, options))
        return *error;
    if (const auto error = tls::parseTarget(targets.first(), options)) {
        err() << "trustscope-cli ats: " << *error << '\n';
        return ExitUsage;
    }
    inspect::TrustSettings settings;
    settings.anchorFiles = parser.values(QStringLiteral("anchor"));
    settings.exceptions = inspect::ExceptionSource::None;
    if (const auto inputs = inspect::loadTrustInputs(settings, true); !inputs) { // a bad --anchor is exit 2
        err() << "trustscope-cli ats: " << inputs.error().toString() << '\n';
        return ExitUsage;
    }
    const apple::AtsReport report = apple::diagnoseAts(options, settings);
    if (parser.isSet(QStringLiteral("json")))
        out() << QJsonDocument(apple::toJson(report)).toJson(QJsonDocument::Indented);
    else
        out() << apple::toText(report);
    if (!report.error.isEmpty())
        return ExitNetwork;
    return report.defaultPasses() ? ExitOk : ExitNotTrusted;
}

QList<QCommandLineOption> pinsOptions()
{
    QList<QCommandLineOption> options{
        {QStringLiteral("host"), QStringLiteral("The domain to pin (default: the fetched host)."),
         QStringLiteral("name")},
        {QStringLiteral("include-subdomains"), QStringLiteral("Set NSIncludesSubdomains.")},
    };
    for (const QCommandLineOption &option : fetchOptions())
        if (!option.names().contains(QStringLiteral("from")) && !option.names().contains(QStringLiteral("pem")) &&
            !option.names().contains(QStringLiteral("json")))
            options.append(option);
    return options;
}

int runPins(const QStringList &arguments, const QCommandLineParser &parser)
{
    if (arguments.isEmpty()) {
        err() << "trustscope-cli pins: name a server (HOST[:PORT]) or chain files, leaf first\n";
        return ExitUsage;
    }
    QList<Certificate> chain;
    QString host = parser.value(QStringLiteral("host"));
    if (!QFile::exists(arguments.first())) {
        tls::FetchOptions options;
        if (const std::optional<int> error = applyFetchOptions(parser, options))
            return *error;
        if (const auto error = tls::parseTarget(arguments.first(), options)) {
            err() << "trustscope-cli pins: " << *error << '\n';
            return ExitUsage;
        }
        const tls::FetchResult fetched = tls::fetchChain(options);
        if (!fetched.ok()) {
            err() << "trustscope-cli: " << options.host << ':' << options.port << ": " << fetched.errorStage << ": "
                  << fetched.errorMessage << '\n';
            return ExitNetwork;
        }
        chain = fetched.presentedChain;
        if (host.isEmpty())
            host = options.host;
    } else {
        for (const QString &path : arguments) {
            const auto certificates = loadCertificatesFile(path);
            if (!certificates) {
                err() << "trustscope-cli pins: " << certificates.error().toString() << '\n';
                return ExitUsage;
            }
            chain += *certificates;
        }
        if (host.isEmpty() && !chain.isEmpty())
            host = chain.first().subjectAltNames.isEmpty() ? chain.first().displayName()
                                                           : chain.first().subjectAltNames.first().value;
    }
    if (chain.isEmpty()) {
        err() << "trustscope-cli pins: no certificates\n";
        return ExitUsage;
    }
    out() << apple::pinnedDomainsPlist(host, chain, parser.isSet(QStringLiteral("include-subdomains")));
    return ExitOk;
}

} // namespace trustscope::cli
