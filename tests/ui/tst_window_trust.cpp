// The main window, offscreen. The trust panel: verdicts, the policy editor, remembered choices, revocation.

#include "WindowTesting.h"

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowTrust : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpWindowTests(m_pki, m_dataDir)); }
    void expiredCertificateTurnsTheTrustPanelRed();
    void policyEditorReevaluates();
    void choicesPersistBetweenRuns();
    void stapledRevocationTurnsThePanelRed();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestWindowTrust::expiredCertificateTurnsTheTrustPanelRed()
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

void TestWindowTrust::policyEditorReevaluates()
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

void TestWindowTrust::choicesPersistBetweenRuns()
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

void TestWindowTrust::stapledRevocationTurnsThePanelRed()
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

QTEST_MAIN(TestWindowTrust)
#include "tst_window_trust.moc"
