#pragma once

#include "Jobs.h"
#include "apple/Ats.h"
#include "inspect/Inspection.h"
#include "tls/Backends.h"
#include "tls/TlsFetch.h"
#include "trust/Exceptions.h"

#include <QModelIndex>
#include <QObject>

#include <functional>
#include <memory>

class QWidget;

namespace trustscope::ui {

class DocumentModel;
class PasswordPrompt;
class RecentItems;

// The open inspections of a window and the work that makes them: files loaded, servers fetched,
// connections compared, chains judged and ATS probes — each through core/inspect on a worker
// (Jobs), its result added to the document model. The window only shows what the session
// announces. The trust settings come from the window (settingsFor) when a verdict is made.
class Session final : public QObject {
    Q_OBJECT
public:
    using SettingsFor = std::function<core::inspect::TrustSettings(const QString &host)>;
    // How an opened document should be shown.
    enum class Opened {
        File,       // select its first object
        Connection, // a fetch that connected: select its leaf
        Failed,     // a fetch that did not connect: select the document (its error)
        Backends,   // a comparison: the document and the Backends tab
    };
    Q_ENUM(Opened)

    Session(QWidget *passwordParent, SettingsFor settingsFor, QObject *parent);
    ~Session() override; // shutDown()

    [[nodiscard]] DocumentModel *documents() const { return m_documents; }
    [[nodiscard]] Jobs *jobs() const { return m_jobs; }
    [[nodiscard]] RecentItems *recent() const { return m_recent; } // what was opened and fetched

    void openFile(const QString &path);
    void openText(const QByteArray &text, const QString &title);
    void fetch(const core::tls::FetchOptions &options, const QString &clientCertificatePath, const QString &target);
    void compareBackends(const core::tls::BackendOptions &backends, const QString &target);
    void evaluate(const QModelIndex &document); // again, with the current settings
    void evaluateAll();                         // every open document (e.g. a CRL came or went)
    void diagnoseAts(const core::tls::FetchOptions &options);
    // The exception that would accept exactly what the document's verdict failed, for its
    // server (the connection's host, else the policy's host name), or why there can be none.
    [[nodiscard]] core::Result<core::trust::TrustException> exceptionFor(const QModelIndex &document) const;
    // A password asked for is answered with none, every job is cancelled and waited for, and no
    // announcement follows: the owner calls this before its widgets go.
    void shutDown();

Q_SIGNALS:
    void status(const QString &message, int timeoutMs); // for the status bar
    void openFailed(const QString &title, const core::Error &error);
    void opened(const QModelIndex &document, Session::Opened how);
    void evaluated(quint64 documentId);
    void trustProblems(const QStringList &messages); // the settings could not be read in full
    void atsDiagnosed(const core::apple::AtsReport &report);

private:
    void announceProblems(const core::inspect::Inspection &inspection);
    struct LoadOutcome {
        QString title;
        core::Result<core::Document> document;
        QString path; // the file's absolute path; empty for text and drops
    };
    void load(std::function<LoadOutcome()> work);

    DocumentModel *m_documents;
    Jobs *m_jobs;
    RecentItems *m_recent;
    std::shared_ptr<PasswordPrompt> m_passwords; // shared with the loaders that may ask
    SettingsFor m_settingsFor;
};

} // namespace trustscope::ui
