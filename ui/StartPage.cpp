#include "StartPage.h"

#include "Icons.h"
#include "RecentItems.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace trustscope::ui {

namespace {

constexpr int shownRecentItems = 6;

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

// A recent server or file: flat, with an icon, reachable with Tab and activated with Space.
QToolButton *recentButton(IconName icon, const QString &text, const QString &toolTip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setIcon(themedIcon(icon));
    button->setText(text);
    button->setToolTip(toolTip);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setFocusPolicy(Qt::StrongFocus);
    return button;
}

} // namespace

StartPage::StartPage(RecentItems *recent, QWidget *parent)
    : QWidget(parent)
    , m_recent(recent)
{
    setObjectName(QStringLiteral("startPage"));
    setAccessibleName(tr("Start page"));
    // Scrolls rather than clips in a small window.
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // narrow: reflow, never scroll sideways
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);
    // One readable column: as wide as the pane up to a measure, centred beyond it.
    auto *centring = new QHBoxLayout(content);
    auto *columnWidget = new QWidget(content);
    columnWidget->setMaximumWidth(760);
    auto *column = new QVBoxLayout(columnWidget);
    centring->addStretch(0);
    centring->addWidget(columnWidget, 1);
    centring->addStretch(0);

    auto *title = new QLabel(tr("<h2>Is it trusted, and if not, why?</h2>"), content);
    title->setObjectName(QStringLiteral("startTitle"));
    auto *intro = new QLabel(tr("Inspect a server's certificate chain, or certificates, keys, CRLs and bundles from "
                                "files: every field, the raw ASN.1, and a verdict that names the check that failed "
                                "and how to fix the server."),
                             content);
    intro->setWordWrap(true);
    column->addStretch(1);
    column->addWidget(title);
    column->addWidget(intro);
    column->addSpacing(8);

    struct Step {
        IconName icon;
        QString title;
        QString description;
        void (StartPage::*signal)();
        const char *objectName;
    };
    const Step steps[] = {
        {IconName::Server, tr("Inspect a server"),
         tr("Type host:port, a URL or smtp://host:587 in the address bar (Ctrl+L)"), &StartPage::inspectServerRequested,
         "startInspect"},
        {IconName::Open, tr("Open files…"),
         tr("Certificates, chains, PKCS#7, PKCS#12, CRLs, CSRs and keys, PEM or DER (Ctrl+O)"),
         &StartPage::openFilesRequested, "startOpen"},
        {IconName::Paste, tr("Paste PEM"), tr("Open the certificates or keys the clipboard holds (Ctrl+V)"),
         &StartPage::pasteRequested, "startPaste"},
        {IconName::Generate, tr("Generate a test PKI…"),
         tr("Roots, intermediates and leaf certificates, and chains that fail in a chosen way (Ctrl+Shift+G)"),
         &StartPage::generateRequested, "startGenerate"},
        {IconName::Explain, tr("Explain an error message…"),
         tr("NSURLErrorDomain -1202, kCFStreamErrorDomainSSL -9807, SSL alert number 42… (Ctrl+E)"),
         &StartPage::explainRequested, "startExplain"},
    };
    m_steps = new QGridLayout;
    for (const Step &step : steps) {
        auto *button = new QCommandLinkButton(step.title, step.description, content);
        button->setIcon(themedIcon(step.icon));
        button->setIconSize(QSize(24, 24));
        button->setObjectName(QString::fromLatin1(step.objectName));
        // Shrinks with the window: the description wraps (heightForWidth) instead of clipping.
        QSizePolicy policy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        policy.setHeightForWidth(true);
        button->setSizePolicy(policy);
        connect(button, &QCommandLinkButton::clicked, this, step.signal);
        m_stepButtons.append(button);
    }
    layOutSteps(2);
    column->addLayout(m_steps);

    m_recentBox = new QWidget(content);
    auto *recentColumns = new QGridLayout(m_recentBox);
    recentColumns->setContentsMargins(0, 8, 0, 0);
    m_serversTitle = heading(tr("Recent servers"), m_recentBox);
    m_filesTitle = heading(tr("Recent files"), m_recentBox);
    m_recentServers = new QVBoxLayout;
    m_recentFiles = new QVBoxLayout;
    recentColumns->addWidget(m_serversTitle, 0, 0);
    recentColumns->addWidget(m_filesTitle, 0, 1);
    recentColumns->setColumnStretch(0, 1); // the columns of the steps above
    recentColumns->setColumnStretch(1, 1);
    recentColumns->addLayout(m_recentServers, 1, 0, Qt::AlignLeft | Qt::AlignTop);
    recentColumns->addLayout(m_recentFiles, 1, 1, Qt::AlignLeft | Qt::AlignTop);
    m_clearRecent = new QPushButton(tr("Clear Recent"), m_recentBox);
    m_clearRecent->setObjectName(QStringLiteral("startClearRecent"));
    m_clearRecent->setToolTip(tr("Forget the servers and files listed here"));
    recentColumns->addWidget(m_clearRecent, 2, 0, Qt::AlignLeft);
    connect(m_clearRecent, &QPushButton::clicked, m_recent, &RecentItems::clear);
    column->addWidget(m_recentBox);

    auto *drop = new QLabel(tr("Or drop certificate files, or PEM text, anywhere in this window."), content);
    drop->setObjectName(QStringLiteral("startDropHint"));
    drop->setWordWrap(true);
    drop->setForegroundRole(QPalette::PlaceholderText);
    column->addSpacing(8);
    column->addWidget(drop);
    column->addStretch(2);

    connect(m_recent, &RecentItems::changed, this, &StartPage::rebuildRecent);
    rebuildRecent();
}

void StartPage::layOutSteps(int columns)
{
    if (columns == m_stepColumns)
        return;
    m_stepColumns = columns;
    for (QWidget *button : std::as_const(m_stepButtons))
        m_steps->removeWidget(button);
    for (int index = 0; index < m_stepButtons.size(); ++index)
        m_steps->addWidget(m_stepButtons.at(index), index / columns, index % columns);
}

void StartPage::resizeEvent(QResizeEvent *event)
{
    constexpr int twoColumnsFrom = 560; // pixels: below it one step per row reads better
    layOutSteps(event->size().width() >= twoColumnsFrom ? 2 : 1);
    QWidget::resizeEvent(event);
}

void StartPage::rebuildRecent()
{
    for (QVBoxLayout *list : {m_recentServers, m_recentFiles})
        while (QLayoutItem *item = list->takeAt(0)) {
            delete item->widget();
            delete item;
        }
    const QStringList hosts = m_recent->hosts().mid(0, shownRecentItems);
    const QStringList files = m_recent->files().mid(0, shownRecentItems);
    for (const QString &host : hosts) {
        QToolButton *button = recentButton(IconName::Server, host, tr("Fetch %1 again").arg(host), m_recentBox);
        button->setObjectName(QStringLiteral("recentServer"));
        connect(button, &QToolButton::clicked, this, [this, host] { Q_EMIT fetchRequested(host); });
        m_recentServers->addWidget(button);
    }
    for (const QString &file : files) {
        QToolButton *button = recentButton(IconName::File, QFileInfo(file).fileName(), file, m_recentBox);
        button->setObjectName(QStringLiteral("recentFile"));
        connect(button, &QToolButton::clicked, this, [this, file] { Q_EMIT openFileRequested(file); });
        m_recentFiles->addWidget(button);
    }
    m_serversTitle->setVisible(!hosts.isEmpty());
    m_filesTitle->setVisible(!files.isEmpty());
    m_recentBox->setVisible(!hosts.isEmpty() || !files.isEmpty());
}

} // namespace trustscope::ui
