#include "Command.h"

#include "roots/RootPrograms.h"
#include "x509/Document.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> rootsOptions()
{
    return {{QStringLiteral("json"), QStringLiteral("Print JSON.")}};
}

namespace {

void printWarnings()
{
    for (const QString &warning : roots::rootData().warnings)
        err() << "trustscope-cli: " << warning << '\n';
}

int listPrograms(const QString &only, bool json)
{
    QStringList ids = roots::programIds();
    if (!only.isEmpty()) {
        const auto parsed = roots::parseProgramList(only);
        if (!parsed) {
            err() << "trustscope-cli roots list: " << parsed.error().message << '\n';
            return ExitUsage;
        }
        ids = *parsed;
    }
    QJsonArray array;
    int exitCode = ExitOk;
    for (const QString &id : ids) {
        const auto program = roots::findProgram(id);
        if (!program) {
            err() << "trustscope-cli roots list: " << program.error().toString() << '\n';
            exitCode = ExitUsage;
            continue;
        }
        // One program named: its roots too; the overview only counts them.
        const bool withRoots = !only.isEmpty();
        if (json) {
            array.append(roots::toJson(**program, withRoots));
            continue;
        }
        QStringList counts;
        QMap<QString, int> byStatus;
        for (const roots::RootRecord &record : (*program)->roots)
            ++byStatus[record.status];
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
            counts.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
        out() << QStringLiteral("%1  %2\n    %3 roots (%4), source %5\n")
                     .arg(id, -8)
                     .arg((*program)->storeDescription())
                     .arg((*program)->roots.size())
                     .arg(counts.join(QStringLiteral(", ")), (*program)->source);
        if (withRoots)
            for (const roots::RootRecord &record : (*program)->roots)
                out() << QStringLiteral("    %1  %2  %3%4\n")
                             .arg(QString::fromLatin1(record.sha256.toHex()))
                             .arg(record.status, -12)
                             .arg(record.name,
                                  record.der.isEmpty() ? QStringLiteral("  (no certificate in this data)") : QString());
    }
    if (json)
        out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
    return exitCode;
}

int showRoot(const QString &what, bool json)
{
    QByteArray sha256 = QByteArray::fromHex(what.toLatin1());
    QString name;
    if (QFileInfo(what).isFile()) {
        const auto certificates = loadCertificatesFile(what);
        if (!certificates || certificates->isEmpty()) {
            err() << "trustscope-cli roots show: "
                  << (certificates ? QStringLiteral("%1 holds no certificate").arg(what)
                                   : certificates.error().toString())
                  << '\n';
            return ExitUsage;
        }
        sha256 = QCryptographicHash::hash(certificates->first().der, QCryptographicHash::Sha256);
        name = certificates->first().displayName();
    } else if (sha256.size() != 32 || QString::fromLatin1(sha256.toHex()) != what.toLower().remove(QLatin1Char(':'))) {
        sha256 = QByteArray::fromHex(what.toLatin1().replace(':', ""));
        if (sha256.size() != 32) {
            err() << "trustscope-cli roots show: name a certificate file or its SHA-256 (64 hex digits)\n";
            return ExitUsage;
        }
    }
    const QList<roots::RootStatus> statuses = roots::statusInPrograms(sha256);
    for (const roots::RootStatus &status : statuses)
        if (status.record && name.isEmpty())
            name = status.record->name;
    if (json) {
        QJsonArray programs;
        for (const roots::RootStatus &status : statuses) {
            QJsonObject object{{QStringLiteral("program"), status.program}};
            if (status.record) {
                object.insert(QStringLiteral("status"), status.record->status);
                object.insert(QStringLiteral("statusFrom"), status.record->statusFrom);
                object.insert(QStringLiteral("trusted"), status.record->trusted());
                object.insert(QStringLiteral("hasCertificate"), !status.record->der.isEmpty());
                if (!status.record->note.isEmpty())
                    object.insert(QStringLiteral("note"), status.record->note);
            } else {
                object.insert(QStringLiteral("status"), QJsonValue());
                object.insert(QStringLiteral("trusted"), false);
            }
            if (const auto program = roots::findProgram(status.program))
                object.insert(QStringLiteral("store"),
                              QJsonObject{{QStringLiteral("name"), (*program)->name},
                                          {QStringLiteral("date"), (*program)->date.toString(Qt::ISODate)}});
            programs.append(object);
        }
        out() << QJsonDocument(QJsonObject{{QStringLiteral("sha256"), QString::fromLatin1(sha256.toHex())},
                                           {QStringLiteral("name"), name},
                                           {QStringLiteral("programs"), programs}})
                     .toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    out() << (name.isEmpty() ? QStringLiteral("(unknown root)") : name) << "\nSHA-256 " << sha256.toHex() << '\n';
    for (const roots::RootStatus &status : statuses)
        out() << QStringLiteral("  %1 %2%3\n")
                     .arg(status.program, -8)
                     .arg(status.record ? status.record->status : QStringLiteral("no record"))
                     .arg(status.record && status.record->der.isEmpty()
                              ? QStringLiteral(" (no certificate in this data)")
                              : QString());
    return ExitOk;
}

} // namespace

int runRoots(const QStringList &arguments, const QCommandLineParser &parser)
{
    const QString action = arguments.value(0);
    const bool json = parser.isSet(QStringLiteral("json"));
    if (action == QLatin1String("list") && arguments.size() <= 2) {
        printWarnings();
        return listPrograms(arguments.value(1), json);
    }
    if (action == QLatin1String("show") && arguments.size() == 2) {
        printWarnings();
        return showRoot(arguments.value(1), json);
    }
    if (action == QLatin1String("import") && arguments.size() == 2) {
        const auto imported = roots::importRootPrograms(arguments.value(1));
        if (!imported) { // the installed data is as it was
            err() << "trustscope-cli roots import: " << imported.error().toString() << '\n';
            return ExitUsage;
        }
        const auto programs = roots::loadRootProgramDirectory(*imported);
        out() << "imported into " << QDir::toNativeSeparators(*imported) << ":\n";
        if (programs)
            for (const roots::RootProgram &program : *programs)
                out() << "  " << program.id << ": " << program.storeDescription() << ", " << program.roots.size()
                      << " roots\n";
        return ExitOk;
    }
    err() << "trustscope-cli roots list [PROGRAM] [--json] | show SHA256|FILE [--json] | import DIR\n";
    return ExitUsage;
}

} // namespace trustscope::cli
