#include "Command.h"

#include "apple/AppleDiagnosis.h"
#include "tls/FetchReport.h"
#include "x509/Document.h"
#include "x509/Pem.h"

#include <QFile>
#include <QJsonDocument>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> fetchOptions()
{
    return {
        {QStringLiteral("sni"), QStringLiteral("Send <name> as SNI instead of the host."), QStringLiteral("name")},
        {QStringLiteral("no-sni"), QStringLiteral("Send no SNI at all.")},
        {QStringLiteral("starttls"),
         QStringLiteral("Speak <proto> before TLS: smtp, imap, pop3, ftp, xmpp, ldap, postgres, mysql, none (default: "
                        "from the port)."),
         QStringLiteral("proto")},
        {QStringLiteral("alpn"), QStringLiteral("Offer these ALPN protocols, comma-separated (h2,http/1.1)."),
         QStringLiteral("list")},
        {QStringLiteral("tls-min"), QStringLiteral("Lowest TLS version: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3."),
         QStringLiteral("version")},
        {QStringLiteral("tls-max"), QStringLiteral("Highest TLS version."), QStringLiteral("version")},
        {QStringLiteral("timeout"), QStringLiteral("Connect and handshake timeouts in seconds (default 10)."),
         QStringLiteral("seconds")},
        {QStringLiteral("proxy"), QStringLiteral("HTTP CONNECT proxy URL (default: $https_proxy)."),
         QStringLiteral("url")},
        {QStringLiteral("client-cert"),
         QStringLiteral("Offer this client certificate and key (PEM or PKCS#12) if asked."), QStringLiteral("file")},
        {QStringLiteral("password-file"), QStringLiteral("Password for --client-cert, first line of <file>."),
         QStringLiteral("file")},
        {QStringLiteral("ipv4"), QStringLiteral("Connect over IPv4 only.")},
        {QStringLiteral("ipv6"), QStringLiteral("Connect over IPv6 only.")},
        {QStringLiteral("connect-to"),
         QStringLiteral("Connect to <address> instead of resolving the host (SNI stays the host)."),
         QStringLiteral("address")},
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
    options.proxy = parser.isSet(QStringLiteral("proxy")) ? parser.value(QStringLiteral("proxy"))
                                                          : qEnvironmentVariable("https_proxy");
    if (parser.isSet(QStringLiteral("ipv4")) && parser.isSet(QStringLiteral("ipv6"))) {
        err() << "trustscope-cli fetch: --ipv4 and --ipv6 exclude each other\n";
        return ExitUsage;
    }
    options.family = parser.isSet(QStringLiteral("ipv4"))   ? tls::AddressFamily::IPv4
                     : parser.isSet(QStringLiteral("ipv6")) ? tls::AddressFamily::IPv6
                                                            : tls::AddressFamily::Any;
    options.connectTo = parser.value(QStringLiteral("connect-to"));
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
    QList<tls::FetchOptions> jobs;
    for (const QString &target : std::as_const(list)) {
        tls::FetchOptions job = options;
        if (const auto error = tls::parseTarget(target, job)) {
            err() << "trustscope-cli fetch: " << target << ": " << *error << '\n';
            return ExitUsage;
        }
        jobs.append(job);
    }

    QList<tls::FetchResult> results;
    if (jobs.size() == 1) {
        results.append(tls::fetchChain(jobs.first()));
    } else {
        QThreadPool pool; // bounded: at most 32 connections at once
        pool.setMaxThreadCount(32);
        results = QtConcurrent::blockingMapped(&pool, jobs,
                                               [](const tls::FetchOptions &job) { return tls::fetchChain(job); });
    }

    int exitCode = ExitOk;
    const bool batch = parser.isSet(QStringLiteral("from")) || results.size() > 1;
    for (const tls::FetchResult &result : std::as_const(results)) {
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
            out() << QJsonDocument(json).toJson(batch ? QJsonDocument::Compact : QJsonDocument::Indented);
            if (batch)
                out() << '\n';
        } else if (parser.isSet(QStringLiteral("pem"))) {
            for (const Certificate &certificate : result.presentedChain)
                out() << toPem(certificate.der, QStringLiteral("CERTIFICATE"));
        } else {
            out() << tls::toText(result);
        }
    }
    return exitCode;
}

} // namespace trustscope::cli
