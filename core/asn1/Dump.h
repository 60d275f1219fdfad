#pragma once

#include "asn1/Asn1Tree.h"

#include <QJsonArray>

#include <functional>

namespace trustscope::core::asn1 {

struct DumpOptions {
    int maxDepth = -1;       // -1: everything
    qsizetype maxBytes = -1; // stop after the line that reaches this many bytes; -1: no limit
};

// dumpasn1-style text: "offset length: <indent>TYPE value", errors after "!!" on the line.
[[nodiscard]] QByteArray dumpText(const Tree &tree, const DumpOptions &options = {});
// The same, handed to `sink` in chunks of about 256 KB: a 200 000-entry CRL makes 80 MB of
// text, which is better streamed than held.
void dumpText(const Tree &tree, const DumpOptions &options, const std::function<void(const QByteArray &chunk)> &sink);
// [{offset, headerLength, length, class, tag, constructed, type, value, errors, children}]
[[nodiscard]] QJsonArray dumpJson(const Tree &tree, const DumpOptions &options = {});

} // namespace trustscope::core::asn1
