#pragma once

// Intermittent failures: one misconfigured server behind a load balancer. Fetch a host from
// every address it resolves to, from explicit addresses, and/or N times, then group what came
// back by the chain sent and the handshake, and say in plain words who got something different.

#include "Error.h"
#include "tls/TlsFetch.h"
#include "trust/TrustEvaluation.h"

#include <QDateTime>
#include <QJsonObject>

#include <functional>

namespace trustscope::core::tls {

struct BackendOptions {
    FetchOptions fetch;        // the target: host (also the SNI), port and every other option
    bool allAddresses = false; // every A and AAAA address of the host
    QStringList connectTo;     // explicit ADDR or ADDR:PORT ([v6]:PORT); port defaults to the target's
    int repeat = 1;            // connections to each address
    int intervalMs = 0;        // pause between connections (then they run one after another)
    int concurrency = 8;       // without an interval
};

struct BackendConnection {
    int index = 0;
    QString address; // what was connected to
    quint16 port = 0;
    QDateTime startedAt;
    FetchResult result;
    int chainIndex = -1; // into BackendReport::chains; -1 when the connection failed
    QString handshake;   // "TLSv1.3 TLS_AES_256_GCM_SHA384 X25519"
    // "203.0.113.7", or "127.0.0.1:4433" / "[::1]:4433" when the port is not the target's.
    [[nodiscard]] QString endpoint(quint16 targetPort) const;
};

struct DistinctChain {
    int index = 0;
    QString fingerprint; // SHA-256 over the SHA-256s of the certificates, in the order sent
    QList<Certificate> certificates;
    QList<int> connections;
    QStringList addresses;
    std::optional<trust::Evaluation> evaluation;
};

struct BackendReport {
    QString host;
    quint16 port = 0;
    QList<BackendConnection> connections;
    QList<DistinctChain> chains; // most frequent first
    QStringList inconsistencies; // plain sentences; empty when every connection agrees
    [[nodiscard]] int failedCount() const;
    [[nodiscard]] bool agree() const { return inconsistencies.isEmpty() && failedCount() == 0; }
    [[nodiscard]] bool allFailed() const { return !connections.isEmpty() && failedCount() == connections.size(); }
};

// "ADDR", "ADDR:PORT", "[v6]", "[v6]:PORT" or a bare IPv6 literal; nullopt when malformed.
[[nodiscard]] std::optional<std::pair<QString, quint16>> parseAddressAndPort(const QString &text, quint16 defaultPort);

// Every address `host` resolves to, numeric, IPv4 first, without duplicates.
[[nodiscard]] Result<QStringList> resolveAllAddresses(const QString &host, AddressFamily family = AddressFamily::Any);

// Runs the connections (blocking: call from a worker). `progress` gets (done, total).
[[nodiscard]] Result<BackendReport> fetchBackends(const BackendOptions &options,
                                                  const std::atomic_bool *cancel = nullptr,
                                                  const std::function<void(int, int)> &progress = {});

// Gives every distinct chain the verdict `judge` makes of it (inspect::evaluate is the judge: the
// user's trust settings and exceptions), then describes the differences again.
void evaluateChains(BackendReport &report, const std::function<trust::Evaluation(const DistinctChain &)> &judge);
// Rebuilds `inconsistencies` from the connections, the chains and their verdicts.
void describeDifferences(BackendReport &report);

[[nodiscard]] QString chainFingerprint(const QList<Certificate> &chain);
[[nodiscard]] QString chainLetter(int chainIndex); // A, B, …; "—" for none
[[nodiscard]] QJsonObject toJson(const BackendReport &report);
[[nodiscard]] QString toText(const BackendReport &report);

} // namespace trustscope::core::tls
