// The peer of `trustscope-cli limbo`: the x509-limbo cases run through OpenSSL's own verifier the
// way upstream's OpenSSL harness does (one X509_verify_cert per case, every trusted certificate an
// anchor, the pool untrusted, the case's time, name, depth, purpose and CRLs), single-threaded.
// Prints the time it took and its score, for the ratio in tests/bench/limbo.sh.
// Usage: bench_limbo_openssl limbo.json

#include "ossl/Ossl.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace trustscope;

namespace {

ossl::X509Ptr certificateOf(const QJsonValue &pem)
{
    const QByteArray text = pem.toString().toUtf8();
    ossl::BioPtr bio(BIO_new_mem_buf(text.constData(), int(text.size())));
    return ossl::X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

// SUCCESS, FAILURE, or SKIPPED when the case cannot be set up.
const char *runCase(const QJsonObject &testcase)
{
    ossl::X509StorePtr store(X509_STORE_new());
    ossl::StackOfX509Ptr untrusted(sk_X509_new_null());
    ossl::X509StoreCtxPtr context(X509_STORE_CTX_new());
    if (!store || !untrusted || !context)
        return "SKIPPED";
    for (const QJsonValue &pem : testcase[QStringLiteral("trusted_certs")].toArray()) {
        ossl::X509Ptr anchor = certificateOf(pem);
        if (!anchor || X509_STORE_add_cert(store.get(), anchor.get()) != 1)
            return "SKIPPED";
    }
    for (const QJsonValue &pem : testcase[QStringLiteral("untrusted_intermediates")].toArray()) {
        ossl::X509Ptr intermediate = certificateOf(pem);
        if (!intermediate || !ossl::pushWithReference(untrusted.get(), intermediate.get()))
            return "SKIPPED";
    }
    const QJsonArray crls = testcase[QStringLiteral("crls")].toArray();
    for (const QJsonValue &pem : crls) {
        const QByteArray text = pem.toString().toUtf8();
        ossl::BioPtr bio(BIO_new_mem_buf(text.constData(), int(text.size())));
        ossl::X509CrlPtr crl(bio ? PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr) : nullptr);
        if (!crl || X509_STORE_add_crl(store.get(), crl.get()) != 1)
            return "SKIPPED";
    }
    ossl::X509Ptr leaf = certificateOf(testcase[QStringLiteral("peer_certificate")]);
    if (!leaf)
        return "FAILURE";
    if (X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), untrusted.get()) != 1)
        return "SKIPPED";
    X509_VERIFY_PARAM *parameters = X509_STORE_CTX_get0_param(context.get());
    unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_X509_STRICT;
    if (!crls.isEmpty())
        flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
    if (X509_VERIFY_PARAM_set_flags(parameters, flags) != 1)
        return "SKIPPED";
    const QString time = testcase[QStringLiteral("validation_time")].toString();
    if (!time.isEmpty())
        X509_VERIFY_PARAM_set_time(parameters, QDateTime::fromString(time, Qt::ISODateWithMs).toSecsSinceEpoch());
    if (!testcase[QStringLiteral("max_chain_depth")].isNull())
        X509_VERIFY_PARAM_set_depth(parameters, testcase[QStringLiteral("max_chain_depth")].toInt());
    const bool server = testcase[QStringLiteral("validation_kind")].toString() == QLatin1String("SERVER");
    if (X509_STORE_CTX_set_purpose(context.get(), server ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SMIME_SIGN) != 1)
        return "SKIPPED";
    X509_VERIFY_PARAM_set_hostflags(parameters, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    const QJsonObject name = testcase[QStringLiteral("expected_peer_name")].toObject();
    const QByteArray value = name[QStringLiteral("value")].toString().toUtf8();
    if (name[QStringLiteral("kind")].toString() == QLatin1String("DNS") &&
        X509_VERIFY_PARAM_set1_host(parameters, value.constData(), size_t(value.size())) != 1)
        return "FAILURE";
    if (name[QStringLiteral("kind")].toString() == QLatin1String("IP") &&
        X509_VERIFY_PARAM_set1_ip_asc(parameters, value.constData()) != 1)
        return "FAILURE";
    return X509_verify_cert(context.get()) == 1 ? "SUCCESS" : "FAILURE";
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s limbo.json\n", argv[0]);
        return 2;
    }
    QElapsedTimer timer;
    timer.start();
    QFile file(QString::fromLocal8Bit(argv[1]));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    const QJsonArray cases = QJsonDocument::fromJson(file.readAll()).object()[QStringLiteral("testcases")].toArray();
    int passed = 0, failed = 0, skipped = 0;
    for (const QJsonValue &value : cases) {
        const QJsonObject testcase = value.toObject();
        const QString actual = QString::fromLatin1(runCase(testcase));
        if (actual == QLatin1String("SKIPPED"))
            ++skipped;
        else if (actual == testcase[QStringLiteral("expected_result")].toString())
            ++passed;
        else
            ++failed;
    }
    std::printf("openssl harness: %d passed, %d failed, %d skipped in %lld ms\n", passed, failed, skipped,
                static_cast<long long>(timer.elapsed()));
    return 0;
}
