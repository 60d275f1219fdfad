#include "CrlEntriesModel.h"

#include "x509/Report.h"

namespace trustscope::ui {

CrlEntriesModel::CrlEntriesModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CrlEntriesModel::setTree(std::shared_ptr<const core::asn1::Tree> tree)
{
    beginResetModel();
    m_index.reset();
    m_tree = std::move(tree);
    if (m_tree)
        m_index = std::make_unique<core::CrlIndex>(*m_tree);
    m_loaded = qMin(totalCount(), pageSize);
    endResetModel();
}

int CrlEntriesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_loaded;
}
int CrlEntriesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 4;
}

bool CrlEntriesModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loaded < totalCount();
}

void CrlEntriesModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const int more = qMin(pageSize, totalCount() - m_loaded);
    beginInsertRows({}, m_loaded, m_loaded + more - 1);
    m_loaded += more;
    endInsertRows();
}

QVariant CrlEntriesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole || !m_index)
        return {};
    const core::CrlEntry entry = m_index->entry(index.row());
    switch (index.column()) {
    case 0:
        return entry.serialHex;
    case 1:
        return core::isoUtc(entry.revocationDate);
    case 2:
        return entry.reason;
    default:
        return core::isoUtc(entry.invalidityDate);
    }
}

QVariant CrlEntriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const titles[] = {"Serial Number", "Revoked At", "Reason", "Invalid Since"};
    return tr(titles[section]);
}

} // namespace trustscope::ui
