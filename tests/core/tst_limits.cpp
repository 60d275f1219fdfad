// Every limit of the README, enforced with a message that names it: file size, objects per
// file, chain length, ASN.1 nesting, and bytes read from servers (AIA over HTTP here; the TLS
// Certificate message and STARTTLS lines are in tst_fetch).

#include "Servers.h"

#include "asn1/Asn1Tree.h"
#include "gen/Generator.h"
#include "trust/TrustEvaluation.h"
#include "x509/Document.h"
#include "x509/Pem.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace trustscope::core;

namespace {

struct Issued {
    trustscope::ossl::EvpPkeyPtr key;
    trustscope::ossl::X509Ptr certificate;
    Certificate decoded;
};

Issued issue(gen::Role role, const QString &name, const Issued *issuer, const QString &caIssuersUrl = {})
{
    Issued issued;
    auto key = gen::generateKey(QStringLiteral("p256"));
    gen::CertificateSpec spec;
    spec.role = role;
    spec.commonName = name;
    if (role == gen::Role::Leaf)
        spec.dnsNames = {name};
    spec.caIssuersUrl = caIssuersUrl;
    auto certificate = gen::issueCertificate(spec, key->get(), issuer ? issuer->certificate.get() : nullptr,
                                             issuer ? issuer->key.get() : nullptr);
    issued.key = std::move(*key);
    issued.certificate = std::move(*certificate);
    const auto document = loadDocument(gen::certificateDer(issued.certificate.get()), name);
    issued.decoded = *document->objects.first().as<Certificate>();
    return issued;
}

int runCli(const QStringList &arguments, QByteArray *errors)
{
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
    if (!cli.waitForFinished(60000))
        return -1;
    *errors = cli.readAllStandardError();
    return cli.exitCode();
}

} // namespace

class TestLimits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fileSize();
    void objectsPerFile();
    void chainLength();
    void asn1Nesting();
    void httpBodies();
};

void TestLimits::fileSize()
{
    QTemporaryDir dir;
    QFile big(dir.filePath(QStringLiteral("big.pem")));
    QVERIFY(big.open(QIODevice::WriteOnly));
    QVERIFY(big.resize(65 * 1024 * 1024)); // sparse: no memory, no disk
    big.close();
    const auto document = loadDocumentFile(big.fileName());
    QVERIFY(!document.has_value());
    QCOMPARE(document.error().code, Error::Code::LimitExceeded);
    QByteArray errors;
    QCOMPARE(runCli({QStringLiteral("show"), big.fileName()}, &errors), 2);
    QVERIFY2(errors.contains("big.pem") && errors.contains("the limit is 64 MiB"), errors.constData());
}

void TestLimits::objectsPerFile()
{
    auto root = issue(gen::Role::RootCa, QStringLiteral("Objects Root"), nullptr);
    const QByteArray pem = gen::certificatePem(root.certificate.get());
    const auto document = loadDocument(pem.repeated(20001), QStringLiteral("many.pem"));
    QVERIFY(document.has_value());
    QCOMPARE(document->objects.size(), 20000);
    QCOMPARE(document->errors.size(), 1);
    QCOMPARE(document->errors.first().error.code, Error::Code::LimitExceeded);
    QVERIFY(document->errors.first().error.message.contains(QLatin1String("more than 20000 objects")));
}

void TestLimits::chainLength()
{
    // root → 9 intermediates → leaf: one more than the 8 allowed.
    std::vector<Issued> chain;
    chain.push_back(issue(gen::Role::RootCa, QStringLiteral("Length Root"), nullptr));
    for (int index = 1; index <= 9; ++index)
        chain.push_back(issue(gen::Role::IntermediateCa, QStringLiteral("Level %1").arg(index), &chain.back()));
    const Issued leaf = issue(gen::Role::Leaf, QStringLiteral("deep.test"), &chain.back());
    QList<Certificate> presented;
    for (auto it = chain.rbegin(); it != chain.rend() - 1; ++it)
        presented.append(it->decoded);
    trust::Policy policy;
    policy.anchors = {chain.front().decoded};
    policy.anchorsOnly = true;
    policy.hostName = QStringLiteral("deep.test");
    policy.fetchMissingIntermediates = false;
    const trust::Evaluation tooLong = trust::evaluate(leaf.decoded, presented, policy);
    QVERIFY(!tooLong.trusted);
    const auto failure =
        std::find_if(tooLong.failures.cbegin(), tooLong.failures.cend(),
                     [](const trust::CheckFailure &check) { return check.key == QLatin1String("ChainLength"); });
    QVERIFY(failure != tooLong.failures.cend());
    QVERIFY2(failure->explanation.contains(QLatin1String("9 intermediates; at most 8")),
             qPrintable(failure->explanation));
    // The same chain is fine when the limit allows it, so the limit is what failed.
    policy.maxIntermediates = 9;
    QVERIFY(trust::evaluate(leaf.decoded, presented, policy).trusted);
}

void TestLimits::asn1Nesting()
{
    // 300 nested SEQUENCEs: past the 256 levels walked; reported on the node, never a crash.
    QByteArray der;
    for (int level = 0; level < 300; ++level) {
        const qsizetype length = der.size();
        QByteArray header("\x30", 1);
        if (length < 128)
            header.append(char(length));
        else
            header.append(char(0x82)).append(char(length >> 8)).append(char(length & 0xff));
        der = header + der;
    }
    const auto tree = asn1::Tree::parse(der);
    QVERIFY(tree.has_value());
    bool limited = false;
    for (const asn1::Node &node : tree->nodes())
        limited = limited || (node.errors & asn1::DepthLimit);
    QVERIFY(limited);
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("deep.der")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(der);
    file.close();
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("dump"), file.fileName()});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QVERIFY(cli.readAllStandardOutput().contains("nesting too deep"));
}

void TestLimits::httpBodies()
{
    // An AIA URL that answers with 5 MB: the 4 MiB limit stops the download, the evaluation ends.
    QTemporaryDir dir;
    QFile huge(dir.filePath(QStringLiteral("intermediate.der")));
    QVERIFY(huge.open(QIODevice::WriteOnly));
    huge.write(QByteArray(5 * 1024 * 1024, 'x'));
    huge.close();
    const quint16 port = trustscope::test::freePort();
    const auto server = trustscope::test::startHttpServer(dir.path(), port);
    QVERIFY(server->isRunning());
    const Issued root = issue(gen::Role::RootCa, QStringLiteral("HTTP Root"), nullptr);
    const Issued intermediate = issue(gen::Role::IntermediateCa, QStringLiteral("HTTP Intermediate"), &root);
    const Issued leaf = issue(gen::Role::Leaf, QStringLiteral("http.test"), &intermediate,
                              QStringLiteral("http://127.0.0.1:%1/intermediate.der").arg(port));
    trust::Policy policy;
    policy.anchors = {root.decoded};
    policy.anchorsOnly = true;
    policy.hostName = QStringLiteral("http.test");
    const trust::Evaluation evaluation = trust::evaluate(leaf.decoded, {}, policy);
    QVERIFY(!evaluation.trusted);
    QCOMPARE(evaluation.failures.first().key, QStringLiteral("MissingIntermediate"));
    QVERIFY(!evaluation.network.isEmpty());
    QVERIFY2(evaluation.network.first().contains(QLatin1String("more than")), qPrintable(evaluation.network.first()));
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
