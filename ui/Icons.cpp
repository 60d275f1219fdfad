#include "Icons.h"

#include <QApplication>
#include <QFile>
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
    explicit BundledSvgEngine(QString resource)
        : m_resource(std::move(resource))
    {
        QFile file(m_resource);
        if (file.open(QIODevice::ReadOnly))
            m_svg = file.readAll();
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        static constexpr QLatin1StringView neutral("#6b7280"); // the strokes drawn in the text colour
        const QColor text = QApplication::palette().color(
            mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active, QPalette::WindowText);
        QByteArray svg = m_svg;
        svg.replace(QByteArray(neutral.data(), neutral.size()), text.name().toLatin1());
        QSvgRenderer renderer(svg);
        if (!renderer.isValid())
            return;
        painter->save();
        if (mode == QIcon::Disabled)
            painter->setOpacity(0.4);
        renderer.render(painter, rect);
        painter->restore();
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(0, 0), size), mode, state);
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
    QString m_resource;
    QByteArray m_svg;
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
