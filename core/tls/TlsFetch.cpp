#include "tls/TlsFetch.h"

#include "net/Proxy.h"
#include "net/Socket.h"
#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"
#include "tls/TlsAlerts.h"
#include "x509/Decode.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTimeZone>
#include <QUrl>

#include <openssl/ct.h>
#include <openssl/err.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace trustscope::core::tls {

using namespace trustscope::ossl;

namespace {

constexpr StartTlsName startTlsTable[] = {
    {"none", StartTls::None, 0},
    {"smtp", StartTls::Smtp, 25},
    {"submission", StartTls::Smtp, 587, true},
    {"imap", StartTls::Imap, 143},
    {"pop3", StartTls::Pop3, 110},
    {"ftp", StartTls::Ftp, 21},
    {"xmpp", StartTls::Xmpp, 5222},
    {"ldap", StartTls::Ldap, 389},
    {"postgres", StartTls::Postgres, 5432},
    {"postgresql", StartTls::Postgres, 5432, true},
    {"mysql", StartTls::Mysql, 3306},
};

// URL schemes that speak TLS from the first byte, beside the STARTTLS names above.
struct ImplicitTlsScheme {
    const char *scheme;
    quint16 port;
};
constexpr ImplicitTlsScheme implicitTlsSchemes[] = {
    {"https", 443}, {"smtps", 465}, {"imaps", 993}, {"pop3s", 995}, {"ldaps", 636},
};

} // namespace

std::span<const StartTlsName> startTlsNames()
{
    return startTlsTable;
}

QStringList startTlsChoices()
{
    QStringList names;
    for (const StartTlsName &entry : startTlsTable)
        if (!entry.alias)
            names.append(QString::fromLatin1(entry.name));
    return names;
}

std::optional<StartTls> startTlsFromName(const QString &name)
{
    for (const StartTlsName &entry : startTlsTable)
        if (name.compare(QLatin1StringView(entry.name), Qt::CaseInsensitive) == 0)
            return entry.protocol;
    return std::nullopt;
}

QString startTlsName(StartTls protocol)
{
    if (protocol == StartTls::None)
        return QString();
    for (const StartTlsName &entry : startTlsTable)
        if (entry.protocol == protocol && !entry.alias)
            return QString::fromLatin1(entry.name);
    return QString();
}

StartTls startTlsForPort(quint16 port)
{
    for (const StartTlsName &entry : startTlsTable)
        if (entry.port != 0 && entry.port == port)
            return entry.protocol;
    return StartTls::None;
}

std::optional<QString> parseTarget(const QString &text, FetchOptions &options)
{
    QString target = text.trimmed();
    if (target.isEmpty())
        return QStringLiteral("no host given");
    if (target.contains(QLatin1String("://"))) {
        const QUrl url(target);
        if (!url.isValid() || url.host().isEmpty())
            return QStringLiteral("'%1' is not a URL with a host").arg(target);
        const QString scheme = url.scheme().toLower();
        std::optional<QPair<int, StartTls>> known;
        for (const ImplicitTlsScheme &entry : implicitTlsSchemes)
            if (scheme == QLatin1StringView(entry.scheme))
                known = QPair<int, StartTls>(entry.port, StartTls::None);
        for (const StartTlsName &entry : startTlsTable)
            if (!known && entry.protocol != StartTls::None && scheme == QLatin1StringView(entry.name))
                known = QPair<int, StartTls>(entry.port, entry.protocol);
        if (!known)
            return QStringLiteral("unknown scheme '%1'").arg(url.scheme());
        options.host = url.host();
        options.port = quint16(url.port(known->first));
        if (!options.startTls)
            options.startTls = known->second;
        return std::nullopt;
    }
    QString host = target;
    int port = 443;
    if (target.startsWith(QLatin1Char('['))) { // [v6]:port
        const qsizetype close = target.indexOf(QLatin1Char(']'));
        if (close < 0)
            return QStringLiteral("missing ']' in '%1'").arg(target);
        host = target.mid(1, close - 1);
        if (target.size() > close + 1) {
            if (target.at(close + 1) != QLatin1Char(':'))
                return QStringLiteral("expected ':port' after ']' in '%1'").arg(target);
            bool ok = false;
            port = target.mid(close + 2).toInt(&ok);
            if (!ok)
                return QStringLiteral("'%1' is not a port").arg(target.mid(close + 2));
        }
    } else if (target.count(QLatin1Char(':')) == 1) {
        host = target.section(QLatin1Char(':'), 0, 0);
        bool ok = false;
        port = target.section(QLatin1Char(':'), 1).toInt(&ok);
        if (!ok)
            return QStringLiteral("'%1' is not a port").arg(target.section(QLatin1Char(':'), 1));
    }
    if (port <= 0 || port > 65535)
        return QStringLiteral("port %1 is out of range").arg(port);
    if (host.isEmpty())
        return QStringLiteral("no host given");
    options.host = host;
    options.port = quint16(port);
    return std::nullopt;
}

namespace {

using net::Deadline;
using net::Socket;
using net::waitFor;

// A failure at one stage of the connection, in words for people.
struct StageError {
    QString stage;
    QString message;
};

std::optional<StageError> connectTo(Socket &socket, const QString &host, quint16 port, AddressFamily family,
                                    const Deadline &deadline, QString &address)
{
    const int hint = family == AddressFamily::IPv4 ? AF_INET : family == AddressFamily::IPv6 ? AF_INET6 : AF_UNSPEC;
    if (auto error = net::connectTcp(socket, host, port, hint, deadline, address))
        return StageError{error->stage, error->message};
    return std::nullopt;
}

std::optional<StageError> proxyConnect(Socket &socket, const FetchOptions &options, const Deadline &deadline)
{
    const QString authority =
        (options.host.contains(QLatin1Char(':')) ? QLatin1Char('[') + options.host + QLatin1Char(']') : options.host) +
        QLatin1Char(':') + QString::number(options.port);
    const QByteArray request =
        "CONNECT " + authority.toUtf8() + " HTTP/1.1\r\nHost: " + authority.toUtf8() + "\r\n\r\n";
    if (auto error = socket.sendAll(request, deadline))
        return StageError{QStringLiteral("proxy"), *error};
    QByteArray line;
    if (auto error = socket.readLine(line, deadline))
        return StageError{QStringLiteral("proxy"), *error};
    const QList<QByteArray> status = line.trimmed().split(' ');
    if (status.size() < 2 || !status.at(0).startsWith("HTTP/") || status.at(1) != "200")
        return StageError{QStringLiteral("proxy"),
                          QStringLiteral("the proxy refused the tunnel: %1").arg(QString::fromLatin1(line.trimmed()))};
    do { // headers until the blank line
        if (auto error = socket.readLine(line, deadline))
            return StageError{QStringLiteral("proxy"), *error};
    } while (!line.trimmed().isEmpty());
    return std::nullopt;
}

// Reads a reply whose lines start with a 3-digit code; continuation lines have "NNN-".
std::optional<QString> readCodedReply(Socket &socket, const Deadline &deadline, QByteArray &last)
{
    for (int lines = 0; lines < 200; ++lines) {
        if (auto error = socket.readLine(last, deadline))
            return error;
        if (last.size() < 4 || last.at(3) != '-')
            return std::nullopt;
    }
    return QStringLiteral("the server's reply has more than 200 lines");
}

std::optional<StageError> startTls(Socket &socket, StartTls protocol, const FetchOptions &options,
                                   const Deadline &deadline)
{
    const auto failed = [](const QString &message) { return StageError{QStringLiteral("STARTTLS"), message}; };
    const auto expectPrefix = [&](const QByteArray &prefix, const char *what) -> std::optional<StageError> {
        QByteArray line;
        if (auto error = readCodedReply(socket, deadline, line))
            return failed(*error);
        if (!line.startsWith(prefix))
            return failed(QStringLiteral("%1: the server answered \"%2\"")
                              .arg(QLatin1String(what), QString::fromLatin1(line.trimmed().left(200))));
        return std::nullopt;
    };
    const auto send = [&](const QByteArray &data) -> std::optional<StageError> {
        if (auto error = socket.sendAll(data, deadline))
            return failed(*error);
        return std::nullopt;
    };
    switch (protocol) {
    case StartTls::None:
        return std::nullopt;
    case StartTls::Smtp:
        if (auto error = expectPrefix("220", "greeting"))
            return error;
        if (auto error = send("EHLO trustscope.invalid\r\n"))
            return error;
        if (auto error = expectPrefix("250", "EHLO"))
            return error;
        if (auto error = send("STARTTLS\r\n"))
            return error;
        return expectPrefix("220", "STARTTLS");
    case StartTls::Imap: {
        QByteArray line;
        if (auto error = socket.readLine(line, deadline))
            return failed(*error);
        if (!line.startsWith("* OK"))
            return failed(QStringLiteral("greeting: the server answered \"%1\"")
                              .arg(QString::fromLatin1(line.trimmed().left(200))));
        if (auto error = send("a1 STARTTLS\r\n"))
            return error;
        for (int lines = 0; lines < 100; ++lines) { // untagged lines may come first
            if (auto error = socket.readLine(line, deadline))
                return failed(*error);
            if (line.startsWith("a1 "))
                return line.startsWith("a1 OK")
                           ? std::nullopt
                           : std::optional(failed(QStringLiteral("STARTTLS refused: %1")
                                                      .arg(QString::fromLatin1(line.trimmed().left(200)))));
        }
        return failed(QStringLiteral("no answer to STARTTLS"));
    }
    case StartTls::Pop3: {
        QByteArray line;
        if (auto error = socket.readLine(line, deadline))
            return failed(*error);
        if (!line.startsWith("+OK"))
            return failed(QStringLiteral("greeting: the server answered \"%1\"")
                              .arg(QString::fromLatin1(line.trimmed().left(200))));
        if (auto error = send("STLS\r\n"))
            return error;
        if (auto error = socket.readLine(line, deadline))
            return failed(*error);
        return line.startsWith("+OK")
                   ? std::nullopt
                   : std::optional(
                         failed(QStringLiteral("STLS refused: %1").arg(QString::fromLatin1(line.trimmed().left(200)))));
    }
    case StartTls::Ftp:
        if (auto error = expectPrefix("220", "greeting"))
            return error;
        if (auto error = send("AUTH TLS\r\n"))
            return error;
        return expectPrefix("234", "AUTH TLS");
    case StartTls::Xmpp: {
        if (auto error = send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                              "xmlns:stream='http://etherx.jabber.org/streams' to='" +
                              options.host.toUtf8() + "' version='1.0'>"))
            return error;
        QByteArray received, chunk;
        while (!received.contains("</stream:features>")) {
            if (received.size() > 64 * 1024)
                return failed(QStringLiteral("no stream features in 64 KiB"));
            if (auto error = socket.readExactly(chunk, 1, deadline))
                return failed(*error);
            received += chunk;
        }
        if (!received.contains("urn:ietf:params:xml:ns:xmpp-tls"))
            return failed(QStringLiteral("the server does not offer STARTTLS"));
        if (auto error = send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
            return error;
        received.clear();
        while (!received.contains("/>") && received.size() < 4096) {
            if (auto error = socket.readExactly(chunk, 1, deadline))
                return failed(*error);
            received += chunk;
        }
        return received.contains("<proceed") ? std::nullopt : std::optional(failed(QStringLiteral("STARTTLS refused")));
    }
    case StartTls::Ldap: {
        // ExtendedRequest { requestName 1.3.6.1.4.1.1466.20037 } as message 1.
        if (auto error = send(QByteArray::fromHex("301d02010177188016") + "1.3.6.1.4.1.1466.20037"))
            return error;
        QByteArray header, body;
        if (auto error = socket.readExactly(header, 2, deadline))
            return failed(*error);
        if (quint8(header[0]) != 0x30 || quint8(header[1]) & 0x80)
            return failed(QStringLiteral("the LDAP response is not a short SEQUENCE"));
        if (auto error = socket.readExactly(body, quint8(header[1]), deadline))
            return failed(*error);
        // messageID INTEGER, then ExtendedResponse [APPLICATION 24] { resultCode ENUMERATED … }
        const qsizetype result = body.indexOf(QByteArray::fromHex("0a01"));
        if (result < 0 || result + 2 >= body.size())
            return failed(QStringLiteral("the LDAP response has no result code"));
        const int code = quint8(body[result + 2]);
        return code == 0 ? std::nullopt
                         : std::optional(
                               failed(QStringLiteral("the LDAP server refused StartTLS (result code %1)").arg(code)));
    }
    case StartTls::Postgres: {
        if (auto error = send(QByteArray::fromHex("0000000804d2162f")))
            return error;
        QByteArray answer;
        if (auto error = socket.readExactly(answer, 1, deadline))
            return failed(*error);
        return answer == "S" ? std::nullopt
                             : std::optional(failed(QStringLiteral("the PostgreSQL server does not accept SSL")));
    }
    case StartTls::Mysql: {
        QByteArray header, greeting;
        if (auto error = socket.readExactly(header, 4, deadline))
            return failed(*error);
        const int length = quint8(header[0]) | (quint8(header[1]) << 8) | (quint8(header[2]) << 16);
        if (length > 64 * 1024)
            return failed(QStringLiteral("the MySQL greeting is %1 bytes").arg(length));
        if (auto error = socket.readExactly(greeting, length, deadline))
            return failed(*error);
        if (greeting.isEmpty() || greeting[0] == char(0xff))
            return failed(QStringLiteral("the MySQL server refused the connection"));
        // SSLRequest: capabilities (CLIENT_SSL | PROTOCOL_41 | SECURE_CONNECTION), max packet, charset, filler.
        QByteArray request = QByteArray::fromHex("00aa0000") + QByteArray::fromHex("00000001") +
                             QByteArray(1, char(0x21)) + QByteArray(23, '\0');
        QByteArray packet;
        packet += char(request.size()) + QByteArray(2, '\0') + char(1);
        if (auto error = send(packet + request))
            return error;
        return std::nullopt;
    }
    }
    return std::nullopt;
}

int tlsVersion(const QString &name)
{
    if (name == QLatin1String("TLSv1") || name == QLatin1String("TLSv1.0") || name == QLatin1String("1.0"))
        return TLS1_VERSION;
    if (name == QLatin1String("TLSv1.1") || name == QLatin1String("1.1"))
        return TLS1_1_VERSION;
    if (name == QLatin1String("TLSv1.2") || name == QLatin1String("1.2"))
        return TLS1_2_VERSION;
    if (name == QLatin1String("TLSv1.3") || name == QLatin1String("1.3"))
        return TLS1_3_VERSION;
    return -1;
}

// What the callbacks record during the handshake.
struct HandshakeNotes {
    std::optional<TlsAlert> alert;
    bool clientCertificateRequested = false;
    QStringList acceptableCAs;
    bool tracing = false;
    QList<TraceEvent> trace;
    QElapsedTimer clock;
    bool keylogging = false;
    QByteArray keylog;
};

int notesIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

void infoCallback(const SSL *ssl, int where, int value)
{
    if (!(where & SSL_CB_ALERT))
        return;
    auto *notes = static_cast<HandshakeNotes *>(SSL_get_ex_data(ssl, notesIndex()));
    const int code = value & 0xff;
    if (!notes || code == 0 || (notes->alert && notes->alert->direction == QLatin1String("received")))
        return; // keep the first fatal alert; close_notify is not news
    TlsAlert alert;
    alert.code = code;
    alert.name = tlsAlertName(code);
    alert.direction = (where & SSL_CB_READ) ? QStringLiteral("received") : QStringLiteral("sent");
    if (const TlsAlertInfo *info = tlsAlert(code)) {
        alert.appleName = QString::fromLatin1(info->errSslName);
        alert.appleCode = info->errSslValue;
        alert.appleLikely = info->likely;
    }
    notes->alert = alert;
}

void messageCallback(int sent, int, int contentType, const void *data, size_t length, SSL *ssl, void *)
{
    auto *notes = static_cast<HandshakeNotes *>(SSL_get_ex_data(ssl, notesIndex()));
    if (!notes || !notes->tracing)
        return;
    auto event = decodeTraceMessage(sent != 0, contentType, static_cast<const unsigned char *>(data), length, ssl,
                                    SSL_version(ssl) == TLS1_3_VERSION);
    if (!event)
        return;
    event->atMs = double(notes->clock.nsecsElapsed()) / 1e6;
    notes->trace.append(std::move(*event));
}

void keylogCallback(const SSL *ssl, const char *line)
{
    auto *notes = static_cast<HandshakeNotes *>(SSL_get_ex_data(ssl, notesIndex()));
    if (notes && notes->keylogging)
        notes->keylog += QByteArray(line) + '\n';
}

// Appends to the key log, created private (0600): its lines decrypt the captured session.
void appendKeylog(const QString &path, const QByteArray &lines)
{
    if (path.isEmpty() || lines.isEmpty())
        return;
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    qsizetype written = 0;
    while (written < lines.size()) {
        const ssize_t result = ::write(fd, lines.constData() + written, size_t(lines.size() - written));
        if (result <= 0)
            break;
        written += result;
    }
    ::close(fd);
}

int clientCertificateCallback(SSL *ssl, X509 **, EVP_PKEY **)
{
    auto *notes = static_cast<HandshakeNotes *>(SSL_get_ex_data(ssl, notesIndex()));
    if (notes) {
        notes->clientCertificateRequested = true;
        const STACK_OF(X509_NAME) *names = SSL_get_client_CA_list(ssl);
        for (int index = 0; index < sk_X509_NAME_num(names); ++index)
            notes->acceptableCAs.append(x509::decodeName(sk_X509_NAME_value(names, index)).rfc4514);
    }
    return 0; // no certificate unless one was configured (then OpenSSL never calls this)
}

QString explainHandshakeFailure(const QString &openSslErrors, const std::optional<TlsAlert> &alert,
                                const FetchOptions &options)
{
    if (alert && alert->direction == QLatin1String("received")) {
        QString text =
            QStringLiteral("the server aborted the handshake with the alert %1 (%2)").arg(alert->name).arg(alert->code);
        if (alert->code == 116 || (alert->code == 40 && openSslErrors.contains(QLatin1String("certificate"))))
            text += QStringLiteral(": it probably requires a client certificate");
        else if (alert->code == 70)
            text += QStringLiteral(": it does not support the TLS versions offered");
        else if (alert->code == 40)
            text +=
                QStringLiteral(": no cipher suite, version or group in common, or a client certificate is required");
        else if (alert->code == 112)
            text += QStringLiteral(": it does not know the name '%1' (SNI)")
                        .arg(options.sni.isEmpty() ? options.host : options.sni);
        return text;
    }
    if (openSslErrors.contains(QLatin1String("excessive message size")))
        return QStringLiteral("the server's certificate message is larger than the %1 KiB limit")
            .arg(options.maxChainBytes / 1024);
    if (openSslErrors.contains(QLatin1String("packet length too long")) ||
        openSslErrors.contains(QLatin1String("data length too long")) ||
        openSslErrors.contains(QLatin1String("record overflow")))
        return QStringLiteral("the server sent a record longer than TLS allows (over 16 KiB of data): it does not "
                              "speak TLS correctly, or this port is not TLS");
    if (openSslErrors.contains(QLatin1String("wrong version number")) ||
        openSslErrors.contains(QLatin1String("record layer failure")))
        return QStringLiteral(
            "the server did not answer with TLS (is it plain text on this port, or does it need STARTTLS?)");
    if (openSslErrors.contains(QLatin1String("unexpected eof")))
        return QStringLiteral("the server closed the connection during the handshake");
    if (openSslErrors.contains(QLatin1String("unsupported protocol")) ||
        openSslErrors.contains(QLatin1String("no protocols available")))
        return QStringLiteral("no TLS version in common with the server");
    return openSslErrors.isEmpty() ? QStringLiteral("the handshake failed")
                                   : QStringLiteral("the handshake failed: ") + openSslErrors;
}

} // namespace

namespace {

Result<SslCtxPtr> newClientContext(const FetchOptions &options)
{
    SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
    if (!context)
        return fail(Error::Code::Internal, takeOpenSslErrors());
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr); // capture everything; evaluate later
    if (!options.keylogFile.isEmpty())                           // once a callback is set, OpenSSL formats every secret
        SSL_CTX_set_keylog_callback(context.get(), keylogCallback);
    SSL_CTX_set_max_cert_list(context.get(), long(options.maxChainBytes));
    // Never resume: a resumed session shows no certificates.
    SSL_CTX_set_session_cache_mode(context.get(), SSL_SESS_CACHE_OFF);
    // Offer everything the library can, so old servers can still be inspected.
    SSL_CTX_set_security_level(context.get(), 0);
    const QByteArray ciphers =
        options.cipherList.isEmpty() ? QByteArray("ALL:@SECLEVEL=0") : options.cipherList.toLatin1() + ":@SECLEVEL=0";
    if (SSL_CTX_set_cipher_list(context.get(), ciphers.constData()) != 1)
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("no usable cipher suite in '%1' (%2)").arg(options.cipherList, takeOpenSslErrors()));
    for (const bool minimum : {true, false}) {
        const QString &name = minimum ? options.tlsMin : options.tlsMax;
        if (name.isEmpty())
            continue;
        const int version = tlsVersion(name);
        if (version < 0)
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("unknown TLS version '%1' (use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3)").arg(name));
        if (minimum)
            SSL_CTX_set_min_proto_version(context.get(), version);
        else
            SSL_CTX_set_max_proto_version(context.get(), version);
    }
    if (!options.clientCertificatePem.isEmpty()) {
        BioPtr bio(BIO_new_mem_buf(options.clientCertificatePem.constData(), int(options.clientCertificatePem.size())));
        X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        BioPtr keyBio(
            BIO_new_mem_buf(options.clientCertificatePem.constData(), int(options.clientCertificatePem.size())));
        EvpPkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
        if (!certificate || !key || SSL_CTX_use_certificate(context.get(), certificate.get()) != 1 ||
            SSL_CTX_use_PrivateKey(context.get(), key.get()) != 1)
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("the client certificate or its key cannot be used: ") + takeOpenSslErrors());
    } else {
        SSL_CTX_set_client_cert_cb(context.get(), clientCertificateCallback);
    }
    return context;
}

// SSL_CTX_new() costs more than a loopback handshake in OpenSSL 3 (it fetches every algorithm):
// a batch shares one context per set of options. Contexts are thread-safe once configured.
Result<SslCtxPtr> clientContext(const FetchOptions &options)
{
    if (!options.clientCertificatePem.isEmpty())
        return newClientContext(options); // holds a key: never kept
    static std::mutex mutex;
    static std::map<QString, SslCtxPtr> contexts;
    const QString key = options.tlsMin + QLatin1Char('/') + options.tlsMax + QLatin1Char('/') +
                        QString::number(options.maxChainBytes) + QLatin1Char('/') + options.cipherList +
                        (options.keylogFile.isEmpty() ? QString() : QStringLiteral("/keylog"));
    const std::lock_guard lock(mutex);
    auto found = contexts.find(key);
    if (found == contexts.end()) {
        auto created = newClientContext(options);
        if (!created)
            return created;
        found = contexts.emplace(key, std::move(*created)).first;
    }
    if (SSL_CTX_up_ref(found->second.get()) != 1)
        return fail(Error::Code::Internal, takeOpenSslErrors());
    return SslCtxPtr(found->second.get());
}

} // namespace

std::optional<QString> negotiateStartTls(int connectedSocket, StartTls protocol, const FetchOptions &options,
                                         int timeoutMs)
{
    Socket socket;
    socket.adopt(connectedSocket);
    const Deadline deadline(timeoutMs, nullptr);
    if (auto error = startTls(socket, protocol, options, deadline))
        return error->message;
    return std::nullopt;
}

FetchResult fetchChain(const FetchOptions &options, const std::atomic_bool *cancel)
{
    QElapsedTimer clock;
    clock.start();
    FetchResult result;
    result.host = options.host;
    result.port = options.port;
    HandshakeNotes notes;
    notes.clock.start();
    notes.tracing = options.trace;
    notes.keylogging = !options.keylogFile.isEmpty();
    const auto finish = [&](const StageError &error) {
        result.errorStage = error.stage;
        result.errorMessage = error.message;
        result.elapsedMs = clock.elapsed();
        result.trace = notes.trace;
        appendKeylog(options.keylogFile, notes.keylog);
        return result;
    };
    clearOpenSslErrors();

    Socket socket;
    const Deadline connectDeadline(options.connectTimeoutMs, cancel);
    QString proxyHost;
    quint16 proxyPort = 0;
    const auto proxy = net::proxyFor(options.proxy, options.host, true);
    if (!proxy)
        return finish({QStringLiteral("proxy"), proxy.error().message});
    if (*proxy) {
        proxyHost = (*proxy)->host;
        proxyPort = (*proxy)->port;
    }
    const QString connectHost =
        !proxyHost.isEmpty() ? proxyHost : (!options.connectTo.isEmpty() ? options.connectTo : options.host);
    const quint16 connectPort = !proxyHost.isEmpty() ? proxyPort : options.port;
    if (auto error = connectTo(socket, connectHost, connectPort, options.family, connectDeadline, result.address)) {
        if (!proxyHost.isEmpty())
            error->stage = QStringLiteral("proxy");
        return finish(*error);
    }
    const Deadline handshakeDeadline(options.handshakeTimeoutMs, cancel);
    if (!proxyHost.isEmpty())
        if (auto error = proxyConnect(socket, options, handshakeDeadline))
            return finish(*error);
    const StartTls protocol = options.startTls.value_or(startTlsForPort(options.port));
    result.startTls = startTlsName(protocol);
    if (auto error = startTls(socket, protocol, options, handshakeDeadline))
        return finish(*error);

    auto context = clientContext(options);
    if (!context)
        return finish({QStringLiteral("handshake"), context.error().message});
    SslPtr ssl(SSL_new(context->get()));
    if (!ssl)
        return finish({QStringLiteral("handshake"), takeOpenSslErrors()});
    SSL_set_ex_data(ssl.get(), notesIndex(), &notes);
    SSL_set_info_callback(ssl.get(), infoCallback);
    if (options.trace)
        SSL_set_msg_callback(ssl.get(), messageCallback);
    SSL_set_fd(ssl.get(), socket.fd());
    const bool isIpLiteral = net::isIpAddress(options.host);
    const QString sni =
        options.noSni ? QString() : (!options.sni.isEmpty() ? options.sni : (isIpLiteral ? QString() : options.host));
    if (!sni.isEmpty())
        SSL_set_tlsext_host_name(ssl.get(), sni.toUtf8().constData());
    result.sni = sni;
    SSL_set_tlsext_status_type(ssl.get(), TLSEXT_STATUSTYPE_ocsp);
    if (!options.alpn.isEmpty()) {
        QByteArray wire;
        for (const QString &protocolName : options.alpn) {
            const QByteArray name = protocolName.toUtf8();
            if (name.isEmpty() || name.size() > 255)
                return finish({QStringLiteral("handshake"), QStringLiteral("ALPN protocol names are 1 to 255 bytes")});
            wire += char(name.size()) + name;
        }
        SSL_set_alpn_protos(ssl.get(), reinterpret_cast<const unsigned char *>(wire.constData()),
                            unsigned(wire.size()));
    }
    SSL_enable_ct(ssl.get(), SSL_CT_VALIDATION_PERMISSIVE);

    for (;;) {
        const int status = SSL_connect(ssl.get());
        if (status == 1)
            break;
        const int reason = SSL_get_error(ssl.get(), status);
        if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) {
            if (auto error = waitFor(socket.fd(), reason == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, handshakeDeadline))
                return finish({QStringLiteral("handshake"), QStringLiteral("the TLS handshake ") + *error});
            continue;
        }
        result.alert = notes.alert;
        result.clientCertificateRequested = notes.clientCertificateRequested;
        result.acceptableClientCAs = notes.acceptableCAs;
        const QString errors = reason == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 ? QStringLiteral("unexpected eof")
                                                                                    : takeOpenSslErrors();
        return finish({QStringLiteral("handshake"), explainHandshakeFailure(errors, notes.alert, options)});
    }

    // TLS 1.3: the client finishes its handshake before the server checks the client
    // certificate, so a server that requires one rejects us just after. Listen briefly for it.
    if (notes.clientCertificateRequested && options.clientCertificatePem.isEmpty() &&
        SSL_version(ssl.get()) == TLS1_3_VERSION) {
        const Deadline listen(qMin(1000, handshakeDeadline.remaining()), cancel);
        char byte = 0;
        for (;;) {
            const int read = SSL_read(ssl.get(), &byte, 1);
            const int reason = read > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl.get(), read);
            if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE)
                break;
            if (waitFor(socket.fd(), reason == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, listen))
                break; // no verdict within the second: the server did not object
        }
        if (notes.alert && notes.alert->direction == QLatin1String("received")) {
            result.alert = notes.alert;
            result.clientCertificateRequested = true;
            result.acceptableClientCAs = notes.acceptableCAs;
            return finish(
                {QStringLiteral("handshake"), explainHandshakeFailure(takeOpenSslErrors(), notes.alert, options)});
        }
        clearOpenSslErrors();
    }

    result.alert = notes.alert;
    result.clientCertificateRequested = notes.clientCertificateRequested;
    result.acceptableClientCAs = notes.acceptableCAs;
    result.protocol = QString::fromLatin1(SSL_get_version(ssl.get()));
    if (const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl.get()))
        result.cipher = QString::fromLatin1(SSL_CIPHER_standard_name(cipher));
    if (const char *group = SSL_get0_group_name(ssl.get()))
        result.group = QString::fromLatin1(group);
    int signatureNid = NID_undef;
    if (SSL_get_peer_signature_type_nid(ssl.get(), &signatureNid) == 1 && signatureNid != NID_undef) {
        int digestNid = NID_undef;
        SSL_get_peer_signature_nid(ssl.get(), &digestNid);
        result.peerSignature =
            QString::fromLatin1(OBJ_nid2sn(signatureNid)) +
            (digestNid != NID_undef ? QStringLiteral("+") + QString::fromLatin1(OBJ_nid2sn(digestNid)) : QString());
    }
    const unsigned char *alpn = nullptr;
    unsigned alpnLength = 0;
    SSL_get0_alpn_selected(ssl.get(), &alpn, &alpnLength);
    result.alpn = QString::fromLatin1(reinterpret_cast<const char *>(alpn), int(alpnLength));
    const STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl.get());
    for (int index = 0; index < sk_X509_num(chain); ++index) {
        auto certificate = x509::decodeCertificate(sk_X509_value(chain, index));
        if (certificate)
            result.presentedChain.append(std::move(*certificate));
    }
    const unsigned char *staple = nullptr;
    const long stapleLength = SSL_get_tlsext_status_ocsp_resp(ssl.get(), &staple);
    if (staple && stapleLength > 0) {
        const unsigned char *cursor = staple;
        OcspResponsePtr response(d2i_OCSP_RESPONSE(nullptr, &cursor, stapleLength));
        if (response)
            if (auto decoded = x509::decodeOcspResponse(response.get()))
                result.ocspStaple = std::move(*decoded);
    }
    const STACK_OF(SCT) *scts = SSL_get0_peer_scts(ssl.get());
    for (int index = 0; index < sk_SCT_num(scts); ++index) {
        const SCT *sct = sk_SCT_value(scts, index);
        SignedCertificateTimestamp decoded;
        switch (SCT_get_source(sct)) {
        case SCT_SOURCE_TLS_EXTENSION:
            decoded.source = QStringLiteral("tls-extension");
            break;
        case SCT_SOURCE_OCSP_STAPLED_RESPONSE:
            decoded.source = QStringLiteral("ocsp-staple");
            break;
        case SCT_SOURCE_X509V3_EXTENSION:
            decoded.source = QStringLiteral("certificate");
            break;
        default:
            decoded.source = QStringLiteral("unknown");
            break;
        }
        decoded.version = SCT_get_version(sct) == SCT_VERSION_V1 ? 1 : 0;
        unsigned char *logId = nullptr;
        const size_t logIdLength = SCT_get0_log_id(sct, &logId);
        decoded.logId =
            QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(logId), qsizetype(logIdLength)).toBase64());
        decoded.timestamp = QDateTime::fromMSecsSinceEpoch(qint64(SCT_get_timestamp(sct)), QTimeZone::UTC);
        const int sctSignatureNid = SCT_get_signature_nid(sct);
        decoded.signatureAlgorithm =
            sctSignatureNid != NID_undef ? QString::fromLatin1(OBJ_nid2sn(sctSignatureNid)) : QStringLiteral("unknown");
        unsigned char *encoded = nullptr;
        if (const int length = i2o_SCT(sct, &encoded); length > 0)
            decoded.encoded = QByteArray(reinterpret_cast<const char *>(encoded), length);
        OPENSSL_free(encoded);
        if (decoded.source != QLatin1String("certificate"))
            ++result.stapledSctCount;
        result.scts.append(decoded);
    }
    SSL_shutdown(ssl.get()); // best effort; the peer's answer is not awaited
    clearOpenSslErrors();
    result.elapsedMs = clock.elapsed();
    result.trace = notes.trace;
    appendKeylog(options.keylogFile, notes.keylog);
    return result;
}

} // namespace trustscope::core::tls
