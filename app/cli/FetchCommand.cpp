#include "Command.h"

#include "apple/AppleDiagnosis.h"
#include "inspect/Inspection.h"
#include "roots/RootPrograms.h"
#include "tls/Backends.h"
#include "tls/BatchFetch.h"
#include "tls/FetchReport.h"
#include "x509/Document.h"
#include "x509/Pem.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> fetchOptions()
{
    return {
        {QStringLiteral("sni"), QStringLiteral("Send <name> as SNI instead of the host."), QStringLiteral("name")},
        {QStringLiteral("no-sni"), QStringLiteral("Send no SNI at all.")},
        {QStringLiteral("starttls"),
         QStringLiteral("Speak <proto> before TLS: %1 (default: from the port).")
             .arg(tls::startTlsChoices().mid(1).join(QStringLiteral(", ")) + QStringLiteral(", none")),
         QStringLiteral("proto")},
        {QStringLiteral("alpn"), QStringLiteral("Offer these ALPN protocols, comma-separated (h2,http/1.1)."),
         QStringLiteral("list")},
        {QStringLiteral("tls-min"), QStringLiteral("Lowest TLS version: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3."),
         QStringLiteral("version")},
        {QStringLiteral("tls-max"), QStringLiteral("Highest TLS version."), QStringLiteral("version")},
        {QStringLiteral("timeout"), QStringLiteral("Connect and handshake timeouts in seconds (default 10)."),
         QStringLiteral("seconds")},
        {QStringLiteral("proxy"),
         QStringLiteral("HTTP proxy URL for the TLS connection (CONNECT) and for AIA, OCSP and CRL downloads; none for "
                        "a direct connection (default: $https_proxy, and $http_proxy for downloads, minus $no_proxy)."),
         QStringLiteral("url")},
        {QStringLiteral("client-cert"),
         QStringLiteral("Offer this client certificate and key (PEM or PKCS#12) if asked."), QStringLiteral("file")},
        {QStringLiteral("password-file"), QStringLiteral("Password for --client-cert, first line of <file>."),
         QStringLiteral("file")},
        {QStringLiteral("ipv4"), QStringLiteral("Connect over IPv4 only.")},
        {QStringLiteral("ipv6"), QStringLiteral("Connect over IPv6 only.")},
        {QStringLiteral("connect-to"),
         QStringLiteral("Connect to <address>[:port] instead of resolving the host (SNI stays the host); "
                        "repeatable: one connection to each."),
         QStringLiteral("address")},
        {QStringLiteral("all-addresses"),
         QStringLiteral("Connect to every A and AAAA address of the host and compare what each sends.")},
        {QStringLiteral("repeat"), QStringLiteral("Connect <n> times (to each address) and compare."),
         QStringLiteral("n")},
        {QStringLiteral("interval"), QStringLiteral("With --repeat: wait <ms> between connections."),
         QStringLiteral("ms")},
        {QStringLiteral("anchor"),
         QStringLiteral("Comparing connections: evaluate each distinct chain trusting <file> too (repeatable)."),
         QStringLiteral("file")},
        {QStringLiteral("anchors-only"), QStringLiteral("Comparing connections: trust only the --anchor files.")},
        {QStringLiteral("root-program"),
         QStringLiteral("Judge each chain in these root programs (apple, android, windows, chrome, mozilla, java, "
                        "system, comma-separated, or all): rootPrograms in the JSON."),
         QStringLiteral("programs")},
        {QStringLiteral("ct-log-list"),
         QStringLiteral("Also know the CT logs of <file> (Apple v5 or Chrome v3 log list schema; repeatable), "
                        "e.g. private logs or those of gen ct-log."),
         QStringLiteral("file")},
        {QStringLiteral("trace"), QStringLiteral("Record and print the handshake messages as they happen.")},
        {QStringLiteral("keylog"),
         QStringLiteral("Append the session secrets to <file> in NSS key-log format (for Wireshark; keep it "
                        "private)."),
         QStringLiteral("file")},
        {QStringLiteral("pem"), QStringLiteral("Print the presented chain as PEM, in the order sent.")},
        {QStringLiteral("json"), QStringLiteral("Print JSON.")},
        {QStringLiteral("from"),
         QStringLiteral("Fetch every target in <file> (one a line), 32 at a time; JSON lines out."),
         QStringLiteral("file")},
    };
}

namespace {

Result<QByteArray> clientCertificatePem(const QString &path, const QString &passwordFile)
{
    std::optional<FixedPasswordProvider> passwords;
    if (!passwordFile.isEmpty()) {
        QFile file(passwordFile);
        if (!file.open(QIODevice::ReadOnly))
            return fail(Error::Code::Io, QStringLiteral("cannot read %1").arg(passwordFile));
        passwords.emplace(file.readLine().trimmed());
    }
    const auto document = loadDocumentFile(path, passwords ? &*passwords : nullptr);
    if (!document)
        return std::unexpected(document.error());
    if (!document->errors.isEmpty())
        return fail(Error::Code::InvalidInput, document->errors.first().toString());
    QByteArray pem;
    for (const PkiObject &object : document->objects) {
        if (const auto *certificate = object.as<Certificate>())
            pem += toPem(certificate->der, QStringLiteral("CERTIFICATE"));
        else if (const auto *key = object.as<PrivateKey>())
            pem += toPem(key->pkcs8Der, QStringLiteral("PRIVATE KEY"));
    }
    if (!pem.contains("PRIVATE KEY") || !pem.contains("CERTIFICATE"))
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("%1 must hold a certificate and its private key").arg(path));
    return pem;
}

} // namespace

std::optional<int> applyFetchOptions(const QCommandLineParser &parser, tls::FetchOptions &options)
{
    if (parser.isSet(QStringLiteral("sni")))
        options.sni = parser.value(QStringLiteral("sni"));
    options.noSni = parser.isSet(QStringLiteral("no-sni"));
    if (parser.isSet(QStringLiteral("starttls"))) {
        options.startTls = tls::startTlsFromName(parser.value(QStringLiteral("starttls")));
        if (!options.startTls) {
            err() << "trustscope-cli fetch: unknown STARTTLS protocol '" << parser.value(QStringLiteral("starttls"))
                  << "'\n";
            return ExitUsage;
        }
    }
    if (parser.isSet(QStringLiteral("alpn")))
        options.alpn = parser.value(QStringLiteral("alpn")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.tlsMin = parser.value(QStringLiteral("tls-min"));
    options.tlsMax = parser.value(QStringLiteral("tls-max"));
    if (parser.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        const double seconds = parser.value(QStringLiteral("timeout")).toDouble(&ok);
        if (!ok || seconds <= 0) {
            err() << "trustscope-cli fetch: --timeout takes seconds > 0\n";
            return ExitUsage;
        }
        options.connectTimeoutMs = options.handshakeTimeoutMs = int(seconds * 1000);
    }
    options.proxy = parser.value(QStringLiteral("proxy")); // empty: the environment's, resolved in core
    if (parser.isSet(QStringLiteral("ipv4")) && parser.isSet(QStringLiteral("ipv6"))) {
        err() << "trustscope-cli fetch: --ipv4 and --ipv6 exclude each other\n";
        return ExitUsage;
    }
    options.family = parser.isSet(QStringLiteral("ipv4"))   ? tls::AddressFamily::IPv4
                     : parser.isSet(QStringLiteral("ipv6")) ? tls::AddressFamily::IPv6
                                                            : tls::AddressFamily::Any;
    options.connectTo = parser.value(QStringLiteral("connect-to"));
    options.trace = parser.isSet(QStringLiteral("trace"));
    if (parser.isSet(QStringLiteral("keylog"))) {
        options.keylogFile = parser.value(QStringLiteral("keylog"));
        err() << "trustscope-cli: warning: " << options.keylogFile
              << " will hold the session secrets: anyone with it can decrypt the captured traffic. Delete it when "
                 "done.\n";
    }
    if (parser.isSet(QStringLiteral("client-cert"))) {
        const auto pem = clientCertificatePem(parser.value(QStringLiteral("client-cert")),
                                              parser.value(QStringLiteral("password-file")));
        if (!pem) {
            err() << "trustscope-cli fetch: " << pem.error().toString() << '\n';
            return ExitUsage;
        }
        options.clientCertificatePem = *pem;
    }

    return std::nullopt;
}

namespace {

// --root-program as ids; nullopt (after saying why) when it names an unknown program.
std::optional<QStringList> rootProgramsOption(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("root-program")))
        return QStringList();
    const auto programs = roots::parseProgramList(parser.value(QStringLiteral("root-program")));
    if (!programs) {
        err() << "trustscope-cli fetch: --root-program: " << programs.error().message << '\n';
        return std::nullopt;
    }
    return *programs;
}

// fetch --all-addresses | --connect-to A --connect-to B | --repeat N: one target, many connections.
int runBackendComparison(const QStringList &targets, const QStringList &connectTo, const tls::FetchOptions &options,
                         const QCommandLineParser &parser)
{
    if (targets.size() != 1) {
        err() << "trustscope-cli fetch: comparing connections takes exactly one HOST[:PORT]\n";
        return ExitUsage;
    }
    tls::BackendOptions backends;
    backends.fetch = options;
    backends.fetch.connectTo.clear();
    if (const auto error = tls::parseTarget(targets.first(), backends.fetch)) {
        err() << "trustscope-cli fetch: " << targets.first() << ": " << *error << '\n';
        return ExitUsage;
    }
    backends.allAddresses = parser.isSet(QStringLiteral("all-addresses"));
    backends.connectTo = connectTo;
    bool ok = true;
    if (parser.isSet(QStringLiteral("repeat")))
        backends.repeat = parser.value(QStringLiteral("repeat")).toInt(&ok);
    if (!ok || backends.repeat < 1 || backends.repeat > 1000) {
        err() << "trustscope-cli fetch: --repeat takes 1 to 1000\n";
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("interval")))
        backends.intervalMs = parser.value(QStringLiteral("interval")).toInt(&ok);
    if (!ok || backends.intervalMs < 0 || backends.intervalMs > 3600000) {
        err() << "trustscope-cli fetch: --interval takes milliseconds (0 to 3600000)\n";
        return ExitUsage;
    }
    // Each distinct chain is judged like a single fetch: the same settings, the same exceptions.
    inspect::TrustSettings settings;
    settings.anchorFiles = parser.values(QStringLiteral("anchor"));
    settings.policy.anchorsOnly = parser.isSet(QStringLiteral("anchors-only"));
    settings.policy.fetchMissingIntermediates = false; // judge what each backend sends, not what AIA repairs
    settings.policy.hostName = backends.fetch.host;
    settings.policy.proxy = backends.fetch.proxy;
    settings.port = backends.fetch.port;
    const auto inputs = inspect::loadTrustInputs(settings, true);
    if (!inputs) {
        err() << "trustscope-cli fetch: " << inputs.error().toString() << '\n';
        return ExitUsage;
    }
    const auto programs = rootProgramsOption(parser);
    if (!programs)
        return ExitUsage;
    auto inspection = inspect::compareEndpoint(backends);
    if (!inspection) {
        err() << "trustscope-cli fetch: " << inspection.error().toString() << '\n';
        return inspection.error().code == Error::Code::InvalidInput ? ExitUsage : ExitNetwork;
    }
    inspect::evaluate(*inspection, settings, *inputs);
    for (const QString &problem : inspection->problems + inspection->warnings)
        err() << "trustscope-cli: " << problem << '\n';
    const tls::BackendReport *report = &*inspection->backends;
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json = tls::toJson(*report);
        if (!programs->isEmpty()) { // each distinct chain in each program, under the same policy
            QJsonArray chains = json.value(QStringLiteral("chains")).toArray();
            for (qsizetype index = 0; index < chains.size() && index < report->chains.size(); ++index) {
                const QList<Certificate> &certificates = report->chains.at(index).certificates;
                if (certificates.isEmpty())
                    continue;
                QJsonObject chain = chains.at(index).toObject();
                chain.insert(QStringLiteral("rootPrograms"),
                             roots::toJson(roots::evaluateInPrograms(certificates.first(), certificates.mid(1),
                                                                     inputs->policy, *programs)));
                chains.replace(index, chain);
            }
            json.insert(QStringLiteral("chains"), chains);
        }
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else {
        out() << tls::toText(*report);
        if (options.trace)
            for (const tls::BackendConnection &connection : report->connections)
                out() << "\nTrace of #" << connection.index << " (" << connection.address << "):\n"
                      << tls::traceText(connection.result.trace);
    }
    if (report->allFailed())
        return ExitNetwork;
    return report->agree() ? ExitOk : ExitInconsistent;
}

} // namespace

std::optional<QList<ct::LogList>> ctLogListsOption(const QCommandLineParser &parser, const char *command)
{
    QList<ct::LogList> lists;
    for (const QString &file : parser.values(QStringLiteral("ct-log-list"))) {
        auto list = ct::loadLogListFile(file, file);
        if (!list) {
            err() << "trustscope-cli " << command << ": --ct-log-list: " << list.error().toString() << '\n';
            return std::nullopt;
        }
        lists.append(std::move(*list));
    }
    return lists;
}

int runFetch(const QStringList &targets, const QCommandLineParser &parser)
{
    tls::FetchOptions options;
    if (const std::optional<int> error = applyFetchOptions(parser, options))
        return *error;
    QStringList list = targets;
    if (parser.isSet(QStringLiteral("from"))) {
        QFile file(parser.value(QStringLiteral("from")));
        if (!file.open(QIODevice::ReadOnly)) {
            err() << "trustscope-cli fetch: cannot read " << file.fileName() << '\n';
            return ExitUsage;
        }
        for (const QByteArray &line : file.readAll().split('\n'))
            if (!line.trimmed().isEmpty() && !line.trimmed().startsWith('#'))
                list.append(QString::fromUtf8(line.trimmed()));
    }
    if (list.isEmpty()) {
        err() << "trustscope-cli fetch: name a HOST[:PORT] (or --from FILE)\n";
        return ExitUsage;
    }
    const QStringList connectTo = parser.values(QStringLiteral("connect-to"));
    const bool compare =
        parser.isSet(QStringLiteral("all-addresses")) || parser.isSet(QStringLiteral("repeat")) || connectTo.size() > 1;
    if (compare)
        return runBackendComparison(list, connectTo, options, parser);
    QList<tls::FetchOptions> jobs;
    for (const QString &target : std::as_const(list)) {
        tls::FetchOptions job = options;
        if (const auto error = tls::parseTarget(target, job)) {
            err() << "trustscope-cli fetch: " << target << ": " << *error << '\n';
            return ExitUsage;
        }
        if (connectTo.size() == 1) { // ADDR:PORT overrides the target's port
            const auto address = tls::parseAddressAndPort(connectTo.first(), job.port);
            if (!address) {
                err() << "trustscope-cli fetch: '" << connectTo.first() << "' is not ADDRESS or ADDRESS:PORT\n";
                return ExitUsage;
            }
            job.connectTo = address->first;
            job.port = address->second;
        }
        jobs.append(job);
    }

    const auto programs = rootProgramsOption(parser);
    if (!programs)
        return ExitUsage;
    const auto loadedLogLists = ctLogListsOption(parser, "fetch");
    if (!loadedLogLists)
        return ExitUsage;
    const QList<ct::LogList> &ctLogLists = *loadedLogLists;
    int exitCode = ExitOk;
    const bool batch = parser.isSet(QStringLiteral("from")) || jobs.size() > 1;
    const auto report = [&](tls::FetchResult &&result) {
        if (!result.ok()) {
            exitCode = ExitNetwork;
            if (!parser.isSet(QStringLiteral("json")) && !batch)
                err() << "trustscope-cli: " << result.host << ':' << result.port << ": " << result.errorStage << ": "
                      << result.errorMessage << '\n';
        }
        if (batch || parser.isSet(QStringLiteral("json"))) {
            QJsonObject json = tls::toJson(result);
            if (!result.ok())
                json.insert(QStringLiteral("apple"), apple::toJson(apple::appleViewOf(result)));
            if (result.ok()) {
                trust::Policy base;
                base.proxy = options.proxy;
                base.ctLogLists = ctLogLists;
                if (const auto ct = inspect::certificateTransparencyOf(result, base))
                    json.insert(QStringLiteral("ct"), ct::toJson(*ct));
            }
            if (!programs->isEmpty() && result.ok() && !result.presentedChain.isEmpty()) {
                trust::Policy policy;
                policy.hostName = result.host;
                policy.proxy = options.proxy;
                if (result.ocspStaple)
                    policy.stapledOcspResponse = result.ocspStaple->der;
                json.insert(QStringLiteral("rootPrograms"),
                            roots::toJson(roots::evaluateInPrograms(result.presentedChain.first(),
                                                                    result.presentedChain.mid(1), policy, *programs)));
            }
            out() << QJsonDocument(json).toJson(batch ? QJsonDocument::Compact : QJsonDocument::Indented);
            if (batch) {
                out() << '\n';
                out().flush(); // a line per target as it is done: pipes see progress
            }
        } else if (parser.isSet(QStringLiteral("pem"))) {
            for (const Certificate &certificate : result.presentedChain)
                out() << toPem(certificate.der, QStringLiteral("CERTIFICATE"));
        } else {
            out() << tls::toText(result);
        }
    };
    if (jobs.size() == 1)
        report(tls::fetchChain(jobs.first()));
    else // in the list's order, 32 connections at once, streamed: memory does not grow with the list
        tls::fetchInOrder(jobs, 32, report);
    return exitCode;
}

} // namespace trustscope::cli
