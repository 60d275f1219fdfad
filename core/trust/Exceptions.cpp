#include "trust/Exceptions.h"

#include "AppInfo.h"
#include "trust/CheckKeys.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimeZone>

#include <plist/plist.h>

#include <memory>

namespace trustscope::core::trust {

namespace {

// libplist nodes and buffers, owned.
struct PlistDeleter {
    void operator()(void *node) const noexcept { plist_free(static_cast<plist_t>(node)); }
};
using PlistPtr = std::unique_ptr<void, PlistDeleter>;
struct PlistMemory {
    void operator()(char *memory) const noexcept { plist_mem_free(memory); }
};

constexpr int kFormatVersion = 1;
constexpr qint64 kMaxPlistBytes = 8 * 1024 * 1024;
constexpr uint32_t kMaxExceptions = 10000;
constexpr uint32_t kMaxCertificates = 32;
constexpr qint64 kMacEpochOffset = 978307200; // libplist dates count from 2001-01-01

QString policyFailureValue(const CheckFailure &failure, const QString &host)
{
    return failure.key == QLatin1String("SSLHostname") ? host : QString();
}

QVariant checkValue(const QString &key, const QString &host)
{
    return key == QLatin1String("SSLHostname") ? QVariant(host) : QVariant(false);
}

plist_t toPlist(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return plist_new_bool(value.toBool() ? 1 : 0);
    return plist_new_string(value.toString().toUtf8().constData());
}

plist_t dateNode(const QDateTime &time)
{
    return plist_new_date(int32_t(time.toSecsSinceEpoch() - kMacEpochOffset), 0);
}

plist_t certificatesArray(const TrustException &exception)
{
    plist_t array = plist_new_array();
    for (const CertificateException &certificate : exception.certificates) {
        plist_t dictionary = plist_new_dict();
        plist_dict_set_item(dictionary, "SHA1Digest",
                            plist_new_data(certificate.sha1.constData(), uint64_t(certificate.sha1.size())));
        plist_dict_set_item(dictionary, "SHA256Digest",
                            plist_new_data(certificate.sha256.constData(), uint64_t(certificate.sha256.size())));
        for (auto it = certificate.checks.cbegin(); it != certificate.checks.cend(); ++it)
            plist_dict_set_item(dictionary, it.key().toUtf8().constData(), toPlist(it.value()));
        plist_array_append_item(array, dictionary);
    }
    return array;
}

Result<QByteArray> serialize(plist_t root, PlistFormat format)
{
    char *raw = nullptr;
    uint32_t length = 0;
    const plist_err_t status =
        format == PlistFormat::Xml ? plist_to_xml(root, &raw, &length) : plist_to_bin(root, &raw, &length);
    std::unique_ptr<char, PlistMemory> owned(raw);
    if (status != PLIST_ERR_SUCCESS || !raw)
        return fail(Error::Code::Internal,
                    QStringLiteral("libplist could not write the property list (error %1)").arg(int(status)));
    return QByteArray(raw, qsizetype(length));
}

// Typed accessors that report what is wrong, with where.
QString stringOf(plist_t node)
{
    char *text = nullptr;
    plist_get_string_val(node, &text);
    std::unique_ptr<char, PlistMemory> owned(text);
    return text ? QString::fromUtf8(text) : QString();
}

QByteArray dataOf(plist_t node)
{
    char *bytes = nullptr;
    uint64_t length = 0;
    plist_get_data_val(node, &bytes, &length);
    std::unique_ptr<char, PlistMemory> owned(bytes);
    return bytes ? QByteArray(bytes, qsizetype(length)) : QByteArray();
}

Result<CertificateException> parseCertificate(plist_t dictionary, const QString &where)
{
    if (plist_get_node_type(dictionary) != PLIST_DICT)
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 is not a dictionary").arg(where));
    CertificateException certificate;
    plist_dict_iter iterator = nullptr;
    plist_dict_new_iter(dictionary, &iterator);
    std::unique_ptr<void, decltype(&free)> ownedIterator(iterator, free);
    for (uint32_t item = 0; item < plist_dict_get_size(dictionary); ++item) {
        char *rawKey = nullptr;
        plist_t value = nullptr;
        plist_dict_next_item(dictionary, iterator, &rawKey, &value);
        std::unique_ptr<char, PlistMemory> ownedKey(rawKey);
        if (!rawKey || !value)
            break;
        const QString key = QString::fromUtf8(rawKey);
        const plist_type type = plist_get_node_type(value);
        if (key == QLatin1String("SHA1Digest") || key == QLatin1String("SHA256Digest")) {
            if (type != PLIST_DATA)
                return fail(Error::Code::InvalidInput, QStringLiteral("%1: %2 is not data").arg(where, key));
            const QByteArray digest = dataOf(value);
            const qsizetype expected = key == QLatin1String("SHA1Digest") ? 20 : 32;
            if (digest.size() != expected)
                return fail(
                    Error::Code::InvalidInput,
                    QStringLiteral("%1: %2 has %3 bytes, not %4").arg(where, key).arg(digest.size()).arg(expected));
            (key == QLatin1String("SHA1Digest") ? certificate.sha1 : certificate.sha256) = digest;
        } else if (key == QLatin1String("ExceptionResetCount")) {
            continue; // Apple's epoch counter: meaningless outside the device that wrote it
        } else {
            const CheckKeyInfo *info = checkKey(key);
            if (!info)
                return fail(Error::Code::InvalidInput,
                            QStringLiteral("%1: '%2' is not a known trust check").arg(where, key.left(80)));
            if (!info->recoverable)
                return fail(Error::Code::InvalidInput, QStringLiteral("%1: %2 can never be excepted").arg(where, key));
            if (type == PLIST_BOOLEAN) {
                uint8_t flag = 0;
                plist_get_bool_val(value, &flag);
                certificate.checks.insert(key, bool(flag));
            } else if (type == PLIST_STRING) {
                const QString text = stringOf(value);
                if (text.size() > 1024)
                    return fail(Error::Code::InvalidInput,
                                QStringLiteral("%1: the value of %2 is too long").arg(where, key));
                certificate.checks.insert(key, text);
            } else {
                return fail(Error::Code::InvalidInput,
                            QStringLiteral("%1: %2 must be a boolean or a string").arg(where, key));
            }
        }
    }
    if (certificate.sha1.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 has no SHA1Digest").arg(where));
    return certificate;
}

Result<QList<CertificateException>> parseCertificates(plist_t array, const QString &where)
{
    if (plist_get_node_type(array) != PLIST_ARRAY)
        return fail(Error::Code::InvalidInput, QStringLiteral("%1 is not an array").arg(where));
    const uint32_t count = plist_array_get_size(array);
    if (count == 0 || count > kMaxCertificates)
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("%1 has %2 entries (1 to %3 allowed)").arg(where).arg(count).arg(kMaxCertificates));
    QList<CertificateException> certificates;
    for (uint32_t index = 0; index < count; ++index) {
        auto certificate =
            parseCertificate(plist_array_get_item(array, index), QStringLiteral("%1[%2]").arg(where).arg(index));
        if (!certificate)
            return std::unexpected(certificate.error());
        certificates.append(*certificate);
    }
    return certificates;
}

// libplist (as Debian builds it) asserts, and so aborts the process, when a string or key holds
// a NUL character: find them before it parses. Binary plists: every ASCII and UTF-16 string
// object, through the offset table; structural damage is left for libplist to report.
bool hasStringWithNul(const QByteArray &data)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(data.constData());
    const qint64 size = data.size();
    if (!data.startsWith("bplist00")) {
        static const QRegularExpression nulReference(QStringLiteral("&#(x0*|0+);"),
                                                     QRegularExpression::CaseInsensitiveOption);
        return data.contains('\0') || nulReference.match(QLatin1StringView(data)).hasMatch();
    }
    if (size < 8 + 32)
        return false;
    const auto number = [&](qint64 at, int width) -> std::optional<quint64> {
        if (width < 1 || width > 8 || at < 0 || at + width > size)
            return std::nullopt;
        quint64 value = 0;
        for (int index = 0; index < width; ++index)
            value = (value << 8) | bytes[at + index];
        return value;
    };
    const qint64 trailer = size - 32;
    const int offsetSize = bytes[trailer + 6];
    const auto objects = number(trailer + 8, 8);
    const auto tableOffset = number(trailer + 24, 8);
    if (!objects || !tableOffset || *objects > quint64(size) || *tableOffset > quint64(size))
        return false;
    for (quint64 object = 0; object < *objects; ++object) {
        const auto offset = number(qint64(*tableOffset + object * quint64(offsetSize)), offsetSize);
        if (!offset || *offset >= quint64(trailer))
            continue;
        qint64 at = qint64(*offset);
        const int kind = bytes[at] >> 4;
        if (kind != 0x5 && kind != 0x6)
            continue;
        quint64 count = bytes[at] & 0x0f;
        ++at;
        if (count == 0x0f) { // the length follows as an integer object
            if (at >= size || (bytes[at] >> 4) != 0x1)
                continue;
            const auto length = number(at + 1, 1 << (bytes[at] & 0x0f));
            if (!length)
                continue;
            at += 1 + (1 << (bytes[at] & 0x0f));
            count = *length;
        }
        const quint64 width = kind == 0x6 ? 2 : 1;
        if (count > quint64(size) || at + qint64(count * width) > size)
            continue;
        for (quint64 index = 0; index < count; ++index)
            if (bytes[at + qint64(index * width)] == 0 && (width == 1 || bytes[at + qint64(index * width) + 1] == 0))
                return true;
    }
    return false;
}

Result<PlistPtr> parsePlist(const QByteArray &data)
{
    if (data.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("the property list is empty"));
    if (data.size() > kMaxPlistBytes)
        return fail(
            Error::Code::LimitExceeded,
            QStringLiteral("the property list is %1 bytes; the limit is %2").arg(data.size()).arg(kMaxPlistBytes));
    // A cheap guard before libplist sees it: no sane exception list nests deeper than 8.
    int depth = 0, deepest = 0;
    if (data.startsWith("<?xml") || data.startsWith("<plist")) {
        for (qsizetype at = data.indexOf('<'); at >= 0; at = data.indexOf('<', at + 1)) {
            if (data.mid(at, 6) == "<array" || data.mid(at, 5) == "<dict")
                deepest = qMax(deepest, ++depth);
            else if (data.mid(at, 7) == "</array" || data.mid(at, 6) == "</dict")
                --depth;
        }
        if (deepest > 8)
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("the property list nests %1 levels deep; at most 8 are expected").arg(deepest));
    }
    if (hasStringWithNul(data))
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("the property list has a string with a NUL character, which no exception holds"));
    plist_t root = nullptr;
    plist_format_t format = PLIST_FORMAT_NONE;
    const plist_err_t status = plist_from_memory(data.constData(), uint32_t(data.size()), &root, &format);
    PlistPtr owned(root);
    if (status != PLIST_ERR_SUCCESS || !root)
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("not a valid property list (libplist error %1)").arg(int(status)));
    return owned;
}

} // namespace

Result<TrustException> exceptionFor(const Evaluation &evaluation, const QString &host, int port, const QString &policy,
                                    const QString &note, const QDateTime &expires)
{
    if (evaluation.failures.isEmpty())
        return fail(Error::Code::InvalidInput, QStringLiteral("nothing failed: there is nothing to except"));
    for (const CheckFailure &failure : evaluation.failures)
        if (!failure.recoverable)
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("%1 can never be excepted: %2").arg(failure.key, failure.explanation));
    TrustException exception;
    exception.host = host;
    exception.port = port;
    exception.policy = policy;
    exception.created = QDateTime::currentDateTimeUtc();
    exception.note = note;
    exception.expires = expires;
    int last = 0;
    for (const CheckFailure &failure : evaluation.failures)
        last = qMax(last, failure.certIndex);
    for (int index = 0; index <= last && index < evaluation.path.size(); ++index) {
        const Certificate &certificate = evaluation.path.at(index).certificate;
        CertificateException entry;
        entry.sha1 = QByteArray::fromHex(certificate.sha1Hex.toLatin1());
        entry.sha256 = QByteArray::fromHex(certificate.sha256Hex.toLatin1());
        for (const CheckFailure &failure : evaluation.failures)
            if (failure.certIndex == index)
                entry.checks.insert(failure.key, checkValue(failure.key, host));
        exception.certificates.append(entry);
    }
    return exception;
}

Evaluation applyExceptions(Evaluation evaluation, const QList<TrustException> &exceptions, const QString &host,
                           int port, const QString &policy, const QDateTime &now)
{
    if (evaluation.failures.isEmpty())
        return evaluation;
    QList<CheckFailure> remaining;
    for (const CheckFailure &failure : std::as_const(evaluation.failures)) {
        bool covered = false;
        for (const TrustException &exception : exceptions) {
            if (covered || exception.host.compare(host, Qt::CaseInsensitive) != 0 || exception.port != port ||
                exception.policy != policy)
                continue;
            if (exception.expires.isValid() && exception.expires < now)
                continue;
            if (!failure.recoverable || failure.certIndex >= exception.certificates.size() ||
                failure.certIndex >= evaluation.path.size())
                continue;
            const CertificateException &entry = exception.certificates.at(failure.certIndex);
            const Certificate &certificate = evaluation.path.at(failure.certIndex).certificate;
            if (entry.sha1.toHex() != certificate.sha1Hex.toLatin1() ||
                (!entry.sha256.isEmpty() && entry.sha256.toHex() != certificate.sha256Hex.toLatin1()))
                continue; // another certificate: an impostor is not let in
            const auto check = entry.checks.constFind(failure.key);
            if (check == entry.checks.constEnd())
                continue; // a failure the user never accepted
            if (check->typeId() == QMetaType::QString && check->toString() != policyFailureValue(failure, host))
                continue;
            covered = true;
        }
        if (covered)
            evaluation.excepted.append(failure);
        else
            remaining.append(failure);
    }
    evaluation.failures = remaining;
    if (remaining.isEmpty() && !evaluation.excepted.isEmpty()) {
        evaluation.trusted = true;
        evaluation.result = QStringLiteral("proceed");
    } else if (!remaining.isEmpty()) {
        evaluation.result =
            evaluation.hasFatal() ? QStringLiteral("fatalTrustFailure") : QStringLiteral("recoverableTrustFailure");
    }
    return evaluation;
}

Result<QByteArray> exportExceptions(const QList<TrustException> &exceptions, PlistFormat format)
{
    PlistPtr root(plist_new_dict());
    plist_dict_set_item(root.get(), "FormatVersion", plist_new_uint(kFormatVersion));
    plist_t list = plist_new_array();
    for (const TrustException &exception : exceptions) {
        plist_t item = plist_new_dict();
        plist_dict_set_item(item, "Host", plist_new_string(exception.host.toUtf8().constData()));
        plist_dict_set_item(item, "Port", plist_new_uint(uint64_t(exception.port)));
        plist_dict_set_item(item, "Policy", plist_new_string(exception.policy.toUtf8().constData()));
        plist_dict_set_item(item, "Created", dateNode(exception.created));
        plist_dict_set_item(item, "Note", plist_new_string(exception.note.toUtf8().constData()));
        if (exception.expires.isValid())
            plist_dict_set_item(item, "Expires", dateNode(exception.expires));
        plist_dict_set_item(item, "Certificates", certificatesArray(exception));
        plist_array_append_item(list, item);
    }
    plist_dict_set_item(root.get(), "Exceptions", list);
    return serialize(root.get(), format);
}

Result<QByteArray> exportAppleArray(const TrustException &exception)
{
    PlistPtr array(certificatesArray(exception));
    return serialize(array.get(), PlistFormat::Binary);
}

Result<QList<TrustException>> importExceptions(const QByteArray &data)
{
    auto root = parsePlist(data);
    if (!root)
        return std::unexpected(root.error());
    plist_t top = root->get();
    if (plist_get_node_type(top) != PLIST_DICT)
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("the top level is not a dictionary with FormatVersion and Exceptions"));
    plist_t version = plist_dict_get_item(top, "FormatVersion");
    uint64_t versionValue = 0;
    if (!version || plist_get_node_type(version) != PLIST_INT)
        return fail(Error::Code::InvalidInput, QStringLiteral("FormatVersion is missing or not an integer"));
    plist_get_uint_val(version, &versionValue);
    if (versionValue != kFormatVersion)
        return fail(
            Error::Code::Unsupported,
            QStringLiteral("FormatVersion %1 is not supported (only %2)").arg(versionValue).arg(kFormatVersion));
    plist_t list = plist_dict_get_item(top, "Exceptions");
    if (!list || plist_get_node_type(list) != PLIST_ARRAY)
        return fail(Error::Code::InvalidInput, QStringLiteral("Exceptions is missing or not an array"));
    const uint32_t count = plist_array_get_size(list);
    if (count > kMaxExceptions)
        return fail(Error::Code::LimitExceeded,
                    QStringLiteral("%1 exceptions; at most %2 are accepted").arg(count).arg(kMaxExceptions));
    QList<TrustException> exceptions;
    for (uint32_t index = 0; index < count; ++index) {
        const QString where = QStringLiteral("Exceptions[%1]").arg(index);
        plist_t item = plist_array_get_item(list, index);
        if (plist_get_node_type(item) != PLIST_DICT)
            return fail(Error::Code::InvalidInput, QStringLiteral("%1 is not a dictionary").arg(where));
        TrustException exception;
        plist_t host = plist_dict_get_item(item, "Host");
        plist_t port = plist_dict_get_item(item, "Port");
        plist_t policy = plist_dict_get_item(item, "Policy");
        plist_t created = plist_dict_get_item(item, "Created");
        plist_t note = plist_dict_get_item(item, "Note");
        plist_t expires = plist_dict_get_item(item, "Expires");
        plist_t certificates = plist_dict_get_item(item, "Certificates");
        if (!host || plist_get_node_type(host) != PLIST_STRING || stringOf(host).isEmpty())
            return fail(Error::Code::InvalidInput, QStringLiteral("%1.Host is missing or not a string").arg(where));
        exception.host = stringOf(host);
        uint64_t portValue = 0;
        if (!port || plist_get_node_type(port) != PLIST_INT ||
            (plist_get_uint_val(port, &portValue), portValue == 0 || portValue > 65535))
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("%1.Port is missing or not a port number").arg(where));
        exception.port = int(portValue);
        if (!policy || plist_get_node_type(policy) != PLIST_STRING || !policyKindFromName(stringOf(policy)))
            return fail(Error::Code::InvalidInput,
                        QStringLiteral("%1.Policy is not ssl-server, ssl-client or basic").arg(where));
        exception.policy = stringOf(policy);
        if (!created || plist_get_node_type(created) != PLIST_DATE)
            return fail(Error::Code::InvalidInput, QStringLiteral("%1.Created is missing or not a date").arg(where));
        int32_t seconds = 0, micro = 0;
        plist_get_date_val(created, &seconds, &micro);
        exception.created = QDateTime::fromSecsSinceEpoch(qint64(seconds) + kMacEpochOffset, QTimeZone::UTC);
        if (note && plist_get_node_type(note) != PLIST_STRING)
            return fail(Error::Code::InvalidInput, QStringLiteral("%1.Note is not a string").arg(where));
        exception.note = note ? stringOf(note) : QString();
        if (expires) {
            if (plist_get_node_type(expires) != PLIST_DATE)
                return fail(Error::Code::InvalidInput, QStringLiteral("%1.Expires is not a date").arg(where));
            plist_get_date_val(expires, &seconds, &micro);
            exception.expires = QDateTime::fromSecsSinceEpoch(qint64(seconds) + kMacEpochOffset, QTimeZone::UTC);
        }
        if (!certificates)
            return fail(Error::Code::InvalidInput, QStringLiteral("%1.Certificates is missing").arg(where));
        auto parsed = parseCertificates(certificates, where + QStringLiteral(".Certificates"));
        if (!parsed)
            return std::unexpected(parsed.error());
        exception.certificates = *parsed;
        exceptions.append(exception);
    }
    return exceptions;
}

Result<TrustException> importAppleArray(const QByteArray &data, const QString &host, int port, const QString &policy)
{
    auto root = parsePlist(data);
    if (!root)
        return std::unexpected(root.error());
    auto certificates = parseCertificates(root->get(), QStringLiteral("the array"));
    if (!certificates)
        return std::unexpected(certificates.error());
    TrustException exception;
    exception.host = host;
    exception.port = port;
    exception.policy = policy;
    exception.created = QDateTime::currentDateTimeUtc();
    exception.certificates = *certificates;
    return exception;
}

ExceptionStore::ExceptionStore(QString path)
    : m_path(path.isEmpty() ? QDir(dataDirectory()).filePath(QStringLiteral("exceptions.plist")) : std::move(path))
{}

Result<void> ExceptionStore::load()
{
    m_exceptions.clear();
    m_loadWarning.clear();
    m_loadFailed = true; // until the file is read or set aside
    QFile file(m_path);
    if (!file.exists()) {
        m_loadFailed = false;
        return {};
    }
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io,
                    QStringLiteral("cannot read the exception store %1: %2").arg(m_path, file.errorString()));
    const QByteArray data = file.read(kMaxPlistBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return fail(Error::Code::Io,
                    QStringLiteral("cannot read the exception store %1: %2").arg(m_path, file.errorString()));
    file.close();
    const auto imported = importExceptions(data);
    if (imported) {
        m_exceptions = *imported;
        m_loadFailed = false;
        return {};
    }
    // Keep the damaged file for the user; start empty rather than overwrite it later.
    const QString base = m_path + QStringLiteral(".damaged-") +
                         QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    QString aside = base;
    for (int attempt = 1; QFile::exists(aside); ++attempt)
        aside = base + QStringLiteral("~%1").arg(attempt);
    if (!QFile::rename(m_path, aside))
        return fail(Error::Code::Io,
                    QStringLiteral("the exception store %1 did not load (%2) and could not be moved aside to %3; "
                                   "it is left as it is and nothing will be saved over it")
                        .arg(m_path, imported.error().message, aside));
    m_loadFailed = false;
    m_loadWarning = QStringLiteral("the exception store %1 did not load (%2); it was moved to %3")
                        .arg(m_path, imported.error().message, aside);
    return {};
}

Result<void> ExceptionStore::save() const
{
    if (m_loadFailed)
        return fail(Error::Code::Io,
                    QStringLiteral("not saving the exception store %1: it did not load, and saving would replace it")
                        .arg(m_path));
    const auto data = exportExceptions(m_exceptions, PlistFormat::Xml);
    if (!data)
        return std::unexpected(data.error());
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return fail(Error::Code::Io, QStringLiteral("cannot create the folder of %1").arg(m_path));
    QSaveFile file(m_path); // atomic: the old file stays whole until the new one is complete
    if (!file.open(QIODevice::WriteOnly) || file.write(*data) != data->size() || !file.commit())
        return fail(Error::Code::Io, QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString()));
    return {};
}

Result<void> ExceptionStore::update(const std::function<void(ExceptionStore &)> &change)
{
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return fail(Error::Code::Io, QStringLiteral("cannot create the folder of %1").arg(m_path));
    QLockFile lock(m_path + QStringLiteral(".lock"));
    lock.setStaleLockTime(30 * 1000); // a writer that crashed does not block the store for good
    if (!lock.tryLock(20 * 1000)) {
        qint64 pid = 0;
        QString hostName, application;
        const bool known = lock.getLockInfo(&pid, &hostName, &application);
        return fail(
            Error::Code::Io,
            QStringLiteral("the exception store %1 is locked%2; try again")
                .arg(m_path, known ? QStringLiteral(" by process %1 (%2)").arg(pid).arg(application) : QString()));
    }
    if (auto loaded = load(); !loaded)
        return loaded;
    change(*this);
    return save();
}

void ExceptionStore::add(TrustException exception)
{
    remove(exception.host, exception.port);
    m_exceptions.append(std::move(exception));
}

int ExceptionStore::remove(const QString &host, int port)
{
    return int(m_exceptions.removeIf([&](const TrustException &existing) {
        return existing.host.compare(host, Qt::CaseInsensitive) == 0 && (port <= 0 || existing.port == port);
    }));
}

void ExceptionStore::merge(const QList<TrustException> &exceptions)
{
    for (const TrustException &exception : exceptions)
        add(exception);
}

} // namespace trustscope::core::trust
