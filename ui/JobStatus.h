#pragma once

#include <QWidget>

class QProgressBar;
class QTimer;
class QToolButton;

namespace trustscope::ui {

class Jobs;

// The status bar's job indicator: a busy bar and Cancel while work runs. Network work shows at
// once; local work only once it has lasted a moment, so a quick evaluation does not flicker.
class JobStatus final : public QWidget {
    Q_OBJECT
public:
    explicit JobStatus(Jobs *jobs, QWidget *parent = nullptr);

private:
    void pendingChanged(int pending);
    void showBusy(bool busy);

    Jobs *m_jobs;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    QTimer *m_showDelay;
};

} // namespace trustscope::ui
