#pragma once

// Root programs: which roots Apple, Android, Windows, Chrome, Mozilla and Java trust, from
// versioned data files shipped with the program (resources/root-stores, made by its convert.py
// from public snapshots and the CCADB), and the verdict of a chain in each program.

#include "Error.h"
#include "trust/TrustEvaluation.h"
#include "x509/PkiObject.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

namespace trustscope::core::trust {
class AnchorStore;
}

namespace trustscope::core::roots {

// Every program, in the order verdicts are listed; `system` is the host's store.
[[nodiscard]] const QStringList &programIds();
// A program's usual title ("Apple (iOS, iPadOS, macOS)"), known without loading its data.
[[nodiscard]] QString programTitle(const QString &programId);

struct RootRecord {
    QByteArray sha256;               // raw digest of the certificate
    QString name;                    // as the program or the CCADB names it
    QString status;                  // Included, NotBefore, Removed, Disabled, Blocked, Not Included
    QString statusFrom;              // ccadb | snapshot
    QByteArray subjectKeyIdentifier; // raw, from the CCADB; finds a root the snapshot lacks
    QByteArray der;                  // empty: no snapshot has this certificate
    QString note;
    [[nodiscard]] bool trusted() const; // Included, or NotBefore (trusted for certificates issued before a date)
};

struct RootProgram {
    QString id;   // apple, android, windows, chrome, mozilla, java, system
    QString name; // "Apple (iOS, iPadOS, macOS)"
    QString source;
    QString version;
    QDate date; // of the certificate snapshot
    QString statusSource;
    QDate statusDate;                    // of the statuses (the CCADB's), invalid when the snapshot alone gives them
    bool downloadsMissingIssuers = true; // AIA caIssuers: Apple, Windows, Chrome do; Android, Firefox, Java do not
    QString file;
    QList<RootRecord> roots;
    std::shared_ptr<const trust::AnchorStore> trusted; // the roots it trusts that have a certificate
    std::shared_ptr<const trust::AnchorStore> known;   // every root with a certificate, whatever its status
    [[nodiscard]] const RootRecord *record(const QByteArray &sha256) const;
    [[nodiscard]] QString
    storeDescription() const; // "Apple (iOS, iPadOS, macOS), 2023-09-10 (statuses: CCADB 2026-08-22)"
};

// One data file (PROGRAM.json), validated: format, program, dates, every record, and that each
// certificate's SHA-256 is the one its record names. The error names the file and the record.
[[nodiscard]] Result<RootProgram> loadRootProgramFile(const QString &path);
// Loading checks each certificate's outline and subject (enough to index it; a full parse waits for
// first use). This parses every certificate as OpenSSL does, for `roots import` and the tests.
[[nodiscard]] Result<void> checkCertificates(const RootProgram &program);
// Every *.json of a directory (at least one, each program once); the first bad file fails it all.
[[nodiscard]] Result<QList<RootProgram>> loadRootProgramDirectory(const QString &directory);

// The data in use: $TRUSTSCOPE_ROOT_STORES, else what `roots import` installed for this user,
// else the files installed with the program. Loaded once per process.
struct RootData {
    QString directory;
    QString origin;              // TRUSTSCOPE_ROOT_STORES | imported | installed
    QList<RootProgram> programs; // without `system`
    QString error;               // why the directory could not be used (then `programs` is empty)
    QStringList warnings;        // e.g. an imported set that no longer loads, passed over
};
[[nodiscard]] const RootData &rootData();
// A program by id, `system` included (the host's store, read once).
[[nodiscard]] Result<const RootProgram *> findProgram(const QString &id);
// "apple,android", "all" → ids in programIds() order; an unknown name is an error naming it.
[[nodiscard]] Result<QStringList> parseProgramList(const QString &text);
[[nodiscard]] QString importedRootStoresDirectory(); // dataDirectory()/root-stores
[[nodiscard]] QString installedRootStoresDirectory();
// Validates every file of `directory` and only then replaces the imported set (files written
// atomically, the old set kept until the new one is in place). Returns where it went.
[[nodiscard]] Result<QString> importRootPrograms(const QString &directory);

// A chain's verdict in one program: evaluated with that program's roots as the only anchors.
struct ProgramVerdict {
    QString program;
    QString storeName, storeSource;
    QDate storeDate;
    bool trusted = false;
    QString result; // as Evaluation::result
    std::optional<Certificate> anchor;
    QList<trust::CheckFailure> failures;
    QString status; // the anchor's status in the program; empty without an anchor
    bool uncertain = false;
    QString note;
    trust::Evaluation evaluation;
};
// `keepUserAnchors`: the user's anchors stay beside the program's (the Apple diagnosis: they stand
// for SecTrustSetAnchorCertificates or an installed profile); else the program's roots alone.
[[nodiscard]] ProgramVerdict evaluateInProgram(const Certificate &leaf, const QList<Certificate> &presented,
                                               const trust::Policy &policy, const QString &programId,
                                               const std::atomic_bool *cancel = nullptr, bool keepUserAnchors = false);
[[nodiscard]] QList<ProgramVerdict> evaluateInPrograms(const Certificate &leaf, const QList<Certificate> &presented,
                                                       const trust::Policy &policy, const QStringList &programIds,
                                                       const std::atomic_bool *cancel = nullptr);
[[nodiscard]] QJsonObject toJson(const ProgramVerdict &verdict);
[[nodiscard]] QJsonArray toJson(const QList<ProgramVerdict> &verdicts);
[[nodiscard]] QString toText(const ProgramVerdict &verdict); // one line

[[nodiscard]] QJsonObject toJson(const RootProgram &program, bool withRoots);
[[nodiscard]] QJsonObject toJson(const RootRecord &record);
// One root's record in every program (null where a program has none).
struct RootStatus {
    QString program;
    const RootRecord *record = nullptr;
};
[[nodiscard]] QList<RootStatus> statusInPrograms(const QByteArray &sha256);
// The data files in use, for --version and About: one line per program.
[[nodiscard]] QStringList dataDescription();
[[nodiscard]] QJsonArray dataDescriptionJson();

} // namespace trustscope::core::roots
