#include "Icons.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QSvgRenderer>

#include <array>

namespace trustscope::ui {

namespace {

struct IconSource {
    IconName name;
    const char *theme;    // freedesktop icon naming specification
    const char *resource; // bundled fallback
};

constexpr std::array<IconSource, 10> iconSources{{
    {IconName::Open, "document-open", ":/icons/open.svg"},
    {IconName::Fetch, "view-refresh", ":/icons/fetch.svg"},
    {IconName::Stop, "process-stop", ":/icons/stop.svg"},
    {IconName::Backends, "network-workgroup", ":/icons/backends.svg"},
    {IconName::Exceptions, "security-medium", ":/icons/exceptions.svg"},
    {IconName::Generate, "document-new", ":/icons/generate.svg"},
    {IconName::Paste, "edit-paste", ":/icons/paste.svg"},
    {IconName::Explain, "help-hint", ":/icons/explain.svg"},
    {IconName::Server, "network-server", ":/icons/server.svg"},
    {IconName::File, "application-pkix-cert", ":/icons/file.svg"},
}};

// The bundled icons drawn with Qt SVG directly: no icon-engine plugin is needed at run time,
// every size is rendered sharp, and the neutral strokes take the palette's text colour, so the
// icons stay legible on a dark palette.
class BundledSvgEngine final : public QIconEngine {
public:
    explicit BundledSvgEngine(const QString &resource)
    {
        QFile file(resource);
        if (file.open(QIODevice::ReadOnly))
            m_svg = file.readAll();
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QSvgRenderer renderer(tinted(textColour(mode)));
        if (!renderer.isValid())
            return;
        painter->save();
        if (mode == QIcon::Disabled)
            painter->setOpacity(0.4);
        renderer.render(painter, rect);
        painter->restore();
    }

    // Views ask for the pixmap on every repaint: render each size, mode and palette once.
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        const QString key = QStringLiteral("%1x%2/%3/%4")
                                .arg(size.width())
                                .arg(size.height())
                                .arg(int(mode))
                                .arg(textColour(mode).rgba());
        if (const auto cached = m_pixmaps.constFind(key); cached != m_pixmaps.cend())
            return *cached;
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        {
            QPainter painter(&pixmap);
            paint(&painter, QRect(QPoint(0, 0), size), mode, state);
        }
        m_pixmaps.insert(key, pixmap);
        return pixmap;
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pixmap = this->pixmap(size * scale, mode, state);
        pixmap.setDevicePixelRatio(scale);
        return pixmap;
    }

    [[nodiscard]] QIconEngine *clone() const override { return new BundledSvgEngine(*this); }
    [[nodiscard]] bool isNull() override { return m_svg.isEmpty(); }

private:
    [[nodiscard]] static QColor textColour(QIcon::Mode mode)
    {
        return QApplication::palette().color(mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active,
                                             QPalette::WindowText);
    }

    // The neutral strokes (#6b7280 in the files) in the palette's text colour.
    [[nodiscard]] QByteArray tinted(const QColor &text) const
    {
        return QByteArray(m_svg).replace(QByteArrayLiteral("#6b7280"), text.name().toLatin1());
    }

    QByteArray m_svg;
    QHash<QString, QPixmap> m_pixmaps;
};

} // namespace

QIcon themedIcon(IconName name)
{
    for (const IconSource &source : iconSources)
        if (source.name == name)
            return QIcon::fromTheme(QString::fromLatin1(source.theme),
                                    QIcon(new BundledSvgEngine(QString::fromLatin1(source.resource))));
    return {};
}

} // namespace trustscope::ui
