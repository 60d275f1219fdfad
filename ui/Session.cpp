#include "Session.h"

#include "DocumentModel.h"
#include "PasswordPrompt.h"
#include "RecentItems.h"

#include <QFile>
#include <QFileInfo>

namespace trustscope::ui {

using namespace trustscope::core;

Session::Session(QWidget *passwordParent, SettingsFor settingsFor, QObject *parent)
    : QObject(parent)
    , m_documents(new DocumentModel(this))
    , m_jobs(new Jobs(this))
    , m_recent(new RecentItems(this))
    , m_passwords(std::make_shared<PasswordPrompt>(passwordParent))
    , m_settingsFor(std::move(settingsFor))
{
    connect(m_jobs, &Jobs::jobProgress, this, [this](const QString &message) { Q_EMIT status(message, 0); });
}

Session::~Session()
{
    shutDown();
}

void Session::shutDown()
{
    m_passwords->close();
    m_jobs->shutDown();
}

void Session::announceProblems(const inspect::Inspection &inspection)
{
    const QStringList messages = inspection.problems + inspection.warnings;
    if (!messages.isEmpty())
        Q_EMIT trustProblems(messages);
}

void Session::load(std::function<LoadOutcome()> work)
{
    Q_EMIT status(tr("Loading…"), 0);
    m_jobs->runJob<LoadOutcome>(
        Jobs::JobKind::Local, [work = std::move(work)](const JobContext &) { return work(); },
        [this](LoadOutcome &&outcome) {
            if (!outcome.document) {
                Q_EMIT status(outcome.document.error().toString(), 15000);
                Q_EMIT openFailed(outcome.title, outcome.document.error());
                return;
            }
            const Document &document = *outcome.document;
            if (!outcome.path.isEmpty())
                m_recent->rememberFile(outcome.path);
            const QModelIndex documentIndex = m_documents->addDocument(document, outcome.title);
            evaluate(documentIndex);
            Q_EMIT opened(documentIndex, Opened::File);
            QString message = tr("%1: %n object(s)", nullptr, int(document.objects.size())).arg(outcome.title);
            if (!document.errors.isEmpty())
                message += tr(", %n could not be read — %1", nullptr, int(document.errors.size()))
                               .arg(document.errors.first().toString());
            Q_EMIT status(message, 15000);
        });
}

void Session::openFile(const QString &path)
{
    load([path, passwords = m_passwords] { // shared: the prompt outlives the worker
        return LoadOutcome{QFileInfo(path).fileName(), loadDocumentFile(path, passwords.get()),
                           QFileInfo(path).absoluteFilePath()};
    });
}

void Session::openText(const QByteArray &text, const QString &title)
{
    load([text, title, passwords = m_passwords] {
        return LoadOutcome{title, loadDocument(text, title, passwords.get()), QString()};
    });
}

void Session::fetch(const tls::FetchOptions &options, const QString &clientCertificatePath, const QString &target)
{
    const QString title = options.host + QLatin1Char(':') + QString::number(options.port);
    Q_EMIT status(tr("Connecting to %1…").arg(title), 0);
    const auto connect = [options = tls::FetchOptions(options),
                          clientCertificatePath](const JobContext &context) mutable {
        if (!clientCertificatePath.isEmpty()) {
            QFile file(clientCertificatePath);
            if (file.open(QIODevice::ReadOnly))
                options.clientCertificatePem = file.readAll();
        }
        return inspect::inspectEndpoint(options, context.cancel);
    };
    m_jobs->runJob<inspect::Inspection>(
        Jobs::JobKind::Network, connect, [this, title, target](inspect::Inspection &&inspection) {
            const tls::FetchResult &result = *inspection.connection;
            if (result.ok())
                m_recent->rememberHost(target);
            const QModelIndex documentIndex = m_documents->addDocument(*inspection.document, title, result);
            if (result.ok())
                evaluate(documentIndex);
            Q_EMIT opened(documentIndex, result.ok() ? Opened::Connection : Opened::Failed);
            Q_EMIT status(result.ok()
                              ? tr("%1: %2, %n certificate(s) in %3 ms", nullptr, int(result.presentedChain.size()))
                                    .arg(title, result.protocol)
                                    .arg(result.elapsedMs)
                              : tr("%1: %2 failed: %3").arg(title, result.errorStage, result.errorMessage),
                          15000);
        });
}

void Session::compareBackends(const tls::BackendOptions &backends, const QString &target)
{
    const inspect::TrustSettings settings = m_settingsFor(backends.fetch.host);
    const QString title = tr("%1:%2 — backends").arg(backends.fetch.host).arg(backends.fetch.port);
    Q_EMIT status(tr("Connecting to %1…").arg(title), 0);
    const auto compare = [backends, settings, title](const JobContext &context) {
        auto inspection = inspect::compareEndpoint(backends, context.cancel, [&](int finished, int all) {
            context.progress(tr("%1: %2 of %3 connections…").arg(title).arg(finished).arg(all));
        });
        if (inspection) // each distinct chain judged like a single fetch, trust exceptions included
            inspect::evaluate(*inspection, settings, context.cancel);
        return inspection;
    };
    m_jobs->runJob<Result<inspect::Inspection>>(
        Jobs::JobKind::Network, compare, [this, title, target](Result<inspect::Inspection> &&inspection) {
            if (!inspection) {
                Q_EMIT status(tr("%1: %2").arg(title, inspection.error().toString()), 15000);
                return;
            }
            announceProblems(*inspection);
            const tls::BackendReport &report = *inspection->backends;
            const QModelIndex documentIndex = m_documents->addDocument(
                *inspection->document, title, inspection->connection.value_or(tls::FetchResult{}));
            m_documents->setBackends(m_documents->documentId(documentIndex), report);
            m_recent->rememberHost(target);
            Q_EMIT opened(documentIndex, Opened::Backends);
            Q_EMIT status(
                report.agree()
                    ? tr("%1: %n connection(s), all agree", nullptr, int(report.connections.size())).arg(title)
                    : tr("%1: the connections differ — %2").arg(title, report.inconsistencies.first()),
                15000);
        });
}

Result<trust::TrustException> Session::exceptionFor(const QModelIndex &document) const
{
    const trust::Evaluation *evaluation = m_documents->evaluation(document);
    if (!evaluation)
        return fail(Error::Code::InvalidInput, tr("The document has no verdict yet."));
    const tls::FetchResult *connection = m_documents->connection(document);
    const trust::Policy policy = m_settingsFor(connection ? connection->host : QString()).policy;
    if (policy.hostName.isEmpty())
        return fail(Error::Code::InvalidInput,
                    tr("An exception belongs to a server: set the host name in the policy first."));
    return trust::exceptionFor(*evaluation, policy.hostName, connection ? connection->port : 443,
                               trust::policyKindName(policy.kind));
}

void Session::evaluate(const QModelIndex &documentIndex)
{
    // What the document holds, as an inspection: its chain, or its backends' distinct chains
    // (each judged on its own), and the connection it came from.
    inspect::Inspection inspection;
    if (const tls::BackendReport *backends = m_documents->backends(documentIndex)) {
        inspection.kind = inspect::Inspection::Kind::Backends;
        inspection.backends = *backends;
    } else if (const Document *document = m_documents->document(documentIndex)) {
        inspection.chain = inspect::certificatesOf(*document);
        if (inspection.chain.isEmpty())
            return;
    } else {
        return;
    }
    const tls::FetchResult *connection = m_documents->connection(documentIndex);
    if (connection) {
        inspection.connection = *connection;
        if (inspection.kind == inspect::Inspection::Kind::File)
            inspection.kind = inspect::Inspection::Kind::Endpoint;
    }
    inspect::TrustSettings settings = m_settingsFor(inspection.backends ? inspection.backends->host
                                                    : connection        ? connection->host
                                                                        : QString());
    // A CA certificate opened on its own (a root or an intermediate file) is judged as a CA, as
    // Keychain Access does, not as a TLS server's certificate that it can never be.
    const bool judgedAsCa = inspection.kind == inspect::Inspection::Kind::File && settings.policy.hostName.isEmpty() &&
                            inspection.chain.first().isCa && settings.policy.kind == trust::PolicyKind::SslServer;
    if (judgedAsCa)
        settings.policy.kind = trust::PolicyKind::Basic;
    const quint64 id = m_documents->documentId(documentIndex);
    const auto judge = [inspection = std::move(inspection), settings, judgedAsCa](const JobContext &context) mutable {
        inspect::evaluate(inspection, settings, context.cancel); // reads the root files and the exception store
        if (judgedAsCa && inspection.evaluation)
            inspection.evaluation->notes.append(
                tr("Judged as a CA certificate (the basic X.509 policy): it is not a TLS server's certificate. "
                   "Set a host name in the policy editor to judge it as one."));
        return inspection;
    };
    m_jobs->runJob<inspect::Inspection>(Jobs::JobKind::Local, std::move(judge),
                                        [this, id](inspect::Inspection &&judged) {
                                            announceProblems(judged);
                                            if (judged.backends)
                                                m_documents->setBackends(id, *judged.backends);
                                            else if (judged.evaluation)
                                                m_documents->setEvaluation(id, *judged.evaluation);
                                            m_documents->setPlatformVerdicts(id, {judged.apple, judged.rootPrograms});
                                            Q_EMIT evaluated(id);
                                        });
}

void Session::evaluateAll()
{
    for (int row = 0; row < m_documents->rowCount(); ++row)
        evaluate(m_documents->index(row, 0));
}

void Session::diagnoseAts(const tls::FetchOptions &options)
{
    const inspect::TrustSettings settings = m_settingsFor(options.host);
    Q_EMIT status(tr("Probing %1:%2 the way App Transport Security would…").arg(options.host).arg(options.port), 0);
    const auto probe = [options, settings](const JobContext &context) {
        return apple::diagnoseAts(options, settings, context.cancel);
    };
    m_jobs->runJob<apple::AtsReport>(Jobs::JobKind::Network, probe, [this](apple::AtsReport &&report) {
        Q_EMIT atsDiagnosed(report);
        Q_EMIT status(tr("ATS diagnostics done"), 5000);
    });
}

} // namespace trustscope::ui
