#pragma once

#include <QByteArray>
#include <QString>

namespace trustscope::core {

// PEM armour with 64-column base64, as OpenSSL writes it.
[[nodiscard]] QByteArray toPem(const QByteArray &der, const QString &label);

} // namespace trustscope::core
