#include "Dialogs.h"

#include "AppInfo.h"
#include "Error.h"
#include "apple/Ats.h"

#include <QApplication>
#include <QClipboard>
#include <QInputDialog>
#include <QMessageBox>

namespace trustscope::ui {

namespace {
void openBox(QWidget *parent, QMessageBox::Icon icon, const QString &title, const QString &text, const QString &detail,
             const QString &objectName = {})
{
    auto *box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setObjectName(objectName);
    box->setDetailedText(detail);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}
} // namespace

void showOpenFailure(QWidget *parent, const QString &title, const core::Error &error)
{
    openBox(parent, QMessageBox::Warning, QMessageBox::tr("Cannot open %1").arg(title), error.message, error.detail);
}

void showAtsReport(QWidget *parent, const core::apple::AtsReport &report)
{
    const QString summary =
        report.error.isEmpty()
            ? QMessageBox::tr("%1:%2 — ATS default: %3")
                  .arg(report.host)
                  .arg(report.port)
                  .arg(report.defaultPasses() ? QMessageBox::tr("PASS") : QMessageBox::tr("FAIL"))
            : QMessageBox::tr("%1:%2 cannot be diagnosed: %3").arg(report.host).arg(report.port).arg(report.error);
    openBox(parent, report.defaultPasses() ? QMessageBox::Information : QMessageBox::Warning,
            QMessageBox::tr("ATS Diagnostics"), summary, core::apple::toText(report), QStringLiteral("atsReport"));
}

void showAbout(QWidget *parent)
{
    QMessageBox::about(parent, QMessageBox::tr("About Trustscope"),
                       QMessageBox::tr("<b>Trustscope %1</b><br>Certificate and TLS trust inspector.<br><br>%2")
                           .arg(core::applicationVersion(), core::versionReport().toHtmlEscaped().replace(
                                                                QLatin1Char('\n'), QStringLiteral("<br>"))));
}

std::optional<QString> askForErrorText(QWidget *parent)
{
    bool accepted = false;
    const QString text = QInputDialog::getMultiLineText(
        parent, QInputDialog::tr("Explain an Error Message"),
        QInputDialog::tr("Paste the error or log line (NSURLErrorDomain -1202, kCFStreamErrorDomainSSL -9807, TIC SSL "
                         "Trust Error … 3:-9807, SSL alert number 42):"),
        QApplication::clipboard()->text().left(4096), &accepted);
    if (!accepted)
        return std::nullopt;
    return text;
}

} // namespace trustscope::ui
