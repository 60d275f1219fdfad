#include "TextPane.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>

#include <QEvent>
#include <QFontDatabase>

namespace trustscope::ui {

KSyntaxHighlighting::Repository &syntaxRepository()
{
    static KSyntaxHighlighting::Repository repository;
    return repository;
}

TextPane::TextPane(const QString &definitionName, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(document()))
    , m_definitionName(definitionName)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Theme first, then the definition: setTheme() alone does not re-highlight.
    applyTheme();
    m_highlighter->setDefinition(syntaxRepository().definitionForName(definitionName));
}

QString TextPane::definitionName() const
{
    return m_highlighter->definition().name();
}
QString TextPane::themeName() const
{
    return m_highlighter->theme().name();
}

void TextPane::applyTheme()
{
    const KSyntaxHighlighting::Theme theme = syntaxRepository().themeForPalette(palette());
    m_highlighter->setTheme(theme);
    // Use the theme's own background and text colours so dark themes stay readable.
    QPalette themed = palette();
    themed.setColor(QPalette::Base, QColor::fromRgba(theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)));
    themed.setColor(QPalette::Text, QColor::fromRgba(theme.textColor(KSyntaxHighlighting::Theme::Normal)));
    setPalette(themed);
    m_highlighter->rehighlight();
}

void TextPane::changeEvent(QEvent *event)
{
    // setPalette() above also sends PaletteChange; only re-theme for application-wide changes.
    if (event->type() == QEvent::ApplicationPaletteChange)
        applyTheme();
    QPlainTextEdit::changeEvent(event);
}

} // namespace trustscope::ui
