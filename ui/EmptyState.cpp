#include "EmptyState.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QPlainTextEdit>

namespace trustscope::ui {

EmptyState::EmptyState(QAbstractItemView *view, const QString &text)
    : QLabel(text, view->viewport())
    , m_view(view)
{
    setObjectName(QStringLiteral("emptyState"));
    setWordWrap(true);
    setAlignment(Qt::AlignCenter);
    setMargin(16);
    setAttribute(Qt::WA_TransparentForMouseEvents); // drops and clicks reach the view
    applyPalette();
    view->viewport()->installEventFilter(this);
    setGeometry(view->viewport()->rect());
}

EmptyState *EmptyState::attach(QAbstractItemView *view, const QString &text)
{
    auto *state = new EmptyState(view, text);
    if (QAbstractItemModel *model = view->model()) {
        connect(model, &QAbstractItemModel::rowsInserted, state, &EmptyState::refresh);
        connect(model, &QAbstractItemModel::rowsRemoved, state, &EmptyState::refresh);
        connect(model, &QAbstractItemModel::modelReset, state, &EmptyState::refresh);
        connect(model, &QAbstractItemModel::layoutChanged, state, &EmptyState::refresh);
    }
    state->refresh();
    return state;
}

QString EmptyState::textOf(const QWidget *view)
{
    if (const auto *pane = qobject_cast<const QPlainTextEdit *>(view))
        return pane->placeholderText();
    if (const auto *itemView = qobject_cast<const QAbstractItemView *>(view))
        if (const auto *state = itemView->viewport()->findChild<EmptyState *>(QString(), Qt::FindDirectChildrenOnly))
            return state->text();
    return {};
}

bool EmptyState::isShown(const QWidget *view)
{
    if (const auto *pane = qobject_cast<const QPlainTextEdit *>(view))
        return pane->document()->isEmpty() && !pane->placeholderText().isEmpty();
    if (const auto *itemView = qobject_cast<const QAbstractItemView *>(view))
        if (const auto *state = itemView->viewport()->findChild<EmptyState *>(QString(), Qt::FindDirectChildrenOnly))
            return !state->isHidden();
    return false;
}

void EmptyState::refresh()
{
    const QAbstractItemModel *model = m_view->model();
    setVisible(!model || model->rowCount() == 0);
}

bool EmptyState::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        setGeometry(m_view->viewport()->rect());
    return QLabel::eventFilter(watched, event);
}

void EmptyState::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QLabel::changeEvent(event);
}

void EmptyState::applyPalette()
{
    // The placeholder role: what Qt uses for empty line edits, right in light and dark palettes.
    QPalette shown = palette();
    shown.setColor(QPalette::WindowText, shown.color(QPalette::PlaceholderText));
    if (shown != palette())
        setPalette(shown);
}

} // namespace trustscope::ui
