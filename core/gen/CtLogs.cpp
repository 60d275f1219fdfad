// Test Certificate Transparency logs: a P-256 key and a log list in Apple's v5 schema, SCTs signed
// as RFC 6962 3.2 says (over the precertificate entry for embedded SCTs, over the certificate for
// TLS-delivered ones), and the serverinfo file that carries them in the TLS extension.

#include "ct/Ct.h"
#include "gen/Generator.h"
#include "ossl/OpenSslError.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/ct.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace trustscope::core::gen {

using namespace trustscope::ossl;

namespace {

void appendNumber(QByteArray &out, quint64 value, int bytes)
{
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        out.append(char((value >> shift) & 0xff));
}

QByteArray spkiOf(EVP_PKEY *key)
{
    unsigned char *der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    QByteArray spki = length > 0 ? QByteArray(reinterpret_cast<const char *>(der), length) : QByteArray();
    OPENSSL_free(der);
    return spki;
}

} // namespace

Result<QStringList> createCtLog(const CtLogSpec &spec)
{
    if (spec.name.isEmpty() || spec.operatorName.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("a test CT log needs --name and --operator"));
    static const QStringList states = {QStringLiteral("pending"), QStringLiteral("qualified"),
                                       QStringLiteral("usable"),  QStringLiteral("readonly"),
                                       QStringLiteral("retired"), QStringLiteral("rejected")};
    if (!states.contains(spec.state))
        return fail(
            Error::Code::InvalidInput,
            QStringLiteral("unknown log state \"%1\" (one of %2)").arg(spec.state, states.join(QStringLiteral(", "))));
    auto key = generateKey(QStringLiteral("p256"));
    if (!key)
        return std::unexpected(key.error());
    const QByteArray spki = spkiOf(key->get());
    if (spki.isEmpty())
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot encode the log's key")));
    auto keyPem = privateKeyPem(key->get());
    if (!keyPem)
        return std::unexpected(keyPem.error());
    const QDateTime since = spec.stateSince.isValid() ? spec.stateSince : QDateTime::currentDateTimeUtc().addDays(-1);
    QJsonObject log{
        {QStringLiteral("description"), spec.name},
        {QStringLiteral("log_id"), QString::fromLatin1(sha256Digest(spki).toBase64())},
        {QStringLiteral("key"), QString::fromLatin1(spki.toBase64())},
        {QStringLiteral("url"), QStringLiteral("https://ct.test/%1/").arg(spec.name)},
        {QStringLiteral("mmd"), 86400},
        {QStringLiteral("state"),
         QJsonObject{{spec.state, QJsonObject{{QStringLiteral("timestamp"), since.toUTC().toString(Qt::ISODate)}}}}}};
    if (spec.intervalStart.isValid() && spec.intervalEnd.isValid())
        log.insert(QStringLiteral("temporal_interval"),
                   QJsonObject{{QStringLiteral("start_inclusive"), spec.intervalStart.toUTC().toString(Qt::ISODate)},
                               {QStringLiteral("end_exclusive"), spec.intervalEnd.toUTC().toString(Qt::ISODate)}});
    const QJsonObject list{
        {QStringLiteral("version"), QStringLiteral("1")},
        {QStringLiteral("log_list_timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("operators"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), spec.operatorName},
                                {QStringLiteral("email"), QJsonArray{QStringLiteral("ct@example.test")}},
                                {QStringLiteral("logs"), QJsonArray{log}},
                                {QStringLiteral("tiled_logs"), QJsonArray{}}}}}};
    const QDir dir(spec.folder);
    if (!QDir().mkpath(spec.folder))
        return fail(Error::Code::Io, QStringLiteral("cannot create %1").arg(spec.folder));
    QStringList written;
    for (const auto &[name, bytes, secret] :
         {std::tuple{QStringLiteral("log.key"), *keyPem, true},
          std::tuple{QStringLiteral("log-list.json"), QJsonDocument(list).toJson(), false}}) {
        if (auto error = writeFile(dir.filePath(name), bytes, secret))
            return std::unexpected(*error);
        written.append(dir.filePath(name));
    }
    return written;
}

Result<CtLogKey> readCtLog(const QString &directory)
{
    CtLogKey log;
    log.directory = directory;
    auto key = readPrivateKeyFile(QDir(directory).filePath(QStringLiteral("log.key")));
    if (!key)
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("%1 is not a test CT log (gen ct-log): %2").arg(directory, key.error().message));
    log.key = std::move(*key);
    log.spki = spkiOf(log.key.get());
    log.id = sha256Digest(log.spki);
    if (log.spki.isEmpty() || log.id.isEmpty())
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot encode the log's key")));
    return log;
}

Result<QByteArray> signSct(const CtLogKey &log, qint64 timestampMs, const QByteArray &issuerKeyHash,
                           const QByteArray &entry)
{
    const bool precert = !issuerKeyHash.isEmpty();
    // digitally-signed struct of RFC 6962 3.2: version, signature_type, timestamp, entry_type, the entry, extensions.
    QByteArray signedData;
    appendNumber(signedData, 0, 1); // v1
    appendNumber(signedData, 0, 1); // certificate_timestamp
    appendNumber(signedData, quint64(timestampMs), 8);
    appendNumber(signedData, precert ? 1 : 0, 2); // precert_entry | x509_entry
    if (precert)
        signedData += issuerKeyHash;
    appendNumber(signedData, quint64(entry.size()), 3);
    signedData += entry;
    appendNumber(signedData, 0, 2); // no extensions
    EvpMdCtxPtr context(EVP_MD_CTX_new());
    size_t length = 0;
    if (!context ||
        EVP_DigestSignInit_ex(context.get(), nullptr, "SHA256", nullptr, nullptr, log.key.get(), nullptr) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(signedData.constData()),
                       size_t(signedData.size())) != 1)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot sign the SCT")));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(signedData.constData()), size_t(signedData.size())) != 1)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot sign the SCT")));
    signature.truncate(qsizetype(length));
    QByteArray sct;
    appendNumber(sct, 0, 1); // v1
    sct += log.id;
    appendNumber(sct, quint64(timestampMs), 8);
    appendNumber(sct, 0, 2); // extensions
    appendNumber(sct, 4, 1); // sha256
    appendNumber(sct, 3, 1); // ecdsa
    appendNumber(sct, quint64(signature.size()), 2);
    sct += signature;
    return sct;
}

std::optional<Error> embedScts(X509 *certificate, X509 *issuer, EVP_PKEY *issuerKey, const EVP_MD *digest,
                               const QStringList &logDirectories, const QDateTime &sctTime)
{
    // The precertificate: the certificate with the critical poison extension, signed by the issuer.
    Asn1OctetStringPtr null(ASN1_OCTET_STRING_new());
    static const unsigned char derNull[] = {0x05, 0x00};
    if (!null || ASN1_OCTET_STRING_set(null.get(), derNull, sizeof derNull) != 1)
        return openSslFailure(Error::Code::Internal, QStringLiteral("cannot make the poison extension"));
    X509ExtensionPtr poison(X509_EXTENSION_create_by_NID(nullptr, NID_ct_precert_poison, 1, null.get()));
    if (!poison || X509_add_ext(certificate, poison.get(), -1) != 1 || X509_sign(certificate, issuerKey, digest) <= 0)
        return openSslFailure(Error::Code::Internal, QStringLiteral("cannot sign the precertificate"));
    // The logs sign the precertificate's TBSCertificate without the poison, and the issuer's key hash.
    const int poisonAt = X509_get_ext_by_NID(certificate, NID_ct_precert_poison, -1);
    X509ExtensionPtr removed(poisonAt >= 0 ? X509_delete_ext(certificate, poisonAt) : nullptr);
    if (!removed)
        return openSslFailure(Error::Code::Internal, QStringLiteral("cannot remove the poison extension"));
    unsigned char *tbs = nullptr;
    const int tbsLength = i2d_re_X509_tbs(certificate, &tbs);
    const QByteArray tbsDer = tbsLength > 0 ? QByteArray(reinterpret_cast<const char *>(tbs), tbsLength) : QByteArray();
    OPENSSL_free(tbs);
    const QByteArray issuerKeyHash = sha256Digest(spkiOf(X509_get0_pubkey(issuer)));
    if (tbsDer.isEmpty() || issuerKeyHash.isEmpty())
        return openSslFailure(Error::Code::Internal, QStringLiteral("cannot encode the precertificate entry"));
    QList<QByteArray> scts;
    const qint64 timestamp = (sctTime.isValid() ? sctTime : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch();
    for (const QString &directory : logDirectories) {
        auto log = readCtLog(directory);
        if (!log)
            return log.error();
        auto sct = signSct(*log, timestamp, issuerKeyHash, tbsDer);
        if (!sct)
            return sct.error();
        scts.append(*sct);
    }
    const QByteArray list = ct::joinSctList(scts);
    const auto *cursor = reinterpret_cast<const unsigned char *>(list.constData());
    SctListPtr stack(o2i_SCT_LIST(nullptr, &cursor, size_t(list.size())));
    if (!stack || X509_add1_ext_i2d(certificate, NID_ct_precert_scts, stack.get(), 0, X509V3_ADD_APPEND) != 1)
        return openSslFailure(Error::Code::Internal, QStringLiteral("cannot add the SCT list extension"));
    return std::nullopt;
}

Result<QByteArray> serverInfoForScts(const QList<QByteArray> &scts)
{
    // SERVERINFOV2: a 4-byte context (ClientHello, TLS 1.2 ServerHello, TLS 1.3 Certificate), the
    // extension type (18, signed_certificate_timestamp), its length and the SCT list.
    const QByteArray list = ct::joinSctList(scts);
    QByteArray data;
    appendNumber(data, SSL_EXT_CLIENT_HELLO | SSL_EXT_TLS1_2_SERVER_HELLO | SSL_EXT_TLS1_3_CERTIFICATE, 4);
    appendNumber(data, 18, 2);
    appendNumber(data, quint64(list.size()), 2);
    data += list;
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio(bio.get(), "SERVERINFOV2 FOR signed_certificate_timestamp", "",
                              reinterpret_cast<const unsigned char *>(data.constData()), long(data.size())) <= 0)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot write the serverinfo")));
    char *text = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &text);
    return QByteArray(text, qsizetype(length));
}

Result<QByteArray> tlsSctsFor(X509 *certificate, const QStringList &logDirectories, const QDateTime &sctTime)
{
    unsigned char *der = nullptr;
    const int length = i2d_X509(certificate, &der);
    const QByteArray certificateDer =
        length > 0 ? QByteArray(reinterpret_cast<const char *>(der), length) : QByteArray();
    OPENSSL_free(der);
    if (certificateDer.isEmpty())
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot encode the certificate")));
    QList<QByteArray> scts;
    const qint64 timestamp = (sctTime.isValid() ? sctTime : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch();
    for (const QString &directory : logDirectories) {
        auto log = readCtLog(directory);
        if (!log)
            return std::unexpected(log.error());
        auto sct = signSct(*log, timestamp, {}, certificateDer);
        if (!sct)
            return std::unexpected(sct.error());
        scts.append(*sct);
    }
    return serverInfoForScts(scts);
}

} // namespace trustscope::core::gen
