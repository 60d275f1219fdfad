#include "HexView.h"

#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

namespace trustscope::ui {

namespace {
constexpr int offsetColumns = 10; // "00000000  "
int hexColumn(int byte)
{
    return offsetColumns + byte * 3 + (byte >= 8 ? 1 : 0);
}
constexpr int asciiColumn = offsetColumns + HexView::bytesPerLine * 3 + 2;
} // namespace

HexView::HexView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setAccessibleName(tr("Hex bytes"));
    viewport()->setCursor(Qt::IBeamCursor);
}

int HexView::lineHeight() const
{
    return fontMetrics().height();
}
int HexView::charWidth() const
{
    return fontMetrics().horizontalAdvance(QLatin1Char('0'));
}

void HexView::setData(QByteArray data)
{
    m_data = std::move(data);
    m_start = -1;
    m_header = m_content = 0;
    verticalScrollBar()->setValue(0);
    updateScrollBar();
    viewport()->update();
}

void HexView::setHighlight(qint64 start, qint64 headerLength, qint64 contentLength)
{
    m_start = start;
    m_header = headerLength;
    m_content = contentLength;
    // Bring the start into view when it is not visible.
    const qint64 line = start / bytesPerLine;
    const int first = verticalScrollBar()->value();
    const int visible = qMax(1, viewport()->height() / lineHeight());
    if (line < first || line >= first + visible)
        verticalScrollBar()->setValue(int(qMax<qint64>(0, line - 2)));
    viewport()->update();
}

void HexView::updateScrollBar()
{
    const qint64 lines = (m_data.size() + bytesPerLine - 1) / bytesPerLine;
    const int visible = qMax(1, viewport()->height() / lineHeight());
    verticalScrollBar()->setRange(0, int(qMax<qint64>(0, lines - visible)));
    verticalScrollBar()->setPageStep(visible);
    horizontalScrollBar()->setRange(0, qMax(0, (asciiColumn + bytesPerLine + 1) * charWidth() - viewport()->width()));
}

void HexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void HexView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        updateScrollBar();
    QAbstractScrollArea::changeEvent(event);
}

qint64 HexView::offsetAt(const QPoint &position) const
{
    const int column = (position.x() + horizontalScrollBar()->value()) / charWidth();
    const qint64 line = verticalScrollBar()->value() + position.y() / lineHeight();
    int byte = -1;
    for (int candidate = 0; candidate < bytesPerLine; ++candidate) {
        if (column >= hexColumn(candidate) && column < hexColumn(candidate) + 2)
            byte = candidate;
        if (column == asciiColumn + candidate)
            byte = candidate;
    }
    const qint64 offset = line * bytesPerLine + byte;
    return byte < 0 || offset >= m_data.size() ? -1 : offset;
}

void HexView::mousePressEvent(QMouseEvent *event)
{
    const qint64 offset = offsetAt(event->position().toPoint());
    if (offset >= 0)
        Q_EMIT byteClicked(offset);
}

void HexView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QPalette colours = palette();
    painter.fillRect(viewport()->rect(), colours.color(QPalette::Base));
    const int height = lineHeight(), width = charWidth(), ascent = fontMetrics().ascent();
    const int shift = -horizontalScrollBar()->value();
    QColor headerColour = colours.color(QPalette::Highlight);
    headerColour.setAlpha(170);
    QColor contentColour = colours.color(QPalette::Highlight);
    contentColour.setAlpha(70);
    const qint64 firstLine = verticalScrollBar()->value();
    const int visibleLines = viewport()->height() / height + 1;
    for (int row = 0; row < visibleLines; ++row) {
        const qint64 lineStart = (firstLine + row) * bytesPerLine;
        if (lineStart >= m_data.size())
            break;
        const int y = row * height;
        painter.setPen(colours.color(QPalette::PlaceholderText));
        painter.drawText(shift, y + ascent, QStringLiteral("%1").arg(lineStart, 8, 16, QLatin1Char('0')));
        for (int byte = 0; byte < bytesPerLine && lineStart + byte < m_data.size(); ++byte) {
            const qint64 offset = lineStart + byte;
            const auto value = quint8(m_data.at(offset));
            const bool inHeader = m_start >= 0 && offset >= m_start && offset < m_start + m_header;
            const bool inContent =
                m_start >= 0 && offset >= m_start + m_header && offset < m_start + m_header + m_content;
            if (inHeader || inContent) {
                const QColor &fill = inHeader ? headerColour : contentColour;
                painter.fillRect(shift + hexColumn(byte) * width, y, 2 * width + (byte % 8 == 7 ? 0 : width), height,
                                 fill);
                painter.fillRect(shift + (asciiColumn + byte) * width, y, width, height, fill);
            }
            painter.setPen(colours.color(QPalette::Text));
            painter.drawText(shift + hexColumn(byte) * width, y + ascent,
                             QStringLiteral("%1").arg(value, 2, 16, QLatin1Char('0')).toUpper());
            painter.drawText(shift + (asciiColumn + byte) * width, y + ascent,
                             value >= 0x20 && value < 0x7f ? QString(QLatin1Char(char(value))) : QStringLiteral("·"));
        }
    }
}

} // namespace trustscope::ui
