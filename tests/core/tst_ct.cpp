// Certificate Transparency: test logs and leaves made by trustscope-cli gen at test time, SCTs
// verified by OpenSSL's CT code, both CT policies, SCTs delivered by openssl s_server (TLS
// extension and a stapled OCSP response), a private anchor (exempt), a test root store that makes
// a root "Apple included" (required), and bad log lists.

#include "Pki.h"
#include "Servers.h"
#include "ct/Ct.h"
#include "gen/Generator.h"
#include "ossl/Ossl.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <openssl/ocsp.h>
#include <openssl/pem.h>

using namespace trustscope::core;
using trustscope::test::OpenSslServer;
using trustscope::test::Pki;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray output;
    QJsonObject json;
};

Run cli(const QStringList &arguments, const QString &dataDir, const QString &rootStores = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TRUSTSCOPE_DATA_DIR"), dataDir);
    if (!rootStores.isEmpty())
        environment.insert(QStringLiteral("TRUSTSCOPE_ROOT_STORES"), rootStores);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.output = process.readAllStandardOutput();
    if (process.exitCode() > 1)
        qWarning().noquote() << arguments.join(u' ') << process.readAllStandardError();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.json = QJsonDocument::fromJson(run.output).object();
    return run;
}

QStringList failureKeys(const QJsonObject &json)
{
    QStringList keys;
    for (const QJsonValue &failure : json.value(QStringLiteral("failures")).toArray())
        keys.append(failure.toObject().value(QStringLiteral("key")).toString());
    return keys;
}

QJsonArray sctsOf(const QJsonObject &json)
{
    return json.value(QStringLiteral("ct")).toObject().value(QStringLiteral("scts")).toArray();
}

} // namespace

class CtTest : public QObject {
    Q_OBJECT

private:
    Pki m_pki;
    QString m_data;

    QString path(const QString &name) const { return m_pki.path(name); }

    bool makeLog(const QString &name, const QString &operatorName, const QStringList &extra = {})
    {
        return cli(QStringList{QStringLiteral("gen"), QStringLiteral("ct-log"), QStringLiteral("--name"), name,
                               QStringLiteral("--operator"), operatorName, QStringLiteral("--out"), path(name)} +
                       extra,
                   m_data)
                   .exitCode == 0;
    }

    // A 90-day leaf for ct.test under the test CA with SCTs from `logs` embedded.
    bool makeLeaf(const QString &name, const QStringList &logs, const QStringList &extra = {})
    {
        QStringList arguments{QStringLiteral("gen"),           QStringLiteral("leaf"),
                              QStringLiteral("--dns"),         QStringLiteral("ct.test"),
                              QStringLiteral("--days"),        QStringLiteral("90"),
                              QStringLiteral("--issuer-cert"), path(QStringLiteral("pki/ca.pem")),
                              QStringLiteral("--issuer-key"),  path(QStringLiteral("pki/ca.key")),
                              QStringLiteral("--name"),        name,
                              QStringLiteral("--out"),         path(QStringLiteral("pki"))};
        for (const QString &log : logs)
            arguments << QStringLiteral("--ct-log") << path(log);
        return cli(arguments + extra, m_data).exitCode == 0;
    }

    // verify LEAF under the test CA as the user's anchor, with the test logs' lists.
    Run verify(const QString &leaf, const QStringList &extra = {})
    {
        QStringList arguments{QStringLiteral("verify"),   path(QStringLiteral("pki/") + leaf + QStringLiteral(".pem")),
                              QStringLiteral("--host"),   QStringLiteral("ct.test"),
                              QStringLiteral("--anchor"), path(QStringLiteral("pki/ca.pem")),
                              QStringLiteral("--json")};
        for (const QString &log :
             {QStringLiteral("logA"), QStringLiteral("logB"), QStringLiteral("logA2"), QStringLiteral("logRetired")})
            arguments << QStringLiteral("--ct-log-list") << path(log + QStringLiteral("/log-list.json"));
        return cli(arguments + extra, m_data);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_data = path(QStringLiteral("data"));
        QVERIFY(makeLog(QStringLiteral("logA"), QStringLiteral("Operator A")));
        QVERIFY(makeLog(QStringLiteral("logB"), QStringLiteral("Operator B")));
        QVERIFY(makeLog(QStringLiteral("logA2"), QStringLiteral("Operator A")));
        QVERIFY(makeLog(QStringLiteral("logC"), QStringLiteral("Operator C"))); // its list is never given: unknown
        // Retired an hour ago: SCTs from before still count for embedded SCTs, later ones do not.
        QVERIFY(makeLog(QStringLiteral("logRetired"), QStringLiteral("Operator R"),
                        {QStringLiteral("--state"), QStringLiteral("retired"), QStringLiteral("--state-since"),
                         QDateTime::currentDateTimeUtc().addSecs(-3600).toString(Qt::ISODate)}));
        QVERIFY(cli({QStringLiteral("gen"), QStringLiteral("ca"), QStringLiteral("--out"), path(QStringLiteral("pki"))},
                    m_data)
                    .exitCode == 0);
    }

    void sctCountsAndOperators()
    {
        // --require-ct holds a chain under the user's own anchor to Apple's policy: a 90-day leaf
        // needs 2 valid SCTs from 2 operators.
        QVERIFY(makeLeaf(QStringLiteral("none"), {}));
        QVERIFY(makeLeaf(QStringLiteral("one"), {QStringLiteral("logA")}));
        QVERIFY(makeLeaf(QStringLiteral("two"), {QStringLiteral("logA"), QStringLiteral("logB")}));
        QVERIFY(makeLeaf(QStringLiteral("three"),
                         {QStringLiteral("logA"), QStringLiteral("logB"), QStringLiteral("logA2")}));
        QVERIFY(makeLeaf(QStringLiteral("sameOperator"), {QStringLiteral("logA"), QStringLiteral("logA2")}));
        const QStringList requireCt{QStringLiteral("--require-ct")};
        for (const auto &[leaf, count, trusted] :
             {std::tuple{QStringLiteral("none"), 0, false}, std::tuple{QStringLiteral("one"), 1, false},
              std::tuple{QStringLiteral("two"), 2, true}, std::tuple{QStringLiteral("three"), 3, true},
              std::tuple{QStringLiteral("sameOperator"), 2, false}}) {
            const Run run = verify(leaf, requireCt);
            QVERIFY2(run.exitCode == (trusted ? 0 : 1), qPrintable(leaf + QString::fromUtf8(run.output)));
            QCOMPARE(sctsOf(run.json).size(), count);
            for (const QJsonValue &sct : sctsOf(run.json)) {
                QCOMPARE(sct.toObject().value(QStringLiteral("signature")).toString(), QStringLiteral("valid"));
                QCOMPARE(sct.toObject().value(QStringLiteral("source")).toString(), QStringLiteral("embedded"));
                QVERIFY(!sct.toObject()
                             .value(QStringLiteral("log"))
                             .toObject()
                             .value(QStringLiteral("operator"))
                             .toString()
                             .isEmpty());
            }
            QCOMPARE(failureKeys(run.json).contains(QStringLiteral("CTRequired")), !trusted);
        }
        const Run same = verify(QStringLiteral("sameOperator"), requireCt);
        QVERIFY2(same.json.value(QStringLiteral("ct"))
                     .toObject()
                     .value(QStringLiteral("apple"))
                     .toObject()
                     .value(QStringLiteral("reason"))
                     .toString()
                     .contains(QLatin1String("1 operator")),
                 same.output.constData());
    }

    void privateAnchorIsExempt()
    {
        // Without --require-ct, no SCT at all under the user's own anchor is fine, and said so.
        QVERIFY(makeLeaf(QStringLiteral("exempt"), {}));
        const Run run = verify(QStringLiteral("exempt"));
        QCOMPARE(run.exitCode, 0);
        const QJsonObject apple =
            run.json.value(QStringLiteral("ct")).toObject().value(QStringLiteral("apple")).toObject();
        QVERIFY(!apple.value(QStringLiteral("required")).toBool());
        QVERIFY(!apple.value(QStringLiteral("compliant")).toBool());
        QVERIFY(apple.value(QStringLiteral("reason")).toString().contains(QLatin1String("exempt")));
    }

    void badSctsAreNamed()
    {
        // An unknown log, a future timestamp, a flipped signature byte.
        QVERIFY(makeLeaf(QStringLiteral("unknown"), {QStringLiteral("logA"), QStringLiteral("logC")}));
        const Run unknown = verify(QStringLiteral("unknown"));
        QCOMPARE(sctsOf(unknown.json)[1].toObject().value(QStringLiteral("signature")).toString(),
                 QStringLiteral("unknown-log"));
        QVERIFY(sctsOf(unknown.json)[1].toObject().value(QStringLiteral("log")).isNull());

        QVERIFY(
            makeLeaf(QStringLiteral("future"), {QStringLiteral("logA"), QStringLiteral("logB")},
                     {QStringLiteral("--sct-time"), QDateTime::currentDateTimeUtc().addDays(2).toString(Qt::ISODate)}));
        const Run future = verify(QStringLiteral("future"), {QStringLiteral("--require-ct")});
        QCOMPARE(future.exitCode, 1);
        const QJsonObject futureSct = sctsOf(future.json)[0].toObject();
        QCOMPARE(futureSct.value(QStringLiteral("signature")).toString(), QStringLiteral("valid"));
        QVERIFY(futureSct.value(QStringLiteral("problems")).toArray()[0].toString().contains(QLatin1String("future")));

        // Flip the last byte of the last SCT's signature inside the certificate and re-sign the
        // certificate with the CA, so that only the SCT is wrong.
        QVERIFY(makeLeaf(QStringLiteral("flipped"), {QStringLiteral("logA"), QStringLiteral("logB")}));
        auto leaf = gen::readCertificateFile(path(QStringLiteral("pki/flipped.pem")));
        auto caKey = gen::readPrivateKeyFile(path(QStringLiteral("pki/ca.key")));
        QVERIFY(leaf && caKey);
        X509_EXTENSION *extension =
            X509_get_ext(leaf->get(), X509_get_ext_by_NID(leaf->get(), NID_ct_precert_scts, -1));
        QVERIFY(extension);
        ASN1_OCTET_STRING *value = X509_EXTENSION_get_data(extension);
        QByteArray bytes(reinterpret_cast<const char *>(ASN1_STRING_get0_data(value)), ASN1_STRING_length(value));
        bytes[bytes.size() - 1] = char(bytes.at(bytes.size() - 1) ^ 0x01);
        QVERIFY(ASN1_OCTET_STRING_set(value, reinterpret_cast<const unsigned char *>(bytes.constData()),
                                      int(bytes.size())) == 1);
        QVERIFY(X509_sign(leaf->get(), caKey->get(), EVP_sha256()) > 0);
        QVERIFY(m_pki.write(QStringLiteral("pki/flipped.pem"), gen::certificatePem(leaf->get())));
        const Run flipped = verify(QStringLiteral("flipped"), {QStringLiteral("--require-ct")});
        QCOMPARE(flipped.exitCode, 1);
        QCOMPARE(sctsOf(flipped.json)[0].toObject().value(QStringLiteral("signature")).toString(),
                 QStringLiteral("valid"));
        QCOMPARE(sctsOf(flipped.json)[1].toObject().value(QStringLiteral("signature")).toString(),
                 QStringLiteral("invalid"));
        QVERIFY(!failureKeys(flipped.json).contains(QStringLiteral("BasicCertificateProcessing")));
    }

    void retiredLogBeforeAndAfterRetirement()
    {
        QVERIFY(makeLeaf(
            QStringLiteral("beforeRetirement"), {QStringLiteral("logA"), QStringLiteral("logRetired")},
            {QStringLiteral("--sct-time"), QDateTime::currentDateTimeUtc().addSecs(-3 * 3600).toString(Qt::ISODate)}));
        QVERIFY(makeLeaf(QStringLiteral("afterRetirement"), {QStringLiteral("logA"), QStringLiteral("logRetired")}));
        QCOMPARE(verify(QStringLiteral("beforeRetirement"), {QStringLiteral("--require-ct")}).exitCode, 0);
        const Run after = verify(QStringLiteral("afterRetirement"), {QStringLiteral("--require-ct")});
        QCOMPARE(after.exitCode, 1);
        QVERIFY2(after.json.value(QStringLiteral("ct"))
                     .toObject()
                     .value(QStringLiteral("apple"))
                     .toObject()
                     .value(QStringLiteral("reason"))
                     .toString()
                     .contains(QLatin1String("retired")),
                 after.output.constData());
        // At a time before the retirement the log was still usable: the same SCTs count.
        QCOMPARE(verify(QStringLiteral("afterRetirement"),
                        {QStringLiteral("--require-ct"), QStringLiteral("--at"),
                         QDateTime::currentDateTimeUtc().addSecs(-1800).toString(Qt::ISODate)})
                     .exitCode,
                 1); // the SCTs are from now: at that time they were in the future
        const QJsonObject retiredLog = sctsOf(after.json)[1].toObject().value(QStringLiteral("log")).toObject();
        QCOMPARE(retiredLog.value(QStringLiteral("state")).toString(), QStringLiteral("retired"));
        QCOMPARE(retiredLog.value(QStringLiteral("stateAtTimestamp")).toString(), QStringLiteral("retired"));
    }

    void sctsDeliveredByTlsAndOcsp()
    {
        QVERIFY(makeLeaf(QStringLiteral("plain"), {}));
        QVERIFY(
            cli({QStringLiteral("gen"), QStringLiteral("sct"), QStringLiteral("--ct-log"), path(QStringLiteral("logA")),
                 QStringLiteral("--ct-log"), path(QStringLiteral("logB")), QStringLiteral("--cert"),
                 path(QStringLiteral("pki/plain.pem")), QStringLiteral("--out"), path(QStringLiteral("pki"))},
                m_data)
                .exitCode == 0);
        {
            OpenSslServer server(path(QStringLiteral("pki")),
                                 {QStringLiteral("-cert"), QStringLiteral("plain.pem"), QStringLiteral("-key"),
                                  QStringLiteral("plain.key"), QStringLiteral("-serverinfo"),
                                  QStringLiteral("sct.serverinfo.pem")});
            QVERIFY(server.isRunning());
            const Run run =
                cli({QStringLiteral("verify"), QStringLiteral("--fetch"), server.target(), QStringLiteral("--host"),
                     QStringLiteral("ct.test"), QStringLiteral("--anchor"), path(QStringLiteral("pki/ca.pem")),
                     QStringLiteral("--require-ct"), QStringLiteral("--ct-log-list"),
                     path(QStringLiteral("logA/log-list.json")), QStringLiteral("--ct-log-list"),
                     path(QStringLiteral("logB/log-list.json")), QStringLiteral("--json")},
                    m_data);
            QVERIFY2(run.exitCode == 0, run.output.constData());
            QCOMPARE(sctsOf(run.json).size(), 2);
            QCOMPARE(sctsOf(run.json)[0].toObject().value(QStringLiteral("source")).toString(),
                     QStringLiteral("tls-extension"));
            QCOMPARE(sctsOf(run.json)[0].toObject().value(QStringLiteral("signature")).toString(),
                     QStringLiteral("valid"));
        }
        // A stapled OCSP response whose single response carries the SCT list (1.3.6.1.4.1.11129.2.4.5).
        auto leaf = gen::readCertificateFile(path(QStringLiteral("pki/plain.pem")));
        auto ca = gen::readCertificateFile(path(QStringLiteral("pki/ca.pem")));
        auto caKey = gen::readPrivateKeyFile(path(QStringLiteral("pki/ca.key")));
        QVERIFY(leaf && ca && caKey);
        QList<QByteArray> scts;
        for (const QString &log : {QStringLiteral("logA"), QStringLiteral("logB")}) {
            auto key = gen::readCtLog(path(log));
            QVERIFY(key);
            auto sct = gen::signSct(*key, QDateTime::currentDateTimeUtc().toMSecsSinceEpoch(), {},
                                    gen::certificateDer(leaf->get()));
            QVERIFY(sct);
            scts.append(*sct);
        }
        const QByteArray list = ct::joinSctList(scts);
        const auto *cursor = reinterpret_cast<const unsigned char *>(list.constData());
        trustscope::ossl::SctListPtr stack(o2i_SCT_LIST(nullptr, &cursor, size_t(list.size())));
        QVERIFY(stack);
        trustscope::ossl::OcspBasicResponsePtr basic(OCSP_BASICRESP_new());
        OCSP_CERTID *id = OCSP_cert_to_id(nullptr, leaf->get(), ca->get());
        trustscope::ossl::OcspCertIdPtr ownedId(id);
        trustscope::ossl::Asn1TimePtr now(ASN1_TIME_set(nullptr, time(nullptr)));
        trustscope::ossl::Asn1TimePtr next(ASN1_TIME_set(nullptr, time(nullptr) + 86400));
        OCSP_SINGLERESP *single =
            OCSP_basic_add1_status(basic.get(), id, V_OCSP_CERTSTATUS_GOOD, 0, nullptr, now.get(), next.get());
        QVERIFY(single);
        QVERIFY(OCSP_SINGLERESP_add1_ext_i2d(single, NID_ct_cert_scts, stack.get(), 0, 0) == 1);
        QVERIFY(OCSP_basic_sign(basic.get(), ca->get(), caKey->get(), EVP_sha256(), nullptr, 0) == 1);
        trustscope::ossl::OcspResponsePtr response(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
        unsigned char *der = nullptr;
        const int length = i2d_OCSP_RESPONSE(response.get(), &der);
        QVERIFY(length > 0);
        QVERIFY(m_pki.write(QStringLiteral("pki/staple.der"), QByteArray(reinterpret_cast<char *>(der), length)));
        OPENSSL_free(der);
        OpenSslServer server(path(QStringLiteral("pki")),
                             {QStringLiteral("-cert"), QStringLiteral("plain.pem"), QStringLiteral("-key"),
                              QStringLiteral("plain.key"), QStringLiteral("-status_file"),
                              QStringLiteral("staple.der")});
        QVERIFY(server.isRunning());
        const Run run = cli({QStringLiteral("fetch"), server.target(), QStringLiteral("--ct-log-list"),
                             path(QStringLiteral("logA/log-list.json")), QStringLiteral("--ct-log-list"),
                             path(QStringLiteral("logB/log-list.json")), QStringLiteral("--json")},
                            m_data);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(sctsOf(run.json).size(), 2);
        for (const QJsonValue &sct : sctsOf(run.json)) {
            QCOMPARE(sct.toObject().value(QStringLiteral("source")).toString(), QStringLiteral("ocsp"));
            QCOMPARE(sct.toObject().value(QStringLiteral("signature")).toString(), QStringLiteral("valid"));
        }
    }

    void rootInApplesStoreRequiresCt()
    {
        // The test CA as an "Apple included" root: CT is required, and SCTs from private logs
        // (the --ct-log-list files) satisfy it.
        const QString stores = path(QStringLiteral("stores"));
        QVERIFY(QDir().mkpath(stores));
        const auto ca = gen::readCertificateFile(path(QStringLiteral("pki/ca.pem")));
        QVERIFY(ca);
        const QByteArray der = gen::certificateDer(ca->get());
        const QJsonObject store{
            {QStringLiteral("format"), QStringLiteral("trustscope-root-store")},
            {QStringLiteral("formatVersion"), 1},
            {QStringLiteral("program"), QStringLiteral("apple")},
            {QStringLiteral("name"), QStringLiteral("Test Apple")},
            {QStringLiteral("source"), QStringLiteral("tst_ct")},
            {QStringLiteral("date"), QDate::currentDate().addDays(1).toString(Qt::ISODate)},
            {QStringLiteral("statusDate"), QDate::currentDate().addDays(1).toString(Qt::ISODate)},
            {QStringLiteral("downloadsMissingIssuers"), false},
            {QStringLiteral("roots"),
             QJsonArray{
                 QJsonObject{{QStringLiteral("sha256"),
                              QString::fromLatin1(QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex())},
                             {QStringLiteral("name"), QStringLiteral("Trustscope Test Root")},
                             {QStringLiteral("status"), QStringLiteral("Included")},
                             {QStringLiteral("statusFrom"), QStringLiteral("ccadb")},
                             {QStringLiteral("der"), QString::fromLatin1(der.toBase64())}}}}};
        QVERIFY(m_pki.write(QStringLiteral("stores/apple.json"), QJsonDocument(store).toJson()));
        QVERIFY(makeLeaf(QStringLiteral("public0"), {}));
        QVERIFY(makeLeaf(QStringLiteral("public2"), {QStringLiteral("logA"), QStringLiteral("logB")}));
        const auto underApple = [&](const QString &leaf) {
            return cli({QStringLiteral("verify"), path(QStringLiteral("pki/") + leaf + QStringLiteral(".pem")),
                        QStringLiteral("--host"), QStringLiteral("ct.test"), QStringLiteral("--roots"),
                        QStringLiteral("apple"), QStringLiteral("--ct-log-list"),
                        path(QStringLiteral("logA/log-list.json")), QStringLiteral("--ct-log-list"),
                        path(QStringLiteral("logB/log-list.json")), QStringLiteral("--json")},
                       m_data, stores);
        };
        const Run none = underApple(QStringLiteral("public0"));
        QCOMPARE(none.exitCode, 1);
        QCOMPARE(failureKeys(none.json), QStringList{QStringLiteral("SystemTrustedCTRequired")});
        QVERIFY(none.json.value(QStringLiteral("ct"))
                    .toObject()
                    .value(QStringLiteral("apple"))
                    .toObject()
                    .value(QStringLiteral("required"))
                    .toBool());
        QVERIFY(none.json.value(QStringLiteral("apple"))
                    .toObject()
                    .value(QStringLiteral("checkKeys"))
                    .toArray()
                    .contains(QStringLiteral("SystemTrustedCTRequired")));
        const Run two = underApple(QStringLiteral("public2"));
        QVERIFY2(two.exitCode == 0, two.output.constData());
    }

    void badLogListsAreNamed()
    {
        QFile good(path(QStringLiteral("logA/log-list.json")));
        QVERIFY(good.open(QIODevice::ReadOnly));
        const QByteArray text = good.readAll();
        const auto broken = [&](const QByteArray &from, const QByteArray &to, const QString &expected) {
            QByteArray bad = text;
            bad.replace(from, to);
            const auto list = ct::parseLogList(bad, QStringLiteral("bad.json"), QStringLiteral("user"));
            QVERIFY(!list);
            QVERIFY2(list.error().message.contains(QLatin1String("bad.json")) &&
                         list.error().message.contains(expected),
                     qPrintable(list.error().message));
        };
        broken("\"operators\"", "\"operatorz\"", QStringLiteral("operators"));
        broken("\"usable\"", "\"great\"", QStringLiteral("state"));
        broken("\"log_id\": \"", "\"log_id\": \"A", QStringLiteral("log_id"));
        broken("{", "[", QStringLiteral("JSON"));
        QVERIFY(ct::parseLogList(text, QStringLiteral("good.json"), QStringLiteral("user")));
        // The CLI names the file and exits 2.
        QVERIFY(m_pki.write(QStringLiteral("garbage.json"), QByteArrayLiteral("{\"operators\": 7}")));
        QCOMPARE(cli({QStringLiteral("verify"), path(QStringLiteral("pki/ca.pem")), QStringLiteral("--ct-log-list"),
                      path(QStringLiteral("garbage.json"))},
                     m_data)
                     .exitCode,
                 2);
        // SCT lists: lengths that lie are errors, not reads past the end.
        QVERIFY(!ct::splitSctList(QByteArrayLiteral("\x00\x05\x00\x09"
                                                    "abc")));
        QVERIFY(!ct::splitSctList(QByteArrayLiteral("\x00")));
        QCOMPARE(ct::splitSctList(ct::joinSctList({QByteArrayLiteral("abc"), QByteArrayLiteral("de")}))->size(), 2);
        // The shipped lists load, with their log counts.
        QVERIFY2(ct::data().error.isEmpty(), qPrintable(ct::data().error));
        QCOMPARE(ct::data().list(QStringLiteral("apple"))->logs.size(), 166);
        QCOMPARE(ct::data().list(QStringLiteral("chrome"))->logs.size(), 117);
    }
};

QTEST_GUILESS_MAIN(CtTest)
#include "tst_ct.moc"
