// Apple diagnostics: the codes iOS / macOS would report for real failing chains and servers,
// `explain` on real log lines, ATS diagnostics against real openssl s_server configurations.

#include "Pki.h"
#include "Servers.h"

#include "apple/AppleDiagnosis.h"
#include "apple/Ats.h"
#include "inspect/Inspection.h"
#include "tls/TlsAlerts.h"
#include "trust/TrustEvaluation.h"
#include "x509/Document.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace trustscope::core;
using trustscope::test::OpenSslServer;
using trustscope::test::Pki;

class TestApple : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void explainsLogLines_data();
    void explainsLogLines();
    void explainFindsNothingInPlainText();
    void classifiesAddressInput_data();
    void classifiesAddressInput();
    void evaluationFailures_data();
    void evaluationFailures();
    void fetchFailures();
    void ats_data();
    void ats();
    void pinnedDomains();
    void cliContract();

private:
    Certificate load(const QString &name) const;
    trust::Policy anchored() const;
    QStringList serverArguments(const QString &leaf, const QStringList &extra = {}) const;
    Pki m_pki;
};

Certificate TestApple::load(const QString &name) const
{
    const auto certificates = loadCertificatesFile(m_pki.path(name));
    return certificates && !certificates->isEmpty() ? certificates->first() : Certificate{};
}

trust::Policy TestApple::anchored() const
{
    trust::Policy policy;
    policy.anchors = {load(QStringLiteral("root.pem"))};
    policy.anchorsOnly = true;
    policy.fetchMissingIntermediates = false;
    policy.hostName = QStringLiteral("server.test");
    return policy;
}

QStringList TestApple::serverArguments(const QString &leaf, const QStringList &extra) const
{
    return QStringList{QStringLiteral("-cert"),       leaf + QStringLiteral(".pem"),
                       QStringLiteral("-key"),        leaf + QStringLiteral(".key"),
                       QStringLiteral("-cert_chain"), QStringLiteral("intermediate.pem")} +
           extra;
}

void TestApple::initTestCase()
{
    QVERIFY(m_pki.makeChain(QStringLiteral("server.test")));
    const QStringList leafExtensions{QStringLiteral("basicConstraints=critical,CA:false"),
                                     QStringLiteral("keyUsage=critical,digitalSignature,keyEncipherment"),
                                     QStringLiteral("extendedKeyUsage=serverAuth"),
                                     QStringLiteral("subjectAltName=DNS:server.test,IP:127.0.0.1"),
                                     QStringLiteral("authorityKeyIdentifier=keyid")};
    QVERIFY(m_pki.issue(QStringLiteral("good"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate")));
    QVERIFY(m_pki.issue(QStringLiteral("rsa1024"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate"), QStringLiteral("rsa1024")));
    QVERIFY(m_pki.issue(QStringLiteral("rsa2048"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate"), QStringLiteral("rsa2048")));
    QVERIFY(m_pki.issue(QStringLiteral("sha1"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate"), QStringLiteral("ec"), {QStringLiteral("-sha1")}));
    QVERIFY(m_pki.issue(QStringLiteral("expired"), QStringLiteral("/CN=server.test"), leafExtensions,
                        QStringLiteral("intermediate"), QStringLiteral("ec"),
                        {QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"), QStringLiteral("-not_after"),
                         QStringLiteral("20210101000000Z")}));
    QVERIFY(m_pki.issue(QStringLiteral("self-signed"), QStringLiteral("/CN=server.test"),
                        {QStringLiteral("subjectAltName=DNS:server.test")}));
}

void TestApple::explainsLogLines_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("host");
    QTest::newRow("NSURLSession trust failure")
        << "Task <1>.<1> finished with error [-1202] Error Domain=NSURLErrorDomain Code=-1202 \"The certificate for "
           "this server is invalid.\" UserInfo={_kCFStreamErrorCodeKey=-9813, NSErrorFailingURLStringKey="
           "https://api.example.com/v1, _kCFStreamErrorDomainKey=3}"
        << QStringList{QStringLiteral("NSURLErrorServerCertificateUntrusted"), QStringLiteral("errSSLNoRootCert")}
        << "api.example.com";
    QTest::newRow("TIC pair") << "TIC SSL Trust Error [3:0x600002c0c0c0]: 3:-9807"
                              << QStringList{QStringLiteral("errSSLXCertChainInvalid")} << "";
    QTest::newRow("CFStream -9802 with host:port")
        << "CFNetwork SSLHandshake failed (-9802) connecting to legacy.example.org:8443"
        << QStringList{QStringLiteral("errSSLFatalAlert")} << "legacy.example.org";
    QTest::newRow("names and OSStatus")
        << "SecTrustEvaluateWithError: errSecHostNameMismatch (-67602), errSSLHostNameMismatch"
        << QStringList{QStringLiteral("errSecHostNameMismatch"), QStringLiteral("errSSLHostNameMismatch")} << "";
    QTest::newRow("OpenSSL alert")
        << "error:0A000410:SSL routines::ssl/tls alert handshake failure:ssl/record/rec_layer_s3.c:918:SSL alert "
           "number 40"
        << QStringList{QStringLiteral("handshake_failure")} << "";
    QTest::newRow("ATS") << "NSURLErrorDomain -1022 and errSSLATSCiphersuiteViolation"
                         << QStringList{QStringLiteral("NSURLErrorAppTransportSecurityRequiresSecureConnection"),
                                        QStringLiteral("errSSLATSCiphersuiteViolation")}
                         << "";
}

void TestApple::explainsLogLines()
{
    QFETCH(QString, line);
    QFETCH(QStringList, names);
    QFETCH(QString, host);
    const apple::Explanation explanation = apple::explain(line);
    QStringList found;
    for (const apple::CodeExplanation &code : explanation.codes) {
        found.append(code.name);
        QVERIFY2(!code.meaning.isEmpty() && !code.nextSteps.isEmpty(), qPrintable(code.name));
    }
    QCOMPARE(found, names);
    QCOMPARE(explanation.host, host);
}

void TestApple::explainFindsNothingInPlainText()
{
    QVERIFY(apple::explain(QStringLiteral("The build took 1234 seconds on 2026-11-23, version 1.2.3")).codes.isEmpty());
}

void TestApple::classifiesAddressInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::newRow("server") << "example.com:443" << int(inspect::InputKind::Server);
    QTest::newRow("url") << "https://example.com/path" << int(inspect::InputKind::Server);
    QTest::newRow("address") << "10.0.0.1" << int(inspect::InputKind::Server);
    QTest::newRow("nsurl") << "NSURLErrorDomain Code=-1202" << int(inspect::InputKind::ErrorMessage);
    QTest::newRow("tic") << "TIC SSL Trust Error [1:0x1]: 3:-9807" << int(inspect::InputKind::ErrorMessage);
    QTest::newRow("pem") << "-----BEGIN CERTIFICATE-----\nAAAA" << int(inspect::InputKind::PemText);
    QTest::newRow("file") << m_pki.path(QStringLiteral("root.pem")) << int(inspect::InputKind::File);
    // Not an error code and not parseable as one: fetched, so the user sees why it is no server.
    QTest::newRow("words") << "no such thing" << int(inspect::InputKind::Server);
}

void TestApple::classifiesAddressInput()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    const inspect::ClassifiedInput input = inspect::classifyInput(text);
    QCOMPARE(int(input.kind), kind);
    QCOMPARE(input.explanation.codes.isEmpty(), input.kind != inspect::InputKind::ErrorMessage);
}

void TestApple::evaluationFailures_data()
{
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("withIntermediate");
    QTest::addColumn<bool>("withRoot");
    QTest::addColumn<int>("osStatus");
    QTest::addColumn<int>("errSsl");
    QTest::addColumn<int>("nsurl");
    QTest::newRow("wrong host") << "good" << "other.test" << true << true << -67602 << -9843 << -1202;
    QTest::newRow("expired") << "expired" << "server.test" << true << true << -67818 << -9814 << -1202;
    QTest::newRow("missing intermediate") << "good" << "server.test" << false << true << -25318 << -9807 << -1202;
    QTest::newRow("untrusted root") << "self-signed" << "server.test" << false << false << -67843 << -9813 << -1202;
    QTest::newRow("1024-bit RSA") << "rsa1024" << "server.test" << true << true << -67735 << -9807 << -1202;
}

void TestApple::evaluationFailures()
{
    QFETCH(QString, leaf);
    QFETCH(QString, host);
    QFETCH(bool, withIntermediate);
    QFETCH(bool, withRoot);
    QFETCH(int, osStatus);
    QFETCH(int, errSsl);
    QFETCH(int, nsurl);
    trust::Policy policy = anchored();
    policy.hostName = host;
    if (!withRoot)
        policy.anchors.clear();
    QList<Certificate> presented;
    if (withIntermediate)
        presented.append(load(QStringLiteral("intermediate.pem")));
    const trust::Evaluation evaluation = trust::evaluate(load(leaf + QStringLiteral(".pem")), presented, policy);
    QVERIFY(!evaluation.trusted);
    const apple::AppleView view = apple::appleViewOf(evaluation);
    QVERIFY2(view.osStatus == osStatus, qPrintable(QString::number(view.osStatus) + view.osStatusName));
    QCOMPARE(view.errSsl, errSsl);
    QCOMPARE(view.nsurlError, nsurl);
    QVERIFY(view.likely);
    QVERIFY(!view.trustResult.isEmpty());
    QVERIFY(view.logLine().startsWith(QStringLiteral("NSURLErrorDomain %1").arg(nsurl)));
    // A trusted chain has nothing to report.
    const trust::Evaluation good =
        trust::evaluate(load(QStringLiteral("good.pem")), {load(QStringLiteral("intermediate.pem"))}, anchored());
    QVERIFY(good.trusted);
    QVERIFY(!apple::appleViewOf(good).isFailure());
    QCOMPARE(apple::appleViewOf(good).trustResult, QStringLiteral("kSecTrustResultUnspecified"));
}

void TestApple::fetchFailures()
{
    // A server that requires a client certificate rejects us with an alert: errSSLPeer… and -1200.
    OpenSslServer server(m_pki.path({}),
                         serverArguments(QStringLiteral("good"),
                                         {QStringLiteral("-Verify"), QStringLiteral("1"), QStringLiteral("-tls1_2")}));
    QVERIFY(server.isRunning());
    tls::FetchOptions options;
    QVERIFY(!tls::parseTarget(server.target(), options));
    const tls::FetchResult result = tls::fetchChain(options);
    QVERIFY(!result.ok());
    QVERIFY(result.alert);
    const apple::AppleView view = apple::appleViewOf(result);
    QCOMPARE(view.errSsl, tls::tlsAlert(result.alert->code)->errSslValue);
    QCOMPARE(view.nsurlError, -1200);
    // Nothing listening: NSURLErrorCannotConnectToHost.
    tls::FetchOptions refused;
    QVERIFY(!tls::parseTarget(QStringLiteral("127.0.0.1:%1").arg(trustscope::test::freePort()), refused));
    QCOMPARE(apple::appleViewOf(tls::fetchChain(refused)).nsurlError, -1004);
}

void TestApple::ats_data()
{
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<QStringList>("serverOptions");
    QTest::addColumn<bool>("defaultPasses");
    QTest::addColumn<QString>("failingCheck");
    QTest::addColumn<QString>("passingConfiguration");
    QTest::newRow("modern") << "good" << QStringList{} << true << QString() << "ATS default";
    QTest::newRow("TLS 1.0 only") << "good"
                                  << QStringList{QStringLiteral("-tls1"), QStringLiteral("-cipher"),
                                                 QStringLiteral("ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0")}
                                  << false << "TLS 1.2 or later" << "NSExceptionMinimumTLSVersion TLSv1.0";
    QTest::newRow("no forward secrecy") << "rsa2048"
                                        << QStringList{QStringLiteral("-no_tls1_3"), QStringLiteral("-cipher"),
                                                       QStringLiteral("AES128-SHA")}
                                        << false << "Forward secrecy" << "NSExceptionRequiresForwardSecrecy NO";
    QTest::newRow("1024-bit RSA") << "rsa1024"
                                  << QStringList{QStringLiteral("-cipher"), QStringLiteral("ALL:@SECLEVEL=0")} << false
                                  << "Key size (RSA 2048, EC 256)" << QString();
    QTest::newRow("SHA-1 leaf") << "sha1" << QStringList{QStringLiteral("-cipher"), QStringLiteral("ALL:@SECLEVEL=0")}
                                << false << "Signature hash SHA-256 or better" << QString();
    QTest::newRow("expired") << "expired" << QStringList{} << false << "Trusted chain" << QString();
}

void TestApple::ats()
{
    QFETCH(QString, leaf);
    QFETCH(QStringList, serverOptions);
    QFETCH(bool, defaultPasses);
    QFETCH(QString, failingCheck);
    QFETCH(QString, passingConfiguration);
    OpenSslServer server(m_pki.path({}), serverArguments(leaf, serverOptions));
    QVERIFY(server.isRunning());
    tls::FetchOptions options;
    QVERIFY(!tls::parseTarget(server.target(), options));
    options.sni = QStringLiteral("server.test");
    inspect::TrustSettings settings;
    settings.policy = anchored();
    // The certificates name 127.0.0.1 too, so the host check passes for the loopback target.
    const apple::AtsReport report = apple::diagnoseAts(options, settings);
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.defaultPasses(), defaultPasses);
    for (const apple::AtsCheck &check : report.checks)
        if (check.name == failingCheck)
            QVERIFY2(!check.passed, qPrintable(apple::toText(report)));
        else if (check.name != QLatin1String("Trusted chain") || failingCheck.isEmpty())
            QVERIFY2(check.passed || check.name == QLatin1String("Trusted chain") ||
                         (failingCheck == QLatin1String("TLS 1.2 or later") &&
                          check.name == QLatin1String("Forward secrecy")),
                     qPrintable(check.name + QStringLiteral(": ") + check.detail));
    if (!passingConfiguration.isEmpty()) {
        const auto found = std::find_if(
            report.configurations.cbegin(), report.configurations.cend(),
            [&](const apple::AtsConfiguration &configuration) { return configuration.name == passingConfiguration; });
        QVERIFY(found != report.configurations.cend());
        QVERIFY2(found->passed, qPrintable(apple::toText(report)));
    }
    if (!defaultPasses && !passingConfiguration.isEmpty()) {
        // The exception that would load it is offered, with the advice to fix the server.
        QVERIFY2(report.exceptionPlist.contains(QLatin1String("NSExceptionDomains")),
                 qPrintable(apple::toText(report)));
        QVERIFY(report.exceptionPlist.contains(QLatin1String("fix the server")));
    } else {
        QVERIFY(report.exceptionPlist.isEmpty());
    }
}

void TestApple::pinnedDomains()
{
    const QList<Certificate> chain{load(QStringLiteral("good.pem")), load(QStringLiteral("intermediate.pem"))};
    const QString xml = apple::pinnedDomainsPlist(QStringLiteral("server.test"), chain, true);
    // A real plist parser must read it, with the leaf and CA keys where Apple looks for them.
    QProcess python;
    python.start(
        QStringLiteral("python3"),
        {QStringLiteral("-c"), QStringLiteral("import plistlib,sys,json; d=plistlib.loads(sys.stdin.buffer.read()); "
                                              "e=d['NSAppTransportSecurity']['NSPinnedDomains']['server.test']; "
                                              "print(json.dumps([e['NSIncludesSubdomains'], "
                                              "e['NSPinnedLeafIdentities'][0]['SPKI-SHA256-BASE64'], "
                                              "e['NSPinnedCAIdentities'][0]['SPKI-SHA256-BASE64']]))")});
    python.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n" + xml.toUtf8() +
                 "</dict>\n</plist>\n");
    python.closeWriteChannel();
    QVERIFY(python.waitForFinished(10000));
    const QJsonArray parsed = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
    QVERIFY2(parsed.size() == 3, python.readAllStandardError().constData());
    QCOMPARE(parsed.at(0).toBool(), true);
    QCOMPARE(parsed.at(1).toString(), chain.at(0).publicKey.spkiSha256Base64);
    QCOMPARE(parsed.at(2).toString(), chain.at(1).publicKey.spkiSha256Base64);
}

void TestApple::cliContract()
{
    const auto run = [](const QStringList &arguments) {
        QProcess cli;
        cli.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
        cli.waitForFinished(60000);
        return std::pair{cli.exitCode(), cli.readAllStandardOutput()};
    };
    // verify --json carries the apple block.
    QVERIFY(m_pki.write(QStringLiteral("served.pem"),
                        m_pki.read(QStringLiteral("good.pem")) + m_pki.read(QStringLiteral("intermediate.pem"))));
    auto [verifyExit, verifyOutput] =
        run({QStringLiteral("verify"), m_pki.path(QStringLiteral("served.pem")), QStringLiteral("--anchor"),
             m_pki.path(QStringLiteral("root.pem")), QStringLiteral("--anchors-only"), QStringLiteral("--no-aia"),
             QStringLiteral("--host"), QStringLiteral("wrong.test"), QStringLiteral("--json")});
    QCOMPARE(verifyExit, 1);
    const QJsonObject appleBlock =
        QJsonDocument::fromJson(verifyOutput).object().value(QStringLiteral("apple")).toObject();
    for (const char *field : {"osStatus", "osStatusName", "nsurlError", "nsurlErrorName", "likely"})
        QVERIFY2(appleBlock.contains(QLatin1String(field)), field);
    QCOMPARE(appleBlock.value(QStringLiteral("nsurlError")).toInt(), -1202);
    QCOMPARE(appleBlock.value(QStringLiteral("osStatusName")).toString(), QStringLiteral("errSecHostNameMismatch"));

    auto [explainExit, explainOutput] = run({QStringLiteral("explain"), QStringLiteral("--json"),
                                             QStringLiteral("kCFStreamErrorDomainSSL, -9802 for https://x.test/")});
    QCOMPARE(explainExit, 0);
    const QJsonObject explained = QJsonDocument::fromJson(explainOutput).object();
    QCOMPARE(
        explained.value(QStringLiteral("codes")).toArray().first().toObject().value(QStringLiteral("code")).toInt(),
        -9802);
    QCOMPARE(explained.value(QStringLiteral("host")).toString(), QStringLiteral("x.test"));
    QCOMPARE(run({QStringLiteral("explain"), QStringLiteral("nothing here")}).first, 1);

    OpenSslServer server(m_pki.path({}), serverArguments(QStringLiteral("good")));
    QVERIFY(server.isRunning());
    auto [atsExit, atsOutput] = run({QStringLiteral("ats"), server.target(), QStringLiteral("--anchor"),
                                     m_pki.path(QStringLiteral("root.pem")), QStringLiteral("--json")});
    QCOMPARE(atsExit, 0);
    const QJsonObject ats = QJsonDocument::fromJson(atsOutput).object();
    QCOMPARE(ats.value(QStringLiteral("atsDefault")).toString(), QStringLiteral("PASS"));
    QVERIFY(ats.value(QStringLiteral("versions")).toArray().contains(QStringLiteral("TLSv1.3")));

    auto [pinsExit, pinsOutput] =
        run({QStringLiteral("pins"), server.target(), QStringLiteral("--host"), QStringLiteral("server.test")});
    QCOMPARE(pinsExit, 0);
    QVERIFY(pinsOutput.contains(load(QStringLiteral("good.pem")).publicKey.spkiSha256Base64.toLatin1()));
}

QTEST_GUILESS_MAIN(TestApple)
#include "tst_apple.moc"
