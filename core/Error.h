#pragma once

#include <QString>

#include <expected>

namespace trustscope::core {

// What went wrong, in words a user understands, plus the technical detail (OpenSSL error
// lines, byte offset, file) for people who want it. The core never throws: it returns these.
struct Error {
    enum class Code {
        InvalidInput,   // the bytes are not what they claim to be
        Unsupported,    // understood, but we do not handle it
        WrongPassword,  // PKCS#12 / encrypted key
        PasswordNeeded, // no password provider, or the user cancelled
        LimitExceeded,  // size, count or depth limit
        Io,             // file system
        Network,        // DNS, TCP, proxy, TLS
        Cancelled,
        Internal,
    };

    Code code = Code::Internal;
    QString message;
    QString detail;

    [[nodiscard]] QString toString() const
    {
        return detail.isEmpty() ? message : message + QStringLiteral(" (") + detail + QLatin1Char(')');
    }
};

template <typename T> using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(Error::Code code, QString message, QString detail = {})
{
    return std::unexpected(Error{code, std::move(message), std::move(detail)});
}

} // namespace trustscope::core
