#pragma once

#include <QString>

namespace trustscope::core::tls {

struct TlsAlertInfo {
    int code;
    const char *rfcName;    // RFC 8446 name: handshake_failure
    const char *errSslName; // errSSLPeerHandshakeFail
    int errSslValue;        // -9824
    bool likely;            // Apple's sources do not confirm the mapping
};

[[nodiscard]] const TlsAlertInfo *tlsAlert(int code); // nullptr for unknown codes
[[nodiscard]] QString tlsAlertName(int code);

} // namespace trustscope::core::tls
