#include "RecentItems.h"

#include "AppInfo.h"

#include <QSettings>

namespace trustscope::ui {

namespace {

const QString hostsKey = QStringLiteral("recent/hosts");
const QString filesKey = QStringLiteral("recent/files");

} // namespace

RecentItems::RecentItems(QObject *parent)
    : QObject(parent)
{}

QStringList RecentItems::hosts() const
{
    return core::applicationSettings().value(hostsKey).toStringList();
}

QStringList RecentItems::files() const
{
    return core::applicationSettings().value(filesKey).toStringList();
}

void RecentItems::rememberHost(const QString &target)
{
    remember(hostsKey, target);
}

void RecentItems::rememberFile(const QString &absolutePath)
{
    remember(filesKey, absolutePath);
}

void RecentItems::remember(const QString &key, const QString &value)
{
    auto stored = core::applicationSettings();
    QStringList list = stored.value(key).toStringList();
    list.removeAll(value);
    list.prepend(value);
    stored.setValue(key, list.mid(0, maxItems));
    Q_EMIT changed();
}

void RecentItems::clear()
{
    auto stored = core::applicationSettings();
    stored.remove(QStringLiteral("recent"));
    Q_EMIT changed();
}

} // namespace trustscope::ui
