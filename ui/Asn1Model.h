#pragma once

#include "asn1/Asn1Tree.h"

#include <QAbstractItemModel>

#include <memory>

namespace trustscope::ui {

// The ASN.1 tree of one object. Lazy like QFileSystemModel: a node reports children before
// they are inserted, and fetchMore() inserts them, so a 1.6 million node CRL opens at once.
// Columns: Type, Value, Offset, Length.
class Asn1Model : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role { NodeIndexRole = Qt::UserRole + 1 };

    explicit Asn1Model(QObject *parent = nullptr);
    void setTree(std::shared_ptr<const core::asn1::Tree> tree);
    // Replaces a preview (Tree::isComplete() false) by the complete walk of the same bytes.
    // Node indices agree, so expansion, selection and scroll position stay.
    void completeTree(std::shared_ptr<const core::asn1::Tree> complete);
    [[nodiscard]] const core::asn1::Tree *tree() const { return m_tree.get(); }
    // The model index of a node, fetching its ancestors as needed; invalid if there is none.
    [[nodiscard]] QModelIndex indexOfNode(qint32 node);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] qint32 nodeOf(const QModelIndex &index) const
    {
        return index.isValid() ? qint32(index.internalId()) : -1;
    }
    std::shared_ptr<const core::asn1::Tree> m_tree;
    std::vector<bool> m_fetched; // per node: children inserted
};

} // namespace trustscope::ui
