#include "asn1/Dump.h"

#include <QJsonObject>

#include <charconv>

namespace trustscope::core::asn1 {

namespace {

void appendPadded(QByteArray &out, qint64 number, int width)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    const int length = int(result.ptr - buffer);
    for (int pad = width - length; pad > 0; --pad)
        out.append(' ');
    out.append(buffer, length);
}

QJsonObject nodeJson(const Tree &tree, qint32 index, int maxDepth)
{
    const Node &node = tree.node(index);
    QJsonObject json{{QStringLiteral("offset"), node.offset},
                     {QStringLiteral("headerLength"), node.headerLength},
                     {QStringLiteral("length"), node.contentLength},
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
    QByteArray out;
    out.reserve(qsizetype(tree.nodes().size()) * 48);
    // Depth-first over the breadth-first array, with an explicit stack (no recursion).
    std::vector<qint32> stack;
    for (qint32 root = tree.rootCount() - 1; root >= 0; --root)
        stack.push_back(root);
    while (!stack.empty()) {
        const qint32 index = stack.back();
        stack.pop_back();
        const Node &node = tree.node(index);
        appendPadded(out, node.offset, 7);
        appendPadded(out, node.contentLength, 6);
        out.append(node.indefinite ? "+: " : ": ");
        out.append(qsizetype(node.depth) * 2, ' ');
        out.append(tree.typeName(index).toLatin1());
        const QString value = tree.value(index);
        if (!value.isEmpty()) {
            out.append(' ');
            out.append(value.toUtf8());
        }
        if (node.errors) {
            out.append(" !! ");
            out.append(tree.errors(index).join(QStringLiteral("; ")).toUtf8());
        }
        out.append('\n');
        if (options.maxDepth >= 0 && node.depth >= options.maxDepth)
            continue;
        for (qint32 row = node.childCount - 1; row >= 0; --row)
            stack.push_back(node.firstChild + row);
    }
    return out;
}

QJsonArray dumpJson(const Tree &tree, const DumpOptions &options)
{
    QJsonArray roots;
    for (qint32 root = 0; root < tree.rootCount(); ++root)
        roots.append(nodeJson(tree, root, options.maxDepth));
    return roots;
}

} // namespace trustscope::core::asn1
