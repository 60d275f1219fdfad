#include "MainWindow.h"

#include "AddressBar.h"
#include "AppInfo.h"
#include "Dialogs.h"
#include "DocumentModel.h"
#include "ExceptionsDialog.h"
#include "FetchOptionsPanel.h"
#include "GeneratorDialog.h"
#include "Icons.h"
#include "JobStatus.h"
#include "Jobs.h"
#include "MessageBar.h"
#include "RecentMenu.h"
#include "StartPage.h"
#include "TrustPanel.h"
#include "apple/AppleDiagnosis.h"

#include "x509/Export.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QUrl>

namespace trustscope::ui {

using namespace trustscope::core;

namespace {
QStringList localPaths(const QMimeData &mime)
{
    QStringList paths;
    for (const QUrl &url : mime.urls())
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    return paths;
}

// Each part of the window keeps its state in its own group of the settings.
template <typename Keep> void inGroup(QSettings &settings, const char *group, Keep keep)
{
    settings.beginGroup(QLatin1String(group));
    keep();
    settings.endGroup();
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new Session(
          this, [this](const QString &host) { return trustSettings(host); }, this))
    , m_documents(m_session->documents())
    , m_addressBar(new AddressBar(m_session->recent(), this))
    , m_fetchOptions(m_addressBar->options())
    , m_statusFacts(new QLabel(this))
    , m_messageBar(new MessageBar(this))
    , m_view(new InspectionView(m_documents, m_session->jobs(), m_messageBar, this))
{
    setWindowTitle(tr("Trustscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/trustscope.svg")));
    setAcceptDrops(true);
    createActions();
    buildToolBars();
    buildStatusBar();

    auto *startPage = new StartPage(m_session->recent(), m_view);
    connect(startPage, &StartPage::inspectServerRequested, this, &MainWindow::focusAddressBar);
    connect(startPage, &StartPage::fetchRequested, this, &MainWindow::fetch);
    connect(startPage, &StartPage::openFilesRequested, this, &MainWindow::chooseFiles);
    connect(startPage, &StartPage::openFileRequested, this, [this](const QString &path) { openFiles({path}); });
    connect(startPage, &StartPage::pasteRequested, this, &MainWindow::pasteFromClipboard);
    connect(startPage, &StartPage::generateRequested, this, &MainWindow::showGenerator);
    connect(startPage, &StartPage::explainRequested, this, &MainWindow::explainError);
    m_view->setStartPage(startPage);
    setCentralWidget(m_view);
    connect(m_view, &InspectionView::asn1RowsShown, this, &MainWindow::asn1RowsShown);
    connect(m_view, &InspectionView::asn1Ready, this, &MainWindow::asn1Ready);
    connect(m_view, &InspectionView::factsChanged, m_statusFacts, &QLabel::setText);
    connect(m_view->trustPanel(), &TrustPanel::exceptionRequested, this, &MainWindow::requestException);
    connect(m_view->trustPanel(), &TrustPanel::inspectRequested, this, &MainWindow::fetch);
    connect(m_view->trustPanel(), &TrustPanel::policyChanged, this, [this] {
        if (const QModelIndex current = m_view->currentDocument(); current.isValid()) {
            m_view->trustPanel()->showEvaluating();
            evaluateDocument(current);
        }
    });
    connect(m_view->trustPanel(), &TrustPanel::neverTrustedChanged, this, [this] {
        auto stored = applicationSettings();
        inGroup(stored, "policy", [&] { m_view->trustPanel()->saveSettings(stored); });
    });
    connect(m_documents, &QAbstractItemModel::rowsInserted, this, &MainWindow::openCrlsChanged);
    connect(m_documents, &QAbstractItemModel::rowsRemoved, this, &MainWindow::openCrlsChanged);
    connectSession();
    buildMenus();
    resize(1300, 800);
    restoreSettings();
}

// One action per command, shared by the menus, the toolbar and the start page's shortcuts.
void MainWindow::createActions()
{
    // The short icon text sits beside the icon: the toolbar fits an 800-pixel window.
    const auto make = [this](IconName icon, const QString &text, const QString &iconText, const QString &toolTip,
                             const QKeySequence &shortcut, auto slot) {
        auto *action = new QAction(themedIcon(icon), text, this);
        action->setIconText(iconText);
        action->setToolTip(toolTip);
        action->setShortcut(shortcut);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_actions.open =
        make(IconName::Open, tr("&Open…"), tr("Open"), tr("Open certificate, key, CRL and bundle files (Ctrl+O)"),
             QKeySequence::Open, &MainWindow::chooseFiles);
    m_actions.paste = make(IconName::Paste, tr("Open from &Clipboard"), tr("Paste"),
                           tr("Open the PEM text or files the clipboard holds"), QKeySequence::Paste,
                           &MainWindow::pasteFromClipboard);
    m_actions.fetch = make(IconName::Fetch, tr("&Fetch"), tr("Fetch"),
                           tr("Connect to the server in the address bar (F5: again)"), QKeySequence::Refresh, [this] {
                               if (!m_addressBar->text().isEmpty() && m_addressBar->text() != m_lastTarget)
                                   submitAddress(m_addressBar->text());
                               else if (!m_lastTarget.isEmpty())
                                   fetch(m_lastTarget);
                               else
                                   focusAddressBar();
                           });
    m_actions.stop = make(IconName::Stop, tr("&Stop"), tr("Stop"), tr("Stop the work under way (Esc)"),
                          QKeySequence(Qt::Key_Escape), &MainWindow::cancelFetches);
    m_actions.stop->setEnabled(false);
    m_actions.backends =
        make(IconName::Backends, tr("Compare Every &Backend"), tr("Backends"),
             tr("Connect to every address of the server several times and compare what each sends"),
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B), [this] {
                 const QString target = m_addressBar->text().isEmpty() ? m_lastTarget : m_addressBar->text();
                 if (target.isEmpty()) // every address, several times: a load balancer hides backends behind one
                     focusAddressBar();
                 else
                     compareBackends(target, true, qMax(4, m_fetchOptions->backends().repeat),
                                     m_fetchOptions->backends().intervalMs);
             });
    m_actions.exceptions = make(IconName::Exceptions, tr("Trust &Exceptions…"), tr("Exceptions"),
                                tr("The exceptions recorded: list, remove, import and export"), QKeySequence(),
                                &MainWindow::showExceptionsManager);
    m_actions.generate = make(IconName::Generate, tr("&Generate Test PKI…"), tr("Generate"),
                              tr("Make roots, intermediates, leaf certificates and failing chains"),
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), &MainWindow::showGenerator);
    m_actions.explain = make(IconName::Explain, tr("E&xplain an Error Message…"), tr("Explain"),
                             tr("What NSURLErrorDomain -1202, -9807 or SSL alert 42 means, and the fix"),
                             QKeySequence(Qt::CTRL | Qt::Key_E), &MainWindow::explainError);
}

void MainWindow::buildToolBars()
{
    QToolBar *main = addToolBar(tr("Main"));
    main->setObjectName(QStringLiteral("mainToolBar"));
    main->setMovable(false);
    main->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    main->addActions({m_actions.open, m_actions.paste});
    main->addSeparator();
    main->addActions({m_actions.fetch, m_actions.stop, m_actions.backends});
    main->addSeparator();
    main->addActions({m_actions.exceptions, m_actions.generate, m_actions.explain});
    addToolBarBreak();

    auto *addressToolBar = addToolBar(tr("Address"));
    addressToolBar->setObjectName(QStringLiteral("addressToolBar"));
    addressToolBar->setMovable(false);
    addressToolBar->addWidget(m_addressBar);
    connect(m_addressBar, &AddressBar::submitted, this, &MainWindow::submitAddress);
}

// What is running, with a progress indicator and Cancel; the facts of the selection.
void MainWindow::buildStatusBar()
{
    connect(m_session->jobs(), &Jobs::pendingJobsChanged, m_actions.stop,
            [this](int pending) { m_actions.stop->setEnabled(pending > 0); });
    connect(m_session->jobs(), &Jobs::allJobsFinished, this, &MainWindow::loadsFinished);
    statusBar()->addPermanentWidget(new JobStatus(m_session->jobs(), this));
    statusBar()->addPermanentWidget(m_statusFacts);
    statusBar()->showMessage(tr("Ready"));
}

// What the user chose last time becomes the default: window state, fetch options, trust policy.
void MainWindow::saveSettings() const
{
    auto stored = applicationSettings();
    stored.setValue(QStringLiteral("window/geometry"), saveGeometry());
    inGroup(stored, "window", [&] { m_view->saveState(stored); });
    inGroup(stored, "fetch", [&] { m_fetchOptions->saveSettings(stored); });
    inGroup(stored, "policy", [&] { m_view->trustPanel()->saveSettings(stored); });
}

void MainWindow::restoreSettings()
{
    auto stored = applicationSettings();
    restoreGeometry(stored.value(QStringLiteral("window/geometry")).toByteArray());
    inGroup(stored, "window", [&] { m_view->restoreState(stored); });
    inGroup(stored, "fetch", [&] { m_fetchOptions->restoreSettings(stored); });
    inGroup(stored, "policy", [&] { m_view->trustPanel()->restoreSettings(stored); });
}

MainWindow::~MainWindow()
{
    // Before any widget goes: a worker asking for a password gets none, every worker is
    // cancelled and waited for, and no result is delivered to a window being destroyed.
    m_session->shutDown();
}

void MainWindow::buildMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_actions.open);
    auto *recentMenu = new RecentMenu(m_session->recent(), fileMenu);
    connect(recentMenu, &RecentMenu::fetchRequested, this, &MainWindow::fetch);
    connect(recentMenu, &RecentMenu::openFileRequested, this, [this](const QString &path) { openFiles({path}); });
    fileMenu->addMenu(recentMenu);
    fileMenu->addAction(m_actions.paste);
    QAction *save = fileMenu->addAction(tr("&Export Selected…"), this, [this] { exportInteractively(false); });
    save->setShortcut(QKeySequence::Save);
    fileMenu->addAction(tr("Export &Chain…"), this, [this] { exportInteractively(true); });
    QAction *close = fileMenu->addAction(tr("&Close Document"), this, &MainWindow::closeCurrentDocument);
    close->setShortcut(QKeySequence::Close);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *goMenu = menuBar()->addMenu(tr("&Go"));
    QAction *address = goMenu->addAction(tr("&Address Bar"), this, &MainWindow::focusAddressBar);
    address->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    goMenu->addActions({m_actions.fetch, m_actions.backends, m_actions.stop});

    QMenu *toolsMenu = menuBar()->addMenu(tr("&Tools"));
    toolsMenu->addAction(m_actions.exceptions);
    toolsMenu->addSeparator();
    toolsMenu->addAction(m_actions.explain);
    toolsMenu->addAction(tr("&ATS Diagnostics for This Server"), this, &MainWindow::runAtsDiagnostics);
    toolsMenu->addAction(tr("Copy NS&PinnedDomains Entry"), this, &MainWindow::copyPinnedDomains);
    toolsMenu->addSeparator();
    toolsMenu->addAction(m_actions.generate);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Trustscope"), this, [this] { showAbout(this); });
}

void MainWindow::openFiles(const QStringList &paths)
{
    for (const QString &path : paths)
        m_session->openFile(path);
}

// What the session announces, shown: the window holds no inspection logic of its own.
void MainWindow::connectSession()
{
    connect(m_session, &Session::status, statusBar(), &QStatusBar::showMessage);
    connect(m_session, &Session::trustProblems, this, [this](const QStringList &messages) {
        for (const QString &message : messages)
            m_messageBar->showMessage(message, MessageBar::Kind::Warning);
    });
    connect(m_session, &Session::openFailed, this,
            [this](const QString &title, const Error &error) { showOpenFailure(this, title, error); });
    connect(m_session, &Session::opened, m_view, &InspectionView::showOpened);
    connect(m_session, &Session::evaluated, m_view, &InspectionView::documentEvaluated);
    connect(m_session, &Session::atsDiagnosed, this,
            [this](const apple::AtsReport &report) { showAtsReport(this, report); });
}

void MainWindow::openArguments(const QStringList &arguments)
{
    for (const QString &argument : arguments) {
        if (QFileInfo::exists(argument))
            openFiles({argument});
        else
            fetch(argument);
    }
}

void MainWindow::submitAddress(const QString &text)
{
    switch (inspect::ClassifiedInput input = inspect::classifyInput(text); input.kind) {
    case inspect::InputKind::File:
        openFiles({text});
        break;
    case inspect::InputKind::PemText:
        openText(text.toUtf8(), tr("Pasted text"));
        break;
    case inspect::InputKind::ErrorMessage:
        m_view->trustPanel()->showExplanation(input.explanation);
        break;
    case inspect::InputKind::Server:
        fetch(text);
        break;
    }
}

void MainWindow::fetch(const QString &target)
{
    if (const FetchOptionsPanel::Backends backends = m_fetchOptions->backends(); backends.comparesConnections()) {
        compareBackends(target, backends.allAddresses, backends.repeat, backends.intervalMs, backends.connectTo);
        return;
    }
    tls::FetchOptions options = m_fetchOptions->options();
    if (!acceptTarget(target, options))
        return;
    m_session->fetch(options, m_fetchOptions->clientCertificatePath(), target);
}

bool MainWindow::acceptTarget(const QString &target, tls::FetchOptions &options)
{
    if (const auto error = tls::parseTarget(target, options)) {
        statusBar()->showMessage(tr("Not a server address: %1").arg(*error), 10000);
        return false;
    }
    m_addressBar->setText(target);
    m_lastTarget = target;
    return true;
}

void MainWindow::setBackendOptions(bool allAddresses, int repeat, const QStringList &connectTo)
{
    FetchOptionsPanel::Backends backends = m_fetchOptions->backends();
    backends.allAddresses = allAddresses;
    backends.repeat = repeat;
    backends.connectTo = connectTo;
    m_fetchOptions->setBackends(backends);
}

void MainWindow::compareBackends(const QString &target, bool allAddresses, int repeat, int intervalMs,
                                 const QStringList &connectTo)
{
    tls::BackendOptions backends;
    backends.fetch = m_fetchOptions->options();
    if (!acceptTarget(target, backends.fetch))
        return;
    backends.allAddresses = allAddresses;
    backends.repeat = repeat;
    backends.intervalMs = intervalMs;
    backends.connectTo = connectTo;
    m_session->compareBackends(backends, target);
}

inspect::TrustSettings MainWindow::trustSettings(const QString &host) const
{
    inspect::TrustSettings settings;
    settings.policy = m_view->trustPanel()->policy(host);
    settings.policy.proxy = m_fetchOptions->proxy();            // downloads go the TLS connection's way
    settings.anchorFiles = m_view->trustPanel()->anchorFiles(); // read by the worker, not here
    // A CRL open beside a chain is revocation evidence for it, as a --crl file is for verify.
    settings.policy.crls += openCrls(nullptr);
    settings.rootPrograms = roots::programIds(); // the trust panel's "Trusted by" row
    settings.rootsProgram = m_view->trustPanel()->rootStore();
    settings.ctLogListFiles = m_view->trustPanel()->ctLogListFiles(); // read by the worker
    return settings;
}

QList<trust::LocalCrl> MainWindow::openCrls(QStringList *setAside) const
{
    QList<trust::LocalCrl> crls;
    QStringList warnings;
    for (int row = 0; row < m_documents->rowCount(); ++row) {
        const QModelIndex index = m_documents->index(row, 0);
        const Document *document = m_documents->document(index);
        if (!document)
            continue;
        const QString name = index.data(Qt::DisplayRole).toString();
        const QString origin = document->fileName.isEmpty() || !QFileInfo(document->fileName).isAbsolute()
                                   ? tr("open document %1").arg(name)
                                   : QUrl::fromLocalFile(document->fileName).toString();
        crls += inspect::usableCrls(*document, origin, name, warnings);
    }
    if (setAside)
        *setAside = warnings;
    return crls;
}

void MainWindow::openCrlsChanged()
{
    // Only when the set of CRLs changed: opening a certificate re-evaluates that one alone.
    QStringList fingerprints;
    for (int row = 0; row < m_documents->rowCount(); ++row)
        if (const Document *document = m_documents->document(m_documents->index(row, 0)))
            for (const PkiObject &object : document->objects)
                if (const auto *crl = object.as<Crl>())
                    fingerprints.append(crl->sha256Hex);
    if (fingerprints == m_openCrlFingerprints)
        return;
    const bool added = fingerprints.size() > m_openCrlFingerprints.size();
    m_openCrlFingerprints = fingerprints;
    QStringList setAside;
    const QList<trust::LocalCrl> crls = openCrls(&setAside);
    m_view->trustPanel()->setOpenCrlCount(int(crls.size()));
    for (const QString &warning : std::as_const(setAside))
        m_messageBar->showMessage(warning, MessageBar::Kind::Warning);
    if (added && !crls.isEmpty())
        statusBar()->showMessage(
            tr("%n open CRL(s) now answer revocation for the open chains", nullptr, int(crls.size())), 10000);
    m_session->evaluateAll();
}

void MainWindow::requestException()
{
    const QModelIndex current = m_view->currentDocument();
    const auto exception = m_session->exceptionFor(current);
    if (!exception) {
        QMessageBox::information(this, tr("Trust Exception"), exception.error().message);
        return;
    }
    const quint64 id = m_documents->documentId(current);
    confirmException(this, *m_documents->evaluation(current), *exception, m_messageBar,
                     [this, id] { evaluateDocument(m_documents->indexOfDocument(id)); });
}

Result<void> MainWindow::exportTo(const QString &path, bool wholeChain)
{
    const Result<QByteArray> bytes = m_view->exportSelection(path, wholeChain);
    if (!bytes)
        return std::unexpected(bytes.error());
    return writeFileAtomically(path, *bytes);
}

void MainWindow::exportInteractively(bool wholeChain)
{
    const QString path =
        wholeChain ? QFileDialog::getSaveFileName(this, tr("Export the Chain as Sent"), QStringLiteral("chain.pem"),
                                                  tr("PEM chain (*.pem);;PKCS#7 bundle (*.p7b)"))
                   : QFileDialog::getSaveFileName(this, tr("Export the Selected Object"), {},
                                                  tr("PEM (*.pem *.crt);;DER (*.der *.cer)"));
    if (path.isEmpty())
        return;
    if (const auto exported = exportTo(path, wholeChain); !exported)
        QMessageBox::warning(this, tr("Cannot export"), exported.error().toString());
    else
        statusBar()->showMessage(tr("Exported to %1").arg(path), 8000);
}

void MainWindow::explainError()
{
    if (const std::optional<QString> text = askForErrorText(this))
        m_view->trustPanel()->showExplanation(apple::explain(*text));
}

void MainWindow::runAtsDiagnostics()
{
    const tls::FetchResult *connection = m_documents->connection(m_view->currentDocument());
    const QString target =
        connection ? QStringLiteral("%1:%2").arg(connection->host).arg(connection->port) : m_addressBar->text();
    tls::FetchOptions options = m_fetchOptions->options();
    if (target.isEmpty() || tls::parseTarget(target, options)) {
        statusBar()->showMessage(tr("ATS diagnostics: fetch a server first, or type one in the address bar"), 10000);
        return;
    }
    m_session->diagnoseAts(options);
}

void MainWindow::copyPinnedDomains()
{
    if (const auto entry = m_view->pinnedDomains()) {
        QApplication::clipboard()->setText(entry->plist);
        statusBar()->showMessage(tr("NSPinnedDomains entry for %1 copied (leaf and CA keys)").arg(entry->host), 8000);
    }
}

GeneratorDialog *MainWindow::showGenerator()
{
    if (!m_generator) {
        m_generator = new GeneratorDialog(this);
        m_generator->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_generator, &GeneratorDialog::filesGenerated, this, [this](const QStringList &paths) {
            // A scenario's root becomes an extra anchor, so its chain shows the failure it was made for.
            for (const QString &path : paths)
                if (QFileInfo(path).fileName() == QLatin1String("root.pem")) {
                    m_view->trustPanel()->addAnchorFile(path);
                    statusBar()->showMessage(tr("%1 added to the trust panel's roots").arg(path), 15000);
                }
            openFiles(paths);
        });
        connect(m_generator, &GeneratorDialog::inspectRequested, this, &MainWindow::fetch);
    }
    m_generator->show();
    m_generator->raise();
    m_generator->activateWindow();
    return m_generator;
}

void MainWindow::showExceptionsManager()
{
    auto *dialog = new ExceptionsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExceptionsDialog::storeChanged, this, [this] { evaluateDocument(m_view->currentDocument()); });
    dialog->open();
}

void MainWindow::pasteFromClipboard()
{
    if (!openMime(QApplication::clipboard()->mimeData(), tr("Pasted text")))
        statusBar()->showMessage(tr("The clipboard holds no text"), 5000);
}

// Local files by path, else text as a document; false if there is neither.
bool MainWindow::openMime(const QMimeData *mime, const QString &title)
{
    if (mime && mime->hasUrls())
        openFiles(localPaths(*mime));
    else if (mime && mime->hasText() && !mime->text().trimmed().isEmpty())
        openText(mime->text().toUtf8(), title);
    else
        return false;
    return true;
}

void MainWindow::closeCurrentDocument()
{
    if (const QModelIndex current = m_view->currentDocument(); current.isValid())
        m_documents->removeDocument(current.row());
}

void MainWindow::chooseFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open Certificates, Keys and Bundles"), {},
        tr("PKI files (*.pem *.crt *.cer *.der *.p7b *.p7c *.p12 *.pfx *.crl *.csr *.key *.pub);;All files (*)"));
    openFiles(paths);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    openMime(event->mimeData(), tr("Dropped text"));
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace trustscope::ui
