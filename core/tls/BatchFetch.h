#pragma once

#include "tls/TlsFetch.h"

#include <QList>

#include <atomic>
#include <functional>

namespace trustscope::core::tls {

// Many fetches at once, for `fetch --from`: at most `parallel` connections are open, and each
// result goes to `deliver` on the calling thread in the order of `jobs`, as soon as it and every
// one before it are done. At most `parallel * 4` finished results wait for a slower earlier one,
// so memory stays flat however many targets there are (a list of 10 000 is a few MB of options).
// A cancel stops starting new connections; the ones started end with their own time-outs.
void fetchInOrder(const QList<FetchOptions> &jobs, int parallel, const std::function<void(FetchResult &&)> &deliver,
                  const std::atomic_bool *cancel = nullptr);

} // namespace trustscope::core::tls
