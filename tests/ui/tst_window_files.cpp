// The main window, offscreen. Files dropped, pasted and opened: the tree, details, PEM, ASN.1 and CRL panes, tabs and
// exports.

#include "WindowTesting.h"

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpWindowTests(m_pki, m_dataDir)); }
    void droppedFileShowsItsCertificates();
    void pastedPemOpens();
    void droppedTextOpens();
    void unreadableFileKeepsTheWindowUsable();
    void pemPaneIsHighlighted();
    void asn1TabFollowsTheSelectedField();
    void crlEntriesArePaged();
    void documentsAreTabsAndRemembered();
    void bigCrlOpensWithoutFreezing();
    void exportsReadBackWithOpenssl();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestWindowFiles::droppedFileShowsItsCertificates()
{
    MainWindow window;
    QAbstractItemModelTester documentsTester(window.documentModel(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester detailsTester(window.detailsModel(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_pki.path(QStringLiteral("chain.pem")))});
    QVERIFY(dragAndDrop(window, mime));
    QVERIFY(waitForLoads(window));

    DocumentModel *documents = window.documentModel();
    QCOMPARE(documents->rowCount(), 1);
    const QModelIndex document = documents->index(0, 0);
    QCOMPARE(document.data().toString(), QStringLiteral("chain.pem"));
    QCOMPARE(documents->rowCount(document), 2);
    QCOMPARE(documents->index(0, 0, document).data().toString(), QStringLiteral("window.test"));
    QCOMPARE(documents->index(1, 0, document).data().toString(), QStringLiteral("Test Intermediate CA"));

    // The first certificate is selected and its fields are shown, grouped.
    QCOMPARE(window.documentTree()->currentIndex(), documents->index(0, 0, document));
    DetailsModel *details = window.detailsModel();
    const QModelIndex subject = details->find(QStringLiteral("Subject"));
    QVERIFY(subject.isValid());
    QCOMPARE(subject.siblingAtColumn(1).data().toString(), QStringLiteral("CN=window.test"));
    QCOMPARE(details->find(QStringLiteral("Subject"), QStringLiteral("CN")).siblingAtColumn(1).data().toString(),
             QStringLiteral("window.test"));
    QCOMPARE(details->find(QStringLiteral("Issuer"), QStringLiteral("CN")).siblingAtColumn(1).data().toString(),
             QStringLiteral("Test Intermediate CA"));
    for (const char *group : {"Validity", "Public Key", "Signature", "Extensions", "Fingerprints"})
        QVERIFY2(details->find(QLatin1String(group)).isValid(), group);
    QVERIFY(details->find(QStringLiteral("Extensions"), QStringLiteral("Subject Alternative Name")).isValid());
    QVERIFY(window.pemPane()->toPlainText().startsWith(QLatin1String("-----BEGIN CERTIFICATE-----\n")));

    // Selecting the intermediate shows its fields.
    window.documentTree()->setCurrentIndex(documents->index(1, 0, document));
    QCOMPARE(details->find(QStringLiteral("Subject"), QStringLiteral("CN")).siblingAtColumn(1).data().toString(),
             QStringLiteral("Test Intermediate CA"));
}

void TestWindowFiles::pastedPemOpens()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QApplication::clipboard()->setText(QStringLiteral("copied from a terminal:\n") +
                                       QString::fromLatin1(m_pki.read(QStringLiteral("root.pem"))));
    QTest::keySequence(&window, QKeySequence::Paste);
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.documentModel()->rowCount(), 1);
    const QModelIndex document = window.documentModel()->index(0, 0);
    QCOMPARE(document.data().toString(), QStringLiteral("Pasted text"));
    QCOMPARE(window.documentModel()->index(0, 0, document).data().toString(), QStringLiteral("Test Root CA"));
}

void TestWindowFiles::droppedTextOpens()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QMimeData mime;
    mime.setText(QString::fromLatin1(m_pki.read(QStringLiteral("leaf.pem"))));
    QVERIFY(dragAndDrop(window, mime));
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.documentModel()->rowCount(window.documentModel()->index(0, 0)), 1);
}

void TestWindowFiles::unreadableFileKeepsTheWindowUsable()
{
    QByteArray broken = m_pki.read(QStringLiteral("leaf.pem"));
    broken[40] = '!';
    QVERIFY(m_pki.write(QStringLiteral("mixed.pem"), m_pki.read(QStringLiteral("root.pem")) + broken));
    MainWindow window;
    window.show();
    window.openFiles({m_pki.path(QStringLiteral("mixed.pem"))});
    QVERIFY(waitForLoads(window));
    const QModelIndex document = window.documentModel()->index(0, 0);
    QCOMPARE(window.documentModel()->rowCount(document), 1);
    QVERIFY(document.data(Qt::ToolTipRole).toString().contains(QLatin1String("PEM block 2 (CERTIFICATE)")));
}

void TestWindowFiles::pemPaneIsHighlighted()
{
    MainWindow window;
    window.show();
    QCOMPARE(window.pemPane()->definitionName(), QStringLiteral("PEM")); // our definition, loaded from resources
    QVERIFY(!window.pemPane()->themeName().isEmpty());
    window.openFiles({m_pki.path(QStringLiteral("leaf.pem"))});
    QVERIFY(waitForLoads(window));
    // The armour line carries a highlighting format; the base64 body is plain.
    const QTextBlock armour = window.pemPane()->document()->firstBlock();
    QTRY_VERIFY(!armour.layout()->formats().isEmpty());
    QVERIFY(armour.layout()->formats().first().format.foreground().color().isValid());
}

void TestWindowFiles::asn1TabFollowsTheSelectedField()
{
    MainWindow window;
    window.show();
    QSignalSpy ready(&window, &MainWindow::asn1Ready);
    window.openFiles({m_pki.path(QStringLiteral("leaf.pem"))});
    QVERIFY(waitForLoads(window));
    QVERIFY(ready.count() > 0 || ready.wait(10000)); // it may have come during the loads

    Asn1Model *model = window.asn1Model();
    QCOMPARE(model->rowCount(), 1);
    const QModelIndex certificate = model->index(0, 0);
    QCOMPARE(certificate.data().toString(), QStringLiteral("SEQUENCE"));
    QCOMPARE(model->rowCount(certificate), 3); // tbsCertificate, signatureAlgorithm, signature
    // Lazy: a deep node has children it has not inserted yet.
    const QModelIndex tbs = model->index(0, 0, certificate);
    const QModelIndex issuer = model->index(3, 0, tbs);
    QVERIFY(model->hasChildren(issuer));
    QVERIFY(model->canFetchMore(issuer));
    QCOMPARE(model->rowCount(issuer), 0);
    model->fetchMore(issuer);
    QCOMPARE(model->rowCount(issuer), 2); // O and CN

    // The dump pane uses our syntax definition and shows the OIDs by name.
    QCOMPARE(window.asn1Dump()->definitionName(), QStringLiteral("ASN.1 Dump"));
    QVERIFY(window.asn1Dump()->toPlainText().contains(QLatin1String("OBJECT IDENTIFIER 2.5.4.3 (commonName)")));

    // Selecting the SAN extension in the details selects its bytes in the ASN.1 tree.
    const QModelIndex san =
        window.detailsModel()->find(QStringLiteral("Extensions"), QStringLiteral("Subject Alternative Name"));
    QVERIFY(san.isValid());
    window.detailsView()->setCurrentIndex(san);
    const qint32 expected = model->tree()->findCertificateField(QStringLiteral("2.5.29.17"));
    QVERIFY(expected > 0);
    QCOMPARE(window.asn1View()->currentIndex().data(Asn1Model::NodeIndexRole).toInt(), expected);
    QCOMPARE(window.asn1View()->currentIndex().data().toString(), QStringLiteral("SEQUENCE"));
    // The link follows each row's field, not its (translatable) label: a row inside a group
    // selects its own field where it has one, else its group's.
    const QModelIndex notAfter =
        window.detailsModel()->find(QStringLiteral("Validity"), QStringLiteral("Not Valid After"));
    QCOMPARE(notAfter.data(DetailsModel::Asn1FieldRole).toString(), QStringLiteral("notAfter"));
    window.detailsView()->setCurrentIndex(notAfter);
    QCOMPARE(window.asn1View()->currentIndex().data(Asn1Model::NodeIndexRole).toInt(),
             model->tree()->findCertificateField(QStringLiteral("notAfter")));
    const QModelIndex issuerName = window.detailsModel()->find(QStringLiteral("Issuer"), QStringLiteral("CN"));
    QVERIFY(issuerName.isValid());
    window.detailsView()->setCurrentIndex(issuerName);
    QCOMPARE(window.asn1View()->currentIndex().data(Asn1Model::NodeIndexRole).toInt(),
             model->tree()->findCertificateField(QStringLiteral("issuer")));
    const QModelIndex fingerprint =
        window.detailsModel()->find(QStringLiteral("Fingerprints"), QStringLiteral("SHA-256"));
    QVERIFY(fingerprint.isValid());
    QVERIFY(fingerprint.data(DetailsModel::Asn1FieldRole).toString().isEmpty()); // not a field of the DER

    // The hex view highlights exactly the selected node's bytes …
    window.detailsView()->setCurrentIndex(san);
    const trustscope::core::asn1::Node &sanNode = model->tree()->node(expected);
    QCOMPARE(window.hexView()->highlightStart(), qint64(sanNode.offset));
    QCOMPARE(window.hexView()->highlightLength(), qint64(sanNode.headerLength) + sanNode.contentLength);
    // … and clicking a byte selects the deepest node there: the serial number's first content byte.
    const qint32 serial = model->tree()->findCertificateField(QStringLiteral("serial"));
    Q_EMIT window.hexView()->byteClicked(model->tree()->node(serial).contentOffset());
    QCOMPARE(window.asn1View()->currentIndex().data(Asn1Model::NodeIndexRole).toInt(), serial);
    QCOMPARE(window.hexView()->highlightStart(), qint64(model->tree()->node(serial).offset));
    // Clicking in the painted grid maps back to the same offsets: byte 0x11 is line 1, column 1.
    window.hexView()->resize(800, 400);
    const QFontMetrics metrics(window.hexView()->font());
    const QPoint byte17((10 + 3 + 1) * metrics.horizontalAdvance(QLatin1Char('0')), metrics.height() + 2);
    QCOMPARE(window.hexView()->offsetAt(byte17), 17);
    // Copy as hex puts the selected node's encoding on the clipboard.
    window.asn1View()->actions().first()->trigger();
    QCOMPARE(QApplication::clipboard()->text(),
             QString::fromLatin1(model->tree()->encoded(serial).toHex(' ').toUpper()));

    // The same tree under QAbstractItemModelTester, which then watches the lazy insertions.
    // (Attached after the reset: Qt 6.8's tester calls fetchMore() from its own modelReset
    // handler and then flags the insertion as happening inside the reset.)
    Asn1Model watched;
    auto tree = trustscope::core::asn1::Tree::parse(model->tree()->data());
    QVERIFY(tree);
    watched.setTree(std::make_shared<const trustscope::core::asn1::Tree>(std::move(*tree)));
    QAbstractItemModelTester tester(&watched, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex deep = watched.indexOfNode(watched.tree()->findCertificateField(QStringLiteral("2.5.29.17")));
    QVERIFY(deep.isValid());
    QCOMPARE(deep.data(Asn1Model::NodeIndexRole).toInt(), expected);
}

void TestWindowFiles::crlEntriesArePaged()
{
    // A real `openssl ca -gencrl` CRL with 2 500 entries: pages of 1 000 as the view asks.
    QString index;
    for (int serial = 1; serial <= 2500; ++serial)
        index += QStringLiteral("R\t301231235959Z\t240102030405Z,keyCompromise\t%1\tunknown\t/CN=r%2\n")
                     .arg(serial, 6, 16, QLatin1Char('0'))
                     .arg(serial);
    QVERIFY(m_pki.write(QStringLiteral("crl-index.txt"),
                        index.toUpper().toLatin1().replace("/CN=R", "/CN=r").replace("\tUNKNOWN\t", "\tunknown\t")));
    QVERIFY(m_pki.write(QStringLiteral("crl.cnf"),
                        "[ca]\ndefault_ca=d\n[d]\ndatabase=crl-index.txt\ndefault_md=sha256\ndefault_crl_days=7\n"));
    QVERIFY(m_pki.openssl({QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                           QStringLiteral("crl.cnf"), QStringLiteral("-keyfile"), QStringLiteral("root.key"),
                           QStringLiteral("-cert"), QStringLiteral("root.pem"), QStringLiteral("-out"),
                           QStringLiteral("big.crl")}));
    MainWindow window;
    window.show();
    QSignalSpy ready(&window, &MainWindow::asn1Ready);
    window.openFiles({m_pki.path(QStringLiteral("big.crl"))});
    QVERIFY(waitForLoads(window));
    QVERIFY(ready.count() > 0 || ready.wait(10000)); // it may have come during the loads
    CrlEntriesModel *entries = window.crlEntriesModel();
    QCOMPARE(entries->totalCount(), 2500);
    QCOMPARE(entries->rowCount(), 1000);
    QVERIFY(entries->canFetchMore({}));
    {
        QAbstractItemModelTester tester(entries, QAbstractItemModelTester::FailureReportingMode::QtTest);
        entries->fetchMore({});
        entries->fetchMore({});
    }
    QCOMPARE(entries->rowCount(), 2500);
    QVERIFY(!entries->canFetchMore({}));
    QCOMPARE(entries->index(2499, 0).data().toString(), QStringLiteral("09C4"));
    QCOMPARE(entries->index(0, 1).data().toString(), QStringLiteral("2024-01-02T03:04:05Z"));
    QCOMPARE(entries->index(0, 2).data().toString(), QStringLiteral("keyCompromise"));
}

void TestWindowFiles::documentsAreTabsAndRemembered()
{
    MainWindow window;
    window.show();
    QVERIFY(!window.documentTabs()->isVisible()); // nothing open yet
    window.openFiles({m_pki.path(QStringLiteral("root.pem"))});
    QVERIFY(waitForLoads(window));
    window.openFiles({m_pki.path(QStringLiteral("chain.pem"))});
    QVERIFY(waitForLoads(window));
    QTabBar *tabs = window.documentTabs();
    QCOMPARE(tabs->count(), 2);
    QCOMPARE(tabs->tabText(0), QStringLiteral("root.pem"));
    QCOMPARE(tabs->tabText(1), QStringLiteral("chain.pem"));
    QCOMPARE(tabs->currentIndex(), 1); // the newest is shown
    // A tab selects its document in the tree, and the tree's selection moves the tab.
    tabs->setCurrentIndex(0);
    QCOMPARE(window.documentTree()->currentIndex().parent().row(), 0);
    window.documentTree()->setCurrentIndex(window.documentModel()->index(0, 0, window.documentModel()->index(1, 0)));
    QCOMPARE(tabs->currentIndex(), 1);
    // Closing a tab closes its document.
    Q_EMIT tabs->tabCloseRequested(0);
    QCOMPARE(window.documentModel()->rowCount(), 1);
    QCOMPARE(tabs->count(), 1);
    QCOMPARE(tabs->tabText(0), QStringLiteral("chain.pem"));
    // Both files are in Open Recent, newest first, and a recent entry opens again.
    QCOMPARE(window.recentFiles().mid(0, 2),
             QStringList({m_pki.path(QStringLiteral("chain.pem")), m_pki.path(QStringLiteral("root.pem"))}));
    auto *recent = window.findChild<QMenu *>(QStringLiteral("recentMenu"));
    QVERIFY(recent && recent->isEnabled());
    QAction *rootEntry = nullptr;
    for (QAction *action : recent->actions())
        if (action->text() == QLatin1String("root.pem"))
            rootEntry = action;
    QVERIFY(rootEntry);
    rootEntry->trigger();
    QVERIFY(waitForLoads(window));
    QCOMPARE(tabs->count(), 2);
}

void TestWindowFiles::bigCrlOpensWithoutFreezing()
{
    // A real 200 000-entry CRL (about 7 MB of DER) from `openssl ca -gencrl`.
    QByteArray index;
    index.reserve(200000 * 80);
    for (int serial = 1; serial <= 200000; ++serial)
        index += "R\t301231235959Z\t240102030405Z,keyCompromise\t" +
                 QByteArray::number(serial, 16).rightJustified(8, '0').toUpper() + "\tunknown\t/CN=r\n";
    QVERIFY(m_pki.write(QStringLiteral("big-index.txt"), index));
    QVERIFY(m_pki.write(QStringLiteral("big.cnf"),
                        "[ca]\ndefault_ca=d\n[d]\ndatabase=big-index.txt\ndefault_md=sha256\ndefault_crl_days=7\n"));
    QVERIFY(m_pki.openssl({QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                           QStringLiteral("big.cnf"), QStringLiteral("-keyfile"), QStringLiteral("root.key"),
                           QStringLiteral("-cert"), QStringLiteral("root.pem"), QStringLiteral("-out"),
                           QStringLiteral("big200k.pem")}));
    QVERIFY(m_pki.openssl({QStringLiteral("crl"), QStringLiteral("-in"), QStringLiteral("big200k.pem"),
                           QStringLiteral("-outform"), QStringLiteral("DER"), QStringLiteral("-out"),
                           QStringLiteral("big200k.crl")}));

    MainWindow window;
    window.show();
    window.showTab(QStringLiteral("ASN.1"));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::asn1Ready);
    QSignalSpy rowsShown(&window, &MainWindow::asn1RowsShown);
    LatencyProbe probe(&window, [&ready] { return ready.isEmpty(); });
    QElapsedTimer sinceOpen;
    sinceOpen.start();
    window.openFiles({m_pki.path(QStringLiteral("big200k.crl"))});
    QVERIFY(waitForLoads(window));
    qInfo("document loaded after %lld ms", sinceOpen.elapsed());
    QVERIFY(rowsShown.count() > 0 || rowsShown.wait(30000));
    qInfo("first ASN.1 rows after %lld ms", sinceOpen.elapsed());
    QVERIFY(ready.count() > 0 || ready.wait(30000));
    qInfo("complete ASN.1 tree after %lld ms", sinceOpen.elapsed());
    QTest::qWait(200); // let the views lay out and paint what is visible
    const qint64 longestGap = probe.stop();
    qInfo("longest event-loop gap while opening a 200 000-entry CRL: %lld ms", longestGap);
    VERIFY_TURNED_WHILE_BUSY(probe, "the CRL was parsed and walked");
    QCOMPARE(window.crlEntriesModel()->totalCount(), 200000);
    QCOMPARE(window.crlEntriesModel()->rowCount(), 1000); // paged
    QVERIFY(window.asn1Model()->rowCount() == 1);
    // The top levels were shown first, then the complete walk replaced them in place: an
    // entry (depth 3, not walked by the preview) now has its serial, date and extensions.
    QCOMPARE(rowsShown.count(), 1);
    auto *model = window.asn1Model();
    const QModelIndex tbs = model->index(0, 0, model->index(0, 0));
    QModelIndex entries;
    for (int row = 0; row < model->rowCount(tbs); ++row)
        if (model->index(row, 0, tbs).data().toString() == QLatin1String("SEQUENCE") &&
            model->rowCount(model->index(row, 0, tbs)) == 0 && model->canFetchMore(model->index(row, 0, tbs)))
            entries = model->index(row, 0, tbs);
    QVERIFY(entries.isValid());
    model->fetchMore(entries);
    QCOMPARE(model->rowCount(entries), 200000);
    QVERIFY(model->hasChildren(model->index(0, 0, entries)));
}

void TestWindowFiles::exportsReadBackWithOpenssl()
{
    MainWindow window;
    window.show();
    window.openFiles({m_pki.path(QStringLiteral("chain.pem"))});
    QVERIFY(waitForLoads(window));
    const QModelIndex document = window.documentModel()->index(0, 0);
    window.documentTree()->setCurrentIndex(window.documentModel()->index(0, 0, document));
    QVERIFY(window.exportTo(m_pki.path(QStringLiteral("exported.der")), false));
    QVERIFY(window.exportTo(m_pki.path(QStringLiteral("exported-chain.pem")), true));
    QVERIFY(window.exportTo(m_pki.path(QStringLiteral("exported.p7b")), true));
    QByteArray subject, chain, bundle;
    QVERIFY(
        m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-inform"), QStringLiteral("DER"), QStringLiteral("-in"),
                       QStringLiteral("exported.der"), QStringLiteral("-noout"), QStringLiteral("-subject")},
                      &subject));
    QCOMPARE(subject.trimmed(), QByteArray("subject=CN=window.test"));
    QVERIFY(m_pki.openssl({QStringLiteral("crl2pkcs7"), QStringLiteral("-nocrl"), QStringLiteral("-certfile"),
                           QStringLiteral("exported-chain.pem")},
                          &chain));
    QCOMPARE(m_pki.read(QStringLiteral("exported-chain.pem")).count("BEGIN CERTIFICATE"), 2);
    QVERIFY(
        m_pki.openssl({QStringLiteral("pkcs7"), QStringLiteral("-inform"), QStringLiteral("DER"), QStringLiteral("-in"),
                       QStringLiteral("exported.p7b"), QStringLiteral("-print_certs"), QStringLiteral("-noout")},
                      &bundle));
    QVERIFY(bundle.indexOf("subject=CN=window.test") <
            bundle.indexOf("subject=O=Trustscope Tests, CN=Test Intermediate CA")); // order kept
}

QTEST_MAIN(TestWindowFiles)
#include "tst_window_files.moc"
