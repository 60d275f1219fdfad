#pragma once

#include "Error.h"

#include <QByteArray>
#include <QStringList>

#include <QString>
#include <openssl/asn1.h>

namespace trustscope::ossl {

// Drains OpenSSL's thread-local error queue into one line per error ("error:…:reason").
// Call it right after a failed OpenSSL call; it also clears stale errors.
[[nodiscard]] QString takeOpenSslErrors();

// Drops whatever is queued: for benign errors left by probing calls.
void clearOpenSslErrors();

// An Error whose detail is the drained error queue.
[[nodiscard]] core::Error openSslFailure(core::Error::Code code, QString message);

// Loads the default and legacy providers once (legacy for RC2/3DES PKCS#12 files). Thread-safe.
void ensureProvidersLoaded();

// Frees OpenSSL's per-thread state (error queue, random generators) when a task on a pool
// thread ends: pool threads outlive tasks and may exit at any time, OpenSSL cannot tell.
struct WorkerThreadScope {
    WorkerThreadScope() = default;
    WorkerThreadScope(const WorkerThreadScope &) = delete;
    WorkerThreadScope &operator=(const WorkerThreadScope &) = delete;
    ~WorkerThreadScope();
};

// Small conversions shared by every decoder.
[[nodiscard]] QByteArray toByteArray(const unsigned char *data, int length);
[[nodiscard]] QString toQString(const ASN1_STRING *text); // any ASN.1 string type, as UTF-8
[[nodiscard]] QString objectToDottedOid(const ASN1_OBJECT *object);
[[nodiscard]] QString objectToName(const ASN1_OBJECT *object); // long name, or the dotted OID
// "1.2.840.113549" and the like: at least two arcs, digits only, a first arc of 0, 1 or 2.
[[nodiscard]] bool isDottedOid(const QString &text);

// SHA-256 through OpenSSL (its assembly is several times faster than QCryptographicHash's, which
// matters for stores of a thousand roots); empty when OpenSSL fails, which matches no digest.
[[nodiscard]] QByteArray sha256Digest(QByteArrayView data);

} // namespace trustscope::ossl
