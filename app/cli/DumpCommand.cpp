#include "Command.h"

#include "asn1/Dump.h"
#include "x509/Pem.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace trustscope::cli {

using namespace trustscope::core;

QList<QCommandLineOption> dumpOptions()
{
    return {
        {QStringLiteral("json"), QStringLiteral("Print JSON: a list of root nodes with their children.")},
        {QStringLiteral("no-encapsulated"), QStringLiteral("Do not decode DER inside OCTET STRING and BIT STRING.")},
        {QStringLiteral("max-depth"), QStringLiteral("Print nodes down to depth <n> only."), QStringLiteral("n")},
    };
}

int runDump(const QStringList &files, const QCommandLineParser &parser)
{
    if (files.size() != 1) {
        err() << "trustscope-cli dump: name one file (PEM or DER, or - for standard input)\n";
        return ExitUsage;
    }
    asn1::WalkOptions walk;
    walk.encapsulation = !parser.isSet(QStringLiteral("no-encapsulated"));
    asn1::DumpOptions dump;
    if (parser.isSet(QStringLiteral("max-depth"))) {
        bool ok = false;
        dump.maxDepth = parser.value(QStringLiteral("max-depth")).toInt(&ok);
        if (!ok || dump.maxDepth < 0) {
            err() << "trustscope-cli dump: --max-depth takes a number from 0\n";
            return ExitUsage;
        }
    }
    const QString &path = files.first();
    QFile file;
    const bool opened = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                                   : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        err() << "trustscope-cli: " << path << ": cannot open: " << file.errorString() << '\n';
        return ExitUsage;
    }
    const QByteArray data = file.readAll();

    // Every PEM block of a PEM file, else the whole file as DER.
    struct Input {
        QString name;
        QByteArray der;
    };
    QList<Input> inputs;
    int exitCode = ExitOk;
    if (data.contains("-----BEGIN ")) {
        for (const PemBlock &block : findPemBlocks(data)) {
            const QString name = QStringLiteral("PEM block %1 (%2) at byte %3")
                                     .arg(inputs.size() + 1)
                                     .arg(block.label)
                                     .arg(block.offset);
            if (block.der.isEmpty()) {
                err() << "trustscope-cli: " << path << ": " << name << ": "
                      << (block.error.isEmpty() ? QStringLiteral("encrypted; not dumped") : block.error) << '\n';
                exitCode = ExitUsage;
                continue;
            }
            inputs.append({name, block.der});
        }
    } else {
        inputs.append({QString(), data});
    }

    QJsonArray json;
    for (const Input &input : std::as_const(inputs)) {
        const auto tree = asn1::Tree::parse(input.der, walk);
        if (!tree) {
            err() << "trustscope-cli: " << path << ": " << tree.error().toString() << '\n';
            exitCode = ExitUsage;
            continue;
        }
        if (parser.isSet(QStringLiteral("json"))) {
            for (const QJsonValue &root : asn1::dumpJson(*tree, dump))
                json.append(root);
            continue;
        }
        if (inputs.size() > 1 || !input.name.isEmpty())
            out() << "== " << input.name << " ==\n";
        out().flush();
        asn1::dumpText(*tree, dump, [](const QByteArray &chunk) {
            std::fwrite(chunk.constData(), 1, size_t(chunk.size()), stdout);
        });
        std::fflush(stdout);
    }
    if (parser.isSet(QStringLiteral("json")))
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    return exitCode;
}

} // namespace trustscope::cli
