#pragma once

// Apple's codes, as data (generated from the shared reference; see generate-tables.py).

#include <span>

namespace trustscope::core::apple {

struct CodeInfo {
    const char *name; // errSSLXCertChainInvalid, NSURLErrorServerCertificateUntrusted …
    int value;
    const char *meaning;
};

struct SubtypeInfo {
    const char *checkKey; // SSLHostname
    const char *subtype;  // Name, Trust, Expired … (SecTrustInternal.h)
};

[[nodiscard]] const std::span<const CodeInfo> errSslCodes();
[[nodiscard]] const std::span<const CodeInfo> nsurlCodes();
[[nodiscard]] const std::span<const SubtypeInfo> checkSubtypes();
[[nodiscard]] const std::span<const char *const> subtypePriority(); // highest first

} // namespace trustscope::core::apple
