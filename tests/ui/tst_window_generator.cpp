// The main window, offscreen. The certificate generator: certificates, scenarios, and serving them.

#include "WindowTesting.h"

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowGenerator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpWindowTests(m_pki, m_dataDir)); }
    void generatorMakesCertificatesAndScenariosAndServesThem();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestWindowGenerator::generatorMakesCertificatesAndScenariosAndServesThem()
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

QTEST_MAIN(TestWindowGenerator)
#include "tst_window_generator.moc"
