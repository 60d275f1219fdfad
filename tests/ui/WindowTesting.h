#pragma once

// What the main window's test suites share: the fixture PKI, drag and drop as a file manager
// delivers it, waiting for loads, and the probe that proves work ran off the GUI thread.

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
#include <QAction>
#include <QApplication>
#include <QCheckBox>
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

namespace trustscope::test {

using namespace trustscope::ui;

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

// The PKI every window suite starts with (window.test chain, chain.pem, an expired leaf) and a
// data folder of its own, so that no suite touches the user's settings.
[[nodiscard]] inline bool setUpWindowTests(Pki &pki, const QTemporaryDir &dataDir)
{
    qputenv("TZ", "UTC");
    qputenv("TRUSTSCOPE_DATA_DIR", dataDir.path().toUtf8());
    return pki.makeChain(QStringLiteral("window.test")) &&
           pki.write(QStringLiteral("chain.pem"),
                     pki.read(QStringLiteral("leaf.pem")) + pki.read(QStringLiteral("intermediate.pem"))) &&
           pki.issue(QStringLiteral("expired"), QStringLiteral("/CN=expired.test"),
                     {QStringLiteral("basicConstraints=CA:false")}, {}, QStringLiteral("ec"),
                     {QStringLiteral("-not_before"), QStringLiteral("20200101000000Z"), QStringLiteral("-not_after"),
                      QStringLiteral("20210101000000Z")});
}

// The policy editor set as a test needs it: the host name, root files and whether only those count.
inline void setTrustPolicy(MainWindow &window, const QString &host, const QString &roots, bool rootsOnly = false)
{
    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyHost"))->setText(host);
    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyRoots"))->setText(roots);
    window.trustPanel()->findChild<QCheckBox *>(QStringLiteral("policyRootsOnly"))->setChecked(rootsOnly);
}
// The roots back to the system's, so that the saved settings do not reach the next test.
inline void clearTrustPolicyRoots(MainWindow &window)
{
    window.trustPanel()->findChild<QCheckBox *>(QStringLiteral("policyRootsOnly"))->setChecked(false);
    window.trustPanel()->findChild<QLineEdit *>(QStringLiteral("policyRoots"))->clear();
}

// What a drag from a file manager delivers: enter (which must be accepted), then drop.
inline bool dragAndDrop(QWidget &target, QMimeData &mime)
{
    QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &drop);
    return drop.isAccepted();
}

inline bool waitForLoads(MainWindow &window)
{
    if (window.pendingLoads() == 0)
        return true;
    QSignalSpy finished(&window, &MainWindow::loadsFinished);
    return finished.wait(20000);
}

} // namespace trustscope::test
