#include "tls/Backends.h"

#include "ossl/OpenSslError.h"
#include "tls/FetchReport.h"
#include "trust/TrustReport.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <map>
#include <thread>

#include <netdb.h>
#include <sys/socket.h>

namespace trustscope::core::tls {

namespace {

struct Target {
    QString address;
    quint16 port;
};

} // namespace

std::optional<std::pair<QString, quint16>> parseAddressAndPort(const QString &text, quint16 defaultPort)
{
    QString address = text.trimmed();
    quint16 port = defaultPort;
    if (address.startsWith(QLatin1Char('['))) {
        const qsizetype close = address.indexOf(QLatin1Char(']'));
        if (close < 0)
            return std::nullopt;
        const QString rest = address.mid(close + 1);
        if (rest.startsWith(QLatin1Char(':'))) {
            bool ok = false;
            port = quint16(rest.mid(1).toUShort(&ok));
            if (!ok || port == 0)
                return std::nullopt;
        } else if (!rest.isEmpty()) {
            return std::nullopt;
        }
        address = address.mid(1, close - 1);
    } else if (address.count(QLatin1Char(':')) == 1) {
        bool ok = false;
        port = quint16(address.section(QLatin1Char(':'), 1).toUShort(&ok));
        if (!ok || port == 0)
            return std::nullopt;
        address = address.section(QLatin1Char(':'), 0, 0);
    }
    if (address.isEmpty())
        return std::nullopt;
    return std::pair{address, port};
}

namespace {

QString handshakeOf(const FetchResult &result)
{
    QStringList parts{result.protocol, result.cipher};
    if (!result.group.isEmpty())
        parts.append(result.group);
    if (!result.alpn.isEmpty())
        parts.append(QStringLiteral("ALPN ") + result.alpn);
    return parts.join(QLatin1Char(' '));
}

QString nameOf(const Certificate &certificate)
{
    return certificate.displayName();
}

QString addressList(const QStringList &addresses)
{
    QStringList unique = addresses;
    unique.removeDuplicates();
    return (unique.size() == 1 ? QStringLiteral("address ") : QStringLiteral("addresses ")) +
           unique.join(QStringLiteral(", "));
}

// How `chain` differs from the usual one, in words: "without the intermediate 'R3'".
QString differenceFrom(const QList<Certificate> &usual, const QList<Certificate> &chain)
{
    QStringList differences;
    const auto contains = [](const QList<Certificate> &list, const Certificate &certificate) {
        return std::any_of(list.cbegin(), list.cend(),
                           [&](const Certificate &other) { return other.sha256Hex == certificate.sha256Hex; });
    };
    if (!usual.isEmpty() && !chain.isEmpty() && usual.first().sha256Hex != chain.first().sha256Hex)
        differences.append(QStringLiteral("a different leaf ('%1', serial %2, valid until %3)")
                               .arg(nameOf(chain.first()), chain.first().serialHex.left(23),
                                    chain.first().notAfter.toString(QStringLiteral("yyyy-MM-dd"))));
    for (qsizetype index = 1; index < usual.size(); ++index)
        if (!contains(chain, usual.at(index)))
            differences.append(QStringLiteral("without the %1 '%2'")
                                   .arg(usual.at(index).selfSigned ? QStringLiteral("root")
                                        : usual.at(index).isCa     ? QStringLiteral("intermediate")
                                                                   : QStringLiteral("certificate"),
                                        nameOf(usual.at(index))));
    for (qsizetype index = 1; index < chain.size(); ++index)
        if (!contains(usual, chain.at(index)))
            differences.append(QStringLiteral("with the extra certificate '%1'").arg(nameOf(chain.at(index))));
    if (differences.isEmpty())
        differences.append(usual.size() == chain.size() ? QStringLiteral("with the same certificates in another order")
                                                        : QStringLiteral("with a duplicated certificate"));
    return differences.join(QStringLiteral(" and "));
}

} // namespace

QString BackendConnection::endpoint(quint16 targetPort) const
{
    if (port == targetPort)
        return address;
    return (address.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(address) : address) +
           QStringLiteral(":%1").arg(port);
}

void evaluateChains(BackendReport &report, const std::function<trust::Evaluation(const DistinctChain &)> &judge)
{
    for (DistinctChain &chain : report.chains)
        chain.evaluation = chain.certificates.isEmpty() ? std::nullopt : std::optional(judge(chain));
    describeDifferences(report);
}

QString chainLetter(int chainIndex)
{
    return chainIndex < 0 ? QStringLiteral("—") : QString(QChar(u'A' + chainIndex % 26));
}

int BackendReport::failedCount() const
{
    return int(std::count_if(connections.cbegin(), connections.cend(),
                             [](const BackendConnection &connection) { return !connection.result.ok(); }));
}

Result<QStringList> resolveAllAddresses(const QString &host, AddressFamily family)
{
    addrinfo hints{};
    hints.ai_family = family == AddressFamily::IPv4 ? AF_INET : family == AddressFamily::IPv6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const int status = getaddrinfo(host.toUtf8().constData(), nullptr, &hints, &found);
    if (status != 0)
        return fail(Error::Code::Network,
                    QStringLiteral("cannot resolve %1: %2").arg(host, QString::fromLocal8Bit(gai_strerror(status))));
    QStringList v4, v6;
    for (const addrinfo *entry = found; entry; entry = entry->ai_next) {
        char text[NI_MAXHOST] = {};
        if (getnameinfo(entry->ai_addr, entry->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0)
            continue;
        QStringList &list = entry->ai_family == AF_INET6 ? v6 : v4;
        const QString address = QString::fromLatin1(text);
        if (!list.contains(address))
            list.append(address);
    }
    freeaddrinfo(found);
    if (v4.isEmpty() && v6.isEmpty())
        return fail(Error::Code::Network, QStringLiteral("%1 has no addresses").arg(host));
    return v4 + v6;
}

QString chainFingerprint(const QList<Certificate> &chain)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const Certificate &certificate : chain)
        hash.addData(certificate.sha256Hex.toLatin1());
    return QString::fromLatin1(hash.result().toHex());
}

Result<BackendReport> fetchBackends(const BackendOptions &options, const std::atomic_bool *cancel,
                                    const std::function<void(int, int)> &progress)
{
    if (options.repeat < 1 || options.repeat > 1000)
        return fail(Error::Code::InvalidInput, QStringLiteral("repeat between 1 and 1000 times"));
    if (options.intervalMs < 0)
        return fail(Error::Code::InvalidInput, QStringLiteral("the interval cannot be negative"));
    // Where to connect: explicit addresses, every resolved address, or (repeat only) the name.
    QList<Target> targets;
    for (const QString &text : options.connectTo) {
        const auto target = parseAddressAndPort(text, options.fetch.port);
        if (!target)
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("'%1' is not ADDRESS or ADDRESS:PORT ([IPv6]:PORT)").arg(text));
        targets.append({target->first, target->second});
    }
    if (options.allAddresses) {
        const auto addresses = resolveAllAddresses(
            options.fetch.connectTo.isEmpty() ? options.fetch.host : options.fetch.connectTo, options.fetch.family);
        if (!addresses)
            return std::unexpected(addresses.error());
        for (const QString &address : *addresses)
            targets.append({address, options.fetch.port});
    }
    if (targets.isEmpty())
        targets.append({options.fetch.connectTo, options.fetch.port}); // empty address: resolve each time

    QList<BackendConnection> connections;
    for (int round = 0; round < options.repeat; ++round)
        for (const Target &target : std::as_const(targets)) {
            BackendConnection connection;
            connection.index = int(connections.size());
            connection.address = target.address;
            connection.port = target.port;
            connections.append(connection);
        }
    const int total = int(connections.size());
    std::atomic_int done = 0;
    const auto run = [&](BackendConnection &connection) {
        if (cancel && cancel->load()) {
            connection.result.host = options.fetch.host;
            connection.result.errorStage = QStringLiteral("cancelled");
            connection.result.errorMessage = QStringLiteral("cancelled before connecting");
            return;
        }
        FetchOptions fetch = options.fetch;
        fetch.connectTo = connection.address;
        fetch.port = connection.port;
        connection.startedAt = QDateTime::currentDateTimeUtc();
        connection.result = fetchChain(fetch, cancel);
        if (connection.address.isEmpty())
            connection.address = connection.result.address.section(QLatin1Char(' '), 0, 0);
        if (progress)
            progress(++done, total);
    };
    if (options.intervalMs > 0 || options.concurrency <= 1) {
        for (qsizetype index = 0; index < connections.size(); ++index) {
            if (index > 0 && options.intervalMs > 0)
                for (int waited = 0; waited < options.intervalMs && !(cancel && cancel->load()); waited += 20)
                    std::this_thread::sleep_for(std::chrono::milliseconds(qMin(20, options.intervalMs - waited)));
            run(connections[index]);
        }
    } else {
        QThreadPool pool;
        pool.setMaxThreadCount(qMax(1, options.concurrency));
        // The pool's threads end with it, and OpenSSL frees their per-thread state then.
        QtConcurrent::blockingMap(&pool, connections, run);
    }
    if (cancel && cancel->load())
        return fail(Error::Code::Cancelled, QStringLiteral("cancelled"));

    // Group by the chain as sent; the most frequent chain first.
    BackendReport report;
    report.host = options.fetch.host;
    report.port = options.fetch.port;
    std::map<QString, qsizetype> chainByFingerprint;
    for (BackendConnection &connection : connections) {
        if (!connection.result.ok())
            continue;
        connection.handshake = handshakeOf(connection.result);
        const QString fingerprint = chainFingerprint(connection.result.presentedChain);
        auto found = chainByFingerprint.find(fingerprint);
        if (found == chainByFingerprint.end()) {
            DistinctChain chain;
            chain.fingerprint = fingerprint;
            chain.certificates = connection.result.presentedChain;
            report.chains.append(chain);
            found = chainByFingerprint.emplace(fingerprint, report.chains.size() - 1).first;
        }
        report.chains[found->second].connections.append(connection.index);
        report.chains[found->second].addresses.append(connection.endpoint(options.fetch.port));
    }
    std::stable_sort(report.chains.begin(), report.chains.end(), [](const DistinctChain &a, const DistinctChain &b) {
        return a.connections.size() > b.connections.size();
    });
    for (qsizetype index = 0; index < report.chains.size(); ++index) {
        DistinctChain &chain = report.chains[index];
        chain.index = int(index);
        chain.addresses.removeDuplicates();
        for (const int connection : std::as_const(chain.connections))
            connections[connection].chainIndex = int(index);
    }
    report.connections = connections;
    describeDifferences(report);
    return report;
}

void describeDifferences(BackendReport &report)
{
    report.inconsistencies.clear();
    // The sentences: who got something other than the usual chain and handshake, and who failed.
    const int count = int(report.connections.size());
    const auto ofAll = [count](qsizetype part) {
        return QStringLiteral("%1 of %2 connection%3")
            .arg(part)
            .arg(count)
            .arg(count == 1 ? QString() : QStringLiteral("s"));
    };
    if (!report.chains.isEmpty()) {
        const DistinctChain &usual = report.chains.first();
        for (qsizetype index = 1; index < report.chains.size(); ++index) {
            const DistinctChain &chain = report.chains.at(index);
            report.inconsistencies.append(QStringLiteral("%1 got a chain %2 — %3")
                                              .arg(ofAll(chain.connections.size()),
                                                   differenceFrom(usual.certificates, chain.certificates),
                                                   addressList(chain.addresses)));
        }
        // Trust verdicts that differ between chains: the intermittent -9807 / -1202.
        for (const DistinctChain &chain : std::as_const(report.chains))
            if (chain.evaluation && !chain.evaluation->trusted &&
                std::any_of(report.chains.cbegin(), report.chains.cend(),
                            [](const DistinctChain &other) { return other.evaluation && other.evaluation->trusted; })) {
                QStringList keys;
                for (const trust::CheckFailure &failure : chain.evaluation->failures)
                    if (!keys.contains(failure.key))
                        keys.append(failure.key);
                report.inconsistencies.append(QStringLiteral("%1 would fail trust (%2) while the others pass — %3")
                                                  .arg(ofAll(chain.connections.size()), keys.join(QStringLiteral(", ")),
                                                       addressList(chain.addresses)));
            }
    }
    std::map<QString, QList<const BackendConnection *>> byHandshake;
    for (const BackendConnection &connection : std::as_const(report.connections))
        if (connection.result.ok())
            byHandshake[connection.handshake].append(&connection);
    if (byHandshake.size() > 1) {
        // The usual handshake: the most frequent; on a tie, the one that came with the usual chain.
        const QString usualChainHandshake =
            report.chains.isEmpty() ? QString()
                                    : report.connections.at(report.chains.first().connections.first()).handshake;
        const auto usual =
            std::max_element(byHandshake.cbegin(), byHandshake.cend(), [&](const auto &a, const auto &b) {
                if (a.second.size() != b.second.size())
                    return a.second.size() < b.second.size();
                return b.first == usualChainHandshake;
            });
        for (const auto &[handshake, members] : byHandshake) {
            if (handshake == usual->first)
                continue;
            QStringList addresses;
            for (const BackendConnection *connection : members)
                addresses.append(connection->endpoint(report.port));
            report.inconsistencies.append(
                QStringLiteral("%1 negotiated %2 instead of %3 — %4")
                    .arg(ofAll(members.size()), handshake, usual->first, addressList(addresses)));
        }
    }
    std::map<QString, QStringList> failures;
    for (const BackendConnection &connection : std::as_const(report.connections))
        if (!connection.result.ok())
            failures[connection.result.errorStage + QStringLiteral(": ") + connection.result.errorMessage].append(
                connection.address.isEmpty() ? connection.result.host : connection.endpoint(report.port));
    for (const auto &[reason, addresses] : failures)
        report.inconsistencies.append(
            QStringLiteral("%1 failed (%2) — %3").arg(ofAll(addresses.size()), reason, addressList(addresses)));
}

QJsonObject toJson(const BackendReport &report)
{
    QJsonArray connections;
    for (const BackendConnection &connection : report.connections) {
        QJsonObject json{
            {QStringLiteral("index"), connection.index},
            {QStringLiteral("address"), connection.address},
            {QStringLiteral("port"), connection.port},
            {QStringLiteral("startedAt"), connection.startedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("elapsedMs"), connection.result.elapsedMs},
            {QStringLiteral("ok"), connection.result.ok()},
            {QStringLiteral("chainIndex"),
             connection.chainIndex < 0 ? QJsonValue() : QJsonValue(connection.chainIndex)},
            {QStringLiteral("chainFingerprint"), connection.chainIndex < 0
                                                     ? QJsonValue()
                                                     : QJsonValue(report.chains.at(connection.chainIndex).fingerprint)},
            {QStringLiteral("protocol"), connection.result.protocol},
            {QStringLiteral("cipher"), connection.result.cipher},
            {QStringLiteral("group"), connection.result.group},
            {QStringLiteral("alpn"), connection.result.alpn},
        };
        if (connection.chainIndex >= 0 && report.chains.at(connection.chainIndex).evaluation)
            json.insert(QStringLiteral("trusted"), report.chains.at(connection.chainIndex).evaluation->trusted);
        json.insert(QStringLiteral("error"),
                    connection.result.ok()
                        ? QJsonValue()
                        : QJsonValue(QJsonObject{{QStringLiteral("stage"), connection.result.errorStage},
                                                 {QStringLiteral("message"), connection.result.errorMessage}}));
        if (!connection.result.trace.isEmpty())
            json.insert(QStringLiteral("trace"), traceJson(connection.result.trace));
        connections.append(json);
    }
    QJsonArray chains;
    for (const DistinctChain &chain : report.chains) {
        QJsonArray certificates;
        for (const Certificate &certificate : chain.certificates)
            certificates.append(QJsonObject{{QStringLiteral("subject"), certificate.subject.rfc4514},
                                            {QStringLiteral("issuer"), certificate.issuer.rfc4514},
                                            {QStringLiteral("sha256"), certificate.sha256Hex},
                                            {QStringLiteral("notAfter"), certificate.notAfter.toString(Qt::ISODate)}});
        QJsonArray members;
        for (const int index : chain.connections)
            members.append(index);
        QJsonObject json{{QStringLiteral("index"), chain.index},
                         {QStringLiteral("fingerprint"), chain.fingerprint},
                         {QStringLiteral("count"), int(chain.connections.size())},
                         {QStringLiteral("connections"), members},
                         {QStringLiteral("addresses"), QJsonArray::fromStringList(chain.addresses)},
                         {QStringLiteral("certificates"), certificates}};
        if (chain.evaluation) {
            json.insert(QStringLiteral("trusted"), chain.evaluation->trusted);
            json.insert(QStringLiteral("evaluation"), trust::toJson(*chain.evaluation));
        }
        chains.append(json);
    }
    return {{QStringLiteral("host"), report.host},
            {QStringLiteral("port"), report.port},
            {QStringLiteral("connections"), connections},
            {QStringLiteral("chains"), chains},
            {QStringLiteral("failed"), report.failedCount()},
            {QStringLiteral("agree"), report.agree()},
            {QStringLiteral("inconsistencies"), QJsonArray::fromStringList(report.inconsistencies)}};
}

QString toText(const BackendReport &report)
{
    QString text = QStringLiteral("%1 port %2: %3 connection(s), %4 distinct chain(s), %5 failed\n")
                       .arg(report.host)
                       .arg(report.port)
                       .arg(report.connections.size())
                       .arg(report.chains.size())
                       .arg(report.failedCount());
    for (const BackendConnection &connection : report.connections)
        text +=
            QStringLiteral("  #%1 %2:%3  %4 ms  %5\n")
                .arg(connection.index)
                .arg(connection.address)
                .arg(connection.port)
                .arg(connection.result.elapsedMs)
                .arg(connection.result.ok()
                         ? QStringLiteral("chain %1 (%2)  %3")
                               .arg(chainLetter(connection.chainIndex))
                               .arg(report.chains.at(connection.chainIndex).fingerprint.left(12), connection.handshake)
                         : QStringLiteral("failed at %1: %2")
                               .arg(connection.result.errorStage, connection.result.errorMessage));
    for (const DistinctChain &chain : report.chains) {
        text +=
            QStringLiteral("\nChain %1 (%2), %3 connection(s) from %4%5\n")
                .arg(chainLetter(chain.index))
                .arg(chain.fingerprint.left(12))
                .arg(chain.connections.size())
                .arg(chain.addresses.join(QStringLiteral(", ")))
                .arg(!chain.evaluation           ? QString()
                     : chain.evaluation->trusted ? QStringLiteral(" — trusted")
                                                 : QStringLiteral(" — NOT trusted: ") + chain.evaluation->mainReason());
        for (qsizetype index = 0; index < chain.certificates.size(); ++index)
            text += QStringLiteral("   %1 %2\n").arg(index).arg(chain.certificates.at(index).subject.rfc4514);
    }
    text += report.inconsistencies.isEmpty() ? QStringLiteral("\nEvery connection agrees.\n")
                                             : QStringLiteral("\nInconsistent:\n");
    for (const QString &sentence : report.inconsistencies)
        text += QStringLiteral("  • %1\n").arg(sentence);
    return text;
}

} // namespace trustscope::core::tls
