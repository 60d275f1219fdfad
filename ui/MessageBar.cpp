#include "MessageBar.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace trustscope::ui {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(QStringLiteral("messageBarText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse); // paths are meant to be copied
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Close"));
    m_close->setAccessibleName(tr("Close message"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::clearMessages);
    hide();
}

void MessageBar::showMessage(const QString &text, Kind kind)
{
    if (text.isEmpty() || m_messages.contains(text))
        return;
    m_messages.append(text);
    m_kind = std::max(m_kind, kind);
    refresh();
}

void MessageBar::clearMessages()
{
    m_messages.clear();
    m_kind = Kind::Information;
    hide();
}

void MessageBar::refresh()
{
    const QStyle::StandardPixmap icon = m_kind == Kind::Error     ? QStyle::SP_MessageBoxCritical
                                        : m_kind == Kind::Warning ? QStyle::SP_MessageBoxWarning
                                                                  : QStyle::SP_MessageBoxInformation;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_text->setText(m_messages.join(QLatin1Char('\n')));
    // A tint of the palette's own colours, so that the dark palette stays readable.
    QPalette tinted = QApplication::palette(this);
    const QColor base = tinted.color(QPalette::Window);
    const QColor accent = m_kind == Kind::Error     ? QColor(0xda, 0x44, 0x53)
                          : m_kind == Kind::Warning ? QColor(0xf6, 0x74, 0x00)
                                                    : QColor(0x3d, 0xae, 0xe9);
    const auto mix = [](const QColor &a, const QColor &b, double amount) {
        return QColor::fromRgbF(float(a.redF() * (1 - amount) + b.redF() * amount),
                                float(a.greenF() * (1 - amount) + b.greenF() * amount),
                                float(a.blueF() * (1 - amount) + b.blueF() * amount));
    };
    tinted.setColor(QPalette::Window, mix(base, accent, 0.18));
    setPalette(tinted);
    show();
}

} // namespace trustscope::ui
