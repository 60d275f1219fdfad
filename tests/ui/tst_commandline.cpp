// Help and the manual page: both programs answer --help and --version without a display, and
// the man page documents every command and option that --help lists (they share definitions).

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

class TestCommandLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void manPageCoversEveryOptionOfEveryCommand();
    void manPageRendersCleanly();
    void guiAnswersHelpAndVersionWithoutADisplay();

private:
    static QByteArray run(const QString &program, const QStringList &arguments, int *exitCode = nullptr,
                          const QStringList &environment = {});
};

QByteArray TestCommandLine::run(const QString &program, const QStringList &arguments, int *exitCode,
                                const QStringList &environment)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &variable : environment) {
        if (variable.contains(QLatin1Char('=')))
            env.insert(variable.section(QLatin1Char('='), 0, 0), variable.section(QLatin1Char('='), 1));
        else
            env.remove(variable);
    }
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    if (!process.waitForFinished(30000))
        return {};
    if (exitCode)
        *exitCode = process.exitCode();
    return process.readAllStandardOutput();
}

void TestCommandLine::manPageCoversEveryOptionOfEveryCommand()
{
    int exitCode = -1;
    const QString man = QString::fromUtf8(run(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("--man")}, &exitCode));
    QCOMPARE(exitCode, 0);
    QVERIFY(man.startsWith(QLatin1String(".TH TRUSTSCOPE\\-CLI 1")));
    const QString help = QString::fromUtf8(run(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("--help")}));
    // "  show       Decode …": every command of the usage text.
    static const QRegularExpression commandLine(QStringLiteral("^  ([a-z]+) +\\S"),
                                                QRegularExpression::MultilineOption);
    QStringList commands;
    for (auto match = commandLine.globalMatch(help.section(QStringLiteral("Options:"), 0, 0)); match.hasNext();)
        commands.append(match.next().captured(1));
    QVERIFY2(commands.size() >= 10, qPrintable(help));
    static const QRegularExpression optionLine(QStringLiteral("^\\s+(?:-[a-zA-Z], )?--([a-z0-9-]+)"),
                                               QRegularExpression::MultilineOption);
    int options = 0;
    for (const QString &command : std::as_const(commands)) {
        QVERIFY2(man.contains(QStringLiteral(".SS \"%1\"").arg(command)), qPrintable(command));
        const QString commandHelp =
            QString::fromUtf8(run(QStringLiteral(TRUSTSCOPE_CLI), {command, QStringLiteral("--help")}, &exitCode));
        QCOMPARE(exitCode, 0);
        for (auto match = optionLine.globalMatch(commandHelp); match.hasNext();) {
            const QString option = match.next().captured(1);
            if (option == QLatin1String("help"))
                continue;
            ++options;
            const QString roffName = QStringLiteral("\\fB\\-\\-%1\\fR")
                                         .arg(QString(option).replace(QLatin1Char('-'), QStringLiteral("\\-")));
            QVERIFY2(man.contains(roffName), qPrintable(QStringLiteral("%1 --%2").arg(command, option)));
        }
    }
    QVERIFY(options > 60);
    for (const char *section : {".SH EXIT STATUS", ".SH ENVIRONMENT", "https_proxy"})
        QVERIFY2(man.contains(QLatin1String(section)), section);
}

void TestCommandLine::manPageRendersCleanly()
{
    // groff with every warning enabled: a malformed request shows up on stderr.
    QProcess cli;
    QProcess groff;
    cli.setStandardOutputProcess(&groff);
    groff.setProcessChannelMode(QProcess::SeparateChannels);
    groff.start(QStringLiteral("groff"), {QStringLiteral("-man"), QStringLiteral("-Tutf8"), QStringLiteral("-ww")});
    cli.start(QStringLiteral(TRUSTSCOPE_CLI), {QStringLiteral("--man")});
    if (!groff.waitForStarted(5000))
        QSKIP("groff is not installed");
    QVERIFY(cli.waitForFinished(10000));
    QVERIFY(groff.waitForFinished(10000));
    const QByteArray warnings = groff.readAllStandardError();
    QVERIFY2(warnings.isEmpty(), warnings.constData());
    const QByteArray text = groff.readAllStandardOutput();
    QVERIFY(text.contains("trustscope-cli") || text.contains("trustscope\xe2\x80\x90"
                                                             "cli"));
}

void TestCommandLine::guiAnswersHelpAndVersionWithoutADisplay()
{
    int exitCode = -1;
    const QStringList noDisplay{QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"),
                                QStringLiteral("QT_QPA_PLATFORM")};
    const QByteArray help = run(QStringLiteral(TRUSTSCOPE_GUI), {QStringLiteral("--help")}, &exitCode, noDisplay);
    QCOMPARE(exitCode, 0);
    for (const char *option : {"--screenshot", "--repeat", "--connect-to", "--generator", "--version"})
        QVERIFY2(help.contains(option), help.constData());
    const QByteArray version = run(QStringLiteral(TRUSTSCOPE_GUI), {QStringLiteral("--version")}, &exitCode, noDisplay);
    QCOMPARE(exitCode, 0);
    QVERIFY2(version.startsWith("trustscope ") && version.contains("OpenSSL 3"), version.constData());
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
