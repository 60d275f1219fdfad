// Format detection and import: any bytes, as if dropped on the window (PEM, DER, PKCS#7,
// PKCS#12 with a password, CRLs, CSRs, keys, OCSP responses, base64).
#include "x509/Document.h"

#include <QByteArray>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace trustscope::core;
    FixedPasswordProvider passwords("fuzz");
    LoadLimits limits;
    limits.maxObjects = 200; // keep one input from taking seconds
    const auto document = loadDocument(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)),
                                       QStringLiteral("fuzz"), &passwords, limits);
    if (document)
        for (const PkiObject &object : document->objects)
            (void)object.title();
    return 0;
}
