#include "x509/Pem.h"

namespace trustscope::core {

QByteArray toPem(const QByteArray &der, const QString &label)
{
    const QByteArray base64 = der.toBase64();
    QByteArray pem = "-----BEGIN " + label.toLatin1() + "-----\n";
    pem.reserve(pem.size() * 2 + base64.size() + base64.size() / 64 + 2);
    for (qsizetype offset = 0; offset < base64.size(); offset += 64)
        pem += base64.mid(offset, 64) + '\n';
    pem += "-----END " + label.toLatin1() + "-----\n";
    return pem;
}

std::optional<QByteArray> decodeBase64Body(const QByteArray &text)
{
    QByteArray compact;
    compact.reserve(text.size());
    for (const char c : text)
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            compact.append(c);
    auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return std::move(decoded.decoded);
}

QList<PemBlock> findPemBlocks(const QByteArray &data, int maxBlocks)
{
    static const QByteArray beginMarker("-----BEGIN ");
    QList<PemBlock> blocks;
    for (qint64 begin = data.indexOf(beginMarker); begin >= 0 && blocks.size() < maxBlocks;
         begin = data.indexOf(beginMarker, begin + 1)) {
        PemBlock block;
        block.offset = begin;
        const qint64 labelStart = begin + beginMarker.size();
        const qint64 labelEnd = data.indexOf("-----", labelStart);
        const qint64 lineEnd = data.indexOf('\n', labelStart);
        if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd)) {
            block.error = QStringLiteral("the BEGIN line is malformed");
            blocks.append(block);
            continue;
        }
        block.label = QString::fromLatin1(data.mid(labelStart, labelEnd - labelStart));
        const qint64 bodyStart = labelEnd + 5;
        const QByteArray endLine = "-----END " + block.label.toLatin1() + "-----";
        const qint64 end = data.indexOf(endLine, bodyStart);
        const qint64 nextBegin = data.indexOf(beginMarker, bodyStart);
        if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
            block.error = QStringLiteral("no matching END line (the block is truncated)");
            blocks.append(block);
            continue;
        }
        block.text = data.mid(begin, end + endLine.size() - begin);
        block.body = data.mid(bodyStart, end - bodyStart);
        // RFC 1421 headers (Proc-Type, DEK-Info) end at the first blank line.
        block.hasHeaders = block.body.contains(':');
        if (block.hasHeaders) {
            qint64 blank = block.body.indexOf("\n\n");
            if (blank < 0)
                blank = block.body.indexOf("\r\n\r\n");
            if (blank >= 0)
                block.body = block.body.mid(blank);
        }
        if (!block.hasHeaders) {
            if (auto der = decodeBase64Body(block.body))
                block.der = std::move(*der);
            else
                block.error = QStringLiteral("the base64 body is broken");
        }
        blocks.append(block);
    }
    return blocks;
}

} // namespace trustscope::core

#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"

namespace trustscope::core {

QByteArray toPkcs7Der(const QList<QByteArray> &certificatesDer)
{
    using namespace trustscope::ossl;
    Pkcs7Ptr bundle(PKCS7_new());
    if (!bundle || PKCS7_set_type(bundle.get(), NID_pkcs7_signed) != 1 ||
        PKCS7_content_new(bundle.get(), NID_pkcs7_data) != 1) {
        clearOpenSslErrors();
        return {};
    }
    for (const QByteArray &der : certificatesDer) {
        const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
        X509Ptr certificate(d2i_X509(nullptr, &cursor, long(der.size())));
        if (!certificate ||
            PKCS7_add_certificate(bundle.get(), certificate.get()) != 1) { // add_certificate takes its own reference
            clearOpenSslErrors();
            return {};
        }
    }
    unsigned char *out = nullptr;
    const int length = i2d_PKCS7(bundle.get(), &out);
    OpenSslBytesPtr owned(out);
    if (length <= 0) {
        clearOpenSslErrors();
        return {};
    }
    return toByteArray(out, length);
}

} // namespace trustscope::core
