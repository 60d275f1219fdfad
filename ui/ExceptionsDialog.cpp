#include "ExceptionsDialog.h"

#include "trust/Exceptions.h"
#include "x509/Report.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace trustscope::ui {

using namespace trustscope::core;

ExceptionsDialog::ExceptionsDialog(QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_table(new QTableWidget(0, 6, this))
{
    setWindowTitle(tr("Trust Exceptions"));
    resize(860, 420);
    m_filter->setPlaceholderText(tr("Filter by host"));
    m_filter->setClearButtonEnabled(true);
    m_table->setHorizontalHeaderLabels(
        {tr("Host"), tr("Port"), tr("Policy"), tr("Accepted checks"), tr("Created"), tr("Note")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *remove = new QPushButton(tr("Remove"), this);
    auto *import = new QPushButton(tr("Import…"), this);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(remove);
    buttons->addStretch();
    buttons->addWidget(import);
    buttons->addWidget(exportButton);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addWidget(close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(remove, &QPushButton::clicked, this, &ExceptionsDialog::removeSelected);
    connect(import, &QPushButton::clicked, this, &ExceptionsDialog::importFile);
    connect(exportButton, &QPushButton::clicked, this, &ExceptionsDialog::exportFile);
    connect(m_filter, &QLineEdit::textChanged, this, &ExceptionsDialog::applyFilter);
    reload();
}

void ExceptionsDialog::reload()
{
    trust::ExceptionStore store;
    (void)store.load();
    m_table->setRowCount(0);
    for (const trust::TrustException &exception : store.exceptions()) {
        QStringList checks;
        for (qsizetype index = 0; index < exception.certificates.size(); ++index)
            for (const QString &key : exception.certificates.at(index).checks.keys())
                checks.append(tr("%1 (certificate %2)").arg(key).arg(index));
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const QStringList cells{exception.host,
                                QString::number(exception.port),
                                exception.policy,
                                checks.join(QStringLiteral(", ")),
                                isoUtc(exception.created),
                                exception.note};
        for (int column = 0; column < cells.size(); ++column)
            m_table->setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
    m_table->resizeColumnsToContents();
    applyFilter();
}

void ExceptionsDialog::applyFilter()
{
    const QString filter = m_filter->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row)
        m_table->setRowHidden(row, !filter.isEmpty() &&
                                       !m_table->item(row, 0)->text().contains(filter, Qt::CaseInsensitive));
}

void ExceptionsDialog::removeSelected()
{
    trust::ExceptionStore store;
    (void)store.load();
    int removed = 0;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        removed += store.remove(m_table->item(index.row(), 0)->text(), m_table->item(index.row(), 1)->text().toInt());
    if (removed == 0)
        return;
    if (const auto saved = store.save(); !saved)
        QMessageBox::warning(this, tr("Cannot save"), saved.error().toString());
    reload();
    Q_EMIT storeChanged();
}

void ExceptionsDialog::importFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Trust Exceptions"), {},
                                                      tr("Property lists (*.plist);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const auto imported = trust::importExceptions(file.read(16 * 1024 * 1024));
    if (!imported) { // the store is untouched
        QMessageBox::warning(this, tr("Cannot import"), tr("%1: %2").arg(path, imported.error().message));
        return;
    }
    trust::ExceptionStore store;
    (void)store.load();
    store.merge(*imported);
    if (const auto saved = store.save(); !saved)
        QMessageBox::warning(this, tr("Cannot save"), saved.error().toString());
    reload();
    Q_EMIT storeChanged();
}

void ExceptionsDialog::exportFile()
{
    QString filter;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Trust Exceptions"), QStringLiteral("exceptions.plist"),
                                     tr("XML property list (*.plist);;Binary property list (*.plist)"), &filter);
    if (path.isEmpty())
        return;
    trust::ExceptionStore store;
    (void)store.load();
    const auto exported = trust::exportExceptions(store.exceptions(), filter.startsWith(QLatin1String("Binary"))
                                                                          ? trust::PlistFormat::Binary
                                                                          : trust::PlistFormat::Xml);
    QSaveFile file(path);
    if (!exported || !file.open(QIODevice::WriteOnly) || file.write(*exported) != exported->size() || !file.commit())
        QMessageBox::warning(this, tr("Cannot export"), tr("Cannot write %1").arg(path));
}

} // namespace trustscope::ui
