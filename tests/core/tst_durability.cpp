// Durability: a process killed with SIGKILL in the middle of saving the exception store or
// the settings leaves the old file or the new one, whole, never a torn one.

#include "trust/Exceptions.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace trustscope::core;

class TestDurability : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exceptionStoreSurvivesKill();
    void settingsSurviveKill();

private:
    // Starts the writer, lets it save a few times, kills it at a random moment. Returns how many
    // saves completed, and sets `duringSave` when the kill landed inside a save.
    static int killMidWrite(const QString &dataDir, const QString &what, int entries, bool *duringSave);
};

int TestDurability::killMidWrite(const QString &dataDir, const QString &what, int entries, bool *duringSave)
{
    QProcess writer;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TRUSTSCOPE_DATA_DIR"), dataDir);
    writer.setProcessEnvironment(environment);
    writer.start(QStringLiteral(TRUSTSCOPE_DURABILITY_WRITER), {what, QString::number(entries)});
    if (!writer.waitForStarted(5000))
        return -1;
    // Wait for a save or two, then kill at a random point of the next one.
    QByteArray output;
    while (output.count("saved") < 2 && writer.state() == QProcess::Running) {
        writer.waitForReadyRead(100);
        output += writer.readAllStandardOutput();
    }
    // Then kill at a random moment shortly after the next save begins, or elsewhere in the
    // loop one time in four, so both "during" and "between" saves are exercised.
    if (QRandomGenerator::global()->bounded(4) != 0) {
        const qsizetype begins = output.count("begin");
        while (output.count("begin") == begins && writer.state() == QProcess::Running) {
            writer.waitForReadyRead(5);
            output += writer.readAllStandardOutput();
        }
        QThread::usleep(QRandomGenerator::global()->bounded(0, 3000));
    } else {
        QThread::usleep(QRandomGenerator::global()->bounded(1, 40000));
    }
    writer.kill(); // SIGKILL: no destructor, no flush, no cleanup
    writer.waitForFinished(5000);
    output += writer.readAllStandardOutput();
    const QList<QByteArray> lines = output.trimmed().split('\n');
    *duringSave = !lines.isEmpty() && lines.last().startsWith("begin");
    return int(output.count("saved"));
}

void TestDurability::exceptionStoreSurvivesKill()
{
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("exceptions.plist"));
    constexpr int entries = 1500;
    int killsDuringSave = 0;
    for (int round = 0; round < 12; ++round) {
        bool duringSave = false;
        const int saves = killMidWrite(dir.path(), QStringLiteral("exceptions"), entries, &duringSave);
        QVERIFY2(saves >= 2, "the writer never saved: nothing was tested");
        killsDuringSave += duringSave ? 1 : 0;
        trust::ExceptionStore store(path);
        const auto loaded = store.load();
        QVERIFY2(loaded.has_value(), loaded ? "" : qPrintable(loaded.error().toString()));
        QVERIFY2(store.loadWarning().isEmpty(), qPrintable(store.loadWarning()));
        const qsizetype count = store.exceptions().size();
        QVERIFY2(count == entries || count == 2 * entries, qPrintable(QString::number(count)));
        // One generation throughout.
        const QString note = store.exceptions().first().note;
        for (const trust::TrustException &exception : store.exceptions())
            QCOMPARE(exception.note, note);
    }
    qInfo("%d of 12 kills landed while a save was being written", killsDuringSave);
    QVERIFY2(killsDuringSave > 0, "no kill landed mid-save: make the file larger");
}

void TestDurability::settingsSurviveKill()
{
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("settings.ini"));
    constexpr int entries = 2000;
    int killsDuringSave = 0;
    for (int round = 0; round < 12; ++round) {
        bool duringSave = false;
        QVERIFY(killMidWrite(dir.path(), QStringLiteral("settings"), entries, &duringSave) >= 2);
        killsDuringSave += duringSave ? 1 : 0;
        QSettings settings(path, QSettings::IniFormat);
        QCOMPARE(settings.status(), QSettings::NoError);
        const int generation = settings.value(QStringLiteral("generation")).toInt();
        QVERIFY(generation > 0);
        const int expected = entries * (generation % 2 + 1);
        settings.beginGroup(QStringLiteral("group"));
        QCOMPARE(settings.childKeys().size(), expected);
        const QString prefix = QStringLiteral("generation %1 ").arg(generation);
        QVERIFY(settings.value(QStringLiteral("key0")).toString().startsWith(prefix));
        QVERIFY(settings.value(QStringLiteral("key%1").arg(expected - 1)).toString().startsWith(prefix));
    }
    qInfo("%d of 12 kills landed while the settings were being written", killsDuringSave);
    QVERIFY2(killsDuringSave > 0, "no kill landed mid-save: make the file larger");
}

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
