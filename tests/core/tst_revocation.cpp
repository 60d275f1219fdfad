// Revocation with real components: a CA hierarchy made by openssl, a real OCSP responder
// (`openssl ocsp -port`), CRLs made by `openssl ca -gencrl` served over real HTTP, stapled
// responses made by `openssl ocsp -respout`, and a real `openssl s_server` that staples.

#include "Pki.h"
#include "Servers.h"

#include "trust/TrustEvaluation.h"
#include "trust/TrustReport.h"
#include "x509/Document.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace trustscope::core;
using namespace trustscope::core::trust;
using trustscope::test::ListeningProcess;
using trustscope::test::Pki;

class TestRevocation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void ocsp();
    void crl();
    void downloadedCrlOutOfScope();
    void bothSources();
    void stapledResponse();
    void softFailAndRequire();
    void forgedAndForeignResponses();
    void answersAreCached();
    void cliContract();
    void stapleFromALiveServer();
    void downloadsGoThroughTheProxy();

private:
    void startResponder();
    Certificate load(const QString &name) const;
    Policy policy(RevocationMode mode) const;
    bool makeStaple(const QString &leaf, const QString &output, const QString &signer = QStringLiteral("ca")) const;
    static const RevocationCheck *find(const Evaluation &evaluation, int certIndex, const QString &source);

    Pki m_pki;
    quint16 m_httpPort = 0;
    quint16 m_ocspPort = 0;
    quint16 m_deadPort = 0;
    std::unique_ptr<ListeningProcess> m_http;
    std::unique_ptr<ListeningProcess> m_ocsp;
};

Certificate TestRevocation::load(const QString &name) const
{
    const auto document = loadDocumentFile(m_pki.path(name));
    if (!document || document->objects.isEmpty() || !document->objects.first().as<Certificate>())
        return {};
    return *document->objects.first().as<Certificate>();
}

Policy TestRevocation::policy(RevocationMode mode) const
{
    Policy result;
    result.anchors = {load(QStringLiteral("root.pem"))};
    result.anchorsOnly = true;
    result.fetchMissingIntermediates = false;
    result.hostName = QStringLiteral("server.test");
    result.revocation = mode;
    result.httpTimeoutMs = 3000;
    return result;
}

bool TestRevocation::makeStaple(const QString &leaf, const QString &output, const QString &signer) const
{
    const QString request = output + QStringLiteral(".req");
    return m_pki.openssl({QStringLiteral("ocsp"), QStringLiteral("-issuer"), QStringLiteral("ca.pem"),
                          QStringLiteral("-cert"), leaf + QStringLiteral(".pem"), QStringLiteral("-no_nonce"),
                          QStringLiteral("-reqout"), request}) &&
           m_pki.openssl({QStringLiteral("ocsp"), QStringLiteral("-index"), QStringLiteral("ca-index.txt"),
                          QStringLiteral("-CA"), QStringLiteral("ca.pem"), QStringLiteral("-rsigner"),
                          signer + QStringLiteral(".pem"), QStringLiteral("-rkey"), signer + QStringLiteral(".key"),
                          QStringLiteral("-reqin"), request, QStringLiteral("-respout"), output,
                          QStringLiteral("-ndays"), QStringLiteral("1")});
}

const RevocationCheck *TestRevocation::find(const Evaluation &evaluation, int certIndex, const QString &source)
{
    for (const RevocationCheck &check : evaluation.revocation)
        if (check.certIndex == certIndex && check.source == source)
            return &check;
    return nullptr;
}

void TestRevocation::initTestCase()
{
    m_httpPort = trustscope::test::freePort();
    m_ocspPort = trustscope::test::freePort();
    m_deadPort = trustscope::test::freePort(); // nothing listens here
    const QString crlBase = QStringLiteral("http://127.0.0.1:%1/").arg(m_httpPort);
    const QString ocspUrl = QStringLiteral("http://127.0.0.1:%1/").arg(m_ocspPort);

    // root → ca (CRL at the root's distribution point) → leaves with OCSP and CRL URLs.
    QVERIFY(m_pki.issue(QStringLiteral("root"), QStringLiteral("/O=Trustscope Tests/CN=Revocation Root"),
                        {QStringLiteral("basicConstraints=critical,CA:true"),
                         QStringLiteral("keyUsage=critical,keyCertSign,cRLSign"),
                         QStringLiteral("subjectKeyIdentifier=hash")}));
    QVERIFY(m_pki.issue(QStringLiteral("ca"), QStringLiteral("/O=Trustscope Tests/CN=Revocation Issuing CA"),
                        {QStringLiteral("basicConstraints=critical,CA:true,pathlen:0"),
                         QStringLiteral("keyUsage=critical,keyCertSign,cRLSign"),
                         QStringLiteral("subjectKeyIdentifier=hash"), QStringLiteral("authorityKeyIdentifier=keyid"),
                         QStringLiteral("crlDistributionPoints=URI:%1root.crl").arg(crlBase)},
                        QStringLiteral("root")));
    const auto leafExtensions = [&](const QString &ocsp, const QString &crl) {
        return QStringList{QStringLiteral("basicConstraints=critical,CA:false"),
                           QStringLiteral("keyUsage=critical,digitalSignature"),
                           QStringLiteral("extendedKeyUsage=serverAuth"),
                           QStringLiteral("subjectAltName=DNS:server.test"),
                           QStringLiteral("authorityKeyIdentifier=keyid"),
                           QStringLiteral("authorityInfoAccess=OCSP;URI:%1").arg(ocsp),
                           QStringLiteral("crlDistributionPoints=URI:%1").arg(crl)};
    };
    const QStringList live = leafExtensions(ocspUrl, crlBase + QStringLiteral("ca.crl"));
    QVERIFY(m_pki.issue(QStringLiteral("good"), QStringLiteral("/CN=server.test"), live, QStringLiteral("ca")));
    QVERIFY(m_pki.issue(QStringLiteral("revoked"), QStringLiteral("/CN=server.test"), live, QStringLiteral("ca")));
    QVERIFY(m_pki.issue(QStringLiteral("unreachable"), QStringLiteral("/CN=server.test"),
                        leafExtensions(QStringLiteral("http://127.0.0.1:%1/").arg(m_deadPort),
                                       QStringLiteral("http://127.0.0.1:%1/ca.crl").arg(m_deadPort)),
                        QStringLiteral("ca")));
    // A delegated responder without the ocspSigning EKU must not be believed.
    QVERIFY(m_pki.issue(
        QStringLiteral("not-a-responder"), QStringLiteral("/CN=Not An OCSP Responder"),
        {QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("keyUsage=critical,digitalSignature")},
        QStringLiteral("ca")));

    // The CAs' databases, as `openssl ca` and `openssl ocsp -index` read them.
    const QString good = m_pki.serialOf(QStringLiteral("good"));
    const QString revoked = m_pki.serialOf(QStringLiteral("revoked"));
    const QString unreachable = m_pki.serialOf(QStringLiteral("unreachable"));
    QVERIFY(!good.isEmpty() && !revoked.isEmpty());
    QVERIFY(m_pki.write(QStringLiteral("ca-index.txt"),
                        // The subject column is informational; distinct, as openssl insists.
                        QStringLiteral("V\t301231235959Z\t\t%1\tunknown\t/CN=good\n"
                                       "R\t301231235959Z\t260102030405Z,keyCompromise\t%2\tunknown\t/CN=revoked\n"
                                       "V\t301231235959Z\t\t%3\tunknown\t/CN=unreachable\n")
                            .arg(good, revoked, unreachable)
                            .toLatin1()));
    QVERIFY(m_pki.write(QStringLiteral("root-index.txt"), QByteArray()));
    for (const QString &ca : {QStringLiteral("ca"), QStringLiteral("root")}) {
        QVERIFY(m_pki.write(ca + QStringLiteral("-db.cnf"),
                            QStringLiteral("[ca]\ndefault_ca=d\n[d]\ndatabase=%1-index.txt\ncrlnumber=%1-crlnumber\n"
                                           "default_md=sha256\ndefault_crl_days=7\n")
                                .arg(ca)
                                .toLatin1()));
        QVERIFY(m_pki.write(ca + QStringLiteral("-crlnumber"), "01\n"));
        QVERIFY(m_pki.openssl({QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                               ca + QStringLiteral("-db.cnf"), QStringLiteral("-keyfile"), ca + QStringLiteral(".key"),
                               QStringLiteral("-cert"), ca + QStringLiteral(".pem"), QStringLiteral("-out"),
                               ca + QStringLiteral("-crl.pem")}));
        QVERIFY(m_pki.openssl({QStringLiteral("crl"), QStringLiteral("-in"), ca + QStringLiteral("-crl.pem"),
                               QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                               ca + QStringLiteral(".crl")}));
    }
    QVERIFY(makeStaple(QStringLiteral("good"), QStringLiteral("good.staple")));
    QVERIFY(makeStaple(QStringLiteral("revoked"), QStringLiteral("revoked.staple")));
    QVERIFY(makeStaple(QStringLiteral("good"), QStringLiteral("forged.staple"), QStringLiteral("not-a-responder")));

    m_http = trustscope::test::startHttpServer(m_pki.path({}), m_httpPort);
    QVERIFY(m_http->isRunning());
    startResponder();
    QVERIFY(m_ocsp->isRunning());
}

void TestRevocation::startResponder()
{
    m_ocsp = std::make_unique<ListeningProcess>(
        QStringLiteral(TRUSTSCOPE_OPENSSL),
        QStringList{QStringLiteral("ocsp"), QStringLiteral("-index"), QStringLiteral("ca-index.txt"),
                    QStringLiteral("-port"), QString::number(m_ocspPort), QStringLiteral("-CA"),
                    QStringLiteral("ca.pem"), QStringLiteral("-rsigner"), QStringLiteral("ca.pem"),
                    QStringLiteral("-rkey"), QStringLiteral("ca.key"), QStringLiteral("-ndays"), QStringLiteral("1")},
        m_ocspPort, m_pki.path({}), "waiting for OCSP client connections");
}

void TestRevocation::init()
{
    clearRevocationCache(); // every test asks the real servers
}

void TestRevocation::ocsp()
{
    const Certificate ca = load(QStringLiteral("ca.pem"));
    const Evaluation good = evaluate(load(QStringLiteral("good.pem")), {ca}, policy(RevocationMode::Ocsp));
    QVERIFY2(good.trusted, qPrintable(toText(good)));
    const RevocationCheck *leafCheck = find(good, 0, QStringLiteral("ocsp"));
    QVERIFY(leafCheck);
    QVERIFY2(leafCheck->status == QLatin1String("good"), qPrintable(toText(good)));
    QCOMPARE(leafCheck->url, QStringLiteral("http://127.0.0.1:%1/").arg(m_ocspPort));
    QVERIFY(leafCheck->thisUpdate.isValid() && leafCheck->nextUpdate.isValid());
    // The issuing CA names no responder: no answer, which is not a failure unless required.
    QCOMPARE(find(good, 1, QStringLiteral("ocsp"))->status, QStringLiteral("unavailable"));
    QVERIFY(std::any_of(good.network.cbegin(), good.network.cend(),
                        [](const QString &line) { return line.startsWith(QLatin1String("OCSP ")); }));

    const Evaluation revoked = evaluate(load(QStringLiteral("revoked.pem")), {ca}, policy(RevocationMode::Ocsp));
    QVERIFY(!revoked.trusted);
    QCOMPARE(revoked.result, QStringLiteral("fatalTrustFailure"));
    QCOMPARE(revoked.failures.size(), 1);
    const CheckFailure &failure = revoked.failures.first();
    QCOMPARE(failure.key, QStringLiteral("Revocation"));
    QCOMPARE(failure.certIndex, 0);
    QVERIFY(!failure.recoverable);
    QVERIFY2(failure.explanation.contains(QStringLiteral("2026-01-02T03:04:05")), qPrintable(failure.explanation));
    QVERIFY(failure.explanation.contains(QStringLiteral("keyCompromise")));
    QCOMPARE(failure.opensslError, QStringLiteral("certificate revoked"));
    QCOMPARE(find(revoked, 0, QStringLiteral("ocsp"))->reason, QStringLiteral("keyCompromise"));

    // Revocation off: the same revoked leaf passes, and nothing is asked.
    const Evaluation unchecked = evaluate(load(QStringLiteral("revoked.pem")), {ca}, policy(RevocationMode::None));
    QVERIFY(unchecked.trusted);
    QVERIFY(unchecked.revocation.isEmpty());
    QVERIFY(unchecked.network.isEmpty());
}

void TestRevocation::crl()
{
    const Certificate ca = load(QStringLiteral("ca.pem"));
    const Evaluation good = evaluate(load(QStringLiteral("good.pem")), {ca}, policy(RevocationMode::Crl));
    QVERIFY2(good.trusted, qPrintable(toText(good)));
    // The leaf against the issuing CA's CRL, and the issuing CA against the root's.
    QCOMPARE(find(good, 0, QStringLiteral("crl"))->status, QStringLiteral("good"));
    QCOMPARE(find(good, 1, QStringLiteral("crl"))->status, QStringLiteral("good"));
    QCOMPARE(find(good, 1, QStringLiteral("crl"))->url, QStringLiteral("http://127.0.0.1:%1/root.crl").arg(m_httpPort));
    QVERIFY(!find(good, 2, QStringLiteral("crl"))); // the anchor is not checked

    const Evaluation revoked = evaluate(load(QStringLiteral("revoked.pem")), {ca}, policy(RevocationMode::Crl));
    QVERIFY(!revoked.trusted);
    QCOMPARE(revoked.failures.first().key, QStringLiteral("Revocation"));
    QVERIFY(revoked.failures.first().explanation.contains(QStringLiteral("the CRL at http://127.0.0.1")));
    const RevocationCheck *check = find(revoked, 0, QStringLiteral("crl"));
    QCOMPARE(check->status, QStringLiteral("revoked"));
    QCOMPARE(check->reason, QStringLiteral("keyCompromise"));
    QCOMPARE(check->revokedAt, QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::UTC));
}

void TestRevocation::downloadedCrlOutOfScope()
{
    // A downloaded CRL follows the CRL files' rules: one that covers CA certificates only
    // (issuingDistributionPoint onlyContainsCACerts) is no evidence for a leaf, even one it lists.
    const QString crlUrl = QStringLiteral("http://127.0.0.1:%1/ca-only.crl").arg(m_httpPort);
    QVERIFY(m_pki.issue(
        QStringLiteral("scoped"), QStringLiteral("/CN=server.test"),
        {QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("keyUsage=critical,digitalSignature"),
         QStringLiteral("extendedKeyUsage=serverAuth"), QStringLiteral("subjectAltName=DNS:server.test"),
         QStringLiteral("authorityKeyIdentifier=keyid"), QStringLiteral("crlDistributionPoints=URI:%1").arg(crlUrl)},
        QStringLiteral("ca")));
    QVERIFY(m_pki.write(QStringLiteral("scoped-index.txt"),
                        QStringLiteral("R\t301231235959Z\t260102030405Z,keyCompromise\t%1\tunknown\t/CN=scoped\n")
                            .arg(m_pki.serialOf(QStringLiteral("scoped")))
                            .toLatin1()));
    QVERIFY(m_pki.write(QStringLiteral("scoped-db.cnf"),
                        "[ca]\ndefault_ca=d\n[d]\ndatabase=scoped-index.txt\ncrlnumber=scoped-crlnumber\n"
                        "default_md=sha256\ndefault_crl_days=7\ncrl_extensions=crlext\n[crlext]\n"
                        "issuingDistributionPoint=critical,@idp\n[idp]\nonlyCA=TRUE\n"));
    QVERIFY(m_pki.write(QStringLiteral("scoped-crlnumber"), "01\n"));
    QVERIFY(m_pki.openssl({QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                           QStringLiteral("scoped-db.cnf"), QStringLiteral("-keyfile"), QStringLiteral("ca.key"),
                           QStringLiteral("-cert"), QStringLiteral("ca.pem"), QStringLiteral("-out"),
                           QStringLiteral("ca-only.pem")}));
    QVERIFY(m_pki.openssl({QStringLiteral("crl"), QStringLiteral("-in"), QStringLiteral("ca-only.pem"),
                           QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                           QStringLiteral("ca-only.crl")}));
    const Evaluation scoped =
        evaluate(load(QStringLiteral("scoped.pem")), {load(QStringLiteral("ca.pem"))}, policy(RevocationMode::Crl));
    const RevocationCheck *check = find(scoped, 0, QStringLiteral("crl"));
    QVERIFY(check);
    QCOMPARE(check->status, QStringLiteral("unavailable"));
    QVERIFY2(check->detail.contains(QLatin1String("judged as a CRL file")), qPrintable(check->detail));
    QVERIFY(scoped.trusted); // soft fail: no evidence either way, and none required
}

void TestRevocation::bothSources()
{
    const Evaluation revoked =
        evaluate(load(QStringLiteral("revoked.pem")), {load(QStringLiteral("ca.pem"))}, policy(RevocationMode::Both));
    QCOMPARE(find(revoked, 0, QStringLiteral("ocsp"))->status, QStringLiteral("revoked"));
    QCOMPARE(find(revoked, 0, QStringLiteral("crl"))->status, QStringLiteral("revoked"));
    QCOMPARE(revoked.failures.size(), 1); // one failure per certificate, not per source
}

void TestRevocation::stapledResponse()
{
    m_ocsp->stop(); // a staple needs no responder
    const Certificate ca = load(QStringLiteral("ca.pem"));
    Policy stapled = policy(RevocationMode::Ocsp);
    stapled.stapledOcspResponse = m_pki.read(QStringLiteral("good.staple"));
    const Evaluation good = evaluate(load(QStringLiteral("good.pem")), {ca}, stapled);
    QVERIFY2(good.trusted, qPrintable(toText(good)));
    QCOMPARE(find(good, 0, QStringLiteral("staple"))->status, QStringLiteral("good"));
    QVERIFY(!find(good, 0, QStringLiteral("ocsp"))); // the staple answered: no request for the leaf

    stapled.stapledOcspResponse = m_pki.read(QStringLiteral("revoked.staple"));
    const Evaluation revoked = evaluate(load(QStringLiteral("revoked.pem")), {ca}, stapled);
    QCOMPARE(revoked.failures.first().key, QStringLiteral("Revocation"));
    QVERIFY(revoked.failures.first().explanation.contains(QStringLiteral("stapled")));

    // Restart the responder for the tests after this one.
    startResponder();
    QVERIFY(m_ocsp->isRunning());
}

void TestRevocation::softFailAndRequire()
{
    const Certificate ca = load(QStringLiteral("ca.pem"));
    // Soft fail: nobody answers, the chain is still trusted, and the result says so.
    const Evaluation soft = evaluate(load(QStringLiteral("unreachable.pem")), {ca}, policy(RevocationMode::Both));
    QVERIFY2(soft.trusted, qPrintable(toText(soft)));
    QCOMPARE(find(soft, 0, QStringLiteral("ocsp"))->status, QStringLiteral("unavailable"));
    QVERIFY(find(soft, 0, QStringLiteral("ocsp"))->detail.contains(QStringLiteral("did not answer")));
    QCOMPARE(find(soft, 0, QStringLiteral("crl"))->status, QStringLiteral("unavailable"));

    Policy required = policy(RevocationMode::Both);
    required.requireRevocation = true;
    const Evaluation hard = evaluate(load(QStringLiteral("unreachable.pem")), {ca}, required);
    QVERIFY(!hard.trusted);
    QCOMPARE(hard.result, QStringLiteral("recoverableTrustFailure"));
    QCOMPARE(hard.failures.size(), 1); // the issuing CA's CRL did answer
    QCOMPARE(hard.failures.first().key, QStringLiteral("RevocationResponseRequired"));
    QVERIFY(hard.failures.first().recoverable);
    QVERIFY(hard.failures.first().remedy.contains(QStringLiteral("Staple")));

    // Required and answered: trusted.
    QVERIFY(evaluate(load(QStringLiteral("good.pem")), {ca}, required).trusted);
}

void TestRevocation::forgedAndForeignResponses()
{
    const Certificate ca = load(QStringLiteral("ca.pem"));
    Policy stapled = policy(RevocationMode::Ocsp);
    stapled.requireRevocation = true;
    stapled.revocation = RevocationMode::Ocsp;
    // Signed by a certificate the CA never made a responder: ignored, then the responder is asked.
    stapled.stapledOcspResponse = m_pki.read(QStringLiteral("forged.staple"));
    Evaluation forged = evaluate(load(QStringLiteral("good.pem")), {ca}, stapled);
    const RevocationCheck *staple = find(forged, 0, QStringLiteral("staple"));
    QCOMPARE(staple->status, QStringLiteral("unavailable"));
    QVERIFY2(staple->detail.contains(QStringLiteral("not signed by the issuer")), qPrintable(staple->detail));
    QCOMPARE(find(forged, 0, QStringLiteral("ocsp"))->status, QStringLiteral("good"));

    // A genuine staple about another certificate proves nothing about this one.
    stapled.stapledOcspResponse = m_pki.read(QStringLiteral("good.staple"));
    const Evaluation foreign = evaluate(load(QStringLiteral("revoked.pem")), {ca}, stapled);
    QVERIFY(find(foreign, 0, QStringLiteral("staple"))->detail.contains(QStringLiteral("another certificate")));
    QCOMPARE(foreign.failures.first().key, QStringLiteral("Revocation")); // the responder knows better

    // Garbage is a clear "unavailable", never a crash.
    stapled.stapledOcspResponse = QByteArray("\x30\x03\x0a\x01", 4);
    const Evaluation garbage = evaluate(load(QStringLiteral("good.pem")), {ca}, stapled);
    QVERIFY(find(garbage, 0, QStringLiteral("staple"))->detail.contains(QStringLiteral("does not parse")));
}

void TestRevocation::answersAreCached()
{
    const Certificate ca = load(QStringLiteral("ca.pem"));
    const Evaluation first = evaluate(load(QStringLiteral("good.pem")), {ca}, policy(RevocationMode::Both));
    QVERIFY(!find(first, 0, QStringLiteral("ocsp"))->cached);
    QVERIFY(!find(first, 0, QStringLiteral("crl"))->cached);
    // The second leaf shares the CA's CRL; the second evaluation of the same leaf asks nobody.
    const Evaluation other = evaluate(load(QStringLiteral("revoked.pem")), {ca}, policy(RevocationMode::Crl));
    QVERIFY(find(other, 0, QStringLiteral("crl"))->cached);
    QCOMPARE(find(other, 0, QStringLiteral("crl"))->status, QStringLiteral("revoked"));
    const Evaluation again = evaluate(load(QStringLiteral("good.pem")), {ca}, policy(RevocationMode::Both));
    QVERIFY(find(again, 0, QStringLiteral("ocsp"))->cached);
    QCOMPARE(find(again, 0, QStringLiteral("ocsp"))->status, QStringLiteral("good"));
}

void TestRevocation::cliContract()
{
    QVERIFY(m_pki.write(QStringLiteral("served-good.pem"),
                        m_pki.read(QStringLiteral("good.pem")) + m_pki.read(QStringLiteral("ca.pem"))));
    QVERIFY(m_pki.write(QStringLiteral("served-revoked.pem"),
                        m_pki.read(QStringLiteral("revoked.pem")) + m_pki.read(QStringLiteral("ca.pem"))));
    const auto run = [&](const QStringList &arguments) {
        QProcess cli;
        cli.start(QStringLiteral(TRUSTSCOPE_CLI),
                  QStringList{QStringLiteral("verify")} + arguments +
                      QStringList{QStringLiteral("--anchor"), m_pki.path(QStringLiteral("root.pem")),
                                  QStringLiteral("--anchors-only"), QStringLiteral("--no-aia"),
                                  QStringLiteral("--host"), QStringLiteral("server.test"), QStringLiteral("--json")});
        cli.waitForFinished(30000);
        return std::pair{cli.exitCode(), QJsonDocument::fromJson(cli.readAllStandardOutput()).object()};
    };
    auto [goodExit, good] = run({m_pki.path(QStringLiteral("served-good.pem")), QStringLiteral("--revocation"),
                                 QStringLiteral("both"), QStringLiteral("--require-revocation")});
    QCOMPARE(goodExit, 0);
    const QJsonArray checks = good.value(QStringLiteral("revocation")).toArray();
    QCOMPARE(checks.size(), 4); // leaf and CA, OCSP and CRL each
    QCOMPARE(checks.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("good"));
    for (const char *field : {"certIndex", "source", "status", "url", "detail"})
        QVERIFY2(checks.first().toObject().contains(QLatin1String(field)), field);

    auto [revokedExit, revoked] =
        run({m_pki.path(QStringLiteral("served-revoked.pem")), QStringLiteral("--revocation"), QStringLiteral("crl")});
    QCOMPARE(revokedExit, 1);
    QCOMPARE(revoked.value(QStringLiteral("result")).toString(), QStringLiteral("fatalTrustFailure"));
    const QJsonObject failure = revoked.value(QStringLiteral("failures")).toArray().first().toObject();
    QCOMPARE(failure.value(QStringLiteral("key")).toString(), QStringLiteral("Revocation"));
    QCOMPARE(failure.value(QStringLiteral("recoverable")).toBool(true), false);

    // A staple from a file, and a bad mode.
    auto [stapleExit, stapled] = run({m_pki.path(QStringLiteral("served-revoked.pem")), QStringLiteral("--staple"),
                                      m_pki.path(QStringLiteral("revoked.staple"))});
    QCOMPARE(stapleExit, 1);
    QCOMPARE(stapled.value(QStringLiteral("revocation")).toArray().first().toObject().value(QStringLiteral("source")),
             QJsonValue(QStringLiteral("staple")));
    auto [badExit, bad] = run(
        {m_pki.path(QStringLiteral("served-good.pem")), QStringLiteral("--revocation"), QStringLiteral("sometimes")});
    QCOMPARE(badExit, 2);
}

void TestRevocation::stapleFromALiveServer()
{
    // s_server staples the revoked response; `verify --fetch` uses it without asking the responder.
    m_ocsp->stop();
    trustscope::test::OpenSslServer server(
        m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("revoked.pem"), QStringLiteral("-key"),
                         QStringLiteral("revoked.key"), QStringLiteral("-cert_chain"), QStringLiteral("ca.pem"),
                         QStringLiteral("-status_file"), QStringLiteral("revoked.staple")});
    QVERIFY(server.isRunning());
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("verify"), QStringLiteral("--fetch"), server.target(), QStringLiteral("--host"),
               QStringLiteral("server.test"), QStringLiteral("--anchor"), m_pki.path(QStringLiteral("root.pem")),
               QStringLiteral("--anchors-only"), QStringLiteral("--no-aia"), QStringLiteral("--revocation"),
               QStringLiteral("ocsp"), QStringLiteral("--json")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 1);
    const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    const QJsonObject first = json.value(QStringLiteral("revocation")).toArray().first().toObject();
    QCOMPARE(first.value(QStringLiteral("source")).toString(), QStringLiteral("staple"));
    QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("revoked"));
    QCOMPARE(json.value(QStringLiteral("failures")).toArray().first().toObject().value(QStringLiteral("key")),
             QJsonValue(QStringLiteral("Revocation")));
}

void TestRevocation::downloadsGoThroughTheProxy()
{
    startResponder(); // stapleFromALiveServer stopped it
    QVERIFY(m_ocsp->isRunning());
    const QString log = m_pki.path(QStringLiteral("proxy.log"));
    trustscope::test::ScriptedPeer proxy(QStringLiteral("forwarding-proxy"), {log});
    QVERIFY(proxy.isRunning());
    const auto logged = [&] { return QString::fromLatin1(m_pki.read(QStringLiteral("proxy.log"))); };

    // In the core: OCSP (POST) and CRLs (GET) through the proxy, said in the network log.
    Policy proxied = policy(RevocationMode::Both);
    proxied.requireRevocation = true;
    proxied.proxy = QStringLiteral("http://") + proxy.target();
    const Evaluation good = evaluate(load(QStringLiteral("good.pem")), {load(QStringLiteral("ca.pem"))}, proxied);
    QVERIFY2(good.trusted, qPrintable(toText(good)));
    QVERIFY2(logged().contains(QStringLiteral("POST http://127.0.0.1:%1/ HTTP/1.0").arg(m_ocspPort)),
             qPrintable(logged()));
    QVERIFY2(logged().contains(QStringLiteral("GET http://127.0.0.1:%1/").arg(m_httpPort)), qPrintable(logged()));
    QVERIFY(std::all_of(good.network.cbegin(), good.network.cend(), [&](const QString &line) {
        return line.contains(QStringLiteral("via proxy ") + proxy.target());
    }));

    // A proxy that is not there: the downloads fail (they never go around it), so a required
    // revocation check fails closed.
    clearRevocationCache();
    proxied.proxy = QStringLiteral("http://127.0.0.1:%1").arg(m_deadPort);
    const Evaluation unreachable =
        evaluate(load(QStringLiteral("good.pem")), {load(QStringLiteral("ca.pem"))}, proxied);
    QVERIFY(!unreachable.trusted);
    QCOMPARE(unreachable.failures.first().key, QStringLiteral("RevocationResponseRequired"));
    QVERIFY2(unreachable.network.first().contains(QStringLiteral("proxy 127.0.0.1:%1").arg(m_deadPort)),
             qPrintable(unreachable.network.first()));

    // The CLI: --proxy carries the TLS connection (CONNECT) and the revocation downloads alike.
    clearRevocationCache();
    QVERIFY(QFile::remove(log));
    trustscope::test::OpenSslServer server(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("good.pem"),
                                                            QStringLiteral("-key"), QStringLiteral("good.key"),
                                                            QStringLiteral("-cert_chain"), QStringLiteral("ca.pem")});
    QVERIFY(server.isRunning());
    const QStringList verify{QStringLiteral("verify"),
                             QStringLiteral("--fetch"),
                             server.target(),
                             QStringLiteral("--host"),
                             QStringLiteral("server.test"),
                             QStringLiteral("--anchor"),
                             m_pki.path(QStringLiteral("root.pem")),
                             QStringLiteral("--anchors-only"),
                             QStringLiteral("--no-aia"),
                             QStringLiteral("--require-revocation"),
                             QStringLiteral("--json")};
    QProcess cli;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"})
        environment.remove(QLatin1String(name));
    cli.setProcessEnvironment(environment);
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), verify + QStringList{QStringLiteral("--proxy"), proxy.target()});
    QVERIFY(cli.waitForFinished(30000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QVERIFY2(logged().startsWith(QStringLiteral("CONNECT 127.0.0.1:%1").arg(server.port())), qPrintable(logged()));
    QVERIFY2(logged().contains(QStringLiteral("POST http://127.0.0.1:%1/").arg(m_ocspPort)), qPrintable(logged()));
    QVERIFY2(logged().contains(QStringLiteral("GET http://127.0.0.1:%1/").arg(m_httpPort)), qPrintable(logged()));

    // Without --proxy the environment's proxies apply, and no_proxy exempts hosts from them.
    QVERIFY(QFile::remove(log));
    environment.insert(QStringLiteral("https_proxy"), QStringLiteral("http://") + proxy.target());
    environment.insert(QStringLiteral("http_proxy"), QStringLiteral("http://") + proxy.target());
    cli.setProcessEnvironment(environment);
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), verify);
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY2(logged().contains(QStringLiteral("CONNECT 127.0.0.1:%1").arg(server.port())), qPrintable(logged()));
    QVERIFY2(logged().contains(QStringLiteral("POST http://127.0.0.1:%1/").arg(m_ocspPort)), qPrintable(logged()));
    QVERIFY(QFile::remove(log));
    environment.insert(QStringLiteral("no_proxy"), QStringLiteral("localhost,127.0.0.1"));
    cli.setProcessEnvironment(environment);
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), verify);
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY2(!QFile::exists(log), qPrintable(logged()));
    // A proxy setting that is not a URL is a usage error.
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              verify + QStringList{QStringLiteral("--proxy"), QStringLiteral("ftp://x")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 2);
}

QTEST_GUILESS_MAIN(TestRevocation)
#include "tst_revocation.moc"
