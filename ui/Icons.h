#pragma once

#include <QIcon>

namespace trustscope::ui {

enum class IconName { Open, Fetch, Stop, Backends, Exceptions, Generate, Paste, Explain, Server, File };

// The desktop theme's icon where it has one (freedesktop names), else the bundled SVG
// (resources/icons): crisp at any scale, readable on light and dark palettes.
[[nodiscard]] QIcon themedIcon(IconName name);

} // namespace trustscope::ui
