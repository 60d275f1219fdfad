// Trust exceptions: they cover exactly what was accepted (TN2232), and survive as property
// lists that other tools (Python's plistlib) read; hostile property lists are refused.

#include "Pki.h"

#include "trust/Exceptions.h"
#include "x509/Document.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace trustscope::core;
using namespace trustscope::core::trust;
using trustscope::test::Pki;

class TestExceptions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exceptionCoversTheAcceptedFailure();
    void impostorIsNotLetIn();
    void newFailureStillFails();
    void fatalFailuresCannotBeExcepted();
    void expiredExceptionsDoNotApply();
    void roundTrips();
    void appleArrayIsABinaryPlistWithSha1();
    void pythonReadsOurExports();
    void hostilePropertyLists_data();
    void hostilePropertyLists();
    void damagedStoreIsSetAside();
    void cliAddVerifyExportImport();
    void unreadableStoreIsNeverSavedOver();
    void damagedStoreIsReportedByTheCli();
    void concurrentCliWritersKeepEveryException();

private:
    Certificate load(const QString &name);
    Evaluation evaluateLeaf(const QString &leaf, const QString &host);
    Pki m_pki;
    QTemporaryDir m_data;
};

Certificate TestExceptions::load(const QString &name)
{
    const auto document = loadDocumentFile(m_pki.path(name));
    return document && !document->objects.isEmpty() ? *document->objects.first().as<Certificate>() : Certificate{};
}

Evaluation TestExceptions::evaluateLeaf(const QString &leaf, const QString &host)
{
    Policy policy;
    policy.anchors = {load(QStringLiteral("root.pem"))};
    policy.anchorsOnly = true;
    policy.fetchMissingIntermediates = false;
    policy.hostName = host;
    return evaluate(load(leaf), {load(QStringLiteral("intermediate.pem"))}, policy);
}

void TestExceptions::initTestCase()
{
    qputenv("TRUSTSCOPE_DATA_DIR", m_data.path().toUtf8());
    QVERIFY(m_pki.makeChain(QStringLiteral("server.test")));
    const QStringList extensions{
        QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("extendedKeyUsage=serverAuth"),
        QStringLiteral("subjectAltName=DNS:server.test"), QStringLiteral("authorityKeyIdentifier=keyid")};
    const QStringList expired{QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"),
                              QStringLiteral("-not_after"), QStringLiteral("20210101000000Z")};
    QVERIFY(m_pki.issue(QStringLiteral("expired"), QStringLiteral("/CN=server.test"), extensions,
                        QStringLiteral("intermediate"), QStringLiteral("ec"), expired));
    // The impostor: another expired certificate for the same name (a different key).
    QVERIFY(m_pki.issue(QStringLiteral("impostor"), QStringLiteral("/CN=server.test"), extensions,
                        QStringLiteral("intermediate"), QStringLiteral("ec"), expired));
    QVERIFY(m_pki.issue(QStringLiteral("weak"), QStringLiteral("/CN=server.test"), extensions,
                        QStringLiteral("intermediate"), QStringLiteral("rsa1024")));
}

void TestExceptions::exceptionCoversTheAcceptedFailure()
{
    const Evaluation failing = evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("server.test"));
    QCOMPARE(failing.result, QStringLiteral("recoverableTrustFailure"));
    const auto exception = exceptionFor(failing, QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(exception);
    QCOMPARE(exception->certificates.size(), 1);
    QCOMPARE(exception->certificates.first().checks.keys(), QStringList{QStringLiteral("TemporalValidity")});
    QCOMPARE(exception->certificates.first().sha1.size(), 20);
    QCOMPARE(exception->certificates.first().sha256.size(), 32);
    const Evaluation applied =
        applyExceptions(failing, {*exception}, QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(applied.trusted);
    QCOMPARE(applied.result, QStringLiteral("proceed"));
    QCOMPARE(applied.excepted.size(), 1);
    QCOMPARE(applied.excepted.first().key, QStringLiteral("TemporalValidity"));
    // Another port or policy is another exception.
    QVERIFY(!applyExceptions(failing, {*exception}, QStringLiteral("server.test"), 8443, QStringLiteral("ssl-server"))
                 .trusted);
    QVERIFY(!applyExceptions(failing, {*exception}, QStringLiteral("server.test"), 443, QStringLiteral("ssl-client"))
                 .trusted);
}

void TestExceptions::impostorIsNotLetIn()
{
    const auto exception = exceptionFor(evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("server.test")),
                                        QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(exception);
    // Met later on a hostile network: the same failure, another certificate.
    const Evaluation impostor = evaluateLeaf(QStringLiteral("impostor.pem"), QStringLiteral("server.test"));
    const Evaluation applied =
        applyExceptions(impostor, {*exception}, QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(!applied.trusted);
    QVERIFY(applied.excepted.isEmpty());
    QCOMPARE(applied.failures.first().key, QStringLiteral("TemporalValidity"));
}

void TestExceptions::newFailureStillFails()
{
    const auto exception = exceptionFor(evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("server.test")),
                                        QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(exception);
    // The same certificate reached under another name: expiry was accepted, the mismatch was not.
    const Evaluation renamed = evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("other.test"));
    TrustException forOther = *exception;
    forOther.host = QStringLiteral("other.test");
    const Evaluation applied =
        applyExceptions(renamed, {forOther}, QStringLiteral("other.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(!applied.trusted);
    QCOMPARE(applied.excepted.size(), 1); // the expiry
    QCOMPARE(applied.failures.size(), 1);
    QCOMPARE(applied.failures.first().key, QStringLiteral("SSLHostname"));
    // And an SSLHostname exception is bound to the host name it was made for.
    const auto nameException = exceptionFor(renamed, QStringLiteral("other.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(nameException);
    QCOMPARE(nameException->certificates.first().checks.value(QStringLiteral("SSLHostname")).toString(),
             QStringLiteral("other.test"));
}

void TestExceptions::fatalFailuresCannotBeExcepted()
{
    const Evaluation weak = evaluateLeaf(QStringLiteral("weak.pem"), QStringLiteral("server.test"));
    QCOMPARE(weak.result, QStringLiteral("fatalTrustFailure"));
    const auto exception = exceptionFor(weak, QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(!exception);
    QVERIFY(exception.error().message.contains(QLatin1String("WeakKeySize can never be excepted")));
    // Nor can a trusted chain be "excepted".
    QVERIFY(!exceptionFor(evaluateLeaf(QStringLiteral("leaf.pem"), QStringLiteral("server.test")),
                          QStringLiteral("server.test"), 443, QStringLiteral("ssl-server")));
}

void TestExceptions::expiredExceptionsDoNotApply()
{
    const Evaluation failing = evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("server.test"));
    const auto exception = exceptionFor(failing, QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"), {},
                                        QDateTime::currentDateTimeUtc().addDays(-1));
    QVERIFY(exception);
    QVERIFY(!applyExceptions(failing, {*exception}, QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"))
                 .trusted);
}

void TestExceptions::roundTrips()
{
    const auto exception = exceptionFor(evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("other.test")),
                                        QStringLiteral("other.test"), 8443, QStringLiteral("ssl-server"),
                                        QStringLiteral("staging box, certificate renewal pending"),
                                        QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), QTimeZone::UTC));
    QVERIFY(exception);
    const auto xml = exportExceptions({*exception}, PlistFormat::Xml);
    QVERIFY(xml && xml->startsWith("<?xml"));
    const auto fromXml = importExceptions(*xml);
    QVERIFY2(fromXml, qPrintable(fromXml ? QString() : fromXml.error().toString()));
    const auto binary = exportExceptions(*fromXml, PlistFormat::Binary);
    QVERIFY(binary && binary->startsWith("bplist00"));
    const auto fromBinary = importExceptions(*binary);
    QVERIFY(fromBinary && fromBinary->size() == 1);
    const TrustException &back = fromBinary->first();
    QCOMPARE(back.host, exception->host);
    QCOMPARE(back.port, 8443);
    QCOMPARE(back.note, exception->note);
    QCOMPARE(back.expires, exception->expires);
    QCOMPARE(back.created.toSecsSinceEpoch(), exception->created.toSecsSinceEpoch());
    QCOMPARE(back.certificates.first().sha256, exception->certificates.first().sha256);
    QCOMPARE(back.certificates.first().checks, exception->certificates.first().checks);
    // Through the store on disk.
    ExceptionStore store;
    store.add(back);
    QVERIFY(store.save());
    ExceptionStore reloaded;
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.exceptions().size(), 1);
    QCOMPARE(reloaded.exceptions().first().certificates.first().checks, exception->certificates.first().checks);
}

void TestExceptions::appleArrayIsABinaryPlistWithSha1()
{
    const auto exception = exceptionFor(evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("server.test")),
                                        QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    const auto array = exportAppleArray(*exception);
    QVERIFY(array && array->startsWith("bplist00"));
    QVERIFY(m_pki.write(QStringLiteral("apple.plist"), *array));
    QProcess python;
    python.start(QStringLiteral("python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import plistlib,sys; a=plistlib.load(open(sys.argv[1],'rb')); assert "
                                 "isinstance(a,list) and isinstance(a[0],dict); "
                                 "print(len(a[0]['SHA1Digest']), a[0]['TemporalValidity'])"),
                  m_pki.path(QStringLiteral("apple.plist"))});
    QVERIFY(python.waitForFinished(30000));
    QCOMPARE(python.exitCode(), 0);
    QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("20 False"));
    const auto back = importAppleArray(*array, QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"));
    QVERIFY(back);
    QCOMPARE(back->certificates.first().sha1, exception->certificates.first().sha1);
}

void TestExceptions::pythonReadsOurExports()
{
    const auto exception =
        exceptionFor(evaluateLeaf(QStringLiteral("expired.pem"), QStringLiteral("server.test")),
                     QStringLiteral("server.test"), 443, QStringLiteral("ssl-server"), QStringLiteral("note"));
    for (const PlistFormat format : {PlistFormat::Xml, PlistFormat::Binary}) {
        const auto data = exportExceptions({*exception}, format);
        QVERIFY(data && m_pki.write(QStringLiteral("export.plist"), *data));
        QProcess python;
        python.start(
            QStringLiteral("python3"),
            {QStringLiteral("-c"),
             QStringLiteral(
                 "import plistlib,sys,json,datetime; p=plistlib.load(open(sys.argv[1],'rb')); e=p['Exceptions'][0]; "
                 "print(json.dumps({'v':p['FormatVersion'],'host':e['Host'],'port':e['Port'],'policy':e['Policy'],"
                 "'created':e['Created'].replace(tzinfo=datetime.timezone.utc).timestamp(),'sha256':e['Certificates']["
                 "0]['SHA256Digest'].hex()}))"),
             m_pki.path(QStringLiteral("export.plist"))});
        QVERIFY(python.waitForFinished(30000));
        QCOMPARE(python.exitCode(), 0);
        const QJsonObject read = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        QCOMPARE(read[QStringLiteral("v")].toInt(), 1);
        QCOMPARE(read[QStringLiteral("host")].toString(), QStringLiteral("server.test"));
        QCOMPARE(read[QStringLiteral("port")].toInt(), 443);
        QCOMPARE(read[QStringLiteral("policy")].toString(), QStringLiteral("ssl-server"));
        QCOMPARE(qint64(read[QStringLiteral("created")].toDouble()),
                 exception->created.toSecsSinceEpoch()); // the same instant
        QCOMPARE(read[QStringLiteral("sha256")].toString().toLatin1(), exception->certificates.first().sha256.toHex());
    }
}

void TestExceptions::hostilePropertyLists_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");
    const auto wrap = [](const QByteArray &exception) {
        return "<?xml version=\"1.0\"?><plist "
               "version=\"1.0\"><dict><key>FormatVersion</key><integer>1</integer><key>Exceptions</key><array>" +
               exception + "</array></dict></plist>";
    };
    const QByteArray certificate = "<array><dict><key>SHA1Digest</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</"
                                   "data><key>TemporalValidity</key><false/></dict></array>";
    const auto entry = [&](const QByteArray &port, const QByteArray &certificates) {
        return "<dict><key>Host</key><string>a.test</string><key>Port</key>" + port +
               "<key>Policy</key><string>ssl-server</string>"
               "<key>Created</key><date>2026-01-01T00:00:00Z</date><key>Certificates</key>" +
               certificates + "</dict>";
    };
    QTest::newRow("empty") << QByteArray() << "empty";
    QTest::newRow("garbage") << QByteArray("not a plist at all")
                             << "not a dictionary"; // libplist reads it as an OpenStep string
    QTest::newRow("truncated binary") << QByteArray("bplist00\xd1\x01\x02", 11) << "not a valid property list";
    QTest::newRow("deep nesting") << QByteArray("<?xml version=\"1.0\"?><plist>") +
                                         QByteArray("<array>").repeated(5000) + QByteArray("</array>").repeated(5000) +
                                         "</plist>"
                                  << "nests 5000 levels deep";
    QTest::newRow("huge") << QByteArray(9 * 1024 * 1024, ' ') << "the limit is";
    // Found by fuzz_plist: libplist aborts the process on strings with a NUL unless they are refused first.
    QFile withNul(QStringLiteral(TRUSTSCOPE_SOURCE_DIR "/tests/fuzz/regressions/plist/string-with-nul.bplist"));
    QTest::newRow("binary string with NUL")
        << (withNul.open(QIODevice::ReadOnly) ? withNul.readAll() : QByteArray()) << "a string with a NUL character";
    QTest::newRow("XML string with NUL")
        << QByteArray("<?xml version=\"1.0\"?><plist><dict><key>FormatVersion</key><integer>1</integer>"
                      "<key>Exceptions</key><array><dict><key>Host</key><string>a&#0;b</string></dict></array>"
                      "</dict></plist>")
        << "a string with a NUL character";
    QTest::newRow("array at the top") << QByteArray("<?xml version=\"1.0\"?><plist><array/></plist>")
                                      << "not a dictionary";
    QTest::newRow("wrong version")
        << QByteArray("<?xml version=\"1.0\"?><plist><dict><key>FormatVersion</key><integer>7</integer></dict></plist>")
        << "FormatVersion 7";
    QTest::newRow("port as string") << wrap(entry("<string>443</string>", certificate)) << "Exceptions[0].Port";
    QTest::newRow("short digest") << wrap(entry("<integer>443</integer>",
                                                "<array><dict><key>SHA1Digest</key><data>AAAA</data></dict></array>"))
                                  << "Exceptions[0].Certificates[0]: SHA1Digest has 3 bytes, not 20";
    QTest::newRow("unknown check") << wrap(
                                          entry("<integer>443</integer>",
                                                "<array><dict><key>SHA1Digest</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</"
                                                "data><key>LetMeIn</key><true/></dict></array>"))
                                   << "'LetMeIn' is not a known trust check";
    QTest::newRow("fatal check") << wrap(entry("<integer>443</integer>",
                                               "<array><dict><key>SHA1Digest</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</"
                                               "data><key>Revocation</key><false/></dict></array>"))
                                 << "Revocation can never be excepted";
    QTest::newRow("second entry bad") << wrap(entry("<integer>443</integer>", certificate) + "<string>oops</string>")
                                      << "Exceptions[1] is not a dictionary";
}

void TestExceptions::hostilePropertyLists()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    const auto imported = importExceptions(data);
    QVERIFY(!imported);
    QVERIFY2(imported.error().message.contains(error), qPrintable(imported.error().message));
}

void TestExceptions::damagedStoreIsSetAside()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("exceptions.plist"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        "<?xml "
        "version=\"1.0\"?><plist><dict><key>FormatVersion</key><integer>1</integer><key>Exceptions</key><string>no");
    file.close();
    ExceptionStore store(path);
    QVERIFY(store.load());
    QVERIFY(store.exceptions().isEmpty());
    QVERIFY(store.loadWarning().contains(QLatin1String("did not load")));
    QVERIFY(!QFile::exists(path)); // moved aside, not overwritten
    QCOMPARE(QDir(folder.path()).entryList({QStringLiteral("exceptions.plist.damaged-*")}).size(), 1);
}

void TestExceptions::cliAddVerifyExportImport()
{
    QTemporaryDir data;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TRUSTSCOPE_DATA_DIR"), data.path());
    const auto run = [&](const QStringList &arguments, QByteArray *output = nullptr) {
        QProcess cli;
        cli.setProcessEnvironment(environment);
        cli.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
        cli.waitForFinished(30000);
        if (output)
            *output = cli.readAllStandardOutput();
        return cli.exitCode();
    };
    QVERIFY(m_pki.write(QStringLiteral("served.pem"),
                        m_pki.read(QStringLiteral("expired.pem")) + m_pki.read(QStringLiteral("intermediate.pem"))));
    const QStringList policy{m_pki.path(QStringLiteral("served.pem")),
                             QStringLiteral("--host"),
                             QStringLiteral("server.test"),
                             QStringLiteral("--anchor"),
                             m_pki.path(QStringLiteral("root.pem")),
                             QStringLiteral("--anchors-only"),
                             QStringLiteral("--no-aia")};
    QCOMPARE(run(QStringList{QStringLiteral("verify")} + policy), 1);
    QByteArray output;
    QCOMPARE(run(QStringList{QStringLiteral("exceptions"), QStringLiteral("add")} + policy +
                     QStringList{QStringLiteral("--note"), QStringLiteral("lab")},
                 &output),
             0);
    QVERIFY(output.contains("[TemporalValidity]"));
    QCOMPARE(run(QStringList{QStringLiteral("verify")} + policy + QStringList{QStringLiteral("--json")}, &output), 0);
    QCOMPARE(QJsonDocument::fromJson(output).object()[QStringLiteral("result")].toString(), QStringLiteral("proceed"));
    QCOMPARE(run({QStringLiteral("exceptions"), QStringLiteral("list")}, &output), 0);
    QVERIFY(output.contains("server.test:443 ssl-server  TemporalValidity@0"));
    QCOMPARE(run({QStringLiteral("exceptions"), QStringLiteral("export"), m_pki.path(QStringLiteral("out.plist")),
                  QStringLiteral("--format"), QStringLiteral("binary")}),
             0);
    QVERIFY(m_pki.read(QStringLiteral("out.plist")).startsWith("bplist00"));
    // A bad import leaves the store exactly as it was.
    const QByteArray before = QFile(data.filePath(QStringLiteral("exceptions.plist"))).exists() ? [&] {
        QFile store(data.filePath(QStringLiteral("exceptions.plist")));
        store.open(QIODevice::ReadOnly);
        return store.readAll();
    }()
                                                                                                : QByteArray();
    QVERIFY(!before.isEmpty());
    QVERIFY(m_pki.write(QStringLiteral("bad.plist"),
                        "<?xml "
                        "version=\"1.0\"?><plist><dict><key>FormatVersion</key><integer>1</integer><key>Exceptions</"
                        "key><array><string>x</string></array></dict></plist>"));
    QCOMPARE(run({QStringLiteral("exceptions"), QStringLiteral("import"), m_pki.path(QStringLiteral("bad.plist"))}), 2);
    QFile after(data.filePath(QStringLiteral("exceptions.plist")));
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), before);
    // Remove, then the exported file brings it back.
    QCOMPARE(run({QStringLiteral("exceptions"), QStringLiteral("remove"), QStringLiteral("server.test:443")}), 0);
    QCOMPARE(run(QStringList{QStringLiteral("verify")} + policy), 1);
    QCOMPARE(run({QStringLiteral("exceptions"), QStringLiteral("import"), m_pki.path(QStringLiteral("out.plist")),
                  QStringLiteral("--replace")}),
             0);
    QCOMPARE(run(QStringList{QStringLiteral("verify")} + policy), 0);
    // --exceptions FILE applies a file instead of the store.
    QCOMPARE(run({QStringLiteral("exceptions"), QStringLiteral("remove"), QStringLiteral("server.test")}), 0);
    QCOMPARE(run(QStringList{QStringLiteral("verify")} + policy +
                 QStringList{QStringLiteral("--exceptions"), m_pki.path(QStringLiteral("out.plist"))}),
             0);
}

void TestExceptions::unreadableStoreIsNeverSavedOver()
{
    // A store that cannot be read (here: a folder where the file should be) is left alone and
    // nothing is saved over it, neither by save() nor by update().
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("exceptions.plist"));
    QVERIFY(QDir().mkpath(path + QStringLiteral("/keep")));
    ExceptionStore store(path);
    const auto loaded = store.load();
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().message.contains(path), qPrintable(loaded.error().message));
    const auto saved = store.save();
    QVERIFY(!saved);
    QVERIFY2(saved.error().message.contains(QLatin1String("did not load")), qPrintable(saved.error().message));
    TrustException exception;
    exception.host = QStringLiteral("x.test");
    bool changed = false;
    QVERIFY(!store.update([&](ExceptionStore &locked) {
        changed = true;
        locked.add(exception);
    }));
    QVERIFY(!changed);
    QVERIFY(QFileInfo(path).isDir());
    QVERIFY(QFileInfo::exists(path + QStringLiteral("/keep")));
}

void TestExceptions::damagedStoreIsReportedByTheCli()
{
    QTemporaryDir data;
    const QString path = data.filePath(QStringLiteral("exceptions.plist"));
    QVERIFY(m_pki.write(QStringLiteral("damaged.plist"), "<?xml version=\"1.0\"?><plist><dict><key>Exceptions"));
    QVERIFY(QFile::copy(m_pki.path(QStringLiteral("damaged.plist")), path));
    QProcess cli;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TRUSTSCOPE_DATA_DIR"), data.path());
    cli.setProcessEnvironment(environment);
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("exceptions"), QStringLiteral("list")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QString errors = QString::fromUtf8(cli.readAllStandardError());
    const QStringList aside = QDir(data.path()).entryList({QStringLiteral("exceptions.plist.damaged-*")});
    QCOMPARE(aside.size(), 1);
    QVERIFY2(errors.contains(data.filePath(aside.first())), qPrintable(errors)); // names where it went
    QFile kept(data.filePath(aside.first()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), m_pki.read(QStringLiteral("damaged.plist")));
}

void TestExceptions::concurrentCliWritersKeepEveryException()
{
    // 20 `exceptions add` processes at once against one store: the lock keeps all 20.
    QTemporaryDir data;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TRUSTSCOPE_DATA_DIR"), data.path());
    constexpr int writers = 20;
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int index = 0; index < writers; ++index) {
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(environment);
        process->start(QStringLiteral(TRUSTSCOPE_CLI),
                       {QStringLiteral("exceptions"), QStringLiteral("add"), m_pki.path(QStringLiteral("expired.pem")),
                        QStringLiteral("--host"), QStringLiteral("host%1.test").arg(index), QStringLiteral("--anchor"),
                        m_pki.path(QStringLiteral("root.pem")), QStringLiteral("--anchors-only"),
                        QStringLiteral("--intermediate"), m_pki.path(QStringLiteral("intermediate.pem")),
                        QStringLiteral("--no-aia")});
        processes.push_back(std::move(process));
    }
    for (const auto &process : processes) {
        QVERIFY(process->waitForFinished(60000));
        QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
    }
    ExceptionStore store(data.filePath(QStringLiteral("exceptions.plist")));
    QVERIFY(store.load());
    QSet<QString> hosts;
    for (const TrustException &exception : store.exceptions())
        hosts.insert(exception.host);
    QCOMPARE(hosts.size(), writers);
    QVERIFY(!QFile::exists(data.filePath(QStringLiteral("exceptions.plist.lock"))));
}

QTEST_GUILESS_MAIN(TestExceptions)
#include "tst_exceptions.moc"
