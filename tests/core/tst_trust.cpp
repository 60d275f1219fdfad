// Trust evaluation with real certificates made by openssl, a real HTTP server for AIA, and
// the verify CLI's contract.

#include "Pki.h"
#include "Servers.h"

#include "trust/TrustEvaluation.h"
#include "trust/TrustReport.h"
#include "x509/Document.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace trustscope::core;
using namespace trustscope::core::trust;
using trustscope::test::Pki;

class TestTrust : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void trustedChain();
    void failures_data();
    void failures();
    void everyFailureIsReported();
    void unusableHostNamesFailClosed_data();
    void unusableHostNamesFailClosed();
    void usableHostNamesAreChecked_data();
    void usableHostNamesAreChecked();
    void backtracksPastAnExpiredAlternative();
    void missingIntermediateFetchedFromAia();
    void pins();
    void cliContract();
    void enumNamesRoundTrip();

private:
    Certificate load(const QString &name);
    Policy anchoredPolicy(const QString &host = QStringLiteral("server.test"));
    Pki m_pki;
};

Certificate TestTrust::load(const QString &name)
{
    const auto document = loadDocumentFile(m_pki.path(name));
    if (!document || document->objects.isEmpty())
        return {};
    return *document->objects.first().as<Certificate>();
}

Policy TestTrust::anchoredPolicy(const QString &host)
{
    Policy policy;
    policy.anchors = {load(QStringLiteral("root.pem"))};
    policy.anchorsOnly = true;
    policy.fetchMissingIntermediates = false;
    policy.hostName = host;
    return policy;
}

void TestTrust::initTestCase()
{
    qputenv("TZ", "UTC");
    QVERIFY(m_pki.makeChain(QStringLiteral("server.test")));
    const QStringList leafExtensions{
        QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("keyUsage=critical,digitalSignature"),
        QStringLiteral("extendedKeyUsage=serverAuth"), QStringLiteral("subjectAltName=DNS:server.test"),
        QStringLiteral("authorityKeyIdentifier=keyid")};
    QVERIFY(m_pki.issue(QStringLiteral("expired"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate"), QStringLiteral("ec"),
                        {QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"), QStringLiteral("-not_after"),
                         QStringLiteral("20210101000000Z")}));
    QVERIFY(
        m_pki.issue(QStringLiteral("client-only"), QStringLiteral("/CN=server.test"),
                    {QStringLiteral("basicConstraints=critical,CA:false"),
                     QStringLiteral("extendedKeyUsage=clientAuth"), QStringLiteral("subjectAltName=DNS:server.test")},
                    QStringLiteral("intermediate")));
    QVERIFY(m_pki.issue(QStringLiteral("weak"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate"), QStringLiteral("rsa1024")));
    QVERIFY(m_pki.issue(QStringLiteral("sha1"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate"), QStringLiteral("ec"), {QStringLiteral("-sha1")}));
    QVERIFY(m_pki.issue(
        QStringLiteral("selfsigned"), QStringLiteral("/CN=server.test"),
        {QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("subjectAltName=DNS:server.test")}));
    QVERIFY(m_pki.issue(QStringLiteral("aia-leaf"), QStringLiteral("/CN=server.test"),
                        leafExtensions + QStringList{QStringLiteral(
                                             "authorityInfoAccess=caIssuers;URI:http://127.0.0.1:1/intermediate.der")},
                        QStringLiteral("intermediate")));
}

void TestTrust::trustedChain()
{
    const Evaluation evaluation =
        evaluate(load(QStringLiteral("leaf.pem")), {load(QStringLiteral("intermediate.pem"))}, anchoredPolicy());
    QVERIFY2(evaluation.trusted, qPrintable(toText(evaluation)));
    QCOMPARE(evaluation.result, QStringLiteral("unspecified"));
    QCOMPARE(evaluation.path.size(), 3);
    QCOMPARE(evaluation.path.at(0).role, QStringLiteral("leaf"));
    QCOMPARE(evaluation.path.at(1).role, QStringLiteral("intermediate"));
    QCOMPARE(evaluation.path.at(1).source, QStringLiteral("presented"));
    QCOMPARE(evaluation.path.at(2).role, QStringLiteral("anchor"));
    QCOMPARE(evaluation.path.at(2).source, QStringLiteral("user"));
    QDateTime earliest = evaluation.path.first().certificate.notAfter;
    for (const PathElement &element : evaluation.path)
        earliest = qMin(earliest, element.certificate.notAfter);
    QCOMPARE(evaluation.validUntil, earliest); // the earliest expiry along the path
}

void TestTrust::failures_data()
{
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<bool>("withIntermediate");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("certIndex");
    QTest::addColumn<bool>("recoverable");
    QTest::addColumn<QString>("remedy");
    QTest::addColumn<QString>("result");
    QTest::newRow("wrong host") << "leaf.pem" << true << "other.test" << "SSLHostname" << 0 << true
                                << "include 'other.test'" << "recoverableTrustFailure";
    QTest::newRow("IP not in SAN") << "leaf.pem" << true << "192.0.2.7" << "SSLHostname" << 0 << true << "'192.0.2.7'"
                                   << "recoverableTrustFailure";
    QTest::newRow("expired") << "expired.pem" << true << "server.test" << "TemporalValidity" << 0 << true
                             << "Renew 'server.test'" << "recoverableTrustFailure";
    QTest::newRow("missing intermediate")
        << "leaf.pem" << false << "server.test" << "MissingIntermediate" << 0 << true
        << "The server must send the intermediate 'Test Intermediate CA' after its certificate"
        << "recoverableTrustFailure";
    QTest::newRow("untrusted self-signed")
        << "selfsigned.pem" << false << "server.test" << "AnchorTrusted" << 0 << true
        << "add 'server.test' to the clients' trusted roots" << "recoverableTrustFailure";
    QTest::newRow("clientAuth-only leaf") << "client-only.pem" << true << "server.test" << "ExtendedKeyUsage" << 0
                                          << true << "serverAuth" << "recoverableTrustFailure";
    QTest::newRow("RSA 1024") << "weak.pem" << true << "server.test" << "WeakKeySize" << 0 << false << "2048 bits"
                              << "fatalTrustFailure";
    QTest::newRow("SHA-1 signature") << "sha1.pem" << true << "server.test" << "WeakSignature" << 0 << false
                                     << "SHA-256" << "fatalTrustFailure";
}

void TestTrust::failures()
{
    QFETCH(QString, leaf);
    QFETCH(bool, withIntermediate);
    QFETCH(QString, host);
    QFETCH(QString, key);
    QFETCH(int, certIndex);
    QFETCH(bool, recoverable);
    QFETCH(QString, remedy);
    QFETCH(QString, result);
    QList<Certificate> presented;
    if (withIntermediate)
        presented.append(load(QStringLiteral("intermediate.pem")));
    const Evaluation evaluation = evaluate(load(leaf), presented, anchoredPolicy(host));
    QVERIFY(!evaluation.trusted);
    QCOMPARE(evaluation.result, result);
    const auto failure = std::find_if(evaluation.failures.cbegin(), evaluation.failures.cend(),
                                      [&](const CheckFailure &f) { return f.key == key; });
    QVERIFY2(failure != evaluation.failures.cend(), qPrintable(toText(evaluation)));
    QCOMPARE(failure->certIndex, certIndex);
    QCOMPARE(failure->recoverable, recoverable);
    QVERIFY2(failure->remedy.contains(remedy), qPrintable(failure->remedy));
    QVERIFY(!failure->explanation.isEmpty());
    // Nothing else is wrong with these chains.
    QCOMPARE(evaluation.failures.size(), 1);
}

void TestTrust::everyFailureIsReported()
{
    // Expired and for another host and missing its intermediate: three failures, not one.
    const Evaluation evaluation =
        evaluate(load(QStringLiteral("expired.pem")), {}, anchoredPolicy(QStringLiteral("other.test")));
    QStringList keys;
    for (const CheckFailure &failure : evaluation.failures)
        keys.append(failure.key);
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("MissingIntermediate"), QStringLiteral("SSLHostname"),
                                QStringLiteral("TemporalValidity")}));
}

void TestTrust::unusableHostNamesFailClosed_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("reason");
    // Each starts with the leaf's own name where it can: skipping the check would trust the chain.
    QTest::newRow("embedded NUL") << QStringLiteral("server.test") + QChar(0) + QStringLiteral(".evil.example")
                                  << "NUL character";
    QTest::newRow("IPv6 zone id") << "fe80::1%eth0" << "zone id";
    QTest::newRow("300-character label") << QString(300, QLatin1Char('a')) + QStringLiteral(".server.test")
                                         << "at most";
    QTest::newRow("wildcard *.com") << "*.com" << "wildcard pattern";
    QTest::newRow("wildcard of the leaf's own name") << "*.test" << "wildcard pattern";
    QTest::newRow("control character") << "server.test\n" << "control character";
    QTest::newRow("empty label") << "server..test" << "empty label";
    QTest::newRow("bad IPv4") << "192.0.2.300" << "IPv4";
    QTest::newRow("bad IPv6") << "2001:db8::g" << "IPv6";
    QTest::newRow("bracketed IPv6") << "[::1]" << "without brackets";
}

void TestTrust::unusableHostNamesFailClosed()
{
    QFETCH(QString, host);
    QFETCH(QString, reason);
    const Evaluation evaluation =
        evaluate(load(QStringLiteral("leaf.pem")), {load(QStringLiteral("intermediate.pem"))}, anchoredPolicy(host));
    QVERIFY2(!evaluation.trusted, qPrintable(toText(evaluation)));
    QCOMPARE(evaluation.result, QStringLiteral("fatalTrustFailure"));
    const auto failure = std::find_if(evaluation.failures.cbegin(), evaluation.failures.cend(),
                                      [](const CheckFailure &f) { return f.key == QLatin1String("SSLHostname"); });
    QVERIFY2(failure != evaluation.failures.cend(), qPrintable(toText(evaluation)));
    QVERIFY(!failure->recoverable);
    QVERIFY2(failure->explanation.contains(QLatin1String("cannot be checked")), qPrintable(failure->explanation));
    QVERIFY2(failure->explanation.contains(reason), qPrintable(failure->explanation));
    QVERIFY2(!failure->explanation.contains(QChar(0)), "the message must not carry the NUL itself");
}

void TestTrust::usableHostNamesAreChecked_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("trusted");
    QTest::newRow("exact") << "server.test" << true;
    QTest::newRow("upper case") << "SERVER.Test" << true;
    QTest::newRow("absolute name") << "server.test." << true;
    QTest::newRow("other name") << "other.test" << false;
    QTest::newRow("IP literal") << "192.0.2.1" << false;
}

void TestTrust::usableHostNamesAreChecked()
{
    QFETCH(QString, host);
    QFETCH(bool, trusted);
    const Evaluation evaluation =
        evaluate(load(QStringLiteral("leaf.pem")), {load(QStringLiteral("intermediate.pem"))}, anchoredPolicy(host));
    QVERIFY2(evaluation.trusted == trusted, qPrintable(toText(evaluation)));
    if (!trusted)
        QCOMPARE(evaluation.result, QStringLiteral("recoverableTrustFailure"));
}

void TestTrust::backtracksPastAnExpiredAlternative()
{
    // A second intermediate with the same name and key, but expired (an old cross-sign).
    // Offered first, it must be passed over for the valid one.
    QVERIFY(m_pki.openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"),
                           QStringLiteral("intermediate.key"), QStringLiteral("-subj"),
                           QStringLiteral("/O=Trustscope Tests/CN=Test Intermediate CA"), QStringLiteral("-out"),
                           QStringLiteral("old.csr")}));
    QVERIFY(m_pki.write(QStringLiteral("ca-ext.cnf"), "[ext]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,"
                                                      "keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n"));
    QVERIFY(m_pki.openssl(
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("old.csr"),
         QStringLiteral("-CA"), QStringLiteral("root.pem"), QStringLiteral("-CAkey"), QStringLiteral("root.key"),
         QStringLiteral("-extfile"), QStringLiteral("ca-ext.cnf"), QStringLiteral("-extensions"), QStringLiteral("ext"),
         QStringLiteral("-not_before"), QStringLiteral("20190101000000Z"), QStringLiteral("-not_after"),
         QStringLiteral("20200101000000Z"), QStringLiteral("-out"), QStringLiteral("old-intermediate.pem")}));
    const Evaluation evaluation = evaluate(
        load(QStringLiteral("leaf.pem")),
        {load(QStringLiteral("old-intermediate.pem")), load(QStringLiteral("intermediate.pem"))}, anchoredPolicy());
    QVERIFY2(evaluation.trusted, qPrintable(toText(evaluation)));
    QCOMPARE(evaluation.path.at(1).certificate.der, load(QStringLiteral("intermediate.pem")).der);
}

void TestTrust::missingIntermediateFetchedFromAia()
{
    // A real HTTP server serves the intermediate where the leaf's AIA points.
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("intermediate.pem"),
                           QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                           QStringLiteral("intermediate.der")}));
    const quint16 port = trustscope::test::freePort();
    QVERIFY(m_pki.issue(
        QStringLiteral("aia-live"), QStringLiteral("/CN=server.test"),
        {QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("extendedKeyUsage=serverAuth"),
         QStringLiteral("subjectAltName=DNS:server.test"), QStringLiteral("authorityKeyIdentifier=keyid"),
         QStringLiteral("authorityInfoAccess=caIssuers;URI:http://127.0.0.1:%1/intermediate.der").arg(port)},
        QStringLiteral("intermediate")));
    auto http = trustscope::test::startHttpServer(m_pki.path({}), port);
    QVERIFY(http->isRunning());
    Policy policy = anchoredPolicy();
    policy.fetchMissingIntermediates = true;
    const Evaluation evaluation = evaluate(load(QStringLiteral("aia-live.pem")), {}, policy);
    // The same download through a real proxy, which logs what it forwarded.
    const QString proxyLog = m_pki.path(QStringLiteral("aia-proxy.log"));
    trustscope::test::ScriptedPeer proxy(QStringLiteral("forwarding-proxy"), {proxyLog});
    QVERIFY(proxy.isRunning());
    Policy proxied = policy;
    proxied.proxy = QStringLiteral("http://") + proxy.target();
    const Evaluation viaProxy = evaluate(load(QStringLiteral("aia-live.pem")), {}, proxied);
    QVERIFY2(viaProxy.trusted, qPrintable(toText(viaProxy)));
    QVERIFY2(viaProxy.network.first().contains(QStringLiteral("via proxy ") + proxy.target()),
             qPrintable(viaProxy.network.first()));
    QCOMPARE(m_pki.read(QStringLiteral("aia-proxy.log")),
             QStringLiteral("GET http://127.0.0.1:%1/intermediate.der HTTP/1.0\n").arg(port).toLatin1());
    http->stop();
    QVERIFY2(evaluation.trusted, qPrintable(toText(evaluation)));
    QCOMPARE(evaluation.path.at(1).source, QStringLiteral("aia"));
    QCOMPARE(evaluation.network.size(), 1);
    QVERIFY2(evaluation.network.first().contains(QStringLiteral("→ 200")), qPrintable(evaluation.network.first()));

    // With AIA off, the same leaf is missing its intermediate.
    policy.fetchMissingIntermediates = false;
    const Evaluation offline = evaluate(load(QStringLiteral("aia-live.pem")), {}, policy);
    QVERIFY(!offline.trusted);
    QCOMPARE(offline.failures.first().key, QStringLiteral("MissingIntermediate"));
    QVERIFY(offline.failures.first().remedy.contains(QStringLiteral("http://127.0.0.1:%1/intermediate.der").arg(port)));
    QVERIFY(offline.network.isEmpty());
}

void TestTrust::pins()
{
    Policy policy = anchoredPolicy();
    const Certificate intermediate = load(QStringLiteral("intermediate.pem"));
    policy.pins = {intermediate.publicKey.spkiSha256Base64}; // a CA pin
    QVERIFY(evaluate(load(QStringLiteral("leaf.pem")), {intermediate}, policy).trusted);
    policy.pins = {QString::fromLatin1(QByteArray(32, 'x').toBase64())};
    const Evaluation pinned = evaluate(load(QStringLiteral("leaf.pem")), {intermediate}, policy);
    QVERIFY(!pinned.trusted);
    QCOMPARE(pinned.failures.first().key, QStringLiteral("LeafSPKISHA256"));
}

void TestTrust::cliContract()
{
    QVERIFY(m_pki.write(QStringLiteral("served.pem"),
                        m_pki.read(QStringLiteral("leaf.pem")) + m_pki.read(QStringLiteral("intermediate.pem"))));
    QProcess cli;
    const QStringList common{QStringLiteral("verify"),         m_pki.path(QStringLiteral("served.pem")),
                             QStringLiteral("--anchor"),       m_pki.path(QStringLiteral("root.pem")),
                             QStringLiteral("--anchors-only"), QStringLiteral("--no-aia"),
                             QStringLiteral("--json")};
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              common + QStringList{QStringLiteral("--host"), QStringLiteral("server.test")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    for (const char *key : {"result", "trusted", "path", "failures", "network", "validUntil"})
        QVERIFY2(json.contains(QLatin1String(key)), key);
    QVERIFY(json[QStringLiteral("trusted")].toBool());
    const QJsonObject anchor = json[QStringLiteral("path")].toArray().at(2).toObject();
    for (const char *key : {"index", "subject", "sha256", "role", "source"})
        QVERIFY2(anchor.contains(QLatin1String(key)), key);
    QCOMPARE(anchor[QStringLiteral("role")].toString(), QStringLiteral("anchor"));

    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              common + QStringList{QStringLiteral("--host"), QStringLiteral("other.test")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 1);
    json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    const QJsonObject failure = json[QStringLiteral("failures")].toArray().first().toObject();
    for (const char *key : {"certIndex", "key", "recoverable", "explanation", "remedy", "opensslError"})
        QVERIFY2(failure.contains(QLatin1String(key)), key);
    QCOMPARE(failure[QStringLiteral("key")].toString(), QStringLiteral("SSLHostname"));
    QCOMPARE(json[QStringLiteral("result")].toString(), QStringLiteral("recoverableTrustFailure"));

    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("verify"), m_pki.path(QStringLiteral("no-such-file.pem"))});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 2);
}

QTEST_GUILESS_MAIN(TestTrust)
void TestTrust::enumNamesRoundTrip()
{
    // Every row of each table parses back to its value; names outside the table are refused.
    for (const auto &row : trust::policyKindTable)
        QVERIFY(trust::policyKindFromName(trust::policyKindName(row.value)) == row.value);
    for (const auto &row : trust::revocationModeTable)
        QVERIFY(trust::revocationModeFromName(trust::revocationModeName(row.value)) == row.value);
    for (const auto &row : objectTypeTable)
        QVERIFY(enumFromName(objectTypeTable, objectTypeName(row.value)) == row.value);
    QCOMPARE(trust::policyKindName(trust::PolicyKind::SslClient), QStringLiteral("ssl-client"));
    QCOMPARE(trust::revocationModeName(trust::RevocationMode::Both), QStringLiteral("both"));
    QCOMPARE(objectTypeName(ObjectType::OcspResponse), QStringLiteral("ocspResponse"));
    QVERIFY(!trust::policyKindFromName(QStringLiteral("SSL-SERVER")));
    QVERIFY(!trust::revocationModeFromName(QString()));
    QCOMPARE(enumChoices(trust::revocationModeTable), QStringLiteral("none, ocsp, crl or both"));
    // The usage error lists the table's names.
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("verify"), QStringLiteral("--policy"),
                                               QStringLiteral("smtp"), m_pki.path(QStringLiteral("leaf.pem"))});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 2);
    QVERIFY2(cli.readAllStandardError().contains("ssl-server, ssl-client or basic"), "the choices are listed");
}

#include "tst_trust.moc"
