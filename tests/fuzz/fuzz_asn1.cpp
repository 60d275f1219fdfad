// The ASN.1 walker and the dump: DER and BER, indefinite lengths, encapsulated DER, bad encodings.
#include "asn1/Asn1Tree.h"
#include "asn1/Dump.h"

#include <QByteArray>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace trustscope::core::asn1;
    const auto tree = Tree::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (tree) {
        DumpOptions options;
        options.maxBytes = 1 << 20;
        (void)dumpText(*tree, options);
        (void)dumpJson(*tree, options);
    }
    return 0;
}
