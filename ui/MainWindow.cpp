#include "MainWindow.h"

#include "Asn1Pane.h"
#include "DocumentModel.h"
#include "ExceptionsDialog.h"
#include "FetchOptionsPanel.h"
#include "GeneratorDialog.h"
#include "Icons.h"
#include "InspectionView.h"
#include "Jobs.h"
#include "MessageBar.h"
#include "RecentItems.h"
#include "Session.h"
#include "StartPage.h"
#include "TrustPanel.h"
#include "apple/AppleDiagnosis.h"
#include "apple/Ats.h"

#include "AppInfo.h"
#include "trust/Exceptions.h"
#include "x509/Export.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QCompleter>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QWidgetAction>

namespace trustscope::ui {

using namespace trustscope::core;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new Session(
          this, [this](const QString &host) { return trustSettings(host); }, this))
    , m_documents(m_session->documents())
    , m_addressBar(new QLineEdit(this))
    , m_fetchOptions(new FetchOptionsPanel(this))
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
    connectSession();
    buildMenus();
    resize(1300, 800);
    restoreSettings();
}

// One action per command, shared by the menus, the toolbar and the start page's shortcuts.
void MainWindow::createActions()
{
    const auto make = [this](IconName icon, const QString &text, const QString &toolTip, auto slot) {
        auto *action = new QAction(themedIcon(icon), text, this);
        action->setToolTip(toolTip);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_actions.open = make(IconName::Open, tr("&Open…"), tr("Open certificate, key, CRL and bundle files (Ctrl+O)"),
                          &MainWindow::chooseFiles);
    m_actions.open->setShortcut(QKeySequence::Open);
    m_actions.paste = make(IconName::Paste, tr("Open from &Clipboard"),
                           tr("Open the PEM text or files the clipboard holds"), &MainWindow::pasteFromClipboard);
    m_actions.paste->setShortcut(QKeySequence::Paste);
    m_actions.fetch =
        make(IconName::Fetch, tr("&Fetch"), tr("Connect to the server in the address bar (F5: again)"), [this] {
            if (!m_addressBar->text().trimmed().isEmpty() && m_addressBar->text().trimmed() != m_lastTarget)
                submitAddress();
            else if (!m_lastTarget.isEmpty())
                fetch(m_lastTarget);
            else
                focusAddressBar();
        });
    m_actions.fetch->setShortcut(QKeySequence::Refresh);
    m_actions.stop = make(IconName::Stop, tr("&Stop"), tr("Stop the work under way (Esc)"), &MainWindow::cancelFetches);
    m_actions.stop->setShortcut(QKeySequence(Qt::Key_Escape));
    m_actions.stop->setEnabled(false);
    m_actions.backends =
        make(IconName::Backends, tr("Compare Every &Backend"),
             tr("Connect to every address of the server several times and compare what each sends"), [this] {
                 const QString typed = m_addressBar->text().trimmed();
                 const QString target = typed.isEmpty() ? m_lastTarget : typed;
                 if (target.isEmpty()) // every address, several times: a load balancer hides backends behind one
                     focusAddressBar();
                 else
                     compareBackends(target, true, qMax(4, m_fetchOptions->backends().repeat),
                                     m_fetchOptions->backends().intervalMs);
             });
    m_actions.backends->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    m_actions.exceptions =
        make(IconName::Exceptions, tr("Trust &Exceptions…"),
             tr("The exceptions recorded: list, remove, import and export"), &MainWindow::showExceptionsManager);
    m_actions.generate =
        make(IconName::Generate, tr("&Generate Test PKI…"),
             tr("Make roots, intermediates, leaf certificates and failing chains"), &MainWindow::showGenerator);
    m_actions.generate->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    m_actions.explain =
        make(IconName::Explain, tr("E&xplain an Error Message…"),
             tr("What NSURLErrorDomain -1202, -9807 or SSL alert 42 means, and the fix"), &MainWindow::explainError);
    m_actions.explain->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    // Short labels beside the icons: the toolbar fits an 800-pixel window.
    m_actions.fetch->setIconText(tr("Fetch"));
    m_actions.backends->setIconText(tr("Backends"));
    m_actions.exceptions->setIconText(tr("Exceptions"));
    m_actions.generate->setIconText(tr("Generate"));
    m_actions.explain->setIconText(tr("Explain"));
    m_actions.paste->setIconText(tr("Paste"));
    m_actions.open->setIconText(tr("Open"));
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
    m_addressBar->setPlaceholderText(
        tr("host:port, https://… or smtp://host:587 — or drop certificate files anywhere"));
    m_addressBar->setClearButtonEnabled(true);
    m_addressBar->setAccessibleName(tr("Server address"));
    m_addressBar->setObjectName(QStringLiteral("addressBar"));
    addressToolBar->addWidget(m_addressBar);
    auto *optionsButton = new QToolButton(this);
    optionsButton->setText(tr("Options"));
    optionsButton->setToolTip(tr("SNI, STARTTLS, ALPN, TLS versions, timeout, proxy, client certificate"));
    optionsButton->setPopupMode(QToolButton::InstantPopup);
    auto *optionsMenu = new QMenu(optionsButton);
    auto *optionsAction = new QWidgetAction(optionsMenu);
    optionsAction->setDefaultWidget(m_fetchOptions);
    optionsMenu->addAction(optionsAction);
    optionsButton->setMenu(optionsMenu);
    addressToolBar->addWidget(optionsButton);
    connect(m_addressBar, &QLineEdit::returnPressed, this, &MainWindow::submitAddress);
}

// What is running, with a progress indicator and Cancel; the facts of the selection.
void MainWindow::buildStatusBar()
{
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("jobProgress"));
    m_busy->setRange(0, 0); // busy: a handshake has no meaningful percentage
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setObjectName(QStringLiteral("jobCancel"));
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop the work under way (Esc)"));
    m_cancelButton->hide();
    connect(m_cancelButton, &QToolButton::clicked, this, &MainWindow::cancelFetches);
    // Shown only for work that lasts: a quick evaluation does not make the bar flicker.
    const auto showBusy = [this](bool busy) {
        m_busy->setVisible(busy);
        m_cancelButton->setVisible(busy);
    };
    auto *showDelay = new QTimer(this);
    showDelay->setSingleShot(true);
    showDelay->setInterval(250);
    connect(showDelay, &QTimer::timeout, this, [this, showBusy] { showBusy(m_session->jobs()->pendingJobs() > 0); });
    connect(m_session->jobs(), &Jobs::pendingJobsChanged, this, [this, showDelay, showBusy](int pending) {
        m_actions.stop->setEnabled(pending > 0);
        if (pending == 0) {
            showDelay->stop();
            showBusy(false);
        } else if (m_session->jobs()->networkBusy()) {
            showBusy(true);
        } else if (!showDelay->isActive() && m_busy->isHidden()) {
            showDelay->start();
        }
    });
    connect(m_session->jobs(), &Jobs::allJobsFinished, this, &MainWindow::loadsFinished);
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_cancelButton);
    statusBar()->addPermanentWidget(m_statusFacts);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::focusAddressBar()
{
    m_addressBar->setFocus(Qt::ShortcutFocusReason);
    m_addressBar->selectAll();
}

QStringList MainWindow::recentFiles() const
{
    return m_session->recent()->files();
}

QStringList MainWindow::recentHosts() const
{
    return m_session->recent()->hosts();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList hosts = recentHosts();
    const QStringList files = recentFiles();
    for (const QString &host : hosts)
        m_recentMenu->addAction(themedIcon(IconName::Server), host, this, [this, host] { fetch(host); });
    if (!hosts.isEmpty() && !files.isEmpty())
        m_recentMenu->addSeparator();
    for (const QString &file : files)
        m_recentMenu->addAction(QFileInfo(file).fileName(), this, [this, file] { openFiles({file}); })
            ->setToolTip(file);
    if (!hosts.isEmpty() || !files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear Recent"), m_session->recent(), &RecentItems::clear);
    }
    m_recentMenu->setEnabled(!hosts.isEmpty() || !files.isEmpty());
    auto *completer = new QCompleter(hosts, m_addressBar);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    if (QCompleter *old = m_addressBar->completer())
        old->deleteLater();
    m_addressBar->setCompleter(completer);
}

// What the user chose last time becomes the default: fetch options and the trust policy.
void MainWindow::saveSettings() const
{
    auto stored = applicationSettings();
    stored.setValue(QStringLiteral("window/geometry"), saveGeometry());
    stored.beginGroup(QStringLiteral("window"));
    m_view->saveState(stored);
    stored.endGroup();
    stored.beginGroup(QStringLiteral("fetch"));
    m_fetchOptions->saveSettings(stored);
    stored.endGroup();
    stored.beginGroup(QStringLiteral("policy"));
    m_view->trustPanel()->saveSettings(stored);
    stored.endGroup();
}

void MainWindow::restoreSettings()
{
    auto stored = applicationSettings();
    restoreGeometry(stored.value(QStringLiteral("window/geometry")).toByteArray());
    stored.beginGroup(QStringLiteral("window"));
    m_view->restoreState(stored);
    stored.endGroup();
    stored.beginGroup(QStringLiteral("fetch"));
    m_fetchOptions->restoreSettings(stored);
    stored.endGroup();
    stored.beginGroup(QStringLiteral("policy"));
    m_view->trustPanel()->restoreSettings(stored);
    stored.endGroup();
    rebuildRecentMenu();
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
    m_recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
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
    helpMenu->addAction(tr("&About Trustscope"), this, [this] {
        QMessageBox::about(this, tr("About Trustscope"),
                           tr("<b>Trustscope %1</b><br>Certificate and TLS trust inspector.<br><br>%2")
                               .arg(applicationVersion(), versionReport().toHtmlEscaped().replace(
                                                              QLatin1Char('\n'), QStringLiteral("<br>"))));
    });
}

void MainWindow::openFiles(const QStringList &paths)
{
    for (const QString &path : paths)
        m_session->openFile(path);
}

void MainWindow::openText(const QByteArray &text, const QString &title)
{
    m_session->openText(text, title);
}

// What the session announces, shown: the window holds no inspection logic of its own.
void MainWindow::connectSession()
{
    connect(m_session, &Session::status, statusBar(), &QStatusBar::showMessage);
    connect(m_session->recent(), &RecentItems::changed, this, &MainWindow::rebuildRecentMenu);
    connect(m_session, &Session::trustProblems, this, [this](const QStringList &messages) {
        for (const QString &message : messages)
            m_messageBar->showMessage(message, MessageBar::Kind::Warning);
    });
    connect(m_session, &Session::openFailed, this, [this](const QString &title, const Error &error) {
        // open(), not exec(): no nested event loop, so loads and tests keep running behind it.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Cannot open %1").arg(title), error.message,
                                    QMessageBox::Ok, this);
        box->setDetailedText(error.detail);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    connect(m_session, &Session::opened, m_view, &InspectionView::showOpened);
    connect(m_session, &Session::evaluated, m_view, &InspectionView::documentEvaluated);
    connect(m_session, &Session::atsDiagnosed, this, [this](const apple::AtsReport &report) {
        auto *box = new QMessageBox(
            report.defaultPasses() ? QMessageBox::Information : QMessageBox::Warning, tr("ATS Diagnostics"),
            report.error.isEmpty()
                ? tr("%1:%2 — ATS default: %3")
                      .arg(report.host)
                      .arg(report.port)
                      .arg(report.defaultPasses() ? tr("PASS") : tr("FAIL"))
                : tr("%1:%2 cannot be diagnosed: %3").arg(report.host).arg(report.port).arg(report.error),
            QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("atsReport"));
        box->setDetailedText(apple::toText(report));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void MainWindow::openArguments(const QStringList &arguments)
{
    QStringList files;
    for (const QString &argument : arguments) {
        if (QFileInfo::exists(argument))
            files.append(argument);
        else
            fetch(argument);
    }
    openFiles(files);
}

bool MainWindow::showTab(const QString &name)
{
    return m_view->showTab(name);
}

void MainWindow::submitAddress()
{
    const QString text = m_addressBar->text().trimmed();
    if (text.isEmpty())
        return;
    if (QFileInfo::exists(text)) {
        openFiles({text});
        return;
    }
    if (text.contains(QLatin1String("-----BEGIN "))) {
        openText(text.toUtf8(), tr("Pasted text"));
        return;
    }
    // An error line pasted from a log (NSURLErrorDomain -1202, 3:-9807 …) is explained, not fetched.
    tls::FetchOptions probe;
    const bool looksLikeServer =
        !text.contains(QLatin1Char(' ')) && text.contains(QLatin1Char('.')) && !tls::parseTarget(text, probe);
    if (!looksLikeServer) {
        if (const apple::Explanation explanation = apple::explain(text); !explanation.codes.isEmpty()) {
            m_view->trustPanel()->showExplanation(explanation);
            return;
        }
    }
    fetch(text);
}

trust::Policy MainWindow::trustPolicy(const QString &host) const
{
    trust::Policy policy = m_view->trustPanel()->policy(host);
    policy.proxy = m_fetchOptions->proxy(); // downloads go the TLS connection's way
    return policy;
}

void MainWindow::fetch(const QString &target)
{
    if (const FetchOptionsPanel::Backends backends = m_fetchOptions->backends(); backends.comparesConnections()) {
        compareBackends(target, backends.allAddresses, backends.repeat, backends.intervalMs, backends.connectTo);
        return;
    }
    tls::FetchOptions options = m_fetchOptions->options();
    if (const auto error = tls::parseTarget(target, options)) {
        statusBar()->showMessage(tr("Not a server address: %1").arg(*error), 10000);
        return;
    }
    if (m_addressBar->text().trimmed() != target)
        m_addressBar->setText(target);
    m_lastTarget = target;
    m_session->fetch(options, m_fetchOptions->clientCertificatePath(), target);
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
    if (const auto error = tls::parseTarget(target, backends.fetch)) {
        statusBar()->showMessage(tr("Not a server address: %1").arg(*error), 10000);
        return;
    }
    backends.allAddresses = allAddresses;
    backends.repeat = repeat;
    backends.intervalMs = intervalMs;
    backends.connectTo = connectTo;
    if (m_addressBar->text().trimmed() != target)
        m_addressBar->setText(target);
    m_lastTarget = target;
    m_session->compareBackends(backends, target);
}

inspect::TrustSettings MainWindow::trustSettings(const QString &host) const
{
    inspect::TrustSettings settings;
    settings.policy = trustPolicy(host);
    settings.anchorFiles = m_view->trustPanel()->anchorFiles(); // read by the worker, not here
    return settings;
}

void MainWindow::evaluateDocument(const QModelIndex &documentIndex)
{
    m_session->evaluate(documentIndex);
}

void MainWindow::requestException()
{
    const QModelIndex current = m_view->currentDocument();
    const trust::Evaluation *evaluation = m_documents->evaluation(current);
    if (!evaluation)
        return;
    const tls::FetchResult *connection = m_documents->connection(current);
    const trust::Policy policy = trustPolicy(connection ? connection->host : QString());
    if (policy.hostName.isEmpty()) {
        QMessageBox::information(this, tr("Trust Exception"),
                                 tr("An exception belongs to a server: set the host name in the policy first."));
        return;
    }
    const int port = connection ? connection->port : 443;
    const auto exception = trust::exceptionFor(*evaluation, policy.hostName, port, trust::policyKindName(policy.kind));
    if (!exception) {
        QMessageBox::warning(this, tr("Trust Exception"), exception.error().message);
        return;
    }
    const quint64 id = m_documents->documentId(current);
    confirmException(this, *evaluation, *exception, m_messageBar,
                     [this, id] { evaluateDocument(m_documents->indexOfDocument(id)); });
}

Result<void> MainWindow::exportTo(const QString &path, bool wholeChain)
{
    const QModelIndex current = m_view->documentTree()->currentIndex();
    const ExportFormat format = exportFormatForPath(path);
    Result<QByteArray> bytes = fail(Error::Code::InvalidInput, tr("nothing is selected"));
    if (wholeChain || format == ExportFormat::Pkcs7) {
        if (const Document *document = m_documents->document(current))
            bytes = exportCertificates(*document, format);
    } else if (const PkiObject *object = m_documents->object(current)) {
        bytes = exportObject(*object, format);
    }
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
    bool accepted = false;
    const QString text = QInputDialog::getMultiLineText(
        this, tr("Explain an Error Message"),
        tr("Paste the error or log line (NSURLErrorDomain -1202, kCFStreamErrorDomainSSL -9807, TIC SSL Trust Error "
           "… 3:-9807, SSL alert number 42):"),
        QApplication::clipboard()->text().left(4096), &accepted);
    if (accepted)
        m_view->trustPanel()->showExplanation(apple::explain(text));
}

QModelIndex MainWindow::currentDocument() const
{
    return m_view->currentDocument();
}

void MainWindow::runAtsDiagnostics()
{
    const tls::FetchResult *connection = m_documents->connection(currentDocument());
    const QString target = connection ? QStringLiteral("%1:%2").arg(connection->host).arg(connection->port)
                                      : m_addressBar->text().trimmed();
    tls::FetchOptions options = m_fetchOptions->options();
    if (target.isEmpty() || tls::parseTarget(target, options)) {
        statusBar()->showMessage(tr("ATS diagnostics: fetch a server first, or type one in the address bar"), 10000);
        return;
    }
    m_session->diagnoseAts(options);
}

void MainWindow::copyPinnedDomains()
{
    const QModelIndex document = currentDocument();
    const Document *contents = m_documents->document(document);
    if (!contents)
        return;
    QList<Certificate> chain;
    for (const PkiObject &object : contents->objects)
        if (const auto *certificate = object.as<Certificate>())
            chain.append(*certificate);
    if (chain.isEmpty())
        return;
    const tls::FetchResult *connection = m_documents->connection(document);
    const QString host = connection ? connection->host : chain.first().displayName();
    QApplication::clipboard()->setText(apple::pinnedDomainsPlist(host, chain));
    statusBar()->showMessage(tr("NSPinnedDomains entry for %1 copied (leaf and CA keys)").arg(host), 8000);
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
    connect(dialog, &ExceptionsDialog::storeChanged, this, [this] {
        const QModelIndex current = m_view->currentDocument();
        if (current.isValid())
            evaluateDocument(current);
    });
    dialog->open();
}

Asn1Model *MainWindow::asn1Model() const
{
    return m_view->asn1Pane()->model();
}

QTreeView *MainWindow::asn1View() const
{
    return m_view->asn1Pane()->view();
}

TextPane *MainWindow::asn1Dump() const
{
    return m_view->asn1Pane()->dump();
}

CrlEntriesModel *MainWindow::crlEntriesModel() const
{
    return m_view->asn1Pane()->crlEntriesModel();
}

HexView *MainWindow::hexView() const
{
    return m_view->asn1Pane()->hexView();
}

int MainWindow::pendingLoads() const
{
    return m_session->jobs()->pendingJobs();
}

void MainWindow::cancelFetches()
{
    m_session->jobs()->cancelAll();
}

void MainWindow::pasteFromClipboard()
{
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    if (mime && mime->hasUrls()) {
        QStringList paths;
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile())
                paths.append(url.toLocalFile());
        openFiles(paths);
        return;
    }
    const QString text = QApplication::clipboard()->text();
    if (text.trimmed().isEmpty()) {
        statusBar()->showMessage(tr("The clipboard holds no text"), 5000);
        return;
    }
    openText(text.toUtf8(), tr("Pasted text"));
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
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls()) {
        QStringList paths;
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile())
                paths.append(url.toLocalFile());
        openFiles(paths);
    } else if (mime->hasText()) {
        openText(mime->text().toUtf8(), tr("Dropped text"));
    }
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace trustscope::ui
