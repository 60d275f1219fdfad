// Intermittent failures and handshake traces with real servers: two `openssl s_server`
// backends (one sends the intermediate, one forgets it) behind a round-robin TCP forwarder
// written here, as a load balancer would spread clients; and traces of real handshakes.

#include "Pki.h"
#include "Servers.h"

#include "inspect/Inspection.h"
#include "ossl/OpenSslError.h"
#include "tls/Backends.h"
#include "tls/FetchReport.h"
#include "x509/Document.h"

#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace trustscope::core;
using trustscope::test::OpenSslServer;
using trustscope::test::Pki;

// Accepts on 127.0.0.1 and hands each new connection to the next backend in turn, copying
// bytes both ways until either side closes. Runs on the test thread's event loop.
class RoundRobinForwarder : public QObject {
public:
    explicit RoundRobinForwarder(QList<quint16> backends)
        : m_backends(std::move(backends))
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                auto *backend = new QTcpSocket(client);
                const quint16 port = m_backends.at(m_next++ % m_backends.size());
                connect(client, &QTcpSocket::readyRead, backend,
                        [client, backend] { backend->write(client->readAll()); });
                connect(backend, &QTcpSocket::readyRead, client,
                        [client, backend] { client->write(backend->readAll()); });
                connect(client, &QTcpSocket::disconnected, backend, [backend] { backend->disconnectFromHost(); });
                connect(backend, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
                backend->connectToHost(QHostAddress::LocalHost, port);
                // Bytes the client sent before the backend connected wait in the client's buffer.
                connect(backend, &QTcpSocket::connected, client,
                        [client, backend] { backend->write(client->readAll()); });
            }
        });
    }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] int handed() const { return m_next; }

private:
    QTcpServer m_server;
    QList<quint16> m_backends;
    int m_next = 0;
};

class TestBackends : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundRobinGivesTwoChains();
    void cliRepeatThroughTheForwarder();
    void cliConnectToEachBackend();
    void agreeingConnectionsExitZero();
    void failedConnectionsAreCountedAndNamed();
    void everyAddressOfAName();
    void traceShowsTheClientCertificateRequestAndTheAlert();
    void traceOfASuccessfulHandshake();
    void keylogIsWrittenPrivately();
    void badInputIsRefused();

private:
    // Runs the blocking comparison on a worker while this thread's loop serves the forwarder.
    // Through the inspection pipeline, as the CLI and the GUI do; `settings` judges each chain.
    static tls::BackendReport compare(const tls::BackendOptions &options, bool *ok,
                                      const std::optional<inspect::TrustSettings> &settings = std::nullopt);
    static int runCli(const QStringList &arguments, QByteArray *output);
    QList<Certificate> anchors() const;

    Pki m_pki;
    std::unique_ptr<OpenSslServer> m_full;    // leaf + intermediate
    std::unique_ptr<OpenSslServer> m_partial; // leaf only
};

void TestBackends::initTestCase()
{
    QVERIFY(m_pki.makeChain(QStringLiteral("server.test")));
    m_full = std::make_unique<OpenSslServer>(
        m_pki.path({}),
        QStringList{QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                    QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"), QStringLiteral("intermediate.pem"),
                    QStringLiteral("-naccept"), QStringLiteral("1000")});
    m_partial = std::make_unique<OpenSslServer>(
        m_pki.path({}), QStringList{QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                    QStringLiteral("leaf.key"), QStringLiteral("-naccept"), QStringLiteral("1000")});
    QVERIFY(m_full->isRunning() && m_partial->isRunning());
}

QList<Certificate> TestBackends::anchors() const
{
    QList<Certificate> result;
    const auto document = loadDocumentFile(m_pki.path(QStringLiteral("root.pem")));
    if (document)
        for (const PkiObject &object : document->objects)
            if (const auto *certificate = object.as<Certificate>())
                result.append(*certificate);
    return result;
}

tls::BackendReport TestBackends::compare(const tls::BackendOptions &options, bool *ok,
                                         const std::optional<inspect::TrustSettings> &settings)
{
    QFutureWatcher<Result<tls::BackendReport>> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcher<Result<tls::BackendReport>>::finished);
    watcher.setFuture(QtConcurrent::run([options, settings]() -> Result<tls::BackendReport> {
        const trustscope::ossl::WorkerThreadScope openSslThread; // a pool thread, as in the GUI
        auto inspection = inspect::compareEndpoint(options);
        if (!inspection)
            return std::unexpected(inspection.error());
        if (settings)
            inspect::evaluate(*inspection, *settings);
        return *inspection->backends;
    }));
    *ok = finished.wait(60000);
    if (!*ok)
        return {};
    const auto result = watcher.result();
    *ok = result.has_value();
    if (!result)
        qWarning() << result.error().toString();
    return result.value_or(tls::BackendReport{});
}

int TestBackends::runCli(const QStringList &arguments, QByteArray *output)
{
    QProcess cli;
    cli.setProcessChannelMode(QProcess::SeparateChannels);
    QSignalSpy finished(&cli, &QProcess::finished);
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
    if (!finished.wait(60000)) { // a spinning wait: the forwarder lives on this thread
        cli.kill();
        cli.waitForFinished();
        return -1;
    }
    if (output)
        *output = cli.readAllStandardOutput();
    return cli.exitCode();
}

void TestBackends::roundRobinGivesTwoChains()
{
    RoundRobinForwarder forwarder({m_full->port(), m_partial->port()});
    tls::BackendOptions options;
    options.fetch.host = QStringLiteral("server.test");
    options.fetch.connectTo = QStringLiteral("127.0.0.1");
    options.fetch.port = forwarder.port();
    options.fetch.handshakeTimeoutMs = 5000;
    options.repeat = 6;
    options.intervalMs = 10; // one after another, so the forwarder alternates strictly
    inspect::TrustSettings settings;
    settings.policy.anchors = anchors();
    settings.policy.anchorsOnly = true;
    settings.policy.fetchMissingIntermediates = false;
    settings.exceptions = inspect::ExceptionSource::None;
    bool ok = false;
    const tls::BackendReport report = compare(options, &ok, settings);
    QVERIFY(ok);
    QCOMPARE(forwarder.handed(), 6);
    QCOMPARE(report.connections.size(), 6);
    QCOMPARE(report.failedCount(), 0);
    QCOMPARE(report.chains.size(), 2);
    QCOMPARE(report.chains.at(0).connections.size(), 3);
    QCOMPARE(report.chains.at(1).connections.size(), 3);
    // The two chains: one with the intermediate (trusted), one without (MissingIntermediate).
    const auto full = std::find_if(report.chains.cbegin(), report.chains.cend(),
                                   [](const tls::DistinctChain &chain) { return chain.certificates.size() == 2; });
    const auto partial = std::find_if(report.chains.cbegin(), report.chains.cend(),
                                      [](const tls::DistinctChain &chain) { return chain.certificates.size() == 1; });
    QVERIFY(full != report.chains.cend() && partial != report.chains.cend());
    QVERIFY(full->evaluation && full->evaluation->trusted);
    QVERIFY(partial->evaluation && !partial->evaluation->trusted);
    QCOMPARE(partial->evaluation->failures.first().key, QStringLiteral("MissingIntermediate"));
    // Connections alternate: 0, 2, 4 got one chain, 1, 3, 5 the other.
    QCOMPARE(report.connections.at(0).chainIndex, report.connections.at(2).chainIndex);
    QVERIFY(report.connections.at(0).chainIndex != report.connections.at(1).chainIndex);
    QVERIFY(!report.agree());
    const QString sentences = report.inconsistencies.join(QLatin1Char('\n'));
    QVERIFY2(sentences.contains(QLatin1String("3 of 6 connections got a chain")), qPrintable(sentences));
    QVERIFY2(sentences.contains(QLatin1String("'Test Intermediate CA'")), qPrintable(sentences));
    QVERIFY2(sentences.contains(QLatin1String("would fail trust (MissingIntermediate)")), qPrintable(sentences));
    QVERIFY2(sentences.contains(QLatin1String("address 127.0.0.1")), qPrintable(sentences));
    // The text report names both chains.
    const QString text = tls::toText(report);
    QVERIFY(text.contains(QLatin1String("Chain A")) && text.contains(QLatin1String("Chain B")));
}

void TestBackends::cliRepeatThroughTheForwarder()
{
    RoundRobinForwarder forwarder({m_full->port(), m_partial->port()});
    QByteArray output;
    const int exitCode = runCli(
        {QStringLiteral("fetch"), QStringLiteral("127.0.0.1:%1").arg(forwarder.port()), QStringLiteral("--repeat"),
         QStringLiteral("6"), QStringLiteral("--interval"), QStringLiteral("10"), QStringLiteral("--anchor"),
         m_pki.path(QStringLiteral("root.pem")), QStringLiteral("--anchors-only"), QStringLiteral("--json")},
        &output);
    QCOMPARE(exitCode, 4); // the connections differ
    const QJsonObject json = QJsonDocument::fromJson(output).object();
    QCOMPARE(json.value(QStringLiteral("connections")).toArray().size(), 6);
    const QJsonArray chains = json.value(QStringLiteral("chains")).toArray();
    QCOMPARE(chains.size(), 2);
    QCOMPARE(chains.at(0).toObject().value(QStringLiteral("count")).toInt(), 3);
    QCOMPARE(chains.at(1).toObject().value(QStringLiteral("count")).toInt(), 3);
    QCOMPARE(json.value(QStringLiteral("agree")).toBool(true), false);
    QVERIFY(!json.value(QStringLiteral("inconsistencies")).toArray().isEmpty());
    for (const QJsonValue &connection : json.value(QStringLiteral("connections")).toArray())
        QVERIFY(connection.toObject().value(QStringLiteral("chainFingerprint")).toString().size() == 64);
}

void TestBackends::cliConnectToEachBackend()
{
    QByteArray output;
    const int exitCode =
        runCli({QStringLiteral("fetch"), QStringLiteral("server.test:443"), QStringLiteral("--connect-to"),
                QStringLiteral("127.0.0.1:%1").arg(m_full->port()), QStringLiteral("--connect-to"),
                QStringLiteral("127.0.0.1:%1").arg(m_partial->port()), QStringLiteral("--anchor"),
                m_pki.path(QStringLiteral("root.pem")), QStringLiteral("--anchors-only"), QStringLiteral("--json")},
               &output);
    QCOMPARE(exitCode, 4);
    const QJsonObject json = QJsonDocument::fromJson(output).object();
    const QJsonArray chains = json.value(QStringLiteral("chains")).toArray();
    QCOMPARE(chains.size(), 2);
    QStringList addresses;
    for (const QJsonValue &chain : chains) {
        QCOMPARE(chain.toObject().value(QStringLiteral("count")).toInt(), 1);
        addresses += chain.toObject().value(QStringLiteral("addresses")).toVariant().toStringList();
    }
    QVERIFY(addresses.contains(QStringLiteral("127.0.0.1:%1").arg(m_partial->port())));
    QVERIFY(addresses.contains(QStringLiteral("127.0.0.1:%1").arg(m_full->port())));
    // The sentence names the backend that forgot the intermediate, and only that one.
    const QString sentences =
        json.value(QStringLiteral("inconsistencies")).toVariant().toStringList().join(QLatin1Char('\n'));
    QVERIFY2(sentences.contains(QStringLiteral("without the intermediate 'Test Intermediate CA' — address 127.0.0.1:%1")
                                    .arg(m_partial->port())),
             qPrintable(sentences));
    // SNI stays the name: the server saw server.test on both.
    for (const QJsonValue &chain : chains)
        QCOMPARE(chain.toObject()
                     .value(QStringLiteral("certificates"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("subject")),
                 QJsonValue(QStringLiteral("CN=server.test")));
}

void TestBackends::agreeingConnectionsExitZero()
{
    QByteArray output;
    QCOMPARE(
        runCli({QStringLiteral("fetch"), m_full->target(), QStringLiteral("--repeat"), QStringLiteral("3")}, &output),
        0);
    QVERIFY2(output.contains("Every connection agrees"), output.constData());
    QVERIFY(output.contains("3 connection(s), 1 distinct chain(s), 0 failed"));
}

void TestBackends::failedConnectionsAreCountedAndNamed()
{
    const quint16 dead = trustscope::test::freePort();
    QByteArray output;
    QCOMPARE(runCli({QStringLiteral("fetch"), QStringLiteral("127.0.0.1:%1").arg(dead), QStringLiteral("--repeat"),
                     QStringLiteral("2"), QStringLiteral("--timeout"), QStringLiteral("2"), QStringLiteral("--json")},
                    &output),
             3); // every connection failed
    const QJsonObject json = QJsonDocument::fromJson(output).object();
    QCOMPARE(json.value(QStringLiteral("failed")).toInt(), 2);
    QVERIFY(json.value(QStringLiteral("inconsistencies"))
                .toArray()
                .first()
                .toString()
                .contains(QLatin1String("2 of 2 connections failed (TCP connect")));
    // Some failed, some not: they differ.
    QCOMPARE(runCli({QStringLiteral("fetch"), QStringLiteral("server.test"), QStringLiteral("--connect-to"),
                     m_full->target(), QStringLiteral("--connect-to"), QStringLiteral("127.0.0.1:%1").arg(dead),
                     QStringLiteral("--timeout"), QStringLiteral("2")},
                    &output),
             4);
    QVERIFY2(output.contains("1 of 2 connections failed"), output.constData());
}

void TestBackends::everyAddressOfAName()
{
    const auto localhost = tls::resolveAllAddresses(QStringLiteral("localhost"));
    QVERIFY(localhost.has_value());
    QVERIFY(localhost->contains(QStringLiteral("127.0.0.1")) || localhost->contains(QStringLiteral("::1")));
    const auto literal = tls::resolveAllAddresses(QStringLiteral("127.0.0.1"));
    QVERIFY(literal.has_value());
    QCOMPARE(*literal, QStringList{QStringLiteral("127.0.0.1")});
    QVERIFY(!tls::resolveAllAddresses(QStringLiteral("no-such-host.invalid")).has_value());
    // --all-addresses on an address literal: one backend, agreeing with itself.
    QByteArray output;
    QCOMPARE(
        runCli({QStringLiteral("fetch"), m_full->target(), QStringLiteral("--all-addresses"), QStringLiteral("--json")},
               &output),
        0);
    QCOMPARE(QJsonDocument::fromJson(output).object().value(QStringLiteral("connections")).toArray().size(), 1);
}

void TestBackends::traceShowsTheClientCertificateRequestAndTheAlert()
{
    for (const QString &version : {QStringLiteral("-tls1_3"), QStringLiteral("-tls1_2")}) {
        OpenSslServer server(m_pki.path({}),
                             {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                              QStringLiteral("leaf.key"), QStringLiteral("-Verify"), QStringLiteral("1"),
                              QStringLiteral("-CAfile"), QStringLiteral("root.pem"), version});
        QVERIFY(server.isRunning());
        tls::FetchOptions options;
        options.host = QStringLiteral("server.test");
        options.connectTo = QStringLiteral("127.0.0.1");
        options.port = server.port();
        options.trace = true;
        options.handshakeTimeoutMs = 5000;
        const tls::FetchResult result = tls::fetchChain(options);
        QVERIFY(!result.trace.isEmpty());
        const QString text = tls::traceText(result.trace);
        const auto find = [&](const QString &message, const QString &direction) {
            return std::find_if(result.trace.cbegin(), result.trace.cend(), [&](const tls::TraceEvent &event) {
                return event.message == message && event.direction == direction;
            });
        };
        const auto hello = find(QStringLiteral("ClientHello"), QStringLiteral("sent"));
        QVERIFY2(hello != result.trace.cend(), qPrintable(text));
        QVERIFY2(hello->facts.contains(QStringLiteral("SNI server.test")), qPrintable(text));
        QVERIFY2(std::any_of(hello->facts.cbegin(), hello->facts.cend(),
                             [](const QString &fact) { return fact.startsWith(QLatin1String("offers TLSv1.3")); }),
                 qPrintable(text));
        const auto serverHello = find(QStringLiteral("ServerHello"), QStringLiteral("received"));
        QVERIFY2(serverHello != result.trace.cend(), qPrintable(text));
        QVERIFY2(serverHello->facts.contains(version == QLatin1String("-tls1_3") ? QStringLiteral("version TLSv1.3")
                                                                                 : QStringLiteral("version TLSv1.2")),
                 qPrintable(text));
        const auto certificate = find(QStringLiteral("Certificate"), QStringLiteral("received"));
        QVERIFY2(certificate != result.trace.cend() && certificate->facts.contains(QStringLiteral("1 certificate(s)")),
                 qPrintable(text));
        const auto request = find(QStringLiteral("CertificateRequest"), QStringLiteral("received"));
        QVERIFY2(request != result.trace.cend(), qPrintable(text));
        QVERIFY2(request->facts.join(QLatin1Char(' ')).contains(QLatin1String("1 acceptable CA name(s)")),
                 qPrintable(text));
        // We had no certificate to give: the server's fatal alert ends it, named with Apple's code.
        const auto alert = std::find_if(result.trace.cbegin(), result.trace.cend(), [](const tls::TraceEvent &event) {
            return event.record == QLatin1String("alert") && event.direction == QLatin1String("received");
        });
        QVERIFY2(alert != result.trace.cend(), qPrintable(text));
        QVERIFY2(alert->facts.contains(QStringLiteral("fatal")), qPrintable(text));
        QVERIFY2(alert->facts.join(QLatin1Char(' ')).contains(QLatin1String("Apple: errSSL")), qPrintable(text));
        // Timestamps never go backwards.
        for (qsizetype index = 1; index < result.trace.size(); ++index)
            QVERIFY(result.trace.at(index).atMs >= result.trace.at(index - 1).atMs);
    }
}

void TestBackends::traceOfASuccessfulHandshake()
{
    QByteArray output;
    QCOMPARE(runCli({QStringLiteral("fetch"), m_full->target(), QStringLiteral("--sni"), QStringLiteral("server.test"),
                     QStringLiteral("--alpn"), QStringLiteral("h2,http/1.1"), QStringLiteral("--trace")},
                    &output),
             0);
    for (const char *expected :
         {"Handshake trace:", "→  ClientHello", "SNI server.test", "ALPN offers h2, http/1.1", "←  ServerHello",
          "←  EncryptedExtensions", "2 certificate(s)", "←  Finished", "→  Finished", "key share"})
        QVERIFY2(
            output.contains(expected),
            qPrintable(QStringLiteral("%1 missing in:\n%2").arg(QLatin1String(expected), QString::fromUtf8(output))));
    QCOMPARE(runCli({QStringLiteral("fetch"), m_full->target(), QStringLiteral("--trace"), QStringLiteral("--json")},
                    &output),
             0);
    const QJsonArray trace = QJsonDocument::fromJson(output).object().value(QStringLiteral("trace")).toArray();
    QVERIFY(trace.size() >= 6);
    QCOMPARE(trace.first().toObject().value(QStringLiteral("message")).toString(), QStringLiteral("ClientHello"));
    QVERIFY(trace.first().toObject().contains(QStringLiteral("atMs")));
}

void TestBackends::keylogIsWrittenPrivately()
{
    QTemporaryDir dir;
    const QString keylog = dir.filePath(QStringLiteral("keys.log"));
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("fetch"), m_full->target(), QStringLiteral("--keylog"), keylog});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY(cli.readAllStandardError().contains("session secrets")); // the warning
    QFile file(keylog);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray lines = file.readAll();
    QVERIFY2(lines.contains("CLIENT_HANDSHAKE_TRAFFIC_SECRET ") && lines.contains("SERVER_TRAFFIC_SECRET_0 "),
             lines.constData());
    QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    // Off by default: a fetch without --keylog records nothing anywhere.
    tls::FetchOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = m_full->port();
    const tls::FetchResult plain = tls::fetchChain(options);
    QVERIFY(plain.ok());
    QVERIFY(plain.trace.isEmpty());
}

void TestBackends::badInputIsRefused()
{
    tls::BackendOptions options;
    options.fetch.host = QStringLiteral("server.test");
    options.connectTo = {QStringLiteral("[::1")};
    auto report = tls::fetchBackends(options);
    QVERIFY(!report.has_value());
    QCOMPARE(report.error().code, Error::Code::InvalidInput);
    options.connectTo = {QStringLiteral("127.0.0.1:99999")};
    QVERIFY(!tls::fetchBackends(options).has_value());
    options.connectTo.clear();
    options.repeat = 0;
    QVERIFY(!tls::fetchBackends(options).has_value());
    QCOMPARE(tls::parseAddressAndPort(QStringLiteral("[::1]:8443"), 443),
             (std::optional<std::pair<QString, quint16>>{{QStringLiteral("::1"), 8443}}));
    QCOMPARE(tls::parseAddressAndPort(QStringLiteral("::1"), 443),
             (std::optional<std::pair<QString, quint16>>{{QStringLiteral("::1"), 443}}));
    QByteArray output;
    QCOMPARE(
        runCli({QStringLiteral("fetch"), m_full->target(), QStringLiteral("--repeat"), QStringLiteral("0")}, &output),
        2);
    QCOMPARE(runCli({QStringLiteral("fetch"), m_full->target(), m_partial->target(), QStringLiteral("--repeat"),
                     QStringLiteral("2")},
                    &output),
             2);
}

QTEST_GUILESS_MAIN(TestBackends)
#include "tst_backends.moc"
