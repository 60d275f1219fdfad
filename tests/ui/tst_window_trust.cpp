// The main window, offscreen. The trust panel: verdicts, the policy editor, remembered choices, revocation.

#include "WindowTesting.h"
#include "gen/Generator.h"
#include "roots/RootPrograms.h"
#include "trust/AnchorStore.h"

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
    void policyInputsReachTheVerdict();
    void crlOpenBesideAChainAnswersRevocation();
    void neverTrustFailsEveryPathThroughIt();
    void trustedByRowNamesEveryProgram();
    void rootStoreChoiceAnchorsTheVerdict();
    void certificateTransparencyInDetailsAndPanel();

private:
    // served.pem (leaf + intermediate) opened with root.pem as the only anchor: trusted.
    bool openTrustedChain(MainWindow &window);
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestWindowTrust::trustedByRowNamesEveryProgram()
{
    // A self-signed test certificate is in no root program: every entry of the row says so, and
    // the On iOS / macOS block names Apple's store, not this computer's.
    MainWindow window;
    window.show();
    window.openFiles({m_pki.path(QStringLiteral("expired.pem"))});
    QVERIFY(waitForLoads(window));
    const QString body = window.trustPanel()->bodyText();
    QVERIFY2(body.contains(QLatin1String("Trusted by")), qPrintable(body));
    for (const QString &program : trustscope::core::roots::programIds())
        QVERIFY2(body.contains(QStringLiteral("✗ ") + program), qPrintable(program));
    QVERIFY2(body.contains(QLatin1String("Under Apple")), qPrintable(body));
}

void TestWindowTrust::rootStoreChoiceAnchorsTheVerdict()
{
    // A root Apple includes and Mozilla does not (from the shipped data, valid for a year yet),
    // opened alone: trusted under Apple's store, not under Mozilla's; its Details list every program.
    namespace roots = trustscope::core::roots;
    const auto apple = roots::findProgram(QStringLiteral("apple"));
    const auto mozilla = roots::findProgram(QStringLiteral("mozilla"));
    QVERIFY(apple && mozilla);
    QByteArray der;
    for (const roots::RootRecord &record : (*apple)->roots) {
        const roots::RootRecord *inMozilla = (*mozilla)->record(record.sha256);
        if (!record.trusted() || record.der.isEmpty() || (inMozilla && inMozilla->trusted()))
            continue;
        const auto index = (*apple)->known->indexOfSha256(record.sha256);
        if (index && (*apple)->known->certificate(*index).notAfter > QDateTime::currentDateTimeUtc().addYears(1)) {
            der = record.der;
            break;
        }
    }
    QVERIFY2(!der.isEmpty(), "the shipped data has no root that Apple includes and Mozilla does not");
    QVERIFY(m_pki.write(QStringLiteral("apple-only-root.der"), der));

    MainWindow window;
    window.show();
    auto *store = window.trustPanel()->findChild<QComboBox *>(QStringLiteral("policyRootStore"));
    QVERIFY(store);
    QCOMPARE(store->count(), int(roots::programIds().size()));
    store->setCurrentIndex(store->findData(QStringLiteral("apple")));
    QVERIFY(window.trustPanel()->policySummary().startsWith(QLatin1String("Apple roots")));
    window.openFiles({m_pki.path(QStringLiteral("apple-only-root.der"))});
    QVERIFY(waitForLoads(window));
    QVERIFY2(window.trustPanel()->verdict() == TrustPanel::Verdict::Good, qPrintable(window.trustPanel()->bodyText()));
    // The row's entries carry their verdict in the tooltip.
    QVERIFY2(window.trustPanel()->programToolTip(QStringLiteral("apple")).contains(QLatin1String(": trusted")),
             qPrintable(window.trustPanel()->programToolTip(QStringLiteral("apple"))));
    const QString mozillaTip = window.trustPanel()->programToolTip(QStringLiteral("mozilla"));
    QVERIFY2(mozillaTip.contains(QLatin1String("not trusted")) && mozillaTip.contains(QLatin1String("AnchorTrusted")),
             qPrintable(mozillaTip));

    store->setCurrentIndex(store->findData(QStringLiteral("mozilla")));
    QVERIFY(waitForLoads(window));
    QVERIFY2(window.trustPanel()->verdict() != TrustPanel::Verdict::Good, qPrintable(window.trustPanel()->bodyText()));
    QVERIFY(window.trustPanel()->bodyText().contains(QLatin1String("AnchorTrusted")));

    // Details: the root's status in every program.
    const QModelIndex programs = window.detailsModel()->find(QStringLiteral("Root Programs"));
    QVERIFY(programs.isValid());
    QVERIFY2(programs.siblingAtColumn(1).data().toString().contains(QLatin1String("apple")),
             qPrintable(programs.siblingAtColumn(1).data().toString()));
    QCOMPARE(window.detailsModel()->rowCount(programs), int(roots::programIds().size()));
    QVERIFY(window.detailsModel()
                ->find(QStringLiteral("Root Programs"), roots::programTitle(QStringLiteral("apple")))
                .siblingAtColumn(1)
                .data()
                .toString()
                .startsWith(QLatin1String("Included")));
    store->setCurrentIndex(0); // the next tests' windows start from this computer's store
    QCOMPARE(window.trustPanel()->rootStore(), QStringLiteral("system"));
}

void TestWindowTrust::certificateTransparencyInDetailsAndPanel()
{
    // A leaf with SCTs from two test logs of two operators, under a root given in the editor with
    // the logs' lists: the Details list each verified SCT, the panel both policies' verdicts.
    namespace gen = trustscope::core::gen;
    QStringList lists;
    for (const QString &name : {QStringLiteral("logA"), QStringLiteral("logB")}) {
        gen::CtLogSpec log;
        log.name = name;
        log.operatorName = QStringLiteral("Operator ") + name;
        log.folder = m_pki.path(name);
        QVERIFY(gen::createCtLog(log));
        lists.append(m_pki.path(name + QStringLiteral("/log-list.json")));
    }
    gen::IssueJob ca;
    ca.spec.role = gen::Role::RootCa;
    ca.spec.commonName = QStringLiteral("CT Test Root");
    ca.folder = m_pki.path(QStringLiteral("ct"));
    ca.baseName = QStringLiteral("ca");
    QVERIFY(gen::issueToFiles(ca));
    gen::IssueJob leaf;
    leaf.spec.commonName = QStringLiteral("ct.test");
    leaf.spec.dnsNames = {QStringLiteral("ct.test")};
    leaf.spec.notAfter = QDateTime::currentDateTimeUtc().addDays(80);
    leaf.spec.ctLogDirectories = {m_pki.path(QStringLiteral("logA")), m_pki.path(QStringLiteral("logB"))};
    leaf.issuerCertificatePath = m_pki.path(QStringLiteral("ct/ca.pem"));
    leaf.issuerKeyPath = m_pki.path(QStringLiteral("ct/ca.key"));
    leaf.folder = m_pki.path(QStringLiteral("ct"));
    leaf.baseName = QStringLiteral("leaf");
    const auto issued = gen::issueToFiles(leaf);
    QVERIFY2(issued, qPrintable(issued ? QString() : issued.error().toString()));

    MainWindow window;
    window.show();
    auto *host = window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"));
    auto *roots = window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyRoots"));
    auto *ctLists = window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyCtLogLists"));
    auto *requireCt = window.trustPanel()->findChild<QCheckBox *>(QStringLiteral("policyRequireCt"));
    QVERIFY(host && roots && ctLists && requireCt);
    host->setText(QStringLiteral("ct.test"));
    roots->setText(m_pki.path(QStringLiteral("ct/ca.pem")));
    ctLists->setText(lists.join(QLatin1Char(';')));
    requireCt->setChecked(true);
    window.openFiles({m_pki.path(QStringLiteral("ct/leaf.pem"))});
    QVERIFY(waitForLoads(window));
    QVERIFY2(window.trustPanel()->verdict() == TrustPanel::Verdict::Good, qPrintable(window.trustPanel()->bodyText()));
    const QString body = window.trustPanel()->bodyText();
    QVERIFY2(body.contains(QLatin1String("Certificate Transparency")) &&
                 body.contains(QLatin1String("2 of 2 SCT(s) valid")),
             qPrintable(body));
    const QModelIndex group = window.detailsModel()->find(QStringLiteral("Certificate Transparency (verified)"));
    QVERIFY(group.isValid());
    QVERIFY2(group.siblingAtColumn(1).data().toString().contains(QLatin1String("Apple: compliant")),
             qPrintable(group.siblingAtColumn(1).data().toString()));
    QCOMPARE(window.detailsModel()
                 ->find(QStringLiteral("Certificate Transparency (verified)"), QStringLiteral("logA"))
                 .siblingAtColumn(1)
                 .data()
                 .toString(),
             QStringLiteral("valid"));
    // Without the logs' lists the SCTs come from unknown logs, and --require-ct fails.
    ctLists->setText(QString());
    Q_EMIT ctLists->editingFinished();
    QVERIFY(waitForLoads(window));
    QVERIFY(window.trustPanel()->verdict() != TrustPanel::Verdict::Good);
    QVERIFY(window.trustPanel()->bodyText().contains(QLatin1String("CTRequired")));
    requireCt->setChecked(false); // the next tests' windows start without it
    roots->clear();
    host->clear();
}

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
    setTrustPolicy(window, QStringLiteral("window.test"), m_pki.path(QStringLiteral("root.pem")));
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

bool TestWindowTrust::openTrustedChain(MainWindow &window)
{
    if (!m_pki.write(QStringLiteral("served.pem"),
                     m_pki.read(QStringLiteral("leaf.pem")) + m_pki.read(QStringLiteral("intermediate.pem"))))
        return false;
    window.show();
    setTrustPolicy(window, QStringLiteral("window.test"), m_pki.path(QStringLiteral("root.pem")), true);
    window.openFiles({m_pki.path(QStringLiteral("served.pem"))});
    return waitForLoads(window) && window.trustPanel()->verdict() == TrustPanel::Verdict::Good;
}

void TestWindowTrust::policyInputsReachTheVerdict()
{
    // The fixture chain asserts no certificate policy: fine until the editor demands one.
    MainWindow window;
    QVERIFY(openTrustedChain(window));
    auto *initial = window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyInitial"));
    auto *requireExplicit = window.trustPanel()->findChild<QCheckBox *>(QStringLiteral("policyRequireExplicit"));
    QVERIFY(initial && requireExplicit);
    initial->setText(QStringLiteral("2.23.140.1.2.1"));
    Q_EMIT initial->editingFinished();
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Good); // no explicit policy required yet
    requireExplicit->setChecked(true);
    QVERIFY(waitForLoads(window));
    QVERIFY(window.trustPanel()->verdict() != TrustPanel::Verdict::Good);
    QVERIFY2(window.trustPanel()->bodyText().contains(QLatin1String("PolicyConstraints")),
             qPrintable(window.trustPanel()->bodyText()));
    QVERIFY(window.trustPanel()->policySummary().contains(QLatin1String("explicit policy required")));
    const auto policy = window.trustPanel()->policy({});
    QCOMPARE(policy.initialPolicies, QStringList{QStringLiteral("2.23.140.1.2.1")});
    QVERIFY(policy.requireExplicitPolicy);
    // The inhibit choices reach the policy too.
    window.trustPanel()->findChild<QCheckBox *>(QStringLiteral("policyInhibitMapping"))->setChecked(true);
    window.trustPanel()->findChild<QCheckBox *>(QStringLiteral("policyInhibitAny"))->setChecked(true);
    QVERIFY(waitForLoads(window));
    QVERIFY(window.trustPanel()->policy({}).inhibitPolicyMapping && window.trustPanel()->policy({}).inhibitAnyPolicy);
    // Back to RFC 5280's defaults: trusted again.
    for (const char *name : {"policyRequireExplicit", "policyInhibitMapping", "policyInhibitAny"})
        window.trustPanel()->findChild<QCheckBox *>(QLatin1String(name))->setChecked(false);
    initial->clear();
    Q_EMIT initial->editingFinished();
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Good);
    clearTrustPolicyRoots(window);
    window.close();
}

void TestWindowTrust::crlOpenBesideAChainAnswersRevocation()
{
    // The intermediate's CRL (made by openssl ca) lists the leaf; revocation checking is off.
    QVERIFY(
        m_pki.makeCrl(QStringLiteral("intermediate"),
                      QStringLiteral("R\t301231235959Z\t260102030405Z,keyCompromise\t%1\tunknown\t/CN=window.test\n")
                          .arg(m_pki.serialOf(QStringLiteral("leaf"))),
                      QStringLiteral("intermediate.crl")));
    MainWindow window;
    QVERIFY(openTrustedChain(window));
    window.openFiles({m_pki.path(QStringLiteral("intermediate.crl"))});
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.documentModel()->rowCount(), 2);
    QVERIFY(window.trustPanel()->policySummary().contains(QLatin1String("1 open CRL")));
    QCOMPARE(window.trustPanel()->headline(), QStringLiteral("Revocation list in use")); // the CRL is selected
    // Back on the chain: judged again with the CRL as evidence, without any download.
    window.documentTabs()->setCurrentIndex(0);
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Bad);
    QVERIFY2(window.trustPanel()->headline().contains(QLatin1String("was revoked")),
             qPrintable(window.trustPanel()->headline()));
    QVERIFY2(window.trustPanel()->bodyText().contains(QLatin1String("intermediate.crl")),
             qPrintable(window.trustPanel()->bodyText()));
    // Closing the CRL takes the evidence away.
    window.documentModel()->removeDocument(1);
    QVERIFY(waitForLoads(window));
    window.documentTabs()->setCurrentIndex(0);
    QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Good);
    QVERIFY(!window.trustPanel()->policySummary().contains(QLatin1String("CRL")));
    clearTrustPolicyRoots(window);
    window.close();
}

void TestWindowTrust::neverTrustFailsEveryPathThroughIt()
{
    QString intermediateSha256;
    {
        MainWindow window;
        QVERIFY(openTrustedChain(window));
        // The intermediate's row in the tree, and the checkable action of its context menu.
        QTreeView *tree = window.inspectionView()->documentTree();
        const QModelIndex intermediate = window.documentModel()->index(1, 0, window.documentModel()->index(0, 0));
        const auto *certificate = window.documentModel()->object(intermediate)->as<trustscope::core::Certificate>();
        QVERIFY(certificate);
        intermediateSha256 = certificate->sha256Hex;
        tree->setCurrentIndex(intermediate);
        auto *neverTrust = tree->findChild<QAction *>(QStringLiteral("neverTrust"));
        QVERIFY(neverTrust && neverTrust->isEnabled() && !neverTrust->isChecked());
        neverTrust->trigger();
        QVERIFY(waitForLoads(window));
        QCOMPARE(window.trustPanel()->verdict(), TrustPanel::Verdict::Bad);
        QVERIFY2(window.trustPanel()->bodyText().contains(QLatin1String("BlackListedKey")),
                 qPrintable(window.trustPanel()->bodyText()));
        QVERIFY(window.trustPanel()->policySummary().contains(QLatin1String("1 never trusted")));
        // No exception can accept a distrusted certificate: the failure is fatal.
        QVERIFY(!window.trustPanel()->findChild<QPushButton *>()->isVisible());
        tree->setCurrentIndex(intermediate);
        QVERIFY(neverTrust->isChecked());
        // Saved at once: a second window (as after a crash) knows it before any close.
        MainWindow second;
        QVERIFY(second.trustPanel()->isNeverTrusted(intermediateSha256));
        QCOMPARE(second.trustPanel()->policy({}).distrustedSha256.size(), 1);
    }
    MainWindow again;
    QVERIFY(again.trustPanel()->isNeverTrusted(intermediateSha256));
    QVERIFY(again.trustPanel()->policySummary().contains(QLatin1String("1 never trusted")));
    again.trustPanel()->setNeverTrusted(intermediateSha256, false);
    MainWindow third;
    QVERIFY(!third.trustPanel()->isNeverTrusted(intermediateSha256));
    QVERIFY(openTrustedChain(third));
    clearTrustPolicyRoots(third);
    third.close();
}

QTEST_MAIN(TestWindowTrust)
#include "tst_window_trust.moc"
