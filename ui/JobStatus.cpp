#include "JobStatus.h"

#include "Jobs.h"

#include <QHBoxLayout>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

namespace trustscope::ui {

JobStatus::JobStatus(Jobs *jobs, QWidget *parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_progress(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
    , m_showDelay(new QTimer(this))
{
    m_progress->setObjectName(QStringLiteral("jobProgress"));
    m_progress->setRange(0, 0); // busy: a handshake has no meaningful percentage
    m_progress->setMaximumWidth(120);
    m_cancel->setObjectName(QStringLiteral("jobCancel"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the work under way (Esc)"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    showBusy(false);

    m_showDelay->setSingleShot(true);
    m_showDelay->setInterval(250);
    connect(m_showDelay, &QTimer::timeout, this, [this] { showBusy(m_jobs->pendingJobs() > 0); });
    connect(m_cancel, &QToolButton::clicked, m_jobs, &Jobs::cancelAll);
    connect(m_jobs, &Jobs::pendingJobsChanged, this, &JobStatus::pendingChanged);
}

void JobStatus::pendingChanged(int pending)
{
    if (pending == 0) {
        m_showDelay->stop();
        showBusy(false);
    } else if (m_jobs->networkBusy()) {
        showBusy(true);
    } else if (!m_showDelay->isActive() && m_progress->isHidden()) {
        m_showDelay->start();
    }
}

void JobStatus::showBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
}

} // namespace trustscope::ui
