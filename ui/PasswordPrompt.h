#pragma once

#include "x509/Document.h"

#include <QPointer>
#include <QWidget>

#include <condition_variable>
#include <memory>
#include <mutex>

namespace trustscope::ui {

// Asks the user for a password with a dialog. Called on a loader thread: the question is
// posted to the GUI thread and the loader waits for the answer while the GUI stays responsive.
// Loaders share ownership (std::shared_ptr), so the prompt outlives every worker that may ask;
// close() — when the window goes — answers a pending question with "no password" at once and
// refuses later ones, so a worker never waits on a window that is being destroyed.
class PasswordPrompt final : public core::PasswordProvider, public std::enable_shared_from_this<PasswordPrompt> {
public:
    explicit PasswordPrompt(QWidget *parent)
        : m_parent(parent)
    {}
    std::optional<QByteArray> password(const QString &fileName, const QString &object, int attempt) override;
    void close(); // GUI thread

private:
    struct Question {
        bool answered = false;
        std::optional<QByteArray> answer;
    };
    std::optional<QByteArray> ask(const QString &fileName, const QString &object, int attempt); // GUI thread
    void answer(const std::shared_ptr<Question> &question, std::optional<QByteArray> answer);

    QPointer<QWidget> m_parent; // read on the GUI thread only
    std::mutex m_mutex;
    std::condition_variable m_answered;
    bool m_closed = false;
};

} // namespace trustscope::ui
