// Root programs: the shipped data, verdicts through a test store directory made of generated
// roots (TRUSTSCOPE_ROOT_STORES, via trustscope-cli), bad store files and import.

#include "Pki.h"
#include "roots/RootPrograms.h"
#include "trust/AnchorStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/x509.h>

using namespace trustscope::core;
using trustscope::test::Pki;

namespace {

QByteArray derOf(const Pki &pki, const QString &name)
{
    QByteArray der;
    if (!pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), name + QStringLiteral(".pem"),
                      QStringLiteral("-outform"), QStringLiteral("DER")},
                     &der))
        return {};
    return der;
}

QByteArray skiOf(const Pki &pki, const QString &name)
{
    QByteArray text;
    if (!pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), name + QStringLiteral(".pem"),
                      QStringLiteral("-noout"), QStringLiteral("-ext"), QStringLiteral("subjectKeyIdentifier")},
                     &text))
        return {};
    return QByteArray::fromHex(text.split('\n').value(1).trimmed().replace(':', ""));
}

struct Root {
    QString name;   // NAME.pem in the Pki
    QString status; // Included, Removed, Blocked …
    bool withCertificate = true;
};

bool writeStore(const Pki &pki, const QString &directory, const QString &program, const QList<Root> &roots)
{
    QJsonArray records;
    for (const Root &root : roots) {
        const QByteArray der = derOf(pki, root.name);
        QJsonObject record{
            {QStringLiteral("sha256"),
             QString::fromLatin1(QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex())},
            {QStringLiteral("name"), root.name},
            {QStringLiteral("status"), root.status},
            {QStringLiteral("statusFrom"), QStringLiteral("ccadb")},
            {QStringLiteral("subjectKeyIdentifier"), QString::fromLatin1(skiOf(pki, root.name).toBase64())}};
        if (root.withCertificate)
            record.insert(QStringLiteral("der"), QString::fromLatin1(der.toBase64()));
        records.append(record);
    }
    const QJsonObject store{{QStringLiteral("format"), QStringLiteral("trustscope-root-store")},
                            {QStringLiteral("formatVersion"), 1},
                            {QStringLiteral("program"), program},
                            {QStringLiteral("name"), QString(QStringLiteral("Test ") + program)},
                            {QStringLiteral("source"), QStringLiteral("tst_roots")},
                            {QStringLiteral("date"), QDate::currentDate().addDays(1).toString(Qt::ISODate)},
                            {QStringLiteral("statusDate"), QDate::currentDate().addDays(1).toString(Qt::ISODate)},
                            {QStringLiteral("downloadsMissingIssuers"), false},
                            {QStringLiteral("roots"), records}};
    QFile file(QDir(directory).filePath(program + QStringLiteral(".json")));
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(store).toJson()) > 0;
}

int runCli(const QStringList &arguments, const QString &stores, const QString &dataDir, QByteArray *output)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!stores.isEmpty())
        environment.insert(QStringLiteral("TRUSTSCOPE_ROOT_STORES"), stores);
    else
        environment.remove(QStringLiteral("TRUSTSCOPE_ROOT_STORES"));
    environment.insert(QStringLiteral("TRUSTSCOPE_DATA_DIR"), dataDir);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
    if (!process.waitForFinished(60000))
        return -1;
    *output = process.readAllStandardOutput();
    if (process.exitCode() > 1)
        qWarning().noquote() << process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

QJsonObject verdictOf(const QJsonObject &json, const QString &program)
{
    for (const QJsonValue &value : json.value(QStringLiteral("rootPrograms")).toArray())
        if (value.toObject().value(QStringLiteral("program")).toString() == program)
            return value.toObject();
    return {};
}

} // namespace

class RootsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qunsetenv("TRUSTSCOPE_ROOT_STORES"); }

    // The files shipped with the program: counts, and roots whose statuses are public knowledge.
    void shippedDataHasEveryProgram()
    {
        const roots::RootData &data = roots::rootData();
        QVERIFY2(data.error.isEmpty(), qPrintable(data.error));
        const QHash<QString, int> expectedRecords = {{QStringLiteral("apple"), 214},   {QStringLiteral("android"), 129},
                                                     {QStringLiteral("windows"), 683}, {QStringLiteral("chrome"), 146},
                                                     {QStringLiteral("mozilla"), 307}, {QStringLiteral("java"), 127}};
        QCOMPARE(data.programs.size(), 6);
        for (const roots::RootProgram &program : data.programs) {
            QCOMPARE(int(program.roots.size()), expectedRecords.value(program.id));
            QVERIFY(program.date.isValid());
            QVERIFY(program.trusted->size() > 80);
            // Every shipped certificate parses as OpenSSL does (loading checks outlines only) and
            // its subject index finds it.
            const auto parsed = roots::checkCertificates(program);
            QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
            for (int index = 0; index < program.known->size(); ++index) {
                X509 *x509 = program.known->x509(index);
                QVERIFY(x509);
                QVERIFY(program.known->withSubject(X509_get_subject_name(x509)).contains(index));
            }
        }
        // The reference snapshots, where this checkout has them: every PEM certificate is in the data.
        const QString reference = QStringLiteral(TRUSTSCOPE_SOURCE_DIR "/../shared/reference/root-stores");
        const QHash<QString, QString> pems = {{QStringLiteral("apple"), QStringLiteral("apple.pem")},
                                              {QStringLiteral("android"), QStringLiteral("google_aosp.pem")},
                                              {QStringLiteral("windows"), QStringLiteral("microsoft_windows.pem")},
                                              {QStringLiteral("mozilla"), QStringLiteral("mozilla_nss.pem")},
                                              {QStringLiteral("java"), QStringLiteral("openjdk.pem")}};
        if (!QFileInfo::exists(reference))
            return;
        for (auto it = pems.cbegin(); it != pems.cend(); ++it) {
            QFile file(QDir(reference).filePath(it.value()));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray text = file.readAll();
            const auto program = roots::findProgram(it.key());
            QVERIFY(program);
            int certificates = 0;
            for (qsizetype at = text.indexOf("-----BEGIN CERTIFICATE-----"); at >= 0;
                 at = text.indexOf("-----BEGIN CERTIFICATE-----", at + 1)) {
                const qsizetype end = text.indexOf("-----END CERTIFICATE-----", at);
                const QByteArray der =
                    QByteArray::fromBase64(text.mid(at + 27, end - at - 27).simplified().replace(' ', ""));
                const roots::RootRecord *record =
                    (*program)->record(QCryptographicHash::hash(der, QCryptographicHash::Sha256));
                QVERIFY2(record && record->der == der, qPrintable(it.value()));
                ++certificates;
            }
            QVERIFY(certificates > 80);
        }
    }

    void knownRootsHaveTheirStatus()
    {
        const QByteArray isrg = QByteArray::fromHex("96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6");
        for (const roots::RootStatus &status : roots::statusInPrograms(isrg)) {
            if (status.program == QLatin1String("system"))
                continue;
            QVERIFY2(status.record && status.record->status == QLatin1String("Included"), qPrintable(status.program));
        }
        const QByteArray tuntrust =
            QByteArray::fromHex("2e44102ab58cb85419451c8e19d9acf3662cafbc614b6a53960a30f7d0e2eb41");
        const auto mozilla = roots::findProgram(QStringLiteral("mozilla"));
        const auto apple = roots::findProgram(QStringLiteral("apple"));
        QVERIFY(mozilla && apple);
        QVERIFY((*mozilla)->record(tuntrust) && (*mozilla)->record(tuntrust)->trusted());
        QVERIFY(!(*apple)->record(tuntrust));
    }

    // Generated roots in a test store: per-program path building, Removed, Blocked, a root the
    // data lacks, one program's roots as the main verdict's anchors, and the Apple diagnosis.
    void verdictsPerProgram()
    {
        Pki pki;
        const QStringList ca{QStringLiteral("basicConstraints=critical,CA:true"),
                             QStringLiteral("keyUsage=critical,keyCertSign,cRLSign"),
                             QStringLiteral("subjectKeyIdentifier=hash")};
        const QStringList leafExtensions{
            QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("keyUsage=critical,digitalSignature"),
            QStringLiteral("extendedKeyUsage=serverAuth"), QStringLiteral("subjectAltName=DNS:server.test"),
            QStringLiteral("authorityKeyIdentifier=keyid")};
        QVERIFY(pki.issue(QStringLiteral("rootA"), QStringLiteral("/CN=Root A"), ca));
        QVERIFY(pki.issue(QStringLiteral("rootB"), QStringLiteral("/CN=Root B"), ca));
        QVERIFY(pki.issue(QStringLiteral("inter"), QStringLiteral("/CN=Inter"),
                          ca + QStringList{QStringLiteral("authorityKeyIdentifier=keyid")}, QStringLiteral("rootA")));
        // The same intermediate (name and key) cross-signed by Root B.
        QVERIFY(pki.openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-config"),
                             QStringLiteral("inter.cnf"), QStringLiteral("-key"), QStringLiteral("inter.key"),
                             QStringLiteral("-subj"), QStringLiteral("/CN=Inter"), QStringLiteral("-days"),
                             QStringLiteral("365"), QStringLiteral("-CA"), QStringLiteral("rootB.pem"),
                             QStringLiteral("-CAkey"), QStringLiteral("rootB.key"), QStringLiteral("-out"),
                             QStringLiteral("inter-cross.pem")}));
        QVERIFY(pki.issue(QStringLiteral("leaf"), QStringLiteral("/CN=server.test"), leafExtensions,
                          QStringLiteral("inter")));
        QVERIFY(pki.issue(QStringLiteral("interB"), QStringLiteral("/CN=Inter B"),
                          ca + QStringList{QStringLiteral("authorityKeyIdentifier=keyid")}, QStringLiteral("rootB")));
        QVERIFY(pki.issue(QStringLiteral("leafB"), QStringLiteral("/CN=server.test"), leafExtensions,
                          QStringLiteral("interB")));
        QVERIFY(pki.issue(QStringLiteral("rootC"), QStringLiteral("/CN=Root C"), ca));

        const QString stores = pki.path(QStringLiteral("stores"));
        QVERIFY(QDir().mkpath(stores));
        QVERIFY(writeStore(pki, stores, QStringLiteral("apple"),
                           {{QStringLiteral("rootA"), QStringLiteral("Included")},
                            {QStringLiteral("rootB"), QStringLiteral("Blocked")}}));
        QVERIFY(writeStore(pki, stores, QStringLiteral("mozilla"),
                           {{QStringLiteral("rootA"), QStringLiteral("Removed")},
                            {QStringLiteral("rootB"), QStringLiteral("Included")}}));
        QVERIFY(writeStore(pki, stores, QStringLiteral("android"),
                           {{QStringLiteral("rootC"), QStringLiteral("Included")}}));
        QVERIFY(writeStore(pki, stores, QStringLiteral("windows"),
                           {{QStringLiteral("rootA"), QStringLiteral("Included"), false}}));
        QVERIFY(
            writeStore(pki, stores, QStringLiteral("java"), {{QStringLiteral("rootB"), QStringLiteral("Removed")}}));
        QVERIFY(
            writeStore(pki, stores, QStringLiteral("chrome"), {{QStringLiteral("rootA"), QStringLiteral("Blocked")}}));
        const QString dataDir = pki.path(QStringLiteral("data"));

        QByteArray output;
        const QStringList chain{pki.path(QStringLiteral("leaf.pem")), pki.path(QStringLiteral("inter.pem")),
                                pki.path(QStringLiteral("inter-cross.pem"))};
        // As a TLS server, a leaf under a root Apple includes needs SCTs (it has none): the path
        // is right, and CT is the one failure (tst_ct covers CT itself).
        runCli(QStringList{QStringLiteral("verify")} + chain +
                   QStringList{QStringLiteral("--host"), QStringLiteral("server.test"), QStringLiteral("--no-aia"),
                               QStringLiteral("--root-program"), QStringLiteral("apple"), QStringLiteral("--json")},
               stores, dataDir, &output);
        const QJsonObject asServer = verdictOf(QJsonDocument::fromJson(output).object(), QStringLiteral("apple"));
        QCOMPARE(asServer.value(QStringLiteral("failures")).toArray().size(), 1);
        QCOMPARE(asServer.value(QStringLiteral("failures"))[0].toObject().value(QStringLiteral("key")).toString(),
                 QStringLiteral("SystemTrustedCTRequired"));
        // The paths per program, CT aside (the basic policy has none).
        runCli(QStringList{QStringLiteral("verify")} + chain +
                   QStringList{QStringLiteral("--policy"), QStringLiteral("basic"), QStringLiteral("--no-aia"),
                               QStringLiteral("--root-program"), QStringLiteral("all"), QStringLiteral("--json")},
               stores, dataDir, &output);
        const QJsonObject json = QJsonDocument::fromJson(output).object();
        QCOMPARE(json.value(QStringLiteral("rootPrograms")).toArray().size(), 7);
        const QJsonObject apple = verdictOf(json, QStringLiteral("apple"));
        QVERIFY2(apple.value(QStringLiteral("trusted")).toBool(), output.constData());
        QCOMPARE(apple.value(QStringLiteral("anchor")).toObject().value(QStringLiteral("subject")).toString(),
                 QStringLiteral("CN=Root A"));
        QCOMPARE(apple.value(QStringLiteral("status")).toString(), QStringLiteral("Included"));
        QCOMPARE(apple.value(QStringLiteral("store")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("Test apple"));
        // Mozilla removed Root A, but the cross-signed intermediate reaches Root B.
        const QJsonObject mozilla = verdictOf(json, QStringLiteral("mozilla"));
        QVERIFY(mozilla.value(QStringLiteral("trusted")).toBool());
        QCOMPARE(mozilla.value(QStringLiteral("anchor")).toObject().value(QStringLiteral("subject")).toString(),
                 QStringLiteral("CN=Root B"));
        const QJsonObject android = verdictOf(json, QStringLiteral("android"));
        QVERIFY(!android.value(QStringLiteral("trusted")).toBool());
        QVERIFY(android.value(QStringLiteral("anchor")).isNull());
        QVERIFY(!android.value(QStringLiteral("uncertain")).toBool());
        // The failure names the store that lacks the root, once.
        const QString lacking =
            android.value(QStringLiteral("failures"))[0].toObject().value(QStringLiteral("message")).toString();
        QVERIFY2(lacking.contains(QLatin1String("has no root for it")) &&
                     lacking.count(QLatin1String("Test android")) == 1,
                 qPrintable(lacking));
        // Windows includes Root A, but the data has no certificate of it: uncertain, and said why.
        const QJsonObject windows = verdictOf(json, QStringLiteral("windows"));
        QVERIFY(!windows.value(QStringLiteral("trusted")).toBool());
        QVERIFY(windows.value(QStringLiteral("uncertain")).toBool());
        QVERIFY(windows.value(QStringLiteral("note")).toString().contains(QLatin1String("rootA")));
        // Java has only Root B, removed: the failure says so.
        const QJsonObject java = verdictOf(json, QStringLiteral("java"));
        QVERIFY(!java.value(QStringLiteral("trusted")).toBool());
        QCOMPARE(java.value(QStringLiteral("status")).toString(), QStringLiteral("Removed"));
        const QJsonObject javaFailure = java.value(QStringLiteral("failures")).toArray().first().toObject();
        QCOMPARE(javaFailure.value(QStringLiteral("key")).toString(), QStringLiteral("AnchorTrusted"));
        QVERIFY(javaFailure.value(QStringLiteral("message")).toString().contains(QLatin1String("removed")));
        const QJsonObject chrome = verdictOf(json, QStringLiteral("chrome"));
        QCOMPARE(chrome.value(QStringLiteral("status")).toString(), QStringLiteral("Blocked"));
        QCOMPARE(chrome.value(QStringLiteral("failures"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("key"))
                     .toString(),
                 QStringLiteral("AnchorTrusted"));

        // Under Root B only: Apple blocks it, which is BlackListedKey, fatal, also in the Apple diagnosis.
        const QStringList chainB{pki.path(QStringLiteral("leafB.pem")), pki.path(QStringLiteral("interB.pem"))};
        runCli(QStringList{QStringLiteral("verify")} + chainB +
                   QStringList{QStringLiteral("--host"), QStringLiteral("server.test"), QStringLiteral("--no-aia"),
                               QStringLiteral("--root-program"), QStringLiteral("apple,mozilla"),
                               QStringLiteral("--json")},
               stores, dataDir, &output);
        const QJsonObject jsonB = QJsonDocument::fromJson(output).object();
        const QJsonObject appleB = verdictOf(jsonB, QStringLiteral("apple"));
        QCOMPARE(appleB.value(QStringLiteral("result")).toString(), QStringLiteral("fatalTrustFailure"));
        QCOMPARE(appleB.value(QStringLiteral("failures"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("key"))
                     .toString(),
                 QStringLiteral("BlackListedKey"));
        QVERIFY(verdictOf(jsonB, QStringLiteral("mozilla")).value(QStringLiteral("trusted")).toBool());
        QVERIFY(jsonB.value(QStringLiteral("apple"))
                    .toObject()
                    .value(QStringLiteral("checkKeys"))
                    .toArray()
                    .contains(QStringLiteral("BlackListedKey")));

        // --roots: one program's roots anchor the main verdict (exit 0 / 1).
        QCOMPARE(
            runCli(QStringList{QStringLiteral("verify")} + chainB +
                       QStringList{QStringLiteral("--host"), QStringLiteral("server.test"), QStringLiteral("--no-aia"),
                                   QStringLiteral("--roots"), QStringLiteral("mozilla")},
                   stores, dataDir, &output),
            0);
        QCOMPARE(
            runCli(QStringList{QStringLiteral("verify")} + chainB +
                       QStringList{QStringLiteral("--host"), QStringLiteral("server.test"), QStringLiteral("--no-aia"),
                                   QStringLiteral("--roots"), QStringLiteral("android")},
                   stores, dataDir, &output),
            1);
        // --anchor keeps working beside --roots.
        QCOMPARE(
            runCli(QStringList{QStringLiteral("verify")} + chainB +
                       QStringList{QStringLiteral("--host"), QStringLiteral("server.test"), QStringLiteral("--no-aia"),
                                   QStringLiteral("--roots"), QStringLiteral("android"), QStringLiteral("--anchor"),
                                   pki.path(QStringLiteral("rootB.pem"))},
                   stores, dataDir, &output),
            0);

        // A root given alone is judged as each program's anchor.
        runCli({QStringLiteral("verify"), pki.path(QStringLiteral("rootB.pem")), QStringLiteral("--policy"),
                QStringLiteral("basic"), QStringLiteral("--root-program"), QStringLiteral("all"),
                QStringLiteral("--json")},
               stores, dataDir, &output);
        const QJsonObject alone = QJsonDocument::fromJson(output).object();
        QVERIFY(verdictOf(alone, QStringLiteral("mozilla")).value(QStringLiteral("trusted")).toBool());
        QCOMPARE(verdictOf(alone, QStringLiteral("mozilla")).value(QStringLiteral("status")).toString(),
                 QStringLiteral("Included"));
        QCOMPARE(verdictOf(alone, QStringLiteral("apple")).value(QStringLiteral("status")).toString(),
                 QStringLiteral("Blocked"));
        QVERIFY(!verdictOf(alone, QStringLiteral("android")).value(QStringLiteral("trusted")).toBool());

        // An unknown program is a usage error.
        QCOMPARE(runCli({QStringLiteral("verify"), pki.path(QStringLiteral("rootB.pem")),
                         QStringLiteral("--root-program"), QStringLiteral("ios")},
                        stores, dataDir, &output),
                 2);
    }

    void badStoreFilesAreNamedAndImportKeepsTheOldSet()
    {
        Pki pki;
        QVERIFY(pki.issue(
            QStringLiteral("root"), QStringLiteral("/CN=Good Root"),
            {QStringLiteral("basicConstraints=critical,CA:true"), QStringLiteral("subjectKeyIdentifier=hash")}));
        const QString good = pki.path(QStringLiteral("good"));
        QVERIFY(QDir().mkpath(good));
        QVERIFY(writeStore(pki, good, QStringLiteral("apple"), {{QStringLiteral("root"), QStringLiteral("Included")}}));
        QVERIFY(roots::loadRootProgramDirectory(good));

        const auto broken = [&](const QString &name, const QByteArray &replaceFrom, const QByteArray &replaceTo,
                                const QString &expected) {
            const QString directory = pki.path(name);
            QDir().mkpath(directory);
            QFile in(QDir(good).filePath(QStringLiteral("apple.json")));
            QVERIFY(in.open(QIODevice::ReadOnly));
            QByteArray text = in.readAll();
            text.replace(replaceFrom, replaceTo);
            QFile out(QDir(directory).filePath(QStringLiteral("apple.json")));
            QVERIFY(out.open(QIODevice::WriteOnly) && out.write(text) == text.size());
            out.close();
            const auto loaded = roots::loadRootProgramDirectory(directory);
            QVERIFY2(!loaded, qPrintable(name));
            QVERIFY2(loaded.error().message.contains(QLatin1String("apple.json")), qPrintable(loaded.error().message));
            QVERIFY2(loaded.error().message.contains(expected), qPrintable(loaded.error().message));
        };
        broken(QStringLiteral("truncated"), "\"roots\"", "\"roots\" [[[", QStringLiteral("JSON error"));
        broken(QStringLiteral("status"), "\"Included\"", "\"Maybe\"", QStringLiteral("unknown status"));
        broken(QStringLiteral("program"), "\"apple\"", "\"ios\"", QStringLiteral("unknown program"));
        broken(QStringLiteral("format"), "trustscope-root-store", "something-else", QStringLiteral("format"));
        QByteArray goodText;
        {
            QFile in(QDir(good).filePath(QStringLiteral("apple.json")));
            QVERIFY(in.open(QIODevice::ReadOnly));
            goodText = in.readAll();
        }
        const qsizetype digest = goodText.indexOf("\"sha256\": \"") + 11;
        broken(QStringLiteral("digest"), goodText.mid(digest, 8), "00000000", QStringLiteral("SHA-256"));
        QVERIFY(!roots::loadRootProgramDirectory(pki.path(QStringLiteral("nothing-here"))));
        // Bytes that are not a certificate's outline fail the load; a certificate whose outline
        // holds (so that it is indexed) but whose validity is not a time fails the import's parse.
        const QByteArray rootDer = derOf(pki, QStringLiteral("root"));
        const auto withDer = [&](const QString &name, const QByteArray &der) {
            QByteArray text = goodText;
            text.replace(rootDer.toBase64(), der.toBase64());
            text.replace(QCryptographicHash::hash(rootDer, QCryptographicHash::Sha256).toHex(),
                         QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex());
            const QString directory = pki.path(name);
            QDir().mkpath(directory);
            QFile out(QDir(directory).filePath(QStringLiteral("apple.json")));
            return out.open(QIODevice::WriteOnly) && out.write(text) == text.size();
        };
        QVERIFY(withDer(QStringLiteral("garbage"), QByteArrayLiteral("\x30\x03\x02\x01\x01")));
        const auto garbage = roots::loadRootProgramDirectory(pki.path(QStringLiteral("garbage")));
        QVERIFY(!garbage);
        QVERIFY2(garbage.error().message.contains(QLatin1String("not DER")), qPrintable(garbage.error().message));
        QByteArray badTime = rootDer;
        const qsizetype utcTime = badTime.indexOf(QByteArrayLiteral("\x17\x0d"));
        QVERIFY(utcTime > 0);
        badTime[utcTime] = 0x04; // an OCTET STRING where the notBefore UTCTime was
        QVERIFY(withDer(QStringLiteral("bad-time"), badTime));
        const auto outlined = roots::loadRootProgramDirectory(pki.path(QStringLiteral("bad-time")));
        QVERIFY(outlined);
        const auto parsed = roots::checkCertificates(outlined->first());
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message.contains(QLatin1String("roots[0]")) &&
                     parsed.error().message.contains(QLatin1String("apple.json")),
                 qPrintable(parsed.error().message));

        // Import: a good set lands; a bad one fails and leaves the good one in place.
        const QString dataDir = pki.path(QStringLiteral("data"));
        QByteArray output;
        QCOMPARE(runCli({QStringLiteral("roots"), QStringLiteral("import"), good}, {}, dataDir, &output), 0);
        const QString imported = QDir(dataDir).filePath(QStringLiteral("root-stores/apple.json"));
        QFile first(imported);
        QVERIFY(first.open(QIODevice::ReadOnly));
        const QByteArray before = first.readAll();
        QCOMPARE(runCli({QStringLiteral("roots"), QStringLiteral("import"), pki.path(QStringLiteral("status"))}, {},
                        dataDir, &output),
                 2);
        QCOMPARE(runCli({QStringLiteral("roots"), QStringLiteral("import"), pki.path(QStringLiteral("bad-time"))}, {},
                        dataDir, &output),
                 2);
        QFile second(imported);
        QVERIFY(second.open(QIODevice::ReadOnly));
        QCOMPARE(second.readAll(), before);
        // The imported set is what the CLI uses now.
        QCOMPARE(
            runCli({QStringLiteral("roots"), QStringLiteral("list"), QStringLiteral("apple"), QStringLiteral("--json")},
                   {}, dataDir, &output),
            0);
        const QJsonObject listed = QJsonDocument::fromJson(output).array().first().toObject();
        QCOMPARE(listed.value(QStringLiteral("rootCount")).toInt(), 1);
        QCOMPARE(
            listed.value(QStringLiteral("roots")).toArray().first().toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("root"));
        // --version --json names each snapshot.
        QCOMPARE(runCli({QStringLiteral("--version"), QStringLiteral("--json")}, {}, dataDir, &output), 0);
        QCOMPARE(QJsonDocument::fromJson(output).object().value(QStringLiteral("rootPrograms")).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(RootsTest)
#include "tst_roots.moc"
