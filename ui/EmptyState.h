#pragma once

#include <QLabel>

class QAbstractItemView;
class QPlainTextEdit;

namespace trustscope::ui {

// What an empty pane says instead of nothing: what would appear there and how to get it,
// centred over the view in the palette's placeholder colour, hidden as soon as there is content.
// Text panes say it with QPlainTextEdit's placeholder text, which Qt shows while they are empty.
class EmptyState final : public QLabel {
    Q_OBJECT
public:
    // Shown while the view's model has no rows.
    static EmptyState *attach(QAbstractItemView *view, const QString &text);
    // The text the view says when empty (its EmptyState's, or a text pane's placeholder).
    [[nodiscard]] static QString textOf(const QWidget *view);
    [[nodiscard]] static bool isShown(const QWidget *view);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    EmptyState(QAbstractItemView *view, const QString &text);
    void refresh();
    void applyPalette();
    QAbstractItemView *m_view;
};

} // namespace trustscope::ui
