// The test PKI generator, checked by real peers: every scenario by `openssl verify` and by our
// evaluator, every key type read back by openssl, both PKCS#12 flavours by `openssl pkcs12`, and
// the local test server by `openssl s_client` and by our own fetch (directly and behind STARTTLS).

#include "Pki.h"
#include "Servers.h"

#include "gen/Generator.h"
#include "gen/TestServer.h"
#include "tls/TlsFetch.h"
#include "trust/TrustEvaluation.h"
#include "x509/Document.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <unistd.h>

using namespace trustscope::core;

namespace {

QList<Certificate> certificatesIn(const QString &path)
{
    QList<Certificate> certificates;
    const auto document = loadDocumentFile(path);
    if (!document)
        return certificates;
    for (const PkiObject &object : document->objects)
        if (const Certificate *certificate = object.as<Certificate>())
            certificates.append(*certificate);
    return certificates;
}

// Runs openssl with `arguments` in `folder`; returns the exit code, output merged.
int openssl(const QString &folder, const QStringList &arguments, QByteArray *output = nullptr,
            const QByteArray &input = {})
{
    QProcess process;
    process.setWorkingDirectory(folder);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForStarted(5000))
        return -1;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    if (output)
        *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A scenario written to a temporary folder and served on a worker thread until destroyed.
class ServedScenario {
public:
    ServedScenario(const QString &name, bool smtpStartTls)
    {
        if (!gen::writeScenario(name, m_dir.path()))
            return;
        gen::ServeOptions options;
        options.chainPem = readFile(file(QStringLiteral("chain.pem")));
        options.keyPem = readFile(file(QStringLiteral("leaf.key")));
        options.startTls = smtpStartTls ? tls::StartTls::Smtp : tls::StartTls::None;
        m_server = std::thread([this, options] {
            (void)gen::serveTls(options, m_stop, [this](quint16 listening) { m_port = listening; });
            m_finished = true;
        });
        for (int waited = 0; waited < 10000 && m_port.load() == 0 && !m_finished.load(); waited += 20)
            QTest::qWait(20);
    }
    ~ServedScenario()
    {
        m_stop = true;
        if (m_server.joinable())
            m_server.join();
    }
    [[nodiscard]] quint16 port() const { return m_port; } // 0: not serving
    [[nodiscard]] QString folder() const { return m_dir.path(); }
    [[nodiscard]] QString file(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    std::atomic_bool m_stop = false;
    std::atomic_bool m_finished = false;
    std::atomic<quint16> m_port = 0;
    std::thread m_server;
};

} // namespace

class TestGen : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scenarios_data();
    void scenarios();
    void keyTypesRoundTrip_data();
    void keyTypesRoundTrip();
    void requestsAreSignedByACa();
    void constraintsAndExtensions();
    void pkcs12Flavours();
    void secretsAreWrittenPrivatelyAndAtomically();
    void servedScenarioIsFetchedByOpenSslAndUs();
    void servedBehindSmtpStartTls();
    void cliContract();
    void badInputIsRefused();
};

void TestGen::scenarios_data()
{
    QTest::addColumn<QString>("name");
    for (const gen::ScenarioInfo &info : gen::scenarios())
        QTest::newRow(qPrintable(info.name)) << info.name;
}

void TestGen::scenarios()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const quint16 httpPort = trustscope::test::freePort();
    gen::ScenarioOptions options;
    options.baseUrl = QStringLiteral("http://127.0.0.1:%1/").arg(httpPort);
    const auto written = gen::writeScenario(name, dir.path(), options);
    QVERIFY2(written.has_value(), written ? "" : qPrintable(written.error().toString()));
    for (const QString &file :
         {QStringLiteral("root.pem"), QStringLiteral("intermediate.pem"), QStringLiteral("leaf.pem"),
          QStringLiteral("leaf.key"), QStringLiteral("chain.pem"), QStringLiteral("README.txt")})
        QVERIFY2(QFile::exists(dir.filePath(file)), qPrintable(file));
    QVERIFY(readFile(dir.filePath(QStringLiteral("README.txt"))).contains(name.toUtf8()));

    // openssl verify: the root trusted, the rest of chain.pem untrusted, as a TLS client would.
    QStringList arguments{
        QStringLiteral("verify"),     QStringLiteral("-CAfile"),          QStringLiteral("root.pem"),
        QStringLiteral("-untrusted"), QStringLiteral("chain.pem"),        QStringLiteral("-purpose"),
        QStringLiteral("sslserver"),  QStringLiteral("-verify_hostname"), QStringLiteral("localhost")};
    if (name == QLatin1String("revoked"))
        arguments << QStringLiteral("-crl_check") << QStringLiteral("-CRLfile") << QStringLiteral("intermediate.crl");
    arguments << QStringLiteral("leaf.pem");
    QByteArray output;
    const int exitCode = openssl(dir.path(), arguments, &output);
    const gen::ScenarioInfo &info = written->info;
    const bool opensslAccepts = info.opensslAccepts;
    QVERIFY2((exitCode == 0) == opensslAccepts, output.constData());

    // Our evaluator with the root as the only anchor: trusted for `valid`, else the named check.
    const QList<Certificate> chain = certificatesIn(dir.filePath(QStringLiteral("chain.pem")));
    const QList<Certificate> roots = certificatesIn(dir.filePath(QStringLiteral("root.pem")));
    QVERIFY(!chain.isEmpty() && roots.size() == 1);
    trust::Policy policy;
    policy.anchors = roots;
    policy.anchorsOnly = true;
    policy.hostName = QStringLiteral("localhost");
    policy.fetchMissingIntermediates = false;
    std::unique_ptr<trustscope::test::ListeningProcess> http;
    if (name == QLatin1String("revoked")) {
        http = trustscope::test::startHttpServer(dir.path(), httpPort);
        QVERIFY(http->isRunning());
        policy.revocation = trust::RevocationMode::Crl;
        trust::clearRevocationCache();
    }
    const trust::Evaluation evaluation = trust::evaluate(chain.first(), chain.mid(1), policy);
    QStringList keys;
    for (const trust::CheckFailure &failure : evaluation.failures)
        keys.append(failure.key);
    if (info.expectedKey.isEmpty()) {
        QVERIFY2(evaluation.trusted, qPrintable(keys.join(QLatin1Char(' '))));
    } else if (info.expectedKey == QLatin1String("ValidityPeriodMaximums")) {
        // Under the user's own root the lifetime is an advisory, not a failure (as on Apple platforms).
        QVERIFY2(evaluation.trusted, qPrintable(keys.join(QLatin1Char(' '))));
        QCOMPARE(evaluation.advisories.size(), 1);
        QCOMPARE(evaluation.advisories.first().key, info.expectedKey);
    } else {
        QVERIFY2(!evaluation.trusted, "a broken scenario was trusted");
        QVERIFY2(keys.contains(info.expectedKey),
                 qPrintable(QStringLiteral("expected %1, got %2").arg(info.expectedKey, keys.join(QLatin1Char(' ')))));
    }

    // And a missing intermediate is repaired over AIA, which points where the file is served.
    if (name == QLatin1String("missing-intermediate")) {
        QCOMPARE(chain.size(), 1);
        const auto server = trustscope::test::startHttpServer(dir.path(), httpPort);
        QVERIFY(server->isRunning());
        policy.fetchMissingIntermediates = true;
        const trust::Evaluation repaired = trust::evaluate(chain.first(), chain.mid(1), policy);
        QVERIFY2(repaired.trusted, qPrintable(repaired.mainReason()));
        QCOMPARE(repaired.path.at(1).source, QStringLiteral("aia"));
    }
}

void TestGen::keyTypesRoundTrip_data()
{
    QTest::addColumn<QString>("keyType");
    for (const QString &type : gen::keyTypeNames())
        QTest::newRow(qPrintable(type)) << type;
}

void TestGen::keyTypesRoundTrip()
{
    QFETCH(QString, keyType);
    QTemporaryDir dir;
    auto key = gen::generateKey(keyType);
    QVERIFY2(key.has_value(), key ? "" : qPrintable(key.error().toString()));
    gen::CertificateSpec spec;
    spec.role = gen::Role::RootCa;
    spec.commonName = QStringLiteral("Root %1").arg(keyType);
    auto root = gen::issueCertificate(spec, key->get());
    QVERIFY2(root.has_value(), root ? "" : qPrintable(root.error().toString()));
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("root.pem")), gen::certificatePem(root->get())));
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("root.der")), gen::certificateDer(root->get())));
    const auto encrypted = gen::privateKeyPem(key->get(), "secret phrase");
    QVERIFY(encrypted.has_value());
    QVERIFY(encrypted->contains("ENCRYPTED PRIVATE KEY"));
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("root.key")), *encrypted, true));

    // openssl reads the key back with the passphrase, and its public half matches the certificate.
    QByteArray fromKey, fromCertificate, output;
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("pkey"), QStringLiteral("-in"), QStringLiteral("root.key"),
                      QStringLiteral("-passin"), QStringLiteral("pass:secret phrase"), QStringLiteral("-pubout")},
                     &fromKey),
             0);
    QCOMPARE(
        openssl(dir.path(),
                {QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("root.der"), QStringLiteral("-inform"),
                 QStringLiteral("DER"), QStringLiteral("-noout"), QStringLiteral("-pubkey")},
                &fromCertificate),
        0);
    QCOMPARE(fromKey, fromCertificate);
    QVERIFY(openssl(dir.path(), {QStringLiteral("pkey"), QStringLiteral("-in"), QStringLiteral("root.key"),
                                 QStringLiteral("-passin"), QStringLiteral("pass:wrong")}) != 0);
    // The self-signature verifies, and a leaf issued under it does too.
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("verify"), QStringLiteral("-CAfile"), QStringLiteral("root.pem"),
                      QStringLiteral("root.pem")},
                     &output),
             0);
    auto leafKey = gen::generateKey(keyType);
    QVERIFY(leafKey.has_value());
    gen::CertificateSpec leafSpec;
    leafSpec.commonName = QStringLiteral("leaf.test");
    leafSpec.dnsNames = {QStringLiteral("leaf.test")};
    auto leaf = gen::issueCertificate(leafSpec, leafKey->get(), root->get(), key->get());
    QVERIFY(leaf.has_value());
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("leaf.pem")), gen::certificatePem(leaf->get())));
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("verify"), QStringLiteral("-CAfile"), QStringLiteral("root.pem"),
                      QStringLiteral("-purpose"), QStringLiteral("sslserver"), QStringLiteral("-verify_hostname"),
                      QStringLiteral("leaf.test"), QStringLiteral("leaf.pem")},
                     &output),
             0);
    // Our own decoder names the algorithm.
    const QList<Certificate> decoded = certificatesIn(dir.filePath(QStringLiteral("leaf.pem")));
    QCOMPARE(decoded.size(), 1);
    QVERIFY(!decoded.first().publicKey.algorithm.isEmpty());
}

void TestGen::requestsAreSignedByACa()
{
    QTemporaryDir dir;
    auto caKey = gen::generateKey(QStringLiteral("p384"));
    QVERIFY(caKey.has_value());
    gen::CertificateSpec caSpec;
    caSpec.role = gen::Role::RootCa;
    caSpec.commonName = QStringLiteral("CSR Root");
    auto ca = gen::issueCertificate(caSpec, caKey->get());
    QVERIFY(ca.has_value());

    auto key = gen::generateKey(QStringLiteral("rsa2048"));
    QVERIFY(key.has_value());
    gen::CertificateSpec requestSpec;
    requestSpec.commonName = QStringLiteral("csr.test");
    requestSpec.dnsNames = {QStringLiteral("csr.test"), QStringLiteral("www.csr.test")};
    auto request = gen::createRequest(requestSpec, key->get());
    QVERIFY(request.has_value());
    trustscope::ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    QVERIFY(PEM_write_bio_X509_REQ(bio.get(), request->get()) == 1);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("request.csr")), QByteArray(data, length)));
    QByteArray output;
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("req"), QStringLiteral("-in"), QStringLiteral("request.csr"),
                      QStringLiteral("-verify"), QStringLiteral("-noout"), QStringLiteral("-text")},
                     &output),
             0);
    QVERIFY2(output.contains("DNS:www.csr.test"), output.constData());

    gen::CertificateSpec signSpec;
    signSpec.serverAuth = true;
    auto issued = gen::signRequest(request->get(), signSpec, ca->get(), caKey->get());
    QVERIFY2(issued.has_value(), issued ? "" : qPrintable(issued.error().toString()));
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("ca.pem")), gen::certificatePem(ca->get())));
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("signed.pem")), gen::certificatePem(issued->get())));
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("verify"), QStringLiteral("-CAfile"), QStringLiteral("ca.pem"),
                      QStringLiteral("-verify_hostname"), QStringLiteral("www.csr.test"), QStringLiteral("signed.pem")},
                     &output),
             0);
}

void TestGen::constraintsAndExtensions()
{
    QTemporaryDir dir;
    auto key = gen::generateKey(QStringLiteral("p256"));
    QVERIFY(key.has_value());
    gen::CertificateSpec rootSpec;
    rootSpec.role = gen::Role::RootCa;
    rootSpec.commonName = QStringLiteral("Constraints Root");
    auto root = gen::issueCertificate(rootSpec, key->get());
    QVERIFY(root.has_value());
    gen::CertificateSpec intermediateSpec;
    intermediateSpec.role = gen::Role::IntermediateCa;
    intermediateSpec.commonName = QStringLiteral("Constrained");
    intermediateSpec.pathLength = 0;
    intermediateSpec.permittedNames = {QStringLiteral("DNS:example.test"), QStringLiteral("IP:10.0.0.0/8"),
                                       QStringLiteral("email:example.test")};
    intermediateSpec.excludedNames = {QStringLiteral("DNS:bad.example.test")};
    auto intermediateKey = gen::generateKey(QStringLiteral("p256"));
    auto intermediate = gen::issueCertificate(intermediateSpec, intermediateKey->get(), root->get(), key->get());
    QVERIFY2(intermediate.has_value(), intermediate ? "" : qPrintable(intermediate.error().toString()));
    gen::CertificateSpec leafSpec;
    leafSpec.commonName = QStringLiteral("www.example.test");
    leafSpec.dnsNames = {QStringLiteral("www.example.test")};
    leafSpec.ipAddresses = {QStringLiteral("10.1.2.3")};
    leafSpec.emailAddresses = {QStringLiteral("ops@example.test")};
    leafSpec.uris = {QStringLiteral("https://www.example.test/")};
    leafSpec.serverAuth = true;
    leafSpec.clientAuth = true;
    leafSpec.mustStaple = true;
    leafSpec.ocspUrl = QStringLiteral("http://ocsp.example.test/");
    leafSpec.caIssuersUrl = QStringLiteral("http://ca.example.test/intermediate.der");
    leafSpec.crlUrl = QStringLiteral("http://ca.example.test/intermediate.crl");
    leafSpec.digest = QStringLiteral("sha384");
    leafSpec.notBefore = QDateTime::currentDateTimeUtc().addDays(-10);
    leafSpec.notAfter = QDateTime::currentDateTimeUtc().addDays(-1); // already expired, on purpose
    auto leafKey = gen::generateKey(QStringLiteral("ed25519"));
    auto leaf = gen::issueCertificate(leafSpec, leafKey->get(), intermediate->get(), intermediateKey->get());
    QVERIFY(leaf.has_value());
    QVERIFY(
        !gen::writeFile(dir.filePath(QStringLiteral("intermediate.pem")), gen::certificatePem(intermediate->get())));
    QVERIFY(!gen::writeFile(dir.filePath(QStringLiteral("leaf.pem")), gen::certificatePem(leaf->get())));
    QByteArray text;
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("intermediate.pem"),
                      QStringLiteral("-noout"), QStringLiteral("-text")},
                     &text),
             0);
    for (const char *expected : {"pathlen:0", "Permitted:", "DNS:example.test", "IP:10.0.0.0/255.0.0.0",
                                 "email:example.test", "Excluded:", "DNS:bad.example.test"})
        QVERIFY2(text.contains(expected), expected);
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                      QStringLiteral("-noout"), QStringLiteral("-text")},
                     &text),
             0);
    for (const char *expected :
         {"DNS:www.example.test", "IP Address:10.1.2.3", "email:ops@example.test", "URI:https://www.example.test/",
          "TLS Web Server Authentication", "TLS Web Client Authentication", "status_request",
          "OCSP - URI:http://ocsp.example.test/", "CA Issuers - URI:http://ca.example.test/intermediate.der",
          "URI:http://ca.example.test/intermediate.crl", "ecdsa-with-SHA384", "CA:FALSE"})
        QVERIFY2(text.contains(expected), expected);
    // 128-bit random serials: 16 or 17 bytes (a leading zero keeps them positive), never the same twice.
    const QList<Certificate> decoded = certificatesIn(dir.filePath(QStringLiteral("leaf.pem")));
    QCOMPARE(decoded.size(), 1);
    QVERIFY(decoded.first().validityAt(QDateTime::currentDateTimeUtc()) == ValidityState::Expired);
    QVERIFY(QString(decoded.first().serialHex).remove(QLatin1Char(':')).size() >= 30);
}

void TestGen::pkcs12Flavours()
{
    QTemporaryDir dir;
    const auto scenario = gen::writeScenario(QStringLiteral("valid"), dir.path());
    QVERIFY(scenario.has_value());
    auto key = gen::generateKey(QStringLiteral("rsa2048"));
    gen::CertificateSpec spec;
    spec.role = gen::Role::SelfSignedLeaf;
    spec.commonName = QStringLiteral("p12.test");
    spec.dnsNames = {QStringLiteral("p12.test")};
    auto certificate = gen::issueCertificate(spec, key->get());
    QVERIFY(certificate.has_value());
    for (const auto &[flavour, file, marker] :
         {std::tuple{gen::Pkcs12Flavour::Modern, QStringLiteral("modern.p12"), QByteArrayLiteral("AES-256-CBC")},
          std::tuple{gen::Pkcs12Flavour::Legacy, QStringLiteral("legacy.p12"),
                     QByteArrayLiteral("pbeWithSHA1And3-KeyTripleDES-CBC")}}) {
        const auto bundle =
            gen::pkcs12(key->get(), certificate->get(), {}, "p12 pass", flavour, QStringLiteral("p12.test"));
        QVERIFY2(bundle.has_value(), bundle ? "" : qPrintable(bundle.error().toString()));
        QVERIFY(!gen::writeFile(dir.filePath(file), *bundle, true));
        QStringList arguments{QStringLiteral("pkcs12"), QStringLiteral("-in"),     file,
                              QStringLiteral("-info"),  QStringLiteral("-passin"), QStringLiteral("pass:p12 pass"),
                              QStringLiteral("-noenc")};
        if (flavour == gen::Pkcs12Flavour::Legacy)
            arguments << QStringLiteral("-legacy");
        QByteArray output;
        QCOMPARE(openssl(dir.path(), arguments, &output), 0);
        QVERIFY2(output.contains(marker), output.constData());
        QVERIFY2(output.contains(flavour == gen::Pkcs12Flavour::Modern ? "MAC: sha256" : "MAC: sha1"),
                 output.constData());
        QVERIFY(output.contains("BEGIN CERTIFICATE") && output.contains("BEGIN PRIVATE KEY"));
        QVERIFY(output.contains("friendlyName: p12.test"));
        // A wrong passphrase is refused.
        arguments[5] = QStringLiteral("pass:wrong");
        QVERIFY(openssl(dir.path(), arguments, &output) != 0);
        // And our own importer opens it with the passphrase.
        const QByteArray bytes = readFile(dir.filePath(file));
        QVERIFY(!bytes.isEmpty());
    }
}

void TestGen::secretsAreWrittenPrivatelyAndAtomically()
{
    QTemporaryDir dir;
    const QString keyPath = dir.filePath(QStringLiteral("leaf.key"));
    QVERIFY(!gen::writeFile(keyPath, "first", true));
    QCOMPARE(QFile(keyPath).permissions() &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    // Overwriting replaces the file whole; a write that cannot happen leaves the old one as it was.
    QVERIFY(!gen::writeFile(keyPath, "second", true));
    QCOMPARE(readFile(keyPath), QByteArrayLiteral("second"));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("locked")));
    const QString lockedPath = dir.filePath(QStringLiteral("locked/leaf.key"));
    QVERIFY(!gen::writeFile(lockedPath, "old", true));
    QVERIFY(QFile::setPermissions(dir.filePath(QStringLiteral("locked")), QFile::ReadOwner | QFile::ExeOwner));
    const auto error = gen::writeFile(lockedPath, "new", true);
    QFile::setPermissions(dir.filePath(QStringLiteral("locked")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (::geteuid() != 0) { // root writes anywhere
        QVERIFY(error.has_value());
        QVERIFY(error->message.contains(QStringLiteral("leaf.key")));
    }
    QVERIFY(QFile::exists(lockedPath));
    // Scenario keys too.
    const auto scenario = gen::writeScenario(QStringLiteral("valid"), dir.filePath(QStringLiteral("valid")));
    QVERIFY(scenario.has_value());
    for (const QString &file : scenario->files) {
        const bool secret = file.endsWith(QLatin1String(".key"));
        const auto permissions = QFile(QDir(scenario->folder).filePath(file)).permissions();
        QCOMPARE(bool(permissions & (QFile::ReadGroup | QFile::ReadOther)), !secret);
    }
}

void TestGen::servedScenarioIsFetchedByOpenSslAndUs()
{
    const ServedScenario served(QStringLiteral("valid"), false);
    QVERIFY(served.port() != 0);
    const quint16 port = served.port();
    const QString folder = served.folder();

    QByteArray output;
    const int exitCode =
        openssl(folder,
                {QStringLiteral("s_client"), QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(port),
                 QStringLiteral("-servername"), QStringLiteral("localhost"), QStringLiteral("-CAfile"),
                 QStringLiteral("root.pem"), QStringLiteral("-verify_hostname"), QStringLiteral("localhost"),
                 QStringLiteral("-verify_return_error"), QStringLiteral("-showcerts")},
                &output, "Q\n");
    QCOMPARE(exitCode, 0);
    QVERIFY2(output.contains("Verify return code: 0 (ok)"), output.constData());
    QCOMPARE(output.count("BEGIN CERTIFICATE"), 2);

    tls::FetchOptions fetch;
    fetch.host = QStringLiteral("localhost");
    fetch.connectTo = QStringLiteral("127.0.0.1");
    fetch.port = port;
    fetch.handshakeTimeoutMs = 5000;
    const tls::FetchResult result = tls::fetchChain(fetch);
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.presentedChain.size(), 2);
    QCOMPARE(result.sni, QStringLiteral("localhost"));
    trust::Policy policy;
    policy.anchors = certificatesIn(served.file(QStringLiteral("root.pem")));
    policy.anchorsOnly = true;
    policy.hostName = QStringLiteral("localhost");
    const trust::Evaluation evaluation =
        trust::evaluate(result.presentedChain.first(), result.presentedChain.mid(1), policy);
    QVERIFY2(evaluation.trusted, qPrintable(evaluation.mainReason()));
}

void TestGen::servedBehindSmtpStartTls()
{
    const ServedScenario served(QStringLiteral("expired"), true);
    QVERIFY(served.port() != 0);
    const quint16 port = served.port();
    const QString folder = served.folder();

    QByteArray output;
    QCOMPARE(openssl(folder,
                     {QStringLiteral("s_client"), QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(port),
                      QStringLiteral("-starttls"), QStringLiteral("smtp"), QStringLiteral("-CAfile"),
                      QStringLiteral("root.pem")},
                     &output, "QUIT\n"),
             0);
    QVERIFY2(output.contains("certificate has expired"), output.constData());

    tls::FetchOptions fetch;
    fetch.host = QStringLiteral("127.0.0.1");
    fetch.port = port;
    fetch.startTls = tls::StartTls::Smtp;
    fetch.handshakeTimeoutMs = 5000;
    const tls::FetchResult result = tls::fetchChain(fetch);
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.startTls, QStringLiteral("smtp"));
    QCOMPARE(result.presentedChain.size(), 2);
    QVERIFY(result.presentedChain.first().validityAt(QDateTime::currentDateTimeUtc()) == ValidityState::Expired);
}

void TestGen::cliContract()
{
    QTemporaryDir dir;
    const auto run = [&](const QStringList &arguments, QByteArray *output = nullptr) {
        QProcess cli;
        cli.setProcessChannelMode(QProcess::MergedChannels);
        cli.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
        if (!cli.waitForFinished(60000))
            return -1;
        if (output)
            *output = cli.readAll();
        return cli.exitCode();
    };
    QByteArray output;
    // gen ca / intermediate / leaf chained by files, as a user scripts a test PKI.
    QCOMPARE(run({QStringLiteral("gen"), QStringLiteral("ca"), QStringLiteral("--key"), QStringLiteral("p256"),
                  QStringLiteral("--cn"), QStringLiteral("Test Root"), QStringLiteral("--out"), dir.path()},
                 &output),
             0);
    QVERIFY2(QFile::exists(dir.filePath(QStringLiteral("ca.pem"))) &&
                 QFile::exists(dir.filePath(QStringLiteral("ca.key"))),
             output.constData());
    QCOMPARE(run({QStringLiteral("gen"), QStringLiteral("intermediate"), QStringLiteral("--key"),
                  QStringLiteral("rsa2048"), QStringLiteral("--issuer-cert"), dir.filePath(QStringLiteral("ca.pem")),
                  QStringLiteral("--issuer-key"), dir.filePath(QStringLiteral("ca.key")),
                  QStringLiteral("--path-length"), QStringLiteral("0"), QStringLiteral("--out"), dir.path()},
                 &output),
             0);
    QFile passphrase(dir.filePath(QStringLiteral("pass.txt")));
    QVERIFY(passphrase.open(QIODevice::WriteOnly));
    passphrase.write("cli pass\n");
    passphrase.close();
    QCOMPARE(run({QStringLiteral("gen"), QStringLiteral("leaf"), QStringLiteral("--dns"), QStringLiteral("app.test"),
                  QStringLiteral("--issuer-cert"), dir.filePath(QStringLiteral("intermediate.pem")),
                  QStringLiteral("--issuer-key"), dir.filePath(QStringLiteral("intermediate.key")),
                  QStringLiteral("--passphrase-file"), passphrase.fileName(), QStringLiteral("--out"), dir.path(),
                  QStringLiteral("--json")},
                 &output),
             0);
    const QJsonArray files = QJsonDocument::fromJson(output).object().value(QStringLiteral("files")).toArray();
    QVERIFY2(files.size() >= 7, output.constData()); // key, pem, der, chain PEM and PKCS#7, two PKCS#12
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("verify"), QStringLiteral("-CAfile"), QStringLiteral("ca.pem"),
                      QStringLiteral("-untrusted"), QStringLiteral("leaf-chain.pem"),
                      QStringLiteral("-verify_hostname"), QStringLiteral("app.test"), QStringLiteral("leaf.pem")},
                     &output),
             0);
    QByteArray p7;
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("pkcs7"), QStringLiteral("-in"), QStringLiteral("leaf-chain.p7b"),
                      QStringLiteral("-inform"), QStringLiteral("DER"), QStringLiteral("-print_certs")},
                     &p7),
             0);
    QCOMPARE(p7.count("BEGIN CERTIFICATE"), 2);
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("pkcs12"), QStringLiteral("-in"), QStringLiteral("leaf-legacy.p12"),
                      QStringLiteral("-legacy"), QStringLiteral("-passin"), QStringLiteral("pass:cli pass"),
                      QStringLiteral("-noout")},
                     &output),
             0);
    // An encrypted issuer key: refused without its passphrase (saying so), used with it.
    QCOMPARE(run({QStringLiteral("gen"), QStringLiteral("ca"), QStringLiteral("--name"), QStringLiteral("locked"),
                  QStringLiteral("--passphrase-file"), passphrase.fileName(), QStringLiteral("--out"), dir.path()}),
             0);
    QVERIFY(readFile(dir.filePath(QStringLiteral("locked.key"))).contains("ENCRYPTED PRIVATE KEY"));
    const QStringList issuedByLocked{QStringLiteral("gen"),           QStringLiteral("leaf"),
                                     QStringLiteral("--dns"),         QStringLiteral("locked.test"),
                                     QStringLiteral("--issuer-cert"), dir.filePath(QStringLiteral("locked.pem")),
                                     QStringLiteral("--issuer-key"),  dir.filePath(QStringLiteral("locked.key")),
                                     QStringLiteral("--name"),        QStringLiteral("unlocked"),
                                     QStringLiteral("--out"),         dir.path()};
    QCOMPARE(run(issuedByLocked, &output), 2);
    QVERIFY2(output.contains("locked.key") && output.contains("no password was given"), output.constData());
    QCOMPARE(
        run(issuedByLocked + QStringList{QStringLiteral("--issuer-passphrase-file"), passphrase.fileName()}, &output),
        0);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("unlocked.pem"))));
    // gen csr + gen sign.
    QCOMPARE(run({QStringLiteral("gen"), QStringLiteral("csr"), QStringLiteral("--cn"), QStringLiteral("req.test"),
                  QStringLiteral("--dns"), QStringLiteral("req.test"), QStringLiteral("--out"), dir.path()}),
             0);
    QCOMPARE(run({QStringLiteral("gen"), QStringLiteral("sign"), QStringLiteral("--csr"),
                  dir.filePath(QStringLiteral("request.csr")), QStringLiteral("--issuer-cert"),
                  dir.filePath(QStringLiteral("ca.pem")), QStringLiteral("--issuer-key"),
                  dir.filePath(QStringLiteral("ca.key")), QStringLiteral("--out"), dir.path()},
                 &output),
             0);
    QCOMPARE(openssl(dir.path(),
                     {QStringLiteral("verify"), QStringLiteral("-CAfile"), QStringLiteral("ca.pem"),
                      QStringLiteral("-verify_hostname"), QStringLiteral("req.test"), QStringLiteral("signed.pem")},
                     &output),
             0);
    // gen scenario NAME --out DIR --json.
    QCOMPARE(run({QStringLiteral("gen"), QStringLiteral("scenario"), QStringLiteral("wrong-host"),
                  QStringLiteral("--out"), dir.filePath(QStringLiteral("wrong-host")), QStringLiteral("--json")},
                 &output),
             0);
    const QJsonObject scenario = QJsonDocument::fromJson(output).array().first().toObject();
    QCOMPARE(scenario.value(QStringLiteral("expected")).toString(), QStringLiteral("SSLHostname"));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("wrong-host/chain.pem"))));
    // verify agrees with what the scenario says (exit 1: untrusted).
    QCOMPARE(
        run({QStringLiteral("verify"), dir.filePath(QStringLiteral("wrong-host/chain.pem")), QStringLiteral("--anchor"),
             dir.filePath(QStringLiteral("wrong-host/root.pem")), QStringLiteral("--anchors-only"),
             QStringLiteral("--host"), QStringLiteral("localhost"), QStringLiteral("--no-aia")},
            &output),
        1);
    QVERIFY2(output.contains("SSLHostname"), output.constData());

    // serve --scenario on a chosen port, fetched by our CLI, stopped by SIGTERM.
    const quint16 port = trustscope::test::freePort();
    QProcess serve;
    serve.setProcessChannelMode(QProcess::MergedChannels);
    serve.start(QStringLiteral(TRUSTSCOPE_CLI),
                {QStringLiteral("serve"), QStringLiteral("--scenario"), QStringLiteral("valid"),
                 QStringLiteral("--port"), QString::number(port), QStringLiteral("--out"),
                 dir.filePath(QStringLiteral("served"))});
    QByteArray served;
    QTRY_VERIFY_WITH_TIMEOUT(
        (served += serve.readAll()).contains("Serving on 127.0.0.1") || serve.state() == QProcess::NotRunning, 20000);
    QCOMPARE(serve.state(), QProcess::Running);
    QCOMPARE(run({QStringLiteral("verify"), QStringLiteral("--fetch"), QStringLiteral("127.0.0.1:%1").arg(port),
                  QStringLiteral("--host"), QStringLiteral("localhost"), QStringLiteral("--anchor"),
                  dir.filePath(QStringLiteral("served/root.pem")), QStringLiteral("--anchors-only")},
                 &output),
             0);
    serve.terminate();
    QVERIFY(serve.waitForFinished(5000));
    QCOMPARE(serve.exitCode(), 0);
}

void TestGen::badInputIsRefused()
{
    QVERIFY(!gen::generateKey(QStringLiteral("rsa123")).has_value());
    QVERIFY(gen::generateKey(QStringLiteral("rsa123")).error().message.contains(QStringLiteral("rsa123")));
    QTemporaryDir dir;
    QVERIFY(!gen::writeScenario(QStringLiteral("no-such"), dir.path()).has_value());
    gen::ServeOptions options;
    options.chainPem = "not a chain";
    options.keyPem = "not a key";
    std::atomic_bool stop = false;
    const auto error = gen::serveTls(options, stop, [](quint16) {});
    QVERIFY(error.has_value());
    // A leaf needs its issuer's key.
    auto key = gen::generateKey(QStringLiteral("p256"));
    gen::CertificateSpec spec;
    spec.commonName = QStringLiteral("orphan");
    QVERIFY(!gen::issueCertificate(spec, key->get()).has_value());
    // A request whose names OpenSSL refuses: the extension error path frees each object once
    // (it freed the extension twice before; the sanitizer build runs this).
    gen::CertificateSpec badNames;
    badNames.commonName = QStringLiteral("bad-names");
    badNames.ipAddresses = {QStringLiteral("999.1.1.1")};
    const auto request = gen::createRequest(badNames, key->get());
    QVERIFY(!request.has_value());
    QVERIFY2(request.error().message.contains(QStringLiteral("IP:999.1.1.1")), qPrintable(request.error().message));
    // The same names in a certificate are refused the same way.
    badNames.role = gen::Role::SelfSignedLeaf;
    QVERIFY(!gen::issueCertificate(badNames, key->get()).has_value());
}

QTEST_GUILESS_MAIN(TestGen)
#include "tst_gen.moc"
