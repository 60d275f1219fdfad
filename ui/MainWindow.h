#pragma once

#include "x509/Document.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QLineEdit;
class QTabWidget;
class QTreeView;
class QSplitter;
class QLabel;

namespace trustscope::ui {

class DocumentModel;
class DetailsModel;
class PasswordPrompt;
class TextPane;
class TrustPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Each opens in a worker; the document appears in the tree when it is loaded.
    void openFiles(const QStringList &paths);
    void openText(const QByteArray &text, const QString &title);
    // Files, host:port or URLs, as given on the command line.
    void openArguments(const QStringList &arguments);

    [[nodiscard]] DocumentModel *documentModel() const { return m_documents; }
    [[nodiscard]] DetailsModel *detailsModel() const { return m_details; }
    [[nodiscard]] TrustPanel *trustPanel() const { return m_trustPanel; }
    [[nodiscard]] TextPane *pemPane() const { return m_pemPane; }
    [[nodiscard]] QTreeView *documentTree() const { return m_documentTree; }
    [[nodiscard]] int pendingLoads() const { return m_pendingLoads; }

Q_SIGNALS:
    void loadsFinished(); // every open started so far has ended

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    struct LoadOutcome {
        QString title;
        core::Result<core::Document> document;
    };
    void startLoad(std::function<LoadOutcome()> work);
    void finishLoad(QFutureWatcher<LoadOutcome> *watcher);
    void showSelected();
    void submitAddress();
    void pasteFromClipboard();
    void closeCurrentDocument();
    void chooseFiles();
    void buildMenus();

    DocumentModel *m_documents;
    DetailsModel *m_details;
    QLineEdit *m_addressBar;
    QTreeView *m_documentTree;
    QTreeView *m_detailsView;
    QTabWidget *m_tabs;
    TextPane *m_pemPane;
    TrustPanel *m_trustPanel;
    QSplitter *m_splitter;
    QLabel *m_statusFacts;
    std::unique_ptr<PasswordPrompt> m_passwords;
    int m_pendingLoads = 0;
};

} // namespace trustscope::ui
