#pragma once

#include "ossl/OpenSslError.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace trustscope::ui {

// What a worker gets: its cancel flag (read it often, stop soon after it turns true) and a way
// to report progress to the GUI (thread-safe; the message arrives as Jobs::jobProgress).
struct JobContext {
    const std::atomic_bool *cancel = nullptr;
    std::function<void(const QString &message)> progress;
};

// The running work of a window. runJob is the one way the GUI starts work that can block
// (loads, fetches, comparisons, evaluations, ATS probes, generation): the work runs on a worker
// thread with values it owns, never pointers into the GUI; its result comes back to `done` on
// the GUI thread. shutDown() — called by the owner before its widgets go, and by the destructor —
// cancels every job and waits until every worker has returned; no `done` runs after it.
class Jobs final : public QObject {
    Q_OBJECT
public:
    enum class JobKind {
        Local,   // files, evaluation: counted, not shown as network activity
        Network, // connections: the busy bar and Stop
        View,    // fills a view (the ASN.1 tree): cancelled and waited for, not counted as pending
    };

    explicit Jobs(QObject *parent = nullptr);
    ~Jobs() override;

    template <typename Result>
    void runJob(JobKind kind, std::function<Result(const JobContext &context)> work,
                std::function<void(Result &&result)> done);

    void cancelAll();                      // every running job's flag: their workers end at their next check
    void shutDown();                       // cancelAll, wait for every worker; later runJob calls are refused
    [[nodiscard]] int pendingJobs() const; // Local and Network jobs whose result is not yet delivered
    [[nodiscard]] bool networkBusy() const;
    [[nodiscard]] bool isShutDown() const { return m_shutDown; }

Q_SIGNALS:
    void jobProgress(const QString &message);
    void networkBusyChanged(bool busy);
    void pendingJobsChanged(int pending); // Local and Network jobs: the status bar's progress and Cancel
    void allJobsFinished();               // the last pending (Local or Network) job delivered its result

private:
    struct Job {
        quint64 id;
        JobKind kind;
        std::shared_ptr<std::atomic_bool> cancel;
        std::function<void()> wait; // blocks until the worker has returned
    };
    JobContext contextFor(const std::shared_ptr<std::atomic_bool> &cancel);
    quint64 begin(JobKind kind, std::shared_ptr<std::atomic_bool> cancel, std::function<void()> wait);
    void end(quint64 id);

    std::vector<Job> m_jobs;
    quint64 m_nextId = 1;
    bool m_shutDown = false;
};

template <typename Result>
void Jobs::runJob(JobKind kind, std::function<Result(const JobContext &context)> work,
                  std::function<void(Result &&result)> done)
{
    if (m_shutDown)
        return;
    auto cancel = std::make_shared<std::atomic_bool>(false);
    QFuture<Result> future = QtConcurrent::run([work = std::move(work), context = contextFor(cancel), cancel] {
        const ossl::WorkerThreadScope openSslThread;
        return work(context);
    });
    const quint64 id = begin(kind, cancel, [future]() mutable { future.waitForFinished(); });
    auto *watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher, id, done = std::move(done)] {
        watcher->deleteLater();
        if (m_shutDown)
            return;
        Result result = watcher->result();
        done(std::move(result)); // before end(): work `done` starts keeps the runner busy
        end(id);
    });
    watcher->setFuture(future);
}

} // namespace trustscope::ui
