// The main window, offscreen. The backends view: connections to every address of a name compared.

#include "WindowTesting.h"

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowBackends : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpWindowTests(m_pki, m_dataDir)); }
    void backendsViewComparesConnections();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestWindowBackends::backendsViewComparesConnections()
{
    // Two backends of one name: one sends the intermediate, one forgets it.
    trustscope::test::OpenSslServer full(
        m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                         QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"), QStringLiteral("intermediate.pem"),
                         QStringLiteral("-naccept"), QStringLiteral("100")});
    trustscope::test::OpenSslServer partial(m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"),
                                                             QStringLiteral("-key"), QStringLiteral("leaf.key"),
                                                             QStringLiteral("-naccept"), QStringLiteral("100")});
    QVERIFY(full.isRunning() && partial.isRunning());
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.trustPanel()->addAnchorFile(m_pki.path(QStringLiteral("root.pem")));
    LatencyProbe probe(&window, [&window] { return window.pendingLoads() > 0; });
    window.compareBackends(QStringLiteral("window.test:443"), false, 2, 0, {full.target(), partial.target()});
    QVERIFY(waitForLoads(window));
    qInfo("longest event-loop gap while comparing backends: %lld ms", probe.stop());
    VERIFY_TURNED_WHILE_BUSY(probe, "the connections were made");

    const QModelIndex document = window.documentModel()->index(window.documentModel()->rowCount() - 1, 0);
    QVERIFY(window.documentModel()->backends(document));
    QCOMPARE(window.documentModel()->rowCount(document), 3); // chain A: leaf + intermediate; chain B: leaf
    QTableWidget *table = window.backendsView()->table();
    QVERIFY(table->isVisible());
    QCOMPARE(table->rowCount(), 4); // two connections to each backend
    const QString summary = window.backendsView()->summary();
    QVERIFY2(summary.contains(QStringLiteral("2 of 4 connections got a chain without the intermediate")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("127.0.0.1:%1").arg(partial.port())), qPrintable(summary));
    // Rows are coloured by the chain they got.
    QSet<QRgb> colours;
    for (int row = 0; row < table->rowCount(); ++row)
        colours.insert(table->item(row, 0)->background().color().rgba());
    QCOMPARE(colours.size(), 2);

    // Choosing the partial backend's row inspects its chain: its leaf, and MissingIntermediate.
    int partialRow = -1;
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 1)->text().endsWith(QStringLiteral(":%1").arg(partial.port())))
            partialRow = row;
    QVERIFY(partialRow >= 0);
    table->setCurrentCell(partialRow, 1);
    QTRY_VERIFY(window.trustPanel()->bodyText().contains(QLatin1String("MissingIntermediate")));
    QCOMPARE(window.documentModel()->chainIndex(window.documentTree()->currentIndex()), 1);
    QVERIFY(window.documentTree()->currentIndex().data().toString().startsWith(QStringLiteral("B · ")));
    QVERIFY2(window.tracePane()->text().contains(QLatin1String("1 certificate(s)")),
             qPrintable(window.tracePane()->text()));
    // And the full backend's row: trusted.
    table->setCurrentCell(partialRow == 0 ? 1 : 0, 1);
    QTRY_COMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Good);

    // The fetch options do the same from the address bar: three connections that agree.
    window.findChild<QSpinBox *>(QStringLiteral("fetchRepeat"))->setValue(3);
    window.fetch(full.target());
    QVERIFY(waitForLoads(window));
    window.findChild<QSpinBox *>(QStringLiteral("fetchRepeat"))->setValue(1);
    QCOMPARE(window.backendsView()->table()->rowCount(), 3);
    QVERIFY(window.backendsView()->summary().contains(QLatin1String("Every connection agrees")));
}

QTEST_MAIN(TestWindowBackends)
#include "tst_window_backends.moc"
