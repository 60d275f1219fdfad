// TLS chain fetch against real servers: openssl s_server in many configurations, STARTTLS
// peers that speak the plaintext preamble, and hostile peers.

#include "Pki.h"
#include "Servers.h"

#include "tls/BatchFetch.h"
#include "tls/FetchReport.h"
#include "tls/TlsFetch.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <thread>

using namespace trustscope::core;
using namespace trustscope::core::tls;
using trustscope::test::OpenSslServer;
using trustscope::test::Pki;
using trustscope::test::ScriptedPeer;

class TestFetch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void parsesTargets_data();
    void parsesTargets();
    void startTlsTableIsConsistent();
    void chainAsSent();
    void wrongOrderIsKept();
    void selfSigned();
    void protocolVersions_data();
    void protocolVersions();
    void clientCertificateRequired_data();
    void clientCertificateRequired();
    void clientCertificateOffered();
    void ocspStaple();
    void signedCertificateTimestamps();
    void startTls_data();
    void startTls();
    void hostilePeers_data();
    void hostilePeers();
    void oversizedChain_data();
    void oversizedChain();
    void cancelStopsAFetch();
    void throughAnHttpProxy();
    void cliJsonAndExitCodes();
    void cliBatch();
    void batchDeliversInOrderAndCancels();

private:
    FetchResult fetch(const QString &target, FetchOptions options = {});
    Pki m_pki;
};

void TestFetch::initTestCase()
{
    QVERIFY(m_pki.makeChain(QStringLiteral("server.test")));
    QVERIFY(m_pki.write(QStringLiteral("wrong-order.pem"),
                        m_pki.read(QStringLiteral("root.pem")) + m_pki.read(QStringLiteral("intermediate.pem"))));
    QVERIFY(m_pki.issue(QStringLiteral("client"), QStringLiteral("/CN=client.test"),
                        {QStringLiteral("basicConstraints=CA:false"), QStringLiteral("extendedKeyUsage=clientAuth")},
                        QStringLiteral("root")));
    QVERIFY(m_pki.write(QStringLiteral("client-bundle.pem"),
                        m_pki.read(QStringLiteral("client.pem")) + m_pki.read(QStringLiteral("client.key"))));
}

FetchResult TestFetch::fetch(const QString &target, FetchOptions options)
{
    const auto error = parseTarget(target, options);
    if (error)
        qWarning() << *error;
    if (options.sni.isEmpty() && !options.noSni)
        options.sni = QStringLiteral("server.test");
    return fetchChain(options);
}

void TestFetch::parsesTargets_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("startTls");
    QTest::newRow("host") << "example.org" << "example.org" << 443 << "";
    QTest::newRow("host:port") << "example.org:8443" << "example.org" << 8443 << "";
    QTest::newRow("IPv6 literal") << "[2001:db8::1]:993" << "2001:db8::1" << 993 << "";
    QTest::newRow("https URL") << "https://example.org/path?q=1" << "example.org" << 443 << "none";
    QTest::newRow("smtp URL") << "smtp://mail.example.org:587" << "mail.example.org" << 587 << "smtp";
    QTest::newRow("imap URL") << "imap://mail.example.org" << "mail.example.org" << 143 << "imap";
    QTest::newRow("ldaps URL") << "ldaps://dir.example.org" << "dir.example.org" << 636 << "none";
    QTest::newRow("postgres URL") << "postgres://db.example.org" << "db.example.org" << 5432 << "postgres";
}

void TestFetch::parsesTargets()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, startTls);
    FetchOptions options;
    QVERIFY(!parseTarget(text, options));
    QCOMPARE(options.host, host);
    QCOMPARE(int(options.port), port);
    QCOMPARE(options.startTls
                 ? (*options.startTls == StartTls::None ? QStringLiteral("none") : startTlsName(*options.startTls))
                 : QString(),
             startTls);
    FetchOptions bad;
    QVERIFY(parseTarget(QStringLiteral("example.org:99999"), bad));
    QVERIFY(parseTarget(QStringLiteral("gopher://example.org"), bad));
}

// The one STARTTLS table drives names, aliases, port guessing and URL schemes alike.
void TestFetch::startTlsTableIsConsistent()
{
    const QStringList choices = startTlsChoices();
    QCOMPARE(choices.first(), QStringLiteral("none"));
    QCOMPARE(choices.size(), 9);                              // none + the eight protocols fetch speaks
    QVERIFY(!choices.contains(QStringLiteral("submission"))); // accepted, not offered
    for (const StartTlsName &entry : startTlsNames()) {
        const QString name = QString::fromLatin1(entry.name);
        QCOMPARE(startTlsFromName(name), entry.protocol);
        QCOMPARE(startTlsFromName(name.toUpper()), entry.protocol);
        if (entry.protocol == StartTls::None)
            continue;
        QVERIFY2(choices.contains(startTlsName(entry.protocol)), entry.name);
        QCOMPARE(startTlsForPort(entry.port), entry.protocol);
        FetchOptions options;
        QVERIFY(!parseTarget(name + QStringLiteral("://host.example"), options));
        QCOMPARE(options.startTls, entry.protocol);
        QCOMPARE(options.port, entry.port);
    }
    QCOMPARE(startTlsForPort(443), StartTls::None);
    QCOMPARE(startTlsForPort(587), StartTls::Smtp);
    QVERIFY(!startTlsFromName(QStringLiteral("gopher")));
    // The CLI refuses what the table does not know, naming it.
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("fetch"), QStringLiteral("127.0.0.1:1"),
                                               QStringLiteral("--starttls"), QStringLiteral("gopher")});
    QVERIFY(cli.waitForFinished(10000));
    QCOMPARE(cli.exitCode(), 2);
    QVERIFY(cli.readAllStandardError().contains("'gopher'"));
}

void TestFetch::chainAsSent()
{
    OpenSslServer server(m_pki.path({}),
                         {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                          QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"), QStringLiteral("intermediate.pem"),
                          QStringLiteral("-alpn"), QStringLiteral("h2")});
    QVERIFY(server.isRunning());
    FetchOptions options;
    options.alpn = {QStringLiteral("h2"), QStringLiteral("http/1.1")};
    const FetchResult result = fetch(server.target(), options);
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.address, QStringLiteral("127.0.0.1"));
    QCOMPARE(result.sni, QStringLiteral("server.test"));
    QCOMPARE(result.protocol, QStringLiteral("TLSv1.3"));
    QVERIFY(result.cipher.startsWith(QLatin1String("TLS_")));
    QVERIFY(!result.group.isEmpty());
    QCOMPARE(result.alpn, QStringLiteral("h2"));
    QCOMPARE(result.presentedChain.size(), 2);
    QCOMPARE(result.presentedChain.at(0).subject.commonName(), QStringLiteral("server.test"));
    QCOMPARE(result.presentedChain.at(1).subject.commonName(), QStringLiteral("Test Intermediate CA"));
    QVERIFY(!result.clientCertificateRequested);
    QVERIFY(!result.ocspStaple);
}

void TestFetch::wrongOrderIsKept()
{
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"),
                                          QStringLiteral("wrong-order.pem")});
    QVERIFY(server.isRunning());
    const FetchResult result = fetch(server.target());
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.presentedChain.size(), 3);
    QCOMPARE(result.presentedChain.at(1).subject.commonName(), QStringLiteral("Test Root CA"));
    QCOMPARE(result.presentedChain.at(2).subject.commonName(), QStringLiteral("Test Intermediate CA"));
}

void TestFetch::selfSigned()
{
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("root.pem"), QStringLiteral("-key"),
                                          QStringLiteral("root.key")});
    QVERIFY(server.isRunning());
    const FetchResult result = fetch(server.target());
    QVERIFY(result.ok());
    QCOMPARE(result.presentedChain.size(), 1);
    QVERIFY(result.presentedChain.first().selfSigned);
}

void TestFetch::protocolVersions_data()
{
    QTest::addColumn<QString>("serverFlag");
    QTest::addColumn<QString>("clientMax");
    QTest::addColumn<QString>("protocol"); // empty: must fail
    QTest::newRow("TLS 1.3 only") << "-tls1_3" << "" << "TLSv1.3";
    QTest::newRow("TLS 1.2 only") << "-tls1_2" << "" << "TLSv1.2";
    QTest::newRow("TLS 1.3 only, client at most 1.2") << "-tls1_3" << "TLSv1.2" << "";
}

void TestFetch::protocolVersions()
{
    QFETCH(QString, serverFlag);
    QFETCH(QString, clientMax);
    QFETCH(QString, protocol);
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key"), serverFlag});
    QVERIFY(server.isRunning());
    FetchOptions options;
    options.tlsMax = clientMax;
    const FetchResult result = fetch(server.target(), options);
    if (protocol.isEmpty()) {
        QVERIFY(!result.ok());
        QCOMPARE(result.errorStage, QStringLiteral("handshake"));
        QVERIFY(result.alert);
        QCOMPARE(result.alert->code, 70); // protocol_version
        QCOMPARE(result.alert->appleCode, -9836);
        QVERIFY2(result.errorMessage.contains(QLatin1String("does not support the TLS versions offered")),
                 qPrintable(result.errorMessage));
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.protocol, protocol);
}

void TestFetch::clientCertificateRequired_data()
{
    QTest::addColumn<QString>("versionFlag");
    QTest::addColumn<int>("alert");
    QTest::addColumn<QString>("alertName");
    QTest::addColumn<int>("appleCode");
    QTest::newRow("TLS 1.3: certificate_required") << "-tls1_3" << 116 << "certificate_required" << -9802;
    QTest::newRow("TLS 1.2: handshake_failure") << "-tls1_2" << 40 << "handshake_failure" << -9824;
}

void TestFetch::clientCertificateRequired()
{
    QFETCH(QString, versionFlag);
    QFETCH(int, alert);
    QFETCH(QString, alertName);
    QFETCH(int, appleCode);
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key"), QStringLiteral("-Verify"), QStringLiteral("1"),
                                          QStringLiteral("-CAfile"), QStringLiteral("root.pem"), versionFlag});
    QVERIFY(server.isRunning());
    const FetchResult result = fetch(server.target());
    QVERIFY(!result.ok());
    QCOMPARE(result.errorStage, QStringLiteral("handshake"));
    QVERIFY(result.clientCertificateRequested);
    QVERIFY(result.alert);
    QCOMPARE(result.alert->direction, QStringLiteral("received"));
    QCOMPARE(result.alert->code, alert);
    QCOMPARE(result.alert->name, alertName);
    QCOMPARE(result.alert->appleCode, appleCode);
    QVERIFY2(result.errorMessage.contains(QLatin1String("client certificate")), qPrintable(result.errorMessage));
    const QJsonObject json = toJson(result);
    QCOMPARE(json[QStringLiteral("alert")][QStringLiteral("appleCode")].toInt(), appleCode);
    QCOMPARE(json[QStringLiteral("error")][QStringLiteral("stage")].toString(), QStringLiteral("handshake"));
}

void TestFetch::clientCertificateOffered()
{
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key"), QStringLiteral("-Verify"), QStringLiteral("1"),
                                          QStringLiteral("-CAfile"), QStringLiteral("root.pem")});
    QVERIFY(server.isRunning());
    FetchOptions options;
    options.clientCertificatePem = m_pki.read(QStringLiteral("client-bundle.pem"));
    const FetchResult result = fetch(server.target(), options);
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
}

void TestFetch::ocspStaple()
{
    QByteArray serial;
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                           QStringLiteral("-noout"), QStringLiteral("-serial")},
                          &serial));
    QVERIFY(m_pki.write(QStringLiteral("ocsp-index.txt"),
                        "V\t301231235959Z\t\t" + serial.trimmed().mid(7) + "\tunknown\t/CN=server.test\n"));
    QVERIFY(
        m_pki.openssl({QStringLiteral("ocsp"), QStringLiteral("-index"), QStringLiteral("ocsp-index.txt"),
                       QStringLiteral("-rsigner"), QStringLiteral("intermediate.pem"), QStringLiteral("-rkey"),
                       QStringLiteral("intermediate.key"), QStringLiteral("-CA"), QStringLiteral("intermediate.pem"),
                       QStringLiteral("-issuer"), QStringLiteral("intermediate.pem"), QStringLiteral("-cert"),
                       QStringLiteral("leaf.pem"), QStringLiteral("-respout"), QStringLiteral("staple.der")}));
    OpenSslServer server(m_pki.path({}),
                         {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                          QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"), QStringLiteral("intermediate.pem"),
                          QStringLiteral("-status_file"), QStringLiteral("staple.der")});
    QVERIFY(server.isRunning());
    const FetchResult result = fetch(server.target());
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QVERIFY(result.ocspStaple);
    QCOMPARE(result.ocspStaple->responseStatus, QStringLiteral("successful"));
    QCOMPARE(result.ocspStaple->responses.first().status, QStringLiteral("good"));
    QCOMPARE(result.ocspStaple->responses.first().serialHex, result.presentedChain.first().serialHex);
}

void TestFetch::signedCertificateTimestamps()
{
    // An SCT list in the TLS extension (RFC 6962 3.3), served by s_server -serverinfo. The log
    // and its signature are made up: the fetch reports what was sent; checking is trust's job.
    QByteArray sct;
    sct += char(0); // v1
    QByteArray logId;
    for (int byte = 1; byte <= 32; ++byte)
        logId += char(byte);
    sct += logId;
    const quint64 timestamp = 1767225600123ULL; // 2026-01-01T00:00:00.123Z
    for (int shift = 56; shift >= 0; shift -= 8)
        sct += char((timestamp >> shift) & 0xff);
    sct += QByteArray("\x00\x00", 2);                                          // no extensions
    sct += QByteArray("\x04\x03\x00\x08\x30\x06\x02\x01\x01\x02\x01\x01", 12); // SHA-256, ECDSA
    const auto u16 = [](qsizetype value) {
        QByteArray bytes;
        bytes.append(char((value >> 8) & 0xff)).append(char(value & 0xff));
        return bytes;
    };
    const QByteArray list = u16(sct.size() + 2) + u16(sct.size()) + sct;
    const QByteArray extension = QByteArray("\x00\x12", 2) + u16(list.size()) + list;
    QByteArray base64 = extension.toBase64();
    for (qsizetype at = 64; at < base64.size(); at += 65)
        base64.insert(at, '\n'); // PEM lines of 64 characters
    QVERIFY(m_pki.write(QStringLiteral("sct.pem"),
                        "-----BEGIN SERVERINFO FOR signed_certificate_timestamp-----\n" + base64 +
                            "\n-----END SERVERINFO FOR signed_certificate_timestamp-----\n"));
    OpenSslServer server(m_pki.path({}),
                         {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                          QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"), QStringLiteral("intermediate.pem"),
                          QStringLiteral("-serverinfo"), QStringLiteral("sct.pem"), QStringLiteral("-no_tls1_3")});
    QVERIFY(server.isRunning());
    const FetchResult result = fetch(server.target());
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.scts.size(), 1);
    QCOMPARE(result.stapledSctCount, 1);
    const SignedCertificateTimestamp &received = result.scts.first();
    QCOMPARE(received.source, QStringLiteral("tls-extension"));
    QCOMPARE(received.version, 1);
    QCOMPARE(received.logId, QString::fromLatin1(logId.toBase64()));
    QCOMPARE(received.timestamp, QDateTime::fromMSecsSinceEpoch(qint64(timestamp), QTimeZone::UTC));
    QCOMPARE(received.signatureAlgorithm, QStringLiteral("ecdsa-with-SHA256"));
    const QJsonObject json = toJson(result);
    QCOMPARE(json.value(QStringLiteral("scts")).toArray().first().toObject().value(QStringLiteral("timestamp")),
             QJsonValue(QStringLiteral("2026-01-01T00:00:00.123Z")));
}

void TestFetch::startTls_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("protocol");
    QTest::newRow("smtp") << "smtp" << "smtp";
    QTest::newRow("imap") << "imap" << "imap";
    QTest::newRow("postgres") << "postgres" << "postgres";
}

void TestFetch::startTls()
{
    QFETCH(QString, mode);
    QFETCH(QString, protocol);
    ScriptedPeer peer(mode, {m_pki.path(QStringLiteral("leaf.pem")), m_pki.path(QStringLiteral("leaf.key"))});
    QVERIFY(peer.isRunning());
    FetchOptions options;
    options.startTls = startTlsFromName(protocol);
    const FetchResult result = fetch(peer.target(), options);
    QVERIFY2(result.ok(), qPrintable(result.errorStage + QStringLiteral(": ") + result.errorMessage));
    QCOMPARE(result.startTls, protocol);
    QCOMPARE(result.presentedChain.first().subject.commonName(), QStringLiteral("server.test"));
}

void TestFetch::hostilePeers_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("startTls");
    QTest::addColumn<QString>("stage");
    QTest::addColumn<QString>("message");
    QTest::newRow("black hole") << "blackhole" << "" << "handshake" << "timed out after 1.5 s";
    QTest::newRow("one byte a second") << "drip" << "" << "handshake" << "timed out after 1.5 s";
    QTest::newRow("garbage") << "garbage" << "" << "handshake" << "a record longer than TLS allows";
    QTest::newRow("plain HTTP") << "plaintext" << "" << "handshake" << "the server did not answer with TLS";
    QTest::newRow("closes mid-handshake")
        << "close" << "" << "handshake" << "closed the connection during the handshake";
    QTest::newRow("STARTTLS liar") << "smtp-liar" << "smtp" << "STARTTLS"
                                   << "the server answered \"454 4.7.0 TLS not available\"";
    QTest::newRow("STARTTLS to a TLS-less peer") << "blackhole" << "smtp" << "STARTTLS" << "timed out after 1.5 s";
    QTest::newRow("oversized record") << "huge-record" << "" << "handshake" << "a record longer than TLS allows";
    QTest::newRow("STARTTLS agreed, then plaintext")
        << "smtp-plaintext-after-ok" << "smtp" << "handshake" << "the server did not answer with TLS";
    QTest::newRow("STARTTLS greeting without end")
        << "smtp-endless" << "smtp" << "STARTTLS" << "the server's reply has more than 200 lines";
    QTest::newRow("STARTTLS line without end")
        << "smtp-no-newline" << "smtp" << "STARTTLS" << "more than 64 KiB without a line break";
    QTest::newRow("postgres refuses TLS")
        << "postgres-liar" << "postgres" << "STARTTLS" << "the PostgreSQL server does not accept SSL";
}

void TestFetch::hostilePeers()
{
    QFETCH(QString, mode);
    QFETCH(QString, startTls);
    QFETCH(QString, stage);
    QFETCH(QString, message);
    ScriptedPeer peer(mode);
    QVERIFY(peer.isRunning());
    FetchOptions options;
    options.connectTimeoutMs = options.handshakeTimeoutMs = 1500;
    if (!startTls.isEmpty())
        options.startTls = startTlsFromName(startTls);
    QElapsedTimer timer;
    timer.start();
    const FetchResult result = fetch(peer.target(), options);
    QVERIFY2(timer.elapsed() < 1500 + 1000, "done within the timeout + 1 s");
    QVERIFY(!result.ok());
    qInfo("%s: %s", qPrintable(result.errorStage), qPrintable(result.errorMessage));
    QCOMPARE(result.errorStage, stage);
    QVERIFY2(result.errorMessage.contains(message), qPrintable(result.errorMessage));
}

void TestFetch::oversizedChain_data()
{
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<QString>("chain");
    QTest::newRow("5 000 certificates") << "leaf" << "huge-chain.pem";
    QTest::newRow("one 2 MB certificate") << "huge-leaf" << "intermediate.pem";
}

void TestFetch::oversizedChain()
{
    // Past the 1 MiB limit either way: 5 000 copies of the intermediate (about 2.4 MB), or a
    // leaf carrying a 2 MB extension.
    QFETCH(QString, leaf);
    QFETCH(QString, chain);
    if (!QFile::exists(m_pki.path(QStringLiteral("huge-chain.pem"))))
        QVERIFY(m_pki.write(QStringLiteral("huge-chain.pem"),
                            m_pki.read(QStringLiteral("intermediate.pem")).repeated(5000)));
    if (leaf == QLatin1String("huge-leaf") && !QFile::exists(m_pki.path(QStringLiteral("huge-leaf.pem"))))
        QVERIFY(m_pki.issue(QStringLiteral("huge-leaf"), QStringLiteral("/CN=server.test"),
                            {QStringLiteral("subjectAltName=DNS:server.test"),
                             QStringLiteral("1.3.6.1.4.1.99999.1=DER:") +
                                 QString::fromLatin1(QByteArray(2 * 1024 * 1024, 'A').toHex())},
                            QStringLiteral("intermediate")));
    OpenSslServer server(m_pki.path({}),
                         {QStringLiteral("-cert"), leaf + QStringLiteral(".pem"), QStringLiteral("-key"),
                          leaf + QStringLiteral(".key"), QStringLiteral("-cert_chain"), chain});
    QVERIFY(server.isRunning());
    if (leaf == QLatin1String("huge-leaf"))
        QVERIFY(m_pki.read(QStringLiteral("huge-leaf.pem")).size() > 2 * 1024 * 1024);
    const FetchResult result = fetch(server.target());
    QVERIFY(!result.ok());
    QCOMPARE(result.errorStage, QStringLiteral("handshake"));
    QVERIFY2(result.errorMessage.contains(QLatin1String("larger than the 1024 KiB limit")),
             qPrintable(result.errorMessage));
    QVERIFY(result.presentedChain.isEmpty());
}

void TestFetch::cancelStopsAFetch()
{
    ScriptedPeer peer(QStringLiteral("blackhole"));
    QVERIFY(peer.isRunning());
    std::atomic_bool cancel = false;
    FetchOptions options;
    QVERIFY(!parseTarget(peer.target(), options));
    QElapsedTimer timer;
    timer.start();
    FetchResult result;
    std::thread worker([&] { result = fetchChain(options, &cancel); });
    QTest::qWait(200);
    cancel = true;
    worker.join();
    QVERIFY(timer.elapsed() < 1000); // the timeout is 10 s
    QVERIFY(result.errorMessage.contains(QLatin1String("cancelled")));
}

void TestFetch::throughAnHttpProxy()
{
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key")});
    QVERIFY(server.isRunning());
    ScriptedPeer proxy(QStringLiteral("proxy"));
    QVERIFY(proxy.isRunning());
    FetchOptions options;
    options.proxy = QStringLiteral("http://") + proxy.target();
    // The host is resolved by the proxy, so a name the client cannot resolve works too.
    FetchResult result = fetch(QStringLiteral("127.0.0.1:%1").arg(server.port()), options);
    QVERIFY2(result.ok(), qPrintable(result.errorStage + QStringLiteral(": ") + result.errorMessage));
    QCOMPARE(result.presentedChain.first().subject.commonName(), QStringLiteral("server.test"));
    QCOMPARE(result.address, QStringLiteral("127.0.0.1")); // the proxy's address

    ScriptedPeer refusing(QStringLiteral("proxy-refuses"));
    QVERIFY(refusing.isRunning());
    options.proxy = refusing.target(); // without a scheme: http:// is assumed
    result = fetch(QStringLiteral("127.0.0.1:%1").arg(server.port()), options);
    QVERIFY(!result.ok());
    QCOMPARE(result.errorStage, QStringLiteral("proxy"));
    QVERIFY2(result.errorMessage.contains(QLatin1String("the proxy refused the tunnel: HTTP/1.1 403 Forbidden")),
             qPrintable(result.errorMessage));
}

void TestFetch::cliJsonAndExitCodes()
{
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"),
                                          QStringLiteral("intermediate.pem")});
    QVERIFY(server.isRunning());
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("fetch"), server.target(), QStringLiteral("--sni"),
                                               QStringLiteral("server.test"), QStringLiteral("--json")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    for (const char *key : {"host", "port", "address", "sni", "protocol", "cipher", "group", "alpn", "presentedChain",
                            "ocspStaple", "clientCertificateRequested", "acceptableClientCAs", "alert", "error"})
        QVERIFY2(json.contains(QLatin1String(key)), key);
    QCOMPARE(json[QStringLiteral("port")].toInt(), server.port());
    QCOMPARE(json[QStringLiteral("presentedChain")].toArray().size(), 2);
    QCOMPARE(json[QStringLiteral("presentedChain")].toArray().first()[QStringLiteral("subject")].toString(),
             QStringLiteral("CN=server.test"));
    QVERIFY(json[QStringLiteral("error")].isNull());

    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("fetch"), server.target(), QStringLiteral("--pem")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.readAllStandardOutput().count("-----BEGIN CERTIFICATE-----"), 2);

    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("fetch"), QStringLiteral("127.0.0.1:%1").arg(trustscope::test::freePort())});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 3);
    QVERIFY(cli.readAllStandardError().contains("TCP connect"));

    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("fetch"), QStringLiteral("example.org:0")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 2);
}

void TestFetch::cliBatch()
{
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key")});
    QVERIFY(server.isRunning());
    const QString refused = QStringLiteral("127.0.0.1:%1").arg(trustscope::test::freePort());
    QVERIFY(m_pki.write(QStringLiteral("targets.txt"),
                        (server.target() + QLatin1Char('\n') + QStringLiteral("# a comment\n") + refused +
                         QLatin1Char('\n') + server.target() + QLatin1Char('\n'))
                            .toUtf8()));
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("fetch"), QStringLiteral("--from"), m_pki.path(QStringLiteral("targets.txt"))});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 3); // one of them failed
    const QList<QByteArray> lines = cli.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(QJsonDocument::fromJson(lines.at(0)).object()[QStringLiteral("error")].isNull());
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object()[QStringLiteral("error")][QStringLiteral("stage")].toString(),
             QStringLiteral("TCP connect"));
    QCOMPARE(QJsonDocument::fromJson(lines.at(2)).object()[QStringLiteral("presentedChain")].toArray().size(), 1);
}

void TestFetch::batchDeliversInOrderAndCancels()
{
    // 40 targets, every third refused (fast) among real handshakes, through 3 connections at once:
    // more than the waiting window, so early refusals wait for the handshakes before them.
    OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                          QStringLiteral("leaf.key")});
    QVERIFY(server.isRunning());
    const quint16 refusedPort = trustscope::test::freePort();
    QList<tls::FetchOptions> jobs;
    for (int index = 0; index < 40; ++index) {
        tls::FetchOptions job;
        QVERIFY(
            !tls::parseTarget(index % 3 == 1 ? QStringLiteral("127.0.0.1:%1").arg(refusedPort) : server.target(), job));
        job.host = QStringLiteral("job%1.test").arg(index); // tells the results apart; reached at 127.0.0.1
        job.connectTo = QStringLiteral("127.0.0.1");
        jobs.append(job);
    }
    // The batch blocks its thread: run it beside this one, whose event loop reads the server's output.
    const auto runBatch = [&jobs](int parallel, std::atomic_bool *cancel) {
        QStringList delivered;
        std::atomic_bool done = false;
        std::jthread batch([&] {
            tls::fetchInOrder(
                jobs, parallel,
                [&](tls::FetchResult &&result) {
                    delivered.append(result.host + (result.ok() ? QStringLiteral(" ok") : QStringLiteral(" failed")));
                    if (cancel)
                        *cancel = true;
                },
                cancel);
            done = true;
        });
        QElapsedTimer waited;
        waited.start();
        while (!done && waited.elapsed() < 120000)
            QTest::qWait(20);
        return delivered;
    };
    const QStringList delivered = runBatch(3, nullptr);
    QStringList expected;
    for (int index = 0; index < jobs.size(); ++index)
        expected.append(jobs.at(index).host + (index % 3 == 1 ? QStringLiteral(" failed") : QStringLiteral(" ok")));
    QCOMPARE(delivered, expected);

    // Cancelled at the first result: no new connection starts, what was in flight still arrives.
    std::atomic_bool cancel = false;
    const QStringList cancelled = runBatch(2, &cancel);
    QVERIFY2(!cancelled.isEmpty() && cancelled.size() <= 2 * 4, qPrintable(cancelled.join(QLatin1Char(','))));
    QCOMPARE(cancelled.first(), expected.first());
}

QTEST_GUILESS_MAIN(TestFetch)
#include "tst_fetch.moc"
