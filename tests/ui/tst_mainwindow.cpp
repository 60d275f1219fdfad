// The main window, offscreen: documents dropped, pasted and opened show up in the tree,
// details and PEM panes, and the trust panel reacts to what is selected.

#include "Pki.h"
#include "Servers.h"

#include "Asn1Model.h"
#include "ConnectionViews.h"
#include "CrlEntriesModel.h"
#include "DetailsModel.h"
#include "DocumentModel.h"
#include "ExceptionsDialog.h"
#include "GeneratorDialog.h"
#include "HexView.h"
#include "MainWindow.h"
#include "TextPane.h"
#include "TrustPanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTimer>
#include <QTreeView>

#include <functional>

using namespace trustscope::ui;

using trustscope::test::Pki;

// Proves that work ran off the GUI thread without a timed bound: a 1 ms timer counts the turns
// of the event loop *while the work is in progress* (busy() true). Work done on the GUI thread
// leaves no turn while busy — it is over before the loop turns again — so the count is zero.
// The longest gap between turns is logged for the reader; performance is measured by the
// benchmarks, not here.
class LatencyProbe {
public:
    LatencyProbe(QObject *context, std::function<bool()> busy)
        : m_busy(std::move(busy))
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, context, [this] {
            const qint64 gap = m_sinceLastTick.restart();
            if (!m_busy())
                return;
            m_longestGap = qMax(m_longestGap, gap);
            ++m_ticksWhileBusy;
        });
        m_sinceLastTick.start();
        m_timer.start();
    }
    qint64 stop()
    {
        m_timer.stop();
        return m_longestGap;
    }
    [[nodiscard]] int ticksWhileBusy() const { return m_ticksWhileBusy; }

private:
    std::function<bool()> m_busy;
    QTimer m_timer;
    QElapsedTimer m_sinceLastTick;
    qint64 m_longestGap = 0;
    int m_ticksWhileBusy = 0;
};

#define VERIFY_TURNED_WHILE_BUSY(probe, what)                                                                          \
    QVERIFY2((probe).ticksWhileBusy() >= 1, qPrintable(QStringLiteral("the GUI thread turned %1 times while %2")       \
                                                           .arg((probe).ticksWhileBusy())                              \
                                                           .arg(QLatin1String(what))))

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void droppedFileShowsItsCertificates();
    void pastedPemOpens();
    void droppedTextOpens();
    void expiredCertificateTurnsTheTrustPanelRed();
    void unreadableFileKeepsTheWindowUsable();
    void pemPaneIsHighlighted();
    void asn1TabFollowsTheSelectedField();
    void crlEntriesArePaged();
    void addressBarFetchesAServer();
    void failedFetchExplainsItself();
    void fetchCanBeCancelledAndNeverBlocksTheGui();
    void fetchedChainForAnotherHostShowsSslHostname();
    void policyEditorReevaluates();
    void documentsAreTabsAndRemembered();
    void appleErrorsAreExplained();
    void choicesPersistBetweenRuns();
    void stapledRevocationTurnsThePanelRed();
    void trustExceptionFromThePanel();
    void bigCrlOpensWithoutFreezing();
    void exportsReadBackWithOpenssl();
    void generatorMakesCertificatesAndScenariosAndServesThem();
    void backendsViewComparesConnections();
    void traceTabShowsTheHandshake();

private:
    bool waitForLoads(MainWindow &window);
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestMainWindow::initTestCase()
{
    qputenv("TZ", "UTC");
    qputenv("TRUSTSCOPE_DATA_DIR", m_dataDir.path().toUtf8()); // never touch the user's settings
    QVERIFY(m_pki.makeChain(QStringLiteral("window.test")));
    QVERIFY(m_pki.write(QStringLiteral("chain.pem"),
                        m_pki.read(QStringLiteral("leaf.pem")) + m_pki.read(QStringLiteral("intermediate.pem"))));
    QVERIFY(m_pki.issue(QStringLiteral("expired"), QStringLiteral("/CN=expired.test"),
                        {QStringLiteral("basicConstraints=CA:false")}, {}, QStringLiteral("ec"),
                        {QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"), QStringLiteral("-not_after"),
                         QStringLiteral("20210101000000Z")}));
}

// What a drag from a file manager delivers: enter (which must be accepted), then drop.
static bool dragAndDrop(QWidget &target, QMimeData &mime)
{
    QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &drop);
    return drop.isAccepted();
}

bool TestMainWindow::waitForLoads(MainWindow &window)
{
    if (window.pendingLoads() == 0)
        return true;
    QSignalSpy finished(&window, &MainWindow::loadsFinished);
    return finished.wait(20000);
}

void TestMainWindow::droppedFileShowsItsCertificates()
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

void TestMainWindow::pastedPemOpens()
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

void TestMainWindow::droppedTextOpens()
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

void TestMainWindow::expiredCertificateTurnsTheTrustPanelRed()
{
    MainWindow window;
    window.show();
    window.openFiles({m_pki.path(QStringLiteral("expired.pem"))});
    QVERIFY(waitForLoads(window));
    // Expired and self-signed: both recoverable (an exception may cover them), so amber.
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Warning);
    QVERIFY(window.trustPanel()->bodyText().contains(QLatin1String("TemporalValidity")));
    QVERIFY(window.trustPanel()->bodyText().contains(QLatin1String("AnchorTrusted")));
    QVERIFY(window.detailsModel()
                ->find(QStringLiteral("Validity"))
                .siblingAtColumn(1)
                .data()
                .toString()
                .startsWith(QLatin1String("expired")));
    // The expired certificate carries a badge in the tree.
    const QModelIndex certificate = window.documentModel()->index(0, 0, window.documentModel()->index(0, 0));
    QVERIFY(certificate.data(Qt::ToolTipRole).toString().contains(QLatin1String("TemporalValidity")));
}

void TestMainWindow::unreadableFileKeepsTheWindowUsable()
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

void TestMainWindow::pemPaneIsHighlighted()
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

void TestMainWindow::asn1TabFollowsTheSelectedField()
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

    // The hex view highlights exactly that node's bytes …
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

void TestMainWindow::crlEntriesArePaged()
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

void TestMainWindow::addressBarFetchesAServer()
{
    trustscope::test::OpenSslServer server(m_pki.path({}),
                                           {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                            QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"),
                                            QStringLiteral("intermediate.pem")});
    QVERIFY(server.isRunning());
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_L));
    QLineEdit *address = window.findChild<QLineEdit *>(QStringLiteral("addressBar"));
    QVERIFY(address && address->hasFocus());
    QTest::keyClicks(address, server.target());
    QTest::keyClick(address, Qt::Key_Return);
    QVERIFY(waitForLoads(window));

    const QModelIndex document = window.documentModel()->index(0, 0);
    QCOMPARE(document.data().toString(), server.target());
    QCOMPARE(window.documentModel()->rowCount(document), 2);
    QCOMPARE(window.documentModel()->index(0, 0, document).data().toString(), QStringLiteral("window.test"));
    QVERIFY(window.documentModel()->connection(document));
    // The document row shows the handshake.
    window.documentTree()->setCurrentIndex(document);
    QCOMPARE(window.detailsModel()
                 ->find(QStringLiteral("Handshake"), QStringLiteral("Protocol"))
                 .siblingAtColumn(1)
                 .data()
                 .toString(),
             QStringLiteral("TLSv1.3"));
    QCOMPARE(window.detailsModel()->find(QStringLiteral("Chain as Sent")).siblingAtColumn(1).data().toString(),
             QStringLiteral("2 certificate(s)"));
}

void TestMainWindow::failedFetchExplainsItself()
{
    trustscope::test::OpenSslServer server(m_pki.path({}),
                                           {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                            QStringLiteral("leaf.key"), QStringLiteral("-Verify"), QStringLiteral("1"),
                                            QStringLiteral("-tls1_2")});
    QVERIFY(server.isRunning());
    MainWindow window;
    window.show();
    window.fetch(server.target());
    QVERIFY(waitForLoads(window));
    const QModelIndex document = window.documentModel()->index(0, 0);
    QCOMPARE(window.documentTree()->currentIndex(), document);
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Bad);
    QCOMPARE(window.detailsModel()->find(QStringLiteral("TLS Alert")).siblingAtColumn(1).data().toString(),
             QStringLiteral("handshake_failure (40)"));
    QCOMPARE(window.detailsModel()
                 ->find(QStringLiteral("TLS Alert"), QStringLiteral("On iOS / macOS"))
                 .siblingAtColumn(1)
                 .data()
                 .toString(),
             QStringLiteral("errSSLPeerHandshakeFail (-9824)"));
    QCOMPARE(window.detailsModel()->find(QStringLiteral("Client Certificate")).siblingAtColumn(1).data().toString(),
             QStringLiteral("requested"));
}

void TestMainWindow::fetchCanBeCancelledAndNeverBlocksTheGui()
{
    // A server that sends one byte a second: the fetch takes long, the GUI must not notice.
    trustscope::test::ScriptedPeer drip(QStringLiteral("drip"));
    QVERIFY(drip.isRunning());
    MainWindow window;
    window.show();
    LatencyProbe probe(&window, [&window] { return window.pendingLoads() > 0; });
    window.fetch(drip.target());
    QTest::qWait(1500);
    QElapsedTimer cancelling;
    cancelling.start();
    window.cancelFetches();
    QVERIFY(waitForLoads(window));
    const qint64 longestGap = probe.stop();
    QVERIFY2(cancelling.elapsed() < 500, "cancelled promptly");
    qInfo("longest event-loop gap while fetching from a 1-byte-a-second server: %lld ms", longestGap);
    QVERIFY2(
        probe.ticksWhileBusy() >= 100, // 1.5 s of a 1 ms timer: the loop turned throughout
        qPrintable(QStringLiteral("the GUI thread turned %1 times in 1.5 s of fetching").arg(probe.ticksWhileBusy())));
    const auto *connection = window.documentModel()->connection(window.documentModel()->index(0, 0));
    QVERIFY(connection && !connection->ok());
    QVERIFY(connection->errorMessage.contains(QLatin1String("cancelled")));
}

void TestMainWindow::fetchedChainForAnotherHostShowsSslHostname()
{
    // The server's certificate is for window.test; we connect to 127.0.0.1.
    trustscope::test::OpenSslServer server(m_pki.path({}),
                                           {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                            QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"),
                                            QStringLiteral("intermediate.pem")});
    QVERIFY(server.isRunning());
    MainWindow window;
    window.show();
    window.fetch(server.target());
    QVERIFY(waitForLoads(window));
    const trustscope::core::trust::Evaluation *evaluation =
        window.documentModel()->evaluation(window.documentModel()->index(0, 0));
    QVERIFY(evaluation);
    QVERIFY(!evaluation->trusted);
    const QString body = window.trustPanel()->bodyText();
    QVERIFY2(body.contains(QLatin1String("SSLHostname")), qPrintable(body));
    QVERIFY(body.contains(QLatin1String("include &#x27;127.0.0.1&#x27;")) ||
            body.contains(QLatin1String("include '127.0.0.1'")));
    QVERIFY(body.contains(QLatin1String("Fix:")));
    QVERIFY(window.trustPanel()->verdict() != TrustPanel::Verdict::Good);
}

void TestMainWindow::policyEditorReevaluates()
{
    // The chain file is trusted once its root is chosen as the only anchor in the editor.
    QVERIFY(m_pki.write(QStringLiteral("served.pem"),
                        m_pki.read(QStringLiteral("leaf.pem")) + m_pki.read(QStringLiteral("intermediate.pem"))));
    MainWindow window;
    window.show();
    window.openFiles({m_pki.path(QStringLiteral("served.pem"))});
    QVERIFY(waitForLoads(window));
    QVERIFY(window.trustPanel()->verdict() != TrustPanel::Verdict::Good);
    auto *host = window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"));
    auto *roots = window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyRoots"));
    QVERIFY(host && roots);
    host->setText(QStringLiteral("window.test"));
    roots->setText(m_pki.path(QStringLiteral("root.pem")));
    Q_EMIT roots->editingFinished();
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Good);
    QCOMPARE(window.trustPanel()->headline(), QStringLiteral("Trusted"));
}

void TestMainWindow::appleErrorsAreExplained()
{
    trustscope::test::OpenSslServer server(m_pki.path({}),
                                           {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                            QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"),
                                            QStringLiteral("intermediate.pem")});
    QVERIFY(server.isRunning());
    MainWindow window;
    window.show();
    // A log line typed into the address bar is explained, not fetched.
    auto *address = window.findChild<QLineEdit *>(QStringLiteral("addressBar"));
    address->setText(QStringLiteral("Error Domain=NSURLErrorDomain Code=-1202 _kCFStreamErrorCodeKey=-9813 "
                                    "NSErrorFailingURLStringKey=https://%1/")
                         .arg(server.target()));
    Q_EMIT address->returnPressed();
    QCOMPARE(window.pendingLoads(), 0);
    QCOMPARE(window.trustPanel()->headline(), QStringLiteral("2 code(s) explained"));
    const QString explained = window.trustPanel()->bodyText();
    QVERIFY2(explained.contains(QLatin1String("errSSLNoRootCert")) &&
                 explained.contains(QLatin1String("NSURLErrorServerCertificateUntrusted")),
             qPrintable(explained));
    // "Inspect" fetches the server the line names; the verdict then says what iOS would report.
    Q_EMIT window.trustPanel()->inspectRequested(server.target());
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.documentModel()->rowCount(), 1);
    const QString verdict = window.trustPanel()->bodyText();
    QVERIFY2(verdict.contains(QLatin1String("On iOS / macOS")) && verdict.contains(QLatin1String("-1202")),
             qPrintable(verdict));
    // ATS diagnostics of the fetched server run in a worker and end in a report.
    window.runAtsDiagnostics();
    QVERIFY(window.pendingLoads() > 0);
    QVERIFY(waitForLoads(window));
    auto *report = window.findChild<QMessageBox *>(QStringLiteral("atsReport"));
    QVERIFY(report);
    QVERIFY2(report->detailedText().contains(QLatin1String("ATS default")), qPrintable(report->detailedText()));
    report->close();
    // The chain as an NSPinnedDomains entry.
    window.copyPinnedDomains();
    QVERIFY(QApplication::clipboard()->text().contains(QLatin1String("NSPinnedLeafIdentities")));
}

void TestMainWindow::documentsAreTabsAndRemembered()
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

void TestMainWindow::choicesPersistBetweenRuns()
{
    {
        MainWindow window;
        window.show();
        auto *revocation = window.trustPanel()->findChild<QComboBox *>(QStringLiteral("policyRevocation"));
        revocation->setCurrentIndex(revocation->findData(QStringLiteral("crl")));
        window.trustPanel()
            ->findChild<QLineEdit *>(QStringLiteral("policyRoots"))
            ->setText(QStringLiteral("/x/roots.pem"));
        window.findChild<QSpinBox *>(QStringLiteral("fetchTimeout"))->setValue(23);
        window.close(); // saves
    }
    MainWindow again;
    QCOMPARE(again.trustPanel()->policy({}).revocation, trustscope::core::trust::RevocationMode::Crl);
    QCOMPARE(again.trustPanel()->anchorFiles(), QStringList{QStringLiteral("/x/roots.pem")});
    QCOMPARE(again.findChild<QSpinBox *>(QStringLiteral("fetchTimeout"))->value(), 23);
    // Put the defaults back for the tests after this one.
    auto *revocation = again.trustPanel()->findChild<QComboBox *>(QStringLiteral("policyRevocation"));
    revocation->setCurrentIndex(0);
    again.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyRoots"))->clear();
    again.findChild<QSpinBox *>(QStringLiteral("fetchTimeout"))->setValue(10);
    again.close();
}

void TestMainWindow::stapledRevocationTurnsThePanelRed()
{
    // The intermediate's OCSP answer "revoked" for the leaf, stapled by a real s_server.
    QByteArray serial;
    QVERIFY(m_pki.openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                           QStringLiteral("-noout"), QStringLiteral("-serial")},
                          &serial));
    QVERIFY(m_pki.write(QStringLiteral("index.txt"), "R\t301231235959Z\t260102030405Z,keyCompromise\t" +
                                                         serial.trimmed().mid(7) + "\tunknown\t/CN=window.test\n"));
    QVERIFY(m_pki.openssl({QStringLiteral("ocsp"), QStringLiteral("-issuer"), QStringLiteral("intermediate.pem"),
                           QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-no_nonce"),
                           QStringLiteral("-reqout"), QStringLiteral("leaf.req")}));
    QVERIFY(m_pki.openssl({QStringLiteral("ocsp"), QStringLiteral("-index"), QStringLiteral("index.txt"),
                           QStringLiteral("-CA"), QStringLiteral("intermediate.pem"), QStringLiteral("-rsigner"),
                           QStringLiteral("intermediate.pem"), QStringLiteral("-rkey"),
                           QStringLiteral("intermediate.key"), QStringLiteral("-reqin"), QStringLiteral("leaf.req"),
                           QStringLiteral("-respout"), QStringLiteral("leaf.staple")}));
    trustscope::test::OpenSslServer server(
        m_pki.path({}), {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                         QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"), QStringLiteral("intermediate.pem"),
                         QStringLiteral("-status_file"), QStringLiteral("leaf.staple")});
    QVERIFY(server.isRunning());
    MainWindow window;
    window.show();
    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"))->setText(QStringLiteral("window.test"));
    window.trustPanel()
        ->findChild<QLineEdit *>(QStringLiteral("policyRoots"))
        ->setText(m_pki.path(QStringLiteral("root.pem")));
    window.fetch(server.target());
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Good); // revocation is off by default
    QVERIFY(window.trustPanel()->bodyText().contains(QLatin1String("Sent by the server")));

    auto *revocation = window.trustPanel()->findChild<QComboBox *>(QStringLiteral("policyRevocation"));
    QVERIFY(revocation);
    revocation->setCurrentIndex(revocation->findData(QStringLiteral("ocsp")));
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Bad);
    QVERIFY2(window.trustPanel()->headline().contains(QLatin1String("was revoked")),
             qPrintable(window.trustPanel()->headline()));
    const QString body = window.trustPanel()->bodyText();
    QVERIFY2(body.contains(QLatin1String("STAPLE")) && body.contains(QLatin1String("keyCompromise")), qPrintable(body));
}

void TestMainWindow::trustExceptionFromThePanel()
{
    QVERIFY(m_pki.issue(
        QStringLiteral("expired-leaf"), QStringLiteral("/CN=window.test"),
        {QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("extendedKeyUsage=serverAuth"),
         QStringLiteral("subjectAltName=DNS:window.test"), QStringLiteral("authorityKeyIdentifier=keyid")},
        QStringLiteral("intermediate"), QStringLiteral("ec"),
        {QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"), QStringLiteral("-not_after"),
         QStringLiteral("20210101000000Z")}));
    QVERIFY(m_pki.write(QStringLiteral("expired-served.pem"), m_pki.read(QStringLiteral("expired-leaf.pem")) +
                                                                  m_pki.read(QStringLiteral("intermediate.pem"))));
    MainWindow window;
    window.show();
    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"))->setText(QStringLiteral("window.test"));
    window.trustPanel()
        ->findChild<QLineEdit *>(QStringLiteral("policyRoots"))
        ->setText(m_pki.path(QStringLiteral("root.pem")));
    window.openFiles({m_pki.path(QStringLiteral("expired-served.pem"))});
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Warning);
    auto *trustButton = window.trustPanel()->findChild<QPushButton *>();
    QVERIFY(trustButton && trustButton->isVisible());
    trustButton->click();
    auto *confirmation = window.findChild<QMessageBox *>(QStringLiteral("exceptionConfirmation"));
    QVERIFY(confirmation);
    QVERIFY(confirmation->text().contains(QLatin1String("TemporalValidity"))); // it says what will be accepted
    confirmation->button(QMessageBox::Yes)->click();
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->headline(), QStringLiteral("Trusted by an exception"));
    const auto *evaluation = window.documentModel()->evaluation(window.documentModel()->index(0, 0));
    QVERIFY(evaluation);
    QCOMPARE(evaluation->result, QStringLiteral("proceed"));
    QVERIFY(!trustButton->isVisible());

    ExceptionsDialog manager(&window);
    QCOMPARE(manager.table()->rowCount(), 1);
    QCOMPARE(manager.table()->item(0, 0)->text(), QStringLiteral("window.test"));
    QVERIFY(manager.table()->item(0, 3)->text().contains(QLatin1String("TemporalValidity")));
}

void TestMainWindow::bigCrlOpensWithoutFreezing()
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

void TestMainWindow::exportsReadBackWithOpenssl()
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

void TestMainWindow::generatorMakesCertificatesAndScenariosAndServesThem()
{
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    GeneratorDialog *dialog = window.showGenerator();
    QVERIFY(dialog && dialog->isVisible());
    dialog->setOutputFolder(dir.path());
    auto *generate = dialog->findChild<QPushButton *>(QStringLiteral("generateButton"));
    auto *templates = dialog->findChild<QComboBox *>(QStringLiteral("generatorTemplate"));
    auto *keyType = dialog->findChild<QComboBox *>(QStringLiteral("generatorKeyType"));
    QVERIFY(generate && templates && keyType);
    QSignalSpy finished(dialog, &GeneratorDialog::generationFinished);

    // A root CA with a slow key: generated off the GUI thread, then opened in a tab.
    templates->setCurrentIndex(0);
    keyType->setCurrentText(QStringLiteral("rsa4096"));
    LatencyProbe probe(&window, [&finished] { return finished.isEmpty(); });
    QTest::mouseClick(generate, Qt::LeftButton);
    QVERIFY(finished.wait(120000));
    // The key is made in a worker: the event loop kept turning meanwhile.
    qInfo("longest event-loop gap while generating an RSA 4096 key: %lld ms", probe.stop());
    VERIFY_TURNED_WHILE_BUSY(probe, "the key was generated");
    QVERIFY2(finished.last().first().toBool(),
             qPrintable(dialog->findChild<QLabel *>(QStringLiteral("generatorStatus"))->text()));
    QVERIFY(waitForLoads(window));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("root.key"))));
    QTRY_COMPARE(window.documentModel()->rowCount(), 1);
    QCOMPARE(window.documentModel()->index(0, 0, window.documentModel()->index(0, 0)).data().toString(),
             QStringLiteral("Trustscope Test Root CA"));

    // A TLS server certificate issued by it, verified by openssl.
    templates->setCurrentIndex(2);
    keyType->setCurrentText(QStringLiteral("p256"));
    dialog->findChild<QLineEdit *>(QStringLiteral("generatorIssuerCertificate"))
        ->setText(dir.filePath(QStringLiteral("root.pem")));
    dialog->findChild<QLineEdit *>(QStringLiteral("generatorIssuerKey"))
        ->setText(dir.filePath(QStringLiteral("root.key")));
    QTest::mouseClick(generate, Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.last().first().toBool());
    QVERIFY(waitForLoads(window));
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("verify"), QStringLiteral("-CAfile"), dir.filePath(QStringLiteral("root.pem")),
                   QStringLiteral("-purpose"), QStringLiteral("sslserver"), QStringLiteral("-verify_hostname"),
                   QStringLiteral("localhost"), dir.filePath(QStringLiteral("server.pem"))});
    QVERIFY(openssl.waitForFinished(10000));
    QVERIFY2(openssl.exitCode() == 0, openssl.readAll().constData());
    // A missing issuer key is a clear error, not a crash.
    dialog->findChild<QLineEdit *>(QStringLiteral("generatorIssuerKey"))
        ->setText(dir.filePath(QStringLiteral("none.key")));
    QTest::mouseClick(generate, Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QVERIFY(!finished.last().first().toBool());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("generatorStatus"))->text().contains(QLatin1String("none.key")));

    // The expired scenario: its root becomes an anchor, so the chain shows exactly the expiry.
    dialog->tabs()->setCurrentIndex(1);
    auto *scenarios = dialog->findChild<QListWidget *>(QStringLiteral("generatorScenarios"));
    const auto expired = scenarios->findItems(QStringLiteral("expired"), Qt::MatchStartsWith);
    QCOMPARE(expired.size(), 1);
    scenarios->setCurrentItem(expired.first());
    const int documentsBefore = window.documentModel()->rowCount();
    QTest::mouseClick(generate, Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.last().first().toBool());
    QVERIFY(waitForLoads(window));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("expired/README.txt"))));
    QTRY_COMPARE(window.documentModel()->rowCount(), documentsBefore + 2);
    QVERIFY(window.trustPanel()->anchorFiles().contains(dir.filePath(QStringLiteral("expired/root.pem"))));

    // Serve it, inspect it from the dialog: the main window fetches it and names the expiry.
    QSignalSpy serving(dialog, &GeneratorDialog::servingChanged);
    dialog->toggleServing();
    QVERIFY(serving.wait(10000));
    const quint16 port = serving.last().first().value<quint16>();
    QVERIFY(port != 0);
    QCOMPARE(dialog->servingPort(), port);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("inspectServedButton")), Qt::LeftButton);
    QVERIFY(waitForLoads(window));
    const QModelIndex fetched = window.documentModel()->index(window.documentModel()->rowCount() - 1, 0);
    QCOMPARE(fetched.data().toString(), QStringLiteral("127.0.0.1:%1").arg(port));
    // The chain as sent (leaf, intermediate), then the path's root, which the server did not send.
    QTRY_COMPARE(window.documentModel()->rowCount(fetched), 3);
    const QModelIndex pathRoot = window.documentModel()->index(2, 0, fetched);
    QVERIFY(window.documentModel()->isPathOnly(pathRoot));
    QVERIFY(!window.documentModel()->isPathOnly(window.documentModel()->index(1, 0, fetched)));
    QVERIFY2(pathRoot.data().toString().contains(QLatin1String("path: one of your roots")),
             qPrintable(pathRoot.data().toString()));
    window.documentTree()->setCurrentIndex(window.documentModel()->index(0, 0, fetched));
    QTRY_VERIFY(window.trustPanel()->bodyText().contains(QLatin1String("TemporalValidity")));
    QVERIFY(!window.trustPanel()->bodyText().contains(QLatin1String("AnchorTrusted")));
    dialog->toggleServing();
    QCOMPARE(serving.last().first().value<quint16>(), quint16(0));
    QCOMPARE(dialog->servingPort(), quint16(0));
}

void TestMainWindow::backendsViewComparesConnections()
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

void TestMainWindow::traceTabShowsTheHandshake()
{
    // A server that requires a client certificate: the trace shows the request and the alert.
    trustscope::test::OpenSslServer server(m_pki.path({}),
                                           {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                            QStringLiteral("leaf.key"), QStringLiteral("-Verify"), QStringLiteral("1"),
                                            QStringLiteral("-CAfile"), QStringLiteral("root.pem")});
    QVERIFY(server.isRunning());
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.fetch(server.target());
    QVERIFY(waitForLoads(window));
    QVERIFY(window.showTab(QStringLiteral("Trace")));
    const QString trace = window.tracePane()->text();
    for (const char *expected : {"→  ClientHello", "←  ServerHello", "←  CertificateRequest", "acceptable CA name",
                                 "←  certificate_required", "fatal"})
        QVERIFY2(trace.contains(QString::fromUtf8(expected)), qPrintable(trace));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trace.txt"));
    QVERIFY(window.tracePane()->saveTo(path));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(saved.readAll()), trace);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
