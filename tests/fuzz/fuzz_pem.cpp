// The PEM scanner: armour anywhere in any text, headers, broken base64.
#include "x509/Pem.h"

#include <QByteArray>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace trustscope::core;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const PemBlock &block : findPemBlocks(text, 1000))
        (void)toPem(block.der, block.label);
    return 0;
}
