#include "roots/RootPrograms.h"

#include "AppInfo.h"
#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"
#include "trust/AnchorStore.h"
#include "trust/CheckKeys.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimeZone>

#include <openssl/x509v3.h>

#include <mutex>

namespace trustscope::core::roots {

using namespace trustscope::ossl;

namespace {

const QStringList kStatuses = {QStringLiteral("Included"), QStringLiteral("NotBefore"), QStringLiteral("Removed"),
                               QStringLiteral("Disabled"), QStringLiteral("Blocked"),   QStringLiteral("Not Included")};
constexpr qint64 kMaxStoreFileBytes = 32 * 1024 * 1024;

Error storeError(const QString &path, const QString &what)
{
    return Error{Error::Code::InvalidInput,
                 QStringLiteral("%1 is not a root store file: %2").arg(QDir::toNativeSeparators(path), what),
                 {}};
}

Result<RootRecord> parseRecord(const QString &path, int index, const QJsonObject &object)
{
    const QString where = QStringLiteral("roots[%1]").arg(index);
    RootRecord record;
    const QString sha256Hex = object.value(QLatin1String("sha256")).toString();
    record.sha256 = QByteArray::fromHex(sha256Hex.toLatin1());
    if (sha256Hex.size() != 64 || record.sha256.size() != 32 || record.sha256.toHex() != sha256Hex.toLower().toLatin1())
        return std::unexpected(storeError(path, where + QStringLiteral(": \"sha256\" is not 64 hex digits")));
    record.name = object.value(QLatin1String("name")).toString();
    record.status = object.value(QLatin1String("status")).toString();
    if (!kStatuses.contains(record.status))
        return std::unexpected(storeError(path, QStringLiteral("%1: unknown status \"%2\" (one of %3)")
                                                    .arg(where, record.status, kStatuses.join(QStringLiteral(", ")))));
    record.statusFrom = object.value(QLatin1String("statusFrom")).toString();
    record.note = object.value(QLatin1String("note")).toString();
    if (const QJsonValue ski = object.value(QLatin1String("subjectKeyIdentifier")); ski.isString()) {
        const auto decoded =
            QByteArray::fromBase64Encoding(ski.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::unexpected(
                storeError(path, where + QStringLiteral(": \"subjectKeyIdentifier\" is not base64")));
        record.subjectKeyIdentifier = *decoded;
    }
    if (const QJsonValue der = object.value(QLatin1String("der")); !der.isUndefined() && !der.isNull()) {
        const auto decoded = der.isString() ? QByteArray::fromBase64Encoding(der.toString().toLatin1(),
                                                                             QByteArray::AbortOnBase64DecodingErrors)
                                            : QByteArray::FromBase64Result{};
        if (!decoded || decoded.decoded.isEmpty())
            return std::unexpected(storeError(path, where + QStringLiteral(": \"der\" is not base64")));
        if (ossl::sha256Digest(*decoded) != record.sha256)
            return std::unexpected(storeError(
                path, QStringLiteral("%1: the certificate's SHA-256 is %2, the record says %3")
                          .arg(where, QString::fromLatin1(ossl::sha256Digest(*decoded).toHex()), sha256Hex)));
        record.der = *decoded;
    }
    return record;
}

std::shared_ptr<const trust::AnchorStore> storeOf(const RootProgram &program, bool trustedOnly, QStringList &problems)
{
    QList<QByteArray> ders;
    for (const RootRecord &record : program.roots)
        if (!record.der.isEmpty() && (!trustedOnly || record.trusted()))
            ders.append(record.der);
    return trust::AnchorStore::fromDer(program.id, ders, &problems);
}

RootProgram systemProgramOf()
{
    RootProgram program;
    program.id = QStringLiteral("system");
    const QString file = trust::systemAnchorFile();
    program.name = QStringLiteral("This computer's store");
    program.source = QDir::toNativeSeparators(file);
    program.date = QFileInfo(file).lastModified(QTimeZone::UTC).date();
    program.file = file;
    program.trusted = trust::systemAnchorStore();
    program.known = program.trusted;
    for (int index = 0; index < program.trusted->size(); ++index) {
        RootRecord record;
        record.der = program.trusted->der(index);
        record.sha256 = ossl::sha256Digest(record.der);
        record.status = QStringLiteral("Included");
        record.statusFrom = QStringLiteral("snapshot");
        program.roots.append(record);
    }
    return program;
}

QStringList installedCandidates()
{
#ifdef TRUSTSCOPE_SOURCE_ROOT_STORES
    return installedDataCandidates(QStringLiteral("root-stores"), QStringLiteral(TRUSTSCOPE_SOURCE_ROOT_STORES));
#else
    return installedDataCandidates(QStringLiteral("root-stores"));
#endif
}

QString nameOf(const Certificate &certificate)
{
    return certificate.subject.commonName().isEmpty() ? certificate.subject.rfc4514 : certificate.subject.commonName();
}

// The owner a failure message names: "Apple", "Mozilla", …
QString ownerOf(const QString &id)
{
    static const QHash<QString, QString> owners = {{QStringLiteral("apple"), QStringLiteral("Apple")},
                                                   {QStringLiteral("android"), QStringLiteral("Android")},
                                                   {QStringLiteral("windows"), QStringLiteral("Microsoft")},
                                                   {QStringLiteral("chrome"), QStringLiteral("Chrome")},
                                                   {QStringLiteral("mozilla"), QStringLiteral("Mozilla")},
                                                   {QStringLiteral("java"), QStringLiteral("Java")},
                                                   {QStringLiteral("system"), QStringLiteral("this computer")}};
    return owners.value(id, id);
}

QByteArray authorityKeyIdOf(const Certificate &certificate)
{
    // The decoder's parse when there is one: parsing again costs as much as a signature check.
    X509Ptr reparsed;
    X509 *x509 = certificate.parsed.get();
    if (!x509) {
        const auto *cursor = reinterpret_cast<const unsigned char *>(certificate.der.constData());
        reparsed.reset(d2i_X509(nullptr, &cursor, long(certificate.der.size())));
        x509 = reparsed.get();
    }
    if (!x509) {
        clearOpenSslErrors();
        return {};
    }
    const ASN1_OCTET_STRING *keyId = X509_get0_authority_key_id(x509);
    QByteArray id = keyId ? toByteArray(ASN1_STRING_get0_data(keyId), ASN1_STRING_length(keyId)) : QByteArray();
    clearOpenSslErrors();
    return id;
}

const trust::PathElement *platformAnchorOf(const trust::Evaluation &evaluation)
{
    if (evaluation.path.isEmpty() || evaluation.path.last().role != QLatin1String("anchor") ||
        evaluation.path.last().source != QLatin1String("system"))
        return nullptr;
    return &evaluation.path.last();
}

void recomputeResult(ProgramVerdict &verdict)
{
    verdict.trusted = verdict.failures.isEmpty();
    const bool fatal = std::any_of(verdict.failures.cbegin(), verdict.failures.cend(),
                                   [](const trust::CheckFailure &failure) { return !failure.recoverable; });
    verdict.result = verdict.trusted
                         ? QStringLiteral("unspecified")
                         : (fatal ? QStringLiteral("fatalTrustFailure") : QStringLiteral("recoverableTrustFailure"));
}

void addNote(ProgramVerdict &verdict, const QString &note)
{
    verdict.note = verdict.note.isEmpty() ? note : verdict.note + QLatin1Char(' ') + note;
}

} // namespace

const QStringList &programIds()
{
    static const QStringList ids = {QStringLiteral("apple"),  QStringLiteral("android"), QStringLiteral("windows"),
                                    QStringLiteral("chrome"), QStringLiteral("mozilla"), QStringLiteral("java"),
                                    QStringLiteral("system")};
    return ids;
}

QString programTitle(const QString &programId)
{
    static const QHash<QString, QString> titles = {
        {QStringLiteral("apple"), QStringLiteral("Apple (iOS, iPadOS, macOS)")},
        {QStringLiteral("android"), QStringLiteral("Android (AOSP)")},
        {QStringLiteral("windows"), QStringLiteral("Microsoft Windows")},
        {QStringLiteral("chrome"), QStringLiteral("Chrome Root Store")},
        {QStringLiteral("mozilla"), QStringLiteral("Mozilla NSS (Firefox)")},
        {QStringLiteral("java"), QStringLiteral("Java (OpenJDK cacerts)")},
        {QStringLiteral("system"), QStringLiteral("This computer's store")}};
    return titles.value(programId, programId);
}

bool RootRecord::trusted() const
{
    return status == QLatin1String("Included") || status == QLatin1String("NotBefore");
}

const RootRecord *RootProgram::record(const QByteArray &sha256) const
{
    for (const RootRecord &candidate : roots)
        if (candidate.sha256 == sha256)
            return &candidate;
    return nullptr;
}

QString RootProgram::storeDescription() const
{
    QString text = QStringLiteral("%1, %2").arg(name, date.toString(Qt::ISODate));
    if (statusDate.isValid())
        text += QStringLiteral(" (statuses: CCADB %1)").arg(statusDate.toString(Qt::ISODate));
    return text;
}

Result<RootProgram> loadRootProgramFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io,
                    QStringLiteral("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    if (file.size() > kMaxStoreFileBytes)
        return std::unexpected(storeError(path, QStringLiteral("larger than 32 MiB")));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return std::unexpected(storeError(
            path, QStringLiteral("JSON error at byte %1: %2").arg(parseError.offset).arg(parseError.errorString())));
    const QJsonObject object = document.object();
    if (object.value(QLatin1String("format")).toString() != QLatin1String("trustscope-root-store"))
        return std::unexpected(storeError(path, QStringLiteral("\"format\" is not \"trustscope-root-store\"")));
    if (object.value(QLatin1String("formatVersion")).toInt() != 1)
        return std::unexpected(
            storeError(path, QStringLiteral("\"formatVersion\" %1 is not supported (this version reads 1)")
                                 .arg(object.value(QLatin1String("formatVersion")).toVariant().toString())));
    RootProgram program;
    program.file = path;
    program.id = object.value(QLatin1String("program")).toString();
    if (!programIds().contains(program.id) || program.id == QLatin1String("system"))
        return std::unexpected(storeError(path, QStringLiteral("unknown program \"%1\"").arg(program.id)));
    program.name = object.value(QLatin1String("name")).toString(program.id);
    program.source = object.value(QLatin1String("source")).toString();
    program.version = object.value(QLatin1String("version")).toString();
    program.date = QDate::fromString(object.value(QLatin1String("date")).toString(), Qt::ISODate);
    if (!program.date.isValid())
        return std::unexpected(storeError(path, QStringLiteral("\"date\" is not a date (YYYY-MM-DD)")));
    program.statusSource = object.value(QLatin1String("statusSource")).toString();
    if (const QJsonValue statusDate = object.value(QLatin1String("statusDate")); statusDate.isString()) {
        program.statusDate = QDate::fromString(statusDate.toString(), Qt::ISODate);
        if (!program.statusDate.isValid())
            return std::unexpected(storeError(path, QStringLiteral("\"statusDate\" is not a date (YYYY-MM-DD)")));
    }
    program.downloadsMissingIssuers = object.value(QLatin1String("downloadsMissingIssuers")).toBool(true);
    const QJsonValue roots = object.value(QLatin1String("roots"));
    if (!roots.isArray())
        return std::unexpected(storeError(path, QStringLiteral("\"roots\" is not a list")));
    const QJsonArray list = roots.toArray();
    for (int index = 0; index < list.size(); ++index) {
        if (!list.at(index).isObject())
            return std::unexpected(storeError(path, QStringLiteral("roots[%1] is not an object").arg(index)));
        auto record = parseRecord(path, index, list.at(index).toObject());
        if (!record)
            return std::unexpected(record.error());
        program.roots.append(std::move(*record));
    }
    QStringList problems;
    program.trusted = storeOf(program, true, problems);
    program.known = storeOf(program, false, problems);
    if (!problems.isEmpty())
        return std::unexpected(storeError(path, problems.first()));
    return program;
}

Result<QList<RootProgram>> loadRootProgramDirectory(const QString &directory)
{
    const QDir dir(directory);
    if (!dir.exists())
        return fail(Error::Code::Io, QStringLiteral("%1 is not a directory").arg(QDir::toNativeSeparators(directory)));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return fail(
            Error::Code::InvalidInput,
            QStringLiteral("%1 holds no root store file (PROGRAM.json)").arg(QDir::toNativeSeparators(directory)));
    QList<RootProgram> programs;
    for (const QString &name : files) {
        auto program = loadRootProgramFile(dir.filePath(name));
        if (!program)
            return std::unexpected(program.error());
        for (const RootProgram &existing : programs)
            if (existing.id == program->id)
                return std::unexpected(
                    storeError(dir.filePath(name),
                               QStringLiteral("program \"%1\" is also in %2").arg(program->id, existing.file)));
        programs.append(std::move(*program));
    }
    std::sort(programs.begin(), programs.end(), [](const RootProgram &a, const RootProgram &b) {
        return programIds().indexOf(a.id) < programIds().indexOf(b.id);
    });
    return programs;
}

QString importedRootStoresDirectory()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("root-stores"));
}

QString installedRootStoresDirectory()
{
    const QStringList candidates = installedCandidates();
    for (const QString &candidate : candidates)
        if (QFileInfo::exists(QDir(candidate).filePath(QStringLiteral("apple.json"))))
            return QDir::cleanPath(candidate);
    return candidates.isEmpty() ? QString() : QDir::cleanPath(candidates.first());
}

const RootData &rootData()
{
    static RootData data;
    static std::once_flag once;
    std::call_once(once, [] {
        auto use = [](const QString &directory, const QString &origin) {
            data.directory = directory;
            data.origin = origin;
            auto programs = loadRootProgramDirectory(directory);
            if (programs)
                data.programs = std::move(*programs);
            else
                data.error = programs.error().toString();
            return bool(programs);
        };
        if (const QString overridden = qEnvironmentVariable("TRUSTSCOPE_ROOT_STORES"); !overridden.isEmpty()) {
            use(overridden, QStringLiteral("TRUSTSCOPE_ROOT_STORES")); // asked for: no fallback
            return;
        }
        if (QFileInfo(importedRootStoresDirectory()).isDir()) {
            if (use(importedRootStoresDirectory(), QStringLiteral("imported")))
                return;
            data.warnings.append(
                QStringLiteral("The imported root stores no longer load (%1); the installed ones are used.")
                    .arg(data.error));
            data.error.clear();
        }
        use(installedRootStoresDirectory(), QStringLiteral("installed"));
    });
    return data;
}

Result<const RootProgram *> findProgram(const QString &id)
{
    if (id == QLatin1String("system")) {
        static const RootProgram system = systemProgramOf();
        return &system;
    }
    if (!programIds().contains(id))
        return fail(Error::Code::InvalidInput, QStringLiteral("Unknown root program \"%1\" (one of %2, or all)")
                                                   .arg(id, programIds().join(QStringLiteral(", "))));
    const RootData &data = rootData();
    for (const RootProgram &program : data.programs)
        if (program.id == id)
            return &program;
    if (!data.error.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("No root data for %1: %2").arg(id, data.error));
    return fail(Error::Code::InvalidInput,
                QStringLiteral("No root data for %1 in %2").arg(id, QDir::toNativeSeparators(data.directory)));
}

Result<QStringList> parseProgramList(const QString &text)
{
    QStringList ids;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString id = part.trimmed().toLower();
        if (id == QLatin1String("all")) {
            ids = programIds();
            continue;
        }
        if (!programIds().contains(id))
            return fail(Error::Code::InvalidInput, QStringLiteral("Unknown root program \"%1\" (one of %2, or all)")
                                                       .arg(part.trimmed(), programIds().join(QStringLiteral(", "))));
        if (!ids.contains(id))
            ids.append(id);
    }
    if (ids.isEmpty())
        return fail(
            Error::Code::InvalidInput,
            QStringLiteral("No root program named (one of %1, or all)").arg(programIds().join(QStringLiteral(", "))));
    std::sort(ids.begin(), ids.end(),
              [](const QString &a, const QString &b) { return programIds().indexOf(a) < programIds().indexOf(b); });
    return ids;
}

Result<void> checkCertificates(const RootProgram &program)
{
    for (int index = 0; index < program.roots.size(); ++index) {
        const QByteArray &der = program.roots.at(index).der;
        if (der.isEmpty())
            continue;
        const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
        const X509Ptr parsed(d2i_X509(nullptr, &cursor, long(der.size())));
        if (!parsed || cursor != reinterpret_cast<const unsigned char *>(der.constData()) + der.size())
            return std::unexpected(
                storeError(program.file, QStringLiteral("roots[%1]: the certificate does not parse (%2)")
                                             .arg(index)
                                             .arg(parsed ? QStringLiteral("trailing bytes") : takeOpenSslErrors())));
    }
    return {};
}

Result<QString> importRootPrograms(const QString &directory)
{
    const auto programs = loadRootProgramDirectory(directory);
    if (!programs)
        return std::unexpected(programs.error());
    for (const RootProgram &program : *programs)
        if (auto checked = checkCertificates(program); !checked)
            return std::unexpected(checked.error());
    const QString target = importedRootStoresDirectory();
    const QString incoming = target + QStringLiteral(".new");
    const QString previous = target + QStringLiteral(".old");
    QDir(incoming).removeRecursively();
    if (!QDir().mkpath(incoming))
        return fail(Error::Code::Io, QStringLiteral("Cannot create %1").arg(QDir::toNativeSeparators(incoming)));
    for (const RootProgram &program : *programs) {
        QFile source(program.file);
        QSaveFile out(QDir(incoming).filePath(program.id + QStringLiteral(".json")));
        if (!source.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly) ||
            out.write(source.readAll()) != source.size() || !out.commit()) {
            const QString reason = source.error() != QFileDevice::NoError ? source.errorString() : out.errorString();
            QDir(incoming).removeRecursively();
            return fail(Error::Code::Io, QStringLiteral("Cannot copy %1: %2").arg(program.file, reason));
        }
    }
    // Swap: the old set stays until the new one is in place, so a failure leaves one complete set.
    QDir(previous).removeRecursively();
    const bool hadPrevious = QFileInfo(target).isDir();
    if (hadPrevious && !QDir().rename(target, previous)) {
        QDir(incoming).removeRecursively();
        return fail(Error::Code::Io, QStringLiteral("Cannot move %1 aside").arg(QDir::toNativeSeparators(target)));
    }
    if (!QDir().rename(incoming, target)) {
        if (hadPrevious && !QDir().rename(previous, target))
            return fail(Error::Code::Io,
                        QStringLiteral("Cannot put %1 in place; the previous set is in %2")
                            .arg(QDir::toNativeSeparators(target), QDir::toNativeSeparators(previous)));
        return fail(Error::Code::Io, QStringLiteral("Cannot put %1 in place").arg(QDir::toNativeSeparators(target)));
    }
    QDir(previous).removeRecursively();
    return target;
}

ProgramVerdict evaluateInProgram(const Certificate &leaf, const QList<Certificate> &presented,
                                 const trust::Policy &policy, const QString &programId, const std::atomic_bool *cancel,
                                 bool keepUserAnchors)
{
    ProgramVerdict verdict;
    verdict.program = programId;
    const auto found = findProgram(programId);
    if (!found) {
        // Fail closed: no data is no trust, and the reason is the failure.
        verdict.storeName = programId;
        trust::CheckFailure failure;
        failure.key = QStringLiteral("AnchorTrusted");
        failure.recoverable = false;
        failure.explanation = found.error().toString();
        failure.remedy = QStringLiteral("Install or import the root program data (trustscope-cli roots import DIR).");
        verdict.failures.append(failure);
        verdict.note = found.error().toString();
        recomputeResult(verdict);
        return verdict;
    }
    const RootProgram &program = **found;
    verdict.storeName = program.name;
    verdict.storeSource = program.source;
    verdict.storeDate = program.date;
    // The program's roots are the only anchors; everything else the user chose stays.
    trust::Policy inProgram = policy;
    inProgram.useSystemAnchors = true;
    inProgram.anchorsOnly = false;
    if (!keepUserAnchors) {
        inProgram.anchors.clear();
        inProgram.trustedLeavesDer.clear();
    }
    inProgram.platformAnchors = program.trusted;
    if (!program.downloadsMissingIssuers)
        inProgram.fetchMissingIntermediates = false;
    trust::Evaluation evaluation = trust::evaluate(leaf, presented, inProgram, cancel);
    const trust::PathElement *anchor = platformAnchorOf(evaluation);
    if (!anchor && program.known != program.trusted) {
        // Not trusted: does the path end at a root the program has removed, disabled or blocked?
        inProgram.platformAnchors = program.known;
        trust::Evaluation withEveryRoot = trust::evaluate(leaf, presented, inProgram, cancel);
        if (const trust::PathElement *untrusted = platformAnchorOf(withEveryRoot)) {
            const QByteArray sha256 = ossl::sha256Digest(untrusted->certificate.der);
            const RootRecord *record = program.record(sha256);
            evaluation = std::move(withEveryRoot);
            anchor = platformAnchorOf(evaluation);
            trust::CheckFailure failure;
            failure.certIndex = int(evaluation.path.size()) - 1;
            const bool blocked = record && record->status == QLatin1String("Blocked");
            failure.key = blocked && programId == QLatin1String("apple") ? QStringLiteral("BlackListedKey")
                                                                         : QStringLiteral("AnchorTrusted");
            failure.recoverable = !blocked;
            const QString status = record ? record->status : QStringLiteral("Not Included");
            const QString when =
                record && record->statusFrom == QLatin1String("ccadb") && program.statusDate.isValid()
                    ? QStringLiteral("the CCADB, %1").arg(program.statusDate.toString(Qt::ISODate))
                    : QStringLiteral("%1's list of %2").arg(ownerOf(programId), program.date.toString(Qt::ISODate));
            const QString what = status == QLatin1String("Removed")    ? QStringLiteral("was removed from")
                                 : status == QLatin1String("Blocked")  ? QStringLiteral("is blocked by")
                                 : status == QLatin1String("Disabled") ? QStringLiteral("is disabled in")
                                                                       : QStringLiteral("is not in");
            failure.explanation =
                QStringLiteral("The root '%1' %2 %3 root program (%4 says %5): %6 does not trust it.")
                    .arg(nameOf(untrusted->certificate), what, ownerOf(programId), when, status, program.name);
            failure.remedy = QStringLiteral("Serve a chain that leads to a root %1 includes (a cross-signed "
                                            "intermediate, or a certificate from another CA).")
                                 .arg(ownerOf(programId));
            evaluation.failures.prepend(failure);
            evaluation.trusted = false;
            evaluation.result =
                evaluation.hasFatal() ? QStringLiteral("fatalTrustFailure") : QStringLiteral("recoverableTrustFailure");
            verdict.status = status;
        }
    }
    verdict.failures = evaluation.failures;
    if (anchor) {
        verdict.anchor = anchor->certificate;
        if (verdict.status.isEmpty()) {
            const RootRecord *record = program.record(ossl::sha256Digest(anchor->certificate.der));
            verdict.status = record ? record->status : QStringLiteral("Included");
        }
    }
    recomputeResult(verdict);
    if (verdict.status == QLatin1String("NotBefore")) {
        verdict.uncertain = true;
        addNote(verdict, QStringLiteral("Microsoft trusts '%1' only for certificates issued before a date this data "
                                        "does not give (CCADB status NotBefore).")
                             .arg(nameOf(*verdict.anchor)));
    }
    if (!verdict.trusted && !anchor) {
        const Certificate &top = evaluation.path.isEmpty() ? leaf : evaluation.path.last().certificate;
        // Say whose store lacks the root: the generic message only says "not a trusted root".
        for (trust::CheckFailure &failure : evaluation.failures)
            if (failure.key == QLatin1String("AnchorTrusted") || failure.key == QLatin1String("MissingIntermediate"))
                failure.explanation += QStringLiteral(" %1 has no root for it.").arg(program.storeDescription());
        verdict.failures = evaluation.failures;
        // A root the program includes but the snapshot has no certificate of, named by the top's issuer key id.
        const QByteArray keyId = authorityKeyIdOf(top);
        for (const RootRecord &record : program.roots)
            if (record.trusted() && record.der.isEmpty() && !keyId.isEmpty() && record.subjectKeyIdentifier == keyId) {
                verdict.uncertain = true;
                addNote(verdict, QStringLiteral("%1 includes '%2' (CCADB %3), which issued '%4', but this data has no "
                                                "certificate of it: the chain may well be trusted there.")
                                     .arg(ownerOf(programId), record.name, program.statusDate.toString(Qt::ISODate),
                                          nameOf(top)));
            }
        for (const trust::PathElement &element : evaluation.path)
            if (element.certificate.notBefore.isValid() &&
                element.certificate.notBefore.date() >
                    (program.statusDate.isValid() ? program.statusDate : program.date)) {
                verdict.uncertain = true;
                addNote(verdict, QStringLiteral("'%1' was issued on %2, after this data (%3): a root %4 added since "
                                                "is not in it.")
                                     .arg(nameOf(element.certificate),
                                          element.certificate.notBefore.date().toString(Qt::ISODate),
                                          program.date.toString(Qt::ISODate), ownerOf(programId)));
                break;
            }
    }
    if (!program.downloadsMissingIssuers && policy.fetchMissingIntermediates)
        for (const trust::CheckFailure &failure : verdict.failures)
            if (failure.key == QLatin1String("MissingIntermediate")) {
                addNote(verdict, QStringLiteral("%1 does not download missing intermediates (AIA): the server must "
                                                "send them.")
                                     .arg(program.name));
                break;
            }
    verdict.evaluation = std::move(evaluation);
    return verdict;
}

QList<ProgramVerdict> evaluateInPrograms(const Certificate &leaf, const QList<Certificate> &presented,
                                         const trust::Policy &policy, const QStringList &ids,
                                         const std::atomic_bool *cancel)
{
    QList<ProgramVerdict> verdicts;
    for (const QString &id : ids) {
        if (cancel && cancel->load())
            break;
        verdicts.append(evaluateInProgram(leaf, presented, policy, id, cancel));
    }
    return verdicts;
}

QJsonObject toJson(const ProgramVerdict &verdict)
{
    QJsonArray failures;
    for (const trust::CheckFailure &failure : verdict.failures)
        failures.append(QJsonObject{{QStringLiteral("key"), failure.key},
                                    {QStringLiteral("message"), failure.explanation},
                                    {QStringLiteral("certIndex"), failure.certIndex},
                                    {QStringLiteral("recoverable"), failure.recoverable}});
    QJsonValue anchor = QJsonValue::Null;
    if (verdict.anchor)
        anchor = QJsonObject{{QStringLiteral("subject"), verdict.anchor->subject.rfc4514},
                             {QStringLiteral("sha256"), verdict.anchor->sha256Hex.toLower()}};
    return QJsonObject{
        {QStringLiteral("program"), verdict.program},
        {QStringLiteral("store"),
         QJsonObject{{QStringLiteral("name"), verdict.storeName},
                     {QStringLiteral("source"), verdict.storeSource},
                     {QStringLiteral("date"), verdict.storeDate.isValid()
                                                  ? QJsonValue(verdict.storeDate.toString(Qt::ISODate))
                                                  : QJsonValue(QJsonValue::Null)}}},
        {QStringLiteral("trusted"), verdict.trusted},
        {QStringLiteral("result"), verdict.result},
        {QStringLiteral("anchor"), anchor},
        {QStringLiteral("failures"), failures},
        {QStringLiteral("status"),
         verdict.status.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(verdict.status)},
        {QStringLiteral("uncertain"), verdict.uncertain},
        {QStringLiteral("note"), verdict.note.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(verdict.note)},
    };
}

QJsonArray toJson(const QList<ProgramVerdict> &verdicts)
{
    QJsonArray array;
    for (const ProgramVerdict &verdict : verdicts)
        array.append(toJson(verdict));
    return array;
}

QString toText(const ProgramVerdict &verdict)
{
    QString line = QStringLiteral("%1 %2: ").arg(verdict.program,
                                                 QString(8 - qMin(8, int(verdict.program.size())), QLatin1Char(' ')));
    if (verdict.trusted)
        line += QStringLiteral("trusted, anchor '%1' (%2)").arg(nameOf(*verdict.anchor), verdict.status);
    else
        line += QStringLiteral("NOT trusted: %1")
                    .arg(verdict.failures.isEmpty() ? QStringLiteral("no verdict")
                                                    : verdict.failures.first().key + QStringLiteral(" — ") +
                                                          verdict.failures.first().explanation);
    if (verdict.uncertain)
        line += QStringLiteral(" [uncertain: %1]").arg(verdict.note);
    return line;
}

QJsonObject toJson(const RootRecord &record)
{
    QJsonObject object{{QStringLiteral("sha256"), QString::fromLatin1(record.sha256.toHex())},
                       {QStringLiteral("name"), record.name},
                       {QStringLiteral("status"), record.status},
                       {QStringLiteral("statusFrom"), record.statusFrom},
                       {QStringLiteral("hasCertificate"), !record.der.isEmpty()}};
    if (!record.note.isEmpty())
        object.insert(QStringLiteral("note"), record.note);
    return object;
}

QJsonObject toJson(const RootProgram &program, bool withRoots)
{
    QJsonObject counts;
    int withCertificate = 0;
    for (const RootRecord &record : program.roots) {
        counts.insert(record.status, counts.value(record.status).toInt() + 1);
        withCertificate += record.der.isEmpty() ? 0 : 1;
    }
    QJsonObject object{{QStringLiteral("program"), program.id},
                       {QStringLiteral("name"), program.name},
                       {QStringLiteral("source"), program.source},
                       {QStringLiteral("version"),
                        program.version.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(program.version)},
                       {QStringLiteral("date"), program.date.toString(Qt::ISODate)},
                       {QStringLiteral("statusSource"), program.statusSource.isEmpty()
                                                            ? QJsonValue(QJsonValue::Null)
                                                            : QJsonValue(program.statusSource)},
                       {QStringLiteral("statusDate"), program.statusDate.isValid()
                                                          ? QJsonValue(program.statusDate.toString(Qt::ISODate))
                                                          : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("downloadsMissingIssuers"), program.downloadsMissingIssuers},
                       {QStringLiteral("file"), QDir::toNativeSeparators(program.file)},
                       {QStringLiteral("rootCount"), int(program.roots.size())},
                       {QStringLiteral("trusted"), program.trusted ? program.trusted->size() : 0},
                       {QStringLiteral("withCertificate"), withCertificate},
                       {QStringLiteral("statuses"), counts}};
    if (withRoots) {
        QJsonArray roots;
        for (const RootRecord &record : program.roots)
            roots.append(toJson(record));
        object.insert(QStringLiteral("roots"), roots);
    }
    return object;
}

QList<RootStatus> statusInPrograms(const QByteArray &sha256)
{
    QList<RootStatus> statuses;
    for (const QString &id : programIds()) {
        const auto program = findProgram(id);
        statuses.append({id, program ? (*program)->record(sha256) : nullptr});
    }
    return statuses;
}

QStringList dataDescription()
{
    const RootData &data = rootData();
    QStringList lines;
    if (!data.error.isEmpty())
        lines.append(QStringLiteral("root programs: not loaded (%1)").arg(data.error));
    for (const RootProgram &program : data.programs)
        lines.append(
            QStringLiteral("%1: %2 (%3 roots)").arg(program.id, program.storeDescription()).arg(program.roots.size()));
    if (!data.programs.isEmpty())
        lines.append(
            QStringLiteral("root program data: %1 (%2)").arg(QDir::toNativeSeparators(data.directory), data.origin));
    return lines;
}

QJsonArray dataDescriptionJson()
{
    QJsonArray array;
    for (const RootProgram &program : rootData().programs) {
        QJsonObject object = toJson(program, false);
        object.insert(QStringLiteral("origin"), rootData().origin);
        array.append(object);
    }
    return array;
}

} // namespace trustscope::core::roots
