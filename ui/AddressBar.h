#pragma once

#include <QWidget>

class QLineEdit;

namespace trustscope::ui {

class FetchOptionsPanel;
class RecentItems;

// The address line (host:port, a URL, a file path, PEM text or an error message), completed from
// the recent servers, and the Options button whose popover holds the fetch options.
class AddressBar final : public QWidget {
    Q_OBJECT
public:
    AddressBar(RecentItems *recent, QWidget *parent = nullptr);

    [[nodiscard]] QString text() const; // trimmed
    void setText(const QString &text);
    void focusAndSelect();
    [[nodiscard]] FetchOptionsPanel *options() const { return m_options; }

Q_SIGNALS:
    void submitted(const QString &text); // Return pressed on a non-empty line

private:
    void updateCompleter();

    RecentItems *m_recent;
    QLineEdit *m_line;
    FetchOptionsPanel *m_options;
};

} // namespace trustscope::ui
