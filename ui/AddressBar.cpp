#include "AddressBar.h"

#include "FetchOptionsPanel.h"
#include "RecentItems.h"

#include <QCompleter>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <QWidgetAction>

namespace trustscope::ui {

AddressBar::AddressBar(RecentItems *recent, QWidget *parent)
    : QWidget(parent)
    , m_recent(recent)
    , m_line(new QLineEdit(this))
    , m_options(new FetchOptionsPanel(this))
{
    m_line->setPlaceholderText(tr("host:port, https://… or smtp://host:587 — or drop certificate files anywhere"));
    m_line->setClearButtonEnabled(true);
    m_line->setAccessibleName(tr("Server address"));
    m_line->setObjectName(QStringLiteral("addressBar"));
    auto *optionsButton = new QToolButton(this);
    optionsButton->setText(tr("Options"));
    optionsButton->setToolTip(tr("SNI, STARTTLS, ALPN, TLS versions, timeout, proxy, client certificate"));
    optionsButton->setPopupMode(QToolButton::InstantPopup);
    auto *optionsMenu = new QMenu(optionsButton);
    auto *optionsAction = new QWidgetAction(optionsMenu);
    optionsAction->setDefaultWidget(m_options);
    optionsMenu->addAction(optionsAction);
    optionsButton->setMenu(optionsMenu);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_line, 1);
    layout->addWidget(optionsButton);

    connect(m_line, &QLineEdit::returnPressed, this, [this] {
        if (!text().isEmpty())
            Q_EMIT submitted(text());
    });
    connect(m_recent, &RecentItems::changed, this, &AddressBar::updateCompleter);
    updateCompleter();
}

QString AddressBar::text() const
{
    return m_line->text().trimmed();
}

void AddressBar::setText(const QString &text)
{
    if (this->text() != text)
        m_line->setText(text);
}

void AddressBar::focusAndSelect()
{
    m_line->setFocus(Qt::ShortcutFocusReason);
    m_line->selectAll();
}

void AddressBar::updateCompleter()
{
    auto *completer = new QCompleter(m_recent->hosts(), m_line);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    if (QCompleter *old = m_line->completer())
        old->deleteLater();
    m_line->setCompleter(completer);
}

} // namespace trustscope::ui
