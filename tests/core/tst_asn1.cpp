// The ASN.1 walker against `openssl asn1parse`, and on hand-made malformed encodings.

#include "Pki.h"

#include "asn1/Dump.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace trustscope::core;
using namespace trustscope::core::asn1;
using trustscope::test::Pki;

class TestAsn1 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesOpenSslAsn1parse_data();
    void matchesOpenSslAsn1parse();
    void encapsulation();
    void indefiniteLength();
    void encodingErrors_data();
    void encodingErrors();
    void depthLimitWithoutRecursion();
    void nestedIndefiniteLengthsAreMeasuredOnce();
    void longSequenceIsLinear();
    void certificateFieldPaths();
    void dumpFormats();
    void nodeAtOffset();
    void previewKeepsTheIndicesOfTheCompleteTree();

private:
    Pki m_pki;
};

void TestAsn1::initTestCase()
{
    QVERIFY(m_pki.makeChain());
    QVERIFY(m_pki.issue(QStringLiteral("rich"), QStringLiteral("/C=DE/O=Test/CN=rich.test"),
                        {QStringLiteral("subjectAltName=DNS:rich.test,IP:192.0.2.1,email:a@rich.test"),
                         QStringLiteral("authorityInfoAccess=OCSP;URI:http://ocsp.test"),
                         QStringLiteral("certificatePolicies=1.2.3.4"),
                         QStringLiteral("basicConstraints=critical,CA:false")},
                        QStringLiteral("intermediate"), QStringLiteral("rsa2048")));
    for (const QString &name : {QStringLiteral("leaf"), QStringLiteral("root"), QStringLiteral("rich")})
        QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), name + QStringLiteral(".pem"),
                               QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                               name + QStringLiteral(".der")}));
}

void TestAsn1::matchesOpenSslAsn1parse_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("EC leaf") << "leaf.der";
    QTest::newRow("self-signed root") << "root.der";
    QTest::newRow("RSA leaf with many extensions") << "rich.der";
}

void TestAsn1::matchesOpenSslAsn1parse()
{
    // Node for node, in document order: offset, header length, content length, tag.
    QFETCH(QString, file);
    QByteArray parsed;
    QVERIFY(m_pki.openssl(
        {QStringLiteral("asn1parse"), QStringLiteral("-inform"), QStringLiteral("DER"), QStringLiteral("-in"), file},
        &parsed));
    static const QRegularExpression line(
        QStringLiteral(R"(^\s*(\d+):d=\s*(\d+)\s+hl=\s*(\d+)\s+l=\s*(\d+)\s+(prim|cons):\s*(.*?)\s*(:.*)?$)"));
    struct Expected {
        qint64 offset, depth, header, length;
        bool constructed;
        QString type;
    };
    QList<Expected> expected;
    for (const QByteArray &text : parsed.split('\n')) {
        const auto match = line.match(QString::fromLatin1(text));
        if (match.hasMatch())
            expected.append({match.captured(1).toLongLong(), match.captured(2).toLongLong(),
                             match.captured(3).toLongLong(), match.captured(4).toLongLong(),
                             match.captured(5) == QLatin1String("cons"),
                             match.captured(6).remove(QStringLiteral("[HEX DUMP]")).trimmed()});
    }
    QVERIFY(expected.size() > 20);

    WalkOptions options;
    options.encapsulation = false; // asn1parse does not look inside OCTET STRINGs
    const auto tree = Tree::parse(m_pki.read(file), options);
    QVERIFY(tree);
    // Our array is breadth-first; put it in document order to compare.
    QList<qint32> documentOrder;
    std::vector<qint32> stack{0};
    while (!stack.empty()) {
        const qint32 index = stack.back();
        stack.pop_back();
        documentOrder.append(index);
        for (qint32 row = tree->node(index).childCount - 1; row >= 0; --row)
            stack.push_back(tree->node(index).firstChild + row);
    }
    QCOMPARE(documentOrder.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const Node &node = tree->node(documentOrder.at(i));
        QCOMPARE(node.offset, expected[i].offset);
        QCOMPARE(qint64(node.depth), expected[i].depth);
        QCOMPARE(qint64(node.headerLength), expected[i].header);
        QCOMPARE(node.contentLength, expected[i].length);
        QCOMPARE(node.constructed, expected[i].constructed);
        const QString type = tree->typeName(documentOrder.at(i));
        if (expected[i].type.startsWith(QLatin1String("cont [")))
            QCOMPARE(type, QStringLiteral("[%1]").arg(node.tag));
        else
            QCOMPARE(type.toUpper().remove(QLatin1Char(' ')),
                     expected[i]
                         .type.toUpper()
                         .remove(QLatin1Char(' '))
                         .replace(QStringLiteral("OBJECT"), QStringLiteral("OBJECTIDENTIFIER")));
        QVERIFY2(tree->errors(documentOrder.at(i)).isEmpty(),
                 qPrintable(tree->errors(documentOrder.at(i)).join(QLatin1Char(';'))));
    }
}

void TestAsn1::encapsulation()
{
    const QByteArray der = m_pki.read(QStringLiteral("rich.der"));
    const auto expanded = Tree::parse(der);
    WalkOptions off;
    off.encapsulation = false;
    const auto flat = Tree::parse(der, off);
    QVERIFY(expanded && flat);
    QVERIFY(expanded->nodes().size() > flat->nodes().size());
    // The SAN extension's OCTET STRING holds GeneralNames: a SEQUENCE with three names.
    const qint32 san = expanded->findCertificateField(QStringLiteral("2.5.29.17"));
    QVERIFY(san >= 0);
    const qint32 octets = expanded->child(san, 1);
    QVERIFY(expanded->node(octets).encapsulates);
    QCOMPARE(expanded->value(octets),
             QStringLiteral("encapsulates (%1 bytes)").arg(expanded->node(octets).contentLength));
    const qint32 names = expanded->child(octets, 0);
    QCOMPARE(expanded->typeName(names), QStringLiteral("SEQUENCE"));
    QCOMPARE(expanded->node(names).childCount, 3);
    QCOMPARE(expanded->value(expanded->child(names, 0)),
             QStringLiteral("72 69 63 68 2E 74 65 73 74")); // [2] dNSName "rich.test"
    // The RSA key inside the SPKI BIT STRING: SEQUENCE { modulus, exponent }.
    const qint32 spki = expanded->findCertificateField(QStringLiteral("subjectPublicKeyInfo"));
    const qint32 keyBits = expanded->child(spki, 1);
    QVERIFY(expanded->node(keyBits).encapsulates);
    const qint32 rsaKey = expanded->child(keyBits, 0);
    QCOMPARE(expanded->node(rsaKey).childCount, 2);
    QCOMPARE(expanded->value(expanded->child(rsaKey, 1)), QStringLiteral("65537"));
    // A hash in an OCTET STRING is not mistaken for DER.
    const qint32 ski = expanded->findCertificateField(QStringLiteral("2.5.29.14"));
    if (ski >= 0)
        QCOMPARE(expanded->node(expanded->child(expanded->child(ski, 1), 0)).childCount, 0);
}

void TestAsn1::indefiniteLength()
{
    // BER: SEQUENCE (indefinite) { INTEGER 5, SEQUENCE (indefinite) { NULL } } then INTEGER 7.
    const QByteArray ber = QByteArray::fromHex("3080"
                                               "020105"
                                               "3080"
                                               "0500"
                                               "0000"
                                               "0000"
                                               "020107");
    const auto tree = Tree::parse(ber);
    QVERIFY(tree);
    QCOMPARE(tree->rootCount(), 2);
    const Node &outer = tree->node(0);
    QVERIFY(outer.indefinite);
    QCOMPARE(outer.contentLength, 9);
    QCOMPARE(outer.totalLength(), 13);
    QCOMPARE(outer.childCount, 2);
    QVERIFY(tree->errors(0).contains(QStringLiteral("indefinite length (BER, not DER)")));
    const qint32 inner = tree->child(0, 1);
    QVERIFY(tree->node(inner).indefinite);
    QCOMPARE(tree->node(inner).childCount, 1);
    QCOMPARE(tree->typeName(tree->child(inner, 0)), QStringLiteral("NULL"));
    QCOMPARE(tree->value(1), QStringLiteral("7"));
    QCOMPARE(tree->node(1).offset, 13);
}

void TestAsn1::encodingErrors_data()
{
    QTest::addColumn<QByteArray>("der");
    QTest::addColumn<int>("node"); // the node index (breadth-first) that carries the error
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("nodes"); // how many nodes are still decoded

    QTest::newRow("non-minimal length") << QByteArray::fromHex("30 81 03 02 01 05") << 0
                                        << "length not minimally encoded (not DER)" << 2;
    QTest::newRow("leading zero length octet")
        << QByteArray::fromHex("30 82 00 03 02 01 05") << 0 << "length not minimally encoded (not DER)" << 2;
    QTest::newRow("length past the end") << QByteArray::fromHex("30 0a 02 01 05") << 0
                                         << "length runs past the end of the data" << 2;
    QTest::newRow("child past its parent")
        << QByteArray::fromHex("30 03 02 05 01") << 1 << "length runs past the end of the data" << 2;
    QTest::newRow("trailing bytes in a SEQUENCE")
        << QByteArray::fromHex("30 04 02 01 05 ff") << 0 << "trailing bytes after the last element" << 2;
    QTest::newRow("trailing garbage at the top")
        << QByteArray::fromHex("02 01 05 ff") << 1 << "not a valid ASN.1 header" << 2;
    QTest::newRow("BOOLEAN 01") << QByteArray::fromHex("30 03 01 01 01") << 1 << "BOOLEAN must be 00 or FF in DER" << 2;
    QTest::newRow("INTEGER with leading zero")
        << QByteArray::fromHex("02 02 00 05") << 0 << "INTEGER has superfluous leading octets" << 1;
    QTest::newRow("PrintableString with @")
        << QByteArray::fromHex("13 03 61 40 62") << 0 << "characters not allowed in this string type" << 1;
    QTest::newRow("IA5String with 8-bit")
        << QByteArray::fromHex("16 02 61 e9") << 0 << "characters not allowed in this string type" << 1;
    QTest::newRow("UTF8String invalid") << QByteArray::fromHex("0c 02 c3 28") << 0
                                        << "characters not allowed in this string type" << 1;
    QTest::newRow("UTCTime without seconds") << QByteArray("\x17\x0b"
                                                           "2401020304Z",
                                                           13)
                                             << 0 << "time is not in DER format" << 1;
    QTest::newRow("GeneralizedTime with offset") << QByteArray("\x18\x13"
                                                               "20240102030405+0100",
                                                               21)
                                                 << 0 << "time is not in DER format" << 1;
    QTest::newRow("high tag form for a low tag")
        << QByteArray::fromHex("9f 05 01 00") << 0 << "tag not minimally encoded (not DER)" << 1;
}

void TestAsn1::encodingErrors()
{
    QFETCH(QByteArray, der);
    QFETCH(int, node);
    QFETCH(QString, error);
    QFETCH(int, nodes);
    const auto tree = Tree::parse(der);
    QVERIFY(tree);
    QCOMPARE(int(tree->nodes().size()), nodes);
    QVERIFY2(tree->errors(node).contains(error), qPrintable(tree->errors(node).join(QLatin1Char(';'))));
    // The text dump carries the error too, and nothing is lost.
    QVERIFY(dumpText(*tree).contains(error.toUtf8()));
}

void TestAsn1::nestedIndefiniteLengthsAreMeasuredOnce()
{
    // 100 nested indefinite SEQUENCEs around 1 000 INTEGERs: every level's length is right
    // (the walk settles all of them in one scan and remembers them).
    constexpr int depth = 100;
    QByteArray ber;
    for (int level = 0; level < depth; ++level)
        ber += QByteArray("\x30\x80", 2);
    ber += QByteArray("\x02\x01\x05", 3).repeated(1000);
    for (int level = 0; level < depth; ++level)
        ber += QByteArray(2, '\0');
    const auto tree = asn1::Tree::parse(ber);
    QVERIFY(tree.has_value());
    int sequences = 0;
    for (const asn1::Node &node : tree->nodes()) {
        if (node.tag != 16)
            continue;
        ++sequences;
        QVERIFY(node.indefinite);
        QVERIFY(!(node.errors & asn1::LengthPastEnd));
        // Content: the deeper levels' headers and EOCs around the integers.
        QCOMPARE(qint64(node.contentLength), qint64(3000 + 4 * (depth - 1 - node.depth)));
    }
    QCOMPARE(sequences, depth);
    // Without the innermost end-of-contents, every level is unterminated, and says so.
    const auto broken = asn1::Tree::parse(ber.left(ber.size() - 2 * depth));
    QVERIFY(broken.has_value());
    for (const asn1::Node &node : broken->nodes())
        if (node.tag == 16)
            QVERIFY(node.errors & asn1::LengthPastEnd);
}

void TestAsn1::depthLimitWithoutRecursion()
{
    // 100 000 nested SEQUENCEs with indefinite length: far deeper than any stack would survive
    // if the walker recursed. Depth is capped, the node is flagged, and it returns quickly.
    const int depth = 100000;
    QByteArray hostile = QByteArray("\x30\x80", 2).repeated(depth) + QByteArray(2 * depth, '\0');
    auto tree = Tree::parse(hostile);
    QVERIFY(tree);
    bool flagged = false;
    for (qint32 index = 0; index < qint32(tree->nodes().size()); ++index)
        flagged = flagged || tree->errors(index).contains(QStringLiteral("nesting too deep: contents not decoded"));
    QVERIFY(flagged);
    QVERIFY(tree->nodes().size() <= 258);

    // Definite lengths, nested 300 deep (each wrapping the next).
    QByteArray nested = QByteArray::fromHex("0500");
    for (int level = 0; level < 300; ++level) {
        QByteArray header("\x30", 1);
        const qsizetype length = nested.size();
        if (length < 128)
            header.append(char(length));
        else if (length < 256)
            header.append("\x81", 1).append(char(length));
        else
            header.append("\x82", 1).append(char(length >> 8)).append(char(length & 0xff));
        nested.prepend(header);
    }
    tree = Tree::parse(nested);
    QVERIFY(tree);
    QCOMPARE(int(tree->nodes().size()), 257); // depths 0 … 256
    QVERIFY(tree->errors(256).contains(QStringLiteral("nesting too deep: contents not decoded")));
}

void TestAsn1::longSequenceIsLinear()
{
    // 300 000 INTEGERs in one SEQUENCE: all decoded, children contiguous.
    const int count = 300000;
    const QByteArray items = QByteArray::fromHex("020101").repeated(count);
    QByteArray der = QByteArray::fromHex("3083") + char((items.size() >> 16) & 0xff) +
                     char((items.size() >> 8) & 0xff) + char(items.size() & 0xff) + items;
    const auto tree = Tree::parse(der);
    QVERIFY(tree);
    QCOMPARE(tree->node(0).childCount, count);
    QCOMPARE(tree->node(tree->child(0, count - 1)).offset, qint64(5 + 3 * (count - 1)));
}

void TestAsn1::certificateFieldPaths()
{
    const auto tree = Tree::parse(m_pki.read(QStringLiteral("rich.der")));
    QVERIFY(tree);
    QCOMPARE(tree->value(tree->findCertificateField(QStringLiteral("version"))).isEmpty(), true); // [0] is constructed
    QCOMPARE(tree->typeName(tree->findCertificateField(QStringLiteral("serial"))), QStringLiteral("INTEGER"));
    QCOMPARE(tree->typeName(tree->findCertificateField(QStringLiteral("notAfter"))), QStringLiteral("UTCTime"));
    const qint32 subject = tree->findCertificateField(QStringLiteral("subject"));
    QCOMPARE(tree->node(subject).childCount, 3); // C, O, CN
    QCOMPARE(tree->value(tree->child(tree->child(tree->child(subject, 2), 0), 1)), QStringLiteral("'rich.test'"));
    QVERIFY(tree->value(tree->child(tree->findCertificateField(QStringLiteral("signatureAlgorithm")), 0))
                .contains(QLatin1String("ecdsa-with-SHA256")));
    const qint32 policies = tree->findCertificateField(QStringLiteral("2.5.29.32"));
    QVERIFY(tree->value(tree->child(policies, 0)).startsWith(QLatin1String("2.5.29.32")));
    QCOMPARE(tree->findCertificateField(QStringLiteral("2.5.29.30")), -1); // no name constraints
}

void TestAsn1::dumpFormats()
{
    const auto tree = Tree::parse(m_pki.read(QStringLiteral("leaf.der")));
    QVERIFY(tree);
    const QByteArray text = dumpText(*tree);
    QVERIFY(text.startsWith("      0 "));
    QVERIFY(text.contains(": SEQUENCE\n"));
    QVERIFY(text.contains("OBJECT IDENTIFIER 2.5.4.3 (commonName)"));
    QVERIFY(text.contains("UTF8String 'server.test'"));
    DumpOptions shallow;
    shallow.maxDepth = 1;
    QCOMPARE(dumpText(*tree, shallow).count('\n'), 4); // Certificate, tbs, algorithm, signature
    const QJsonArray json = dumpJson(*tree);
    QCOMPARE(json.size(), 1);
    const QJsonObject root = json.first().toObject();
    for (const char *key :
         {"offset", "headerLength", "length", "class", "tag", "constructed", "type", "value", "errors", "children"})
        QVERIFY2(root.contains(QLatin1String(key)), key);
    QCOMPARE(root[QStringLiteral("type")].toString(), QStringLiteral("SEQUENCE"));
    QCOMPARE(root[QStringLiteral("children")].toArray().size(), 3);
}

void TestAsn1::nodeAtOffset()
{
    const auto tree = Tree::parse(m_pki.read(QStringLiteral("leaf.der")));
    QVERIFY(tree);
    // Every byte belongs to the deepest node whose encoding covers it; check them all.
    for (qint32 index = 0; index < qint32(tree->nodes().size()); ++index) {
        const Node &node = tree->node(index);
        if (node.childCount > 0)
            continue; // a leaf: all its bytes map to it
        for (qint64 offset = node.offset; offset < qint64(node.offset) + node.totalLength(); ++offset)
            QCOMPARE(tree->nodeAt(offset), index);
    }
    QCOMPARE(tree->nodeAt(0), 0); // the outer header
    QCOMPARE(tree->nodeAt(-1), -1);
    QCOMPARE(tree->nodeAt(tree->data().size()), -1);
}

void TestAsn1::previewKeepsTheIndicesOfTheCompleteTree()
{
    const QByteArray der = m_pki.read(QStringLiteral("rich.der"));
    const auto complete = asn1::Tree::parse(der);
    asn1::WalkOptions options;
    options.previewDepth = 2;
    const auto preview = asn1::Tree::parse(der, options);
    QVERIFY(complete && preview);
    QVERIFY(complete->isComplete());
    QVERIFY(!preview->isComplete());
    QVERIFY(preview->nodes().size() < complete->nodes().size());
    for (size_t index = 0; index < preview->nodes().size(); ++index) {
        const asn1::Node &shown = preview->nodes()[index];
        const asn1::Node &full = complete->nodes()[index];
        QVERIFY(shown.depth <= 2);
        QCOMPARE(shown.offset, full.offset);
        QCOMPARE(shown.tag, full.tag);
        QCOMPARE(shown.parent, full.parent);
        QCOMPARE(shown.errors, full.errors); // a preview never invents a DepthLimit error
        if (shown.depth < 2) {
            QCOMPARE(shown.firstChild, full.firstChild);
            QCOMPARE(shown.childCount, full.childCount);
        } else {
            QCOMPARE(shown.childCount, 0); // not walked yet
        }
    }
}

QTEST_GUILESS_MAIN(TestAsn1)
#include "tst_asn1.moc"
