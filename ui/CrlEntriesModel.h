#pragma once

#include "asn1/Asn1Tree.h"
#include "x509/CrlIndex.h"

#include <QAbstractTableModel>

#include <memory>

namespace trustscope::ui {

// The revoked certificates of a CRL, 1 000 rows at a time as the view scrolls (fetchMore),
// read on demand from the already parsed ASN.1 tree.
class CrlEntriesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int pageSize = 1000;
    explicit CrlEntriesModel(QObject *parent = nullptr);
    void setTree(std::shared_ptr<const core::asn1::Tree> tree); // nullptr or not a CRL: empty
    [[nodiscard]] int totalCount() const { return m_index ? m_index->count() : 0; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const core::asn1::Tree> m_tree;
    std::unique_ptr<core::CrlIndex> m_index;
    int m_loaded = 0;
};

} // namespace trustscope::ui
