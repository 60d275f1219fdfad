// Certificate Transparency inputs: SCT lists as a TLS extension delivers them (first byte 'S') and
// CT log lists in Apple's or Chrome's JSON schema (any other first byte).
#include "ct/Ct.h"
#include "gen/Generator.h"

#include <QByteArray>
#include <QDateTime>

namespace {

// A leaf to judge the SCTs against, made once.
X509 *leaf()
{
    static trustscope::ossl::X509Ptr certificate = [] {
        using namespace trustscope::core::gen;
        auto key = generateKey(QStringLiteral("p256"));
        if (!key)
            return trustscope::ossl::X509Ptr();
        CertificateSpec spec;
        spec.role = Role::SelfSignedLeaf;
        spec.commonName = QStringLiteral("fuzz.test");
        auto issued = issueCertificate(spec, key->get());
        return issued ? std::move(*issued) : trustscope::ossl::X509Ptr();
    }();
    return certificate.get();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace trustscope::core;
    if (size == 0)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    if (data[0] == 'S') {
        if (const auto scts = ct::splitSctList(input)) {
            QList<ct::DeliveredSct> delivered;
            for (const QByteArray &sct : *scts)
                delivered.append({QStringLiteral("tls-extension"), sct});
            const ct::Report report = ct::evaluate(leaf(), nullptr, delivered, QDateTime::currentDateTimeUtc(), true);
            (void)ct::toJson(report); // nothing to check: decoding must not crash, whatever the bytes
        }
    } else if (const auto list = ct::parseLogList(input, QStringLiteral("fuzz.json"), QStringLiteral("fuzz"))) {
        for (const ct::Log &log : list->logs)
            (void)log.stateAt(QDateTime::currentDateTimeUtc());
    }
    return 0;
}
