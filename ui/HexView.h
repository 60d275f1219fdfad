#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>

namespace trustscope::ui {

// Offset, 16 bytes in hex, and ASCII per line. Paints only the visible lines, so megabytes of
// DER cost nothing. One range is highlighted: the selected node's header and its content.
class HexView : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int bytesPerLine = 16;

    explicit HexView(QWidget *parent = nullptr);
    void setData(QByteArray data);
    [[nodiscard]] const QByteArray &data() const { return m_data; }
    // Highlights [start, start + headerLength) as header and the following contentLength bytes as content.
    void setHighlight(qint64 start, qint64 headerLength, qint64 contentLength);
    [[nodiscard]] qint64 highlightStart() const { return m_start; }
    [[nodiscard]] qint64 highlightLength() const { return m_header + m_content; }
    [[nodiscard]] qint64 offsetAt(const QPoint &position) const; // -1 outside the bytes

Q_SIGNALS:
    void byteClicked(qint64 offset);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateScrollBar();
    [[nodiscard]] int lineHeight() const;
    [[nodiscard]] int charWidth() const;
    QByteArray m_data;
    qint64 m_start = -1, m_header = 0, m_content = 0;
};

} // namespace trustscope::ui
