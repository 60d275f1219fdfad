#include "Asn1Pane.h"

#include "Asn1Model.h"
#include "CrlEntriesModel.h"
#include "EmptyState.h"
#include "HexView.h"
#include "Jobs.h"
#include "TextPane.h"
#include "asn1/Dump.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHeaderView>
#include <QMessageBox>
#include <QSaveFile>
#include <QTreeView>

namespace trustscope::ui {

using namespace trustscope::core;

Asn1Pane::Asn1Pane(Jobs *jobs, QWidget *parent)
    : QSplitter(Qt::Vertical, parent)
    , m_jobs(jobs)
    , m_model(new Asn1Model(this))
    , m_view(new QTreeView(this))
    , m_hexView(new HexView(this))
    , m_dump(new TextPane(QStringLiteral("ASN.1 Dump"), this))
    , m_crlEntries(new CrlEntriesModel(this))
    , m_crlView(new QTreeView(this))
{
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAccessibleName(tr("ASN.1 structure"));
    m_view->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(1, QHeaderView::Stretch); // values need the room
    m_view->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_dump->setAccessibleName(tr("ASN.1 dump"));
    addWidget(m_view);
    addWidget(m_hexView);
    addWidget(m_dump);
    setSizes({380, 200, 180});
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &Asn1Pane::highlightNode);
    connect(m_hexView, &HexView::byteClicked, this, &Asn1Pane::selectNodeAt);
    buildAsn1Actions();
    m_crlView->setModel(m_crlEntries);
    m_crlView->setRootIsDecorated(false);
    m_crlView->setUniformRowHeights(true); // 200 000 rows scroll smoothly only with this
    m_crlView->setAlternatingRowColors(true);
    m_crlView->setAccessibleName(tr("Revoked certificates"));
    EmptyState::attach(m_view, tr("The selected object's ASN.1 structure appears here: every tag, length and value, "
                                  "with its bytes highlighted below.\n\nSelect a certificate, CRL, request or key on "
                                  "the left."));
    m_dump->setPlaceholderText(tr("The same structure as text, like openssl asn1parse -i, appears here."));
    EmptyState::attach(m_crlView, tr("The certificates a CRL revokes appear here: serial number, date and reason."));
}

void Asn1Pane::showObject(const QByteArray &der, bool isCrl)
{
    const quint64 generation = ++m_generation;
    m_model->setTree(nullptr);
    m_hexView->setData({});
    m_crlEntries->setTree(nullptr);
    m_dump->clear();
    if (der.isEmpty())
        return;
    struct Parsed {
        std::shared_ptr<const asn1::Tree> tree;
        QString dump;
    };
    // A huge object (a big CRL) is shown in two steps: its top levels at once, then the
    // complete walk, which keeps the rows already shown.
    constexpr qsizetype previewAbove = 1024 * 1024;
    if (der.size() > previewAbove) {
        const auto preview = [der](const JobContext &) -> std::shared_ptr<const asn1::Tree> {
            asn1::WalkOptions options;
            options.previewDepth = 3;
            auto tree = asn1::Tree::parse(der, options);
            return tree ? std::make_shared<const asn1::Tree>(std::move(*tree)) : nullptr;
        };
        m_jobs->runJob<std::shared_ptr<const asn1::Tree>>(
            Jobs::JobKind::View, preview, [this, generation](std::shared_ptr<const asn1::Tree> &&tree) {
                if (generation != m_generation || m_model->tree() || !tree)
                    return; // moved on, or the complete walk came first
                m_model->setTree(tree);
                m_hexView->setData(tree->data());
                m_view->expandToDepth(1);
                Q_EMIT rowsShown();
            });
    }
    const auto walk = [der](const JobContext &) {
        auto tree = asn1::Tree::parse(der);
        if (!tree)
            return Parsed{nullptr, tree.error().toString()};
        // The text view is for reading: cap it; the tree above shows everything lazily.
        asn1::DumpOptions dumpOptions;
        dumpOptions.maxBytes = 32 * 1024; // highlighting runs on the GUI thread: about 500 lines
        QByteArray text = asn1::dumpText(*tree, dumpOptions);
        if (text.size() >= dumpOptions.maxBytes)
            text += "… (the rest is in the tree above)\n";
        return Parsed{std::make_shared<const asn1::Tree>(std::move(*tree)), QString::fromUtf8(text)};
    };
    m_jobs->runJob<Parsed>(Jobs::JobKind::View, walk, [this, generation, isCrl](Parsed &&parsed) {
        if (generation != m_generation)
            return; // the selection moved on
        const bool hadPreview = m_model->tree() != nullptr;
        m_model->completeTree(parsed.tree);
        if (!hadPreview) {
            m_hexView->setData(parsed.tree ? parsed.tree->data() : QByteArray());
            m_view->expandToDepth(1);
        }
        if (isCrl)
            m_crlEntries->setTree(parsed.tree);
        m_dump->setPlainText(parsed.dump);
        if (!hadPreview)
            Q_EMIT rowsShown();
        Q_EMIT ready();
    });
}

void Asn1Pane::selectField(const QString &field)
{
    const asn1::Tree *tree = m_model->tree();
    if (!tree || field.isEmpty())
        return;
    const QModelIndex target = m_model->indexOfNode(tree->findCertificateField(field));
    if (target.isValid()) {
        m_view->setCurrentIndex(target);
        m_view->scrollTo(target);
    }
}

void Asn1Pane::highlightNode(const QModelIndex &asn1Index)
{
    const asn1::Tree *tree = m_model->tree();
    if (!tree || !asn1Index.isValid())
        return;
    const asn1::Node &node = tree->node(asn1Index.data(Asn1Model::NodeIndexRole).toInt());
    m_hexView->setHighlight(node.offset, node.headerLength, node.contentLength);
}

void Asn1Pane::selectNodeAt(qint64 offset)
{
    const asn1::Tree *tree = m_model->tree();
    if (!tree)
        return;
    const QModelIndex index = m_model->indexOfNode(tree->nodeAt(offset));
    if (index.isValid()) {
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index);
    }
}

void Asn1Pane::buildAsn1Actions()
{
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto encodedSelection = [this]() -> QByteArray {
        const asn1::Tree *tree = m_model->tree();
        const QModelIndex current = m_view->currentIndex();
        return tree && current.isValid() ? tree->encoded(current.data(Asn1Model::NodeIndexRole).toInt()) : QByteArray();
    };
    auto *copyHex = new QAction(tr("Copy as Hex"), m_view);
    connect(copyHex, &QAction::triggered, this, [encodedSelection] {
        QApplication::clipboard()->setText(QString::fromLatin1(encodedSelection().toHex(' ').toUpper()));
    });
    auto *copyBase64 = new QAction(tr("Copy as Base64"), m_view);
    connect(copyBase64, &QAction::triggered, this, [encodedSelection] {
        QApplication::clipboard()->setText(QString::fromLatin1(encodedSelection().toBase64()));
    });
    auto *saveDer = new QAction(tr("Save as DER…"), m_view);
    connect(saveDer, &QAction::triggered, this, [this, encodedSelection] {
        const QByteArray der = encodedSelection();
        if (der.isEmpty())
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the Node as DER"), QStringLiteral("node.der"),
                                                          tr("DER (*.der);;All files (*)"));
        if (path.isEmpty())
            return;
        QSaveFile file(path); // atomic: an existing file is replaced whole or not at all
        if (!file.open(QIODevice::WriteOnly) || file.write(der) != der.size() || !file.commit())
            QMessageBox::warning(this, tr("Cannot save"), tr("Cannot write %1: %2").arg(path, file.errorString()));
    });
    m_view->addActions({copyHex, copyBase64, saveDer});
}

} // namespace trustscope::ui
