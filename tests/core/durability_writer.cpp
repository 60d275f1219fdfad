// A child for the durability test: saves the exception store or the settings over and over,
// each generation different, until it is killed (with SIGKILL, mid-write).
// usage: durability_writer exceptions|settings ENTRIES — uses $TRUSTSCOPE_DATA_DIR.

#include "AppInfo.h"
#include "trust/Exceptions.h"

#include <QCoreApplication>
#include <QSettings>

#include <cstdio>

using namespace trustscope::core;

int main(int argc, char **argv)
{
    QCoreApplication application(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() != 3)
        return 2;
    const int entries = arguments.at(2).toInt();
    for (int generation = 1;; ++generation) {
        if (arguments.at(1) == QLatin1String("exceptions")) {
            trust::ExceptionStore store;
            QList<trust::TrustException> exceptions;
            // Every other generation twice as many entries: a torn file could not pass for either.
            for (int index = 0; index < entries * (generation % 2 + 1); ++index) {
                trust::TrustException exception;
                exception.host = QStringLiteral("host%1.test").arg(index);
                exception.created = QDateTime::currentDateTimeUtc();
                exception.note = QStringLiteral("generation %1").arg(generation);
                trust::CertificateException certificate;
                certificate.sha1 = QByteArray(20, char(generation));
                certificate.sha256 = QByteArray(32, char(generation));
                certificate.checks.insert(QStringLiteral("SSLHostname"), false);
                exception.certificates.append(certificate);
                exceptions.append(exception);
            }
            store.replaceAll(exceptions);
            std::printf("begin %d\n", generation); // the test counts kills between begin and saved
            std::fflush(stdout);
            if (!store.save())
                return 1;
        } else {
            QSettings settings(settingsFilePath(), QSettings::IniFormat);
            settings.clear();
            for (int index = 0; index < entries * (generation % 2 + 1); ++index)
                settings.setValue(
                    QStringLiteral("group/key%1").arg(index),
                    QString(QStringLiteral("generation %1 ").arg(generation) + QString(200, QLatin1Char('x'))));
            settings.setValue(QStringLiteral("generation"), generation);
            std::printf("begin %d\n", generation);
            std::fflush(stdout);
            settings.sync();
            if (settings.status() != QSettings::NoError)
                return 1;
        }
        std::printf("saved %d\n", generation);
        std::fflush(stdout);
    }
}
