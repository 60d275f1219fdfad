#include "tls/TlsAlerts.h"

// Generated from shared/reference/apple/codes.json (tls_alert_to_errSSL.received_alert_mapping):
// the alert a peer sends, and the errSSL OSStatus Secure Transport / coreTLS reports for it.
// Alerts Apple's sources do not map are reported as errSSLFatalAlert and marked "likely".

namespace trustscope::core::tls {

namespace {
constexpr TlsAlertInfo kAlerts[] = {
    {0, "close_notify", "errSSLClosedGraceful", -9805, false},
    {10, "unexpected_message", "errSSLPeerUnexpectedMsg", -9819, false},
    {20, "bad_record_mac", "errSSLPeerBadRecordMac", -9820, false},
    {21, "decryption_failed_RESERVED", "errSSLPeerDecryptionFail", -9821, false},
    {22, "record_overflow", "errSSLPeerRecordOverflow", -9822, false},
    {30, "decompression_failure", "errSSLPeerDecompressFail", -9823, false},
    {40, "handshake_failure", "errSSLPeerHandshakeFail", -9824, false},
    {41, "no_certificate_RESERVED", "errSSLFatalAlert", -9802, true},
    {42, "bad_certificate", "errSSLPeerBadCert", -9825, false},
    {43, "unsupported_certificate", "errSSLPeerUnsupportedCert", -9826, false},
    {44, "certificate_revoked", "errSSLPeerCertRevoked", -9827, false},
    {45, "certificate_expired", "errSSLPeerCertExpired", -9828, false},
    {46, "certificate_unknown", "errSSLPeerCertUnknown", -9829, false},
    {47, "illegal_parameter", "errSSLIllegalParam", -9830, false},
    {48, "unknown_ca", "errSSLPeerUnknownCA", -9831, false},
    {49, "access_denied", "errSSLPeerAccessDenied", -9832, false},
    {50, "decode_error", "errSSLPeerDecodeError", -9833, false},
    {51, "decrypt_error", "errSSLPeerDecryptError", -9834, false},
    {60, "export_restriction_RESERVED", "errSSLPeerExportRestriction", -9835, false},
    {70, "protocol_version", "errSSLPeerProtocolVersion", -9836, false},
    {71, "insufficient_security", "errSSLPeerInsufficientSecurity", -9837, false},
    {80, "internal_error", "errSSLPeerInternalError", -9838, false},
    {86, "inappropriate_fallback", "errSSLFatalAlert", -9802, false},
    {90, "user_canceled", "errSSLPeerUserCancelled", -9839, false},
    {100, "no_renegotiation", "errSSLPeerNoRenegotiation", -9840, false},
    {109, "missing_extension", "errSSLFatalAlert", -9802, true},
    {110, "unsupported_extension", "errSSLFatalAlert", -9802, false},
    {112, "unrecognized_name", "errSSLFatalAlert", -9802, true},
    {113, "bad_certificate_status_response", "errSSLFatalAlert", -9802, true},
    {115, "unknown_psk_identity", "errSSLFatalAlert", -9802, true},
    {116, "certificate_required", "errSSLFatalAlert", -9802, true},
    {120, "no_application_protocol", "errSSLFatalAlert", -9802, true},
};
} // namespace

const TlsAlertInfo *tlsAlert(int code)
{
    for (const TlsAlertInfo &alert : kAlerts)
        if (alert.code == code)
            return &alert;
    return nullptr;
}

QString tlsAlertName(int code)
{
    const TlsAlertInfo *alert = tlsAlert(code);
    return alert ? QString::fromLatin1(alert->rfcName) : QStringLiteral("alert_%1").arg(code);
}

} // namespace trustscope::core::tls
