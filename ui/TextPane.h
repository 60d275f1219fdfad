#pragma once

#include <QPlainTextEdit>

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
} // namespace KSyntaxHighlighting

namespace trustscope::ui {

// The one repository of syntax definitions for the whole application (ours ship as resources
// under :/org.kde.syntax-highlighting/syntax-addons and are found by name).
KSyntaxHighlighting::Repository &syntaxRepository();

// A read-only text view highlighted by KSyntaxHighlighting, themed from the palette and
// re-themed when the palette changes (dark mode).
class TextPane : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit TextPane(const QString &definitionName, QWidget *parent = nullptr);
    [[nodiscard]] QString definitionName() const;
    [[nodiscard]] QString themeName() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
    QString m_definitionName;
};

} // namespace trustscope::ui
