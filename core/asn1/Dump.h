#pragma once

#include "asn1/Asn1Tree.h"

#include <QJsonArray>

namespace trustscope::core::asn1 {

struct DumpOptions {
    int maxDepth = -1; // -1: everything
};

// dumpasn1-style text: "offset length: <indent>TYPE value", errors after "!!" on the line.
[[nodiscard]] QByteArray dumpText(const Tree &tree, const DumpOptions &options = {});
// [{offset, headerLength, length, class, tag, constructed, type, value, errors, children}]
[[nodiscard]] QJsonArray dumpJson(const Tree &tree, const DumpOptions &options = {});

} // namespace trustscope::core::asn1
