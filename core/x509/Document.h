#pragma once

#include "Error.h"
#include "x509/PkiObject.h"

#include <QList>
#include <QString>

#include <optional>

namespace trustscope::core {

// How the core asks for a password without knowing who answers (a dialog, a file, a test).
// Called from the loading thread; implementations that show UI must marshal to the GUI thread.
class PasswordProvider {
public:
    virtual ~PasswordProvider() = default;
    // attempt counts from 0; a wrong password asks again with attempt + 1. nullopt gives up.
    [[nodiscard]] virtual std::optional<QByteArray> password(const QString &fileName, const QString &object,
                                                             int attempt) = 0;
};

// Answers with one fixed password once (the CLI's --password-file).
class FixedPasswordProvider final : public PasswordProvider {
public:
    explicit FixedPasswordProvider(QByteArray password)
        : m_password(std::move(password))
    {}
    std::optional<QByteArray> password(const QString &, const QString &, int attempt) override
    {
        return attempt == 0 ? std::optional(m_password) : std::nullopt;
    }

private:
    QByteArray m_password;
};

struct ObjectError {
    QString object;     // "PEM block 3 (CERTIFICATE)", "PKCS#12", "DER object"
    qint64 offset = -1; // byte offset in the file, when known
    Error error;
    [[nodiscard]] QString toString() const;
};

struct Document {
    QString fileName;
    QList<PkiObject> objects;
    QList<ObjectError> errors; // objects that did not load; the others are still here
};

struct LoadLimits {
    qint64 maxFileBytes = 64 * 1024 * 1024; // bigger than any real PKI file, small enough for memory
    int maxObjects = 20000;                 // the largest CA bundles hold a few hundred
};

// Reads anything PKI-shaped, detected by content: PEM (any text around it, many blocks), DER,
// PKCS#7/CMS bundles, PKCS#12, CRLs, CSRs, keys, OCSP responses, base64 without armour.
// Fails only when the input as a whole is unusable (empty, too large, nothing recognisable);
// individual objects that fail are listed in Document::errors.
[[nodiscard]] Result<Document> loadDocument(const QByteArray &data, const QString &fileName,
                                            PasswordProvider *passwords = nullptr, const LoadLimits &limits = {});
[[nodiscard]] Result<Document> loadDocumentFile(const QString &path, PasswordProvider *passwords = nullptr,
                                                const LoadLimits &limits = {});

// The certificates in a file, in order; an error when it does not load, any object in it
// fails, or it holds no certificate (anchor and intermediate files given by the user).
[[nodiscard]] Result<QList<Certificate>> loadCertificatesFile(const QString &path);

// Whether the private key belongs to the certificate (same SubjectPublicKeyInfo).
[[nodiscard]] bool keyMatchesCertificate(const PrivateKey &key, const Certificate &certificate);

} // namespace trustscope::core
