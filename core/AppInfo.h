#pragma once

#include <QJsonObject>
#include <QSettings>
#include <QString>

namespace trustscope::core {

// Versions in use at run time (the library actually loaded, not only the headers).
[[nodiscard]] QString applicationVersion();
[[nodiscard]] QString qtVersion();
[[nodiscard]] QString openSslVersion();
[[nodiscard]] QString syntaxHighlightingVersion(); // as built against; the CLI does not load it
[[nodiscard]] QString versionReport();             // the multi-line text of `--version` (with the root data)
[[nodiscard]] QJsonObject versionJson();           // `--version --json`: the same, and each root program's snapshot

// Where data installed with the programs may be: ../share/trustscope/SUBDIRECTORY beside the
// executable (the CLI has no QCoreApplication: /proc/self/exe tells), then `sourceTreeDirectory`
// (a build tree, before installation) when given.
[[nodiscard]] QStringList installedDataCandidates(const QString &subdirectory, const QString &sourceTreeDirectory = {});

// Where settings and the exception store live: $TRUSTSCOPE_DATA_DIR when set, else the
// platform's application data folder. Created on first use.
[[nodiscard]] QString dataDirectory();
// The GUI's settings (INI, written atomically by QSettings): dataDirectory()/settings.ini.
[[nodiscard]] QString settingsFilePath();
[[nodiscard]] QSettings applicationSettings(); // opened on settingsFilePath()

} // namespace trustscope::core
