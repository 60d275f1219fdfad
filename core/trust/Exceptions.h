#pragma once

#include "Error.h"
#include "trust/TrustEvaluation.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QVariant>

#include <functional>

namespace trustscope::core::trust {

// What the user accepted for one certificate of the path (Apple's SecTrustCopyExceptions
// element, bound more tightly by the SHA-256 digest). Check values: the host name for
// SSLHostname, false for every other key (as Apple stores them).
struct CertificateException {
    QByteArray sha1;   // 20 bytes
    QByteArray sha256; // 32 bytes
    QMap<QString, QVariant> checks;
};

struct TrustException {
    QString host;
    int port = 443;
    QString policy = QStringLiteral("ssl-server");
    QDateTime created;
    QString note;
    QDateTime expires;                        // invalid: never
    QList<CertificateException> certificates; // index i = certificate i of the path (0 = leaf)
};

// The exception that covers exactly the failures of `evaluation`; an error when nothing
// failed or when a failure is fatal (revocation, weak keys … can never be excepted).
[[nodiscard]] Result<TrustException> exceptionFor(const Evaluation &evaluation, const QString &host, int port,
                                                  const QString &policy, const QString &note = {},
                                                  const QDateTime &expires = {});

// Removes the failures an exception covers, exactly: same position, same digests, same key and
// value, recoverable. A chain that passes only thanks to exceptions gets the result "proceed".
[[nodiscard]] Evaluation applyExceptions(Evaluation evaluation, const QList<TrustException> &exceptions,
                                         const QString &host, int port, const QString &policy,
                                         const QDateTime &now = QDateTime::currentDateTimeUtc());

enum class PlistFormat { Xml, Binary };

// {FormatVersion, Exceptions: [{Host, Port, Policy, Created, Note, Expires?, Certificates: [...]}]}
[[nodiscard]] Result<QByteArray> exportExceptions(const QList<TrustException> &exceptions, PlistFormat format);
// Apple's bare array of one exception's certificate dictionaries (always binary, bplist00).
[[nodiscard]] Result<QByteArray> exportAppleArray(const TrustException &exception);
// Validates everything; any bad entry fails the whole import with its index named.
[[nodiscard]] Result<QList<TrustException>> importExceptions(const QByteArray &data);
// A bare Apple array as one exception for host:port.
[[nodiscard]] Result<TrustException> importAppleArray(const QByteArray &data, const QString &host, int port,
                                                      const QString &policy);

// The store in the application data folder, written atomically. A store that fails to load is
// renamed aside (never overwritten) and reported; one that cannot be read or set aside is never
// saved over.
class ExceptionStore {
public:
    explicit ExceptionStore(QString path = {}); // default: dataDirectory()/exceptions.plist
    [[nodiscard]] Result<void> load();          // sets loadWarning() when the file was set aside
    // Refused when the last load() failed: the file on disk would be replaced by less than it holds.
    [[nodiscard]] Result<void> save() const;
    // Read-modify-write under a lock file (PATH.lock): loads afresh, applies `change`, saves.
    // Concurrent writers (several CLI processes, the GUI) keep each other's changes.
    [[nodiscard]] Result<void> update(const std::function<void(ExceptionStore &)> &change);
    [[nodiscard]] const QList<TrustException> &exceptions() const { return m_exceptions; }
    void add(TrustException exception);        // replaces one for the same host, port and policy
    int remove(const QString &host, int port); // how many were removed
    void replaceAll(QList<TrustException> exceptions) { m_exceptions = std::move(exceptions); }
    void merge(const QList<TrustException> &exceptions);
    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] QString loadWarning() const { return m_loadWarning; }

private:
    QString m_path;
    QList<TrustException> m_exceptions;
    QString m_loadWarning;
    bool m_loadFailed = false;
};

} // namespace trustscope::core::trust
