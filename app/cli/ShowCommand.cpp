#include "Command.h"

#include "x509/Document.h"
#include "x509/Report.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> showOptions()
{
    return {
        {QStringLiteral("json"), QStringLiteral("Print JSON: one entry per file, {file, objects, errors}.")},
        {QStringLiteral("password-file"),
         QStringLiteral("Read the PKCS#12 or private key password from <file> (first line)."), QStringLiteral("file")},
    };
}

namespace {

Result<QByteArray> readPasswordFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io,
                    QStringLiteral("cannot read the password file %1: %2").arg(path, file.errorString()));
    QByteArray password = file.readLine();
    while (password.endsWith('\n') || password.endsWith('\r'))
        password.chop(1);
    return password;
}

Result<Document> loadInput(const QString &path, PasswordProvider *passwords)
{
    if (path == QLatin1String("-")) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly))
            return fail(Error::Code::Io, QStringLiteral("cannot read standard input"));
        return loadDocument(input.readAll(), QStringLiteral("(standard input)"), passwords);
    }
    return loadDocumentFile(path, passwords);
}

} // namespace

int runShow(const QStringList &files, const QCommandLineParser &parser)
{
    if (files.isEmpty()) {
        err() << "trustscope-cli show: name at least one file (or - for standard input)\n";
        return ExitUsage;
    }
    std::optional<FixedPasswordProvider> passwords;
    if (parser.isSet(QStringLiteral("password-file"))) {
        const auto password = readPasswordFile(parser.value(QStringLiteral("password-file")));
        if (!password) {
            err() << "trustscope-cli show: " << password.error().toString() << '\n';
            return ExitUsage;
        }
        passwords.emplace(*password);
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    int exitCode = ExitOk;
    QJsonArray report;
    for (const QString &path : files) {
        const auto document = loadInput(path, passwords ? &*passwords : nullptr);
        QJsonObject entry{{QStringLiteral("file"), path}};
        QJsonArray objects, errors;
        if (!document) {
            err() << "trustscope-cli: " << path << ": " << document.error().toString() << '\n';
            errors.append(QJsonObject{{QStringLiteral("object"), QStringLiteral("file")},
                                      {QStringLiteral("message"), document.error().toString()}});
            exitCode = ExitUsage;
        } else {
            if (!json && files.size() > 1)
                out() << "== " << path << " ==\n";
            for (const PkiObject &object : document->objects) {
                // A key is shown with the certificate of the same file it belongs to, if any.
                qsizetype match = -1;
                if (const auto *key = object.as<PrivateKey>())
                    for (qsizetype index = 0; index < document->objects.size() && match < 0; ++index)
                        if (const auto *certificate = document->objects.at(index).as<Certificate>())
                            if (keyMatchesCertificate(*key, *certificate))
                                match = index;
                if (json) {
                    QJsonObject item = toJson(object);
                    if (object.type() == ObjectType::PrivateKey)
                        item.insert(QStringLiteral("matchesCertificate"),
                                    match >= 0 ? QJsonValue(match) : QJsonValue());
                    objects.append(item);
                } else {
                    out() << toText(object, now);
                    if (match >= 0)
                        out() << "  Matches certificate:    object " << match + 1 << " ("
                              << document->objects.at(match).title() << ")\n";
                    out() << '\n';
                }
            }
            for (const ObjectError &error : document->errors) {
                err() << "trustscope-cli: " << path << ": " << error.toString() << '\n';
                QJsonObject item{{QStringLiteral("object"), error.object},
                                 {QStringLiteral("message"), error.error.toString()}};
                if (error.offset >= 0)
                    item.insert(QStringLiteral("offset"), error.offset);
                errors.append(item);
                exitCode = ExitUsage;
            }
        }
        entry.insert(QStringLiteral("objects"), objects);
        entry.insert(QStringLiteral("errors"), errors);
        report.append(entry);
    }
    if (json)
        out() << QJsonDocument(report).toJson(QJsonDocument::Indented);
    return exitCode;
}

} // namespace trustscope::cli
