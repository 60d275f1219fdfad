#include "asn1/Dump.h"

#include <QHash>
#include <QJsonObject>

#include <charconv>
#include <string>

namespace trustscope::core::asn1 {

namespace {

void appendNumber(std::string &out, qint64 number)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    out.append(buffer, size_t(result.ptr - buffer));
}

void appendPadded(std::string &out, qint64 number, int width)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    const int length = int(result.ptr - buffer);
    if (width > length)
        out.append(size_t(width - length), ' ');
    out.append(buffer, size_t(length));
}

const char *universalTypeName(quint32 tag)
{
    switch (tag) {
    case 1:
        return "BOOLEAN";
    case 2:
        return "INTEGER";
    case 3:
        return "BIT STRING";
    case 4:
        return "OCTET STRING";
    case 5:
        return "NULL";
    case 6:
        return "OBJECT IDENTIFIER";
    case 10:
        return "ENUMERATED";
    case 12:
        return "UTF8String";
    case 16:
        return "SEQUENCE";
    case 17:
        return "SET";
    case 19:
        return "PrintableString";
    case 22:
        return "IA5String";
    case 23:
        return "UTCTime";
    case 24:
        return "GeneralizedTime";
    default:
        return nullptr;
    }
}

// The dump's hot path: what 200 000-entry CRLs are made of (sequences, small integers, times,
// OIDs), written as bytes. Everything else goes through Tree::value().
class FastValues {
public:
    explicit FastValues(const Tree &tree)
        : m_tree(tree)
    {}

    void appendType(std::string &out, qint32 index) const
    {
        const Node &node = m_tree.node(index);
        const char *name = node.tagClass == 0 && !(node.errors & BadHeader) ? universalTypeName(node.tag) : nullptr;
        if (name)
            out.append(name);
        else {
            const QByteArray typeName = m_tree.typeName(index).toUtf8();
            out.append(typeName.constData(), size_t(typeName.size()));
        }
    }

    void appendValue(std::string &out, qint32 index)
    {
        const Node &node = m_tree.node(index);
        if (node.constructed)
            return;
        const char *content = m_tree.data().constData() + node.contentOffset();
        const qint64 length = node.contentLength;
        if (node.tagClass == 0 && !node.errors) {
            switch (node.tag) {
            case 2:  // INTEGER
            case 10: // ENUMERATED
                if (length >= 1 && length <= 8) {
                    qint64 number = qint8(content[0]);
                    for (qint64 i = 1; i < length; ++i)
                        number = (number << 8) | quint8(content[i]);
                    char buffer[24];
                    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
                    out.append(" ").append(buffer, size_t(result.ptr - buffer));
                    return;
                }
                if (length > 8) { // serial numbers, moduli: hex with the size
                    static const char digits[] = "0123456789ABCDEF";
                    out.append(" 0x");
                    for (qint64 i = 0; i < length; ++i) {
                        out.push_back(digits[quint8(content[i]) >> 4]);
                        out.push_back(digits[quint8(content[i]) & 15]);
                    }
                    out.append(" (");
                    appendNumber(out, (length - (content[0] == 0 ? 1 : 0)) * 8);
                    out.append(" bits)");
                    return;
                }
                break;
            case 4: // OCTET STRING holding DER
                if (node.encapsulates) {
                    out.append(" encapsulates (");
                    appendNumber(out, length);
                    out.append(" bytes)");
                    return;
                }
                break;
            case 23: // UTCTime YYMMDDHHMMSSZ, already checked by the walker
                if (length == 13) {
                    out.append(" ")
                        .append(content[0] >= '5' ? "19" : "20")
                        .append(content, 2)
                        .append("-")
                        .append(content + 2, 2)
                        .append("-")
                        .append(content + 4, 2)
                        .append("T")
                        .append(content + 6, 2)
                        .append(":")
                        .append(content + 8, 2)
                        .append(":")
                        .append(content + 10, 2)
                        .append("Z");
                    return;
                }
                break;
            case 5: // NULL
                return;
            case 6: { // OBJECT IDENTIFIER: few distinct ones, many times
                const QByteArray key = QByteArray::fromRawData(content, length);
                auto found = m_oids.constFind(key);
                if (found == m_oids.constEnd())
                    found = m_oids.insert(QByteArray(content, length), m_tree.value(index).toUtf8());
                out.append(" ").append(found->constData(), size_t(found->size()));
                return;
            }
            default:
                break;
            }
        }
        const QString value = m_tree.value(index);
        if (!value.isEmpty()) {
            const QByteArray utf8 = value.toUtf8();
            out.append(" ").append(utf8.constData(), size_t(utf8.size()));
        }
    }

private:
    const Tree &m_tree;
    QHash<QByteArray, QByteArray> m_oids;
};

QJsonObject nodeJson(const Tree &tree, qint32 index, int maxDepth)
{
    const Node &node = tree.node(index);
    QJsonObject json{{QStringLiteral("offset"), qint64(node.offset)},
                     {QStringLiteral("headerLength"), node.headerLength},
                     {QStringLiteral("length"), qint64(node.contentLength)},
                     {QStringLiteral("class"), tree.className(index)},
                     {QStringLiteral("tag"), qint64(node.tag)},
                     {QStringLiteral("constructed"), node.constructed},
                     {QStringLiteral("type"), tree.typeName(index)},
                     {QStringLiteral("value"), tree.value(index)},
                     {QStringLiteral("errors"), QJsonArray::fromStringList(tree.errors(index))}};
    if (node.indefinite)
        json.insert(QStringLiteral("indefiniteLength"), true);
    if (node.encapsulates)
        json.insert(QStringLiteral("encapsulates"), true);
    QJsonArray children;
    if (maxDepth < 0 || node.depth < maxDepth) // bounded by the walker's depth limit
        for (qint32 row = 0; row < node.childCount; ++row)
            children.append(nodeJson(tree, node.firstChild + row, maxDepth));
    json.insert(QStringLiteral("children"), children);
    return json;
}

} // namespace

QByteArray dumpText(const Tree &tree, const DumpOptions &options)
{
    QByteArray all;
    dumpText(tree, options, [&all](const QByteArray &chunk) { all += chunk; });
    return all;
}

void dumpText(const Tree &tree, const DumpOptions &options, const std::function<void(const QByteArray &chunk)> &sink)
{
    constexpr qsizetype chunkSize = 256 * 1024;
    std::string out;
    out.reserve(size_t(chunkSize) + 4096);
    // Depth-first over the breadth-first array, with an explicit stack (no recursion).
    FastValues values(tree);
    std::vector<qint32> stack;
    qsizetype emitted = 0;
    for (qint32 root = tree.rootCount() - 1; root >= 0; --root)
        stack.push_back(root);
    while (!stack.empty()) {
        const qint32 index = stack.back();
        stack.pop_back();
        const Node &node = tree.node(index);
        appendPadded(out, node.offset, 7);
        out.push_back(' ');
        appendPadded(out, node.contentLength, 5);
        out.append(node.indefinite ? "+: " : ": ");
        out.append(size_t(node.depth) * 2, ' ');
        values.appendType(out, index);
        values.appendValue(out, index);
        if (node.errors) {
            const QByteArray errors = tree.errors(index).join(QStringLiteral("; ")).toUtf8();
            out.append(" !! ").append(errors.constData(), size_t(errors.size()));
        }
        out.push_back('\n');
        if (options.maxBytes >= 0 && emitted + qsizetype(out.size()) >= options.maxBytes)
            break;
        if (qsizetype(out.size()) >= chunkSize) {
            emitted += qsizetype(out.size());
            sink(QByteArray::fromRawData(out.data(), qsizetype(out.size())));
            out.clear(); // keeps the capacity
        }
        if (options.maxDepth >= 0 && node.depth >= options.maxDepth)
            continue;
        for (qint32 row = node.childCount - 1; row >= 0; --row)
            stack.push_back(node.firstChild + row);
    }
    if (!out.empty())
        sink(QByteArray::fromRawData(out.data(), qsizetype(out.size())));
}

QJsonArray dumpJson(const Tree &tree, const DumpOptions &options)
{
    QJsonArray roots;
    for (qint32 root = 0; root < tree.rootCount(); ++root)
        roots.append(nodeJson(tree, root, options.maxDepth));
    return roots;
}

} // namespace trustscope::core::asn1
