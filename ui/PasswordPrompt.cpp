#include "PasswordPrompt.h"

#include <QApplication>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QThread>

namespace trustscope::ui {

std::optional<QByteArray> PasswordPrompt::ask(const QString &fileName, const QString &object, int attempt)
{
    QWidget *parent = m_parent.data();
    if (!parent)
        return std::nullopt;
    bool accepted = false;
    const QString prompt = (attempt > 0 ? QObject::tr("That password was wrong.\n") : QString()) +
                           QObject::tr("Password for %1 in %2:").arg(object, QFileInfo(fileName).fileName());
    const QString text =
        QInputDialog::getText(parent, QObject::tr("Password"), prompt, QLineEdit::Password, {}, &accepted);
    if (!accepted)
        return std::nullopt;
    return text.toUtf8();
}

void PasswordPrompt::answer(const std::shared_ptr<Question> &question, std::optional<QByteArray> answer)
{
    {
        const std::lock_guard lock(m_mutex);
        question->answered = true;
        question->answer = std::move(answer);
    }
    m_answered.notify_all();
}

std::optional<QByteArray> PasswordPrompt::password(const QString &fileName, const QString &object, int attempt)
{
    if (QThread::currentThread() == QCoreApplication::instance()->thread()) {
        {
            const std::lock_guard lock(m_mutex);
            if (m_closed)
                return std::nullopt;
        }
        return ask(fileName, object, attempt);
    }
    auto question = std::make_shared<Question>();
    {
        const std::lock_guard lock(m_mutex);
        if (m_closed)
            return std::nullopt;
    }
    const bool posted = QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [self = shared_from_this(), question, fileName, object, attempt] {
            bool closed = false;
            {
                const std::lock_guard lock(self->m_mutex);
                closed = self->m_closed;
            }
            self->answer(question, closed ? std::nullopt : self->ask(fileName, object, attempt));
        },
        Qt::QueuedConnection);
    if (!posted)
        return std::nullopt;
    std::unique_lock lock(m_mutex);
    m_answered.wait(lock, [&] { return question->answered || m_closed; });
    return question->answered ? question->answer : std::nullopt;
}

void PasswordPrompt::close()
{
    {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_answered.notify_all();
}

} // namespace trustscope::ui
