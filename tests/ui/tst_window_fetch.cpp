// The main window, offscreen. The address bar against real servers: fetching, failures, cancelling, host names, Apple
// errors, the handshake trace.

#include "WindowTesting.h"

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowFetch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpWindowTests(m_pki, m_dataDir)); }
    void addressBarFetchesAServer();
    void failedFetchExplainsItself();
    void fetchCanBeCancelledAndNeverBlocksTheGui();
    void fetchedChainForAnotherHostShowsSslHostname();
    void appleErrorsAreExplained();
    void traceTabShowsTheHandshake();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestWindowFetch::addressBarFetchesAServer()
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

void TestWindowFetch::failedFetchExplainsItself()
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

void TestWindowFetch::fetchCanBeCancelledAndNeverBlocksTheGui()
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

void TestWindowFetch::fetchedChainForAnotherHostShowsSslHostname()
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

void TestWindowFetch::appleErrorsAreExplained()
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

void TestWindowFetch::traceTabShowsTheHandshake()
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

QTEST_MAIN(TestWindowFetch)
#include "tst_window_fetch.moc"
