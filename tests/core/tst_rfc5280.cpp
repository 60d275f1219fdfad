// RFC 5280 inputs of `verify`: certificate-policy processing (chains made by `gen` with policy
// extensions, each verdict compared with `openssl verify -policy_check` on the same files), CRL
// files made by `openssl ca -gencrl`, never-trusted certificates and trusted leaves.

#include "Pki.h"

#include "gen/Generator.h"
#include "inspect/Inspection.h"
#include "ossl/Ossl.h"
#include "trust/TrustEvaluation.h"
#include "trust/TrustReport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

using namespace trustscope::core;
using trustscope::test::Pki;

namespace {

struct CliRun {
    int exitCode = -1;
    QJsonObject json;
    QString standardError;
};

} // namespace

class TestRfc5280 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void policiesAgreeWithOpenssl_data();
    void policiesAgreeWithOpenssl();
    void policyInputsAreValidated();
    void crlFilesNeedNoNetwork();
    void crlScopeAndCurrency();
    void deltaCrlIsNamedAsUnsupported();
    void indirectCrlSpeaksForAnotherCa();
    void distrustedCertificateFailsThePath();
    void trustedLeafAnchorsOnlyItself();

private:
    bool gen(const QStringList &arguments);
    CliRun verify(const QStringList &arguments, const QString &anchor = QStringLiteral("root.pem"));
    bool opensslVerifies(const QStringList &arguments);
    Pki m_pki;
};

bool TestRfc5280::gen(const QStringList &arguments)
{
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              QStringList{QStringLiteral("gen")} + arguments + QStringList{QStringLiteral("--out"), m_pki.path({})});
    if (!cli.waitForFinished(60000) || cli.exitCode() != 0) {
        qWarning().noquote() << "gen" << arguments << "failed:" << cli.readAllStandardError();
        return false;
    }
    return true;
}

bool TestRfc5280::opensslVerifies(const QStringList &arguments)
{
    QProcess openssl;
    openssl.setWorkingDirectory(m_pki.path({}));
    openssl.start(QStringLiteral(TRUSTSCOPE_OPENSSL), QStringList{QStringLiteral("verify")} + arguments);
    return openssl.waitForFinished(30000) && openssl.exitStatus() == QProcess::NormalExit && openssl.exitCode() == 0;
}

CliRun TestRfc5280::verify(const QStringList &arguments, const QString &anchor)
{
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              QStringList{QStringLiteral("verify"), QStringLiteral("--anchor"), m_pki.path(anchor),
                          QStringLiteral("--anchors-only"), QStringLiteral("--no-aia"), QStringLiteral("--json")} +
                  arguments);
    CliRun run;
    if (!cli.waitForFinished(60000))
        return run;
    run.exitCode = cli.exitCode();
    run.json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    run.standardError = QString::fromUtf8(cli.readAllStandardError());
    return run;
}

void TestRfc5280::initTestCase()
{
    qputenv("TZ", "UTC");
    QVERIFY(m_pki.isValid());
    const auto issuer = [](const QString &name) {
        return QStringList{QStringLiteral("--issuer-cert"), name + QStringLiteral(".pem"),
                           QStringLiteral("--issuer-key"), name + QStringLiteral(".key")};
    };
    const auto at = [&](const QString &name) { return m_pki.path(name); };
    QVERIFY(gen({QStringLiteral("ca"), QStringLiteral("--name"), QStringLiteral("root"), QStringLiteral("--cn"),
                 QStringLiteral("Policy Test Root")}));
    // One CA per policy situation, each with a leaf asserting 1.2.3.9 (and the plain CA's two leaves).
    const struct {
        const char *name;
        QStringList arguments;
    } cas[] = {
        {"plain",
         {QStringLiteral("--policy"), QStringLiteral("1.2.3.4"), QStringLiteral("--policy"),
          QStringLiteral("1.2.3.9")}},
        {"mapping",
         {QStringLiteral("--policy"), QStringLiteral("1.2.3.4"), QStringLiteral("--policy-mapping"),
          QStringLiteral("1.2.3.4:1.2.3.9")}},
        {"any", {QStringLiteral("--policy"), QStringLiteral("anyPolicy")}},
        {"explicit",
         {QStringLiteral("--policy"), QStringLiteral("anyPolicy"), QStringLiteral("--require-explicit"),
          QStringLiteral("0")}},
    };
    for (const auto &ca : cas) {
        const QString name = QString::fromLatin1(ca.name);
        QVERIFY(gen(QStringList{QStringLiteral("intermediate"), QStringLiteral("--name"), name, QStringLiteral("--cn"),
                                name + QStringLiteral(" CA")} +
                    issuer(at(QStringLiteral("root"))) + ca.arguments));
        QVERIFY(gen(QStringList{QStringLiteral("leaf"), QStringLiteral("--name"), name + QStringLiteral("-leaf"),
                                QStringLiteral("--dns"), QStringLiteral("leaf.test"), QStringLiteral("--policy"),
                                QStringLiteral("1.2.3.9")} +
                    issuer(at(name))));
    }
    // A CA's inhibitPolicyMapping / inhibitAnyPolicy of 0 binds the CAs below it (RFC 5280 6.1.4 (b), 6.1.3 (d)(2)
    // are applied before the counters are updated): each inhibiting CA has one CA under it.
    QVERIFY(gen(QStringList{QStringLiteral("intermediate"), QStringLiteral("--name"), QStringLiteral("inhibitmap"),
                            QStringLiteral("--cn"), QStringLiteral("Inhibit Mapping CA"), QStringLiteral("--policy"),
                            QStringLiteral("1.2.3.4"), QStringLiteral("--inhibit-mapping"), QStringLiteral("0")} +
                issuer(at(QStringLiteral("root")))));
    QVERIFY(gen(QStringList{QStringLiteral("intermediate"), QStringLiteral("--name"), QStringLiteral("inhibitmap-sub"),
                            QStringLiteral("--cn"), QStringLiteral("Mapping Sub CA"), QStringLiteral("--policy"),
                            QStringLiteral("1.2.3.4"), QStringLiteral("--policy-mapping"),
                            QStringLiteral("1.2.3.4:1.2.3.9")} +
                issuer(at(QStringLiteral("inhibitmap")))));
    QVERIFY(gen(QStringList{QStringLiteral("intermediate"), QStringLiteral("--name"), QStringLiteral("inhibitany"),
                            QStringLiteral("--cn"), QStringLiteral("Inhibit Any CA"), QStringLiteral("--policy"),
                            QStringLiteral("anyPolicy"), QStringLiteral("--inhibit-any"), QStringLiteral("0"),
                            QStringLiteral("--require-explicit"), QStringLiteral("0")} +
                issuer(at(QStringLiteral("root")))));
    QVERIFY(gen(QStringList{QStringLiteral("intermediate"), QStringLiteral("--name"), QStringLiteral("inhibitany-sub"),
                            QStringLiteral("--cn"), QStringLiteral("Any Sub CA"), QStringLiteral("--policy"),
                            QStringLiteral("anyPolicy")} +
                issuer(at(QStringLiteral("inhibitany")))));
    for (const QString &name : {QStringLiteral("inhibitmap"), QStringLiteral("inhibitany")})
        QVERIFY(gen(QStringList{QStringLiteral("leaf"), QStringLiteral("--name"), name + QStringLiteral("-leaf"),
                                QStringLiteral("--dns"), QStringLiteral("leaf.test"), QStringLiteral("--policy"),
                                QStringLiteral("1.2.3.9")} +
                    issuer(at(name + QStringLiteral("-sub")))));
    QVERIFY(gen(QStringList{QStringLiteral("leaf"), QStringLiteral("--name"), QStringLiteral("nopolicy-leaf"),
                            QStringLiteral("--dns"), QStringLiteral("leaf.test")} +
                issuer(at(QStringLiteral("explicit")))));
    // For the CRL tests: a good and a revoked leaf under the plain CA.
    for (const QString &name : {QStringLiteral("good"), QStringLiteral("revoked")})
        QVERIFY(gen(QStringList{QStringLiteral("leaf"), QStringLiteral("--name"), name, QStringLiteral("--dns"),
                                QStringLiteral("leaf.test")} +
                    issuer(at(QStringLiteral("plain")))));
}

void TestRfc5280::policiesAgreeWithOpenssl_data()
{
    QTest::addColumn<QString>("ca"); // the intermediates, leaf side first, separated by commas
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<QStringList>("inputs"); // verify's; each has an `openssl verify` twin
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<QStringList>("userConstrained");
    QTest::addColumn<QString>("reasonPart");

    const QStringList none;
    const QStringList explicit5{QStringLiteral("--initial-policy"), QStringLiteral("1.2.3.5"),
                                QStringLiteral("--require-explicit-policy")};
    QTest::newRow("no inputs: the path's policies")
        << "plain" << "plain-leaf" << none << true << QStringList{QStringLiteral("1.2.3.9")} << QString();
    QTest::newRow("explicit, accepted") << "plain" << "plain-leaf"
                                        << QStringList{QStringLiteral("--initial-policy"), QStringLiteral("1.2.3.9"),
                                                       QStringLiteral("--require-explicit-policy")}
                                        << true << QStringList{QStringLiteral("1.2.3.9")} << QString();
    QTest::newRow("explicit, not accepted")
        << "plain" << "plain-leaf" << explicit5 << false << QStringList{} << QStringLiteral("accepted: 1.2.3.5");
    QTest::newRow("not accepted, not explicit: no failure")
        << "plain" << "plain-leaf" << QStringList{QStringLiteral("--initial-policy"), QStringLiteral("1.2.3.5")} << true
        << QStringList{} << QString();
    QTest::newRow("mapping applies") << "mapping" << "mapping-leaf"
                                     << QStringList{QStringLiteral("--initial-policy"), QStringLiteral("1.2.3.4"),
                                                    QStringLiteral("--require-explicit-policy")}
                                     << true << QStringList{QStringLiteral("1.2.3.4")} << QString();
    QTest::newRow("mapping inhibited by the user")
        << "mapping" << "mapping-leaf"
        << QStringList{QStringLiteral("--initial-policy"), QStringLiteral("1.2.3.4"),
                       QStringLiteral("--require-explicit-policy"), QStringLiteral("--inhibit-policy-mapping")}
        << false << QStringList{} << QStringLiteral("policy mapping is inhibited by your settings");
    QTest::newRow("mapping inhibited by the CA above")
        << "inhibitmap-sub,inhibitmap" << "inhibitmap-leaf"
        << QStringList{QStringLiteral("--initial-policy"), QStringLiteral("1.2.3.4"),
                       QStringLiteral("--require-explicit-policy")}
        << false << QStringList{} << QStringLiteral("inhibitPolicyMapping 0");
    QTest::newRow("anyPolicy CA") << "any" << "any-leaf" << QStringList{QStringLiteral("--require-explicit-policy")}
                                  << true << QStringList{QStringLiteral("1.2.3.9")} << QString();
    QTest::newRow("anyPolicy inhibited by the user")
        << "any" << "any-leaf"
        << QStringList{QStringLiteral("--require-explicit-policy"), QStringLiteral("--inhibit-any-policy")} << false
        << QStringList{} << QStringLiteral("anyPolicy is inhibited by your settings");
    QTest::newRow("anyPolicy inhibited by the CA above")
        << "inhibitany-sub,inhibitany" << "inhibitany-leaf" << none << false << QStringList{}
        << QStringLiteral("inhibitAnyPolicy 0");
    QTest::newRow("CA requires explicit, leaf has one")
        << "explicit" << "explicit-leaf" << none << true << QStringList{QStringLiteral("1.2.3.9")} << QString();
    QTest::newRow("CA requires explicit, leaf has none")
        << "explicit" << "nopolicy-leaf" << none << false << QStringList{}
        << QStringLiteral("asserts no certificate policy");
}

void TestRfc5280::policiesAgreeWithOpenssl()
{
    QFETCH(QString, ca);
    QFETCH(QString, leaf);
    QFETCH(QStringList, inputs);
    QFETCH(bool, trusted);
    QFETCH(QStringList, userConstrained);
    QFETCH(QString, reasonPart);

    QStringList files{m_pki.path(leaf + QStringLiteral(".pem"))};
    for (const QString &intermediate : ca.split(QLatin1Char(',')))
        files.append(m_pki.path(intermediate + QStringLiteral(".pem")));
    const CliRun run = verify(files + QStringList{QStringLiteral("--host"), QStringLiteral("leaf.test")} + inputs);
    QVERIFY2(run.exitCode == (trusted ? 0 : 1), qPrintable(run.standardError));
    const QJsonObject policies = run.json[QStringLiteral("policies")].toObject();
    for (const char *key : {"authoritiesConstrainedPolicySet", "userConstrainedPolicySet", "explicitPolicyRequired"})
        QVERIFY2(policies.contains(QLatin1String(key)), key);
    QStringList user;
    for (const QJsonValue &oid : policies[QStringLiteral("userConstrainedPolicySet")].toArray())
        user.append(oid.toString());
    QCOMPARE(user, userConstrained);
    const QJsonArray failures = run.json[QStringLiteral("failures")].toArray();
    if (!trusted) {
        QCOMPARE(failures.size(), 1);
        QCOMPARE(failures.first()[QStringLiteral("key")].toString(), QStringLiteral("PolicyConstraints"));
        QVERIFY2(failures.first()[QStringLiteral("explanation")].toString().contains(reasonPart),
                 qPrintable(failures.first()[QStringLiteral("explanation")].toString()));
        QVERIFY(policies[QStringLiteral("explicitPolicyRequired")].toBool());
    }

    // The peer: OpenSSL's verifier with the same inputs on the same files.
    QStringList peer{QStringLiteral("-policy_check"), QStringLiteral("-CAfile"), QStringLiteral("root.pem")};
    for (const QString &intermediate : ca.split(QLatin1Char(',')))
        peer << QStringLiteral("-untrusted") << intermediate + QStringLiteral(".pem");
    for (qsizetype index = 0; index < inputs.size(); ++index) {
        const QString &input = inputs.at(index);
        if (input == QLatin1String("--initial-policy"))
            peer << QStringLiteral("-policy") << inputs.at(++index);
        else if (input == QLatin1String("--require-explicit-policy"))
            peer << QStringLiteral("-explicit_policy");
        else if (input == QLatin1String("--inhibit-policy-mapping"))
            peer << QStringLiteral("-inhibit_map");
        else if (input == QLatin1String("--inhibit-any-policy"))
            peer << QStringLiteral("-inhibit_any");
    }
    if (!inputs.contains(QStringLiteral("--initial-policy")))
        peer << QStringLiteral("-policy") << QStringLiteral("2.5.29.32.0"); // RFC 5280's default, said explicitly
    QCOMPARE(opensslVerifies(peer + QStringList{leaf + QStringLiteral(".pem")}), trusted);
}

void TestRfc5280::policyInputsAreValidated()
{
    const CliRun run = verify({m_pki.path(QStringLiteral("plain-leaf.pem")), QStringLiteral("--initial-policy"),
                               QStringLiteral("not.an.oid")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.standardError.contains(QStringLiteral("--initial-policy")));
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("gen"), QStringLiteral("intermediate"), QStringLiteral("--policy-mapping"),
               QStringLiteral("1.2.3"), QStringLiteral("--out"), m_pki.path(QStringLiteral("bad"))});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 2);
    QVERIFY(cli.readAllStandardError().contains("ISSUER-OID:SUBJECT-OID"));
}

void TestRfc5280::crlFilesNeedNoNetwork()
{
    const QString revoked = m_pki.serialOf(QStringLiteral("revoked"));
    QVERIFY(!revoked.isEmpty());
    QVERIFY(m_pki.makeCrl(
        QStringLiteral("plain"),
        QStringLiteral("R\t301231235959Z\t260102030405Z,keyCompromise\t%1\tunknown\t/CN=revoked\n").arg(revoked),
        QStringLiteral("plain.crl")));
    QVERIFY(m_pki.makeCrl(QStringLiteral("root"), QString(), QStringLiteral("root.crl")));
    const QStringList crls{QStringLiteral("--crl"), m_pki.path(QStringLiteral("plain.crl")), QStringLiteral("--crl"),
                           m_pki.path(QStringLiteral("root.crl.pem"))}; // DER and PEM
    CliRun run = verify(QStringList{m_pki.path(QStringLiteral("revoked.pem")), m_pki.path(QStringLiteral("plain.pem")),
                                    QStringLiteral("--host"), QStringLiteral("leaf.test")} +
                        crls);
    QCOMPARE(run.exitCode, 1);
    const QJsonObject failure = run.json[QStringLiteral("failures")].toArray().first().toObject();
    QCOMPARE(failure[QStringLiteral("key")].toString(), QStringLiteral("Revocation"));
    QVERIFY2(failure[QStringLiteral("explanation")].toString().contains(QStringLiteral("plain.crl")),
             qPrintable(failure[QStringLiteral("explanation")].toString()));
    QVERIFY(run.json[QStringLiteral("network")].toArray().isEmpty()); // nothing downloaded
    const QJsonArray revocation = run.json[QStringLiteral("revocation")].toArray();
    QCOMPARE(revocation.first()[QStringLiteral("status")].toString(), QStringLiteral("revoked"));
    QCOMPARE(revocation.first()[QStringLiteral("reason")].toString(), QStringLiteral("keyCompromise"));

    run = verify(QStringList{m_pki.path(QStringLiteral("good.pem")), m_pki.path(QStringLiteral("plain.pem")),
                             QStringLiteral("--host"), QStringLiteral("leaf.test"), QStringLiteral("--revocation"),
                             QStringLiteral("crl"), QStringLiteral("--require-revocation")} +
                 crls);
    QVERIFY2(run.exitCode == 0, QJsonDocument(run.json).toJson().constData());
    QCOMPARE(run.json[QStringLiteral("revocation")].toArray().size(), 2); // the leaf by plain.crl, the CA by root.crl
    for (const QJsonValue &check : run.json[QStringLiteral("revocation")].toArray())
        QCOMPARE(check[QStringLiteral("status")].toString(), QStringLiteral("good"));
    QVERIFY(run.json[QStringLiteral("network")].toArray().isEmpty());

    // A file that is not a CRL is a usage error naming it.
    run = verify(
        {m_pki.path(QStringLiteral("good.pem")), QStringLiteral("--crl"), m_pki.path(QStringLiteral("good.pem"))});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.standardError.contains(QStringLiteral("holds no CRL")), qPrintable(run.standardError));
}

void TestRfc5280::crlScopeAndCurrency()
{
    const QString revoked = m_pki.serialOf(QStringLiteral("revoked"));
    const QString index =
        QStringLiteral("R\t301231235959Z\t260102030405Z,keyCompromise\t%1\tunknown\t/CN=revoked\n").arg(revoked);
    // A CRL of CA certificates only does not speak for a leaf, even one it lists.
    QVERIFY(m_pki.makeCrl(QStringLiteral("plain"), index, QStringLiteral("ca-only.crl"),
                          QStringLiteral("issuingDistributionPoint=critical,@idp\n[idp]\nonlyCA=TRUE")));
    CliRun run = verify({m_pki.path(QStringLiteral("revoked.pem")), m_pki.path(QStringLiteral("plain.pem")),
                         QStringLiteral("--host"), QStringLiteral("leaf.test"), QStringLiteral("--crl"),
                         m_pki.path(QStringLiteral("ca-only.crl")), QStringLiteral("--require-revocation"),
                         QStringLiteral("--revocation"), QStringLiteral("crl")});
    QCOMPARE(run.exitCode, 1);
    QJsonObject leafCheck = run.json[QStringLiteral("revocation")].toArray().first().toObject();
    QCOMPARE(leafCheck[QStringLiteral("status")].toString(), QStringLiteral("unavailable"));
    QCOMPARE(run.json[QStringLiteral("failures")].toArray().first()[QStringLiteral("key")].toString(),
             QStringLiteral("RevocationResponseRequired"));

    // A CRL of another CA is no evidence either.
    run = verify({m_pki.path(QStringLiteral("good.pem")), m_pki.path(QStringLiteral("plain.pem")),
                  QStringLiteral("--host"), QStringLiteral("leaf.test"), QStringLiteral("--crl"),
                  m_pki.path(QStringLiteral("root.crl")), QStringLiteral("--require-revocation"),
                  QStringLiteral("--revocation"), QStringLiteral("crl")});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.json[QStringLiteral("revocation")].toArray().first()[QStringLiteral("status")].toString(),
             QStringLiteral("unavailable"));

    // Judged at the verification time: after its nextUpdate (7 days) the CRL is not current.
    run = verify({m_pki.path(QStringLiteral("good.pem")), m_pki.path(QStringLiteral("plain.pem")),
                  QStringLiteral("--host"), QStringLiteral("leaf.test"), QStringLiteral("--crl"),
                  m_pki.path(QStringLiteral("plain.crl")), QStringLiteral("--require-revocation"),
                  QStringLiteral("--revocation"), QStringLiteral("crl"), QStringLiteral("--at"),
                  QDateTime::currentDateTimeUtc().addDays(30).toString(Qt::ISODate)});
    QCOMPARE(run.exitCode, 1);
    leafCheck = run.json[QStringLiteral("revocation")].toArray().first().toObject();
    QCOMPARE(leafCheck[QStringLiteral("status")].toString(), QStringLiteral("unavailable"));
    QVERIFY2(leafCheck[QStringLiteral("detail")].toString().contains(QStringLiteral("expired")),
             qPrintable(leafCheck[QStringLiteral("detail")].toString()));
}

void TestRfc5280::indirectCrlSpeaksForAnotherCa()
{
    // RFC 5280 5.2.5 / 5.3.3: a CRL issuer that is not the CA lists the CA's certificates; the
    // leaf's distribution point names that CRL issuer (cRLIssuer), the CRL marks itself indirect
    // and its entry names the certificate's issuer (certificateIssuer).
    using namespace trustscope::ossl;
    QVERIFY(
        m_pki.issue(QStringLiteral("crlissuer"), QStringLiteral("/CN=Indirect CRL Issuer"),
                    {QStringLiteral("basicConstraints=critical,CA:FALSE"), QStringLiteral("keyUsage=critical,cRLSign"),
                     QStringLiteral("subjectKeyIdentifier=hash"), QStringLiteral("authorityKeyIdentifier=keyid")},
                    QStringLiteral("root")));
    const QStringList leafExtensions{QStringLiteral("basicConstraints=critical,CA:FALSE"),
                                     QStringLiteral("keyUsage=critical,digitalSignature"),
                                     QStringLiteral("extendedKeyUsage=serverAuth"),
                                     QStringLiteral("subjectAltName=DNS:leaf.test"),
                                     QStringLiteral("authorityKeyIdentifier=keyid"),
                                     QStringLiteral("crlDistributionPoints=dp"),
                                     QStringLiteral("[dp]"),
                                     QStringLiteral("fullname=URI:http://crl.test/indirect.crl"),
                                     QStringLiteral("CRLissuer=dirName:crl_issuer_name"),
                                     QStringLiteral("[crl_issuer_name]"),
                                     QStringLiteral("CN=Indirect CRL Issuer")};
    for (const QString &name : {QStringLiteral("indirect-revoked"), QStringLiteral("indirect-good")})
        QVERIFY(m_pki.issue(name, QStringLiteral("/CN=leaf.test"), leafExtensions, QStringLiteral("plain")));
    auto crlIssuer = gen::readCertificateFile(m_pki.path(QStringLiteral("crlissuer.pem")));
    auto crlIssuerKey = gen::readPrivateKeyFile(m_pki.path(QStringLiteral("crlissuer.key")));
    auto ca = gen::readCertificateFile(m_pki.path(QStringLiteral("plain.pem")));
    auto revoked = gen::readCertificateFile(m_pki.path(QStringLiteral("indirect-revoked.pem")));
    QVERIFY(crlIssuer && crlIssuerKey && ca && revoked);

    X509CrlPtr crl(X509_CRL_new());
    QVERIFY(crl && X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1 &&
            X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(crlIssuer->get())) == 1);
    Asn1TimePtr lastUpdate(ASN1_TIME_set(nullptr, time(nullptr) - 3600));
    Asn1TimePtr nextUpdate(ASN1_TIME_set(nullptr, time(nullptr) + 7 * 86400));
    QVERIFY(X509_CRL_set1_lastUpdate(crl.get(), lastUpdate.get()) == 1 &&
            X509_CRL_set1_nextUpdate(crl.get(), nextUpdate.get()) == 1);
    Owned<X509_REVOKED, X509_REVOKED_free> entry(X509_REVOKED_new());
    GeneralNamesPtr certificateIssuer(GENERAL_NAMES_new());
    GENERAL_NAME *directory = GENERAL_NAME_new();
    QVERIFY(entry && certificateIssuer && directory);
    directory->type = GEN_DIRNAME;
    directory->d.directoryName = X509_NAME_dup(X509_get_subject_name(ca->get()));
    QVERIFY(directory->d.directoryName && sk_GENERAL_NAME_push(certificateIssuer.get(), directory) > 0);
    QVERIFY(X509_REVOKED_set_serialNumber(entry.get(), X509_get_serialNumber(revoked->get())) == 1 &&
            X509_REVOKED_set_revocationDate(entry.get(), lastUpdate.get()) == 1 &&
            X509_REVOKED_add1_ext_i2d(entry.get(), NID_certificate_issuer, certificateIssuer.get(), 1, 0) == 1 &&
            X509_CRL_add0_revoked(crl.get(), entry.get()) == 1);
    (void)entry.release(); // owned by the CRL now: release() cannot fail
    Owned<ISSUING_DIST_POINT, ISSUING_DIST_POINT_free> idp(ISSUING_DIST_POINT_new());
    QVERIFY(idp);
    idp->indirectCRL = 1;
    idp->distpoint = DIST_POINT_NAME_new();
    QVERIFY(idp->distpoint);
    idp->distpoint->type = 0;
    idp->distpoint->name.fullname = GENERAL_NAMES_new();
    GENERAL_NAME *uri = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_URI, "http://crl.test/indirect.crl", 0);
    QVERIFY(idp->distpoint->name.fullname && uri && sk_GENERAL_NAME_push(idp->distpoint->name.fullname, uri) > 0);
    Asn1IntegerPtr number(ASN1_INTEGER_new());
    QVERIFY(number && ASN1_INTEGER_set(number.get(), 1) == 1);
    Owned<AUTHORITY_KEYID, AUTHORITY_KEYID_free> authorityKey(AUTHORITY_KEYID_new());
    QVERIFY(authorityKey);
    authorityKey->keyid = ASN1_OCTET_STRING_dup(X509_get0_subject_key_id(crlIssuer->get()));
    QVERIFY(authorityKey->keyid);
    QVERIFY(X509_CRL_add1_ext_i2d(crl.get(), NID_issuing_distribution_point, idp.get(), 1, 0) == 1 &&
            X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) == 1 &&
            X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, authorityKey.get(), 0, 0) == 1);
    QVERIFY(X509_CRL_sort(crl.get()) == 1 && X509_CRL_sign(crl.get(), crlIssuerKey->get(), EVP_sha256()) > 0);
    BioPtr out(BIO_new_file(QFile::encodeName(m_pki.path(QStringLiteral("indirect.crl"))).constData(), "w"));
    QVERIFY(out && PEM_write_bio_X509_CRL(out.get(), crl.get()) == 1);
    out.reset();

    // The root's CRL speaks for the CA and for the CRL issuer (whose own path is checked too).
    QVERIFY(m_pki.makeCrl(QStringLiteral("root"), QString(), QStringLiteral("root-empty.crl")));
    const auto judged = [&](const QString &leaf) {
        return verify({m_pki.path(leaf + QStringLiteral(".pem")), m_pki.path(QStringLiteral("plain.pem")),
                       QStringLiteral("--host"), QStringLiteral("leaf.test"), QStringLiteral("--crl"),
                       m_pki.path(QStringLiteral("indirect.crl")), QStringLiteral("--crl"),
                       m_pki.path(QStringLiteral("root-empty.crl")), QStringLiteral("--intermediate"),
                       m_pki.path(QStringLiteral("crlissuer.pem")), QStringLiteral("--revocation"),
                       QStringLiteral("crl"), QStringLiteral("--require-revocation")});
    };
    const CliRun revokedRun = judged(QStringLiteral("indirect-revoked"));
    QVERIFY2(revokedRun.exitCode == 1, qPrintable(revokedRun.standardError));
    QCOMPARE(revokedRun.json[QStringLiteral("revocation")].toArray().first()[QStringLiteral("status")].toString(),
             QStringLiteral("revoked"));
    QCOMPARE(revokedRun.json[QStringLiteral("failures")].toArray().first()[QStringLiteral("key")].toString(),
             QStringLiteral("Revocation"));
    const CliRun goodRun = judged(QStringLiteral("indirect-good"));
    QCOMPARE(goodRun.json[QStringLiteral("revocation")].toArray().first()[QStringLiteral("status")].toString(),
             QStringLiteral("good"));
    // Without the CRL issuer's certificate the CRL's signature cannot be checked: no evidence.
    const CliRun withoutIssuer =
        verify({m_pki.path(QStringLiteral("indirect-good.pem")), m_pki.path(QStringLiteral("plain.pem")),
                QStringLiteral("--host"), QStringLiteral("leaf.test"), QStringLiteral("--crl"),
                m_pki.path(QStringLiteral("indirect.crl")), QStringLiteral("--crl"),
                m_pki.path(QStringLiteral("root-empty.crl")), QStringLiteral("--revocation"), QStringLiteral("crl"),
                QStringLiteral("--require-revocation")});
    QCOMPARE(withoutIssuer.exitCode, 1);
    QCOMPARE(withoutIssuer.json[QStringLiteral("revocation")].toArray().first()[QStringLiteral("status")].toString(),
             QStringLiteral("unavailable"));
}

void TestRfc5280::deltaCrlIsNamedAsUnsupported()
{
    QVERIFY(m_pki.makeCrl(QStringLiteral("plain"), QString(), QStringLiteral("delta.crl"),
                          QStringLiteral("deltaCRL=critical,DER:02:01:01")));
    const CliRun run =
        verify({m_pki.path(QStringLiteral("good.pem")), m_pki.path(QStringLiteral("plain.pem")),
                QStringLiteral("--host"), QStringLiteral("leaf.test"), QStringLiteral("--crl"),
                m_pki.path(QStringLiteral("delta.crl")), QStringLiteral("--revocation"), QStringLiteral("crl")});
    QVERIFY2(run.standardError.contains(QStringLiteral("delta CRL")), qPrintable(run.standardError));
    // Not used: the leaf's revocation is not answered by it.
    for (const QJsonValue &check : run.json[QStringLiteral("revocation")].toArray())
        QVERIFY(check[QStringLiteral("status")].toString() != QLatin1String("good"));
}

void TestRfc5280::distrustedCertificateFailsThePath()
{
    const QStringList chain{m_pki.path(QStringLiteral("good.pem")), m_pki.path(QStringLiteral("plain.pem")),
                            QStringLiteral("--host"), QStringLiteral("leaf.test")};
    QCOMPARE(verify(chain).exitCode, 0);
    const CliRun run =
        verify(chain + QStringList{QStringLiteral("--distrust"), m_pki.path(QStringLiteral("plain.pem"))});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject failure = run.json[QStringLiteral("failures")].toArray().first().toObject();
    QCOMPARE(failure[QStringLiteral("key")].toString(), QStringLiteral("BlackListedKey"));
    QCOMPARE(failure[QStringLiteral("certIndex")].toInt(), 1);
    QCOMPARE(failure[QStringLiteral("recoverable")].toBool(), false);
    QCOMPARE(run.json[QStringLiteral("result")].toString(), QStringLiteral("fatalTrustFailure"));

    // The same through the core API, as the GUI's "Never Trust" passes it.
    const auto leaf = loadCertificatesFile(m_pki.path(QStringLiteral("good.pem")));
    const auto ca = loadCertificatesFile(m_pki.path(QStringLiteral("plain.pem")));
    const auto root = loadCertificatesFile(m_pki.path(QStringLiteral("root.pem")));
    QVERIFY(leaf && ca && root);
    trust::Policy policy;
    policy.anchors = *root;
    policy.anchorsOnly = true;
    policy.fetchMissingIntermediates = false;
    policy.distrustedSha256 = {QByteArray::fromHex(root->first().sha256Hex.toLatin1())};
    const trust::Evaluation evaluation = trust::evaluate(leaf->first(), *ca, policy);
    QVERIFY(!evaluation.trusted);
    QCOMPARE(evaluation.failures.first().key, QStringLiteral("BlackListedKey"));
    QCOMPARE(evaluation.failures.first().certIndex, 2); // the anchor itself
}

void TestRfc5280::trustedLeafAnchorsOnlyItself()
{
    QVERIFY(gen({QStringLiteral("leaf"), QStringLiteral("--self-signed"), QStringLiteral("--name"),
                 QStringLiteral("pinned"), QStringLiteral("--dns"), QStringLiteral("app.test")}));
    QVERIFY(gen({QStringLiteral("leaf"), QStringLiteral("--self-signed"), QStringLiteral("--name"),
                 QStringLiteral("impostor"), QStringLiteral("--dns"), QStringLiteral("app.test")}));
    const QStringList trustLeaf{QStringLiteral("--trust-leaf"), m_pki.path(QStringLiteral("pinned.pem")),
                                QStringLiteral("--host"), QStringLiteral("app.test")};
    CliRun run = verify(QStringList{m_pki.path(QStringLiteral("pinned.pem"))} + trustLeaf);
    QVERIFY2(run.exitCode == 0, QJsonDocument(run.json).toJson().constData());
    QCOMPARE(run.json[QStringLiteral("path")].toArray().first()[QStringLiteral("role")].toString(),
             QStringLiteral("anchor"));
    run = verify(QStringList{m_pki.path(QStringLiteral("impostor.pem"))} + trustLeaf);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.json[QStringLiteral("failures")].toArray().first()[QStringLiteral("key")].toString(),
             QStringLiteral("AnchorTrusted"));
    // The name is still checked.
    run = verify({m_pki.path(QStringLiteral("pinned.pem")), QStringLiteral("--trust-leaf"),
                  m_pki.path(QStringLiteral("pinned.pem")), QStringLiteral("--host"), QStringLiteral("other.test")});
    QCOMPARE(run.exitCode, 1);
    // A trusted leaf that is a CA does not anchor what it issued: only exactly itself.
    const QStringList underCa{m_pki.path(QStringLiteral("good.pem")), m_pki.path(QStringLiteral("plain.pem")),
                              QStringLiteral("--host"), QStringLiteral("leaf.test")};
    QCOMPARE(verify(underCa + QStringList{QStringLiteral("--trust-leaf"), m_pki.path(QStringLiteral("plain.pem"))},
                    QStringLiteral("pinned.pem"))
                 .exitCode,
             1);
    QCOMPARE(verify(underCa + QStringList{QStringLiteral("--trust-leaf"), m_pki.path(QStringLiteral("good.pem"))},
                    QStringLiteral("pinned.pem"))
                 .exitCode,
             0);
}

QTEST_GUILESS_MAIN(TestRfc5280)
#include "tst_rfc5280.moc"
