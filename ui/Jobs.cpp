#include "Jobs.h"

#include <QMetaObject>

#include <algorithm>

namespace trustscope::ui {

Jobs::Jobs(QObject *parent)
    : QObject(parent)
{}

Jobs::~Jobs()
{
    shutDown();
}

JobContext Jobs::contextFor(const std::shared_ptr<std::atomic_bool> &cancel)
{
    JobContext context;
    context.cancel = cancel.get(); // the job's closure owns the flag for as long as the worker runs
    // Safe from a worker: the runner outlives every worker (shutDown waits), and a queued call
    // to a destroyed object is dropped.
    context.progress = [this, cancel](const QString &message) {
        if (cancel->load())
            return;
        QMetaObject::invokeMethod(
            this,
            [this, message] {
                if (!m_shutDown)
                    Q_EMIT jobProgress(message);
            },
            Qt::QueuedConnection);
    };
    return context;
}

quint64 Jobs::begin(JobKind kind, std::shared_ptr<std::atomic_bool> cancel, std::function<void()> wait)
{
    const bool wasBusy = networkBusy();
    const quint64 id = m_nextId++;
    m_jobs.push_back(Job{id, kind, std::move(cancel), std::move(wait)});
    if (!wasBusy && networkBusy())
        Q_EMIT networkBusyChanged(true);
    if (kind != JobKind::View)
        Q_EMIT pendingJobsChanged(pendingJobs());
    return id;
}

void Jobs::end(quint64 id)
{
    const bool wasBusy = networkBusy();
    const int wasPending = pendingJobs();
    std::erase_if(m_jobs, [id](const Job &job) { return job.id == id; });
    if (wasBusy && !networkBusy())
        Q_EMIT networkBusyChanged(false);
    if (wasPending != pendingJobs())
        Q_EMIT pendingJobsChanged(pendingJobs());
    if (wasPending > 0 && pendingJobs() == 0)
        Q_EMIT allJobsFinished();
}

int Jobs::pendingJobs() const
{
    return int(std::count_if(m_jobs.cbegin(), m_jobs.cend(), [](const Job &job) { return job.kind != JobKind::View; }));
}

bool Jobs::networkBusy() const
{
    return std::any_of(m_jobs.cbegin(), m_jobs.cend(), [](const Job &job) { return job.kind == JobKind::Network; });
}

void Jobs::cancelAll()
{
    for (const Job &job : m_jobs)
        *job.cancel = true;
}

void Jobs::shutDown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    cancelAll();
    // Every worker checks its flag at least every 50 ms (connections, AIA/OCSP/CRL, key
    // generation), so this ends soon; afterwards nothing a worker uses can still be running.
    for (const Job &job : m_jobs)
        job.wait();
    m_jobs.clear();
}

} // namespace trustscope::ui
