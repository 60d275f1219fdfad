#include "Icons.h"

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

} // namespace

QIcon themedIcon(IconName name)
{
    for (const IconSource &source : iconSources)
        if (source.name == name)
            return QIcon::fromTheme(QString::fromLatin1(source.theme), QIcon(QString::fromLatin1(source.resource)));
    return {};
}

} // namespace trustscope::ui
