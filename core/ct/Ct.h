#pragma once

// Certificate Transparency: the SCTs of a certificate (embedded, TLS extension, stapled OCSP),
// each verified with OpenSSL's CT code against the shipped log lists (Apple's, Chrome's) and any
// private list, and Apple's and Chrome's CT policies, each encoded as data with its source.

#include "Error.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

struct x509_st;

namespace trustscope::core::ct {

struct Log {
    QByteArray id;  // SHA-256 of `key`
    QByteArray key; // SubjectPublicKeyInfo DER
    QString description, operatorName, url;
    QString state; // pending qualified usable readonly retired rejected; empty: the list gives none
    QDateTime stateSince;
    QDateTime intervalStart, intervalEnd; // temporal interval (sharded logs): notAfter must fall inside
    bool tlsOnly = false;
    QString list; // apple, chrome, or the private list's file
    // The log's state when an SCT was issued at `at`, as far as one state and its date tell.
    [[nodiscard]] QString stateAt(const QDateTime &at) const;
};

struct LogList {
    QString id; // apple, chrome, or the file of a --ct-log-list
    QString file;
    QString version;
    QDate date; // as of when: log_list_timestamp, the shipped data's date, else the file's
    QList<Log> logs;
    [[nodiscard]] const Log *find(const QByteArray &logId) const;
};
// Apple's v5 or Chrome's v3 schema: operators → logs / tiled_logs; each log's id must be its
// key's SHA-256. The error names the file and the log.
[[nodiscard]] Result<LogList> loadLogListFile(const QString &path, const QString &id);
[[nodiscard]] Result<LogList> parseLogList(const QByteArray &json, const QString &path, const QString &id);

struct Policy {
    QString id, name, source, logList, failureKey;
    QDate date;
    QDateTime appliesFrom; // certificates issued (notBefore) before it are not held to it
    struct Rule {
        int maxLifetimeDays = -1; // -1: any
        int scts = 0;
    };
    QList<Rule> embeddedByLifetime;
    QStringList embeddedStates;
    bool retiredCountsIfBefore = true;
    int deliveredScts = 2;
    QStringList deliveredStates;
    int distinctOperators = 2;
    int currentlyApprovedMinimum = 1;
    bool excludeTlsOnlyFromEmbedded = false;
};

// The lists and policies in use: $TRUSTSCOPE_CT_LOG_LISTS (apple.json, chrome.json), else those
// installed with the program; the policies always from the installed policies.json. Loaded once.
struct Data {
    QString directory, origin;
    QList<LogList> lists;
    QList<Policy> policies;
    QString error;
    [[nodiscard]] const LogList *list(const QString &id) const;
    [[nodiscard]] const Policy *policy(const QString &id) const;
};
[[nodiscard]] const Data &data();
[[nodiscard]] QJsonArray dataDescriptionJson();
[[nodiscard]] QStringList dataDescription();

struct Sct {
    QString source; // embedded | tls-extension | ocsp
    int version = 1;
    QByteArray logId;
    QDateTime timestamp;
    QString hashAlgorithm, signatureAlgorithm;
    QByteArray encoded;                                // the SCT as RFC 6962 encodes it
    std::optional<Log> log;                            // from the first list that has it (Apple's, Chrome's, private)
    QString signature = QStringLiteral("unknown-log"); // valid | invalid | unknown-log | unverifiable
    QStringList problems;                              // future timestamp, outside the temporal interval, …
    [[nodiscard]] bool usable() const { return signature == QLatin1String("valid") && problems.isEmpty(); }
};

struct PolicyVerdict {
    bool required = false;  // the client demands CT for this chain
    bool compliant = false; // the SCTs satisfy its policy
    QString reason;         // why (not) compliant, or why not required
    QString missing;        // what the SCTs lack, for the remedy
};

struct Report {
    QList<Sct> scts;
    PolicyVerdict apple, chrome;
};

// A delivered SCT (TLS extension, stapled OCSP response), as the handshake carried it.
struct DeliveredSct {
    QString source; // tls-extension | ocsp
    QByteArray encoded;
};

// `issuer` verifies embedded SCTs (its key hash is in the signed entry); without it they are
// unverifiable. `publiclyTrusted`: the path ends at a platform root (then the clients require CT;
// a user's own anchor is exempt). `extraLists`: --ct-log-list files.
[[nodiscard]] Report evaluate(x509_st *leaf, x509_st *issuer, const QList<DeliveredSct> &delivered, const QDateTime &at,
                              bool publiclyTrusted, const QList<LogList> &extraLists = {});
[[nodiscard]] PolicyVerdict applyPolicy(const Policy &policy, const QList<Sct> &scts, x509_st *leaf,
                                        const QDateTime &at, bool publiclyTrusted);
[[nodiscard]] QJsonObject toJson(const Report &report);
[[nodiscard]] QJsonObject toJson(const Sct &sct);

// SCT list encodings (RFC 6962 3.3): a TLS-style list of SCTs, each 16-bit length-prefixed.
[[nodiscard]] Result<QList<QByteArray>> splitSctList(const QByteArray &list);
[[nodiscard]] QByteArray joinSctList(const QList<QByteArray> &scts);

} // namespace trustscope::core::ct
