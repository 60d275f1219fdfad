#include "AppInfo.h"

#include "BuildInfo.h"
#include "ct/Ct.h"
#include "roots/RootPrograms.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QStandardPaths>

#include <openssl/crypto.h>

namespace trustscope::core {

QString applicationVersion()
{
    return QString::fromLatin1(buildinfo::version);
}
QString qtVersion()
{
    return QString::fromLatin1(qVersion());
}
QString openSslVersion()
{
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
}
QString syntaxHighlightingVersion()
{
    return QString::fromLatin1(buildinfo::syntaxHighlightingVersion);
}

QString versionReport()
{
    QString report = QStringLiteral("trustscope %1\nQt %2\n%3\nKF6 SyntaxHighlighting %4\n")
                         .arg(applicationVersion(), qtVersion(), openSslVersion(), syntaxHighlightingVersion());
    for (const QString &line : roots::dataDescription())
        report += line + QLatin1Char('\n');
    for (const QString &line : ct::dataDescription())
        report += line + QLatin1Char('\n');
    return report;
}

QJsonObject versionJson()
{
    return QJsonObject{
        {QStringLiteral("trustscope"), applicationVersion()},
        {QStringLiteral("qt"), qtVersion()},
        {QStringLiteral("openssl"), openSslVersion()},
        {QStringLiteral("syntaxHighlighting"), syntaxHighlightingVersion()},
        {QStringLiteral("rootPrograms"), roots::dataDescriptionJson()},
        {QStringLiteral("certificateTransparency"), ct::dataDescriptionJson()},
        {QStringLiteral("rootProgramData"),
         QJsonObject{{QStringLiteral("directory"), QDir::toNativeSeparators(roots::rootData().directory)},
                     {QStringLiteral("origin"), roots::rootData().origin},
                     {QStringLiteral("error"),
                      roots::rootData().error.isEmpty() ? QJsonValue() : QJsonValue(roots::rootData().error)}}}};
}

QStringList installedDataCandidates(const QString &subdirectory, const QString &sourceTreeDirectory)
{
    QStringList candidates;
    const QString executableDir =
        QCoreApplication::instance()
            ? QCoreApplication::applicationDirPath()
            : QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath().section(QLatin1Char('/'), 0, -2);
    if (!executableDir.isEmpty())
        candidates.append(QDir(executableDir).filePath(QStringLiteral("../share/trustscope/") + subdirectory));
    if (!sourceTreeDirectory.isEmpty())
        candidates.append(sourceTreeDirectory);
    return candidates;
}

QString dataDirectory()
{
    QString path = qEnvironmentVariable("TRUSTSCOPE_DATA_DIR");
    if (path.isEmpty())
        path = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (path.isEmpty())
        path = QDir::home().filePath(QStringLiteral(".trustscope"));
    QDir().mkpath(path);
    return path;
}

QString settingsFilePath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("settings.ini"));
}

QSettings applicationSettings()
{
    return QSettings(settingsFilePath(), QSettings::IniFormat); // atomic writes (QSaveFile) by default
}

} // namespace trustscope::core
