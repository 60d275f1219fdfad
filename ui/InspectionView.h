#pragma once

#include "Error.h"
#include "Session.h"

#include <QByteArray>
#include <QModelIndex>
#include <QWidget>

#include <optional>

class QAction;
class QSettings;
class QSplitter;
class QStackedWidget;
class QTabBar;
class QTabWidget;
class QTreeView;

namespace trustscope::ui {

class Asn1Pane;
class BackendsView;
class DetailsModel;
class DocumentModel;
class Jobs;
class TextPane;
class TracePane;
class TrustPanel;

// What the window shows of the open inspections: the documents as tabs and as a tree, the
// selected object's Details / ASN.1 / PEM / Entries / Trace / Backends tabs, and its verdict in
// the trust panel. It follows the selection; the window adds the address bar, menus and actions.
class InspectionView final : public QWidget {
    Q_OBJECT
public:
    // `banner` (the message bar) goes between the document tabs and the panes.
    InspectionView(DocumentModel *documents, Jobs *jobs, QWidget *banner, QWidget *parent);

    // Shown in place of the tabs while no document is open (the window's StartPage).
    void setStartPage(QWidget *startPage);
    [[nodiscard]] bool startPageShown() const;
    void showSelected();                                               // the tree's current row, in every pane
    void showOpened(const QModelIndex &document, Session::Opened how); // select what a new document shows first
    void documentEvaluated(quint64 documentId);                        // new verdicts: refresh if shown
    [[nodiscard]] QModelIndex currentDocument() const;                 // the top-level row of the selection
    bool showTab(const QString &name);                                 // "Details", "ASN.1", "PEM" …
    // The pane sizes and the chosen tab (splitter, tab), kept in the window's settings group.
    void saveState(QSettings &settings) const;
    void restoreState(QSettings &settings);
    // The selected object (PEM or DER), or the selected document's certificates (PEM chain in the
    // order sent, or PKCS#7), in the format `path`'s extension names (core/x509/Export).
    [[nodiscard]] core::Result<QByteArray> exportSelection(const QString &path, bool wholeChain) const;
    // The current document's chain as an NSPinnedDomains entry, and the host it is for.
    struct PinnedDomains {
        QString host;
        QString plist;
    };
    [[nodiscard]] std::optional<PinnedDomains> pinnedDomains() const;

    [[nodiscard]] DetailsModel *detailsModel() const { return m_details; }
    [[nodiscard]] QTreeView *documentTree() const { return m_documentTree; }
    [[nodiscard]] QTreeView *detailsView() const { return m_detailsView; }
    [[nodiscard]] TextPane *pemPane() const { return m_pemPane; }
    [[nodiscard]] TrustPanel *trustPanel() const { return m_trustPanel; }
    [[nodiscard]] Asn1Pane *asn1Pane() const { return m_asn1Pane; }
    [[nodiscard]] TracePane *tracePane() const { return m_tracePane; }
    [[nodiscard]] BackendsView *backendsView() const { return m_backendsView; }
    [[nodiscard]] QTabBar *documentTabs() const { return m_documentTabs; }
    [[nodiscard]] QSplitter *splitter() const { return m_splitter; }
    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void factsChanged(const QString &facts); // protocol · cipher · group, or type · container
    void asn1RowsShown();
    void asn1Ready();

private:
    void syncDocumentTabs();
    void selectFieldBytes(const QModelIndex &detailsIndex);

    DocumentModel *m_documents;
    DetailsModel *m_details;
    QTreeView *m_documentTree;
    QAction *m_neverTrust = nullptr; // in the tree's context menu, checked for a never-trusted certificate
    QTreeView *m_detailsView;
    QTabWidget *m_tabs;
    TextPane *m_pemPane;
    TrustPanel *m_trustPanel;
    Asn1Pane *m_asn1Pane;
    TracePane *m_tracePane;
    BackendsView *m_backendsView;
    QSplitter *m_splitter;
    QTabBar *m_documentTabs;
    QStackedWidget *m_middle; // the start page or the tabs
    QWidget *m_startPage = nullptr;
    QByteArray m_shownDer;         // what the ASN.1 and PEM panes show: refreshes skip them
    quint64 m_shownBackends = 0;   // the document whose comparison the Backends tab shows
    int m_selectedConnection = -1; // its row chosen there
    QString m_shownTrace;          // document id / connection whose trace the Trace tab shows
};

} // namespace trustscope::ui
