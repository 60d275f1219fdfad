#pragma once

#include "AddressBar.h"
#include "Asn1Pane.h"
#include "InspectionView.h"
#include "RecentItems.h"
#include "Session.h"
#include "inspect/Inspection.h"
#include "tls/Backends.h"
#include "tls/TlsFetch.h"
#include "x509/Document.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QMimeData;
class QTabBar;
class QTreeView;
class QLabel;

namespace trustscope::ui {

class GeneratorDialog;

class Asn1Model;
class BackendsView;
class TracePane;
class CrlEntriesModel;
class DocumentModel;
class FetchOptionsPanel;
class HexView;
class DetailsModel;
class TextPane;
class TrustPanel;
class MessageBar;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Each opens in a worker; the document appears in the tree when it is loaded.
    void openFiles(const QStringList &paths);
    void openText(const QByteArray &text, const QString &title) { m_session->openText(text, title); }
    // Files, host:port or URLs, as given on the command line.
    void openArguments(const QStringList &arguments);
    // Fetches a server's chain (host:port or URL) in a worker; it appears as a document.
    void fetch(const QString &target);
    // Connects to `target` many times — every address, the given addresses, `repeat` times each —
    // in a worker, and opens the comparison as a document with a Backends tab.
    void compareBackends(const QString &target, bool allAddresses, int repeat, int intervalMs,
                         const QStringList &connectTo = {});
    // Presets the fetch options so that fetches compare connections (command line: --repeat …).
    void setBackendOptions(bool allAddresses, int repeat, const QStringList &connectTo);
    void cancelFetches() { m_session->jobs()->cancelAll(); }
    // Judges a document in a worker (inspect::evaluate): its chain (first certificate = leaf),
    // or each distinct chain of a backends comparison.
    void evaluateDocument(const QModelIndex &document) { m_session->evaluate(document); }
    // Shows what an exception for the current document would accept, and records it if confirmed.
    void requestException();
    void showExceptionsManager();
    void explainError();              // Tools → Explain an Error Message
    void runAtsDiagnostics();         // for the current server, in a worker
    void copyPinnedDomains();         // the current chain as an NSPinnedDomains entry
    GeneratorDialog *showGenerator(); // Tools → Generate Test PKI (one, non-modal)
    // Writes the current object (PEM or DER) or the current document's certificates (PEM chain
    // in the order sent, or PKCS#7) to `path`, atomically. The format follows the extension:
    // .pem/.crt PEM, .der/.cer DER, .p7b/.p7c PKCS#7; whole document for .p7b/.p7c and "chain".
    [[nodiscard]] core::Result<void> exportTo(const QString &path, bool wholeChain);
    // Shows the middle tab titled `name` ("Details", "ASN.1", "PEM"); false if there is none.
    bool showTab(const QString &name) { return m_view->showTab(name); }

    [[nodiscard]] DocumentModel *documentModel() const { return m_documents; }
    [[nodiscard]] DetailsModel *detailsModel() const { return m_view->detailsModel(); }
    [[nodiscard]] TrustPanel *trustPanel() const { return m_view->trustPanel(); }
    [[nodiscard]] TextPane *pemPane() const { return m_view->pemPane(); }
    [[nodiscard]] QTreeView *documentTree() const { return m_view->documentTree(); }
    // Loads, fetches, comparisons and evaluations under way.
    [[nodiscard]] int pendingLoads() const { return m_session->jobs()->pendingJobs(); }
    [[nodiscard]] Session *session() const { return m_session; }
    [[nodiscard]] InspectionView *inspectionView() const { return m_view; }
    [[nodiscard]] Asn1Model *asn1Model() const { return m_view->asn1Pane()->model(); }
    [[nodiscard]] QTreeView *asn1View() const { return m_view->asn1Pane()->view(); }
    [[nodiscard]] QTreeView *detailsView() const { return m_view->detailsView(); }
    [[nodiscard]] TextPane *asn1Dump() const { return m_view->asn1Pane()->dump(); }
    [[nodiscard]] CrlEntriesModel *crlEntriesModel() const { return m_view->asn1Pane()->crlEntriesModel(); }
    [[nodiscard]] BackendsView *backendsView() const { return m_view->backendsView(); }
    [[nodiscard]] TracePane *tracePane() const { return m_view->tracePane(); }
    [[nodiscard]] HexView *hexView() const { return m_view->asn1Pane()->hexView(); }
    [[nodiscard]] QTabBar *documentTabs() const { return m_view->documentTabs(); }
    [[nodiscard]] MessageBar *messageBar() const { return m_messageBar; }
    [[nodiscard]] QStringList recentFiles() const { return m_session->recent()->files(); }
    [[nodiscard]] QStringList recentHosts() const { return m_session->recent()->hosts(); }

Q_SIGNALS:
    void loadsFinished(); // every open started so far has ended
    void asn1RowsShown(); // the ASN.1 tree shows its first rows (perhaps a preview of a huge object)
    void asn1Ready();     // the ASN.1 tab shows the selected object, completely walked

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void connectSession();
    void submitAddress(const QString &text); // a file, PEM text, an error message or a server
    void pasteFromClipboard();
    bool openMime(const QMimeData *mime, const QString &title);
    void closeCurrentDocument();
    void chooseFiles();
    void createActions();
    void buildToolBars();
    void buildStatusBar();
    void buildMenus();
    void focusAddressBar() { m_addressBar->focusAndSelect(); }
    void exportInteractively(bool wholeChain); // asks for the file, then exportTo
    QPointer<GeneratorDialog> m_generator;
    void saveSettings() const;
    void restoreSettings();
    // The CRLs of the open documents, usable as revocation evidence; delta CRLs are set aside.
    [[nodiscard]] QList<core::trust::LocalCrl> openCrls(QStringList *setAside) const;
    void openCrlsChanged(); // a document came or went: re-evaluate all if the CRLs changed
    QStringList m_openCrlFingerprints;
    // Parses a server address into `options`, or says why not; shows it in the address bar.
    [[nodiscard]] bool acceptTarget(const QString &target, core::tls::FetchOptions &options);
    // The trust panel's settings (policy and root files) for inspect::evaluate, with the fetch
    // options' proxy for the verdict's downloads.
    [[nodiscard]] core::inspect::TrustSettings trustSettings(const QString &host) const;

    Session *m_session;         // the open inspections and every worker of the window
    DocumentModel *m_documents; // the session's
    AddressBar *m_addressBar;
    QString m_lastTarget;
    FetchOptionsPanel *m_fetchOptions; // the address bar's
    QLabel *m_statusFacts;
    MessageBar *m_messageBar;
    InspectionView *m_view;
    struct Actions {
        QAction *open = nullptr;
        QAction *paste = nullptr;
        QAction *fetch = nullptr; // the address bar's server, or the last one again
        QAction *stop = nullptr;
        QAction *backends = nullptr;
        QAction *exceptions = nullptr;
        QAction *generate = nullptr;
        QAction *explain = nullptr;
    } m_actions;
};

} // namespace trustscope::ui
