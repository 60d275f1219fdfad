// x509-limbo conformance: the whole suite through `trustscope-cli limbo`, with the targets of
// the trust issue: at least 99.5 % of the non-skipped cases, and 90 % without BetterTLS.

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

class TestLimbo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void suiteScore();
};

void TestLimbo::suiteScore()
{
    const QString suite = QStringLiteral(TRUSTSCOPE_SOURCE_DIR "/../shared/limbo/limbo.json");
    if (!QFile::exists(suite))
        QSKIP("../shared/limbo/limbo.json is not beside this checkout");
    QProcess cli;
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("limbo"), suite});
    QVERIFY(cli.waitForFinished(120000));
    QCOMPARE(cli.exitCode(), 0);
    const QString output = QString::fromUtf8(cli.readAllStandardOutput());
    static const QRegularExpression score(QStringLiteral(
        R"(limbo: (\d+) passed, (\d+) failed, (\d+) skipped: [\d.]+% \(without BetterTLS: (\d+) of (\d+), [\d.]+%\))"));
    const auto match = score.match(output);
    QVERIFY2(match.hasMatch(), qPrintable(output.right(2000)));
    qInfo().noquote() << match.captured(0); // the one-line score in the test log
    const double passed = match.captured(1).toDouble(), failed = match.captured(2).toDouble(),
                 skipped = match.captured(3).toDouble();
    const double corePassed = match.captured(4).toDouble(), coreTotal = match.captured(5).toDouble();
    QVERIFY2(passed / (passed + failed) >= 0.995, qPrintable(match.captured(0)));
    QVERIFY2(corePassed / coreTotal >= 0.90, qPrintable(match.captured(0)));
    QVERIFY2(skipped < 60, "only cases with unsupported features are skipped");
}

QTEST_GUILESS_MAIN(TestLimbo)
#include "tst_limbo.moc"
