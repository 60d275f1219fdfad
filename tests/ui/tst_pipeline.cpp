// One inspection pipeline: every generated scenario, judged by `trustscope-cli verify --json` and
// by the GUI's document model, gets the same result and the same failed check keys — with the
// scenario's root as an anchor and without it, and with a trust exception recorded for it.

#include "DocumentModel.h"
#include "MainWindow.h"
#include "gen/Generator.h"
#include "inspect/Inspection.h"

#include <QCheckBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace trustscope;
using namespace trustscope::ui;

namespace {

struct Verdict {
    QString result;
    QStringList keys; // "key@certIndex", sorted
};

} // namespace

class TestPipeline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cliAndGuiAgree_data();
    void cliAndGuiAgree();

private:
    static int runCli(const QStringList &arguments, const QString &dataDir, QByteArray *output = nullptr,
                      QByteArray *errors = nullptr);
    QTemporaryDir m_scenarios;
};

int TestPipeline::runCli(const QStringList &arguments, const QString &dataDir, QByteArray *output, QByteArray *errors)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TRUSTSCOPE_DATA_DIR"), dataDir);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(TRUSTSCOPE_CLI), arguments);
    if (!process.waitForFinished(60000))
        return -1;
    if (output)
        *output = process.readAllStandardOutput();
    if (errors)
        *errors = process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

void TestPipeline::initTestCase()
{
    qputenv("TZ", "UTC");
    QVERIFY(m_scenarios.isValid());
    QByteArray errors;
    QCOMPARE(runCli({QStringLiteral("gen"), QStringLiteral("scenario"), QStringLiteral("all"), QStringLiteral("--out"),
                     m_scenarios.path()},
                    m_scenarios.path(), nullptr, &errors),
             0);
    QCOMPARE(QDir(m_scenarios.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(),
             core::gen::scenarios().size());
}

void TestPipeline::cliAndGuiAgree_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("anchored");
    QTest::addColumn<bool>("excepted");
    for (const core::gen::ScenarioInfo &info : core::gen::scenarios())
        for (const bool anchored : {true, false})
            for (const bool excepted : {false, true})
                QTest::addRow("%s%s%s", qPrintable(info.name), anchored ? ", root as anchor" : ", system roots",
                              excepted ? ", exception recorded" : "")
                    << info.name << anchored << excepted;
}

void TestPipeline::cliAndGuiAgree()
{
    QFETCH(QString, scenario);
    QFETCH(bool, anchored);
    QFETCH(bool, excepted);
    const QDir folder(QDir(m_scenarios.path()).filePath(scenario));
    const QString chain = folder.filePath(QStringLiteral("chain.pem"));
    const QString root = folder.filePath(QStringLiteral("root.pem"));
    QTemporaryDir dataDir; // the exception store and the GUI's settings, this row's alone
    QVERIFY(dataDir.isValid());
    qputenv("TRUSTSCOPE_DATA_DIR", dataDir.path().toUtf8());

    QStringList trust{QStringLiteral("--no-aia"), QStringLiteral("--host"), QStringLiteral("localhost")};
    if (anchored)
        trust += {QStringLiteral("--anchor"), root};
    bool recorded = false;
    if (excepted) {
        QByteArray output, errors;
        const int exitCode =
            runCli(QStringList{QStringLiteral("exceptions"), QStringLiteral("add")} + trust + QStringList{chain},
                   dataDir.path(), &output, &errors);
        // 0: recorded; 1: nothing to accept (trusted) or a failure no exception may cover.
        QVERIFY2(exitCode == 0 || exitCode == 1, errors.constData());
        recorded = exitCode == 0;
    }

    // The CLI's verdict.
    QByteArray json, errors;
    const int exitCode =
        runCli(QStringList{QStringLiteral("verify"), QStringLiteral("--json")} + trust + QStringList{chain},
               dataDir.path(), &json, &errors);
    QVERIFY2(exitCode == 0 || exitCode == 1, errors.constData());
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    Verdict cli{object[QStringLiteral("result")].toString(), {}};
    for (const QJsonValue &failure : object[QStringLiteral("failures")].toArray())
        cli.keys.append(QStringLiteral("%1@%2")
                            .arg(failure[QStringLiteral("key")].toString())
                            .arg(failure[QStringLiteral("certIndex")].toInt()));
    cli.keys.sort();
    cli.keys.removeDuplicates();
    QVERIFY(!cli.result.isEmpty());
    QCOMPARE(exitCode == 0, object[QStringLiteral("trusted")].toBool());
    if (recorded) { // the exception covers exactly what failed: the chain now proceeds
        QCOMPARE(cli.result, QStringLiteral("proceed"));
        QVERIFY(cli.keys.isEmpty());
    }

    // The GUI's verdict: the same settings in the trust panel, the file opened.
    MainWindow window;
    auto *host = window.findChild<QLineEdit *>(QStringLiteral("policyHost"));
    auto *roots = window.findChild<QLineEdit *>(QStringLiteral("policyRoots"));
    auto *aia = window.findChild<QCheckBox *>(QStringLiteral("policyAia"));
    auto *rootsOnly = window.findChild<QCheckBox *>(QStringLiteral("policyRootsOnly"));
    QVERIFY(host && roots && aia && rootsOnly);
    host->setText(QStringLiteral("localhost"));
    roots->setText(anchored ? root : QString());
    aia->setChecked(false);
    rootsOnly->setChecked(false);
    QSignalSpy finished(&window, &MainWindow::loadsFinished);
    window.openFiles({chain});
    QVERIFY(finished.wait(30000));
    const QModelIndex document = window.documentModel()->index(0, 0);
    QTRY_VERIFY_WITH_TIMEOUT(window.documentModel()->evaluation(document) && window.pendingLoads() == 0, 30000);
    const core::trust::Evaluation &evaluation = *window.documentModel()->evaluation(document);
    const Verdict gui{evaluation.result, core::inspect::failedCheckKeys(evaluation)};

    QCOMPARE(gui.result, cli.result);
    QCOMPARE(gui.keys, cli.keys);
    QCOMPARE(evaluation.trusted, object[QStringLiteral("trusted")].toBool());
    QCOMPARE(int(evaluation.excepted.size()), object[QStringLiteral("excepted")].toArray().size());
}

QTEST_MAIN(TestPipeline)
#include "tst_pipeline.moc"
