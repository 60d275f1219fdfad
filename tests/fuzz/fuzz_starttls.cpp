// The STARTTLS preamble parsers: the first byte picks the protocol, the rest is everything the
// server says. A socket pair stands in for the network; the peer's end is closed after the
// input, so every read ends at once instead of waiting for a timeout.
#include "tls/TlsFetch.h"

#include <sys/socket.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace trustscope::core::tls;
    if (size < 1 || size > 65536) // within a socket buffer
        return 0;
    static const StartTls protocols[] = {StartTls::Smtp, StartTls::Imap, StartTls::Pop3,     StartTls::Ftp,
                                         StartTls::Xmpp, StartTls::Ldap, StartTls::Postgres, StartTls::Mysql};
    const StartTls protocol = protocols[data[0] % 8];
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pair) != 0)
        return 0;
    int buffer = 1 << 20;
    setsockopt(pair[1], SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    setsockopt(pair[0], SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    size_t written = 1;
    while (written < size) {
        const ssize_t result = write(pair[1], data + written, size - written);
        if (result <= 0)
            break;
        written += size_t(result);
    }
    shutdown(pair[1], SHUT_WR);
    FetchOptions options;
    options.host = QStringLiteral("fuzz.test");
    (void)negotiateStartTls(pair[0], protocol, options, 2000); // closes pair[0]
    close(pair[1]);
    return 0;
}
