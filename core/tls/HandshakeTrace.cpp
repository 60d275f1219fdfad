#include "tls/HandshakeTrace.h"

#include "tls/TlsAlerts.h"

#include <optional>

namespace trustscope::core::tls {

namespace {

// A bounds-checked cursor over a message: every read past the end fails instead of reading on.
class Reader {
public:
    Reader(const unsigned char *data, size_t length)
        : m_data(data)
        , m_length(length)
    {}
    [[nodiscard]] bool atEnd() const { return m_offset >= m_length; }
    [[nodiscard]] size_t remaining() const { return m_length - m_offset; }
    std::optional<quint32> number(int bytes)
    {
        if (remaining() < size_t(bytes))
            return std::nullopt;
        quint32 value = 0;
        for (int index = 0; index < bytes; ++index)
            value = (value << 8) | m_data[m_offset++];
        return value;
    }
    // A length-prefixed block as its own reader.
    std::optional<Reader> block(int lengthBytes)
    {
        const auto length = number(lengthBytes);
        if (!length || remaining() < *length)
            return std::nullopt;
        Reader inner(m_data + m_offset, *length);
        m_offset += *length;
        return inner;
    }
    bool skip(size_t bytes)
    {
        if (remaining() < bytes)
            return false;
        m_offset += bytes;
        return true;
    }
    [[nodiscard]] const unsigned char *current() const { return m_data + m_offset; }

private:
    const unsigned char *m_data;
    size_t m_length;
    size_t m_offset = 0;
};

QString versionName(quint32 version)
{
    switch (version) {
    case 0x0304:
        return QStringLiteral("TLSv1.3");
    case 0x0303:
        return QStringLiteral("TLSv1.2");
    case 0x0302:
        return QStringLiteral("TLSv1.1");
    case 0x0301:
        return QStringLiteral("TLSv1");
    case 0x0300:
        return QStringLiteral("SSLv3");
    default:
        if ((version & 0x0f0f) == 0x0a0a)
            return QStringLiteral("GREASE");
        return QStringLiteral("0x%1").arg(version, 4, 16, QLatin1Char('0'));
    }
}

QString groupName(const SSL *ssl, quint32 id)
{
    if ((id & 0x0f0f) == 0x0a0a)
        return QStringLiteral("GREASE");
    // IANA TLS Supported Groups: OpenSSL names only the groups its SSL object is configured with.
    static const std::pair<quint32, const char *> known[] = {
        {0x0017, "secp256r1"},
        {0x0018, "secp384r1"},
        {0x0019, "secp521r1"},
        {0x001a, "brainpoolP256r1"},
        {0x001b, "brainpoolP384r1"},
        {0x001c, "brainpoolP512r1"},
        {0x001d, "x25519"},
        {0x001e, "x448"},
        {0x001f, "brainpoolP256r1tls13"},
        {0x0020, "brainpoolP384r1tls13"},
        {0x0021, "brainpoolP512r1tls13"},
        {0x0100, "ffdhe2048"},
        {0x0101, "ffdhe3072"},
        {0x0102, "ffdhe4096"},
        {0x0103, "ffdhe6144"},
        {0x0104, "ffdhe8192"},
        {0x0200, "MLKEM512"},
        {0x0201, "MLKEM768"},
        {0x0202, "MLKEM1024"},
        {0x11eb, "SecP256r1MLKEM768"},
        {0x11ec, "X25519MLKEM768"},
        {0x11ed, "SecP384r1MLKEM1024"},
        {0x6399, "X25519Kyber768Draft00"},
    };
    for (const auto &[value, name] : known)
        if (value == id)
            return QString::fromLatin1(name);
    if (const char *name = SSL_group_to_name(const_cast<SSL *>(ssl), int(id)))
        return QString::fromLatin1(name);
    return QStringLiteral("0x%1").arg(id, 4, 16, QLatin1Char('0'));
}

QString cipherName(const SSL *ssl, const unsigned char *twoBytes)
{
    if (const SSL_CIPHER *cipher = SSL_CIPHER_find(const_cast<SSL *>(ssl), twoBytes))
        return QString::fromLatin1(SSL_CIPHER_standard_name(cipher));
    return QStringLiteral("0x%1%2").arg(twoBytes[0], 2, 16, QLatin1Char('0')).arg(twoBytes[1], 2, 16, QLatin1Char('0'));
}

QString handshakeName(quint32 type)
{
    switch (type) {
    case 0:
        return QStringLiteral("HelloRequest");
    case 1:
        return QStringLiteral("ClientHello");
    case 2:
        return QStringLiteral("ServerHello");
    case 4:
        return QStringLiteral("NewSessionTicket");
    case 5:
        return QStringLiteral("EndOfEarlyData");
    case 8:
        return QStringLiteral("EncryptedExtensions");
    case 11:
        return QStringLiteral("Certificate");
    case 12:
        return QStringLiteral("ServerKeyExchange");
    case 13:
        return QStringLiteral("CertificateRequest");
    case 14:
        return QStringLiteral("ServerHelloDone");
    case 15:
        return QStringLiteral("CertificateVerify");
    case 16:
        return QStringLiteral("ClientKeyExchange");
    case 20:
        return QStringLiteral("Finished");
    case 22:
        return QStringLiteral("CertificateStatus");
    case 24:
        return QStringLiteral("KeyUpdate");
    case 254:
        return QStringLiteral("MessageHash");
    default:
        return QStringLiteral("handshake type %1").arg(type);
    }
}

// Extensions of a hello, EncryptedExtensions or a TLS 1.3 CertificateRequest.
void decodeExtensions(Reader extensions, bool fromClient, const SSL *ssl, QStringList &facts)
{
    while (!extensions.atEnd()) {
        const auto type = extensions.number(2);
        auto body = extensions.block(2);
        if (!type || !body)
            return;
        switch (*type) {
        case 0: { // server_name
            if (!fromClient) {
                facts.append(QStringLiteral("SNI acknowledged"));
                break;
            }
            auto list = body->block(2);
            while (list && !list->atEnd()) {
                const auto nameType = list->number(1);
                auto name = list->block(2);
                if (!nameType || !name)
                    break;
                if (*nameType == 0)
                    facts.append(QStringLiteral("SNI %1").arg(QString::fromLatin1(
                        reinterpret_cast<const char *>(name->current()), qsizetype(name->remaining()))));
            }
            break;
        }
        case 16: { // ALPN
            auto list = body->block(2);
            QStringList protocols;
            while (list && !list->atEnd()) {
                auto name = list->block(1);
                if (!name)
                    break;
                protocols.append(
                    QString::fromLatin1(reinterpret_cast<const char *>(name->current()), qsizetype(name->remaining())));
            }
            facts.append((fromClient ? QStringLiteral("ALPN offers ") : QStringLiteral("ALPN selects ")) +
                         protocols.join(QStringLiteral(", ")));
            break;
        }
        case 43: { // supported_versions
            QStringList versions;
            if (fromClient) {
                auto list = body->block(1);
                while (list && !list->atEnd())
                    if (const auto version = list->number(2))
                        versions.append(versionName(*version));
                versions.removeAll(QStringLiteral("GREASE"));
                facts.append(QStringLiteral("offers %1").arg(versions.join(QStringLiteral(", "))));
            } else if (const auto version = body->number(2)) {
                facts.append(QStringLiteral("version %1").arg(versionName(*version)));
            }
            break;
        }
        case 10: { // supported_groups
            auto list = body->block(2);
            QStringList groups;
            while (list && !list->atEnd())
                if (const auto group = list->number(2))
                    groups.append(groupName(ssl, *group));
            groups.removeAll(QStringLiteral("GREASE"));
            facts.append(QStringLiteral("groups %1").arg(groups.join(QStringLiteral(", "))));
            break;
        }
        case 51: { // key_share
            if (fromClient) {
                auto list = body->block(2);
                QStringList groups;
                while (list && !list->atEnd()) {
                    const auto group = list->number(2);
                    if (!group || !list->block(2))
                        break;
                    groups.append(groupName(ssl, *group));
                }
                facts.append(QStringLiteral("key shares %1").arg(groups.join(QStringLiteral(", "))));
            } else if (const auto group = body->number(2)) {
                facts.append(QStringLiteral("key share %1").arg(groupName(ssl, *group)));
            }
            break;
        }
        case 5: // status_request
            facts.append(fromClient ? QStringLiteral("asks for an OCSP staple") : QStringLiteral("staples OCSP"));
            break;
        case 18: // signed_certificate_timestamp
            if (!fromClient)
                facts.append(QStringLiteral("sends SCTs"));
            break;
        case 47: { // certificate_authorities (TLS 1.3 CertificateRequest)
            auto list = body->block(2);
            int count = 0;
            while (list && !list->atEnd() && list->block(2))
                ++count;
            facts.append(QStringLiteral("%1 acceptable CA name(s)").arg(count));
            break;
        }
        default:
            break;
        }
    }
}

void decodeHandshake(quint32 type, Reader body, const SSL *ssl, bool tls13, TraceEvent &event)
{
    QStringList &facts = event.facts;
    switch (type) {
    case 1: { // ClientHello
        const auto legacyVersion = body.number(2);
        if (!legacyVersion || !body.skip(32) || !body.block(1))
            return;
        auto suites = body.block(2);
        if (!suites || !body.block(1))
            return;
        facts.append(QStringLiteral("%1 cipher suites").arg(suites->remaining() / 2));
        if (auto extensions = body.block(2))
            decodeExtensions(*extensions, true, ssl, facts);
        if (!std::any_of(facts.cbegin(), facts.cend(),
                         [](const QString &fact) { return fact.startsWith(QLatin1String("offers")); }))
            facts.prepend(QStringLiteral("offers up to %1").arg(versionName(*legacyVersion)));
        break;
    }
    case 2: { // ServerHello (or HelloRetryRequest, told apart by its fixed random)
        static constexpr unsigned char helloRetryRandom[32] = {
            0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
            0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
        const auto legacyVersion = body.number(2);
        if (!legacyVersion || body.remaining() < 32)
            return;
        if (std::equal(body.current(), body.current() + 32, helloRetryRandom))
            event.message = QStringLiteral("HelloRetryRequest");
        body.skip(32);
        if (!body.block(1) || body.remaining() < 3)
            return;
        facts.append(QStringLiteral("cipher %1").arg(cipherName(ssl, body.current())));
        body.skip(3);
        QStringList extensionFacts;
        if (auto extensions = body.block(2))
            decodeExtensions(*extensions, false, ssl, extensionFacts);
        if (!std::any_of(extensionFacts.cbegin(), extensionFacts.cend(),
                         [](const QString &fact) { return fact.startsWith(QLatin1String("version")); }))
            facts.prepend(QStringLiteral("version %1").arg(versionName(*legacyVersion)));
        facts += extensionFacts;
        break;
    }
    case 8: // EncryptedExtensions
        if (auto extensions = body.block(2))
            decodeExtensions(*extensions, false, ssl, facts);
        break;
    case 11: { // Certificate
        if (tls13 && !body.block(1))
            return;
        auto list = body.block(3);
        int count = 0;
        while (list && !list->atEnd()) {
            if (!list->block(3) || (tls13 && !list->block(2)))
                break;
            ++count;
        }
        facts.append(count == 0 ? QStringLiteral("no certificates") : QStringLiteral("%1 certificate(s)").arg(count));
        break;
    }
    case 13: { // CertificateRequest
        facts.append(QStringLiteral("the server asks for a client certificate"));
        if (tls13) {
            if (!body.block(1))
                return;
            if (auto extensions = body.block(2))
                decodeExtensions(*extensions, false, ssl, facts);
        } else {
            if (!body.block(1))
                return;
            if (SSL_version(ssl) >= TLS1_2_VERSION && !body.block(2))
                return;
            auto names = body.block(2);
            int count = 0;
            while (names && !names->atEnd() && names->block(2))
                ++count;
            facts.append(QStringLiteral("%1 acceptable CA name(s)").arg(count));
        }
        break;
    }
    case 12: // ServerKeyExchange: the curve, for ECDHE
        if (const auto curveType = body.number(1); curveType && *curveType == 3)
            if (const auto group = body.number(2))
                facts.append(QStringLiteral("key exchange %1").arg(groupName(ssl, *group)));
        break;
    case 22: // CertificateStatus
        facts.append(QStringLiteral("an OCSP staple"));
        break;
    default:
        break;
    }
}

} // namespace

std::optional<TraceEvent> decodeTraceMessage(bool sent, int contentType, const unsigned char *data, size_t length,
                                             const SSL *ssl, bool tls13)
{
    TraceEvent event;
    event.direction = sent ? QStringLiteral("sent") : QStringLiteral("received");
    event.length = int(length);
    switch (contentType) {
    case SSL3_RT_HANDSHAKE: {
        Reader reader(data, length);
        const auto type = reader.number(1);
        auto body = reader.block(3);
        if (!type)
            return std::nullopt;
        event.record = QStringLiteral("handshake");
        event.message = handshakeName(*type);
        if (body)
            decodeHandshake(*type, *body, ssl, tls13, event);
        else
            event.facts.append(QStringLiteral("truncated"));
        return event;
    }
    case SSL3_RT_ALERT: {
        event.record = QStringLiteral("alert");
        if (length < 2) {
            event.message = QStringLiteral("alert");
            event.facts.append(QStringLiteral("truncated"));
            return event;
        }
        event.message = tlsAlertName(data[1]);
        event.facts.append(data[0] == 2 ? QStringLiteral("fatal") : QStringLiteral("warning"));
        event.facts.append(QStringLiteral("code %1").arg(data[1]));
        if (const TlsAlertInfo *info = tlsAlert(data[1]))
            event.facts.append(
                QStringLiteral("Apple: %1 (%2)").arg(QString::fromLatin1(info->errSslName)).arg(info->errSslValue));
        return event;
    }
    case SSL3_RT_CHANGE_CIPHER_SPEC:
        event.record = QStringLiteral("change_cipher_spec");
        event.message = QStringLiteral("ChangeCipherSpec");
        return event;
    default: // record headers, inner content types, application data
        return std::nullopt;
    }
}

QString traceText(const QList<TraceEvent> &trace)
{
    QString text;
    for (const TraceEvent &event : trace)
        text +=
            QStringLiteral("%1 ms  %2  %3 (%4 bytes)%5\n")
                .arg(event.atMs, 8, 'f', 1)
                .arg(event.direction == QLatin1String("sent") ? QStringLiteral("→") : QStringLiteral("←"),
                     event.message)
                .arg(event.length)
                .arg(event.facts.isEmpty() ? QString() : QStringLiteral(": ") + event.facts.join(QStringLiteral("; ")));
    return text;
}

} // namespace trustscope::core::tls
