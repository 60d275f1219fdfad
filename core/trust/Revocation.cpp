#include "trust/Revocation.h"

#include "net/HttpGet.h"
#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"
#include "x509/Decode.h"

#include <QCryptographicHash>
#include <QUrl>

#include <map>
#include <memory>
#include <mutex>

namespace trustscope::core::trust {

using namespace trustscope::ossl;
using x509::toDateTime;

namespace {

constexpr qint64 kMaxCrlBytes = 64 * 1024 * 1024;
constexpr qint64 kMaxOcspBytes = 1024 * 1024;
constexpr int kCacheSeconds = 10 * 60;
constexpr long kClockSkewSeconds = 5 * 60;

QByteArray derOf(X509 *certificate)
{
    unsigned char *bytes = nullptr;
    const int length = i2d_X509(certificate, &bytes);
    const OpenSslBytesPtr owner(bytes);
    return length > 0 ? QByteArray(reinterpret_cast<const char *>(bytes), length) : QByteArray();
}

QByteArray fingerprint(X509 *certificate)
{
    return QCryptographicHash::hash(derOf(certificate), QCryptographicHash::Sha256);
}

// One process-wide cache: the GUI re-evaluates on every policy edit, and a leaf and its
// intermediate often share a CRL.
struct Cache {
    struct Answer {
        RevocationCheck check;
        QDateTime expires;
    };
    struct CachedCrl {
        std::shared_ptr<X509_CRL> crl;
        QDateTime expires;
    };
    std::mutex mutex;
    std::map<QByteArray, Answer> ocspAnswers; // url + subject + issuer fingerprints
    std::map<QString, CachedCrl> crls;        // by URL
};

Cache &cache()
{
    static Cache instance;
    return instance;
}

QDateTime expiryFor(const QDateTime &nextUpdate)
{
    const QDateTime cap = QDateTime::currentDateTimeUtc().addSecs(kCacheSeconds);
    return nextUpdate.isValid() && nextUpdate < cap ? nextUpdate : cap;
}

QStringList httpUrls(QStringList urls)
{
    urls.removeIf([](const QString &url) { return !url.startsWith(QLatin1String("http://"), Qt::CaseInsensitive); });
    return urls;
}

QStringList ocspUrls(X509 *subject)
{
    QStringList urls;
    const StringStackPtr list(X509_get1_ocsp(subject));
    for (int index = 0; list && index < sk_OPENSSL_STRING_num(list.get()); ++index)
        urls.append(QString::fromUtf8(sk_OPENSSL_STRING_value(list.get(), index)));
    clearOpenSslErrors();
    return urls;
}

QStringList crlUrls(X509 *subject)
{
    QStringList urls;
    const DistributionPointsPtr points(
        static_cast<STACK_OF(DIST_POINT) *>(X509_get_ext_d2i(subject, NID_crl_distribution_points, nullptr, nullptr)));
    for (int index = 0; points && index < sk_DIST_POINT_num(points.get()); ++index) {
        const DIST_POINT *point = sk_DIST_POINT_value(points.get(), index);
        if (!point->distpoint || point->distpoint->type != 0)
            continue; // a relative name needs the issuer's name and LDAP: not fetched
        const GENERAL_NAMES *names = point->distpoint->name.fullname;
        for (int name = 0; name < sk_GENERAL_NAME_num(names); ++name) {
            const GENERAL_NAME *general = sk_GENERAL_NAME_value(names, name);
            if (general->type == GEN_URI)
                urls.append(ossl::toQString(general->d.uniformResourceIdentifier));
        }
    }
    clearOpenSslErrors();
    return urls;
}

RevocationCheck unavailable(QString source, QString url, QString detail)
{
    RevocationCheck check;
    check.source = std::move(source);
    check.status = QStringLiteral("unavailable");
    check.url = std::move(url);
    check.detail = std::move(detail);
    return check;
}

// Verifies an OCSP response for (subject, issuer) and reads its answer. `request` is the one we
// sent (for its nonce), or null for a stapled response.
RevocationCheck readOcspResponse(const QByteArray &der, X509 *subject, X509 *issuer, OCSP_REQUEST *request,
                                 const QString &source, const QString &url)
{
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    const OcspResponsePtr response(d2i_OCSP_RESPONSE(nullptr, &cursor, long(der.size())));
    if (!response)
        return unavailable(source, url,
                           QStringLiteral("the OCSP response does not parse (%1)").arg(takeOpenSslErrors()));
    const int responseStatus = OCSP_response_status(response.get());
    if (responseStatus != OCSP_RESPONSE_STATUS_SUCCESSFUL)
        return unavailable(source, url,
                           QStringLiteral("the responder answered '%1'")
                               .arg(QString::fromLatin1(OCSP_response_status_str(responseStatus))));
    const OcspBasicResponsePtr basic(OCSP_response_get1_basic(response.get()));
    if (!basic)
        return unavailable(source, url,
                           QStringLiteral("the OCSP response has no basic response (%1)").arg(takeOpenSslErrors()));
    if (request && OCSP_check_nonce(request, basic.get()) == 0)
        return unavailable(source, url, QStringLiteral("the OCSP response does not echo our nonce (a replay?)"));

    // The signer must be the issuer itself or a responder the issuer delegated (ocspSigning EKU).
    const X509StorePtr store(X509_STORE_new());
    const StackOfX509Ptr issuerStack(sk_X509_new_null());
    if (!store || !issuerStack || X509_STORE_add_cert(store.get(), issuer) != 1 ||
        X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN) != 1 || X509_up_ref(issuer) != 1)
        return unavailable(source, url, QStringLiteral("out of memory (%1)").arg(takeOpenSslErrors()));
    X509Ptr issuerReference(issuer);
    if (sk_X509_push(issuerStack.get(), issuerReference.get()) <= 0)
        return unavailable(source, url, QStringLiteral("out of memory (%1)").arg(takeOpenSslErrors()));
    (void)issuerReference.release(); // the stack owns it now
    if (OCSP_basic_verify(basic.get(), issuerStack.get(), store.get(), 0) <= 0)
        return unavailable(source, url,
                           QStringLiteral("the OCSP response is not signed by the issuer or its delegated responder "
                                          "(%1)")
                               .arg(takeOpenSslErrors()));

    const OcspCertIdPtr id(OCSP_cert_to_id(EVP_sha1(), subject, issuer));
    int status = -1;
    int reason = -1;
    ASN1_GENERALIZEDTIME *revokedAt = nullptr;
    ASN1_GENERALIZEDTIME *thisUpdate = nullptr;
    ASN1_GENERALIZEDTIME *nextUpdate = nullptr;
    if (!id ||
        OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &revokedAt, &thisUpdate, &nextUpdate) != 1) {
        clearOpenSslErrors();
        return unavailable(source, url, QStringLiteral("the OCSP response is about another certificate"));
    }
    RevocationCheck check;
    check.source = source;
    check.url = url;
    check.thisUpdate = toDateTime(thisUpdate);
    check.nextUpdate = nextUpdate ? toDateTime(nextUpdate) : QDateTime();
    if (OCSP_check_validity(thisUpdate, nextUpdate, kClockSkewSeconds, -1) != 1) {
        clearOpenSslErrors();
        return unavailable(source, url,
                           QStringLiteral("the OCSP response is stale or from the future (this update %1, next update "
                                          "%2)")
                               .arg(check.thisUpdate.toString(Qt::ISODate), check.nextUpdate.isValid()
                                                                                ? check.nextUpdate.toString(Qt::ISODate)
                                                                                : QStringLiteral("none")));
    }
    switch (status) {
    case V_OCSP_CERTSTATUS_GOOD:
        check.status = QStringLiteral("good");
        break;
    case V_OCSP_CERTSTATUS_REVOKED:
        check.status = QStringLiteral("revoked");
        check.revokedAt = toDateTime(revokedAt);
        if (reason >= 0)
            check.reason = QString::fromLatin1(OCSP_crl_reason_str(reason));
        break;
    default:
        check.status = QStringLiteral("unknown");
        check.detail = QStringLiteral("the responder does not know this certificate");
        break;
    }
    return check;
}

std::shared_ptr<X509_CRL> parseCrl(const QByteArray &body)
{
    const auto *cursor = reinterpret_cast<const unsigned char *>(body.constData());
    X509_CRL *crl = d2i_X509_CRL(nullptr, &cursor, long(body.size()));
    if (!crl) {
        // Some servers publish PEM.
        clearOpenSslErrors();
        const BioPtr bio(BIO_new_mem_buf(body.constData(), int(body.size())));
        crl = bio ? PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    }
    return std::shared_ptr<X509_CRL>(crl, X509_CRL_free);
}

} // namespace

RevocationCheck checkStapledOcsp(X509 *subject, X509 *issuer, const QByteArray &stapled)
{
    RevocationCheck check = readOcspResponse(stapled, subject, issuer, nullptr, QStringLiteral("staple"), QString());
    if (check.detail.isEmpty() && check.isDefinitive())
        check.detail = QStringLiteral("stapled by the server");
    return check;
}

RevocationCheck checkOcsp(X509 *subject, X509 *issuer, const RevocationContext &context)
{
    const QStringList urls = httpUrls(ocspUrls(subject));
    if (urls.isEmpty())
        return unavailable(QStringLiteral("ocsp"), QString(),
                           ocspUrls(subject).isEmpty()
                               ? QStringLiteral("the certificate names no OCSP responder")
                               : QStringLiteral("the certificate's OCSP responder is not an http:// URL"));
    const QByteArray subjectFingerprint = fingerprint(subject);
    const QByteArray issuerFingerprint = fingerprint(issuer);
    RevocationCheck last;
    for (const QString &url : urls) {
        const QByteArray cacheKey = url.toUtf8() + '\0' + subjectFingerprint + issuerFingerprint;
        {
            Cache &shared = cache();
            const std::lock_guard lock(shared.mutex);
            const auto found = shared.ocspAnswers.find(cacheKey);
            if (found != shared.ocspAnswers.end() && found->second.expires > QDateTime::currentDateTimeUtc()) {
                RevocationCheck check = found->second.check;
                check.cached = true;
                if (context.network)
                    context.network->append(QStringLiteral("OCSP %1 → %2 (cached)").arg(url, check.status));
                return check;
            }
        }
        if (context.cancel && context.cancel->load())
            return unavailable(QStringLiteral("ocsp"), url, QStringLiteral("cancelled"));
        const OcspRequestPtr request(OCSP_REQUEST_new());
        OcspCertIdPtr id(OCSP_cert_to_id(EVP_sha1(), subject, issuer));
        const bool added = request && id && OCSP_request_add0_id(request.get(), id.get());
        if (added)
            (void)id.release(); // the request owns it now
        if (!added || OCSP_request_add1_nonce(request.get(), nullptr, -1) != 1) {
            return unavailable(QStringLiteral("ocsp"), url,
                               QStringLiteral("cannot build the OCSP request (%1)").arg(takeOpenSslErrors()));
        }
        unsigned char *bytes = nullptr;
        const int length = i2d_OCSP_REQUEST(request.get(), &bytes);
        const OpenSslBytesPtr owner(bytes);
        if (length <= 0)
            return unavailable(QStringLiteral("ocsp"), url,
                               QStringLiteral("cannot encode the OCSP request (%1)").arg(takeOpenSslErrors()));
        const auto response = net::httpPost(QUrl(url), "application/ocsp-request",
                                            QByteArray(reinterpret_cast<const char *>(bytes), length),
                                            context.timeoutMs, kMaxOcspBytes, context.cancel, context.proxy);
        if (!response) {
            if (context.network)
                context.network->append(QStringLiteral("OCSP %1 → %2").arg(url, response.error().message));
            last = unavailable(QStringLiteral("ocsp"), url,
                               QStringLiteral("the OCSP responder did not answer: %1").arg(response.error().message));
            continue;
        }
        if (context.network)
            context.network->append(
                QStringLiteral("OCSP %1 → %2, %3 bytes%4")
                    .arg(url)
                    .arg(response->status)
                    .arg(response->body.size())
                    .arg(response->via.isEmpty() ? QString() : QStringLiteral(" via proxy ") + response->via));
        if (response->status != 200) {
            last = unavailable(QStringLiteral("ocsp"), url,
                               QStringLiteral("the OCSP responder answered HTTP %1").arg(response->status));
            continue;
        }
        RevocationCheck check =
            readOcspResponse(response->body, subject, issuer, request.get(), QStringLiteral("ocsp"), url);
        if (check.isDefinitive() || check.status == QLatin1String("unknown")) {
            Cache &shared = cache();
            const std::lock_guard lock(shared.mutex);
            shared.ocspAnswers[cacheKey] = {check, expiryFor(check.nextUpdate)};
            return check;
        }
        last = check;
    }
    return last;
}

RevocationCheck checkCrl(X509 *subject, X509 *issuer, const RevocationContext &context)
{
    const QStringList allUrls = crlUrls(subject);
    const QStringList urls = httpUrls(allUrls);
    if (urls.isEmpty())
        return unavailable(QStringLiteral("crl"), QString(),
                           allUrls.isEmpty() ? QStringLiteral("the certificate names no CRL distribution point")
                                             : QStringLiteral("the certificate's CRL is not at an http:// URL"));
    RevocationCheck last;
    for (const QString &url : urls) {
        std::shared_ptr<X509_CRL> crl;
        bool cached = false;
        {
            Cache &shared = cache();
            const std::lock_guard lock(shared.mutex);
            const auto found = shared.crls.find(url);
            if (found != shared.crls.end() && found->second.expires > QDateTime::currentDateTimeUtc()) {
                crl = found->second.crl;
                cached = true;
            }
        }
        if (cached) {
            if (context.network)
                context.network->append(QStringLiteral("GET %1 (cached CRL)").arg(url));
        } else {
            if (context.cancel && context.cancel->load())
                return unavailable(QStringLiteral("crl"), url, QStringLiteral("cancelled"));
            const auto response =
                net::httpGet(QUrl(url), context.timeoutMs, kMaxCrlBytes, context.cancel, context.proxy);
            if (!response) {
                if (context.network)
                    context.network->append(QStringLiteral("GET %1 → %2").arg(url, response.error().message));
                last = unavailable(QStringLiteral("crl"), url,
                                   QStringLiteral("the CRL could not be downloaded: %1").arg(response.error().message));
                continue;
            }
            if (context.network)
                context.network->append(
                    QStringLiteral("GET %1 → %2, %3 bytes%4")
                        .arg(url)
                        .arg(response->status)
                        .arg(response->body.size())
                        .arg(response->via.isEmpty() ? QString() : QStringLiteral(" via proxy ") + response->via));
            if (response->status != 200) {
                last = unavailable(QStringLiteral("crl"), url,
                                   QStringLiteral("the CRL server answered HTTP %1").arg(response->status));
                continue;
            }
            crl = parseCrl(response->body);
            if (!crl) {
                last = unavailable(QStringLiteral("crl"), url,
                                   QStringLiteral("the download is not a CRL (%1)").arg(takeOpenSslErrors()));
                continue;
            }
        }
        // A CRL is only evidence when the subject's issuer signed it and it is current.
        if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(subject)) != 0) {
            last = unavailable(QStringLiteral("crl"), url, QStringLiteral("the CRL is issued by another CA"));
            continue;
        }
        EVP_PKEY *issuerKey = X509_get0_pubkey(issuer);
        if (!issuerKey || X509_CRL_verify(crl.get(), issuerKey) != 1) {
            last = unavailable(QStringLiteral("crl"), url,
                               QStringLiteral("the CRL's signature does not verify with the issuer's key (%1)")
                                   .arg(takeOpenSslErrors()));
            continue;
        }
        RevocationCheck check;
        check.source = QStringLiteral("crl");
        check.url = url;
        check.cached = cached;
        check.thisUpdate = toDateTime(X509_CRL_get0_lastUpdate(crl.get()));
        check.nextUpdate =
            X509_CRL_get0_nextUpdate(crl.get()) ? toDateTime(X509_CRL_get0_nextUpdate(crl.get())) : QDateTime();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (check.nextUpdate.isValid() && check.nextUpdate.addSecs(kClockSkewSeconds) < now) {
            last = unavailable(QStringLiteral("crl"), url,
                               QStringLiteral("the CRL expired on %1 (the CA has not published a new one)")
                                   .arg(check.nextUpdate.toString(Qt::ISODate)));
            continue;
        }
        if (!cached) {
            Cache &shared = cache();
            const std::lock_guard lock(shared.mutex);
            shared.crls[url] = {crl, expiryFor(check.nextUpdate)};
        }
        unsigned char *encoded = nullptr;
        if (const int length = i2d_X509_CRL(crl.get(), &encoded); length > 0)
            check.crlDer = QByteArray(reinterpret_cast<const char *>(encoded), length);
        OPENSSL_free(encoded);
        X509_REVOKED *entry = nullptr;
        if (X509_CRL_get0_by_cert(crl.get(), &entry, subject) == 1 && entry) {
            check.status = QStringLiteral("revoked");
            check.revokedAt = toDateTime(X509_REVOKED_get0_revocationDate(entry));
            int critical = 0;
            const Asn1EnumeratedPtr reason(
                static_cast<ASN1_ENUMERATED *>(X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nullptr)));
            if (reason)
                check.reason = QString::fromLatin1(OCSP_crl_reason_str(int(ASN1_ENUMERATED_get(reason.get()))));
        } else {
            check.status = QStringLiteral("good");
            check.detail = QStringLiteral("not listed in the CRL");
        }
        clearOpenSslErrors();
        return check;
    }
    return last;
}

namespace {

struct CrlVerifyError {
    int depth;
    int code;
};

int collectCrlErrors(int ok, X509_STORE_CTX *context)
{
    auto *errors = static_cast<std::vector<CrlVerifyError> *>(X509_STORE_CTX_get_app_data(context));
    // OpenSSL checks an indirect CRL issuer's own path in a context of its own, whose parent is
    // ours and which has no app data: there a failure stays a failure, and the CRL is not used.
    if (!errors)
        return ok;
    if (!ok)
        errors->push_back({X509_STORE_CTX_get_error_depth(context), X509_STORE_CTX_get_error(context)});
    return 1; // every certificate is judged, not only the first
}

bool isCrlError(int code)
{
    switch (code) {
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
    case X509_V_ERR_CERT_REVOKED:
        return true;
    default:
        return false;
    }
}

QList<RevocationCheck> allUnavailable(qsizetype count, const QString &detail)
{
    QList<RevocationCheck> checks;
    for (qsizetype index = 0; index < count; ++index) {
        RevocationCheck check = unavailable(QStringLiteral("crl"), QString(), detail);
        check.certIndex = int(index);
        checks.append(check);
    }
    return checks;
}

} // namespace

QList<RevocationCheck> checkLocalCrls(const std::vector<X509 *> &path, const std::vector<X509 *> &crlIssuers,
                                      const QList<LocalCrl> &crls, const QDateTime &at)
{
    const qsizetype checked = qsizetype(path.size()) - 1; // the anchor is trusted as it is
    if (checked <= 0 || crls.isEmpty())
        return {};
    const auto failed = [&](const char *call) {
        const QString queue = takeOpenSslErrors();
        return allUnavailable(checked, QStringLiteral("the CRL files could not be checked: %1 failed%2")
                                           .arg(QString::fromLatin1(call),
                                                queue.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(queue)));
    };
    // The CRLs, each with the file it came from (to name the one that answered).
    StackOfX509CrlPtr stack(sk_X509_CRL_new_null());
    if (!stack)
        return failed("sk_X509_CRL_new_null");
    std::vector<std::pair<X509_CRL *, QString>> parsed;
    QStringList setAside;
    for (const LocalCrl &local : crls) {
        const auto *cursor = reinterpret_cast<const unsigned char *>(local.der.constData());
        X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, long(local.der.size())));
        if (!crl) {
            clearOpenSslErrors();
            continue; // loading already said what is wrong with it
        }
        // RFC 5280 5.2.3: conforming CRL issuers MUST include the CRL number; without it CRLs cannot be
        // ordered, and an old CRL could be replayed as the current one.
        const Asn1IntegerPtr number(
            static_cast<ASN1_INTEGER *>(X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr)));
        clearOpenSslErrors();
        if (!number) {
            setAside.append(QStringLiteral("%1 (it has no CRL number, RFC 5280 5.2.3)").arg(local.origin));
            continue;
        }
        X509_CRL *owned = crl.release(); // the stack owns it once pushed
        if (sk_X509_CRL_push(stack.get(), owned) <= 0) {
            X509_CRL_free(owned);
            return failed("sk_X509_CRL_push");
        }
        parsed.emplace_back(owned, local.origin);
    }
    X509StorePtr store(X509_STORE_new());
    if (!store)
        return failed("X509_STORE_new");
    if (X509_STORE_add_cert(store.get(), path.back()) != 1)
        return failed("X509_STORE_add_cert");
    StackOfX509Ptr untrusted(sk_X509_new_null());
    if (!untrusted)
        return failed("sk_X509_new_null");
    std::vector<X509 *> others(path.begin() + 1, path.end() - 1);
    others.insert(others.end(), crlIssuers.begin(), crlIssuers.end());
    for (X509 *certificate : others)
        if (!pushWithReference(untrusted.get(), certificate))
            return failed("sk_X509_push");
    X509StoreCtxPtr context(X509_STORE_CTX_new());
    if (!context)
        return failed("X509_STORE_CTX_new");
    if (X509_STORE_CTX_init(context.get(), store.get(), path.front(), untrusted.get()) != 1)
        return failed("X509_STORE_CTX_init");
    X509_STORE_CTX_set0_crls(context.get(), stack.get()); // void; the stack stays ours
    std::vector<CrlVerifyError> errors;
    X509_STORE_CTX_set_app_data(context.get(), &errors);
    X509_STORE_CTX_set_verify_cb(context.get(), collectCrlErrors);
    X509_VERIFY_PARAM *parameters = X509_STORE_CTX_get0_param(context.get());
    if (!parameters)
        return failed("X509_STORE_CTX_get0_param");
    // Indirect CRLs and scopes need extended CRL support; delta CRLs were set aside when loading.
    if (X509_VERIFY_PARAM_set_flags(parameters, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_CRL_CHECK |
                                                    X509_V_FLAG_CRL_CHECK_ALL | X509_V_FLAG_EXTENDED_CRL_SUPPORT) != 1)
        return failed("X509_VERIFY_PARAM_set_flags");
    X509_VERIFY_PARAM_set_time(parameters, time_t(at.toSecsSinceEpoch())); // void; "current" means at `at`
    X509_VERIFY_PARAM_set_auth_level(parameters, 0); // void; key strength is the path checks' business
    const int verified = X509_verify_cert(context.get());
    if (verified <= 0)
        return failed("X509_verify_cert");
    // OpenSSL must have judged the same path, or its answers are about other certificates.
    const STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(context.get());
    if (!chain || sk_X509_num(chain) != int(path.size()))
        return allUnavailable(checked, QStringLiteral("the CRL files were checked on another path than the one built"));
    clearOpenSslErrors();

    QList<RevocationCheck> checks;
    for (qsizetype index = 0; index < checked; ++index) {
        X509 *subject = path[size_t(index)];
        RevocationCheck check;
        check.source = QStringLiteral("crl");
        check.certIndex = int(index);
        QStringList problems;
        bool listed = false, noCrl = false, untrustworthy = false;
        for (const CrlVerifyError &error : errors) {
            if (error.depth != index || !isCrlError(error.code))
                continue;
            listed = listed || error.code == X509_V_ERR_CERT_REVOKED;
            noCrl = noCrl || error.code == X509_V_ERR_UNABLE_TO_GET_CRL;
            // OpenSSL still looks the serial up in a CRL out of scope or badly signed: no evidence then.
            untrustworthy =
                untrustworthy || (error.code != X509_V_ERR_CERT_REVOKED && error.code != X509_V_ERR_CRL_HAS_EXPIRED &&
                                  error.code != X509_V_ERR_UNABLE_TO_GET_CRL);
            if (error.code != X509_V_ERR_CERT_REVOKED)
                problems.append(QString::fromLatin1(X509_verify_cert_error_string(error.code)));
        }
        const bool revoked = listed && !untrustworthy;
        // The CRL that speaks for the certificate: the one listing it, else one from its issuer.
        for (const auto &[crl, origin] : parsed) {
            X509_REVOKED *entry = nullptr;
            if (revoked && X509_CRL_get0_by_cert(crl, &entry, subject) == 1 && entry) {
                check.url = origin;
                check.revokedAt = toDateTime(X509_REVOKED_get0_revocationDate(entry));
                const Asn1EnumeratedPtr reason(
                    static_cast<ASN1_ENUMERATED *>(X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr)));
                if (reason)
                    check.reason = QString::fromLatin1(OCSP_crl_reason_str(int(ASN1_ENUMERATED_get(reason.get()))));
                break;
            }
            if (!revoked && check.url.isEmpty() &&
                X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(subject)) == 0) {
                check.url = origin;
                check.thisUpdate = toDateTime(X509_CRL_get0_lastUpdate(crl));
                if (X509_CRL_get0_nextUpdate(crl))
                    check.nextUpdate = toDateTime(X509_CRL_get0_nextUpdate(crl));
            }
        }
        clearOpenSslErrors();
        if (revoked) {
            // Revocation is final: an entry counts even in a CRL past its nextUpdate.
            check.status = QStringLiteral("revoked");
            check.detail = problems.isEmpty()
                               ? QStringLiteral("listed in the CRL file")
                               : QStringLiteral("listed in the CRL file (%1)").arg(problems.join(QStringLiteral("; ")));
        } else if (noCrl) {
            check.status = QStringLiteral("unavailable");
            check.url.clear();
            check.detail =
                QStringLiteral("none of the CRL files covers this certificate (issuer, scope or "
                               "distribution point differ)%1")
                    .arg(setAside.isEmpty() ? QString()
                                            : QStringLiteral("; set aside: ") + setAside.join(QStringLiteral(", ")));
        } else if (!problems.isEmpty()) {
            check.status = QStringLiteral("unavailable");
            check.detail = QStringLiteral("the CRL file cannot be used: %1").arg(problems.join(QStringLiteral("; ")));
        } else {
            check.status = QStringLiteral("good");
            check.detail = QStringLiteral("not listed in the CRL file");
        }
        checks.append(check);
    }
    return checks;
}

void clearRevocationCache()
{
    Cache &shared = cache();
    const std::lock_guard lock(shared.mutex);
    shared.ocspAnswers.clear();
    shared.crls.clear();
}

} // namespace trustscope::core::trust
