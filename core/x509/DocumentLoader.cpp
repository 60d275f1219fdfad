#include "ossl/OpenSslError.h"
#include "x509/Decode.h"
#include "x509/Document.h"
#include "x509/Pem.h"

#include <QFile>
#include <QFileInfo>
#include <cctype>
#include <functional>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace trustscope::core {

using namespace trustscope::ossl;
using namespace trustscope::core::x509;

QString ObjectError::toString() const
{
    QString text = object;
    if (offset >= 0)
        text += QStringLiteral(" at byte %1").arg(offset);
    return text + QStringLiteral(": ") + error.toString();
}

bool keyMatchesCertificate(const PrivateKey &key, const Certificate &certificate)
{
    return !key.publicKey.spkiDer.isEmpty() && key.publicKey.spkiDer == certificate.publicKey.spkiDer;
}

namespace {

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

// Collects objects and errors for one input, enforcing the object limit.
class Loader {
public:
    Loader(QString fileName, PasswordProvider *passwords, const LoadLimits &limits)
        : m_passwords(passwords)
        , m_limits(limits)
    {
        m_document.fileName = std::move(fileName);
    }

    Document take() { return std::move(m_document); }
    bool full() const { return m_document.objects.size() >= m_limits.maxObjects; }

    void addError(const QString &object, qint64 offset, Error error)
    {
        m_document.errors.append(ObjectError{object, offset, std::move(error)});
    }

    template <typename T> void add(Result<T> decoded, const QString &container, qint64 offset, const QString &what)
    {
        if (!decoded) {
            addError(what, offset, decoded.error());
            return;
        }
        if (full()) {
            reportLimit(what, offset);
            return;
        }
        m_document.objects.append(PkiObject{std::move(*decoded), container, offset});
    }

    void reportLimit(const QString &what, qint64 offset)
    {
        if (!m_reportedLimit)
            addError(
                what, offset,
                Error{
                    Error::Code::LimitExceeded,
                    QStringLiteral("more than %1 objects in one file; the rest is not loaded").arg(m_limits.maxObjects),
                    {}});
        m_reportedLimit = true;
    }

    // Asks for passwords until tryPassword accepts one, the provider gives up, or none is set.
    std::optional<Error> withPassword(const QString &what, const std::function<bool(const QByteArray &)> &tryPassword)
    {
        if (!m_passwords)
            return Error{
                Error::Code::PasswordNeeded, QStringLiteral("%1 is encrypted and no password was given").arg(what), {}};
        for (int attempt = 0;; ++attempt) {
            const std::optional<QByteArray> password = m_passwords->password(m_document.fileName, what, attempt);
            if (!password)
                return attempt == 0 ? Error{Error::Code::PasswordNeeded,
                                            QStringLiteral("%1 is encrypted and no password was given").arg(what),
                                            {}}
                                    : Error{Error::Code::WrongPassword,
                                            QStringLiteral("wrong password for %1").arg(what), takeOpenSslErrors()};
            if (tryPassword(*password))
                return std::nullopt;
            clearOpenSslErrors();
        }
    }

    // One DER object of any kind; `what` names it in errors.
    void loadDer(const QByteArray &der, const QString &container, qint64 offset, const QString &what);
    void loadPem(const QByteArray &data);
    void loadEncryptedTraditionalKey(const PemBlock &block, const QString &what);
    void loadPkcs7(PKCS7 *pkcs7, const QString &container, qint64 offset, const QString &what);
    void loadCms(const QByteArray &der, const QString &container, qint64 offset, const QString &what);
    void loadPkcs12(PKCS12 *pkcs12, qint64 offset, const QString &what);
    void loadPrivateKey(EVP_PKEY *key, const QString &format, bool encrypted, const QString &container, qint64 offset,
                        const QString &what)
    {
        add(decodePrivateKey(key, format, encrypted), container, offset, what);
    }
    void addCertificates(const STACK_OF(X509) * certificates, const QString &container, qint64 offset,
                         const QString &what);
    void addCrls(const STACK_OF(X509_CRL) * crls, const QString &container, qint64 offset, const QString &what);

private:
    Document m_document;
    PasswordProvider *m_passwords;
    LoadLimits m_limits;
    bool m_reportedLimit = false;
};

// Parses exactly the whole of `der` with a d2i function; nullptr when it fails or leaves bytes.
template <typename Ptr, typename D2i> Ptr parseWhole(const QByteArray &der, D2i d2i)
{
    const unsigned char *cursor = bytes(der);
    Ptr object(d2i(nullptr, &cursor, long(der.size())));
    if (object && cursor != bytes(der) + der.size())
        object.reset();
    return object;
}

void Loader::addCertificates(const STACK_OF(X509) * certificates, const QString &container, qint64 offset,
                             const QString &what)
{
    for (int index = 0; index < sk_X509_num(certificates); ++index)
        add(decodeCertificate(sk_X509_value(certificates, index)), container, offset,
            what + QStringLiteral(", certificate %1").arg(index + 1));
}

void Loader::addCrls(const STACK_OF(X509_CRL) * crls, const QString &container, qint64 offset, const QString &what)
{
    for (int index = 0; index < sk_X509_CRL_num(crls); ++index)
        add(decodeCrl(sk_X509_CRL_value(crls, index)), container, offset,
            what + QStringLiteral(", CRL %1").arg(index + 1));
}

void Loader::loadPkcs7(PKCS7 *pkcs7, const QString &container, qint64 offset, const QString &what)
{
    const int type = OBJ_obj2nid(pkcs7->type);
    if (type != NID_pkcs7_signed || !pkcs7->d.sign) {
        addError(what, offset,
                 Error{Error::Code::Unsupported,
                       QStringLiteral("PKCS#7 of type %1 holds no certificates").arg(objectToName(pkcs7->type)),
                       {}});
        return;
    }
    const int before = int(m_document.objects.size());
    addCertificates(pkcs7->d.sign->cert, container, offset, what);
    addCrls(pkcs7->d.sign->crl, container, offset, what);
    if (m_document.objects.size() == before)
        addError(what, offset, Error{Error::Code::InvalidInput, QStringLiteral("the PKCS#7 bundle is empty"), {}});
}

void Loader::loadCms(const QByteArray &der, const QString &container, qint64 offset, const QString &what)
{
    using CmsPtr = Owned<CMS_ContentInfo, CMS_ContentInfo_free>;
    auto cms = parseWhole<CmsPtr>(der, d2i_CMS_ContentInfo);
    if (!cms) {
        addError(what, offset, openSslFailure(Error::Code::InvalidInput, QStringLiteral("not a CMS structure")));
        return;
    }
    StackOfX509Ptr certificates(CMS_get1_certs(cms.get()));
    StackOfX509CrlPtr crls(CMS_get1_crls(cms.get()));
    clearOpenSslErrors();
    addCertificates(certificates.get(), container, offset, what);
    addCrls(crls.get(), container, offset, what);
}

void Loader::loadPkcs12(PKCS12 *pkcs12, qint64 offset, const QString &what)
{
    ensureProvidersLoaded();
    QByteArray password;
    bool passwordIsNull = false;
    if (!PKCS12_mac_present(pkcs12) || PKCS12_verify_mac(pkcs12, "", 0) == 1) {
        password = QByteArray("");
    } else if (PKCS12_verify_mac(pkcs12, nullptr, 0) == 1) {
        passwordIsNull = true;
    } else {
        clearOpenSslErrors();
        const auto error = withPassword(QStringLiteral("the PKCS#12 file"), [&](const QByteArray &candidate) {
            if (PKCS12_verify_mac(pkcs12, candidate.constData(), int(candidate.size())) != 1)
                return false;
            password = candidate;
            return true;
        });
        if (error) {
            addError(what, offset, *error);
            return;
        }
    }
    EVP_PKEY *keyOut = nullptr;
    X509 *certificateOut = nullptr;
    STACK_OF(X509) *caOut = nullptr;
    if (PKCS12_parse(pkcs12, passwordIsNull ? nullptr : password.constData(), &keyOut, &certificateOut, &caOut) != 1) {
        Error error =
            openSslFailure(Error::Code::Unsupported, QStringLiteral("the PKCS#12 contents cannot be decrypted"));
        if (error.detail.contains(QLatin1String("unsupported")))
            error.message += QStringLiteral(": it uses an algorithm the loaded OpenSSL providers do not offer (legacy "
                                            "RC2/3DES needs the legacy provider)");
        addError(what, offset, error);
        return;
    }
    EvpPkeyPtr key(keyOut);
    X509Ptr certificate(certificateOut);
    StackOfX509Ptr authorities(caOut);
    if (certificate)
        add(decodeCertificate(certificate.get()), QStringLiteral("PKCS#12"), offset,
            what + QStringLiteral(", certificate"));
    addCertificates(authorities.get(), QStringLiteral("PKCS#12"), offset, what);
    if (key)
        loadPrivateKey(key.get(), QStringLiteral("PKCS#12"), true, QStringLiteral("PKCS#12"), offset,
                       what + QStringLiteral(", private key"));
}

void Loader::loadDer(const QByteArray &der, const QString &container, qint64 offset, const QString &what)
{
    // Cheapest first, and the formats people open most often first. Each attempt fails at the
    // first mismatching tag, so garbage costs almost nothing.
    if (auto certificate = parseWhole<X509Ptr>(der, d2i_X509)) {
        add(decodeCertificate(certificate.get()), container, offset, what);
        return;
    }
    const QString certificateErrors = takeOpenSslErrors();
    constexpr qsizetype largeCrlBytes = 1024 * 1024;
    if (der.size() > largeCrlBytes)
        if (auto crl = decodeLargeCrl(der)) {
            add(Result<Crl>(std::move(*crl)), container, offset, what);
            return;
        }
    if (auto crl = parseWhole<X509CrlPtr>(der, d2i_X509_CRL)) {
        add(decodeCrl(crl.get()), container, offset, what);
        return;
    }
    if (auto request = parseWhole<X509ReqPtr>(der, d2i_X509_REQ)) {
        add(decodeCsr(request.get()), container, offset, what);
        return;
    }
    if (auto pkcs7 = parseWhole<Pkcs7Ptr>(der, d2i_PKCS7)) {
        loadPkcs7(pkcs7.get(), QStringLiteral("PKCS#7"), offset, what);
        return;
    }
    if (auto pkcs12 = parseWhole<Pkcs12Ptr>(der, d2i_PKCS12)) {
        loadPkcs12(pkcs12.get(), offset, what);
        return;
    }
    if (auto ocsp = parseWhole<OcspResponsePtr>(der, d2i_OCSP_RESPONSE)) {
        add(decodeOcspResponse(ocsp.get()), container, offset, what);
        return;
    }
    if (auto pkcs8 = parseWhole<Pkcs8PrivKeyInfoPtr>(der, d2i_PKCS8_PRIV_KEY_INFO)) {
        EvpPkeyPtr key(EVP_PKCS82PKEY(pkcs8.get()));
        if (!key)
            addError(what, offset,
                     openSslFailure(Error::Code::Unsupported,
                                    QStringLiteral("the PKCS#8 key's algorithm is not supported")));
        else
            loadPrivateKey(key.get(), QStringLiteral("PKCS#8"), false, container, offset, what);
        return;
    }
    if (auto encrypted = parseWhole<X509SigPtr>(der, d2i_X509_SIG)) {
        ensureProvidersLoaded();
        Pkcs8PrivKeyInfoPtr decrypted;
        const auto error = withPassword(QStringLiteral("the encrypted private key"), [&](const QByteArray &password) {
            decrypted.reset(PKCS8_decrypt(encrypted.get(), password.constData(), int(password.size())));
            return decrypted != nullptr;
        });
        if (error) {
            addError(what, offset, *error);
            return;
        }
        EvpPkeyPtr key(EVP_PKCS82PKEY(decrypted.get()));
        if (!key)
            addError(what, offset,
                     openSslFailure(Error::Code::Unsupported,
                                    QStringLiteral("the decrypted key's algorithm is not supported")));
        else
            loadPrivateKey(key.get(), QStringLiteral("encrypted PKCS#8"), true, container, offset, what);
        return;
    }
    if (auto publicKey = parseWhole<EvpPkeyPtr>(der, d2i_PUBKEY)) {
        add(Result<PublicKey>(PublicKey{decodePublicKey(publicKey.get())}), container, offset, what);
        return;
    }
    if (auto traditional = parseWhole<EvpPkeyPtr>(der, d2i_AutoPrivateKey)) {
        const QString format = QStringLiteral("traditional ") + decodePublicKey(traditional.get()).algorithm;
        loadPrivateKey(traditional.get(), format, false, container, offset, what);
        return;
    }
    clearOpenSslErrors();
    using CmsPtr = Owned<CMS_ContentInfo, CMS_ContentInfo_free>;
    if (parseWhole<CmsPtr>(der, d2i_CMS_ContentInfo)) {
        loadCms(der, QStringLiteral("CMS"), offset, what);
        return;
    }
    clearOpenSslErrors();
    addError(what, offset,
             Error{Error::Code::InvalidInput,
                   QStringLiteral("not a certificate, CRL, CSR, PKCS#7, PKCS#12, OCSP response or key"),
                   certificateErrors.isEmpty() ? QString() : QStringLiteral("as a certificate: ") + certificateErrors});
}

// The outer TLV's total size, or an error naming what is wrong with the header.
Result<qint64> derObjectSize(const QByteArray &data, qint64 offset)
{
    const unsigned char *start = bytes(data) + offset;
    const unsigned char *cursor = start;
    long contentLength = 0;
    int tag = 0, tagClass = 0;
    const long available = long(data.size() - offset);
    const int flags = ASN1_get_object(&cursor, &contentLength, &tag, &tagClass, available);
    clearOpenSslErrors();
    if (flags & 0x80) {
        if (cursor > start && contentLength > 0) // header read, content runs past the end
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("truncated DER: the object declares %1 bytes of content but only %2 remain")
                            .arg(contentLength)
                            .arg(available - (cursor - start)));
        return fail(Error::Code::InvalidInput, QStringLiteral("not DER: the ASN.1 header does not decode"));
    }
    if (flags == 0x21) // indefinite length (BER): let the d2i functions find the end
        return available;
    return qint64(cursor - start) + contentLength;
}

void Loader::loadPem(const QByteArray &data)
{
    // One more block than the limit, so reaching it is reported rather than silent.
    const QList<PemBlock> blocks = findPemBlocks(data, m_limits.maxObjects + 1);
    for (qsizetype number = 1; number <= blocks.size(); ++number) {
        const PemBlock &block = blocks.at(number - 1);
        QString what = QStringLiteral("PEM block %1").arg(number);
        if (full()) {
            reportLimit(what, block.offset);
            break;
        }
        if (!block.label.isEmpty())
            what += QStringLiteral(" (") + block.label + QLatin1Char(')');
        if (block.label == QLatin1String("EC PARAMETERS") || block.label == QLatin1String("DH PARAMETERS"))
            continue; // parameters travel with keys (`openssl ecparam -genkey`); nothing to show
        // Traditional key PEM with encryption headers: only OpenSSL's PEM reader decrypts it.
        if (block.hasHeaders && block.label.endsWith(QLatin1String(" PRIVATE KEY"))) {
            loadEncryptedTraditionalKey(block, what);
            continue;
        }
        if (!block.error.isEmpty() || block.hasHeaders) {
            addError(what, block.offset,
                     Error{Error::Code::InvalidInput,
                           block.error.isEmpty() ? QStringLiteral("unexpected PEM headers") : block.error,
                           {}});
            continue;
        }
        const QByteArray &der = block.der;
        if (block.label == QLatin1String("TRUSTED CERTIFICATE")) {
            const unsigned char *cursor = bytes(der);
            X509Ptr certificate(d2i_X509_AUX(nullptr, &cursor, long(der.size())));
            if (certificate)
                add(decodeCertificate(certificate.get()), QStringLiteral("PEM"), block.offset, what);
            else
                addError(what, block.offset,
                         openSslFailure(Error::Code::InvalidInput,
                                        QStringLiteral("the trusted certificate does not decode")));
            continue;
        }
        if (block.label == QLatin1String("RSA PUBLIC KEY")) {
            const unsigned char *cursor = bytes(der);
            EvpPkeyPtr key(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, long(der.size())));
            if (key)
                add(Result<PublicKey>(PublicKey{decodePublicKey(key.get())}), QStringLiteral("PEM"), block.offset,
                    what);
            else
                addError(
                    what, block.offset,
                    openSslFailure(Error::Code::InvalidInput, QStringLiteral("the RSA public key does not decode")));
            continue;
        }
        if (block.label == QLatin1String("CMS")) {
            loadCms(der, QStringLiteral("CMS"), block.offset, what);
            continue;
        }
        const auto size = derObjectSize(der, 0);
        if (!size) {
            addError(what, block.offset, size.error());
            continue;
        }
        loadDer(der, QStringLiteral("PEM"), block.offset, what);
    }
}

void Loader::loadEncryptedTraditionalKey(const PemBlock &block, const QString &what)
{
    ensureProvidersLoaded();
    EvpPkeyPtr key;
    const auto error =
        withPassword(QStringLiteral("the encrypted ") + block.label.toLower(), [&](const QByteArray &password) {
            BioPtr bio(BIO_new_mem_buf(block.text.constData(), int(block.text.size())));
            auto callback = [](char *buffer, int size, int, void *user) -> int {
                const auto *secret = static_cast<const QByteArray *>(user);
                const int length = int(qMin<qsizetype>(size, secret->size()));
                memcpy(buffer, secret->constData(), size_t(length));
                return length;
            };
            key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, callback, const_cast<QByteArray *>(&password)));
            return key != nullptr;
        });
    if (error)
        addError(what, block.offset, *error);
    else
        loadPrivateKey(key.get(),
                       QStringLiteral("traditional ") + block.label.section(QLatin1Char(' '), 0, 0) +
                           QStringLiteral(" (encrypted)"),
                       true, QStringLiteral("PEM"), block.offset, what);
}

bool looksLikeBase64(const QByteArray &data)
{
    int significant = 0;
    for (const char c : data) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='))
            return false;
        ++significant;
    }
    return significant >= 16;
}

} // namespace

Result<Document> loadDocument(const QByteArray &data, const QString &fileName, PasswordProvider *passwords,
                              const LoadLimits &limits)
{
    if (data.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 is empty").arg(fileName));
    if (data.size() > limits.maxFileBytes)
        return fail(Error::Code::LimitExceeded, QStringLiteral("%1 is %2 MiB; the limit is %3 MiB")
                                                    .arg(fileName)
                                                    .arg(double(data.size()) / 1048576.0, 0, 'f', 1)
                                                    .arg(limits.maxFileBytes / 1048576));
    ERR_clear_error();
    Loader loader(fileName, passwords, limits);
    if (data.contains("-----BEGIN ")) {
        loader.loadPem(data);
    } else if (quint8(data.front()) == 0x30) {
        // One or more concatenated DER objects.
        for (qint64 offset = 0; offset < data.size();) {
            if (loader.full()) {
                loader.reportLimit(QStringLiteral("DER object"), offset);
                break;
            }
            if (offset > 0 && quint8(data.at(offset)) != 0x30) {
                loader.addError(
                    QStringLiteral("data after the DER object"), offset,
                    Error{Error::Code::InvalidInput,
                          QStringLiteral("%1 trailing bytes that are not another DER object").arg(data.size() - offset),
                          {}});
                break;
            }
            const auto size = derObjectSize(data, offset);
            if (!size) {
                loader.addError(offset == 0 ? QStringLiteral("DER object")
                                            : QStringLiteral("data after the DER object"),
                                offset, size.error());
                break;
            }
            loader.loadDer(data.mid(offset, *size), QStringLiteral("DER"), offset, QStringLiteral("DER object"));
            offset += *size;
        }
    } else if (looksLikeBase64(data)) {
        const std::optional<QByteArray> der = decodeBase64Body(data);
        if (!der || quint8(der->front()) != 0x30)
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("%1 looks like base64 but does not decode to DER").arg(fileName));
        loader.loadDer(*der, QStringLiteral("base64"), 0, QStringLiteral("base64 object"));
    } else {
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("%1 is not a PKI file: no PEM block, not DER, not base64").arg(fileName),
                    QStringLiteral("first bytes: ") + QString::fromLatin1(data.left(8).toHex(' ')));
    }
    return loader.take();
}

Result<Document> loadDocumentFile(const QString &path, PasswordProvider *passwords, const LoadLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io, QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    if (file.size() > limits.maxFileBytes)
        return fail(Error::Code::LimitExceeded, QStringLiteral("%1 is %2 MiB; the limit is %3 MiB")
                                                    .arg(path)
                                                    .arg(double(file.size()) / 1048576.0, 0, 'f', 1)
                                                    .arg(limits.maxFileBytes / 1048576));
    return loadDocument(file.readAll(), path, passwords, limits);
}

Result<QList<Certificate>> loadCertificatesFile(const QString &path)
{
    const auto document = loadDocumentFile(path);
    if (!document)
        return std::unexpected(document.error());
    if (!document->errors.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("%1: %2").arg(path, document->errors.first().toString()));
    QList<Certificate> certificates;
    for (const PkiObject &object : document->objects)
        if (const auto *certificate = object.as<Certificate>())
            certificates.append(*certificate);
    if (certificates.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 holds no certificate").arg(path));
    return certificates;
}

} // namespace trustscope::core
