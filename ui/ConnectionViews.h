#pragma once

// The fetch document's connection views: the handshake trace of a connection, and the
// comparison of many connections to one server (load-balanced backends).

#include "tls/Backends.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace trustscope::ui {

// The Trace tab: one line per handshake message, as it happened; copy or save as text.
class TracePane : public QWidget {
    Q_OBJECT
public:
    explicit TracePane(QWidget *parent = nullptr);
    void setTrace(const QList<core::tls::TraceEvent> &trace, const QString &title);
    [[nodiscard]] QString text() const;
    // Writes the trace as text, atomically; false (and a message box) on failure.
    bool saveTo(const QString &path);

private:
    QLabel *m_title;
    QPlainTextEdit *m_text;
    QPushButton *m_save;
    QString m_name;
};

// The Backends tab: one row per connection, coloured by the chain it got; the sentences that
// say who got something different above it.
class BackendsView : public QWidget {
    Q_OBJECT
public:
    explicit BackendsView(QWidget *parent = nullptr);
    void setReport(const core::tls::BackendReport *report);
    [[nodiscard]] QTableWidget *table() const { return m_table; }
    [[nodiscard]] QString summary() const;
    void selectConnection(int index);
    // A colour per distinct chain, shared with the chain tree.
    [[nodiscard]] static QColor chainColor(int chainIndex);
    [[nodiscard]] static QString chainLetter(int chainIndex);

Q_SIGNALS:
    void connectionSelected(int connectionIndex);

private:
    QLabel *m_summary;
    QTableWidget *m_table;
    const core::tls::BackendReport *m_report = nullptr;
};

} // namespace trustscope::ui
