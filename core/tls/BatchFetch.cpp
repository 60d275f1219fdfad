#include "tls/BatchFetch.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace trustscope::core::tls {

void fetchInOrder(const QList<FetchOptions> &jobs, int parallel, const std::function<void(FetchResult &&)> &deliver,
                  const std::atomic_bool *cancel)
{
    const qsizetype count = jobs.size();
    const int workers = int(std::clamp<qsizetype>(parallel, 1, std::max<qsizetype>(1, count)));
    const qsizetype window = qsizetype(workers) * 4; // started but not yet delivered, at most
    std::mutex mutex;
    std::condition_variable changed;
    qsizetype nextToStart = 0;
    qsizetype nextToDeliver = 0;
    std::map<qsizetype, FetchResult> finished; // out of order, waiting for an earlier one
    const auto cancelled = [cancel] { return cancel && cancel->load(); };

    // Long-lived workers: OpenSSL keeps each thread's state (its random generator among others)
    // until the thread ends, instead of setting it up again for every connection.
    const auto work = [&] {
        for (;;) {
            qsizetype index = 0;
            {
                std::unique_lock lock(mutex);
                changed.wait(
                    lock, [&] { return nextToStart >= count || cancelled() || nextToStart - nextToDeliver < window; });
                if (nextToStart >= count || cancelled())
                    return;
                index = nextToStart++;
            }
            FetchResult result = fetchChain(jobs.at(index), cancel);
            {
                const std::lock_guard lock(mutex);
                finished.emplace(index, std::move(result));
            }
            changed.notify_all();
        }
    };
    std::vector<std::jthread> threads;
    threads.reserve(size_t(workers));
    for (int index = 0; index < workers; ++index)
        threads.emplace_back(work);

    for (;;) {
        FetchResult result;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] {
                return finished.contains(nextToDeliver) || nextToDeliver >= count ||
                       (cancelled() && nextToDeliver >= nextToStart);
            });
            const auto found = finished.find(nextToDeliver);
            if (found == finished.end())
                break; // all delivered, or cancelled with nothing left in flight
            result = std::move(found->second);
            finished.erase(found);
            ++nextToDeliver;
        }
        changed.notify_all(); // a slot in the window is free
        deliver(std::move(result));
    }
    changed.notify_all();
}

} // namespace trustscope::core::tls
