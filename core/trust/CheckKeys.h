#pragma once

#include <QString>

namespace trustscope::core::trust {

struct CheckKeyInfo {
    const char *key;  // SSLHostname, TemporalValidity, …
    bool recoverable; // a trust exception may cover it
    const char *osStatusName;
    int osStatus;
    const char *description; // Apple's one-line description
};

[[nodiscard]] const CheckKeyInfo *checkKey(QStringView key); // nullptr for our own keys

} // namespace trustscope::core::trust
