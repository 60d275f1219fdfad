#include "MainWindow.h"

#include "Asn1Model.h"
#include "Asn1Pane.h"
#include "ConnectionViews.h"
#include "CrlEntriesModel.h"
#include "DetailsModel.h"
#include "DocumentModel.h"
#include "ExceptionsDialog.h"
#include "FetchOptionsPanel.h"
#include "GeneratorDialog.h"
#include "HexView.h"
#include "Jobs.h"
#include "MessageBar.h"
#include "Session.h"
#include "TextPane.h"
#include "TrustPanel.h"
#include "apple/AppleDiagnosis.h"
#include "apple/Ats.h"

#include "AppInfo.h"
#include "asn1/Dump.h"
#include "ossl/OpenSslError.h"
#include "trust/Exceptions.h"
#include "x509/Pem.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHash>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QWidgetAction>

namespace trustscope::ui {

using namespace trustscope::core;

namespace {

QSettings settings()
{
    return QSettings(settingsFilePath(), QSettings::IniFormat); // atomic writes (QSaveFile) by default
}

QString pemLabel(const PkiObject &object)
{
    switch (object.type()) {
    case ObjectType::Certificate:
        return QStringLiteral("CERTIFICATE");
    case ObjectType::Crl:
        return QStringLiteral("X509 CRL");
    case ObjectType::Csr:
        return QStringLiteral("CERTIFICATE REQUEST");
    case ObjectType::PrivateKey: // the private part is never shown; its public key is
    case ObjectType::PublicKey:
        return QStringLiteral("PUBLIC KEY");
    case ObjectType::OcspResponse:
        return QStringLiteral("OCSP RESPONSE");
    }
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new Session(
          this, [this](const QString &host) { return trustSettings(host); }, this))
    , m_documents(m_session->documents())
    , m_details(new DetailsModel(this))
    , m_addressBar(new QLineEdit(this))
    , m_documentTree(new QTreeView(this))
    , m_detailsView(new QTreeView(this))
    , m_tabs(new QTabWidget(this))
    , m_pemPane(new TextPane(QStringLiteral("PEM"), this))
    , m_trustPanel(new TrustPanel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_documentTabs(new QTabBar(this))
    , m_fetchOptions(new FetchOptionsPanel(this))
    , m_statusFacts(new QLabel(this))
    , m_messageBar(new MessageBar(this))
    , m_asn1Pane(new Asn1Pane(m_session->jobs(), this))
    , m_tracePane(new TracePane(this))
    , m_backendsView(new BackendsView(this))
{
    setWindowTitle(tr("Trustscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/trustscope.svg")));
    setAcceptDrops(true);

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

    m_documentTree->setModel(m_documents);
    m_documentTree->setHeaderHidden(true);
    m_documentTree->setAccessibleName(tr("Documents and chains"));
    m_documentTree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_detailsView->setModel(m_details);
    m_detailsView->setAlternatingRowColors(true);
    m_detailsView->setAccessibleName(tr("Certificate details"));
    m_detailsView->setUniformRowHeights(true);
    m_detailsView->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_detailsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copyValue = new QAction(tr("Copy Value"), m_detailsView);
    copyValue->setShortcut(QKeySequence::Copy);
    copyValue->setShortcutContext(Qt::WidgetShortcut);
    connect(copyValue, &QAction::triggered, this, [this] {
        const QModelIndex current = m_detailsView->currentIndex();
        if (current.isValid())
            QApplication::clipboard()->setText(current.siblingAtColumn(0).data(DetailsModel::CopyTextRole).toString());
    });
    m_detailsView->addAction(copyValue);

    connect(m_asn1Pane, &Asn1Pane::rowsShown, this, &MainWindow::asn1RowsShown);
    connect(m_asn1Pane, &Asn1Pane::ready, this, &MainWindow::asn1Ready);
    m_tabs->addTab(m_detailsView, tr("Details"));
    m_tabs->addTab(m_asn1Pane, tr("ASN.1"));
    connect(m_detailsView->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::selectFieldBytes);
    m_tabs->addTab(m_pemPane, tr("PEM"));
    m_tabs->addTab(m_asn1Pane->crlView(), tr("Entries"));
    m_tabs->setTabVisible(m_tabs->indexOf(m_asn1Pane->crlView()), false);
    m_tabs->addTab(m_tracePane, tr("Trace"));
    m_tabs->setTabVisible(m_tabs->indexOf(m_tracePane), false);
    m_tabs->addTab(m_backendsView, tr("Backends"));
    m_tabs->setTabVisible(m_tabs->indexOf(m_backendsView), false);
    connect(m_backendsView, &BackendsView::connectionSelected, this, [this](int connectionIndex) {
        QModelIndex document = m_documents->indexOfDocument(m_shownBackends);
        const tls::BackendReport *report = m_documents->backends(document);
        if (!report || connectionIndex < 0 || connectionIndex >= report->connections.size())
            return;
        m_selectedConnection = connectionIndex;
        // Inspect the chain this connection got: its leaf in the tree, its verdict in the panel.
        const int chain = report->connections.at(connectionIndex).chainIndex;
        QModelIndex target = document;
        for (int row = 0; row < m_documents->rowCount(document); ++row)
            if (m_documents->chainIndex(m_documents->index(row, 0, document)) == chain) {
                target = m_documents->index(row, 0, document);
                break;
            }
        if (m_documentTree->currentIndex() == target)
            showSelected();
        else
            m_documentTree->setCurrentIndex(target);
    });
    m_pemPane->setAccessibleName(tr("PEM text"));

    m_splitter->addWidget(m_documentTree);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_trustPanel);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 5);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({280, 720, 300});
    // Documents as tabs: one per fetch or opened file, mirrored by the tree's top level.
    m_documentTabs->setObjectName(QStringLiteral("documentTabs"));
    m_documentTabs->setAccessibleName(tr("Open documents"));
    m_documentTabs->setTabsClosable(true);
    m_documentTabs->setExpanding(false);
    m_documentTabs->setDocumentMode(true);
    m_documentTabs->setElideMode(Qt::ElideMiddle);
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_documentTabs);
    centralLayout->addWidget(m_messageBar);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    connect(m_documents, &QAbstractItemModel::rowsInserted, this, &MainWindow::syncDocumentTabs);
    connect(m_documents, &QAbstractItemModel::rowsRemoved, this, &MainWindow::syncDocumentTabs);
    connect(m_documents, &QAbstractItemModel::modelReset, this, &MainWindow::syncDocumentTabs);
    connect(m_documentTabs, &QTabBar::currentChanged, this, [this](int tab) {
        if (tab < 0)
            return;
        const QModelIndex document = m_documents->indexOfDocument(m_documentTabs->tabData(tab).toULongLong());
        QModelIndex current = m_documentTree->currentIndex();
        while (current.parent().isValid())
            current = current.parent();
        if (!document.isValid() || current == document)
            return;
        m_documentTree->expand(document);
        const QModelIndex first = m_documents->index(0, 0, document);
        m_documentTree->setCurrentIndex(first.isValid() ? first : document);
        m_documentTree->scrollTo(document, QAbstractItemView::PositionAtTop);
    });
    connect(m_documentTabs, &QTabBar::tabCloseRequested, this, [this](int tab) {
        const QModelIndex document = m_documents->indexOfDocument(m_documentTabs->tabData(tab).toULongLong());
        if (document.isValid())
            m_documents->removeDocument(document.row());
    });

    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // busy: a handshake has no meaningful percentage
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop the connections under way (Esc)"));
    m_cancelButton->hide();
    connect(m_cancelButton, &QToolButton::clicked, this, &MainWindow::cancelFetches);
    connect(m_session->jobs(), &Jobs::networkBusyChanged, this, [this](bool busy) {
        m_busy->setVisible(busy);
        m_cancelButton->setVisible(busy);
    });
    connect(m_session->jobs(), &Jobs::allJobsFinished, this, &MainWindow::loadsFinished);
    connectSession();
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_cancelButton);
    statusBar()->addPermanentWidget(m_statusFacts);
    statusBar()->showMessage(tr("Ready"));
    connect(m_documentTree->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::showSelected);
    connect(m_trustPanel, &TrustPanel::exceptionRequested, this, &MainWindow::requestException);
    connect(m_trustPanel, &TrustPanel::inspectRequested, this, &MainWindow::fetch);
    connect(m_trustPanel, &TrustPanel::policyChanged, this, [this] {
        QModelIndex current = m_documentTree->currentIndex();
        while (current.parent().isValid())
            current = current.parent();
        if (current.isValid()) {
            m_trustPanel->showEvaluating();
            evaluateDocument(current);
        }
    });

    buildMenus();
    resize(1300, 800);
    restoreSettings();
    syncDocumentTabs();
}

void MainWindow::syncDocumentTabs()
{
    const QSignalBlocker blocker(m_documentTabs);
    while (m_documentTabs->count() > 0)
        m_documentTabs->removeTab(0);
    for (int row = 0; row < m_documents->rowCount(); ++row) {
        const QModelIndex document = m_documents->index(row, 0);
        const int tab =
            m_documentTabs->addTab(document.data(Qt::DecorationRole).value<QIcon>(), document.data().toString());
        m_documentTabs->setTabData(tab, m_documents->documentId(document));
        m_documentTabs->setTabToolTip(tab, document.data(Qt::ToolTipRole).toString());
    }
    QModelIndex current = m_documentTree->currentIndex();
    while (current.parent().isValid())
        current = current.parent();
    m_documentTabs->setCurrentIndex(current.isValid() ? current.row() : m_documentTabs->count() - 1);
    m_documentTabs->setVisible(m_documentTabs->count() > 0);
}

QStringList MainWindow::recentFiles() const
{
    return settings().value(QStringLiteral("recent/files")).toStringList();
}

QStringList MainWindow::recentHosts() const
{
    return settings().value(QStringLiteral("recent/hosts")).toStringList();
}

void MainWindow::remember(const QString &key, const QString &value)
{
    auto stored = settings();
    QStringList list = stored.value(key).toStringList();
    list.removeAll(value);
    list.prepend(value);
    constexpr qsizetype maxRecent = 12;
    stored.setValue(key, list.mid(0, maxRecent));
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList hosts = recentHosts();
    const QStringList files = recentFiles();
    for (const QString &host : hosts)
        m_recentMenu->addAction(QIcon::fromTheme(QStringLiteral("network-server")), host, this,
                                [this, host] { fetch(host); });
    if (!hosts.isEmpty() && !files.isEmpty())
        m_recentMenu->addSeparator();
    for (const QString &file : files)
        m_recentMenu->addAction(QFileInfo(file).fileName(), this, [this, file] { openFiles({file}); })
            ->setToolTip(file);
    if (!hosts.isEmpty() || !files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear Recent"), this, [this] {
            auto stored = settings();
            stored.remove(QStringLiteral("recent"));
            rebuildRecentMenu();
        });
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
    auto stored = settings();
    stored.setValue(QStringLiteral("window/geometry"), saveGeometry());
    stored.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    stored.beginGroup(QStringLiteral("fetch"));
    m_fetchOptions->saveSettings(stored);
    stored.endGroup();
    stored.beginGroup(QStringLiteral("policy"));
    m_trustPanel->saveSettings(stored);
    stored.endGroup();
}

void MainWindow::restoreSettings()
{
    auto stored = settings();
    restoreGeometry(stored.value(QStringLiteral("window/geometry")).toByteArray());
    m_splitter->restoreState(stored.value(QStringLiteral("window/splitter")).toByteArray());
    stored.beginGroup(QStringLiteral("fetch"));
    m_fetchOptions->restoreSettings(stored);
    stored.endGroup();
    stored.beginGroup(QStringLiteral("policy"));
    m_trustPanel->restoreSettings(stored);
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
    QAction *open = fileMenu->addAction(tr("&Open…"), this, &MainWindow::chooseFiles);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    QAction *paste = fileMenu->addAction(tr("Open from &Clipboard"), this, &MainWindow::pasteFromClipboard);
    paste->setShortcut(QKeySequence::Paste);
    QAction *save = fileMenu->addAction(tr("&Export Selected…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the Selected Object"), {},
                                                          tr("PEM (*.pem *.crt);;DER (*.der *.cer)"));
        if (!path.isEmpty() && !exportTo(path, false))
            QMessageBox::warning(this, tr("Cannot export"), tr("Cannot write %1").arg(path));
    });
    save->setShortcut(QKeySequence::Save);
    fileMenu->addAction(tr("Export &Chain…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export the Chain as Sent"), QStringLiteral("chain.pem"),
                                         tr("PEM chain (*.pem);;PKCS#7 bundle (*.p7b)"));
        if (!path.isEmpty() && !exportTo(path, true))
            QMessageBox::warning(this, tr("Cannot export"), tr("Cannot write %1").arg(path));
    });
    QAction *close = fileMenu->addAction(tr("&Close Document"), this, &MainWindow::closeCurrentDocument);
    close->setShortcut(QKeySequence::Close);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *goMenu = menuBar()->addMenu(tr("&Go"));
    QAction *address = goMenu->addAction(tr("&Address Bar"), this, [this] {
        m_addressBar->setFocus(Qt::ShortcutFocusReason);
        m_addressBar->selectAll();
    });
    address->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));

    QAction *refetch = goMenu->addAction(tr("&Fetch Again"), this, [this] {
        if (!m_lastTarget.isEmpty())
            fetch(m_lastTarget);
    });
    refetch->setShortcut(QKeySequence::Refresh);
    QAction *backends = goMenu->addAction(tr("Compare Every &Backend"), this, [this] {
        const QString target = m_addressBar->text().trimmed().isEmpty() ? m_lastTarget : m_addressBar->text().trimmed();
        if (!target.isEmpty()) // every address, several times: a load balancer hides backends behind one
            compareBackends(target, true, qMax(4, m_fetchOptions->backends().repeat),
                            m_fetchOptions->backends().intervalMs);
    });
    backends->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    backends->setToolTip(tr("Connect to every address of the server several times and compare what each sends"));
    QAction *stop = goMenu->addAction(tr("&Stop"), this, &MainWindow::cancelFetches);
    stop->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu *toolsMenu = menuBar()->addMenu(tr("&Tools"));
    toolsMenu->addAction(tr("Trust &Exceptions…"), this, &MainWindow::showExceptionsManager);
    toolsMenu->addSeparator();
    QAction *explainAction = toolsMenu->addAction(tr("E&xplain an Error Message…"), this, &MainWindow::explainError);
    explainAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    toolsMenu->addAction(tr("&ATS Diagnostics for This Server"), this, &MainWindow::runAtsDiagnostics);
    toolsMenu->addAction(tr("Copy NS&PinnedDomains Entry"), this, &MainWindow::copyPinnedDomains);
    toolsMenu->addSeparator();
    QAction *generator = toolsMenu->addAction(tr("&Generate Test PKI…"), this, &MainWindow::showGenerator);
    generator->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Trustscope"), this, [this] {
        QMessageBox::about(this, tr("About Trustscope"),
                           tr("<b>Trustscope %1</b><br>Certificate and TLS trust inspector.<br><br>%2")
                               .arg(applicationVersion(), versionReport().toHtmlEscaped().replace(
                                                              QLatin1Char('\n'), QStringLiteral("<br>"))));
    });

    auto *copyPem = new QAction(tr("Copy PEM"), m_documentTree);
    connect(copyPem, &QAction::triggered, this, [this] {
        if (const PkiObject *object = m_documents->object(m_documentTree->currentIndex()))
            QApplication::clipboard()->setText(QString::fromLatin1(toPem(object->der(), pemLabel(*object))));
    });
    auto *copyFingerprint = new QAction(tr("Copy SHA-256 Fingerprint"), m_documentTree);
    connect(copyFingerprint, &QAction::triggered, this, [this] {
        if (const PkiObject *object = m_documents->object(m_documentTree->currentIndex()))
            if (const auto *certificate = object->as<Certificate>())
                QApplication::clipboard()->setText(certificate->sha256Hex);
    });
    auto *copyPin = new QAction(tr("Copy pin-sha256"), m_documentTree);
    connect(copyPin, &QAction::triggered, this, [this] {
        if (const PkiObject *object = m_documents->object(m_documentTree->currentIndex()))
            if (const auto *certificate = object->as<Certificate>())
                QApplication::clipboard()->setText(certificate->publicKey.spkiSha256Base64);
    });
    auto *copySubject = new QAction(tr("Copy Subject"), m_documentTree);
    connect(copySubject, &QAction::triggered, this, [this] {
        if (const PkiObject *object = m_documents->object(m_documentTree->currentIndex()))
            if (const auto *certificate = object->as<Certificate>())
                QApplication::clipboard()->setText(certificate->subject.rfc4514);
    });
    m_documentTree->addActions({copyPem, copyFingerprint, copyPin, copySubject});
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
    connect(m_session, &Session::remembered, this, &MainWindow::remember);
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
    connect(m_session, &Session::opened, this, [this](const QModelIndex &document, Session::Opened how) {
        m_documentTree->expand(document);
        const QModelIndex first = m_documents->index(0, 0, document);
        const bool selectFirst = how == Session::Opened::File || how == Session::Opened::Connection;
        m_documentTree->setCurrentIndex(selectFirst && first.isValid() ? first : document);
        if (how == Session::Opened::Backends)
            m_tabs->setCurrentWidget(m_backendsView);
    });
    connect(m_session, &Session::evaluated, this, [this](quint64 id) {
        if (m_shownBackends == id)
            m_shownBackends = 0; // show the new verdicts
        if (m_documents->documentId(m_documentTree->currentIndex()) == id)
            showSelected();
    });
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
    for (int index = 0; index < m_tabs->count(); ++index) {
        if (m_tabs->tabText(index).compare(name, Qt::CaseInsensitive) == 0) {
            m_tabs->setCurrentIndex(index);
            return true;
        }
    }
    return false;
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
            m_trustPanel->showExplanation(explanation);
            return;
        }
    }
    fetch(text);
}

trust::Policy MainWindow::trustPolicy(const QString &host) const
{
    trust::Policy policy = m_trustPanel->policy(host);
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
    settings.anchorFiles = m_trustPanel->anchorFiles(); // read by the worker, not here
    return settings;
}

void MainWindow::evaluateDocument(const QModelIndex &documentIndex)
{
    m_session->evaluate(documentIndex);
}

void MainWindow::requestException()
{
    QModelIndex current = m_documentTree->currentIndex();
    while (current.parent().isValid())
        current = current.parent();
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
    QString text = tr("<p>For <b>%1:%2</b>, accept exactly these failures:</p><ul>")
                       .arg(policy.hostName.toHtmlEscaped())
                       .arg(port);
    for (const trust::CheckFailure &failure : evaluation->failures)
        text +=
            tr("<li><b>%1</b> on '%2': %3</li>")
                .arg(failure.key, evaluation->path.value(failure.certIndex).certificate.displayName().toHtmlEscaped(),
                     failure.explanation.toHtmlEscaped());
    text += tr("</ul><p>A different certificate, or any other failure, will still be refused.</p>");
    auto *box = new QMessageBox(QMessageBox::Question, tr("Trust This Exception?"), text,
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("exceptionConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    const quint64 id = m_documents->documentId(current);
    connect(box, &QMessageBox::accepted, this, [this, exception = *exception, id] {
        trust::ExceptionStore store;
        const auto updated = store.update([&](trust::ExceptionStore &locked) { locked.add(exception); });
        if (!store.loadWarning().isEmpty())
            m_messageBar->showMessage(tr("Trust exceptions: %1").arg(store.loadWarning()));
        if (!updated) {
            QMessageBox::warning(this, tr("Cannot save the trust exception"), updated.error().toString());
            return;
        }
        evaluateDocument(m_documents->indexOfDocument(id));
    });
    box->open(); // not exec(): no nested event loop
}

bool MainWindow::exportTo(const QString &path, bool wholeChain)
{
    const QModelIndex current = m_documentTree->currentIndex();
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (wholeChain || suffix == QLatin1String("p7b") || suffix == QLatin1String("p7c")) {
        const Document *document = m_documents->document(current);
        if (!document)
            return false;
        QList<QByteArray> certificates;
        for (const PkiObject &object : document->objects)
            if (const auto *certificate = object.as<Certificate>())
                certificates.append(certificate->der);
        if (suffix == QLatin1String("p7b") || suffix == QLatin1String("p7c")) {
            bytes = toPkcs7Der(certificates);
        } else {
            for (const QByteArray &der : std::as_const(certificates))
                bytes += toPem(der, QStringLiteral("CERTIFICATE")); // in the order the server sent them
        }
    } else {
        const PkiObject *object = m_documents->object(current);
        if (!object)
            return false;
        const bool der = suffix == QLatin1String("der") || suffix == QLatin1String("cer");
        bytes = der ? object->der() : toPem(object->der(), pemLabel(*object));
    }
    if (bytes.isEmpty())
        return false;
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
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
        m_trustPanel->showExplanation(apple::explain(text));
}

QModelIndex MainWindow::currentDocument() const
{
    QModelIndex current = m_documentTree->currentIndex();
    while (current.parent().isValid())
        current = current.parent();
    return current;
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
                    m_trustPanel->addAnchorFile(path);
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
        QModelIndex current = m_documentTree->currentIndex();
        while (current.parent().isValid())
            current = current.parent();
        if (current.isValid())
            evaluateDocument(current);
    });
    dialog->open();
}

Asn1Model *MainWindow::asn1Model() const
{
    return m_asn1Pane->model();
}

QTreeView *MainWindow::asn1View() const
{
    return m_asn1Pane->view();
}

TextPane *MainWindow::asn1Dump() const
{
    return m_asn1Pane->dump();
}

CrlEntriesModel *MainWindow::crlEntriesModel() const
{
    return m_asn1Pane->crlEntriesModel();
}

HexView *MainWindow::hexView() const
{
    return m_asn1Pane->hexView();
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
    QModelIndex current = m_documentTree->currentIndex();
    if (!current.isValid())
        return;
    while (current.parent().isValid())
        current = current.parent();
    m_documents->removeDocument(current.row());
}

void MainWindow::chooseFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open Certificates, Keys and Bundles"), {},
        tr("PKI files (*.pem *.crt *.cer *.der *.p7b *.p7c *.p12 *.pfx *.crl *.csr *.key *.pub);;All files (*)"));
    openFiles(paths);
}

void MainWindow::showSelected()
{
    const QModelIndex current = m_documentTree->currentIndex();
    {
        QModelIndex document = current;
        while (document.parent().isValid())
            document = document.parent();
        const QSignalBlocker blocker(m_documentTabs);
        if (document.isValid())
            m_documentTabs->setCurrentIndex(document.row());
    }
    const PkiObject *object = m_documents->object(current);
    const tls::FetchResult *connection = m_documents->connection(current);
    const trust::Evaluation *evaluation = m_documents->evaluation(current);
    // A comparison of connections: the Backends tab, and the trace of the connection chosen there.
    const tls::BackendReport *backends = m_documents->backends(current);
    const quint64 documentId = m_documents->documentId(current);
    if (backends && m_shownBackends != documentId) {
        m_shownBackends = documentId;
        m_selectedConnection = -1;
        m_backendsView->setReport(backends);
    } else if (!backends && m_shownBackends != 0) {
        m_shownBackends = 0;
        m_backendsView->setReport(nullptr);
    }
    m_tabs->setTabVisible(m_tabs->indexOf(m_backendsView), backends != nullptr);
    const tls::FetchResult *traced = connection;
    QString tracedName = connection ? QStringLiteral("%1:%2").arg(connection->host).arg(connection->port) : QString();
    if (backends && m_selectedConnection >= 0 && m_selectedConnection < backends->connections.size()) {
        const tls::BackendConnection &chosen = backends->connections.at(m_selectedConnection);
        traced = &chosen.result;
        tracedName = QStringLiteral("%1 (#%2, %3)").arg(tracedName).arg(chosen.index).arg(chosen.address);
    }
    m_tabs->setTabVisible(m_tabs->indexOf(m_tracePane), traced != nullptr);
    // Evaluations arriving and selections within the document show the same trace: keep the
    // reader's place by filling the pane only when the document or the chosen connection changes.
    const QString traceKey = QStringLiteral("%1/%2").arg(documentId).arg(backends ? m_selectedConnection : -1);
    if (traced && traceKey != m_shownTrace) {
        m_shownTrace = traceKey;
        m_tracePane->setTrace(traced->trace, tracedName);
    }
    if (!object && connection)
        m_details->setConnection(*connection);
    else
        m_details->setObject(object);
    if (evaluation)
        m_trustPanel->showEvaluation(*evaluation);
    else if (connection)
        m_trustPanel->showConnection(*connection);
    else
        m_trustPanel->showObject(object);
    m_detailsView->expandToDepth(0);
    const bool isCrl = object && object->type() == ObjectType::Crl;
    m_tabs->setTabVisible(m_tabs->indexOf(m_asn1Pane->crlView()), isCrl);
    if (object) {
        m_statusFacts->setText(connection && connection->ok()
                                   ? QString(connection->protocol + QStringLiteral(" · ") + connection->cipher +
                                             QStringLiteral(" · ") + connection->group)
                                   : QString(object->typeName() + QStringLiteral(" · ") + object->container));
    } else {
        m_statusFacts->clear();
    }
    // The byte panes depend only on the object: a refresh (an evaluation arriving, a policy
    // change) must not parse and highlight the same bytes again.
    const QByteArray der = object ? object->der() : QByteArray();
    if (der == m_shownDer && !(der.isEmpty() && object))
        return;
    m_shownDer = der;
    m_asn1Pane->showObject(der, isCrl);
    if (object) {
        // Highlighting runs on the GUI thread: show the start of a huge object, not all of it.
        constexpr qsizetype shownDerBytes = 24 * 1024; // 512 lines of PEM
        QByteArray pem = toPem(der.left(shownDerBytes), pemLabel(*object));
        if (der.size() > shownDerBytes)
            pem = pem.left(pem.lastIndexOf("-----END")) +
                  tr("… %1 MB in all: right-click the object in the tree and choose Copy PEM for the whole text.\n")
                      .arg(double(der.size()) * 4 / 3 / 1e6, 0, 'f', 1)
                      .toUtf8();
        m_pemPane->setPlainText(QString::fromLatin1(pem));
    } else {
        m_pemPane->clear();
    }
}

void MainWindow::selectFieldBytes(const QModelIndex &detailsIndex)
{
    if (detailsIndex.isValid())
        m_asn1Pane->selectField(detailsIndex.siblingAtColumn(0).data(DetailsModel::Asn1FieldRole).toString());
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
