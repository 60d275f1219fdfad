#pragma once

#include <QMenu>

namespace trustscope::ui {

class RecentItems;

// File → Open Recent: the session's recent servers, then its recent files, then Clear Recent;
// rebuilt whenever the list changes, disabled while it is empty.
class RecentMenu final : public QMenu {
    Q_OBJECT
public:
    RecentMenu(RecentItems *recent, QWidget *parent = nullptr);

Q_SIGNALS:
    void fetchRequested(const QString &target);
    void openFileRequested(const QString &path);

private:
    void rebuild();

    RecentItems *m_recent;
};

} // namespace trustscope::ui
