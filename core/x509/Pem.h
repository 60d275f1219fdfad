#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace trustscope::core {

// PEM armour with 64-column base64, as OpenSSL writes it.
[[nodiscard]] QByteArray toPem(const QByteArray &der, const QString &label);

struct PemBlock {
    QString label;           // "CERTIFICATE"
    qint64 offset = 0;       // of "-----BEGIN"
    QByteArray text;         // the whole block, armour included (OpenSSL's PEM reader wants it)
    QByteArray body;         // base64, after any RFC 1421 headers
    bool hasHeaders = false; // Proc-Type / DEK-Info: a traditionally encrypted key
    QString error;           // set when the block is malformed; der is then empty
    QByteArray der;          // decoded body
};

// Every PEM block in `data`, in order, with whatever text around them.
[[nodiscard]] QList<PemBlock> findPemBlocks(const QByteArray &data, int maxBlocks = 1000000);

// Strict base64 (a broken body is reported, never half-decoded), line breaks ignored.
[[nodiscard]] std::optional<QByteArray> decodeBase64Body(const QByteArray &text);

} // namespace trustscope::core

namespace trustscope::core {

// A certs-only PKCS#7 (SignedData) bundle of DER certificates, in the order given.
[[nodiscard]] QByteArray toPkcs7Der(const QList<QByteArray> &certificatesDer);

} // namespace trustscope::core
