#pragma once

// Test fixtures made by the real `openssl` command in a temporary folder.

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace trustscope::test {

class Pki {
public:
    Pki();
    [[nodiscard]] bool isValid() const { return m_dir.isValid(); }
    [[nodiscard]] QString path(const QString &name) const { return m_dir.filePath(name); }
    [[nodiscard]] QByteArray read(const QString &name) const;
    bool write(const QString &name, const QByteArray &data) const;

    // Runs `openssl ARGS` in the folder; on failure prints stderr and returns false.
    bool openssl(const QStringList &arguments, QByteArray *output = nullptr, const QByteArray &input = {}) const;

    // A key and certificate NAME.key / NAME.pem. `issuer` empty means self-signed. Each entry of
    // `extensions` is one line of an OpenSSL extension section ("basicConstraints=critical,CA:true").
    bool issue(const QString &name, const QString &subject, const QStringList &extensions, const QString &issuer = {},
               const QString &keyAlgorithm = QStringLiteral("ec"), const QStringList &extraArguments = {}) const;
    // NAME.pem's serial number as `openssl x509 -serial` prints it (hex), empty on failure.
    [[nodiscard]] QString serialOf(const QString &name) const;
    // A CRL of `ca` (CA.pem, CA.key) from an `openssl ca` index (one line per revoked certificate):
    // OUT.pem and DER in OUT. `extensions` become its crl_extensions section.
    bool makeCrl(const QString &ca, const QString &index, const QString &out, const QString &extensions = {},
                 const QStringList &extra = {}) const;
    // Root CA, intermediate CA and a TLS server leaf for `host`: root.pem, intermediate.pem, leaf.pem.
    bool makeChain(const QString &host = QStringLiteral("server.test")) const;

private:
    QTemporaryDir m_dir;
};

} // namespace trustscope::test
