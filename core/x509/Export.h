#pragma once

#include "Error.h"
#include "x509/Document.h"

#include <QByteArray>
#include <QString>

namespace trustscope::core {

// What File → Export writes. The format follows the file name, as in every certificate tool:
// .der/.cer DER, .p7b/.p7c a certs-only PKCS#7 bundle, anything else PEM.
enum class ExportFormat { Pem, Der, Pkcs7 };

[[nodiscard]] ExportFormat exportFormatForPath(const QString &path);

// One object as PEM (with its type's label) or DER; PKCS#7 takes a whole document.
[[nodiscard]] Result<QByteArray> exportObject(const PkiObject &object, ExportFormat format);
// The document's certificates in the order they were sent or stored: a PEM chain or PKCS#7.
[[nodiscard]] Result<QByteArray> exportCertificates(const Document &document, ExportFormat format);

// Writes `bytes` to `path` through a temporary file renamed into place: the old file stays
// whole until the new one is complete. The error names the file and what the system said.
[[nodiscard]] Result<void> writeFileAtomically(const QString &path, const QByteArray &bytes);

} // namespace trustscope::core
