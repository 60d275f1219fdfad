#include "Asn1Model.h"

#include <QBrush>
#include <QColor>

namespace trustscope::ui {

using namespace trustscope::core::asn1;

Asn1Model::Asn1Model(QObject *parent)
    : QAbstractItemModel(parent)
{}

void Asn1Model::setTree(std::shared_ptr<const Tree> tree)
{
    beginResetModel();
    m_tree = std::move(tree);
    m_fetched.assign(m_tree ? m_tree->nodes().size() : 0, false);
    endResetModel();
}

void Asn1Model::completeTree(std::shared_ptr<const Tree> complete)
{
    if (!m_tree || !complete || m_tree->data() != complete->data()) {
        setTree(std::move(complete));
        return;
    }
    // Nodes of the preview's last level gain children: views must ask hasChildren() again.
    Q_EMIT layoutAboutToBeChanged();
    m_tree = std::move(complete);
    m_fetched.resize(m_tree->nodes().size(), false);
    Q_EMIT layoutChanged();
}

QModelIndex Asn1Model::index(int row, int column, const QModelIndex &parent) const
{
    if (!m_tree || row < 0 || column < 0 || column >= 4 || row >= rowCount(parent))
        return {};
    return createIndex(row, column, quintptr(m_tree->child(nodeOf(parent), row)));
}

QModelIndex Asn1Model::parent(const QModelIndex &child) const
{
    if (!m_tree || !child.isValid())
        return {};
    const qint32 parentNode = m_tree->node(nodeOf(child)).parent;
    if (parentNode < 0)
        return {};
    const qint32 grandParent = m_tree->node(parentNode).parent;
    const qint32 row = grandParent < 0 ? parentNode : parentNode - m_tree->node(grandParent).firstChild;
    return createIndex(row, 0, quintptr(parentNode));
}

int Asn1Model::rowCount(const QModelIndex &parent) const
{
    if (!m_tree || parent.column() > 0)
        return 0;
    if (!parent.isValid())
        return m_tree->rootCount();
    const qint32 node = nodeOf(parent);
    return m_fetched[size_t(node)] ? m_tree->node(node).childCount : 0;
}

int Asn1Model::columnCount(const QModelIndex &) const
{
    return 4;
}

bool Asn1Model::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_tree && m_tree->rootCount() > 0;
    return parent.column() == 0 && m_tree->node(nodeOf(parent)).childCount > 0;
}

bool Asn1Model::canFetchMore(const QModelIndex &parent) const
{
    return parent.isValid() && parent.column() == 0 && m_tree->node(nodeOf(parent)).childCount > 0 &&
           !m_fetched[size_t(nodeOf(parent))];
}

void Asn1Model::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const qint32 node = nodeOf(parent);
    beginInsertRows(parent, 0, m_tree->node(node).childCount - 1);
    m_fetched[size_t(node)] = true;
    endInsertRows();
}

QModelIndex Asn1Model::indexOfNode(qint32 node)
{
    if (!m_tree || node < 0 || node >= qint32(m_tree->nodes().size()))
        return {};
    std::vector<qint32> path;
    for (qint32 current = node; current >= 0; current = m_tree->node(current).parent)
        path.push_back(current);
    QModelIndex index;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const qint32 parentNode = m_tree->node(*it).parent;
        if (index.isValid())
            fetchMore(index);
        const qint32 row = parentNode < 0 ? *it : *it - m_tree->node(parentNode).firstChild;
        index = this->index(row, 0, index);
    }
    return index;
}

QVariant Asn1Model::data(const QModelIndex &index, int role) const
{
    if (!m_tree || !index.isValid())
        return {};
    const qint32 node = nodeOf(index);
    const Node &entry = m_tree->node(node);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case 0:
            return m_tree->typeName(node);
        case 1:
            return m_tree->value(node);
        case 2:
            return qint64(entry.offset);
        default:
            return qint64(entry.contentLength);
        }
    case Qt::ToolTipRole: {
        const QStringList errors = m_tree->errors(node);
        return errors.isEmpty() ? QVariant() : QVariant(errors.join(QLatin1Char('\n')));
    }
    case Qt::ForegroundRole:
        return entry.errors & ~IndefiniteLength ? QVariant(QBrush(QColor(0xd0, 0x3a, 0x2f))) : QVariant();
    case NodeIndexRole:
        return node;
    default:
        return {};
    }
}

QVariant Asn1Model::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const titles[] = {"Type", "Value", "Offset", "Length"};
    return tr(titles[section]);
}

} // namespace trustscope::ui
