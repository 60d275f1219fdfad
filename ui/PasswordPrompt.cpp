#include "PasswordPrompt.h"

#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QThread>

namespace trustscope::ui {

std::optional<QByteArray> PasswordPrompt::password(const QString &fileName, const QString &object, int attempt)
{
    QWidget *parent = m_parent.data();
    if (!parent)
        return std::nullopt;
    auto ask = [&]() -> std::optional<QByteArray> {
        bool accepted = false;
        const QString prompt = (attempt > 0 ? QObject::tr("That password was wrong.\n") : QString()) +
                               QObject::tr("Password for %1 in %2:").arg(object, QFileInfo(fileName).fileName());
        const QString text =
            QInputDialog::getText(parent, QObject::tr("Password"), prompt, QLineEdit::Password, {}, &accepted);
        if (!accepted)
            return std::nullopt;
        return text.toUtf8();
    };
    if (QThread::currentThread() == parent->thread())
        return ask();
    std::optional<QByteArray> result;
    QMetaObject::invokeMethod(parent, [&] { result = ask(); }, Qt::BlockingQueuedConnection);
    return result;
}

} // namespace trustscope::ui
