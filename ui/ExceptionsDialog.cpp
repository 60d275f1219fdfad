#include "ExceptionsDialog.h"

#include "MessageBar.h"

#include "trust/Exceptions.h"
#include "x509/Export.h"
#include "x509/Report.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace trustscope::ui {

using namespace trustscope::core;

ExceptionsDialog::ExceptionsDialog(QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_table(new QTableWidget(0, 6, this))
    , m_messages(new MessageBar(this))
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
    layout->addWidget(m_messages);
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

bool ExceptionsDialog::report(const core::Result<void> &result, const trust::ExceptionStore &store)
{
    if (!store.loadWarning().isEmpty())
        m_messages->showMessage(store.loadWarning(), MessageBar::Kind::Warning);
    if (!result) {
        m_messages->showMessage(result.error().toString(), MessageBar::Kind::Error);
        return false;
    }
    return true;
}

void ExceptionsDialog::reload()
{
    trust::ExceptionStore store;
    const auto loaded = store.load();
    m_table->setRowCount(0);
    if (!report(loaded, store))
        return;
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
    QList<std::pair<QString, int>> targets;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        targets.append({m_table->item(index.row(), 0)->text(), m_table->item(index.row(), 1)->text().toInt()});
    if (targets.isEmpty())
        return;
    trust::ExceptionStore store;
    int removed = 0;
    const auto updated = store.update([&](trust::ExceptionStore &locked) {
        for (const auto &[host, port] : std::as_const(targets))
            removed += locked.remove(host, port);
    });
    report(updated, store);
    reload();
    if (updated && removed > 0)
        Q_EMIT storeChanged();
}

void ExceptionsDialog::importFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Trust Exceptions"), {},
                                                      tr("Property lists (*.plist);;All files (*)"));
    if (!path.isEmpty())
        importFrom(path);
}

bool ExceptionsDialog::importFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_messages->showMessage(tr("Cannot read %1: %2").arg(path, file.errorString()), MessageBar::Kind::Error);
        return false;
    }
    const auto imported = trust::importExceptions(file.read(16 * 1024 * 1024));
    if (!imported) { // the store is untouched
        m_messages->showMessage(tr("Not imported, the store is unchanged: %1: %2").arg(path, imported.error().message),
                                MessageBar::Kind::Error);
        return false;
    }
    trust::ExceptionStore store;
    const auto updated = store.update([&](trust::ExceptionStore &locked) { locked.merge(*imported); });
    const bool ok = report(updated, store);
    reload();
    if (ok)
        Q_EMIT storeChanged();
    return ok;
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
    if (!report(store.load(), store))
        return;
    const auto exported = trust::exportExceptions(store.exceptions(), filter.startsWith(QLatin1String("Binary"))
                                                                          ? trust::PlistFormat::Binary
                                                                          : trust::PlistFormat::Xml);
    if (!exported) {
        QMessageBox::warning(this, tr("Cannot export"), exported.error().toString());
        return;
    }
    if (const auto written = writeFileAtomically(path, *exported); !written)
        QMessageBox::warning(this, tr("Cannot export"), written.error().toString());
}

void confirmException(QWidget *parent, const core::trust::Evaluation &evaluation,
                      const core::trust::TrustException &exception, MessageBar *messages,
                      std::function<void()> recorded)
{
    QString text = ExceptionsDialog::tr("<p>For <b>%1:%2</b>, accept exactly these failures:</p><ul>")
                       .arg(exception.host.toHtmlEscaped())
                       .arg(exception.port);
    for (const trust::CheckFailure &failure : evaluation.failures)
        text +=
            ExceptionsDialog::tr("<li><b>%1</b> on '%2': %3</li>")
                .arg(failure.key, evaluation.path.value(failure.certIndex).certificate.displayName().toHtmlEscaped(),
                     failure.explanation.toHtmlEscaped());
    text += ExceptionsDialog::tr("</ul><p>A different certificate, or any other failure, will still be refused.</p>");
    auto *box = new QMessageBox(QMessageBox::Question, ExceptionsDialog::tr("Trust This Exception?"), text,
                                QMessageBox::Yes | QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("exceptionConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        box, &QMessageBox::accepted, parent,
        [parent, exception, messages = QPointer<MessageBar>(messages), recorded = std::move(recorded)] {
            trust::ExceptionStore store;
            const auto updated = store.update([&](trust::ExceptionStore &locked) { locked.add(exception); });
            if (!store.loadWarning().isEmpty() && messages)
                messages->showMessage(ExceptionsDialog::tr("Trust exceptions: %1").arg(store.loadWarning()));
            if (!updated) {
                QMessageBox::warning(parent, ExceptionsDialog::tr("Cannot save the trust exception"),
                                     updated.error().toString());
                return;
            }
            recorded();
        });
    box->open(); // not exec(): no nested event loop
}

} // namespace trustscope::ui
