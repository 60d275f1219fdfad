#include "ConnectionViews.h"

#include "EmptyState.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace trustscope::ui {

using namespace trustscope::core;

TracePane::TracePane(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_save(new QPushButton(tr("Save Trace…"), this))
{
    setObjectName(QStringLiteral("tracePane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title, 1);
    bar->addWidget(m_save);
    layout->addLayout(bar);
    layout->addWidget(m_text, 1);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setAccessibleName(tr("Handshake trace"));
    m_text->setObjectName(QStringLiteral("traceText"));
    m_text->setPlaceholderText(
        tr("The TLS handshake of a fetched connection appears here, message by message: what was "
           "sent and received, with times.\n\nFetch a server from the address bar."));
    m_title->setWordWrap(true);
    m_save->setAccessibleName(tr("Save the handshake trace"));
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Handshake Trace"),
                                                          m_name + QStringLiteral("-trace.txt"), tr("Text (*.txt)"));
        if (!path.isEmpty())
            saveTo(path);
    });
}

void TracePane::setTrace(const QList<tls::TraceEvent> &trace, const QString &title)
{
    m_name = QString(title).replace(QLatin1Char(':'), QLatin1Char('-'));
    m_title->setText(trace.isEmpty() ? tr("No handshake was recorded for %1.").arg(title)
                                     : tr("TLS handshake with %1: → sent, ← received, times from the start of the "
                                          "connection.")
                                           .arg(title));
    m_text->setPlainText(tls::traceText(trace));
    m_save->setEnabled(!trace.isEmpty());
}

QString TracePane::text() const
{
    return m_text->toPlainText();
}

bool TracePane::saveTo(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_text->toPlainText().toUtf8()) < 0 || !file.commit()) {
        QMessageBox::warning(this, tr("Cannot Save"), tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

BackendsView::BackendsView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_table(new QTableWidget(this))
{
    setObjectName(QStringLiteral("backendsView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary->setObjectName(QStringLiteral("backendsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setMargin(6);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    m_table->setObjectName(QStringLiteral("backendsTable"));
    EmptyState::attach(m_table, tr("When a server is compared across its addresses (Go → Compare Every Backend), "
                                   "each connection is listed here with the chain it got."));
    m_table->setAccessibleName(tr("Connections"));
    m_table->setColumnCount(8);
    m_table->setHorizontalHeaderLabels({tr("#"), tr("Address"), tr("Started"), tr("Time"), tr("Protocol"), tr("Chain"),
                                        tr("Fingerprint"), tr("Verdict")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setWordWrap(false);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0)
            Q_EMIT connectionSelected(m_table->item(row, 0)->data(Qt::UserRole).toInt());
    });
}

QColor BackendsView::chainColor(int chainIndex)
{
    if (chainIndex < 0)
        return QColor(0x9e, 0x9e, 0x9e, 70); // failed: grey
    // Distinct hues, translucent so the text stays readable on light and dark palettes.
    static const int hues[] = {210, 30, 130, 280, 0, 180, 60, 320};
    return QColor::fromHsv(hues[chainIndex % 8], 150, 220, 80);
}

void BackendsView::setReport(const tls::BackendReport *report)
{
    m_report = report;
    const QSignalBlocker blocker(m_table);
    m_table->setRowCount(0);
    if (!report) {
        m_summary->clear();
        return;
    }
    QString summary = tr("<b>%1 connection(s) to %2:%3, %4 distinct chain(s), %5 failed.</b>")
                          .arg(report->connections.size())
                          .arg(report->host.toHtmlEscaped())
                          .arg(report->port)
                          .arg(report->chains.size())
                          .arg(report->failedCount());
    if (report->inconsistencies.isEmpty())
        summary += tr(" Every connection agrees.");
    else
        for (const QString &sentence : report->inconsistencies)
            summary += QStringLiteral("<br>• ") + sentence.toHtmlEscaped();
    m_summary->setText(summary);
    m_table->setRowCount(int(report->connections.size()));
    for (int row = 0; row < int(report->connections.size()); ++row) {
        const tls::BackendConnection &connection = report->connections.at(row);
        const tls::DistinctChain *chain =
            connection.chainIndex >= 0 ? &report->chains.at(connection.chainIndex) : nullptr;
        QString verdict;
        QColor verdictColor;
        if (!connection.result.ok()) {
            verdict = tr("failed at %1: %2").arg(connection.result.errorStage, connection.result.errorMessage);
            verdictColor = QColor(0xc6, 0x28, 0x28);
        } else if (chain && chain->evaluation) {
            QStringList keys; // short in the cell; the explanation is in the tooltip and the trust panel
            for (const trust::CheckFailure &failure : chain->evaluation->failures)
                if (!keys.contains(failure.key))
                    keys.append(failure.key);
            verdict = chain->evaluation->trusted ? tr("trusted") : keys.join(QStringLiteral(", "));
            verdictColor = chain->evaluation->trusted ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
        }
        const QStringList cells{QString::number(connection.index),
                                connection.endpoint(report->port),
                                connection.startedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")),
                                tr("%1 ms").arg(connection.result.elapsedMs),
                                connection.result.ok() ? connection.handshake : QString(),
                                tls::chainLetter(connection.chainIndex),
                                chain ? chain->fingerprint.left(12) : QString(),
                                verdict};
        for (int column = 0; column < int(cells.size()); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setBackground(chainColor(connection.chainIndex));
            if (column == 7 && verdictColor.isValid())
                item->setForeground(verdictColor);
            if (column == 6 && chain)
                item->setToolTip(chain->fingerprint);
            if (column == 4)
                item->setToolTip(cells.at(column));
            if (column == 7)
                item->setToolTip(chain && chain->evaluation ? chain->evaluation->mainReason() : verdict);
            m_table->setItem(row, column, item);
        }
        m_table->item(row, 0)->setData(Qt::UserRole, connection.index);
    }
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(4, qMin(m_table->columnWidth(4), 200)); // the full handshake is in the tooltip
}

QString BackendsView::summary() const
{
    return m_summary->text();
}

void BackendsView::selectConnection(int index)
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0)->data(Qt::UserRole).toInt() == index)
            m_table->setCurrentCell(row, 0);
}

} // namespace trustscope::ui
