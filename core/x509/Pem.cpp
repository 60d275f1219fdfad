#include "x509/Pem.h"

namespace trustscope::core {

QByteArray toPem(const QByteArray &der, const QString &label)
{
    const QByteArray base64 = der.toBase64();
    QByteArray pem = "-----BEGIN " + label.toLatin1() + "-----\n";
    pem.reserve(pem.size() * 2 + base64.size() + base64.size() / 64 + 2);
    for (qsizetype offset = 0; offset < base64.size(); offset += 64)
        pem += base64.mid(offset, 64) + '\n';
    pem += "-----END " + label.toLatin1() + "-----\n";
    return pem;
}

} // namespace trustscope::core
