#include "Command.h"

#include "apple/AppleDiagnosis.h"
#include "inspect/Inspection.h"
#include "net/Proxy.h"
#include "ossl/OpenSslError.h"
#include "roots/RootPrograms.h"
#include "tls/TlsFetch.h"
#include "trust/Exceptions.h"
#include "trust/Limbo.h"
#include "trust/TrustReport.h"
#include "x509/Document.h"
#include "x509/Export.h"
#include "x509/Report.h"

#include <QFile>

#include <QJsonArray>
#include <QJsonDocument>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <variant>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> verifyOptions()
{
    QList<QCommandLineOption> options{
        {QStringLiteral("fetch"), QStringLiteral("Fetch the chain from HOST[:PORT] or a URL instead of reading files."),
         QStringLiteral("target")},
        {QStringLiteral("host"),
         QStringLiteral("Check the leaf against this host name or IP address (default with --fetch: the host)."),
         QStringLiteral("name")},
        {QStringLiteral("policy"), QStringLiteral("ssl-server (default), ssl-client or basic."),
         QStringLiteral("policy")},
        {QStringLiteral("require-ct"),
         QStringLiteral("Demand Certificate Transparency (Apple's policy) for any chain, also one under your own "
                        "anchor: CTRequired when the SCTs fall short.")},
        {QStringLiteral("anchor"), QStringLiteral("Trust the certificates in <file> (repeatable)."),
         QStringLiteral("file")},
        {QStringLiteral("anchors-only"), QStringLiteral("Trust only the --anchor certificates, not the system's.")},
        {QStringLiteral("intermediate"), QStringLiteral("Extra intermediates from <file> (repeatable)."),
         QStringLiteral("file")},
        {QStringLiteral("no-aia"), QStringLiteral("Do not download missing intermediates from the AIA caIssuers URL.")},
        {QStringLiteral("at"), QStringLiteral("Evaluate at this time (ISO 8601) instead of now."),
         QStringLiteral("time")},
        {QStringLiteral("revocation"), QStringLiteral("none (default), ocsp, crl or both."), QStringLiteral("mode")},
        {QStringLiteral("require-revocation"),
         QStringLiteral("Fail when revocation cannot be checked (implies --revocation both unless given).")},
        {QStringLiteral("staple"), QStringLiteral("A DER or PEM OCSP response to use as the leaf's stapled response."),
         QStringLiteral("file")},
        {QStringLiteral("pin"), QStringLiteral("Require a key in the path with this pin: sha256/BASE64 (repeatable)."),
         QStringLiteral("pin")},
        {QStringLiteral("exceptions"), QStringLiteral("Apply the trust exceptions in <file>."), QStringLiteral("file")},
        {QStringLiteral("port"),
         QStringLiteral("With files: the server's port, for matching trust exceptions (default 443)."),
         QStringLiteral("port")},
        {QStringLiteral("initial-policy"),
         QStringLiteral("Accept only this certificate policy OID (repeatable; default anyPolicy; RFC 5280 6.1.1 c)."),
         QStringLiteral("oid")},
        {QStringLiteral("require-explicit-policy"),
         QStringLiteral(
             "Require every certificate of the path to carry an acceptable policy (initial-explicit-policy).")},
        {QStringLiteral("inhibit-policy-mapping"),
         QStringLiteral("Do not apply policy mappings (initial-policy-mapping-inhibit).")},
        {QStringLiteral("inhibit-any-policy"),
         QStringLiteral("Do not let anyPolicy in a certificate match (initial-any-policy-inhibit).")},
        {QStringLiteral("crl"),
         QStringLiteral("Check revocation with the CRL in <file>, PEM or DER, before any download (repeatable; implies "
                        "--revocation crl)."),
         QStringLiteral("file")},
        {QStringLiteral("distrust"),
         QStringLiteral("Never trust the certificates in <file>: a path through one fails (repeatable)."),
         QStringLiteral("file")},
        {QStringLiteral("trust-leaf"),
         QStringLiteral("Accept exactly the leaf in <file> as its own anchor, as an app pinning a self-signed "
                        "certificate does (repeatable)."),
         QStringLiteral("file")},
        {QStringLiteral("root-program"),
         QStringLiteral("Also judge the chain in these root programs, each with its own roots as the only anchors: "
                        "apple, android, windows, chrome, mozilla, java, system, comma-separated, or all."),
         QStringLiteral("programs")},
        {QStringLiteral("roots"),
         QStringLiteral("Anchor the verdict in this root program's roots instead of this computer's (--anchor "
                        "files still count)."),
         QStringLiteral("program")},
    };
    // The connection options of fetch, without those that make sense only there.
    static const QStringList fetchOnly{QStringLiteral("from"),          QStringLiteral("pem"),
                                       QStringLiteral("all-addresses"), QStringLiteral("repeat"),
                                       QStringLiteral("interval"),      QStringLiteral("anchor"),
                                       QStringLiteral("anchors-only"),  QStringLiteral("root-program")};
    for (const QCommandLineOption &option : fetchOptions())
        if (!fetchOnly.contains(option.names().first()))
            options.append(option);
    return options;
}

namespace {

// What verify and `exceptions add` judge: the inspection (files or a fetched chain) and the
// trust inputs, loaded strictly (a file that does not load is exit 2).
struct VerifyInput {
    inspect::Inspection inspection;
    inspect::TrustSettings settings;
    inspect::TrustInputs inputs;
};

} // namespace

std::variant<int, VerifyInput> prepareVerification(const QStringList &files, const QCommandLineParser &parser,
                                                   inspect::ExceptionSource exceptions)
{
    inspect::TrustSettings settings;
    trust::Policy &policy = settings.policy;
    if (parser.isSet(QStringLiteral("policy"))) {
        const auto kind = trust::policyKindFromName(parser.value(QStringLiteral("policy")));
        if (!kind) {
            err() << "trustscope-cli verify: --policy is " << enumChoices(trust::policyKindTable) << "\n";
            return ExitUsage;
        }
        policy.kind = *kind;
    }
    settings.anchorFiles = parser.values(QStringLiteral("anchor"));
    policy.anchorsOnly = parser.isSet(QStringLiteral("anchors-only"));
    settings.intermediateFiles = parser.values(QStringLiteral("intermediate"));
    policy.fetchMissingIntermediates = !parser.isSet(QStringLiteral("no-aia"));
    if (parser.isSet(QStringLiteral("at"))) {
        const QDateTime at = QDateTime::fromString(parser.value(QStringLiteral("at")), Qt::ISODateWithMs);
        if (!at.isValid()) {
            err() << "trustscope-cli verify: --at takes an ISO 8601 time such as 2026-01-31T12:00:00Z\n";
            return ExitUsage;
        }
        policy.verificationTime = at.toUTC();
    }
    if (parser.isSet(QStringLiteral("revocation"))) {
        const auto mode = trust::revocationModeFromName(parser.value(QStringLiteral("revocation")));
        if (!mode) {
            err() << "trustscope-cli verify: --revocation takes " << enumChoices(trust::revocationModeTable) << "\n";
            return ExitUsage;
        }
        policy.revocation = *mode;
    }
    policy.requireRevocation = parser.isSet(QStringLiteral("require-revocation"));
    if (policy.requireRevocation && policy.revocation == trust::RevocationMode::None)
        policy.revocation = trust::RevocationMode::Both;
    if (parser.isSet(QStringLiteral("staple"))) {
        const auto staple = loadDocumentFile(parser.value(QStringLiteral("staple")));
        const OcspResponse *response =
            staple && !staple->objects.isEmpty() ? staple->objects.first().as<OcspResponse>() : nullptr;
        if (!response) {
            err() << "trustscope-cli verify: --staple " << parser.value(QStringLiteral("staple"))
                  << " is not an OCSP response"
                  << (staple ? QString() : QStringLiteral(" (%1)").arg(staple.error().toString())) << '\n';
            return ExitUsage;
        }
        policy.stapledOcspResponse = response->der;
        if (policy.revocation == trust::RevocationMode::None)
            policy.revocation = trust::RevocationMode::Ocsp;
    }
    for (const QString &pin : parser.values(QStringLiteral("pin"))) {
        if (!pin.startsWith(QLatin1String("sha256/")) || QByteArray::fromBase64(pin.mid(7).toLatin1()).size() != 32) {
            err() << "trustscope-cli verify: a pin is sha256/ followed by 44 base64 characters: " << pin << '\n';
            return ExitUsage;
        }
        policy.pins.append(pin.mid(7));
    }
    // Downloads (AIA, OCSP, CRLs) go through the TLS connection's proxy; validated here once.
    policy.proxy = parser.value(QStringLiteral("proxy"));
    if (const auto proxy = net::proxyFor(policy.proxy, QStringLiteral("proxy.check"), false); !proxy) {
        err() << "trustscope-cli verify: --proxy: " << proxy.error().message << '\n';
        return ExitUsage;
    }
    for (const QString &oid : parser.values(QStringLiteral("initial-policy"))) {
        if (oid != QLatin1String("anyPolicy") && !ossl::isDottedOid(oid)) {
            err()
                << "trustscope-cli verify: --initial-policy takes a policy OID such as 2.23.140.1.2.1 (or anyPolicy), "
                   "not "
                << oid << '\n';
            return ExitUsage;
        }
        policy.initialPolicies.append(oid == QLatin1String("anyPolicy") ? QStringLiteral("2.5.29.32.0") : oid);
    }
    policy.requireExplicitPolicy = parser.isSet(QStringLiteral("require-explicit-policy"));
    policy.inhibitPolicyMapping = parser.isSet(QStringLiteral("inhibit-policy-mapping"));
    policy.inhibitAnyPolicy = parser.isSet(QStringLiteral("inhibit-any-policy"));
    settings.crlFiles = parser.values(QStringLiteral("crl"));
    policy.requireCt = parser.isSet(QStringLiteral("require-ct"));
    if (auto lists = ctLogListsOption(parser, "verify"))
        policy.ctLogLists = std::move(*lists);
    else
        return ExitUsage;
    settings.distrustFiles = parser.values(QStringLiteral("distrust"));
    settings.trustLeafFiles = parser.values(QStringLiteral("trust-leaf"));
    if (parser.isSet(QStringLiteral("root-program"))) {
        const auto programs = roots::parseProgramList(parser.value(QStringLiteral("root-program")));
        if (!programs) {
            err() << "trustscope-cli verify: --root-program: " << programs.error().message << '\n';
            return ExitUsage;
        }
        settings.rootPrograms = *programs;
    }
    if (parser.isSet(QStringLiteral("roots"))) {
        settings.rootsProgram = parser.value(QStringLiteral("roots")).toLower();
        if (!roots::programIds().contains(settings.rootsProgram)) {
            err() << "trustscope-cli verify: --roots takes one of " << roots::programIds().join(QStringLiteral(", "))
                  << '\n';
            return ExitUsage;
        }
    }
    settings.exceptions = exceptions;
    if (exceptions == inspect::ExceptionSource::Store && parser.isSet(QStringLiteral("exceptions"))) {
        settings.exceptions = inspect::ExceptionSource::File;
        settings.exceptionsPath = parser.value(QStringLiteral("exceptions"));
    }

    inspect::Inspection inspection;
    if (parser.isSet(QStringLiteral("fetch"))) {
        tls::FetchOptions options;
        if (const std::optional<int> error = applyFetchOptions(parser, options))
            return *error;
        if (const auto error = tls::parseTarget(parser.value(QStringLiteral("fetch")), options)) {
            err() << "trustscope-cli verify: " << *error << '\n';
            return ExitUsage;
        }
        policy.hostName = parser.isSet(QStringLiteral("host")) ? parser.value(QStringLiteral("host")) : options.host;
        settings.port = options.port;
        // The trust inputs before the connection: a bad --anchor is a usage error, not a network one.
        auto inputs = inspect::loadTrustInputs(settings, true);
        if (!inputs) {
            err() << "trustscope-cli verify: " << inputs.error().toString() << '\n';
            return ExitUsage;
        }
        inspection = inspect::inspectEndpoint(options);
        if (!inspection.connection->ok()) {
            err() << "trustscope-cli: " << options.host << ':' << options.port << ": "
                  << inspection.connection->errorStage << ": " << inspection.connection->errorMessage << '\n';
            return ExitNetwork;
        }
        return VerifyInput{std::move(inspection), settings, std::move(*inputs)};
    }
    if (files.isEmpty()) {
        err() << "trustscope-cli verify: name the leaf and chain files, or --fetch HOST[:PORT]\n";
        return ExitUsage;
    }
    policy.hostName = parser.value(QStringLiteral("host"));
    if (parser.isSet(QStringLiteral("port")))
        settings.port = parser.value(QStringLiteral("port")).toInt();
    auto inputs = inspect::loadTrustInputs(settings, true);
    if (!inputs) {
        err() << "trustscope-cli verify: " << inputs.error().toString() << '\n';
        return ExitUsage;
    }
    inspection.kind = inspect::Inspection::Kind::File;
    inspection.source = files.join(QStringLiteral(", "));
    for (const QString &path : files) {
        const auto certificates = loadCertificatesFile(path);
        if (!certificates) {
            err() << "trustscope-cli verify: " << certificates.error().toString() << '\n';
            return ExitUsage;
        }
        inspection.chain += *certificates;
    }
    return VerifyInput{std::move(inspection), settings, std::move(*inputs)};
}

// Which root store anchored the main verdict, and how old it is.
QJsonObject rootsJson(const inspect::TrustSettings &settings)
{
    const QString id = settings.rootsProgram.isEmpty() ? QStringLiteral("system") : settings.rootsProgram;
    QJsonObject object{{QStringLiteral("program"), id}};
    if (const auto program = roots::findProgram(id)) {
        object.insert(QStringLiteral("name"), (*program)->name);
        object.insert(QStringLiteral("source"), (*program)->source);
        object.insert(QStringLiteral("date"), (*program)->date.toString(Qt::ISODate));
    }
    object.insert(QStringLiteral("used"), settings.policy.useSystemAnchors && !settings.policy.anchorsOnly);
    return object;
}

// What did not load or was set aside, on stderr: the verdict was made without it.
void reportTrustInputs(const inspect::Inspection &inspection)
{
    for (const QString &problem : inspection.problems)
        err() << "trustscope-cli: " << problem << '\n';
    for (const QString &warning : inspection.warnings)
        err() << "trustscope-cli: " << warning << '\n';
}

int runVerify(const QStringList &files, const QCommandLineParser &parser)
{
    auto prepared = prepareVerification(files, parser, inspect::ExceptionSource::Store);
    if (const int *exitCode = std::get_if<int>(&prepared))
        return *exitCode;
    VerifyInput &input = std::get<VerifyInput>(prepared);
    inspect::evaluate(input.inspection, input.settings, input.inputs);
    reportTrustInputs(input.inspection);
    if (!input.inspection.evaluation) {
        err() << "trustscope-cli verify: " << input.inspection.source << " holds no certificate\n";
        return ExitUsage;
    }
    const trust::Evaluation &evaluation = *input.inspection.evaluation;
    const apple::AppleView onApple = input.inspection.apple.value_or(apple::AppleView{});
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json = trust::toJson(evaluation);
        json.insert(QStringLiteral("apple"), apple::toJson(onApple));
        json.insert(QStringLiteral("roots"), rootsJson(input.settings));
        if (!input.settings.rootPrograms.isEmpty())
            json.insert(QStringLiteral("rootPrograms"), roots::toJson(input.inspection.rootPrograms));
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else {
        out() << trust::toText(evaluation);
        if (onApple.isFailure())
            out() << "\nOn iOS / macOS" << (onApple.likely ? " (likely)" : "") << ": " << onApple.logLine() << '\n';
        if (evaluation.ct && (!evaluation.ct->scts.isEmpty() || evaluation.ct->apple.required)) {
            out() << "\nCertificate Transparency: " << evaluation.ct->scts.size() << " SCT(s)\n";
            for (const ct::Sct &sct : evaluation.ct->scts)
                out() << "  " << sct.source << " " << sct.timestamp.toString(Qt::ISODate) << " "
                      << (sct.log ? sct.log->description : QString::fromLatin1(sct.logId.toBase64())) << ": "
                      << sct.signature
                      << (sct.problems.isEmpty()
                              ? QString()
                              : QStringLiteral(" (") + sct.problems.join(QStringLiteral("; ")) + QStringLiteral(")"))
                      << '\n';
            for (const auto &[name, verdict] : {std::pair{QStringLiteral("Apple"), evaluation.ct->apple},
                                                std::pair{QStringLiteral("Chrome"), evaluation.ct->chrome}})
                out() << "  " << name << ": " << (verdict.compliant ? "compliant" : "not compliant")
                      << (verdict.required ? ", required" : "") << " — " << verdict.reason << '\n';
        }
        if (!input.inspection.rootPrograms.isEmpty()) {
            out() << "\nRoot programs:\n";
            for (const roots::ProgramVerdict &verdict : input.inspection.rootPrograms)
                out() << "  " << roots::toText(verdict) << '\n';
        }
    }
    return evaluation.trusted ? ExitOk : ExitNotTrusted;
}

QList<QCommandLineOption> exceptionsOptions()
{
    QList<QCommandLineOption> options = verifyOptions();
    options += {
        {QStringLiteral("format"),
         QStringLiteral("export: xml (default), binary, or apple (one exception's bare array, bplist00)."),
         QStringLiteral("format")},
        {QStringLiteral("replace"), QStringLiteral("import: replace the store instead of merging.")},
        {QStringLiteral("note"), QStringLiteral("add: a note to keep with the exception."), QStringLiteral("text")},
        {QStringLiteral("expires"), QStringLiteral("add: when the exception stops applying (ISO 8601)."),
         QStringLiteral("time")},
    };
    return options;
}

int runExceptions(const QStringList &arguments, const QCommandLineParser &parser)
{
    const QString action = arguments.value(0);
    trust::ExceptionStore store;
    if (const auto loaded = store.load(); !loaded) {
        err() << "trustscope-cli exceptions: " << loaded.error().toString() << '\n';
        return ExitUsage;
    }
    if (!store.loadWarning().isEmpty())
        err() << "trustscope-cli: " << store.loadWarning() << '\n';
    // Every change is a locked read-modify-write: concurrent `exceptions add` runs keep each other's.
    const auto commit = [&](const std::function<void(trust::ExceptionStore &)> &change) -> int {
        if (const auto updated = store.update(change); !updated) {
            err() << "trustscope-cli exceptions: " << updated.error().toString() << '\n';
            return ExitUsage;
        }
        if (!store.loadWarning().isEmpty())
            err() << "trustscope-cli: " << store.loadWarning() << '\n';
        return int(ExitOk);
    };
    if (action == QLatin1String("list")) {
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonArray list;
            for (const trust::TrustException &exception : store.exceptions()) {
                QJsonArray certificates;
                for (const trust::CertificateException &certificate : exception.certificates)
                    certificates.append(
                        QJsonObject{{QStringLiteral("sha1"), QString::fromLatin1(certificate.sha1.toHex())},
                                    {QStringLiteral("sha256"), QString::fromLatin1(certificate.sha256.toHex())},
                                    {QStringLiteral("checks"), QJsonArray::fromStringList(certificate.checks.keys())}});
                list.append(QJsonObject{{QStringLiteral("host"), exception.host},
                                        {QStringLiteral("port"), exception.port},
                                        {QStringLiteral("policy"), exception.policy},
                                        {QStringLiteral("created"), isoUtc(exception.created)},
                                        {QStringLiteral("note"), exception.note},
                                        {QStringLiteral("expires"), isoUtc(exception.expires)},
                                        {QStringLiteral("certificates"), certificates}});
            }
            out() << QJsonDocument(list).toJson(QJsonDocument::Indented);
            return ExitOk;
        }
        for (const trust::TrustException &exception : store.exceptions()) {
            QStringList checks;
            for (qsizetype index = 0; index < exception.certificates.size(); ++index)
                for (const QString &key : exception.certificates.at(index).checks.keys())
                    checks.append(QStringLiteral("%1@%2").arg(key).arg(index));
            out() << exception.host << ':' << exception.port << ' ' << exception.policy << "  "
                  << checks.join(QStringLiteral(", ")) << "  created " << isoUtc(exception.created)
                  << (exception.expires.isValid() ? QStringLiteral(", expires ") + isoUtc(exception.expires)
                                                  : QString())
                  << (exception.note.isEmpty() ? QString() : QStringLiteral("  \"") + exception.note + QLatin1Char('"'))
                  << '\n';
        }
        return ExitOk;
    }
    if (action == QLatin1String("add")) {
        // The failures as they are, without any exception already recorded: the new one covers them.
        auto prepared = prepareVerification(arguments.mid(1), parser, inspect::ExceptionSource::None);
        if (const int *exitCode = std::get_if<int>(&prepared))
            return *exitCode;
        VerifyInput &input = std::get<VerifyInput>(prepared);
        const QString host = input.settings.policy.hostName;
        if (host.isEmpty()) {
            err()
                << "trustscope-cli exceptions add: an exception belongs to a host: give --fetch HOST or --host NAME\n";
            return ExitUsage;
        }
        inspect::evaluate(input.inspection, input.settings, input.inputs);
        reportTrustInputs(input.inspection);
        if (!input.inspection.evaluation) {
            err() << "trustscope-cli exceptions add: " << input.inspection.source << " holds no certificate\n";
            return ExitUsage;
        }
        const trust::Evaluation &evaluation = *input.inspection.evaluation;
        const int port = input.settings.port;
        QDateTime expires;
        if (parser.isSet(QStringLiteral("expires"))) {
            expires = QDateTime::fromString(parser.value(QStringLiteral("expires")), Qt::ISODate);
            if (!expires.isValid()) {
                err() << "trustscope-cli exceptions add: --expires takes an ISO 8601 time\n";
                return ExitUsage;
            }
        }
        const auto exception =
            trust::exceptionFor(evaluation, host, port, trust::policyKindName(input.settings.policy.kind),
                                parser.value(QStringLiteral("note")), expires);
        if (!exception) {
            err() << "trustscope-cli exceptions add: " << exception.error().message << '\n';
            return ExitNotTrusted;
        }
        out() << "Accepting for " << host << ':' << port << ":\n";
        for (const trust::CheckFailure &failure : evaluation.failures)
            out() << "  [" << failure.key << "] certificate " << failure.certIndex << ": " << failure.explanation
                  << '\n';
        return commit([&](trust::ExceptionStore &locked) { locked.add(*exception); });
    }
    if (action == QLatin1String("remove")) {
        const QString target = arguments.value(1);
        if (target.isEmpty()) {
            err() << "trustscope-cli exceptions remove HOST[:PORT]\n";
            return ExitUsage;
        }
        const int port = target.contains(QLatin1Char(':')) ? target.section(QLatin1Char(':'), -1).toInt() : 0;
        int removed = 0;
        const int committed = commit([&](trust::ExceptionStore &locked) {
            removed = locked.remove(port ? target.section(QLatin1Char(':'), 0, -2) : target, port);
        });
        if (committed != ExitOk)
            return committed;
        out() << "removed " << removed << " exception(s)\n";
        return removed ? int(ExitOk) : int(ExitNotTrusted);
    }
    if (action == QLatin1String("export")) {
        const QString path = arguments.value(1);
        const QString format = parser.value(QStringLiteral("format")).isEmpty()
                                   ? QStringLiteral("xml")
                                   : parser.value(QStringLiteral("format"));
        if (path.isEmpty() ||
            (format != QLatin1String("xml") && format != QLatin1String("binary") && format != QLatin1String("apple"))) {
            err() << "trustscope-cli exceptions export FILE [--format xml|binary|apple]\n";
            return ExitUsage;
        }
        if (format == QLatin1String("apple") && store.exceptions().size() != 1) {
            err()
                << "trustscope-cli exceptions export --format apple: the bare array holds one exception; the store has "
                << store.exceptions().size() << '\n';
            return ExitUsage;
        }
        const auto data = format == QLatin1String("apple")
                              ? trust::exportAppleArray(store.exceptions().first())
                              : trust::exportExceptions(store.exceptions(), format == QLatin1String("xml")
                                                                                ? trust::PlistFormat::Xml
                                                                                : trust::PlistFormat::Binary);
        if (!data) {
            err() << "trustscope-cli exceptions export: " << data.error().toString() << '\n';
            return ExitUsage;
        }
        if (const auto written = writeFileAtomically(path, *data); !written) {
            err() << "trustscope-cli exceptions export: " << written.error().toString() << '\n';
            return ExitUsage;
        }
        return ExitOk;
    }
    if (action == QLatin1String("import")) {
        QFile file(arguments.value(1));
        if (!file.open(QIODevice::ReadOnly)) {
            err() << "trustscope-cli exceptions import: cannot read " << arguments.value(1) << '\n';
            return ExitUsage;
        }
        const auto imported = trust::importExceptions(file.read(16 * 1024 * 1024));
        if (!imported) { // the store is untouched
            err() << "trustscope-cli exceptions import: " << file.fileName() << ": " << imported.error().message
                  << '\n';
            return ExitUsage;
        }
        const bool replace = parser.isSet(QStringLiteral("replace"));
        const int committed = commit([&](trust::ExceptionStore &locked) {
            if (replace)
                locked.replaceAll(*imported);
            else
                locked.merge(*imported);
        });
        if (committed == ExitOk)
            out() << "imported " << imported->size() << " exception(s)\n";
        return committed;
    }
    err() << "trustscope-cli exceptions list | add (FILE... | --fetch HOST) [--host NAME] | remove HOST[:PORT] | "
             "export FILE [--format xml|binary|apple] | import FILE [--replace]\n";
    return ExitUsage;
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
               .arg(passed)
               .arg(failed)
               .arg(skipped)
               .arg(rate, 0, 'f', 1)
               .arg(passedCore)
               .arg(passedCore + failedCore)
               .arg(coreRate, 0, 'f', 1);
    return ExitOk;
}

} // namespace trustscope::cli
