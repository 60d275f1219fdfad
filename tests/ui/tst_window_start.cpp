// The main window as a newcomer meets it: the start page and what each of its actions does, the
// toolbar, the status bar while work runs, every pane's empty state, the policy editor's
// header, the window state kept between runs, and a usable 800×600 window.

#include "WindowTesting.h"

#include "Asn1Pane.h"
#include "EmptyState.h"
#include "InspectionView.h"
#include "RecentItems.h"
#include "Session.h"
#include "StartPage.h"

#include <QCommandLinkButton>
#include <QFileDialog>
#include <QInputDialog>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowStart : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpWindowTests(m_pki, m_dataDir)); }
    void init() { RecentItems().clear(); }
    void startPageShowsUntilSomethingIsOpen();
    void startPageStepsDoWhatTheySay();
    void recentServersAndFilesReopenAndClear();
    void everyEmptyPaneSaysWhatWouldAppear();
    void toolbarHasIconsAndStopFollowsTheWork();
    void policyEditorIsALabelledCollapsibleGroup();
    void windowStateIsKept();
    void smallWindowKeepsEverythingReachable();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

namespace {

QCommandLinkButton *step(const MainWindow &window, const char *name)
{
    return window.findChild<QCommandLinkButton *>(QString::fromLatin1(name));
}

// Answers the next modal dialog of type Dialog with `answer`, from inside its event loop.
template <typename Dialog> void answerNextDialog(std::function<void(Dialog *)> answer, bool *seen)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, answer, seen] {
        if (auto *dialog = qobject_cast<Dialog *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            *seen = true;
            answer(dialog);
        }
    });
    timer->start();
    QTimer::singleShot(10000, timer, [timer] { // never left running: the test then fails on `seen`
        timer->stop();
        timer->deleteLater();
        if (QWidget *modal = QApplication::activeModalWidget())
            modal->close();
    });
}

} // namespace

void TestWindowStart::startPageShowsUntilSomethingIsOpen()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *startPage = window.findChild<StartPage *>();
    QVERIFY(startPage);
    QVERIFY(window.inspectionView()->startPageShown());
    QVERIFY(startPage->isVisible());
    QVERIFY(!window.inspectionView()->tabs()->isVisible());
    window.openFiles({m_pki.path(QStringLiteral("chain.pem"))});
    QVERIFY(waitForLoads(window));
    QVERIFY(!window.inspectionView()->startPageShown());
    QVERIFY(window.inspectionView()->tabs()->isVisible());
    QVERIFY(!startPage->isVisible());
    // Closing the last document brings it back.
    window.documentModel()->removeDocument(0);
    QVERIFY(window.inspectionView()->startPageShown());
    QVERIFY(startPage->isVisible());
}

void TestWindowStart::startPageStepsDoWhatTheySay()
{
    MainWindow window;
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    for (const char *name : {"startInspect", "startOpen", "startPaste", "startGenerate", "startExplain"}) {
        QCommandLinkButton *button = step(window, name);
        QVERIFY2(button, name);
        QVERIFY2(button->focusPolicy() & Qt::TabFocus, name); // keyboard reachable
        QVERIFY2(!button->icon().isNull(), name);
    }

    // Inspect a server: the address bar gets the focus.
    auto *address = window.findChild<QLineEdit *>(QStringLiteral("addressBar"));
    step(window, "startInspect")->setFocus();
    QVERIFY(!address->hasFocus());
    QTest::keyClick(step(window, "startInspect"), Qt::Key_Space); // the keyboard, as a user without a mouse
    QTRY_VERIFY(address->hasFocus());

    // Open files…: the file dialog, for PKI files.
    bool fileDialogSeen = false;
    QString filter;
    answerNextDialog<QFileDialog>(
        [&filter](QFileDialog *dialog) {
            filter = dialog->nameFilters().join(QLatin1Char(';'));
            dialog->reject();
        },
        &fileDialogSeen);
    step(window, "startOpen")->click();
    QVERIFY(fileDialogSeen);
    QVERIFY2(filter.contains(QLatin1String("*.pem")) && filter.contains(QLatin1String("*.p12")), qPrintable(filter));

    // Paste PEM: what the clipboard holds is opened.
    QApplication::clipboard()->setText(QString::fromLatin1(m_pki.read(QStringLiteral("chain.pem"))));
    step(window, "startPaste")->click();
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.documentModel()->rowCount(), 1);
    QCOMPARE(window.documentModel()->rowCount(window.documentModel()->index(0, 0)), 2);
    window.documentModel()->removeDocument(0);

    // Generate a test PKI…: the generator.
    step(window, "startGenerate")->click();
    auto *generator = window.findChild<GeneratorDialog *>();
    QVERIFY(generator);
    QTRY_VERIFY(generator->isVisible());
    generator->close();

    // Explain an error message…: the text asked for is explained in the trust panel.
    bool explainSeen = false;
    answerNextDialog<QInputDialog>(
        [](QInputDialog *dialog) {
            dialog->setTextValue(QStringLiteral("Error Domain=NSURLErrorDomain Code=-1202"));
            dialog->accept();
        },
        &explainSeen);
    step(window, "startExplain")->click();
    QVERIFY(explainSeen);
    QVERIFY2(window.trustPanel()->bodyText().contains(QLatin1String("-1202")),
             qPrintable(window.trustPanel()->bodyText()));
}

void TestWindowStart::recentServersAndFilesReopenAndClear()
{
    trustscope::test::OpenSslServer server(m_pki.path({}),
                                           {QStringLiteral("-cert"), QStringLiteral("leaf.pem"), QStringLiteral("-key"),
                                            QStringLiteral("leaf.key"), QStringLiteral("-cert_chain"),
                                            QStringLiteral("intermediate.pem")});
    QVERIFY(server.isRunning());
    {
        MainWindow first; // what a previous run opened
        first.fetch(server.target());
        first.openFiles({m_pki.path(QStringLiteral("expired.pem"))});
        QVERIFY(waitForLoads(first));
    }
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *startPage = window.findChild<StartPage *>();
    QList<QToolButton *> servers = startPage->findChildren<QToolButton *>(QStringLiteral("recentServer"));
    QList<QToolButton *> files = startPage->findChildren<QToolButton *>(QStringLiteral("recentFile"));
    QCOMPARE(servers.size(), 1);
    QCOMPARE(files.size(), 1);
    QCOMPARE(servers.first()->text(), server.target());
    QCOMPARE(files.first()->text(), QStringLiteral("expired.pem"));
    QVERIFY(servers.first()->isVisible());

    servers.first()->click(); // fetched again, for real
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.documentModel()->rowCount(), 1);
    QVERIFY(window.documentModel()->connection(window.documentModel()->index(0, 0)));
    QVERIFY(window.documentModel()->connection(window.documentModel()->index(0, 0))->ok());
    window.documentModel()->removeDocument(0);

    startPage->findChildren<QToolButton *>(QStringLiteral("recentFile")).first()->click();
    QVERIFY(waitForLoads(window));
    QCOMPARE(window.documentModel()->rowCount(), 1);
    QCOMPARE(window.documentModel()->index(0, 0).data().toString(), QStringLiteral("expired.pem"));
    window.documentModel()->removeDocument(0);

    auto *clear = startPage->findChild<QPushButton *>(QStringLiteral("startClearRecent"));
    QVERIFY(clear && clear->isVisible());
    clear->click();
    QVERIFY(startPage->findChildren<QToolButton *>(QStringLiteral("recentServer")).isEmpty());
    QVERIFY(startPage->findChildren<QToolButton *>(QStringLiteral("recentFile")).isEmpty());
    QVERIFY(!clear->isVisible());
    QVERIFY(window.recentHosts().isEmpty() && window.recentFiles().isEmpty());
}

void TestWindowStart::everyEmptyPaneSaysWhatWouldAppear()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const struct {
        QWidget *pane;
        QString says;
    } panes[] = {
        {window.documentTree(), QStringLiteral("drop certificate files here")},
        {window.detailsView(), QStringLiteral("Every field of the selected certificate")},
        {window.asn1View(), QStringLiteral("ASN.1 structure appears here")},
        {window.asn1Dump(), QStringLiteral("openssl asn1parse")},
        {window.pemPane(), QStringLiteral("as PEM text")},
        {window.inspectionView()->asn1Pane()->crlView(), QStringLiteral("certificates a CRL revokes")},
        {window.tracePane()->findChild<QPlainTextEdit *>(QStringLiteral("traceText")),
         QStringLiteral("TLS handshake of a fetched connection")},
        {window.backendsView()->table(), QStringLiteral("Compare Every Backend")},
    };
    for (const auto &pane : panes) {
        QVERIFY(pane.pane);
        const QString text = EmptyState::textOf(pane.pane);
        QVERIFY2(text.contains(pane.says), qPrintable(pane.pane->accessibleName() + QStringLiteral(": ") + text));
        QVERIFY2(EmptyState::isShown(pane.pane), qPrintable(pane.pane->accessibleName()));
    }
    QCOMPARE(window.trustPanel()->headline(), QStringLiteral("No verdict yet"));
    QVERIFY(window.trustPanel()->bodyText().contains(QLatin1String("which check failed")));
    auto *treeState = window.documentTree()->viewport()->findChild<EmptyState *>();
    QVERIFY(treeState && treeState->isVisible());

    // Content replaces them.
    window.openFiles({m_pki.path(QStringLiteral("chain.pem"))});
    QVERIFY(waitForLoads(window));
    QVERIFY(!EmptyState::isShown(window.documentTree()));
    QVERIFY(!treeState->isVisible());
    QVERIFY(!EmptyState::isShown(window.detailsView()));
    QVERIFY(!EmptyState::isShown(window.pemPane()));
    QTRY_VERIFY(!EmptyState::isShown(window.asn1View()));
    QVERIFY(window.trustPanel()->headline() != QStringLiteral("No verdict yet"));
}

void TestWindowStart::toolbarHasIconsAndStopFollowsTheWork()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *toolbar = window.findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QVERIFY(toolbar);
    QHash<QString, QAction *> actions;
    for (QAction *action : toolbar->actions())
        if (!action->isSeparator())
            actions.insert(action->iconText(), action);
    for (const QString &name : {QStringLiteral("Open"), QStringLiteral("Fetch"), QStringLiteral("Stop"),
                                QStringLiteral("Backends"), QStringLiteral("Exceptions"), QStringLiteral("Generate")}) {
        QVERIFY2(actions.contains(name), qPrintable(name));
        QVERIFY2(!actions.value(name)->icon().isNull(), qPrintable(name));
        QVERIFY2(!actions.value(name)->icon().pixmap(24, 24).isNull(), qPrintable(name)); // the SVG renders
        QVERIFY2(!actions.value(name)->toolTip().isEmpty(), qPrintable(name));
    }
    QAction *stop = actions.value(QStringLiteral("Stop"));
    auto *progress = window.findChild<QProgressBar *>(QStringLiteral("jobProgress"));
    auto *cancel = window.findChild<QToolButton *>(QStringLiteral("jobCancel"));
    QVERIFY(progress && cancel);
    QVERIFY(!stop->isEnabled());
    QVERIFY(!progress->isVisible() && !cancel->isVisible());

    // A server that sends one byte a second: Stop, the progress and Cancel while it runs.
    trustscope::test::ScriptedPeer drip(QStringLiteral("drip"));
    QVERIFY(drip.isRunning());
    window.findChild<QLineEdit *>(QStringLiteral("addressBar"))->setText(drip.target());
    actions.value(QStringLiteral("Fetch"))->trigger();
    QTRY_VERIFY(stop->isEnabled());
    QTRY_VERIFY(progress->isVisible() && cancel->isVisible());
    QVERIFY(!window.statusBar()->currentMessage().isEmpty());
    cancel->click();
    QVERIFY(waitForLoads(window));
    QTRY_VERIFY(!stop->isEnabled());
    QVERIFY(!progress->isVisible() && !cancel->isVisible());
    const auto *connection = window.documentModel()->connection(window.documentModel()->index(0, 0));
    QVERIFY(connection && connection->errorMessage.contains(QLatin1String("cancelled")));

    actions.value(QStringLiteral("Exceptions"))->trigger();
    QTRY_VERIFY(window.findChild<ExceptionsDialog *>() && window.findChild<ExceptionsDialog *>()->isVisible());
    window.findChild<ExceptionsDialog *>()->close();
}

void TestWindowStart::policyEditorIsALabelledCollapsibleGroup()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *toggle = window.trustPanel()->findChild<QToolButton *>(QStringLiteral("policyToggle"));
    QVERIFY(toggle);
    QCOMPARE(toggle->text(), QStringLiteral("Trust policy"));
    auto *host = window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"));
    QVERIFY(host && !host->isVisible());
    QVERIFY2(window.trustPanel()->policySummary().contains(QLatin1String("system roots")),
             qPrintable(window.trustPanel()->policySummary()));
    toggle->click();
    QVERIFY(host->isVisible());
    window.trustPanel()->addAnchorFile(m_pki.path(QStringLiteral("root.pem")));
    QVERIFY2(window.trustPanel()->policySummary().contains(QLatin1String("1 file")),
             qPrintable(window.trustPanel()->policySummary()));
    toggle->click();
    QVERIFY(!host->isVisible());
    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyRoots"))->clear();
}

void TestWindowStart::windowStateIsKept()
{
    QList<int> sizes;
    {
        MainWindow window;
        window.resize(760, 560); // the offscreen screen is 800×600: restoreGeometry keeps a window on it
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openFiles({m_pki.path(QStringLiteral("chain.pem"))});
        QVERIFY(waitForLoads(window));
        QVERIFY(window.showTab(QStringLiteral("PEM")));
        window.inspectionView()->splitter()->setSizes({150, 350, 250});
        sizes = window.inspectionView()->splitter()->sizes();
        window.close();
    }
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), QSize(760, 560));
    QCOMPARE(window.inspectionView()->splitter()->sizes(), sizes);
    QCOMPARE(window.inspectionView()->tabs()->currentWidget(), window.pemPane());
    window.showTab(QStringLiteral("Details"));
    window.close();
}

void TestWindowStart::smallWindowKeepsEverythingReachable()
{
    MainWindow window;
    window.resize(800, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), QSize(800, 600));
    QVERIFY2(window.minimumSizeHint().width() <= 800 && window.minimumSizeHint().height() <= 600,
             qPrintable(
                 QStringLiteral("%1x%2").arg(window.minimumSizeHint().width()).arg(window.minimumSizeHint().height())));
    // Every toolbar button is on the bar, none hidden behind its overflow arrow.
    auto *toolbar = window.findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    for (QAction *action : toolbar->actions()) {
        if (action->isSeparator())
            continue;
        QWidget *button = toolbar->widgetForAction(action);
        QVERIFY2(button && button->isVisible(), qPrintable(action->iconText()));
        QVERIFY2(toolbar->rect().contains(button->geometry()), qPrintable(action->iconText()));
    }
    // The start page reflows: nothing scrolls sideways, every step is as wide as its text needs.
    auto *startPage = window.findChild<StartPage *>();
    QVERIFY(startPage->isVisible());
    auto *scroll = startPage->findChild<QScrollArea *>();
    QVERIFY(scroll && !scroll->horizontalScrollBar()->isVisible());
    for (const char *name : {"startInspect", "startOpen", "startPaste", "startGenerate", "startExplain"}) {
        QCommandLinkButton *button = step(window, name);
        QVERIFY2(button->width() >= 200, name);
        QVERIFY2(button->height() >= button->heightForWidth(button->width()), name); // not cut off
    }
    // Every pane keeps some room, and each can be collapsed by the user.
    QSplitter *splitter = window.inspectionView()->splitter();
    QVERIFY(splitter->childrenCollapsible());
    for (int size : splitter->sizes())
        QVERIFY(size > 100);
}

QTEST_MAIN(TestWindowStart)
#include "tst_window_start.moc"
