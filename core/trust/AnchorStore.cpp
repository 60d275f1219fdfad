#include "trust/AnchorStore.h"

#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"
#include "x509/Decode.h"
#include "x509/Document.h"

#include <QCryptographicHash>

#include <openssl/x509.h>

namespace trustscope::core::trust {

using namespace trustscope::ossl;

struct AnchorStore::Entry {
    QByteArray der;
    X509Ptr x509;
    std::once_flag decodeOnce;
    std::optional<Certificate> decoded;
};

namespace {

// OpenSSL's hash of the canonical encoding: what X509_check_issued compares, so that names which
// differ only in case or spacing are found.
std::optional<quint64> subjectKey(const X509_NAME *name)
{
    int ok = 0;
    const unsigned long hash = X509_NAME_hash_ex(name, nullptr, nullptr, &ok);
    if (ok != 1) {
        clearOpenSslErrors();
        return std::nullopt;
    }
    return quint64(hash);
}

} // namespace

AnchorStore::AnchorStore(QString name)
    : m_name(std::move(name))
{}

AnchorStore::~AnchorStore() = default;

void AnchorStore::add(QByteArray der, X509 *parsed)
{
    const QByteArray sha256 = QCryptographicHash::hash(der, QCryptographicHash::Sha256);
    if (m_bySha256.contains(sha256)) {
        X509_free(parsed);
        return;
    }
    auto entry = std::make_unique<Entry>();
    entry->der = std::move(der);
    entry->x509.reset(parsed);
    const int index = int(m_entries.size());
    if (const auto key = subjectKey(X509_get_subject_name(parsed)))
        m_bySubject.insert(*key, index);
    m_bySha256.insert(sha256, index);
    m_entries.push_back(std::move(entry));
}

std::shared_ptr<const AnchorStore> AnchorStore::fromDer(QString name, const QList<QByteArray> &ders,
                                                        QStringList *problems)
{
    std::shared_ptr<AnchorStore> store(new AnchorStore(std::move(name)));
    for (const QByteArray &der : ders) {
        const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
        X509 *parsed = d2i_X509(nullptr, &cursor, long(der.size()));
        if (!parsed || cursor != reinterpret_cast<const unsigned char *>(der.constData()) + der.size()) {
            X509_free(parsed);
            if (problems)
                problems->append(
                    QStringLiteral("a certificate of %1 is not DER (%2)").arg(store->m_name, takeOpenSslErrors()));
            else
                clearOpenSslErrors();
            continue;
        }
        store->add(der, parsed);
    }
    return store;
}

QList<int> AnchorStore::withSubject(const X509_NAME *subject) const
{
    const auto key = subjectKey(subject);
    if (!key)
        return {};
    QList<int> found = m_bySubject.values(*key);
    std::sort(found.begin(), found.end());
    return found;
}

std::optional<int> AnchorStore::indexOfSha256(const QByteArray &sha256) const
{
    const auto found = m_bySha256.constFind(sha256);
    return found == m_bySha256.cend() ? std::nullopt : std::optional<int>(*found);
}

X509 *AnchorStore::x509(int index) const
{
    return m_entries[size_t(index)]->x509.get();
}

const QByteArray &AnchorStore::der(int index) const
{
    return m_entries[size_t(index)]->der;
}

const Certificate &AnchorStore::certificate(int index) const
{
    Entry &entry = *m_entries[size_t(index)];
    std::call_once(entry.decodeOnce, [&entry] {
        if (auto decoded = x509::decodeCertificate(entry.x509.get())) {
            decoded->der = entry.der; // as the store holds it, for comparisons with other sources
            entry.decoded = std::move(*decoded);
        }
        if (!entry.decoded) {
            // A certificate OpenSSL parsed but our decoder did not: keep its bytes, so that it is
            // still shown and compared, never silently dropped from the store.
            Certificate fallback;
            fallback.der = entry.der;
            fallback.sha256Hex =
                QString::fromLatin1(QCryptographicHash::hash(entry.der, QCryptographicHash::Sha256).toHex());
            entry.decoded = std::move(fallback);
            clearOpenSslErrors();
        }
    });
    return *entry.decoded;
}

QString systemAnchorFile()
{
    const QString file = qEnvironmentVariable("SSL_CERT_FILE");
    return file.isEmpty() ? QString::fromLocal8Bit(X509_get_default_cert_file()) : file;
}

std::shared_ptr<const AnchorStore> systemAnchorStore()
{
    static const std::shared_ptr<const AnchorStore> store = [] {
        QList<QByteArray> ders;
        if (const auto document = loadDocumentFile(systemAnchorFile()))
            for (const PkiObject &object : document->objects)
                if (const auto *certificate = object.as<Certificate>())
                    ders.append(certificate->der);
        return AnchorStore::fromDer(QStringLiteral("system"), ders);
    }();
    return store;
}

} // namespace trustscope::core::trust
