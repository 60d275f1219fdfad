#pragma once

#include "x509/Document.h"

#include <QPointer>
#include <QWidget>

namespace trustscope::ui {

// Asks the user for a password with a dialog. Called on a loader thread; the dialog runs on
// the GUI thread (blocking queued call), so the loader waits while the GUI stays responsive.
class PasswordPrompt final : public core::PasswordProvider {
public:
    explicit PasswordPrompt(QWidget *parent)
        : m_parent(parent)
    {}
    std::optional<QByteArray> password(const QString &fileName, const QString &object, int attempt) override;

private:
    QPointer<QWidget> m_parent;
};

} // namespace trustscope::ui
