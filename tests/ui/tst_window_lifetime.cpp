// Closing the window while work is under way: every worker is cancelled and waited for, no
// result reaches a destroyed window, and a worker waiting for a password is let go. The sanitizer
// build (./dev test --sanitize) turns any use after free on these paths into a failure.

#include "WindowTesting.h"

#include "Jobs.h"
#include "Session.h"

#include <QDir>
#include <QInputDialog>
#include <QPointer>
#include <QThread>
#include <QThreadPool>

#include <chrono>
#include <thread>

using namespace trustscope::test;
using namespace trustscope::ui;

class TestWindowLifetime : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpWindowTests(m_pki, m_dataDir)); }
    void shutDownWaitsForWorkersAndDropsTheirResults();
    void jobsReportProgressAndFinish();
    void closeWhileALoadAsksForAPassword();
    void closeDuringAFetch();
    void closeDuringABackendsComparison();
    void closeDuringAGeneration();

private:
    Pki m_pki;
    QTemporaryDir m_dataDir;
};

void TestWindowLifetime::shutDownWaitsForWorkersAndDropsTheirResults()
{
    auto workerEnded = std::make_shared<std::atomic_bool>(false);
    auto sawCancel = std::make_shared<std::atomic_bool>(false);
    bool delivered = false;
    {
        Jobs session;
        QSignalSpy busy(&session, &Jobs::networkBusyChanged);
        session.runJob<int>(
            Jobs::JobKind::Network,
            [workerEnded, sawCancel](const JobContext &context) {
                while (!context.cancel->load())
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                *sawCancel = true;
                // Still working after the cancel: shutDown must wait for this, too.
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                *workerEnded = true;
                return 1;
            },
            [&delivered](int &&) { delivered = true; });
        QCOMPARE(session.pendingJobs(), 1);
        QVERIFY(session.networkBusy());
        QCOMPARE(busy.size(), 1);
        session.shutDown();
        QVERIFY2(workerEnded->load(), "shutDown returned while the worker was still running");
        QVERIFY(sawCancel->load());
        QCOMPARE(session.pendingJobs(), 0);
        // Later jobs are refused: nothing may start once the owner is going.
        bool ranLater = false;
        session.runJob<int>(
            Jobs::JobKind::Local,
            [&ranLater](const JobContext &) {
                ranLater = true;
                return 0;
            },
            [](int &&) {});
        QTest::qWait(50);
        QVERIFY(!ranLater);
    }
    QCoreApplication::processEvents();
    QVERIFY2(!delivered, "a result was delivered after shutDown");
}

void TestWindowLifetime::jobsReportProgressAndFinish()
{
    Jobs session;
    QSignalSpy progress(&session, &Jobs::jobProgress);
    QSignalSpy finished(&session, &Jobs::allJobsFinished);
    int result = 0;
    QThread *workerThread = nullptr;
    session.runJob<int>(
        Jobs::JobKind::Local,
        [&workerThread](const JobContext &context) {
            workerThread = QThread::currentThread();
            context.progress(QStringLiteral("half way"));
            return 42;
        },
        [&result](int &&value) { result = value; });
    QVERIFY(finished.wait(10000));
    QCOMPARE(result, 42);
    QVERIFY(workerThread && workerThread != QThread::currentThread());
    QTRY_COMPARE(progress.size(), 1);
    QCOMPARE(progress.first().first().toString(), QStringLiteral("half way"));
    QCOMPARE(session.pendingJobs(), 0);
}

void TestWindowLifetime::closeWhileALoadAsksForAPassword()
{
    QVERIFY(m_pki.openssl({QStringLiteral("pkcs12"), QStringLiteral("-export"), QStringLiteral("-in"),
                           QStringLiteral("leaf.pem"), QStringLiteral("-inkey"), QStringLiteral("leaf.key"),
                           QStringLiteral("-passout"), QStringLiteral("pass:secret"), QStringLiteral("-out"),
                           QStringLiteral("locked.p12")}));
    auto *window = new MainWindow;
    window->show();
    QPointer<MainWindow> alive(window);
    bool prompted = false;
    // The prompt runs a dialog's event loop on the GUI thread; the window is closed from
    // inside it, as a user closing the main window behind the dialog would.
    QTimer poll;
    poll.setInterval(10);
    connect(&poll, &QTimer::timeout, this, [&] {
        if (!alive)
            return;
        const auto *dialog = window->findChild<QInputDialog *>();
        if (dialog && dialog->isVisible()) {
            prompted = true;
            QVERIFY(window->pendingLoads() > 0);
            delete window;
        }
    });
    poll.start();
    window->openFiles({m_pki.path(QStringLiteral("locked.p12"))});
    QTRY_VERIFY_WITH_TIMEOUT(!alive, 20000);
    poll.stop();
    QVERIFY2(prompted, "the window was closed while its loader waited for a password");
    QTest::qWait(100); // anything still queued for the window would run (and crash) now
}

void TestWindowLifetime::closeDuringAFetch()
{
    ScriptedPeer drip(QStringLiteral("drip")); // one byte a second: the fetch is under way for long
    QVERIFY(drip.isRunning());
    auto *window = new MainWindow;
    window->show();
    window->fetch(drip.target());
    QTRY_VERIFY(window->session()->jobs()->networkBusy());
    QTest::qWait(300);
    QVERIFY(window->pendingLoads() > 0);
    delete window; // cancels, waits; the worker's result is never delivered
    QTest::qWait(100);
}

void TestWindowLifetime::closeDuringABackendsComparison()
{
    ScriptedPeer drip(QStringLiteral("drip"));
    QVERIFY(drip.isRunning());
    auto *window = new MainWindow;
    window->show();
    window->compareBackends(QStringLiteral("window.test:443"), false, 3, 0, {drip.target()});
    QTRY_VERIFY(window->session()->jobs()->networkBusy());
    QTest::qWait(300);
    QVERIFY(window->pendingLoads() > 0);
    delete window;
    QTest::qWait(100);
}

void TestWindowLifetime::closeDuringAGeneration()
{
    QTemporaryDir folder;
    auto *window = new MainWindow;
    window->show();
    GeneratorDialog *dialog = window->showGenerator();
    QVERIFY(dialog);
    QPointer<GeneratorDialog> dialogAlive(dialog);
    dialog->setOutputFolder(folder.path());
    dialog->findChild<QComboBox *>(QStringLiteral("generatorTemplate"))->setCurrentIndex(0);
    dialog->findChild<QComboBox *>(QStringLiteral("generatorKeyType"))->setCurrentText(QStringLiteral("rsa4096"));
    auto *generate = dialog->findChild<QPushButton *>(QStringLiteral("generateButton"));
    QVERIFY(generate);
    generate->click();
    QVERIFY2(!generate->isEnabled(), "the generation is under way"); // a 4096-bit key takes a while
    delete window; // the dialog goes with it, and waits for its worker
    QVERIFY(!dialogAlive);
    // Whatever the worker managed before it saw the cancel is complete: a certificate never
    // lies there without its key, and no temporary file is left behind.
    const QStringList files = QDir(folder.path()).entryList(QDir::Files);
    for (const QString &file : files)
        QVERIFY2(!file.contains(QLatin1String(".tmp")) && !file.contains(QLatin1String("~")), qPrintable(file));
    QVERIFY2(files.filter(QStringLiteral(".pem")).isEmpty() || !files.filter(QStringLiteral(".key")).isEmpty(),
             qPrintable(files.join(QStringLiteral(", "))));
    QTest::qWait(100);
}

QTEST_MAIN(TestWindowLifetime)
#include "tst_window_lifetime.moc"
