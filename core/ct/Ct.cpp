#include "ct/Ct.h"

#include "AppInfo.h"

#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"
#include "x509/Decode.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryFile>
#include <QTimeZone>

#include <openssl/ct.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <mutex>

namespace trustscope::core::ct {

using namespace trustscope::ossl;

namespace {

const QStringList &knownStates()
{
    static const QStringList states = {QStringLiteral("pending"), QStringLiteral("qualified"),
                                       QStringLiteral("usable"),  QStringLiteral("readonly"),
                                       QStringLiteral("retired"), QStringLiteral("rejected")};
    return states;
}

Error listError(const QString &path, const QString &what)
{
    return Error{
        Error::Code::InvalidInput, QStringLiteral("CT log list %1: %2").arg(QDir::toNativeSeparators(path), what), {}};
}

QDateTime parseTime(const QJsonValue &value)
{
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
}

Result<Log> parseLog(const QJsonObject &object, const QString &path, const QString &where, const QString &operatorName,
                     const QString &listId)
{
    Log log;
    log.operatorName = operatorName;
    log.list = listId;
    log.description = object.value(QLatin1String("description")).toString();
    const auto key = QByteArray::fromBase64Encoding(object.value(QLatin1String("key")).toString().toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    if (!key || key.decoded.isEmpty())
        return std::unexpected(listError(path, where + QStringLiteral(": \"key\" is not base64")));
    log.key = *key;
    const auto *cursor = reinterpret_cast<const unsigned char *>(log.key.constData());
    const EvpPkeyPtr parsed(d2i_PUBKEY(nullptr, &cursor, long(log.key.size())));
    if (!parsed) {
        clearOpenSslErrors();
        return std::unexpected(listError(path, where + QStringLiteral(": \"key\" is not a public key")));
    }
    const auto id = QByteArray::fromBase64Encoding(object.value(QLatin1String("log_id")).toString().toLatin1(),
                                                   QByteArray::AbortOnBase64DecodingErrors);
    if (!id || id.decoded.size() != 32)
        return std::unexpected(listError(path, where + QStringLiteral(": \"log_id\" is not 32 bytes of base64")));
    log.id = *id;
    if (sha256Digest(log.key) != log.id)
        return std::unexpected(listError(path, where + QStringLiteral(": \"log_id\" is not the SHA-256 of its key")));
    log.url = object.value(QLatin1String("url")).toString();
    if (log.url.isEmpty())
        log.url = object.value(QLatin1String("submission_url")).toString();
    log.tlsOnly = object.value(QLatin1String("tls_only")).toBool(false);
    if (const QJsonValue state = object.value(QLatin1String("state")); state.isObject()) {
        const QJsonObject states = state.toObject();
        if (states.size() != 1 || !knownStates().contains(states.begin().key()))
            return std::unexpected(listError(
                path, where + QStringLiteral(": \"state\" must hold one of %1").arg(knownStates().join(u", "))));
        log.state = states.begin().key();
        log.stateSince = parseTime(states.begin().value().toObject().value(QLatin1String("timestamp")));
        if (!log.stateSince.isValid())
            return std::unexpected(listError(path, where + QStringLiteral(": the state has no valid timestamp")));
    } else if (!state.isUndefined()) {
        return std::unexpected(listError(path, where + QStringLiteral(": \"state\" is not an object")));
    }
    if (const QJsonValue interval = object.value(QLatin1String("temporal_interval")); interval.isObject()) {
        log.intervalStart = parseTime(interval.toObject().value(QLatin1String("start_inclusive")));
        log.intervalEnd = parseTime(interval.toObject().value(QLatin1String("end_exclusive")));
        if (!log.intervalStart.isValid() || !log.intervalEnd.isValid())
            return std::unexpected(
                listError(path, where + QStringLiteral(": \"temporal_interval\" has no valid dates")));
    }
    return log;
}

Result<QList<Policy>> loadPolicies(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject() ||
        document.object().value(QLatin1String("format")).toString() != QLatin1String("trustscope-ct-policies"))
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 is not a trustscope-ct-policies file").arg(path));
    QList<Policy> policies;
    for (const QJsonValue &value : document.object().value(QLatin1String("policies")).toArray()) {
        const QJsonObject object = value.toObject();
        Policy policy;
        policy.id = object.value(QLatin1String("id")).toString();
        policy.name = object.value(QLatin1String("name")).toString();
        policy.source = object.value(QLatin1String("source")).toString();
        policy.date = QDate::fromString(object.value(QLatin1String("date")).toString(), Qt::ISODate);
        policy.logList = object.value(QLatin1String("logList")).toString();
        policy.failureKey = object.value(QLatin1String("failureKey")).toString();
        policy.appliesFrom = parseTime(object.value(QLatin1String("appliesToCertificatesIssuedFrom")));
        const QJsonObject embedded = object.value(QLatin1String("embedded")).toObject();
        for (const QJsonValue &rule : embedded.value(QLatin1String("byLifetime")).toArray()) {
            const QJsonValue days = rule.toObject().value(QLatin1String("maxLifetimeDays"));
            policy.embeddedByLifetime.append(
                {days.isDouble() ? days.toInt() : -1, rule.toObject().value(QLatin1String("scts")).toInt()});
        }
        for (const QJsonValue &state : embedded.value(QLatin1String("countingStates")).toArray())
            policy.embeddedStates.append(state.toString());
        policy.retiredCountsIfBefore = embedded.value(QLatin1String("retiredCountsIfIssuedBeforeRetirement")).toBool();
        const QJsonObject delivered = object.value(QLatin1String("delivered")).toObject();
        policy.deliveredScts = delivered.value(QLatin1String("scts")).toInt(2);
        for (const QJsonValue &state : delivered.value(QLatin1String("countingStates")).toArray())
            policy.deliveredStates.append(state.toString());
        policy.distinctOperators = object.value(QLatin1String("distinctOperators")).toInt(2);
        policy.currentlyApprovedMinimum = object.value(QLatin1String("currentlyApprovedMinimum")).toInt(1);
        policy.excludeTlsOnlyFromEmbedded = object.value(QLatin1String("excludeTlsOnlyLogsFromEmbedded")).toBool();
        if (policy.id.isEmpty() || policy.embeddedByLifetime.isEmpty() || policy.embeddedStates.isEmpty() ||
            !policy.date.isValid())
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("%1: policy \"%2\" lacks id, date or embedded rules").arg(path, policy.id));
        policies.append(policy);
    }
    return policies;
}

// OpenSSL has no call that adds a log to a CTLOG_STORE: the store is loaded from a file in its
// own format (one section per log), written to a private temporary file.
CtLogStorePtr storeOf(const QList<const Log *> &logs)
{
    CtLogStorePtr store(CTLOG_STORE_new());
    if (!store)
        return {};
    if (logs.isEmpty())
        return store;
    QTemporaryFile file;
    if (!file.open())
        return {};
    QStringList names;
    QByteArray text;
    for (qsizetype index = 0; index < logs.size(); ++index) {
        const QByteArray name = "log" + QByteArray::number(index);
        names.append(QString::fromLatin1(name));
        text += "[" + name + "]\ndescription = " + name + "\nkey = " + logs.at(index)->key.toBase64() + "\n";
    }
    text = "enabled_logs = " + names.join(QLatin1Char(',')).toLatin1() + "\n" + text;
    if (file.write(text) != text.size() || !file.flush())
        return {};
    if (CTLOG_STORE_load_file(store.get(), QFile::encodeName(file.fileName()).constData()) != 1) {
        clearOpenSslErrors();
        return {};
    }
    return store;
}

// The store of every shipped log, made once.
CTLOG_STORE *shippedStore()
{
    static CtLogStorePtr store;
    static std::once_flag once;
    std::call_once(once, [] {
        QList<const Log *> logs;
        QSet<QByteArray> seen;
        for (const LogList &list : data().lists)
            for (const Log &log : list.logs)
                if (!seen.contains(log.id)) {
                    seen.insert(log.id);
                    logs.append(&log);
                }
        store = storeOf(logs);
    });
    return store.get();
}

QString sourceName(sct_source_t source)
{
    switch (source) {
    case SCT_SOURCE_X509V3_EXTENSION:
        return QStringLiteral("embedded");
    case SCT_SOURCE_OCSP_STAPLED_RESPONSE:
        return QStringLiteral("ocsp");
    default:
        return QStringLiteral("tls-extension");
    }
}

// The certificate and issuer in the key of remembered SCT verdicts, encoded once per evaluation.
QByteArray chainKeyOf(X509 *leaf, X509 *issuer)
{
    QByteArray key;
    for (X509 *part : {leaf, issuer}) {
        unsigned char *der = nullptr;
        const int size = part ? i2d_X509(part, &der) : 0;
        key += size > 0 ? QByteArray(reinterpret_cast<const char *>(der), size) : QByteArrayLiteral("-");
        OPENSSL_free(der);
    }
    return sha256Digest(key);
}

// One SCT: decoded, looked up, verified.
Sct judge(SCT *sct, x509_st *leaf, x509_st *issuer, const QByteArray &chainKey, const QDateTime &at,
          const QList<const LogList *> &lists, CTLOG_STORE *store)
{
    Sct out;
    out.source = sourceName(SCT_get_source(sct));
    out.version = SCT_get_version(sct) == SCT_VERSION_V1 ? 1 : 0;
    unsigned char *logId = nullptr;
    const size_t logIdLength = SCT_get0_log_id(sct, &logId);
    out.logId = QByteArray(reinterpret_cast<const char *>(logId), qsizetype(logIdLength));
    out.timestamp = QDateTime::fromMSecsSinceEpoch(qint64(SCT_get_timestamp(sct)), QTimeZone::UTC);
    switch (SCT_get_signature_nid(sct)) {
    case NID_ecdsa_with_SHA256:
        out.hashAlgorithm = QStringLiteral("sha256");
        out.signatureAlgorithm = QStringLiteral("ecdsa");
        break;
    case NID_sha256WithRSAEncryption:
        out.hashAlgorithm = QStringLiteral("sha256");
        out.signatureAlgorithm = QStringLiteral("rsa");
        break;
    default:
        out.hashAlgorithm = out.signatureAlgorithm = QStringLiteral("unknown");
        break;
    }
    unsigned char *encoded = nullptr;
    const int length = i2o_SCT(sct, &encoded);
    if (length > 0)
        out.encoded = QByteArray(reinterpret_cast<const char *>(encoded), length);
    OPENSSL_free(encoded);
    for (const LogList *list : lists)
        if (const Log *log = list->find(out.logId)) {
            out.log = *log;
            break;
        }
    if (out.version != 1)
        out.problems.append(QStringLiteral("version %1 is not SCT v1").arg(out.version));
    if (out.timestamp > at)
        out.problems.append(QStringLiteral("the timestamp %1 is in the future (the verdict's time is %2)")
                                .arg(out.timestamp.toString(Qt::ISODateWithMs), at.toString(Qt::ISODate)));
    if (!out.log) {
        out.signature = QStringLiteral("unknown-log");
        QDate oldest;
        for (const LogList *list : lists)
            if (list->date.isValid() && (!oldest.isValid() || list->date < oldest))
                oldest = list->date;
        out.problems.append(QStringLiteral("log %1 is in no log list in use (the oldest is of %2: a log added since "
                                           "would be unknown here)")
                                .arg(QString::fromLatin1(out.logId.toBase64()), oldest.toString(Qt::ISODate)));
        clearOpenSslErrors();
        return out;
    }
    if (out.log->intervalStart.isValid() && leaf) {
        const QDateTime expiry = x509::toDateTime(X509_get0_notAfter(leaf));
        if (expiry.isValid() && (expiry < out.log->intervalStart || expiry >= out.log->intervalEnd))
            out.problems.append(QStringLiteral("the certificate expires %1, outside the log's temporal interval "
                                               "[%2, %3)")
                                    .arg(expiry.toString(Qt::ISODate), out.log->intervalStart.toString(Qt::ISODate),
                                         out.log->intervalEnd.toString(Qt::ISODate)));
    }
    // A verdict on the signature depends only on the SCT, the certificate and the issuer:
    // remembered, because one inspection judges the same chain many times (the main verdict, the
    // Apple diagnosis, every root program).
    const QByteArray cacheKey =
        chainKey.isEmpty() ? QByteArray() : sha256Digest(QByteArray(out.source.toLatin1() + out.encoded + chainKey));
    static std::mutex cacheMutex;
    static QHash<QByteArray, sct_validation_status_t> cache;
    std::optional<sct_validation_status_t> status;
    if (!cacheKey.isEmpty()) {
        const std::lock_guard lock(cacheMutex);
        if (const auto found = cache.constFind(cacheKey); found != cache.cend())
            status = *found;
    }
    if (!status) {
        // The signature is judged on its own: a future timestamp is named above, not as a bad one.
        const qint64 checkAt = std::max(at.toMSecsSinceEpoch(), out.timestamp.toMSecsSinceEpoch() + 1);
        CtPolicyEvalCtxPtr context(CT_POLICY_EVAL_CTX_new());
        if (!context || !store || CT_POLICY_EVAL_CTX_set1_cert(context.get(), leaf) != 1 ||
            (issuer && CT_POLICY_EVAL_CTX_set1_issuer(context.get(), issuer) != 1)) {
            out.signature = QStringLiteral("unverifiable");
            out.problems.append(QStringLiteral("OpenSSL could not set up the check (%1)").arg(takeOpenSslErrors()));
            return out;
        }
        CT_POLICY_EVAL_CTX_set_shared_CTLOG_STORE(context.get(), store);
        CT_POLICY_EVAL_CTX_set_time(context.get(), quint64(checkAt));
        // 1 valid, 0 not valid (the status says why), < 0 OpenSSL could not run the check at all.
        if (SCT_validate(sct, context.get()) < 0) {
            out.signature = QStringLiteral("unverifiable");
            out.problems.append(QStringLiteral("OpenSSL could not run the check (%1)").arg(takeOpenSslErrors()));
            return out;
        }
        clearOpenSslErrors();
        status = SCT_get_validation_status(sct);
        if (!cacheKey.isEmpty() && *status != SCT_VALIDATION_STATUS_NOT_SET) {
            const std::lock_guard lock(cacheMutex);
            if (cache.size() > 4096)
                cache.clear();
            cache.insert(cacheKey, *status);
        }
    }
    switch (*status) {
    case SCT_VALIDATION_STATUS_VALID:
        out.signature = QStringLiteral("valid");
        break;
    case SCT_VALIDATION_STATUS_INVALID:
        out.signature = QStringLiteral("invalid");
        out.problems.append(QStringLiteral("the signature does not verify with the log's key"));
        break;
    case SCT_VALIDATION_STATUS_UNKNOWN_LOG:
        out.signature = QStringLiteral("unknown-log");
        break;
    default:
        out.signature = QStringLiteral("unverifiable");
        out.problems.append(issuer || out.source != QLatin1String("embedded")
                                ? QStringLiteral("OpenSSL could not verify it")
                                : QStringLiteral("the issuer is unknown: an embedded SCT signs the issuer's key hash"));
        break;
    }
    return out;
}

} // namespace

QString Log::stateAt(const QDateTime &at) const
{
    if (state.isEmpty() || !stateSince.isValid() || at >= stateSince)
        return state;
    if (state == QLatin1String("retired") || state == QLatin1String("readonly"))
        return QStringLiteral("usable");
    if (state == QLatin1String("usable"))
        return QStringLiteral("qualified");
    return QStringLiteral("pending");
}

const Log *LogList::find(const QByteArray &logId) const
{
    for (const Log &log : logs)
        if (log.id == logId)
            return &log;
    return nullptr;
}

Result<LogList> parseLogList(const QByteArray &json, const QString &path, const QString &id)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return std::unexpected(listError(
            path, QStringLiteral("JSON error at offset %1: %2").arg(parseError.offset).arg(parseError.errorString())));
    if (!document.isObject() || !document.object().value(QLatin1String("operators")).isArray())
        return std::unexpected(listError(path, QStringLiteral("no \"operators\" list (Apple v5 or Chrome v3 schema)")));
    LogList list;
    list.id = id;
    list.file = path;
    list.version = document.object().value(QLatin1String("version")).toVariant().toString();
    list.date = parseTime(document.object().value(QLatin1String("log_list_timestamp"))).date();
    const QJsonArray operators = document.object().value(QLatin1String("operators")).toArray();
    for (qsizetype index = 0; index < operators.size(); ++index) {
        const QJsonObject logOperator = operators.at(index).toObject();
        const QString name = logOperator.value(QLatin1String("name")).toString();
        if (name.isEmpty())
            return std::unexpected(listError(path, QStringLiteral("operators[%1] has no name").arg(index)));
        for (const QString &kind : {QStringLiteral("logs"), QStringLiteral("tiled_logs")}) {
            const QJsonValue logs = logOperator.value(kind);
            if (logs.isUndefined())
                continue;
            if (!logs.isArray())
                return std::unexpected(
                    listError(path, QStringLiteral("operators[%1].%2 is not a list").arg(index).arg(kind)));
            const QJsonArray entries = logs.toArray();
            for (qsizetype log = 0; log < entries.size(); ++log) {
                auto parsed = parseLog(entries.at(log).toObject(), path,
                                       QStringLiteral("operators[%1].%2[%3]").arg(index).arg(kind).arg(log), name, id);
                if (!parsed)
                    return std::unexpected(parsed.error());
                list.logs.append(std::move(*parsed));
            }
        }
    }
    return list;
}

Result<LogList> loadLogListFile(const QString &path, const QString &id)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io,
                    QStringLiteral("Cannot read the CT log list %1: %2").arg(path, file.errorString()));
    if (file.size() > 64 * 1024 * 1024)
        return std::unexpected(listError(path, QStringLiteral("larger than 64 MB")));
    auto list = parseLogList(file.readAll(), path, id);
    if (list && !list->date.isValid())
        list->date = QFileInfo(path).lastModified(QTimeZone::UTC).date();
    return list;
}

const LogList *Data::list(const QString &id) const
{
    for (const LogList &list : lists)
        if (list.id == id)
            return &list;
    return nullptr;
}

const Policy *Data::policy(const QString &id) const
{
    for (const Policy &policy : policies)
        if (policy.id == id)
            return &policy;
    return nullptr;
}

const Data &data()
{
    static Data loaded;
    static std::once_flag once;
    std::call_once(once, [] {
        QString installed;
#ifdef TRUSTSCOPE_SOURCE_CT
        const QString sourceTree = QStringLiteral(TRUSTSCOPE_SOURCE_CT);
#else
        const QString sourceTree;
#endif
        for (const QString &candidate : installedDataCandidates(QStringLiteral("ct"), sourceTree))
            if (QFileInfo::exists(QDir(candidate).filePath(QStringLiteral("policies.json")))) {
                installed = QDir::cleanPath(candidate);
                break;
            }
        const QString overridden = qEnvironmentVariable("TRUSTSCOPE_CT_LOG_LISTS");
        loaded.directory = overridden.isEmpty() ? installed : overridden;
        loaded.origin = overridden.isEmpty() ? QStringLiteral("installed") : QStringLiteral("TRUSTSCOPE_CT_LOG_LISTS");
        QStringList errors;
        if (auto policies = loadPolicies(QDir(installed).filePath(QStringLiteral("policies.json"))))
            loaded.policies = std::move(*policies);
        else
            errors.append(policies.error().toString());
        // The shipped lists carry no timestamp of their own: policies.json says when they were taken.
        QDate shippedDate;
        if (QFile policies(QDir(installed).filePath(QStringLiteral("policies.json")));
            policies.open(QIODevice::ReadOnly))
            shippedDate = QDate::fromString(
                QJsonDocument::fromJson(policies.readAll()).object().value(QLatin1String("logListsDate")).toString(),
                Qt::ISODate);
        for (const QString &id : {QStringLiteral("apple"), QStringLiteral("chrome")}) {
            const QString path = QDir(loaded.directory).filePath(id + QStringLiteral(".json"));
            if (auto list = loadLogListFile(path, id)) {
                if (overridden.isEmpty() && shippedDate.isValid())
                    list->date = shippedDate;
                loaded.lists.append(std::move(*list));
            } else
                errors.append(list.error().toString());
        }
        loaded.error = errors.join(QStringLiteral("; "));
    });
    return loaded;
}

QJsonArray dataDescriptionJson()
{
    QJsonArray lists;
    const Data &ct = data();
    for (const LogList &list : ct.lists)
        lists.append(QJsonObject{{QStringLiteral("list"), list.id},
                                 {QStringLiteral("file"), list.file},
                                 {QStringLiteral("version"), list.version},
                                 {QStringLiteral("logs"), int(list.logs.size())},
                                 {QStringLiteral("date"), list.date.toString(Qt::ISODate)}});
    for (const Policy &policy : ct.policies)
        lists.append(QJsonObject{{QStringLiteral("policy"), policy.id},
                                 {QStringLiteral("name"), policy.name},
                                 {QStringLiteral("source"), policy.source},
                                 {QStringLiteral("date"), policy.date.toString(Qt::ISODate)}});
    return lists;
}

QStringList dataDescription()
{
    QStringList lines;
    const Data &ct = data();
    if (!ct.error.isEmpty())
        lines.append(QStringLiteral("CT data: %1").arg(ct.error));
    for (const LogList &list : ct.lists)
        lines.append(QStringLiteral("CT log list %1: %2 logs as of %3 (%4%5)")
                         .arg(list.id)
                         .arg(list.logs.size())
                         .arg(list.date.toString(Qt::ISODate),
                              list.version.isEmpty() ? QString() : QStringLiteral("version %1, ").arg(list.version),
                              QDir::toNativeSeparators(list.file)));
    for (const Policy &policy : ct.policies)
        lines.append(QStringLiteral("CT policy %1: %2, %3 (%4)")
                         .arg(policy.id, policy.name, policy.date.toString(Qt::ISODate), policy.source));
    return lines;
}

Report evaluate(x509_st *leaf, x509_st *issuer, const QList<DeliveredSct> &delivered, const QDateTime &at,
                bool publiclyTrusted, const QList<LogList> &extraLists)
{
    Report report;
    if (!leaf)
        return report;
    QList<const LogList *> lists;
    for (const LogList &list : data().lists)
        lists.append(&list);
    for (const LogList &list : extraLists)
        lists.append(&list);
    CTLOG_STORE *store = shippedStore();
    std::shared_ptr<CTLOG_STORE> extraStore;
    if (!extraLists.isEmpty()) {
        // A store per set of private lists, kept: building one writes and reads a file.
        QList<const Log *> logs;
        QByteArray ids;
        for (const LogList *list : std::as_const(lists))
            for (const Log &log : list->logs) {
                logs.append(&log);
                ids += log.id;
            }
        static std::mutex storesMutex;
        static QHash<QByteArray, std::shared_ptr<CTLOG_STORE>> stores;
        const QByteArray key = sha256Digest(ids);
        const std::lock_guard lock(storesMutex);
        extraStore = stores.value(key);
        if (!extraStore) {
            extraStore = std::shared_ptr<CTLOG_STORE>(storeOf(logs).release(), CTLOG_STORE_free);
            if (stores.size() > 16)
                stores.clear();
            if (extraStore)
                stores.insert(key, extraStore);
        }
        store = extraStore.get();
    }
    const QByteArray chainKey = chainKeyOf(leaf, issuer);
    int critical = 0;
    SctListPtr embedded(static_cast<STACK_OF(SCT) *>(X509_get_ext_d2i(leaf, NID_ct_precert_scts, &critical, nullptr)));
    if (!embedded && critical >= 0) { // present, yet it does not decode
        Sct broken;
        broken.source = QStringLiteral("embedded");
        broken.signature = QStringLiteral("unverifiable");
        broken.problems.append(QStringLiteral("the certificate's SCT list extension does not decode"));
        report.scts.append(broken);
    }
    clearOpenSslErrors();
    for (int index = 0; embedded && index < sk_SCT_num(embedded.get()); ++index) {
        SCT *sct = sk_SCT_value(embedded.get(), index);
        if (SCT_set_source(sct, SCT_SOURCE_X509V3_EXTENSION) != 1)
            clearOpenSslErrors();
        report.scts.append(judge(sct, leaf, issuer, chainKey, at, lists, store));
    }
    for (const DeliveredSct &one : delivered) {
        const auto *cursor = reinterpret_cast<const unsigned char *>(one.encoded.constData());
        SctPtr sct(o2i_SCT(nullptr, &cursor, size_t(one.encoded.size())));
        if (!sct || SCT_set_source(sct.get(), one.source == QLatin1String("ocsp") ? SCT_SOURCE_OCSP_STAPLED_RESPONSE
                                                                                  : SCT_SOURCE_TLS_EXTENSION) != 1) {
            Sct broken;
            broken.source = one.source;
            broken.encoded = one.encoded;
            broken.signature = QStringLiteral("unverifiable");
            broken.problems.append(QStringLiteral("the SCT does not decode (%1)").arg(takeOpenSslErrors()));
            report.scts.append(broken);
            continue;
        }
        report.scts.append(judge(sct.get(), leaf, issuer, chainKey, at, lists, store));
    }
    if (const Policy *apple = data().policy(QStringLiteral("apple")))
        report.apple = applyPolicy(*apple, report.scts, leaf, at, publiclyTrusted);
    else
        report.apple = {
            publiclyTrusted, false, QStringLiteral("Apple's CT policy data did not load: ") + data().error, {}};
    if (const Policy *chrome = data().policy(QStringLiteral("chrome")))
        report.chrome = applyPolicy(*chrome, report.scts, leaf, at, publiclyTrusted);
    else
        report.chrome = {
            publiclyTrusted, false, QStringLiteral("Chrome's CT policy data did not load: ") + data().error, {}};
    return report;
}

PolicyVerdict applyPolicy(const Policy &policy, const QList<Sct> &scts, x509_st *leaf, const QDateTime &at,
                          bool publiclyTrusted)
{
    PolicyVerdict verdict;
    const QDateTime notBefore = x509::toDateTime(X509_get0_notBefore(leaf));
    const QDateTime notAfter = x509::toDateTime(X509_get0_notAfter(leaf));
    verdict.required = publiclyTrusted && (!policy.appliesFrom.isValid() || notBefore >= policy.appliesFrom);
    const LogList *list = data().list(policy.logList);
    // A log counts under this policy when its list has it (private lists' logs count as usable).
    const auto logFor = [&](const Sct &sct) -> std::optional<Log> {
        if (list)
            if (const Log *log = list->find(sct.logId))
                return *log;
        if (sct.log && sct.log->list != QLatin1String("apple") && sct.log->list != QLatin1String("chrome")) {
            Log privateLog = *sct.log;
            if (privateLog.state.isEmpty())
                privateLog.state = QStringLiteral("usable");
            return privateLog;
        }
        return std::nullopt;
    };
    const qint64 lifetimeDays = notBefore.isValid() && notAfter.isValid() ? notBefore.secsTo(notAfter) / 86400 : 0;
    int needed = policy.embeddedByLifetime.last().scts;
    for (const Policy::Rule &rule : policy.embeddedByLifetime)
        if (rule.maxLifetimeDays < 0 || lifetimeDays <= rule.maxLifetimeDays) {
            needed = rule.scts;
            break;
        }
    int embeddedCount = 0, embeddedCurrent = 0, deliveredCount = 0;
    QSet<QString> embeddedOperators, deliveredOperators;
    QStringList ignored;
    for (const Sct &sct : scts) {
        if (!sct.usable()) {
            ignored.append(QStringLiteral("%1 SCT: %2").arg(sct.source, sct.signature));
            continue;
        }
        const auto log = logFor(sct);
        if (!log) {
            ignored.append(QStringLiteral("%1 SCT from a log not in %2's list").arg(sct.source, policy.id));
            continue;
        }
        // The log's state at the time of check (the verdict's time: --at moves it), as the list tells.
        const QString state = log->stateAt(at);
        const bool retiredBefore =
            state == QLatin1String("retired") && policy.retiredCountsIfBefore && sct.timestamp < log->stateSince;
        if (sct.source == QLatin1String("embedded")) {
            if (policy.excludeTlsOnlyFromEmbedded && log->tlsOnly) {
                ignored.append(QStringLiteral("embedded SCT from '%1', a TLS-only log").arg(log->description));
                continue;
            }
            if (policy.embeddedStates.contains(state) || retiredBefore) {
                ++embeddedCount;
                embeddedOperators.insert(log->operatorName);
                if (policy.embeddedStates.contains(state))
                    ++embeddedCurrent;
            } else {
                ignored.append(QStringLiteral("SCT from '%1', %2 %3")
                                   .arg(log->description, state.isEmpty() ? QStringLiteral("not listed") : state,
                                        log->stateSince.isValid() ? log->stateSince.toString(Qt::ISODate) : QString()));
            }
        } else if (policy.deliveredStates.contains(state)) {
            ++deliveredCount;
            deliveredOperators.insert(log->operatorName);
        } else {
            ignored.append(
                QStringLiteral("%1 SCT from '%2', %3")
                    .arg(sct.source, log->description, state.isEmpty() ? QStringLiteral("not listed") : state));
        }
    }
    const bool embeddedOk = embeddedCount >= needed && embeddedOperators.size() >= policy.distinctOperators &&
                            embeddedCurrent >= policy.currentlyApprovedMinimum;
    const bool deliveredOk =
        deliveredCount >= policy.deliveredScts && deliveredOperators.size() >= policy.distinctOperators;
    verdict.compliant = embeddedOk || deliveredOk;
    if (verdict.compliant) {
        verdict.reason = embeddedOk ? QStringLiteral("%1 valid embedded SCT(s) from %2 operator(s); a %3-day "
                                                     "certificate needs %4 from %5")
                                          .arg(embeddedCount)
                                          .arg(embeddedOperators.size())
                                          .arg(lifetimeDays)
                                          .arg(needed)
                                          .arg(policy.distinctOperators)
                                    : QStringLiteral("%1 valid SCT(s) delivered in the handshake from %2 "
                                                     "operator(s); %3 from %4 are needed")
                                          .arg(deliveredCount)
                                          .arg(deliveredOperators.size())
                                          .arg(policy.deliveredScts)
                                          .arg(policy.distinctOperators);
    } else {
        verdict.reason = QStringLiteral("%1 valid embedded SCT(s) from %2 operator(s) where a %3-day certificate "
                                        "needs %4 from %5, and %6 delivered in the handshake where %7 are needed")
                             .arg(embeddedCount)
                             .arg(embeddedOperators.size())
                             .arg(lifetimeDays)
                             .arg(needed)
                             .arg(policy.distinctOperators)
                             .arg(deliveredCount)
                             .arg(policy.deliveredScts);
        if (!ignored.isEmpty())
            verdict.reason += QStringLiteral("; not counted: ") + ignored.join(QStringLiteral("; "));
        QStringList missing;
        if (embeddedCount < needed)
            missing.append(QStringLiteral("%1 more embedded SCT(s)").arg(needed - embeddedCount));
        if (embeddedOperators.size() < policy.distinctOperators)
            missing.append(QStringLiteral("SCTs from %1 distinct log operators").arg(policy.distinctOperators));
        verdict.missing =
            missing.join(QStringLiteral(" and ")) + QStringLiteral(" from logs in %1's list").arg(policy.logList);
    }
    if (!verdict.required)
        verdict.reason = (publiclyTrusted ? QStringLiteral("not required: the certificate was issued before %1; ")
                                                .arg(policy.appliesFrom.toString(Qt::ISODate))
                                          : QStringLiteral("not required: the chain ends at your own anchor, which "
                                                           "is exempt (as on Apple platforms and in Chrome); ")) +
                         verdict.reason;
    return verdict;
}

QJsonObject toJson(const Sct &sct)
{
    QJsonValue log = QJsonValue::Null;
    if (sct.log)
        log = QJsonObject{{QStringLiteral("description"), sct.log->description},
                          {QStringLiteral("operator"), sct.log->operatorName},
                          {QStringLiteral("url"), sct.log->url},
                          {QStringLiteral("list"), sct.log->list},
                          {QStringLiteral("state"), sct.log->state},
                          {QStringLiteral("stateSince"), sct.log->stateSince.toString(Qt::ISODate)},
                          {QStringLiteral("stateAtTimestamp"), sct.log->stateAt(sct.timestamp)}};
    return QJsonObject{{QStringLiteral("source"), sct.source},
                       {QStringLiteral("version"), sct.version},
                       {QStringLiteral("logId"), QString::fromLatin1(sct.logId.toBase64())},
                       {QStringLiteral("log"), log},
                       {QStringLiteral("timestamp"), sct.timestamp.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("hashAlgorithm"), sct.hashAlgorithm},
                       {QStringLiteral("signatureAlgorithm"), sct.signatureAlgorithm},
                       {QStringLiteral("signature"), sct.signature},
                       {QStringLiteral("problems"), QJsonArray::fromStringList(sct.problems)}};
}

QJsonObject toJson(const Report &report)
{
    QJsonArray scts;
    for (const Sct &sct : report.scts)
        scts.append(toJson(sct));
    const auto verdict = [](const PolicyVerdict &policy) {
        QJsonObject json{{QStringLiteral("required"), policy.required},
                         {QStringLiteral("compliant"), policy.compliant},
                         {QStringLiteral("reason"), policy.reason}};
        if (!policy.missing.isEmpty())
            json.insert(QStringLiteral("missing"), policy.missing);
        return json;
    };
    return QJsonObject{{QStringLiteral("scts"), scts},
                       {QStringLiteral("apple"), verdict(report.apple)},
                       {QStringLiteral("chrome"), verdict(report.chrome)}};
}

Result<QList<QByteArray>> splitSctList(const QByteArray &list)
{
    if (list.size() < 2)
        return fail(Error::Code::InvalidInput, QStringLiteral("the SCT list is shorter than its length field"));
    const auto byte = [&](qsizetype at) { return int(static_cast<unsigned char>(list[at])); };
    const qsizetype total = (byte(0) << 8) | byte(1);
    if (total != list.size() - 2)
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("the SCT list says %1 bytes and holds %2").arg(total).arg(list.size() - 2));
    QList<QByteArray> scts;
    for (qsizetype at = 2; at < list.size();) {
        if (at + 2 > list.size())
            return fail(Error::Code::InvalidInput, QStringLiteral("an SCT's length is cut off"));
        const qsizetype length = (byte(at) << 8) | byte(at + 1);
        if (length == 0 || at + 2 + length > list.size())
            return fail(Error::Code::InvalidInput, QStringLiteral("an SCT's length runs past the list"));
        scts.append(list.mid(at + 2, length));
        at += 2 + length;
    }
    return scts;
}

QByteArray joinSctList(const QList<QByteArray> &scts)
{
    QByteArray body;
    for (const QByteArray &sct : scts) {
        body.append(char((sct.size() >> 8) & 0xff));
        body.append(char(sct.size() & 0xff));
        body.append(sct);
    }
    QByteArray list;
    list.append(char((body.size() >> 8) & 0xff));
    list.append(char(body.size() & 0xff));
    return list + body;
}

} // namespace trustscope::core::ct
