#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include "ct/Ct.h"
#include "tls/TlsFetch.h"

#include <optional>

namespace trustscope::cli {

// Exit codes are a contract with users' scripts: never renumber them.
enum ExitCode {
    ExitOk = 0,
    ExitNotTrusted = 1,
    ExitUsage = 2, // also unreadable input
    ExitNetwork = 3,
    ExitInconsistent = 4, // fetch over several connections: they did not all get the same
};

struct Command {
    QString name;
    QString summary;
    QString synopsis; // the argument part of the usage line
    QList<QCommandLineOption> (*options)();
    int (*run)(const QStringList &positional, const QCommandLineParser &parser);
};

[[nodiscard]] const QList<Command> &commands();

QTextStream &out();
QTextStream &err();

// Command implementations.
QList<QCommandLineOption> showOptions();
int runShow(const QStringList &files, const QCommandLineParser &parser);
QList<QCommandLineOption> dumpOptions();
int runDump(const QStringList &files, const QCommandLineParser &parser);
QList<QCommandLineOption> fetchOptions();
int runFetch(const QStringList &targets, const QCommandLineParser &parser);
// Reads the shared connection options into `options`; an exit code when they are wrong.
std::optional<int> applyFetchOptions(const QCommandLineParser &parser, core::tls::FetchOptions &options);
// --ct-log-list FILE…: private CT log lists (Apple v5 or Chrome v3 schema); nullopt after an error message.
std::optional<QList<core::ct::LogList>> ctLogListsOption(const QCommandLineParser &parser, const char *command);
QList<QCommandLineOption> verifyOptions();
int runVerify(const QStringList &files, const QCommandLineParser &parser);
QList<QCommandLineOption> exceptionsOptions();
int runExceptions(const QStringList &arguments, const QCommandLineParser &parser);
QList<QCommandLineOption> explainOptions();
int runExplain(const QStringList &words, const QCommandLineParser &parser);
QList<QCommandLineOption> atsOptions();
int runAts(const QStringList &targets, const QCommandLineParser &parser);
QList<QCommandLineOption> pinsOptions();
int runPins(const QStringList &arguments, const QCommandLineParser &parser);
QList<QCommandLineOption> genOptions();
int runGen(const QStringList &arguments, const QCommandLineParser &parser);
QList<QCommandLineOption> serveOptions();
int runServe(const QStringList &arguments, const QCommandLineParser &parser);
QList<QCommandLineOption> rootsOptions();
int runRoots(const QStringList &arguments, const QCommandLineParser &parser);
QList<QCommandLineOption> limboOptions();
int runLimbo(const QStringList &files, const QCommandLineParser &parser);

} // namespace trustscope::cli
