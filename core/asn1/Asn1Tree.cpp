#include "asn1/Asn1Tree.h"

#include "ossl/OpenSslError.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include <QHash>
#include <QMutex>

#include <charconv>

namespace trustscope::core::asn1 {

namespace {

struct Header {
    bool ok = false;
    bool pastEnd = false;
    bool constructed = false;
    bool indefinite = false;
    quint32 tag = 0;
    quint8 tagClass = 0;
    quint8 headerLength = 0;
    qint64 contentLength = 0;
    quint16 errors = NoError;
};

const unsigned char *bytesOf(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

Header readHeader(const QByteArray &data, qint64 position, qint64 end)
{
    Header header;
    const unsigned char *start = bytesOf(data) + position;
    const unsigned char *cursor = start;
    long length = 0;
    int tag = 0, tagClass = 0;
    const int flags = ASN1_get_object(&cursor, &length, &tag, &tagClass, long(end - position));
    // 0x80 alone means either "the header does not decode" or "a primitive value runs past the
    // end"; OpenSSL only advances the cursor in the second case.
    if (flags == 0x80 && cursor == start) {
        ossl::clearOpenSslErrors();
        return header;
    }
    header.ok = true;
    header.pastEnd = flags & 0x80;
    if (header.pastEnd)
        ossl::clearOpenSslErrors();
    header.constructed = flags & V_ASN1_CONSTRUCTED;
    header.indefinite = flags & 0x01;
    header.tag = quint32(tag);
    header.tagClass = quint8(tagClass >> 6);
    header.headerLength = quint8(cursor - start);
    header.contentLength = length;
    // DER wants the shortest encodings; OpenSSL accepts longer ones, so look at the octets.
    qint64 lengthAt = 1;
    if ((start[0] & 0x1f) == 0x1f) {
        if (tag < 31 || start[1] == 0x80)
            header.errors |= NonMinimalTag;
        while (lengthAt < header.headerLength && (start[lengthAt] & 0x80))
            ++lengthAt;
        ++lengthAt;
    }
    if (lengthAt < header.headerLength && (start[lengthAt] & 0x80) && start[lengthAt] != 0x80) {
        const int lengthOctets = start[lengthAt] & 0x7f;
        if (lengthOctets >= 1 && (start[lengthAt + 1] == 0 || (lengthOctets == 1 && start[lengthAt + 1] < 0x80)))
            header.errors |= NonMinimalLength;
    }
    return header;
}

// Where the end-of-contents octets of an indefinite-length value starting at `contentStart`
// are, scanning iteratively (no recursion); -1 when they are missing. Every nested
// indefinite value met on the way is settled too and remembered in `known`, so the walk asks
// each one once: without it, deep BER nesting costs depth × size (minutes for 64 MB).
qint64 findEndOfContents(const QByteArray &data, qint64 contentStart, qint64 end, int maxDepth,
                         QHash<qint64, qint64> &known)
{
    if (const auto found = known.constFind(contentStart); found != known.constEnd())
        return found.value();
    std::vector<qint64> open; // content starts of the nested values not yet closed
    qint64 position = contentStart;
    const auto settle = [&](qint64 result) {
        for (const qint64 start : open)
            known.insert(start, -1); // they cannot end where their parent does not
        known.insert(contentStart, result);
        return result;
    };
    while (position + 2 <= end) {
        if (data[position] == 0 && data[position + 1] == 0) {
            if (open.empty())
                return settle(position);
            known.insert(open.back(), position);
            open.pop_back();
            position += 2;
            continue;
        }
        const Header header = readHeader(data, position, end);
        if (!header.ok || header.pastEnd)
            return settle(-1);
        if (header.indefinite) {
            if (int(open.size()) + 1 > maxDepth)
                return settle(-1);
            position += header.headerLength;
            open.push_back(position);
        } else {
            position += header.headerLength + header.contentLength;
        }
    }
    return settle(-1);
}

bool isKnownUniversalPrimitive(quint32 tag)
{
    switch (tag) {
    case V_ASN1_BOOLEAN:
    case V_ASN1_INTEGER:
    case V_ASN1_BIT_STRING:
    case V_ASN1_OCTET_STRING:
    case V_ASN1_NULL:
    case V_ASN1_OBJECT:
    case V_ASN1_ENUMERATED:
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_UTCTIME:
    case V_ASN1_GENERALIZEDTIME:
    case V_ASN1_BMPSTRING:
        return true;
    default:
        return false;
    }
}

// Whether [start, end) is one or more complete DER values: the heuristic that decides to
// show an OCTET/BIT STRING's content as a tree (extension values, SPKI keys, SCT lists).
bool looksLikeDer(const QByteArray &data, qint64 start, qint64 end, int levels = 2)
{
    if (start >= end)
        return false;
    qint64 position = start;
    bool first = true;
    while (position < end) {
        const Header header = readHeader(data, position, end);
        if (!header.ok || header.pastEnd || header.indefinite || header.errors)
            return false;
        if (first) {
            if (header.tagClass == 0 && !header.constructed && !isKnownUniversalPrimitive(header.tag))
                return false;
            if (header.tagClass != 0 && !header.constructed && levels == 2)
                return false;
            first = false;
        }
        const qint64 contentStart = position + header.headerLength;
        if (header.constructed && levels > 1 && header.contentLength > 0 &&
            !looksLikeDer(data, contentStart, contentStart + header.contentLength, levels - 1))
            return false;
        position = contentStart + header.contentLength;
    }
    return position == end;
}

qint64 contentStartOf(qint64 position, const Header &header)
{
    return position + header.headerLength;
}

struct Range { // 16 bytes: one per constructed node
    quint32 start;
    quint32 end;
    qint32 parent;
    quint32 depth;
};

} // namespace

void checkContent(Node &node, const QByteArray &bytes); // below, with the value decoders

Result<Tree> Tree::parse(QByteArray data, const WalkOptions &options)
{
    Tree tree;
    tree.m_data = std::move(data);
    const QByteArray &bytes = tree.m_data;
    if (bytes.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("there is nothing to decode (0 bytes)"));
    if (bytes.size() > options.maxBytes)
        return fail(Error::Code::LimitExceeded,
                    QStringLiteral("%1 bytes is more than the ASN.1 walker's limit of %2 bytes")
                        .arg(bytes.size())
                        .arg(options.maxBytes));
    Nodes &nodes = tree.m_nodes;
    // Generous on purpose: reserved pages that are never touched cost nothing, while growing
    // by reallocation copies (and faults in) everything twice.
    nodes.reserve(size_t(qMin<qint64>(bytes.size() / 2 + 16, options.maxNodes)));
    std::vector<Range, HugePageAllocator<Range>> queue;
    queue.reserve(size_t(bytes.size() / 4 + 16));
    queue.push_back({0, quint32(bytes.size()), -1, 0});
    QHash<qint64, qint64> endsOfContents; // indefinite-length values already measured
    for (size_t head = 0; head < queue.size(); ++head) {
        const Range range = queue[head];
        if (options.previewDepth >= 0 && int(range.depth) > options.previewDepth) {
            tree.m_complete = false; // the queue is in depth order: everything after is deeper
            break;
        }
        const qint32 first = qint32(nodes.size());
        qint64 position = range.start;
        while (position < range.end) {
            if (qint64(nodes.size()) >= options.maxNodes)
                return fail(Error::Code::LimitExceeded,
                            QStringLiteral("more than %1 ASN.1 nodes").arg(options.maxNodes));
            const Header header = readHeader(bytes, position, range.end);
            if (!header.ok) {
                // Not a TLV: flag the parent (or, at the top, make a node for the bytes).
                if (range.parent >= 0) {
                    nodes[size_t(range.parent)].errors |= TrailingData;
                } else {
                    Node garbage;
                    garbage.offset = quint32(position);
                    garbage.contentLength = quint32(range.end - position);
                    garbage.errors = BadHeader;
                    garbage.tag = 0xffffffff;
                    nodes.push_back(garbage);
                }
                break;
            }
            Node node;
            node.offset = quint32(position);
            node.tag = header.tag;
            node.tagClass = header.tagClass;
            node.constructed = header.constructed;
            node.headerLength = header.headerLength;
            node.contentLength =
                quint32(qMin<qint64>(header.contentLength, range.end - contentStartOf(position, header)));
            node.parent = range.parent;
            node.depth = quint16(range.depth);
            node.errors = header.errors;
            const qint64 contentStart = position + header.headerLength;
            if (header.indefinite) {
                node.indefinite = true;
                node.errors |= IndefiniteLength;
                const qint64 eoc = findEndOfContents(bytes, contentStart, range.end, options.maxDepth, endsOfContents);
                if (eoc < 0) {
                    node.errors |= LengthPastEnd;
                    node.indefinite = false; // show what is there, as if definite to the end
                    node.contentLength = quint32(range.end - contentStart);
                } else {
                    node.contentLength = quint32(eoc - contentStart);
                }
            } else if (header.pastEnd) {
                node.errors |= LengthPastEnd;
                node.contentLength = quint32(range.end - contentStart);
            }
            const qint64 contentEnd = contentStart + node.contentLength;
            const qint32 index = qint32(nodes.size());
            const bool tooDeep = int(range.depth) + 1 > options.maxDepth;
            if (node.constructed && node.contentLength > 0) {
                if (tooDeep)
                    node.errors |= DepthLimit;
                else
                    queue.push_back({quint32(contentStart), quint32(contentEnd), index, range.depth + 1});
            } else if (options.encapsulation && node.tagClass == 0 && !node.errors && !tooDeep) {
                if (node.tag == V_ASN1_OCTET_STRING && looksLikeDer(bytes, contentStart, contentEnd)) {
                    node.encapsulates = true;
                    queue.push_back({quint32(contentStart), quint32(contentEnd), index, range.depth + 1});
                } else if (node.tag == V_ASN1_BIT_STRING && node.contentLength > 1 && bytes[contentStart] == 0 &&
                           looksLikeDer(bytes, contentStart + 1, contentEnd)) {
                    node.encapsulates = true;
                    queue.push_back({quint32(contentStart + 1), quint32(contentEnd), index, range.depth + 1});
                }
            }
            nodes.push_back(node);
            position = contentEnd + (node.indefinite ? 2 : 0);
            if (node.errors & LengthPastEnd)
                break;
        }
        const qint32 count = qint32(nodes.size()) - first;
        if (range.parent < 0) {
            tree.m_rootCount = count;
        } else if (count > 0) {
            nodes[size_t(range.parent)].firstChild = first;
            nodes[size_t(range.parent)].childCount = count;
        }
    }
    for (Node &node : nodes)
        checkContent(node, bytes);
    return tree;
}

qint32 Tree::child(qint32 parent, qint32 row) const
{
    if (parent < 0)
        return row < m_rootCount ? row : -1;
    const Node &node = m_nodes[size_t(parent)];
    return row < node.childCount ? node.firstChild + row : -1;
}

QByteArray Tree::content(qint32 index) const
{
    const Node &node = m_nodes[size_t(index)];
    return m_data.mid(node.contentOffset(), node.contentLength);
}

QByteArray Tree::encoded(qint32 index) const
{
    const Node &node = m_nodes[size_t(index)];
    return m_data.mid(node.offset, node.totalLength());
}

QString Tree::className(qint32 index) const
{
    static const char *const names[] = {"universal", "application", "context", "private"};
    return QString::fromLatin1(names[m_nodes[size_t(index)].tagClass & 3]);
}

QString Tree::typeName(qint32 index) const
{
    const Node &node = m_nodes[size_t(index)];
    if (node.errors & BadHeader)
        return QStringLiteral("(not ASN.1)");
    switch (node.tagClass) {
    case 1:
        return QStringLiteral("[APPLICATION %1]").arg(node.tag);
    case 2:
        return QStringLiteral("[%1]").arg(node.tag);
    case 3:
        return QStringLiteral("[PRIVATE %1]").arg(node.tag);
    default:
        break;
    }
    switch (node.tag) {
    case 0:
        return QStringLiteral("END OF CONTENTS");
    case V_ASN1_BOOLEAN:
        return QStringLiteral("BOOLEAN");
    case V_ASN1_INTEGER:
        return QStringLiteral("INTEGER");
    case V_ASN1_BIT_STRING:
        return QStringLiteral("BIT STRING");
    case V_ASN1_OCTET_STRING:
        return QStringLiteral("OCTET STRING");
    case V_ASN1_NULL:
        return QStringLiteral("NULL");
    case V_ASN1_OBJECT:
        return QStringLiteral("OBJECT IDENTIFIER");
    case V_ASN1_OBJECT_DESCRIPTOR:
        return QStringLiteral("ObjectDescriptor");
    case V_ASN1_EXTERNAL:
        return QStringLiteral("EXTERNAL");
    case V_ASN1_REAL:
        return QStringLiteral("REAL");
    case V_ASN1_ENUMERATED:
        return QStringLiteral("ENUMERATED");
    case V_ASN1_UTF8STRING:
        return QStringLiteral("UTF8String");
    case 13:
        return QStringLiteral("RELATIVE-OID");
    case V_ASN1_SEQUENCE:
        return QStringLiteral("SEQUENCE");
    case V_ASN1_SET:
        return QStringLiteral("SET");
    case V_ASN1_NUMERICSTRING:
        return QStringLiteral("NumericString");
    case V_ASN1_PRINTABLESTRING:
        return QStringLiteral("PrintableString");
    case V_ASN1_T61STRING:
        return QStringLiteral("TeletexString");
    case V_ASN1_VIDEOTEXSTRING:
        return QStringLiteral("VideotexString");
    case V_ASN1_IA5STRING:
        return QStringLiteral("IA5String");
    case V_ASN1_UTCTIME:
        return QStringLiteral("UTCTime");
    case V_ASN1_GENERALIZEDTIME:
        return QStringLiteral("GeneralizedTime");
    case V_ASN1_GRAPHICSTRING:
        return QStringLiteral("GraphicString");
    case V_ASN1_VISIBLESTRING:
        return QStringLiteral("VisibleString");
    case V_ASN1_GENERALSTRING:
        return QStringLiteral("GeneralString");
    case V_ASN1_UNIVERSALSTRING:
        return QStringLiteral("UniversalString");
    case V_ASN1_BMPSTRING:
        return QStringLiteral("BMPString");
    default:
        return QStringLiteral("[UNIVERSAL %1]").arg(node.tag);
    }
}

QString oidName(const QString &dottedOid)
{
    // OpenSSL knows most; these are the ones it lacks that people meet in certificates.
    static const QHash<QString, QString> extra = {
        {QStringLiteral("2.23.140.1.2.1"), QStringLiteral("CA/B domain validated")},
        {QStringLiteral("2.23.140.1.2.2"), QStringLiteral("CA/B organization validated")},
        {QStringLiteral("2.23.140.1.2.3"), QStringLiteral("CA/B individual validated")},
        {QStringLiteral("2.23.140.1.1"), QStringLiteral("CA/B extended validation")},
        {QStringLiteral("1.3.6.1.4.1.11129.2.4.2"), QStringLiteral("CT precertificate SCTs")},
        {QStringLiteral("1.3.6.1.4.1.11129.2.4.3"), QStringLiteral("CT precertificate poison")},
        {QStringLiteral("1.3.6.1.4.1.11129.2.4.5"), QStringLiteral("CT OCSP SCTs")},
        {QStringLiteral("1.2.840.113635.100.6.27.1"), QStringLiteral("Apple Developer ID")},
        {QStringLiteral("1.2.840.113635.100.6.2.1"), QStringLiteral("Apple WWDR intermediate")},
        {QStringLiteral("1.2.840.113635.100.6.3.1"), QStringLiteral("Apple code signing development")},
        {QStringLiteral("1.2.840.113635.100.5.1"), QStringLiteral("Apple certificate policy")},
        {QStringLiteral("1.3.6.1.4.1.311.20.2.3"), QStringLiteral("Microsoft UPN")},
        {QStringLiteral("1.3.6.1.4.1.311.21.7"), QStringLiteral("Microsoft certificate template")},
        {QStringLiteral("1.3.6.1.5.5.7.1.24"), QStringLiteral("TLS feature")},
    };
    if (const auto found = extra.constFind(dottedOid); found != extra.constEnd())
        return *found;
    const int nid = OBJ_txt2nid(dottedOid.toLatin1().constData());
    if (nid == NID_undef) {
        ossl::clearOpenSslErrors();
        return {};
    }
    return QString::fromLatin1(OBJ_nid2ln(nid));
}

namespace {

QString dottedOid(const QByteArray &content)
{
    QString text;
    quint64 value = 0;
    bool first = true;
    for (const char c : content) {
        const auto byte = quint8(c);
        if (value > (quint64(1) << 56))
            return QStringLiteral("(OID component too large)");
        value = (value << 7) | (byte & 0x7f);
        if (byte & 0x80)
            continue;
        if (first) {
            const quint64 top = value < 40 ? 0 : (value < 80 ? 1 : 2);
            text = QString::number(top) + QLatin1Char('.') + QString::number(value - top * 40);
            first = false;
        } else {
            text += QLatin1Char('.') + QString::number(value);
        }
        value = 0;
    }
    return text;
}

QString hexPreview(const QByteArray &content, int maximum = 32)
{
    QString text = QString::fromLatin1(content.left(maximum).toHex(' ').toUpper());
    if (content.size() > maximum)
        text += QStringLiteral(" … (%1 bytes)").arg(content.size());
    return text;
}

// DER times: YYMMDDHHMMSSZ or YYYYMMDDHHMMSS[.f]Z; returns ISO 8601 or empty when malformed.
QString isoTime(const QByteArray &content, bool generalized)
{
    const int yearDigits = generalized ? 4 : 2;
    if (content.size() < yearDigits + 11 || !content.endsWith('Z'))
        return {};
    for (int i = 0; i < yearDigits + 10; ++i)
        if (!std::isdigit(static_cast<unsigned char>(content[i])))
            return {};
    QByteArray year = content.left(yearDigits);
    if (!generalized)
        year.prepend(content.left(2).toInt() >= 50 ? "19" : "20");
    const QByteArray rest = content.mid(yearDigits);
    QByteArray fraction;
    if (generalized && rest.size() > 11) {
        if (rest[10] != '.' || rest.size() < 13 || rest.endsWith("0Z"))
            return {};
        fraction = rest.mid(10, rest.size() - 11);
    } else if (rest.size() != 11) {
        return {};
    }
    return QString::fromLatin1(year + '-' + rest.left(2) + '-' + rest.mid(2, 2) + 'T' + rest.mid(4, 2) + ':' +
                               rest.mid(6, 2) + ':' + rest.mid(8, 2) + fraction + 'Z');
}

// The DER shape of a time, checked without allocating: the walk runs this on every time.
bool validDerTime(const char *content, qint64 length, bool generalized)
{
    const int digits = generalized ? 14 : 12;
    if (length < digits + 1 || content[length - 1] != 'Z')
        return false;
    for (int i = 0; i < digits; ++i)
        if (content[i] < '0' || content[i] > '9')
            return false;
    if (length == digits + 1)
        return true;
    // GeneralizedTime fraction: ".d+" with no trailing zero.
    if (!generalized || content[digits] != '.' || length < digits + 3 || content[length - 2] == '0')
        return false;
    for (qint64 i = digits + 1; i < length - 1; ++i)
        if (content[i] < '0' || content[i] > '9')
            return false;
    return true;
}

bool validString(quint32 tag, const QByteArray &content)
{
    switch (tag) {
    case V_ASN1_PRINTABLESTRING:
        for (const char c : content)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || QByteArrayView(" '()+,-./:=?").contains(c)))
                return false;
        return true;
    case V_ASN1_NUMERICSTRING:
        for (const char c : content)
            if (!std::isdigit(static_cast<unsigned char>(c)) && c != ' ')
                return false;
        return true;
    case V_ASN1_IA5STRING:
    case V_ASN1_VISIBLESTRING:
        for (const char c : content)
            if (quint8(c) > 0x7f)
                return false;
        return true;
    case V_ASN1_UTF8STRING:
        return QUtf8StringView(content).isValidUtf8();
    case V_ASN1_BMPSTRING:
        return content.size() % 2 == 0;
    case V_ASN1_UNIVERSALSTRING:
        return content.size() % 4 == 0;
    default:
        return true;
    }
}

QString decodeString(quint32 tag, const QByteArray &content)
{
    switch (tag) {
    case V_ASN1_UTF8STRING:
        return QString::fromUtf8(content);
    case V_ASN1_BMPSTRING: {
        QString text;
        for (qsizetype i = 0; i + 1 < content.size(); i += 2)
            text += QChar(char16_t((quint8(content[i]) << 8) | quint8(content[i + 1])));
        return text;
    }
    case V_ASN1_UNIVERSALSTRING: {
        QList<char32_t> points;
        for (qsizetype i = 0; i + 3 < content.size(); i += 4)
            points.append(char32_t((quint8(content[i]) << 24) | (quint8(content[i + 1]) << 16) |
                                   (quint8(content[i + 2]) << 8) | quint8(content[i + 3])));
        return QString::fromUcs4(points.constData(), points.size());
    }
    default:
        return QString::fromLatin1(content);
    }
}

} // namespace

QString Tree::value(qint32 index) const
{
    const Node &node = m_nodes[size_t(index)];
    if (node.constructed || (node.errors & BadHeader))
        return node.errors & BadHeader ? hexPreview(content(index), 16) : QString();
    const QByteArray bytes = content(index);
    if (node.tagClass != 0)
        return hexPreview(bytes);
    switch (node.tag) {
    case V_ASN1_BOOLEAN:
        return bytes.size() == 1 && bytes[0] == 0 ? QStringLiteral("FALSE") : QStringLiteral("TRUE");
    case V_ASN1_INTEGER:
    case V_ASN1_ENUMERATED: {
        if (bytes.isEmpty())
            return QStringLiteral("(empty)");
        if (bytes.size() > 8)
            return QStringLiteral("0x") + QString::fromLatin1(bytes.toHex().toUpper()) +
                   QStringLiteral(" (%1 bits)").arg((bytes.size() - (bytes[0] == 0 ? 1 : 0)) * 8);
        qint64 number = qint8(bytes[0]); // sign-extend the first octet
        for (qsizetype i = 1; i < bytes.size(); ++i)
            number = (number << 8) | quint8(bytes[i]);
        return QString::number(number);
    }
    case V_ASN1_BIT_STRING: {
        if (bytes.isEmpty())
            return QStringLiteral("(empty)");
        const int unused = quint8(bytes[0]);
        QString text = QStringLiteral("(%1 unused bits) ").arg(unused);
        return node.encapsulates ? text + QStringLiteral("encapsulates") : text + hexPreview(bytes.mid(1));
    }
    case V_ASN1_OCTET_STRING:
        return node.encapsulates ? QStringLiteral("encapsulates (%1 bytes)").arg(bytes.size()) : hexPreview(bytes);
    case V_ASN1_NULL:
        return {};
    case V_ASN1_OBJECT: {
        // One shared cache: OID names are few and looked up many times in big files.
        static QHash<QByteArray, QString> cache;
        static QMutex mutex;
        QMutexLocker lock(&mutex);
        if (const auto found = cache.constFind(bytes); found != cache.constEnd())
            return *found;
        const QString dotted = dottedOid(bytes);
        const QString name = oidName(dotted);
        const QString text = name.isEmpty() ? dotted : dotted + QStringLiteral(" (") + name + QLatin1Char(')');
        if (cache.size() < 100000)
            cache.insert(bytes, text);
        return text;
    }
    case V_ASN1_UTCTIME:
    case V_ASN1_GENERALIZEDTIME: {
        const QString iso = isoTime(bytes, node.tag == V_ASN1_GENERALIZEDTIME);
        return iso.isEmpty() ? QString::fromLatin1(bytes) : iso;
    }
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_VISIBLESTRING:
    case V_ASN1_NUMERICSTRING:
    case V_ASN1_BMPSTRING:
    case V_ASN1_UNIVERSALSTRING:
    case V_ASN1_GENERALSTRING:
    case V_ASN1_GRAPHICSTRING:
    case V_ASN1_VIDEOTEXSTRING:
        return QLatin1Char('\'') + decodeString(node.tag, bytes) + QLatin1Char('\'');
    default:
        return hexPreview(bytes);
    }
}

// Encoding rules on the content of primitive universal values (booleans, integers, times, strings).
void checkContent(Node &node, const QByteArray &bytes)
{
    if (!node.constructed && node.tagClass == 0 && !(node.errors & BadHeader)) {
        const char *data = bytes.constData() + node.contentOffset();
        const qint64 length = node.contentLength;
        switch (node.tag) {
        case V_ASN1_BOOLEAN:
            if (length != 1 || (quint8(data[0]) != 0 && quint8(data[0]) != 0xff))
                node.errors |= NonDerBoolean;
            break;
        case V_ASN1_INTEGER:
        case V_ASN1_ENUMERATED:
            if (length >= 2 && ((data[0] == 0 && !(data[1] & 0x80)) || (quint8(data[0]) == 0xff && (data[1] & 0x80))))
                node.errors |= NonMinimalInteger;
            break;
        case V_ASN1_UTCTIME:
        case V_ASN1_GENERALIZEDTIME:
            if (!validDerTime(data, length, node.tag == V_ASN1_GENERALIZEDTIME))
                node.errors |= BadTimeFormat;
            break;
        default:
            if (!validString(node.tag, QByteArray::fromRawData(data, length)))
                node.errors |= BadStringCharacters;
        }
    }
}

QStringList Tree::errors(qint32 index) const
{
    const Node &node = m_nodes[size_t(index)];
    QStringList messages;
    const quint16 flags = node.errors;
    if (flags & BadHeader)
        messages << QStringLiteral("not a valid ASN.1 header");
    if (flags & LengthPastEnd)
        messages << QStringLiteral("length runs past the end of the data");
    if (flags & NonMinimalLength)
        messages << QStringLiteral("length not minimally encoded (not DER)");
    if (flags & NonMinimalTag)
        messages << QStringLiteral("tag not minimally encoded (not DER)");
    if (flags & TrailingData)
        messages << QStringLiteral("trailing bytes after the last element");
    if (flags & NonDerBoolean)
        messages << QStringLiteral("BOOLEAN must be 00 or FF in DER");
    if (flags & NonMinimalInteger)
        messages << QStringLiteral("INTEGER has superfluous leading octets");
    if (flags & BadStringCharacters)
        messages << QStringLiteral("characters not allowed in this string type");
    if (flags & BadTimeFormat)
        messages << QStringLiteral("time is not in DER format");
    if (flags & DepthLimit)
        messages << QStringLiteral("nesting too deep: contents not decoded");
    if (flags & IndefiniteLength)
        messages << QStringLiteral("indefinite length (BER, not DER)");
    return messages;
}

qint32 Tree::nodeAt(qint64 offset) const
{
    // Siblings are sorted by offset and do not overlap, so each level is a binary search.
    qint32 first = 0, count = m_rootCount, found = -1;
    while (count > 0) {
        qint32 low = first, high = first + count - 1, hit = -1;
        while (low <= high) {
            const qint32 middle = low + (high - low) / 2;
            const Node &candidate = m_nodes[size_t(middle)];
            if (offset < qint64(candidate.offset))
                high = middle - 1;
            else if (offset >= qint64(candidate.offset) + candidate.totalLength())
                low = middle + 1;
            else {
                hit = middle;
                break;
            }
        }
        if (hit < 0)
            break;
        found = hit;
        first = m_nodes[size_t(hit)].firstChild;
        count = m_nodes[size_t(hit)].childCount;
    }
    return found;
}

qint32 Tree::findCertificateField(const QString &field, qint32 certificateRoot) const
{
    if (certificateRoot < 0 || certificateRoot >= qint32(m_nodes.size()))
        return -1;
    if (field == QLatin1String("signatureAlgorithm"))
        return child(certificateRoot, 1);
    if (field == QLatin1String("signature"))
        return child(certificateRoot, 2);
    const qint32 tbs = child(certificateRoot, 0);
    if (tbs < 0)
        return -1;
    const qint32 firstTbsChild = child(tbs, 0);
    if (firstTbsChild < 0)
        return -1;
    const bool hasVersion = node(firstTbsChild).tagClass == 2 && node(firstTbsChild).tag == 0;
    const qint32 base = hasVersion ? 1 : 0;
    static const QStringList order = {QStringLiteral("serial"),  QStringLiteral("tbsSignature"),
                                      QStringLiteral("issuer"),  QStringLiteral("validity"),
                                      QStringLiteral("subject"), QStringLiteral("subjectPublicKeyInfo")};
    if (field == QLatin1String("version"))
        return hasVersion ? firstTbsChild : -1;
    if (const qsizetype position = order.indexOf(field); position >= 0)
        return child(tbs, base + qint32(position));
    if (field == QLatin1String("notBefore") || field == QLatin1String("notAfter"))
        return child(child(tbs, base + 3), field == QLatin1String("notBefore") ? 0 : 1);
    qint32 extensions = -1;
    for (qint32 row = base + 6; row < node(tbs).childCount; ++row) {
        const Node &candidate = node(child(tbs, row));
        if (candidate.tagClass == 2 && candidate.tag == 3)
            extensions = child(child(tbs, row), 0);
    }
    if (field == QLatin1String("extensions"))
        return extensions;
    if (extensions < 0)
        return -1;
    for (qint32 row = 0; row < node(extensions).childCount; ++row) {
        const qint32 extension = child(extensions, row);
        const qint32 oid = child(extension, 0);
        if (oid >= 0 && node(oid).tag == V_ASN1_OBJECT && dottedOid(content(oid)) == field)
            return extension;
    }
    return -1;
}

} // namespace trustscope::core::asn1
