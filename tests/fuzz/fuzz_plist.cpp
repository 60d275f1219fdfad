// Importing trust exceptions: XML and binary property lists, ours and Apple's layout.
#include "trust/Exceptions.h"

#include <QByteArray>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace trustscope::core::trust;
    const auto exceptions = importExceptions(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (exceptions)
        (void)exportExceptions(*exceptions, PlistFormat::Xml);
    return 0;
}
