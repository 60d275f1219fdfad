#pragma once

#include <QByteArray>
#include <QSplitter>

class QTreeView;

namespace trustscope::ui {

class Asn1Model;
class CrlEntriesModel;
class HexView;
class Jobs;
class TextPane;

// The ASN.1 tab: the structure as a tree, its bytes in a hex view and an `asn1parse`-style dump,
// kept in step (a node selects its bytes, a byte its deepest node); and, for a CRL, the table of
// revoked certificates (crlView(), its own tab). Parsing runs on the window's workers (Jobs).
class Asn1Pane final : public QSplitter {
    Q_OBJECT
public:
    Asn1Pane(Jobs *jobs, QWidget *parent);

    void showObject(const QByteArray &der, bool isCrl); // empty: nothing
    void selectField(const QString &field);             // a certificate field (DetailsModel::Asn1FieldRole)

    [[nodiscard]] Asn1Model *model() const { return m_model; }
    [[nodiscard]] QTreeView *view() const { return m_view; }
    [[nodiscard]] HexView *hexView() const { return m_hexView; }
    [[nodiscard]] TextPane *dump() const { return m_dump; }
    [[nodiscard]] CrlEntriesModel *crlEntriesModel() const { return m_crlEntries; }
    [[nodiscard]] QTreeView *crlView() const { return m_crlView; }

Q_SIGNALS:
    void rowsShown(); // the tree shows its first rows (perhaps a preview of a huge object)
    void ready();     // the object is completely walked

private:
    void highlightNode(const QModelIndex &asn1Index);
    void selectNodeAt(qint64 offset);
    void buildAsn1Actions();

    Jobs *m_jobs;
    Asn1Model *m_model;
    QTreeView *m_view;
    HexView *m_hexView;
    TextPane *m_dump;
    CrlEntriesModel *m_crlEntries;
    QTreeView *m_crlView;
    quint64 m_generation = 0; // results of older parses are dropped
};

} // namespace trustscope::ui
