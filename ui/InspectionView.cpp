#include "InspectionView.h"

#include "Asn1Pane.h"
#include "ConnectionViews.h"
#include "DetailsModel.h"
#include "DocumentModel.h"
#include "EmptyState.h"
#include "TextPane.h"
#include "TrustPanel.h"
#include "apple/AppleDiagnosis.h"
#include "inspect/Inspection.h"
#include "x509/Export.h"
#include "x509/Pem.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace trustscope::ui {

using namespace trustscope::core;

InspectionView::InspectionView(DocumentModel *documents, Jobs *jobs, QWidget *banner, QWidget *parent)
    : QWidget(parent)
    , m_documents(documents)
    , m_details(new DetailsModel(this))
    , m_documentTree(new QTreeView(this))
    , m_detailsView(new QTreeView(this))
    , m_tabs(new QTabWidget(this))
    , m_pemPane(new TextPane(QStringLiteral("PEM"), this))
    , m_trustPanel(new TrustPanel(this))
    , m_asn1Pane(new Asn1Pane(jobs, this))
    , m_tracePane(new TracePane(this))
    , m_backendsView(new BackendsView(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_documentTabs(new QTabBar(this))
    , m_middle(new QStackedWidget(this))
{
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

    // The tree's context menu: what people paste into configs, pins and tickets.
    const auto addCopyAction = [this](const QString &title, auto text) {
        auto *action = new QAction(title, m_documentTree);
        connect(action, &QAction::triggered, this, [this, text] {
            if (const PkiObject *object = m_documents->object(m_documentTree->currentIndex()))
                if (const QString copied = text(*object); !copied.isEmpty())
                    QApplication::clipboard()->setText(copied);
        });
        m_documentTree->addAction(action);
    };
    addCopyAction(tr("Copy PEM"), [](const PkiObject &object) {
        const auto pem = exportObject(object, ExportFormat::Pem);
        return pem ? QString::fromLatin1(*pem) : QString();
    });
    addCopyAction(tr("Copy SHA-256 Fingerprint"), [](const PkiObject &object) {
        const auto *certificate = object.as<Certificate>();
        return certificate ? certificate->sha256Hex : QString();
    });
    addCopyAction(tr("Copy pin-sha256"), [](const PkiObject &object) {
        const auto *certificate = object.as<Certificate>();
        return certificate ? certificate->publicKey.spkiSha256Base64 : QString();
    });
    addCopyAction(tr("Copy Subject"), [](const PkiObject &object) {
        const auto *certificate = object.as<Certificate>();
        return certificate ? certificate->subject.rfc4514 : QString();
    });

    // A checkable choice kept with the trust policy: a path through this certificate fails.
    m_neverTrust = new QAction(tr("Never Trust This Certificate"), m_documentTree);
    m_neverTrust->setObjectName(QStringLiteral("neverTrust"));
    m_neverTrust->setCheckable(true);
    m_neverTrust->setToolTip(tr("Every path through this certificate fails (BlackListedKey), in every document"));
    connect(m_neverTrust, &QAction::triggered, this, [this](bool never) {
        if (const PkiObject *object = m_documents->object(m_documentTree->currentIndex()))
            if (const auto *certificate = object->as<Certificate>())
                m_trustPanel->setNeverTrusted(certificate->sha256Hex, never);
    });
    auto *separator = new QAction(m_documentTree);
    separator->setSeparator(true);
    m_documentTree->addActions({separator, m_neverTrust});

    connect(m_asn1Pane, &Asn1Pane::rowsShown, this, &InspectionView::asn1RowsShown);
    connect(m_asn1Pane, &Asn1Pane::ready, this, &InspectionView::asn1Ready);
    m_tabs->addTab(m_detailsView, tr("Details"));
    m_tabs->addTab(m_asn1Pane, tr("ASN.1"));
    connect(m_detailsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &InspectionView::selectFieldBytes);
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
    EmptyState::attach(m_documentTree, tr("The servers you inspect and the files you open are listed here, with "
                                          "their chains.\n\nType host:port in the address bar, or drop "
                                          "certificate files here."));
    EmptyState::attach(m_detailsView, tr("Every field of the selected certificate, CRL, request or key appears "
                                         "here.\n\nSelect an object in the list on the left."));
    m_pemPane->setPlaceholderText(tr("The selected object appears here as PEM text, ready to copy or save."));

    m_splitter->addWidget(m_documentTree);
    m_middle->addWidget(m_tabs);
    m_splitter->addWidget(m_middle);
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
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_documentTabs);
    if (banner)
        layout->addWidget(banner);
    layout->addWidget(m_splitter, 1);
    connect(m_documents, &QAbstractItemModel::rowsInserted, this, &InspectionView::syncDocumentTabs);
    connect(m_documents, &QAbstractItemModel::rowsRemoved, this, &InspectionView::syncDocumentTabs);
    connect(m_documents, &QAbstractItemModel::modelReset, this, &InspectionView::syncDocumentTabs);
    connect(m_documentTabs, &QTabBar::currentChanged, this, [this](int tab) {
        if (tab < 0)
            return;
        const QModelIndex document = m_documents->indexOfDocument(m_documentTabs->tabData(tab).toULongLong());
        if (!document.isValid() || currentDocument() == document)
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
    connect(m_documentTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &InspectionView::showSelected);
    syncDocumentTabs();
}

void InspectionView::showOpened(const QModelIndex &document, Session::Opened how)
{
    m_documentTree->expand(document);
    const QModelIndex first = m_documents->index(0, 0, document);
    const bool selectFirst = how == Session::Opened::File || how == Session::Opened::Connection;
    m_documentTree->setCurrentIndex(selectFirst && first.isValid() ? first : document);
    if (how == Session::Opened::Backends)
        m_tabs->setCurrentWidget(m_backendsView);
}

void InspectionView::documentEvaluated(quint64 documentId)
{
    if (m_shownBackends == documentId)
        m_shownBackends = 0; // show the new verdicts
    if (m_documents->documentId(m_documentTree->currentIndex()) == documentId)
        showSelected();
}

void InspectionView::syncDocumentTabs()
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
    const QModelIndex current = currentDocument();
    m_documentTabs->setCurrentIndex(current.isValid() ? current.row() : m_documentTabs->count() - 1);
    m_documentTabs->setVisible(m_documentTabs->count() > 0);
    if (m_startPage)
        m_middle->setCurrentWidget(m_documents->rowCount() == 0 ? m_startPage : m_tabs);
}

void InspectionView::setStartPage(QWidget *startPage)
{
    m_startPage = startPage;
    m_middle->insertWidget(0, startPage);
    syncDocumentTabs();
}

bool InspectionView::startPageShown() const
{
    return m_startPage && m_middle->currentWidget() == m_startPage;
}

QModelIndex InspectionView::currentDocument() const
{
    QModelIndex current = m_documentTree->currentIndex();
    while (current.parent().isValid())
        current = current.parent();
    return current;
}

bool InspectionView::showTab(const QString &name)
{
    for (int index = 0; index < m_tabs->count(); ++index) {
        if (m_tabs->tabText(index).compare(name, Qt::CaseInsensitive) == 0) {
            m_tabs->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

void InspectionView::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("tab"), m_tabs->tabText(m_tabs->currentIndex()));
}

void InspectionView::restoreState(QSettings &settings)
{
    m_splitter->restoreState(settings.value(QStringLiteral("splitter")).toByteArray());
    if (const QString tab = settings.value(QStringLiteral("tab")).toString(); !tab.isEmpty())
        showTab(tab);
}

void InspectionView::showSelected()
{
    const QModelIndex current = m_documentTree->currentIndex();
    if (const QModelIndex document = currentDocument(); document.isValid()) {
        const QSignalBlocker blocker(m_documentTabs);
        m_documentTabs->setCurrentIndex(document.row());
    }
    const PkiObject *object = m_documents->object(current);
    const auto *certificate = object ? object->as<Certificate>() : nullptr;
    m_neverTrust->setEnabled(certificate != nullptr);
    m_neverTrust->setChecked(certificate && m_trustPanel->isNeverTrusted(certificate->sha256Hex));
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
    // The SCTs as verified with the chain: for the leaf the verdict judged, or the connection.
    if (evaluation && evaluation->ct && !evaluation->path.isEmpty()) {
        const auto *shown = object ? object->as<Certificate>() : nullptr;
        if ((!object && connection) || (shown && shown->der == evaluation->path.first().certificate.der))
            m_details->setTransparency(*evaluation->ct);
    }
    if (evaluation)
        m_trustPanel->showEvaluation(*evaluation, m_documents->platformVerdicts(current));
    else if (connection)
        m_trustPanel->showConnection(*connection);
    else
        m_trustPanel->showObject(object);
    m_detailsView->expandToDepth(0);
    const bool isCrl = object && object->type() == ObjectType::Crl;
    m_tabs->setTabVisible(m_tabs->indexOf(m_asn1Pane->crlView()), isCrl);
    if (object) {
        Q_EMIT factsChanged(connection && connection->ok()
                                ? QString(connection->protocol + QStringLiteral(" · ") + connection->cipher +
                                          QStringLiteral(" · ") + connection->group)
                                : QString(object->typeName() + QStringLiteral(" · ") + object->container));
    } else {
        Q_EMIT factsChanged(QString());
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
        QByteArray pem = toPem(der.left(shownDerBytes), enumName(derPemLabelTable, object->type()));
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

void InspectionView::selectFieldBytes(const QModelIndex &detailsIndex)
{
    if (detailsIndex.isValid())
        m_asn1Pane->selectField(detailsIndex.siblingAtColumn(0).data(DetailsModel::Asn1FieldRole).toString());
}

Result<QByteArray> InspectionView::exportSelection(const QString &path, bool wholeChain) const
{
    const QModelIndex current = m_documentTree->currentIndex();
    const ExportFormat format = exportFormatForPath(path);
    if (wholeChain || format == ExportFormat::Pkcs7) {
        if (const Document *document = m_documents->document(current))
            return exportCertificates(*document, format);
    } else if (const PkiObject *object = m_documents->object(current)) {
        return exportObject(*object, format);
    }
    return fail(Error::Code::InvalidInput, tr("nothing is selected"));
}

std::optional<InspectionView::PinnedDomains> InspectionView::pinnedDomains() const
{
    const QModelIndex document = currentDocument();
    const Document *contents = m_documents->document(document);
    if (!contents)
        return std::nullopt;
    const QList<Certificate> chain = inspect::certificatesOf(*contents);
    if (chain.isEmpty())
        return std::nullopt;
    const tls::FetchResult *connection = m_documents->connection(document);
    const QString host = connection ? connection->host : chain.first().displayName();
    return PinnedDomains{host, apple::pinnedDomainsPlist(host, chain)};
}

} // namespace trustscope::ui
