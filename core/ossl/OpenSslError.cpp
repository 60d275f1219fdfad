#include "ossl/OpenSslError.h"

#include "ossl/Ossl.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <mutex>

namespace trustscope::ossl {

QString takeOpenSslErrors()
{
    QStringList lines;
    const char *file = nullptr;
    const char *function = nullptr;
    const char *data = nullptr;
    int line = 0;
    int flags = 0;
    while (unsigned long code = ERR_get_error_all(&file, &line, &function, &data, &flags)) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        QString text = QString::fromUtf8(buffer);
        if ((flags & ERR_TXT_STRING) && data && *data)
            text += QStringLiteral(" (") + QString::fromUtf8(data) + QLatin1Char(')');
        lines.append(text);
    }
    return lines.join(QStringLiteral("; "));
}

WorkerThreadScope::~WorkerThreadScope()
{
    OPENSSL_thread_stop();
}

void clearOpenSslErrors()
{
    ERR_clear_error();
}

core::Error openSslFailure(core::Error::Code code, QString message)
{
    return core::Error{code, std::move(message), takeOpenSslErrors()};
}

void ensureProvidersLoaded()
{
    // Loading "legacy" explicitly replaces the implicit default, so load both. They stay
    // loaded for the life of the process on purpose; the handles are kept so they stay reachable.
    struct LoadedProviders {
        OSSL_PROVIDER *standard = nullptr;
        OSSL_PROVIDER *legacy = nullptr;
    };
    static LoadedProviders providers;
    static std::once_flag once;
    std::call_once(once, [] {
        providers.standard = OSSL_PROVIDER_load(nullptr, "default");
        providers.legacy = OSSL_PROVIDER_load(nullptr, "legacy");
        if (!providers.legacy)
            ERR_clear_error(); // not fatal: only old PKCS#12 files need it, and they say so
    });
}

QByteArray sha256Digest(QByteArrayView data)
{
    // Fetched once: an implicit fetch per call costs more than hashing a certificate.
    static EVP_MD *const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int length = 0;
    if (!sha256 ||
        EVP_Digest(data.constData(), size_t(data.size()), reinterpret_cast<unsigned char *>(digest.data()), &length,
                   sha256, nullptr) != 1 ||
        length != 32) {
        clearOpenSslErrors();
        return {};
    }
    return digest;
}

QByteArray toByteArray(const unsigned char *data, int length)
{
    if (!data || length <= 0)
        return {};
    return QByteArray(reinterpret_cast<const char *>(data), length);
}

QString toQString(const ASN1_STRING *text)
{
    if (!text)
        return {};
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, text);
    if (length < 0) {
        ERR_clear_error();
        // Not convertible (e.g. a BMPString with odd length): show the raw bytes instead.
        return QString::fromLatin1(toByteArray(ASN1_STRING_get0_data(text), ASN1_STRING_length(text)).toHex(':'));
    }
    OpenSslBytesPtr owned(utf8);
    return QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
}

QString objectToDottedOid(const ASN1_OBJECT *object)
{
    if (!object)
        return {};
    char buffer[128];
    const int length = OBJ_obj2txt(buffer, sizeof buffer, object, 1);
    if (length <= 0)
        return {};
    if (length < int(sizeof buffer))
        return QString::fromLatin1(buffer, length);
    QByteArray large(length + 1, Qt::Uninitialized);
    OBJ_obj2txt(large.data(), length + 1, object, 1);
    large.truncate(length);
    return QString::fromLatin1(large);
}

QString objectToName(const ASN1_OBJECT *object)
{
    const int nid = OBJ_obj2nid(object);
    if (nid != NID_undef)
        return QString::fromLatin1(OBJ_nid2ln(nid));
    return objectToDottedOid(object);
}

bool isDottedOid(const QString &text)
{
    const QStringList arcs = text.split(QLatin1Char('.'));
    if (arcs.size() < 2 || text.size() > 200 ||
        !(arcs.first() == QLatin1String("0") || arcs.first() == QLatin1String("1") ||
          arcs.first() == QLatin1String("2")))
        return false;
    for (const QString &arc : arcs) {
        if (arc.isEmpty() || (arc.size() > 1 && arc.startsWith(QLatin1Char('0'))))
            return false;
        for (const QChar c : arc)
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return false;
    }
    return true;
}

} // namespace trustscope::ossl
