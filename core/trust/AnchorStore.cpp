#include "trust/AnchorStore.h"

#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"
#include "x509/Decode.h"
#include "x509/Document.h"

#include <QFile>

#include <openssl/pem.h>
#include <openssl/x509.h>

namespace trustscope::core::trust {

using namespace trustscope::ossl;

struct AnchorStore::Entry {
    QByteArray der;
    std::once_flag decodeOnce;
    X509Ptr x509; // null until decoded, and when OpenSSL cannot parse `der`
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

// One DER element at `offset`: its tag, where its contents start and its total length.
struct Element {
    unsigned char tag = 0;
    qsizetype contents = 0;
    qsizetype end = 0;
};

std::optional<Element> elementAt(QByteArrayView der, qsizetype offset, qsizetype limit)
{
    if (offset + 2 > limit)
        return std::nullopt;
    Element element;
    element.tag = static_cast<unsigned char>(der[offset]);
    qsizetype cursor = offset + 1;
    const auto first = static_cast<unsigned char>(der[cursor++]);
    qsizetype length = first;
    if (first & 0x80) {
        const int octets = first & 0x7f;
        if (octets == 0 || octets > 4 || cursor + octets > limit)
            return std::nullopt; // indefinite lengths are not DER; a root is not 4 GB
        length = 0;
        for (int index = 0; index < octets; ++index)
            length = (length << 8) | static_cast<unsigned char>(der[cursor++]);
    }
    if (length > limit - cursor)
        return std::nullopt;
    element.contents = cursor;
    element.end = cursor + length;
    return element;
}

// The subject Name of a certificate's DER, found by walking its outline (Certificate →
// tbsCertificate → [0] version, serial, signature, issuer, validity, subject) so that a store of a
// thousand roots is indexed without parsing each one's key; the full parse waits for first use.
std::optional<QByteArrayView> subjectOf(QByteArrayView der)
{
    const auto certificate = elementAt(der, 0, der.size());
    if (!certificate || certificate->tag != 0x30 || certificate->end != der.size())
        return std::nullopt;
    const auto tbs = elementAt(der, certificate->contents, certificate->end);
    if (!tbs || tbs->tag != 0x30)
        return std::nullopt;
    qsizetype cursor = tbs->contents;
    qsizetype start = cursor;
    const auto next = [&]() {
        start = cursor;
        const auto element = elementAt(der, cursor, tbs->end);
        if (element)
            cursor = element->end;
        return element;
    };
    auto element = next();
    if (element && element->tag == 0xa0) // version
        element = next();
    // serial, signature, issuer, validity: then the subject.
    for (const unsigned char tag : {0x02, 0x30, 0x30, 0x30}) {
        if (!element || element->tag != tag)
            return std::nullopt;
        element = next();
    }
    if (!element || element->tag != 0x30)
        return std::nullopt;
    return der.sliced(start, element->end - start);
}

} // namespace

AnchorStore::AnchorStore(QString name)
    : m_name(std::move(name))
{}

AnchorStore::~AnchorStore() = default;

std::shared_ptr<const AnchorStore> AnchorStore::fromDer(QString name, const QList<QByteArray> &ders,
                                                        QStringList *problems)
{
    std::shared_ptr<AnchorStore> store(new AnchorStore(std::move(name)));
    for (const QByteArray &der : ders) {
        const auto subject = subjectOf(der);
        const auto *cursor = subject ? reinterpret_cast<const unsigned char *>(subject->constData()) : nullptr;
        X509NamePtr subjectName(subject ? d2i_X509_NAME(nullptr, &cursor, long(subject->size())) : nullptr);
        const auto key = subjectName ? subjectKey(subjectName.get()) : std::nullopt;
        if (!key) {
            if (problems)
                problems->append(
                    QStringLiteral("a certificate of %1 is not DER (%2)")
                        .arg(store->m_name, subjectName ? takeOpenSslErrors() : QStringLiteral("no subject")));
            else
                clearOpenSslErrors();
            continue;
        }
        const QByteArray sha256 = sha256Digest(der);
        if (sha256.isEmpty() || store->m_bySha256.contains(sha256))
            continue;
        auto entry = std::make_unique<Entry>();
        entry->der = der;
        const int index = int(store->m_entries.size());
        store->m_bySubject.insert(*key, index);
        store->m_bySha256.insert(sha256, index);
        store->m_entries.push_back(std::move(entry));
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

AnchorStore::Entry &AnchorStore::decodedEntry(int index) const
{
    Entry &entry = *m_entries[size_t(index)];
    std::call_once(entry.decodeOnce, [&entry] {
        const auto *cursor = reinterpret_cast<const unsigned char *>(entry.der.constData());
        entry.x509.reset(d2i_X509(nullptr, &cursor, long(entry.der.size())));
        if (entry.x509 && cursor != reinterpret_cast<const unsigned char *>(entry.der.constData()) + entry.der.size())
            entry.x509.reset(); // trailing bytes: not this certificate
        if (entry.x509)
            if (auto decoded = x509::decodeCertificate(entry.x509.get())) {
                decoded->der = entry.der; // as the store holds it, for comparisons with other sources
                entry.decoded = std::move(*decoded);
            }
        if (!entry.decoded) {
            // A certificate our decoder (or OpenSSL) could not read: keep its bytes, so that it is
            // still shown and compared, never silently dropped from the store. Without an X509 it
            // never anchors a path.
            Certificate fallback;
            fallback.der = entry.der;
            fallback.sha256Hex = QString::fromLatin1(sha256Digest(entry.der).toHex());
            entry.decoded = std::move(fallback);
        }
        clearOpenSslErrors();
    });
    return entry;
}

X509 *AnchorStore::x509(int index) const
{
    return decodedEntry(index).x509.get();
}

const QByteArray &AnchorStore::der(int index) const
{
    return m_entries[size_t(index)]->der;
}

const Certificate &AnchorStore::certificate(int index) const
{
    return *decodedEntry(index).decoded;
}

QString systemAnchorFile()
{
    const QString file = qEnvironmentVariable("SSL_CERT_FILE");
    return file.isEmpty() ? QString::fromLocal8Bit(X509_get_default_cert_file()) : file;
}

std::shared_ptr<const AnchorStore> systemAnchorStore()
{
    static const std::shared_ptr<const AnchorStore> store = [] {
        const QString file = systemAnchorFile();
        // The PEM blocks' DER as it is, without decoding each certificate (the store indexes
        // subjects; a root is parsed when a path reaches it). A file that is not PEM goes through
        // the document loader, which reads every format.
        QList<QByteArray> ders;
        if (BioPtr bio(BIO_new_file(QFile::encodeName(file).constData(), "r")); bio) {
            char *name = nullptr, *header = nullptr;
            unsigned char *data = nullptr;
            long length = 0;
            while (PEM_read_bio(bio.get(), &name, &header, &data, &length) == 1) {
                if (qstrcmp(name, PEM_STRING_X509) == 0 || qstrcmp(name, PEM_STRING_X509_OLD) == 0)
                    ders.append(QByteArray(reinterpret_cast<const char *>(data), int(length)));
                OPENSSL_free(name);
                OPENSSL_free(header);
                OPENSSL_free(data);
            }
        }
        clearOpenSslErrors(); // the end of the file reads as "no start line"
        if (ders.isEmpty())
            if (const auto document = loadDocumentFile(file))
                for (const PkiObject &object : document->objects)
                    if (const auto *certificate = object.as<Certificate>())
                        ders.append(certificate->der);
        return AnchorStore::fromDer(QStringLiteral("system"), ders);
    }();
    return store;
}

} // namespace trustscope::core::trust
