#include "AppInfo.h"

#include "BuildInfo.h"

#include <QDir>
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
    return QStringLiteral("trustscope %1\nQt %2\n%3\nKF6 SyntaxHighlighting %4\n")
        .arg(applicationVersion(), qtVersion(), openSslVersion(), syntaxHighlightingVersion());
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
