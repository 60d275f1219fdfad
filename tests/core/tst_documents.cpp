// Certificate documents: every format and every extension decoded from files made by `openssl`.

#include "Pki.h"

#include "asn1/Asn1Tree.h"
#include "x509/CrlIndex.h"
#include "x509/Decode.h"
#include "x509/Document.h"
#include "x509/Report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

using namespace trustscope::core;
using trustscope::test::Pki;

namespace {

QStringList typesOf(const Document &document)
{
    QStringList types;
    for (const PkiObject &object : document.objects)
        types.append(object.typeName());
    return types;
}

// Answers with a fixed list of passwords, one per attempt, and counts the questions.
class ScriptedPasswords final : public PasswordProvider {
public:
    explicit ScriptedPasswords(QList<QByteArray> answers)
        : m_answers(std::move(answers))
    {}
    std::optional<QByteArray> password(const QString &, const QString &, int attempt) override
    {
        ++asked;
        return attempt < m_answers.size() ? std::optional(m_answers.at(attempt)) : std::nullopt;
    }
    int asked = 0;

private:
    QList<QByteArray> m_answers;
};

} // namespace

class TestDocuments : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void formats_data();
    void formats();
    void certificateFields();
    void extensions_data();
    void extensions();
    void rsaPssSignature();
    void crl();
    void largeCrlIsDecodedWithoutItsEntries();
    void csr();
    void keyMatching();
    void ocspResponse();
    void pkcs12Passwords();
    void badInput_data();
    void badInput();
    void limits();
    void cliJsonContract();
    void cliReportsUnreadableInput();

private:
    Pki m_pki;
    QByteArray m_leafDer;
};

void TestDocuments::initTestCase()
{
    qputenv("TZ", "UTC");
    QVERIFY(m_pki.isValid());
    QVERIFY(m_pki.makeChain());
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                           QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                           QStringLiteral("leaf.der")}));
    m_leafDer = m_pki.read(QStringLiteral("leaf.der"));
    QVERIFY(!m_leafDer.isEmpty());

    const QByteArray chain = m_pki.read(QStringLiteral("leaf.pem")) + m_pki.read(QStringLiteral("intermediate.pem")) +
                             m_pki.read(QStringLiteral("root.pem"));
    QVERIFY(m_pki.write(QStringLiteral("chain.pem"), chain));
    // What people paste: a terminal session with s_client noise around the blocks.
    QVERIFY(
        m_pki.write(QStringLiteral("pasted.txt"),
                    "CONNECTED(00000003)\ndepth=0 CN = server.test\n---\nCertificate chain\n 0 s:CN = server.test\n" +
                        m_pki.read(QStringLiteral("leaf.pem")) + " 1 s:CN = Test Intermediate CA\n" +
                        m_pki.read(QStringLiteral("intermediate.pem")) + "---\nNo client certificate CA names sent\n"));
    QVERIFY(m_pki.write(QStringLiteral("two.der"), m_leafDer + m_leafDer));
    QVERIFY(m_pki.write(QStringLiteral("leaf.b64"), m_leafDer.toBase64()));

    const auto run = [this](const QString &line) { return m_pki.openssl(line.split(QLatin1Char(' '))); };
    QVERIFY(run(QStringLiteral("crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b")));
    QVERIFY(run(QStringLiteral("crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain.p7c")));
    QVERIFY(run(QStringLiteral("pkcs12 -export -inkey leaf.key -in leaf.pem -certfile intermediate.pem -passout "
                               "pass:secret -out modern.p12")));
    QVERIFY(run(QStringLiteral("pkcs12 -export -legacy -inkey leaf.key -in leaf.pem -certfile intermediate.pem "
                               "-passout pass:secret -out legacy.p12")));
    QVERIFY(run(QStringLiteral("pkcs8 -topk8 -in leaf.key -v2 aes-256-cbc -passout pass:secret -out encrypted.key")));
    QVERIFY(run(QStringLiteral(
        "pkcs8 -topk8 -in leaf.key -v2 aes-256-cbc -passout pass:secret -outform DER -out encrypted.p8")));
    QVERIFY(run(QStringLiteral("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key")));
    QVERIFY(run(QStringLiteral("rsa -in rsa.key -traditional -out rsa-traditional.key")));
    QVERIFY(run(QStringLiteral(
        "rsa -in rsa.key -traditional -aes256 -passout pass:secret -out rsa-traditional-encrypted.key")));
    QVERIFY(run(QStringLiteral("ecparam -genkey -name prime256v1 -out ec-with-params.key")));
    QVERIFY(run(QStringLiteral("pkey -in leaf.key -pubout -out leaf.pub")));
    QVERIFY(run(QStringLiteral("pkey -in rsa.key -outform DER -out rsa.der")));
    QVERIFY(run(QStringLiteral(
        "req -new -key leaf.key -subj /CN=csr.test -addext subjectAltName=DNS:csr.test -out request.csr")));
}

void TestDocuments::formats_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("types");
    QTest::addColumn<QString>("container");
    const QString certificate = QStringLiteral("certificate");
    const QString privateKey = QStringLiteral("privateKey");
    QTest::newRow("PEM certificate") << "leaf.pem" << QStringList{certificate} << "PEM";
    QTest::newRow("PEM pasted with terminal text") << "pasted.txt" << QStringList{certificate, certificate} << "PEM";
    QTest::newRow("PEM bundle") << "chain.pem" << QStringList{certificate, certificate, certificate} << "PEM";
    QTest::newRow("DER certificate") << "leaf.der" << QStringList{certificate} << "DER";
    QTest::newRow("two concatenated DER") << "two.der" << QStringList{certificate, certificate} << "DER";
    QTest::newRow("base64 without armour") << "leaf.b64" << QStringList{certificate} << "base64";
    QTest::newRow("PKCS#7 PEM") << "chain.p7b" << QStringList{certificate, certificate, certificate} << "PKCS#7";
    QTest::newRow("PKCS#7 DER") << "chain.p7c" << QStringList{certificate, certificate, certificate} << "PKCS#7";
    QTest::newRow("PKCS#12 modern") << "modern.p12" << QStringList{certificate, certificate, privateKey} << "PKCS#12";
    QTest::newRow("PKCS#12 legacy") << "legacy.p12" << QStringList{certificate, certificate, privateKey} << "PKCS#12";
    QTest::newRow("PKCS#8 PEM") << "leaf.key" << QStringList{privateKey} << "PEM";
    QTest::newRow("encrypted PKCS#8 PEM") << "encrypted.key" << QStringList{privateKey} << "PEM";
    QTest::newRow("encrypted PKCS#8 DER") << "encrypted.p8" << QStringList{privateKey} << "DER";
    QTest::newRow("traditional RSA") << "rsa-traditional.key" << QStringList{privateKey} << "PEM";
    QTest::newRow("traditional RSA encrypted") << "rsa-traditional-encrypted.key" << QStringList{privateKey} << "PEM";
    QTest::newRow("traditional EC with parameters") << "ec-with-params.key" << QStringList{privateKey} << "PEM";
    QTest::newRow("traditional RSA DER") << "rsa.der" << QStringList{privateKey} << "DER";
    QTest::newRow("public key") << "leaf.pub" << QStringList{QStringLiteral("publicKey")} << "PEM";
    QTest::newRow("CSR") << "request.csr" << QStringList{QStringLiteral("csr")} << "PEM";
}

void TestDocuments::formats()
{
    QFETCH(QString, file);
    QFETCH(QStringList, types);
    QFETCH(QString, container);
    FixedPasswordProvider passwords("secret");
    const auto document = loadDocumentFile(m_pki.path(file), &passwords);
    QVERIFY2(document, qPrintable(document ? QString() : document.error().toString()));
    for (const ObjectError &error : document->errors)
        qWarning().noquote() << error.toString();
    QVERIFY(document->errors.isEmpty());
    QCOMPARE(typesOf(*document), types);
    QCOMPARE(document->objects.first().container, container);
    // Every certificate of these fixtures is one of ours, whatever the container.
    for (const PkiObject &object : document->objects)
        if (const auto *decoded = object.as<Certificate>())
            QVERIFY(decoded->subject.rfc4514.contains(QLatin1String("CN=")));
}

void TestDocuments::certificateFields()
{
    const auto document = loadDocumentFile(m_pki.path(QStringLiteral("leaf.pem")));
    QVERIFY(document && document->objects.size() == 1);
    const Certificate &leaf = *document->objects.first().as<Certificate>();
    QCOMPARE(leaf.version, 3);
    QCOMPARE(leaf.subject.rfc4514, QStringLiteral("CN=server.test"));
    QCOMPARE(leaf.issuer.rfc4514, QStringLiteral("CN=Test Intermediate CA,O=Trustscope Tests"));
    QCOMPARE(leaf.issuer.attributes.size(), 2);
    QCOMPARE(leaf.issuer.attributes.first().shortName, QStringLiteral("O"));
    QCOMPARE(leaf.issuer.attributes.first().oid, QStringLiteral("2.5.4.10"));
    QCOMPARE(leaf.publicKey.algorithm, QStringLiteral("EC"));
    QCOMPARE(leaf.publicKey.bits, 256);
    QCOMPARE(leaf.publicKey.curve, QStringLiteral("prime256v1"));
    QCOMPARE(leaf.signatureAlgorithm, QStringLiteral("ecdsa-with-SHA256"));
    QVERIFY(!leaf.selfSigned);
    QVERIFY(!leaf.isCa);
    QCOMPARE(leaf.subjectAltNames.size(), 1);
    QCOMPARE(leaf.subjectAltNames.first().type, QStringLiteral("DNS"));

    // Compare with what openssl itself says about the same file.
    QByteArray serial, fingerprints, pin, dates;
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                           QStringLiteral("-noout"), QStringLiteral("-serial")},
                          &serial));
    QCOMPARE(leaf.serialHex, QString::fromLatin1(serial.trimmed().mid(7)));
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                           QStringLiteral("-noout"), QStringLiteral("-fingerprint"), QStringLiteral("-sha256")},
                          &fingerprints));
    QCOMPARE(
        leaf.sha256Hex,
        QString::fromLatin1(fingerprints.trimmed()).section(QLatin1Char('='), 1).remove(QLatin1Char(':')).toLower());
    QByteArray spki;
    QVERIFY(m_pki.openssl({QStringLiteral("pkey"), QStringLiteral("-in"), QStringLiteral("leaf.key"),
                           QStringLiteral("-pubout"), QStringLiteral("-outform"), QStringLiteral("DER")},
                          &spki));
    QVERIFY(m_pki.openssl({QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-binary")}, &pin, spki));
    QCOMPARE(leaf.publicKey.spkiSha256Base64, QString::fromLatin1(pin.toBase64()));
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                           QStringLiteral("-noout"), QStringLiteral("-enddate"), QStringLiteral("-dateopt"),
                           QStringLiteral("iso_8601")},
                          &dates));
    QCOMPARE(isoUtc(leaf.notAfter),
             QString::fromLatin1(dates.trimmed().mid(9)).replace(QLatin1Char(' '), QLatin1Char('T')));

    QCOMPARE(leaf.validityAt(leaf.notBefore.addDays(1)), ValidityState::Valid);
    QCOMPARE(leaf.validityAt(leaf.notAfter.addDays(3)), ValidityState::Expired);
    QCOMPARE(leaf.validityAt(leaf.notBefore.addDays(-2)), ValidityState::NotYetValid);
    QCOMPARE(leaf.validityDescription(leaf.notAfter.addDays(-41)), QStringLiteral("valid, expires in 41 days"));
    QCOMPARE(leaf.validityDescription(leaf.notAfter.addDays(3)), QStringLiteral("expired 3 days ago"));
    QCOMPARE(leaf.validityDescription(leaf.notBefore.addDays(-2)), QStringLiteral("not yet valid (starts in 2 days)"));

    const auto root = loadDocumentFile(m_pki.path(QStringLiteral("root.pem")));
    QVERIFY(root);
    QVERIFY(root->objects.first().as<Certificate>()->selfSigned);
    QVERIFY(root->objects.first().as<Certificate>()->isCa);
}

namespace {
// One SCT list (RFC 6962 TLS encoding) with one v1 SCT: SHA-256/ECDSA, 2 bytes of signature.
QByteArray sctListHex()
{
    QByteArray sct;
    sct += char(0);                                 // v1
    sct += QByteArray(32, char(0x11));              // log id
    sct += QByteArray::fromHex("0000018BCFE56800"); // 2023-11-14T22:13:20Z in ms
    sct += QByteArray::fromHex("0000");             // no extensions
    sct += QByteArray::fromHex("0403");             // sha256, ecdsa
    sct += QByteArray::fromHex("00023045");
    QByteArray list;
    list += char(sct.size() >> 8);
    list += char(sct.size() & 0xff);
    list += sct;
    QByteArray withLength;
    withLength += char(list.size() >> 8);
    withLength += char(list.size() & 0xff);
    withLength += list;
    return withLength.toHex();
}
} // namespace

void TestDocuments::extensions_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("oid");
    QTest::addColumn<bool>("critical");
    QTest::addColumn<QStringList>("details");

    QTest::newRow("basicConstraints") << "basicConstraints=critical,CA:true,pathlen:3" << "2.5.29.19" << true
                                      << QStringList{QStringLiteral("CA: true"), QStringLiteral("path length: 3")};
    QTest::newRow("keyUsage") << "keyUsage=digitalSignature,keyEncipherment,keyCertSign" << "2.5.29.15" << false
                              << QStringList{QStringLiteral("Digital Signature"), QStringLiteral("Key Encipherment"),
                                             QStringLiteral("Certificate Sign")};
    QTest::newRow("extKeyUsage") << "extendedKeyUsage=serverAuth,clientAuth,1.2.3.4" << "2.5.29.37" << false
                                 << QStringList{QStringLiteral("serverAuth (TLS Web Server Authentication)"),
                                                QStringLiteral("clientAuth (TLS Web Client Authentication)"),
                                                QStringLiteral("1.2.3.4")};
    QTest::newRow("subjectAltName")
        << "subjectAltName=DNS:a.test,IP:192.0.2.1,IP:2001:db8::1,email:x@a.test,URI:https://a.test/"
           ",dirName:dir,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:user@corp.test\n[dir]\nCN=Directory"
        << "2.5.29.17" << false
        << QStringList{QStringLiteral("DNS: a.test"),
                       QStringLiteral("IP: 192.0.2.1"),
                       QStringLiteral("IP: 2001:db8::1"),
                       QStringLiteral("email: x@a.test"),
                       QStringLiteral("URI: https://a.test/"),
                       QStringLiteral("dirName: CN=Directory"),
                       QStringLiteral("otherName: UPN: user@corp.test")};
    QTest::newRow("issuerAltName") << "issuerAltName=DNS:issuer.test" << "2.5.29.18" << false
                                   << QStringList{QStringLiteral("DNS: issuer.test")};
    QTest::newRow("authorityInfoAccess")
        << "authorityInfoAccess=OCSP;URI:http://ocsp.test,caIssuers;URI:http://ca.test/int.der"
        << "1.3.6.1.5.5.7.1.1" << false
        << QStringList{QStringLiteral("OCSP: http://ocsp.test"), QStringLiteral("CA Issuers: http://ca.test/int.der")};
    QTest::newRow("crlDistributionPoints") << "crlDistributionPoints=URI:http://crl.test/a.crl" << "2.5.29.31" << false
                                           << QStringList{QStringLiteral("http://crl.test/a.crl")};
    QTest::newRow("freshestCRL") << "freshestCRL=URI:http://crl.test/delta.crl" << "2.5.29.46" << false
                                 << QStringList{QStringLiteral("http://crl.test/delta.crl")};
    QTest::newRow("certificatePolicies")
        << "certificatePolicies=@policy\n[policy]\npolicyIdentifier=1.2.3.4\nCPS.1=http://"
           "cps.test\nuserNotice.1=@notice\n[notice]\nexplicitText=Hello\norganization=Org\nnoticeNumbers=1,2"
        << "2.5.29.32" << false
        << QStringList{QStringLiteral("policy: 1.2.3.4"), QStringLiteral("  CPS: http://cps.test"),
                       QStringLiteral("  user notice: organization \"Org\" notices 1 2 text \"Hello\"")};
    QTest::newRow("policyConstraints") << "policyConstraints=critical,requireExplicitPolicy:0,inhibitPolicyMapping:1"
                                       << "2.5.29.36" << true
                                       << QStringList{QStringLiteral("require explicit policy: 0"),
                                                      QStringLiteral("inhibit policy mapping: 1")};
    QTest::newRow("policyMappings") << "policyMappings=1.2.3.4:1.2.3.5" << "2.5.29.33" << false
                                    << QStringList{QStringLiteral("1.2.3.4 → 1.2.3.5")};
    QTest::newRow("inhibitAnyPolicy") << "inhibitAnyPolicy=critical,2" << "2.5.29.54" << true
                                      << QStringList{QStringLiteral("skip certificates: 2")};
    QTest::newRow("nameConstraints")
        << "nameConstraints=critical,permitted;DNS:.test,permitted;IP:192.168.0.0/255.255.0.0,excluded;email:bad.test"
        << "2.5.29.30" << true
        << QStringList{QStringLiteral("permitted: DNS: .test"), QStringLiteral("permitted: IP: 192.168.0.0/16"),
                       QStringLiteral("excluded: email: bad.test")};
    QTest::newRow("tlsFeature") << "tlsfeature=status_request" << "1.3.6.1.5.5.7.1.24" << false
                                << QStringList{QStringLiteral("status_request (OCSP must-staple)")};
    QTest::newRow("ctPoison") << "1.3.6.1.4.1.11129.2.4.3=critical,ASN1:NULL" << "1.3.6.1.4.1.11129.2.4.3" << true
                              << QStringList{QStringLiteral("precertificate (not for use in TLS)")};
    QTest::newRow("sctList")
        << QString(QStringLiteral("1.3.6.1.4.1.11129.2.4.2=ASN1:FORMAT:HEX,OCTETSTRING:") +
                   QString::fromLatin1(sctListHex()))
        << "1.3.6.1.4.1.11129.2.4.2" << false
        << QStringList{QStringLiteral(
               "v1 log ERERERERERERERERERERERERERERERERERERERERERE= at 2023-11-14T22:13:20.000Z, SHA-256 with ECDSA")};
    QTest::newRow("unknown extension") << "1.2.3.4.5=ASN1:UTF8String:hello" << "1.2.3.4.5" << false
                                       << QStringList{QStringLiteral("0C:05:68:65:6C:6C:6F")};
}

void TestDocuments::extensions()
{
    QFETCH(QString, config);
    QFETCH(QString, oid);
    QFETCH(bool, critical);
    QFETCH(QStringList, details);
    const QString name = QStringLiteral("ext-") +
                         QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'));
    QVERIFY(m_pki.issue(name, QStringLiteral("/CN=extension.test"), {config}, QStringLiteral("root")));
    const auto document = loadDocumentFile(m_pki.path(name + QStringLiteral(".pem")));
    QVERIFY(document && document->objects.size() == 1);
    const Extension *extension = document->objects.first().as<Certificate>()->extension(oid);
    QVERIFY2(extension, qPrintable(oid));
    QCOMPARE(extension->critical, critical);
    QVERIFY2(extension->error.isEmpty(), qPrintable(extension->error));
    QCOMPARE(extension->details, details);
    QVERIFY(!extension->value.isEmpty());
    QVERIFY(!extension->der.isEmpty());
}

void TestDocuments::rsaPssSignature()
{
    QVERIFY(m_pki.issue(QStringLiteral("pss"), QStringLiteral("/CN=pss.test"),
                        {QStringLiteral("basicConstraints=CA:false")}, {}, QStringLiteral("rsa2048"),
                        {QStringLiteral("-sigopt"), QStringLiteral("rsa_padding_mode:pss"), QStringLiteral("-sigopt"),
                         QStringLiteral("rsa_pss_saltlen:32"), QStringLiteral("-sha384")}));
    const auto document = loadDocumentFile(m_pki.path(QStringLiteral("pss.pem")));
    QVERIFY(document);
    const Certificate &certificate = *document->objects.first().as<Certificate>();
    QCOMPARE(certificate.signatureAlgorithm, QStringLiteral("rsassaPss"));
    QCOMPARE(certificate.signatureParameters, QStringLiteral("hash sha384, MGF1 with sha384, salt length 32"));
    QCOMPARE(certificate.publicKey.algorithm, QStringLiteral("RSA"));
    QCOMPARE(certificate.publicKey.bits, 2048);
}

void TestDocuments::crl()
{
    // A real `openssl ca -gencrl` over an index with three revoked serials.
    QVERIFY(m_pki.write(QStringLiteral("ca.cnf"),
                        "[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_"
                        "crl_days=7\ncrl_extensions=crlext\n[crlext]\nauthorityKeyIdentifier=keyid\n"));
    QVERIFY(m_pki.write(QStringLiteral("crlnumber"), "1F\n"));
    QVERIFY(m_pki.write(QStringLiteral("index.txt"),
                        "R\t301231235959Z\t240102030405Z,keyCompromise\t0A\tunknown\t/CN=a\n"
                        "R\t301231235959Z\t240203040506Z\t0B\tunknown\t/CN=b\n"
                        "R\t301231235959Z\t240304050607Z,superseded\t1234\tunknown\t/CN=c\n"));
    QVERIFY(m_pki.openssl({QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                           QStringLiteral("ca.cnf"), QStringLiteral("-keyfile"), QStringLiteral("intermediate.key"),
                           QStringLiteral("-cert"), QStringLiteral("intermediate.pem"), QStringLiteral("-out"),
                           QStringLiteral("list.crl")}));
    QVERIFY(m_pki.openssl({QStringLiteral("crl"), QStringLiteral("-in"), QStringLiteral("list.crl"),
                           QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                           QStringLiteral("list.der")}));
    for (const QString &file : {QStringLiteral("list.crl"), QStringLiteral("list.der")}) {
        const auto document = loadDocumentFile(m_pki.path(file));
        QVERIFY(document && document->errors.isEmpty());
        QCOMPARE(typesOf(*document), QStringList{QStringLiteral("crl")});
        const Crl &crl = *document->objects.first().as<Crl>();
        QCOMPARE(crl.issuer.commonName(), QStringLiteral("Test Intermediate CA"));
        QCOMPARE(crl.crlNumber, QStringLiteral("31"));
        QCOMPARE(crl.entryCount, 3);
        QCOMPARE(crl.version, 2);
        QCOMPARE(crl.thisUpdate.daysTo(crl.nextUpdate), 7);
        const auto entries = x509::crlEntries(crl.der, 0, 10);
        QVERIFY(entries);
        QCOMPARE(entries->size(), 3);
        QCOMPARE(entries->at(0).serialHex, QStringLiteral("0A"));
        QCOMPARE(entries->at(0).reason, QStringLiteral("keyCompromise"));
        QCOMPARE(isoUtc(entries->at(0).revocationDate), QStringLiteral("2024-01-02T03:04:05Z"));
        QCOMPARE(entries->at(1).reason, QString());
        QCOMPARE(entries->at(2).serialHex, QStringLiteral("1234"));
        // The same entries read lazily from the ASN.1 tree (what the GUI and JSON use).
        const auto tree = asn1::Tree::parse(crl.der);
        QVERIFY(tree);
        const CrlIndex index(*tree);
        QCOMPARE(index.count(), 3);
        for (qint32 row = 0; row < 3; ++row) {
            QCOMPARE(index.entry(row).serialHex, entries->at(row).serialHex);
            QCOMPARE(index.entry(row).revocationDate, entries->at(row).revocationDate);
            QCOMPARE(index.entry(row).reason, entries->at(row).reason);
        }
        QCOMPARE(toJson(document->objects.first())[QStringLiteral("entries")]
                     .toArray()
                     .at(2)[QStringLiteral("reason")]
                     .toString(),
                 QStringLiteral("superseded"));
        // Paging: the second page starts where asked.
        const auto page = x509::crlEntries(crl.der, 2, 10);
        QVERIFY(page && page->size() == 1 && page->first().reason == QLatin1String("superseded"));
    }
}

void TestDocuments::largeCrlIsDecodedWithoutItsEntries()
{
    // Over 1 MB: the header comes from a copy without the entry list, entries are counted.
    // Everything must equal OpenSSL's full decode of the same bytes.
    QByteArray index;
    for (int serial = 1; serial <= 30000; ++serial)
        index += "R\t301231235959Z\t240102030405Z,keyCompromise\t42" +
                 QByteArray::number(serial, 16).rightJustified(20, '0').toUpper() + "\tunknown\t/CN=r" +
                 QByteArray::number(serial) + '\n';
    QVERIFY(m_pki.write(QStringLiteral("large-index.txt"), index));
    QVERIFY(m_pki.write(QStringLiteral("large.cnf"),
                        "[ca]\ndefault_ca=d\n[d]\ndatabase=large-index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\n"
                        "default_crl_days=7\ncrl_extensions=crlext\n[crlext]\nauthorityKeyIdentifier=keyid\n"));
    QVERIFY(m_pki.write(QStringLiteral("crlnumber"), "2A\n"));
    QVERIFY(m_pki.openssl({QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                           QStringLiteral("large.cnf"), QStringLiteral("-keyfile"), QStringLiteral("intermediate.key"),
                           QStringLiteral("-cert"), QStringLiteral("intermediate.pem"), QStringLiteral("-out"),
                           QStringLiteral("large.crl")}));
    QVERIFY(m_pki.openssl({QStringLiteral("crl"), QStringLiteral("-in"), QStringLiteral("large.crl"),
                           QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                           QStringLiteral("large.der")}));
    const QByteArray der = m_pki.read(QStringLiteral("large.der"));
    QVERIFY2(der.size() > 1024 * 1024, qPrintable(QString::number(der.size())));

    const std::optional<Crl> quick = x509::decodeLargeCrl(der);
    const auto full = x509::crlFromDer(der);
    QVERIFY(quick && full);
    QCOMPARE(quick->entryCount, 30000);
    QCOMPARE(quick->entryCount, full->entryCount);
    QCOMPARE(quick->der, full->der);
    QCOMPARE(quick->sha256Hex, full->sha256Hex);
    QCOMPARE(quick->issuer.rfc4514, full->issuer.rfc4514);
    QCOMPARE(quick->thisUpdate, full->thisUpdate);
    QCOMPARE(quick->nextUpdate, full->nextUpdate);
    QCOMPARE(quick->crlNumber, QStringLiteral("42"));
    QCOMPARE(quick->version, full->version);
    QCOMPARE(quick->signatureAlgorithm, full->signatureAlgorithm);
    QCOMPARE(quick->extensions.size(), full->extensions.size());
    // What the loader uses, for PEM and DER alike.
    for (const QString &file : {QStringLiteral("large.crl"), QStringLiteral("large.der")}) {
        const auto document = loadDocumentFile(m_pki.path(file));
        QVERIFY(document && document->errors.isEmpty());
        QCOMPARE(document->objects.first().as<Crl>()->entryCount, 30000);
    }
    // A damaged entry list is not hidden by the shortcut: the full decoder reports it.
    QByteArray damaged = der;
    const qsizetype serial = der.indexOf(QByteArray("\x02\x0b\x42", 3), der.size() / 2); // an entry's serial
    QVERIFY(serial > 2 && uchar(der.at(serial - 2)) == 0x30);
    damaged[serial - 1] = char(0x7f); // the entry's length now runs into its neighbours
    const auto broken = loadDocument(damaged, QStringLiteral("damaged.der"));
    QVERIFY(!broken || broken->objects.isEmpty() || !broken->errors.isEmpty() ||
            broken->objects.first().type() != ObjectType::Crl);
    QVERIFY(!x509::decodeLargeCrl(damaged));
}

void TestDocuments::csr()
{
    const auto document = loadDocumentFile(m_pki.path(QStringLiteral("request.csr")));
    QVERIFY(document);
    const Csr &request = *document->objects.first().as<Csr>();
    QCOMPARE(request.subject.rfc4514, QStringLiteral("CN=csr.test"));
    QVERIFY(request.signatureValid);
    QCOMPARE(request.subjectAltNames.size(), 1);
    QCOMPARE(request.subjectAltNames.first().value, QStringLiteral("csr.test"));
    QCOMPARE(request.requestedExtensions.size(), 1);

    // Flip a bit in the signature (the last byte of the DER): the self-signature must fail.
    QByteArray tampered = request.der;
    tampered[tampered.size() - 1] = char(tampered.at(tampered.size() - 1) ^ 0x01);
    const auto reloaded = loadDocument(tampered, QStringLiteral("tampered.csr"));
    QVERIFY(reloaded && reloaded->objects.size() == 1);
    QVERIFY(!reloaded->objects.first().as<Csr>()->signatureValid);
}

void TestDocuments::keyMatching()
{
    const auto key = loadDocumentFile(m_pki.path(QStringLiteral("leaf.key")));
    const auto leaf = loadDocumentFile(m_pki.path(QStringLiteral("leaf.pem")));
    const auto root = loadDocumentFile(m_pki.path(QStringLiteral("root.pem")));
    QVERIFY(key && leaf && root);
    QVERIFY(keyMatchesCertificate(*key->objects.first().as<PrivateKey>(), *leaf->objects.first().as<Certificate>()));
    QVERIFY(!keyMatchesCertificate(*key->objects.first().as<PrivateKey>(), *root->objects.first().as<Certificate>()));
}

void TestDocuments::ocspResponse()
{
    QByteArray serial;
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                           QStringLiteral("-noout"), QStringLiteral("-serial")},
                          &serial));
    const QByteArray serialHex = serial.trimmed().mid(7);
    QVERIFY(m_pki.write(QStringLiteral("ocsp-index.txt"),
                        "V\t301231235959Z\t\t" + serialHex + "\tunknown\t/CN=server.test\n"));
    QVERIFY(m_pki.openssl(
        {QStringLiteral("ocsp"), QStringLiteral("-index"), QStringLiteral("ocsp-index.txt"), QStringLiteral("-rsigner"),
         QStringLiteral("intermediate.pem"), QStringLiteral("-rkey"), QStringLiteral("intermediate.key"),
         QStringLiteral("-CA"), QStringLiteral("intermediate.pem"), QStringLiteral("-issuer"),
         QStringLiteral("intermediate.pem"), QStringLiteral("-cert"), QStringLiteral("leaf.pem"),
         QStringLiteral("-respout"), QStringLiteral("response.der"), QStringLiteral("-ndays"), QStringLiteral("1")}));
    const auto document = loadDocumentFile(m_pki.path(QStringLiteral("response.der")));
    QVERIFY(document && document->errors.isEmpty());
    QCOMPARE(typesOf(*document), QStringList{QStringLiteral("ocspResponse")});
    const OcspResponse &response = *document->objects.first().as<OcspResponse>();
    QCOMPARE(response.responseStatus, QStringLiteral("successful"));
    QCOMPARE(response.responderId, QStringLiteral("CN=Test Intermediate CA,O=Trustscope Tests"));
    QCOMPARE(response.responses.size(), 1);
    QCOMPARE(response.responses.first().status, QStringLiteral("good"));
    QCOMPARE(response.responses.first().serialHex, QString::fromLatin1(serialHex));
    QCOMPARE(response.responses.first().thisUpdate.daysTo(response.responses.first().nextUpdate), 1);
}

void TestDocuments::pkcs12Passwords()
{
    // Wrong first, right second: the provider is asked again and the file opens.
    ScriptedPasswords retry({"wrong", "secret"});
    auto document = loadDocumentFile(m_pki.path(QStringLiteral("modern.p12")), &retry);
    QVERIFY(document && document->errors.isEmpty());
    QCOMPARE(retry.asked, 2);
    QCOMPARE(document->objects.size(), 3);
    QVERIFY(
        keyMatchesCertificate(*document->objects.at(2).as<PrivateKey>(), *document->objects.at(0).as<Certificate>()));

    // Only wrong answers: a clear wrong-password error, no objects, no crash.
    ScriptedPasswords wrong({"nope"});
    document = loadDocumentFile(m_pki.path(QStringLiteral("legacy.p12")), &wrong);
    QVERIFY(document);
    QVERIFY(document->objects.isEmpty());
    QCOMPARE(document->errors.size(), 1);
    QCOMPARE(document->errors.first().error.code, Error::Code::WrongPassword);
    QVERIFY(document->errors.first().toString().contains(QLatin1String("wrong password for the PKCS#12 file")));

    // Nobody to ask.
    document = loadDocumentFile(m_pki.path(QStringLiteral("modern.p12")));
    QVERIFY(document && document->errors.size() == 1);
    QCOMPARE(document->errors.first().error.code, Error::Code::PasswordNeeded);
}

void TestDocuments::badInput_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("objects");
    QTest::addColumn<QString>("error"); // expected in the file error, or the first object error

    const QByteArray leafPem = m_pki.read(QStringLiteral("leaf.pem"));
    QTest::newRow("empty") << QByteArray() << -1 << "is empty";
    QTest::newRow("truncated DER") << m_leafDer.left(m_leafDer.size() - 100) << 0
                                   << "DER object at byte 0: truncated DER";
    QByteArray broken = leafPem;
    broken[40] = '!';
    QTest::newRow("broken base64") << broken << 0 << "PEM block 1 (CERTIFICATE) at byte 0: the base64 body is broken";
    QTest::newRow("PEM without END") << leafPem.left(leafPem.size() - 30) << 0 << "no matching END line";
    QTest::newRow("good, broken, good") << leafPem + broken + leafPem << 2 << "PEM block 2 (CERTIFICATE)";
    QTest::newRow("PEM of garbage DER") << QByteArray(
                                               "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n")
                                        << 0 << "not a certificate, CRL, CSR";
    QTest::newRow("text") << QByteArray("hello, this is not a certificate\n") << -1 << "not a PKI file";
    QByteArray random(50 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
    random[0] = char(0x01);
    QTest::newRow("50 MB random") << random << -1 << "not a PKI file";
    random[0] = char(0x30);
    random[1] = char(0x84);
    QTest::newRow("50 MB random starting like DER") << random << 0 << "DER object at byte 0";
    QTest::newRow("trailing garbage after DER")
        << m_leafDer + QByteArray("\x05\x00\xff", 3) << 1 << "data after the DER object";
    QTest::newRow("undecodable extension") << QByteArray() << 1 << "";
}

void TestDocuments::badInput()
{
    QFETCH(QByteArray, data);
    QFETCH(int, objects);
    QFETCH(QString, error);
    if (qstrcmp(QTest::currentDataTag(), "undecodable extension") == 0) {
        // A subjectAltName whose value is an OCTET STRING, not GeneralNames.
        QVERIFY(m_pki.issue(QStringLiteral("bad-ext"), QStringLiteral("/CN=bad.test"),
                            {QStringLiteral("subjectAltName=DER:04:02:41:41")}, QStringLiteral("root")));
        data = m_pki.read(QStringLiteral("bad-ext.pem"));
    }
    const auto document = loadDocument(data, QStringLiteral("input.bin"));
    if (objects < 0) {
        QVERIFY(!document);
        QVERIFY2(document.error().toString().contains(error), qPrintable(document.error().toString()));
        QVERIFY(document.error().message.contains(QLatin1String("input.bin")));
        return;
    }
    QVERIFY(document);
    QCOMPARE(document->objects.size(), objects);
    if (error.isEmpty()) {
        const Extension *extension =
            document->objects.first().as<Certificate>()->extension(QStringLiteral("2.5.29.17"));
        QVERIFY(extension);
        QVERIFY(!extension->error.isEmpty());
        QVERIFY(extension->value.contains(QLatin1String("04:02:41:41")));
        return;
    }
    QVERIFY(!document->errors.isEmpty());
    QVERIFY2(document->errors.first().toString().contains(error), qPrintable(document->errors.first().toString()));
}

void TestDocuments::limits()
{
    LoadLimits small;
    small.maxFileBytes = 1000;
    auto document = loadDocument(m_pki.read(QStringLiteral("chain.pem")), QStringLiteral("chain.pem"), nullptr, small);
    QVERIFY(!document);
    QCOMPARE(document.error().code, Error::Code::LimitExceeded);

    LoadLimits few;
    few.maxObjects = 2;
    document = loadDocument(m_pki.read(QStringLiteral("chain.pem")) + m_pki.read(QStringLiteral("chain.pem")),
                            QStringLiteral("chain.pem"), nullptr, few);
    QVERIFY(document);
    QCOMPARE(document->objects.size(), 2);
    QCOMPARE(document->errors.size(), 1);
    QCOMPARE(document->errors.first().error.code, Error::Code::LimitExceeded);
}

void TestDocuments::cliJsonContract()
{
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("show"), QStringLiteral("--json"), m_pki.path(QStringLiteral("chain.pem")),
               m_pki.path(QStringLiteral("leaf.key"))});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonArray files = QJsonDocument::fromJson(cli.readAllStandardOutput()).array();
    QCOMPARE(files.size(), 2);
    QCOMPARE(files.at(0)[QStringLiteral("file")].toString(), m_pki.path(QStringLiteral("chain.pem")));
    const QJsonArray objects = files.at(0)[QStringLiteral("objects")].toArray();
    QCOMPARE(objects.size(), 3);
    const QJsonObject leaf = objects.at(0).toObject();
    for (const char *key : {"type", "subject", "issuer", "serial", "notBefore", "notAfter", "sha1", "sha256",
                            "spkiSha256", "publicKey", "signatureAlgorithm", "subjectAltNames", "extensions"})
        QVERIFY2(leaf.contains(QLatin1String(key)), key);
    QCOMPARE(leaf[QStringLiteral("type")].toString(), QStringLiteral("certificate"));
    QVERIFY(leaf[QStringLiteral("notAfter")].toString().endsWith(QLatin1Char('Z')));
    QCOMPARE(leaf[QStringLiteral("sha256")].toString().size(), 64);
    QCOMPARE(leaf[QStringLiteral("sha1")].toString().size(), 40);
    QCOMPARE(leaf[QStringLiteral("publicKey")][QStringLiteral("algorithm")].toString(), QStringLiteral("EC"));
    QCOMPARE(leaf[QStringLiteral("publicKey")][QStringLiteral("bits")].toInt(), 256);
    QCOMPARE(leaf[QStringLiteral("subjectAltNames")].toArray().first().toObject(),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("DNS")},
                          {QStringLiteral("value"), QStringLiteral("server.test")}}));
    const QJsonObject extension = leaf[QStringLiteral("extensions")].toArray().first().toObject();
    for (const char *key : {"oid", "name", "critical", "value"})
        QVERIFY2(extension.contains(QLatin1String(key)), key);
    QCOMPARE(files.at(1)[QStringLiteral("objects")].toArray().first()[QStringLiteral("type")].toString(),
             QStringLiteral("privateKey"));

    // A PKCS#12 holds the leaf, the intermediate and the leaf's key: the key names its certificate.
    QVERIFY(m_pki.write(QStringLiteral("password.txt"), "secret\n"));
    QProcess p12;
    p12.start(QStringLiteral(TRUSTSCOPE_CLI),
              {QStringLiteral("show"), QStringLiteral("--json"), QStringLiteral("--password-file"),
               m_pki.path(QStringLiteral("password.txt")), m_pki.path(QStringLiteral("modern.p12"))});
    QVERIFY(p12.waitForFinished(30000));
    QCOMPARE(p12.exitCode(), 0);
    const QJsonArray bundle =
        QJsonDocument::fromJson(p12.readAllStandardOutput()).array().first()[QStringLiteral("objects")].toArray();
    QCOMPARE(bundle.size(), 3);
    QCOMPARE(bundle.at(2)[QStringLiteral("matchesCertificate")].toInt(), 0);
}

void TestDocuments::cliReportsUnreadableInput()
{
    QByteArray broken = m_pki.read(QStringLiteral("leaf.pem"));
    broken[40] = '!';
    QVERIFY(m_pki.write(QStringLiteral("broken.pem"), m_pki.read(QStringLiteral("root.pem")) + broken));
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("show"), m_pki.path(QStringLiteral("broken.pem"))});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 2);
    const QString errors = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(errors.contains(QLatin1String("broken.pem: PEM block 2 (CERTIFICATE) at byte")), qPrintable(errors));
    QVERIFY(errors.contains(QLatin1String("base64 body is broken")));
    // The good block is still shown.
    QVERIFY(QString::fromUtf8(cli.readAllStandardOutput()).contains(QLatin1String("Test Root CA")));

    QProcess usage;
    usage.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("show")});
    QVERIFY(usage.waitForFinished(30000));
    QCOMPARE(usage.exitCode(), 2);
}

QTEST_GUILESS_MAIN(TestDocuments)
#include "tst_documents.moc"
