#include "RecentMenu.h"

#include "Icons.h"
#include "RecentItems.h"

#include <QFileInfo>

namespace trustscope::ui {

RecentMenu::RecentMenu(RecentItems *recent, QWidget *parent)
    : QMenu(tr("Open &Recent"), parent)
    , m_recent(recent)
{
    setObjectName(QStringLiteral("recentMenu"));
    connect(m_recent, &RecentItems::changed, this, &RecentMenu::rebuild);
    rebuild();
}

void RecentMenu::rebuild()
{
    clear();
    const QStringList hosts = m_recent->hosts();
    const QStringList files = m_recent->files();
    for (const QString &host : hosts)
        addAction(themedIcon(IconName::Server), host, this, [this, host] { Q_EMIT fetchRequested(host); });
    if (!hosts.isEmpty() && !files.isEmpty())
        addSeparator();
    for (const QString &file : files)
        addAction(QFileInfo(file).fileName(), this, [this, file] { Q_EMIT openFileRequested(file); })->setToolTip(file);
    if (!hosts.isEmpty() || !files.isEmpty()) {
        addSeparator();
        addAction(tr("Clear Recent"), m_recent, &RecentItems::clear);
    }
    setEnabled(!hosts.isEmpty() || !files.isEmpty());
}

} // namespace trustscope::ui
