#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace trustscope::ui {

// An inline bar above the panes for things the user must see and may act on (a damaged
// exception store set aside, an anchor file that did not load): unlike the status bar it stays
// until closed.
class MessageBar : public QFrame {
    Q_OBJECT

public:
    enum class Kind { Information, Warning, Error };
    explicit MessageBar(QWidget *parent = nullptr);

    // Shows `text`; a message already shown is not repeated.
    void showMessage(const QString &text, Kind kind = Kind::Warning);
    [[nodiscard]] QStringList messages() const { return m_messages; }
    void clearMessages();

private:
    void refresh();
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    QStringList m_messages;
    Kind m_kind = Kind::Information;
};

} // namespace trustscope::ui
