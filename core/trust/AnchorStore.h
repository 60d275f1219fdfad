#pragma once

// A platform's trusted roots (the host's store, or one root program's), parsed once per process,
// indexed by subject and shared by every evaluation: path building looks up the few roots whose
// subject is an issuer's name instead of offering all of them as candidates.

#include "x509/PkiObject.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

struct x509_st;
struct X509_name_st;

namespace trustscope::core::trust {

class AnchorStore {
public:
    // Indexed by subject without parsing each certificate (that waits for first use): a DER whose
    // outline or subject does not parse is left out, named in `problems`.
    [[nodiscard]] static std::shared_ptr<const AnchorStore> fromDer(QString name, const QList<QByteArray> &ders,
                                                                    QStringList *problems = nullptr);
    ~AnchorStore();

    [[nodiscard]] const QString &name() const { return m_name; }
    [[nodiscard]] int size() const { return int(m_entries.size()); }
    // The anchors named `subject` (matched on OpenSSL's canonical name encoding).
    [[nodiscard]] QList<int> withSubject(const X509_name_st *subject) const;
    [[nodiscard]] std::optional<int> indexOfSha256(const QByteArray &sha256) const; // raw digest
    [[nodiscard]] x509_st *x509(int index) const; // owned by the store; null when OpenSSL cannot parse it
    [[nodiscard]] const QByteArray &der(int index) const;
    // Decoded on first use (most roots of a store never take part in a path); thread-safe.
    [[nodiscard]] const Certificate &certificate(int index) const;

private:
    struct Entry;
    explicit AnchorStore(QString name);
    Entry &decodedEntry(int index) const; // parses the entry on first use

    QString m_name;
    std::vector<std::unique_ptr<Entry>> m_entries;
    QMultiHash<quint64, int> m_bySubject;
    QHash<QByteArray, int> m_bySha256;
};

// The host's store (OpenSSL's default CA file, or $SSL_CERT_FILE), loaded once.
[[nodiscard]] std::shared_ptr<const AnchorStore> systemAnchorStore();
// Where systemAnchorStore() came from, for verdicts that name their root store.
[[nodiscard]] QString systemAnchorFile();

} // namespace trustscope::core::trust
