// The main window, offscreen. Trust exceptions recorded from the trust panel.

#include "WindowTesting.h"

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowExceptions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void trustExceptionFromThePanel();
    void exceptionNeedsAServer();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

// An expired leaf under the test PKI's intermediate, served with that intermediate.
void TestWindowExceptions::initTestCase()
{
    QVERIFY(setUpWindowTests(m_pki, m_dataDir));
    QVERIFY(m_pki.issue(
        QStringLiteral("expired-leaf"), QStringLiteral("/CN=window.test"),
        {QStringLiteral("basicConstraints=critical,CA:false"), QStringLiteral("extendedKeyUsage=serverAuth"),
         QStringLiteral("subjectAltName=DNS:window.test"), QStringLiteral("authorityKeyIdentifier=keyid")},
        QStringLiteral("intermediate"), QStringLiteral("ec"),
        {QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"), QStringLiteral("-not_after"),
         QStringLiteral("20210101000000Z")}));
    QVERIFY(m_pki.write(QStringLiteral("expired-served.pem"), m_pki.read(QStringLiteral("expired-leaf.pem")) +
                                                                  m_pki.read(QStringLiteral("intermediate.pem"))));
}

void TestWindowExceptions::trustExceptionFromThePanel()
{
    MainWindow window;
    window.show();
    setTrustPolicy(window, QStringLiteral("window.test"), m_pki.path(QStringLiteral("root.pem")));
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

// An exception is for one server: without a host name the session says so instead of recording one.
void TestWindowExceptions::exceptionNeedsAServer()
{
    MainWindow window;
    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"))->clear();
    window.trustPanel()
        ->findChild<QLineEdit *>(QStringLiteral("policyRoots"))
        ->setText(m_pki.path(QStringLiteral("root.pem")));
    QVERIFY(!window.session()->exceptionFor(QModelIndex())); // nothing open: no verdict to accept
    window.openFiles({m_pki.path(QStringLiteral("expired-served.pem"))});
    QVERIFY(waitForLoads(window));
    const QModelIndex document = window.documentModel()->index(0, 0);
    QVERIFY(window.documentModel()->evaluation(document));
    const auto withoutHost = window.session()->exceptionFor(document);
    QVERIFY(!withoutHost);
    QVERIFY2(withoutHost.error().message.contains(QLatin1String("host name")), qPrintable(withoutHost.error().message));

    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"))->setText(QStringLiteral("window.test"));
    const auto withHost = window.session()->exceptionFor(document);
    QVERIFY2(withHost, withHost ? "" : qPrintable(withHost.error().message));
    QCOMPARE(withHost->host, QStringLiteral("window.test"));
}

QTEST_MAIN(TestWindowExceptions)
#include "tst_window_exceptions.moc"
