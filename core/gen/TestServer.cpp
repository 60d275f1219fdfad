#include "gen/TestServer.h"

#include <csignal>

#include "net/Socket.h"
#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace trustscope::core::gen {

using namespace trustscope::ossl;

namespace {

Result<SslCtxPtr> serverContext(const ServeOptions &options)
{
    SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
    if (!context)
        return std::unexpected(openSslFailure(Error::Code::Internal, QStringLiteral("cannot create a TLS context")));
    SSL_CTX_set_security_level(context.get(), 0); // broken scenarios (SHA-1, RSA 1024) must still be served
    BioPtr chain(BIO_new_mem_buf(options.chainPem.constData(), int(options.chainPem.size())));
    X509Ptr leaf(PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr));
    if (!leaf || SSL_CTX_use_certificate(context.get(), leaf.get()) != 1)
        return std::unexpected(
            openSslFailure(Error::Code::InvalidInput, QStringLiteral("the chain has no usable leaf")));
    while (X509 *extra = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr)) {
        if (SSL_CTX_add0_chain_cert(context.get(), extra) != 1) { // takes ownership on success
            X509Ptr owner(extra);
            return std::unexpected(
                openSslFailure(Error::Code::InvalidInput, QStringLiteral("cannot add a chain certificate")));
        }
    }
    clearOpenSslErrors(); // the end of the PEM stream
    BioPtr keyBio(BIO_new_mem_buf(options.keyPem.constData(), int(options.keyPem.size())));
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!key || SSL_CTX_use_PrivateKey(context.get(), key.get()) != 1 || SSL_CTX_check_private_key(context.get()) != 1)
        return std::unexpected(
            openSslFailure(Error::Code::InvalidInput, QStringLiteral("the key does not belong to the leaf")));
    if (!options.serverInfoPem.isEmpty()) {
        // One or more PEM blocks "SERVERINFO[V2] FOR …" (what openssl s_server -serverinfo reads).
        BioPtr bio(BIO_new_mem_buf(options.serverInfoPem.constData(), int(options.serverInfoPem.size())));
        QByteArray extensions;
        bool version2 = false;
        char *name = nullptr, *header = nullptr;
        unsigned char *data = nullptr;
        long length = 0;
        while (bio && PEM_read_bio(bio.get(), &name, &header, &data, &length) == 1) {
            const QByteArray kind(name);
            version2 = kind.startsWith("SERVERINFOV2 FOR ");
            if (version2 || kind.startsWith("SERVERINFO FOR "))
                extensions += QByteArray(reinterpret_cast<const char *>(data), int(length));
            OPENSSL_free(name);
            OPENSSL_free(header);
            OPENSSL_free(data);
        }
        clearOpenSslErrors();
        if (extensions.isEmpty() ||
            SSL_CTX_use_serverinfo_ex(context.get(), version2 ? SSL_SERVERINFOV2 : SSL_SERVERINFOV1,
                                      reinterpret_cast<const unsigned char *>(extensions.constData()),
                                      size_t(extensions.size())) != 1)
            return std::unexpected(
                openSslFailure(Error::Code::InvalidInput, QStringLiteral("the serverinfo (SCT) file is not usable")));
    }
    return context;
}

void serveOne(SSL_CTX *context, int fd, bool smtp, const std::atomic_bool &stop)
{
    net::Socket socket;
    socket.adopt(fd);
    const net::Deadline deadline(10000, &stop);
    if (smtp) {
        QByteArray line;
        if (socket.sendAll("220 localhost ESMTP Trustscope test server\r\n", deadline))
            return;
        for (;;) {
            if (socket.readLine(line, deadline))
                return;
            const QByteArray command = line.trimmed().toUpper();
            if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                if (socket.sendAll("250-localhost\r\n250 STARTTLS\r\n", deadline))
                    return;
            } else if (command == "STARTTLS") {
                if (socket.sendAll("220 Ready to start TLS\r\n", deadline))
                    return;
                break;
            } else if (socket.sendAll("502 Command not implemented\r\n", deadline)) {
                return;
            }
        }
    }
    SslPtr ssl(SSL_new(context));
    SSL_set_fd(ssl.get(), socket.fd());
    for (;;) {
        const int status = SSL_accept(ssl.get());
        if (status == 1)
            break;
        const int reason = SSL_get_error(ssl.get(), status);
        if ((reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE) ||
            net::waitFor(socket.fd(), reason == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
            clearOpenSslErrors(); // a client that rejects the chain hangs up: expected here
            return;
        }
    }
    static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                                "Trustscope test server\n";
    SSL_write(ssl.get(), reply, int(sizeof reply - 1));
    SSL_shutdown(ssl.get());
    clearOpenSslErrors();
}

} // namespace

std::optional<Error> serveTls(const ServeOptions &options, const std::atomic_bool &stop,
                              const std::function<void(quint16 port)> &ready)
{
    // A client that hangs up mid-write must not kill the process (OpenSSL writes with write(2)).
    std::signal(SIGPIPE, SIG_IGN);
    auto context = serverContext(options);
    if (!context)
        return context.error();
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0)
        return Error{Error::Code::Network,
                     QStringLiteral("cannot create a socket: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                     {}};
    net::Socket listening;
    listening.adopt(listener);
    const int yes = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(options.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(listener, 16) != 0)
        return Error{Error::Code::Network,
                     QStringLiteral("cannot listen on 127.0.0.1:%1: %2")
                         .arg(options.port)
                         .arg(QString::fromLocal8Bit(std::strerror(errno))),
                     {}};
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length);
    ready(ntohs(address.sin_port));
    while (!stop.load()) {
        pollfd waiting{listener, POLLIN, 0};
        if (::poll(&waiting, 1, 100) <= 0)
            continue;
        const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (client >= 0)
            serveOne(context->get(), client, options.startTls == tls::StartTls::Smtp, stop);
    }
    return std::nullopt;
}

} // namespace trustscope::core::gen
