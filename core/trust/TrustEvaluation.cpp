#include "trust/TrustEvaluation.h"

#include "net/HttpGet.h"
#include "net/Socket.h"
#include "ossl/OpenSslError.h"
#include "ossl/Ossl.h"
#include "trust/AnchorStore.h"
#include "trust/CheckKeys.h"
#include "x509/Decode.h"
#include "x509/Document.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTimeZone>
#include <QUrl>

#include <openssl/err.h>

#include <functional>
#include <mutex>
#include <set>

namespace trustscope::core::trust {

using namespace trustscope::ossl;

std::optional<PolicyKind> policyKindFromName(const QString &name)
{
    return enumFromName(policyKindTable, name);
}

QString policyKindName(PolicyKind kind)
{
    return enumName(policyKindTable, kind, "ssl-server");
}

std::optional<RevocationMode> revocationModeFromName(const QString &name)
{
    return enumFromName(revocationModeTable, name);
}

QString revocationModeName(RevocationMode mode)
{
    return enumName(revocationModeTable, mode, "none");
}

QString printableHostName(const QString &host)
{
    QString printable;
    for (const QChar c : host)
        printable += c.unicode() < 0x20 || c.unicode() == 0x7f
                         ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'))
                         : QString(c);
    return printable.size() > 80 ? printable.left(77) + QStringLiteral("…") : printable;
}

std::optional<QString> referenceIdentityProblem(const QString &host)
{
    if (host.contains(QChar(0)))
        return QStringLiteral("it contains a NUL character; a name with an embedded NUL (the "
                              "'bank.example\\0.evil.example' trick) is never a real host name");
    for (const QChar c : host)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c.isSpace())
            return QStringLiteral("it contains a control character or white space");
    if (host.startsWith(QLatin1Char('[')) || host.endsWith(QLatin1Char(']')))
        return QStringLiteral("IPv6 addresses are checked without brackets (use %1)")
            .arg(QString(host).remove(QLatin1Char('[')).remove(QLatin1Char(']')));
    if (host.contains(QLatin1Char(':'))) {
        if (const qsizetype zone = host.indexOf(QLatin1Char('%')); zone >= 0)
            return QStringLiteral("'%1' is an IPv6 zone id: it names an interface of this machine and is never part "
                                  "of a certificate's IP address (check '%2')")
                .arg(host.mid(zone), host.left(zone));
        if (!net::isIpAddress(host))
            return QStringLiteral("it is not a valid IPv6 address");
        return std::nullopt;
    }
    if (net::isIpAddress(host))
        return std::nullopt;
    if (host.contains(QLatin1Char('*')))
        return QStringLiteral("it is a wildcard pattern; a client checks one concrete name (such as 'www.example.com') "
                              "against the certificate's names, wildcards belong in certificates only");
    QString name = host;
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1); // an absolute name: the root label is not compared
    bool ascii = true;
    for (const QChar c : name)
        ascii = ascii && c.unicode() < 128;
    if (!ascii) {
        const QByteArray ace = QUrl::toAce(name, QUrl::AceProcessingOption::IgnoreIDNWhitelist);
        if (ace.isEmpty())
            return QStringLiteral("it is not a valid internationalised domain name");
        name = QString::fromLatin1(ace);
    }
    if (name.isEmpty())
        return QStringLiteral("it is empty");
    if (name.size() > 253)
        return QStringLiteral("it has %1 characters; a DNS name has at most 253").arg(name.size());
    const QStringList labels = name.split(QLatin1Char('.'));
    for (const QString &label : labels) {
        if (label.isEmpty())
            return QStringLiteral("it has an empty label (a leading dot or two dots in a row)");
        if (label.size() > 63)
            return QStringLiteral("its label '%1…' has %2 characters; a DNS label has at most 63")
                .arg(label.left(16))
                .arg(label.size());
        for (const QChar c : label)
            if (!((c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                  (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                  (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') || c == QLatin1Char('_')))
                return QStringLiteral("it contains '%1', which no DNS name can hold").arg(c);
    }
    bool numeric = true;
    for (const QChar c : labels.last())
        numeric = numeric && c.isDigit();
    if (numeric)
        return QStringLiteral("it looks like an IPv4 address but is not a valid one");
    return std::nullopt;
}

QByteArray referenceIdentityForOpenSsl(const QString &host)
{
    if (net::isIpAddress(host))
        return host.toLatin1();
    QString name = host;
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    return QUrl::toAce(name, QUrl::AceProcessingOption::IgnoreIDNWhitelist).toLower();
}

bool Evaluation::hasFatal() const
{
    return std::any_of(failures.cbegin(), failures.cend(),
                       [](const CheckFailure &failure) { return !failure.recoverable; });
}

QString Evaluation::mainReason() const
{
    if (failures.isEmpty())
        return QStringLiteral("The chain is trusted.");
    // Fatal first: they cannot be excepted, so they matter most.
    const auto fatal = std::find_if(failures.cbegin(), failures.cend(),
                                    [](const CheckFailure &failure) { return !failure.recoverable; });
    return (fatal != failures.cend() ? *fatal : failures.first()).explanation;
}

namespace {

struct Candidate {
    X509Ptr x509;
    const Certificate *decoded = nullptr;
    QString source; // presented | user | system | aia
    bool anchor = false;
};

struct VerifyError {
    int depth;
    int code;
};

// What OpenSSL's verification of one path said, and whether it could run every check at all.
struct PathVerification {
    std::vector<VerifyError> errors;
    QString internalError;   // an OpenSSL call failed: the verification is incomplete
    QString hostError;       // the host name could not be checked, and why
    QStringList emailErrors; // e-mail addresses that could not be checked, and why
    std::optional<PolicyOutcome> policies;
};

QStringList policyOidsOf(const STACK_OF(X509_POLICY_NODE) * nodes)
{
    QStringList oids;
    for (int index = 0; index < sk_X509_POLICY_NODE_num(nodes); ++index)
        if (const QString oid =
                objectToDottedOid(X509_policy_node_get0_policy(sk_X509_POLICY_NODE_value(nodes, index)));
            !oid.isEmpty() && !oids.contains(oid))
            oids.append(oid);
    return oids;
}

// The valid policy tree OpenSSL built for the path (RFC 5280 6.1.6): the policies of its last level
// are the authorities-constrained set; the user-constrained set is their intersection with the
// initial policy set (all of them when the user accepts anyPolicy).
PolicyOutcome policyOutcomeOf(X509_STORE_CTX *context, const Policy &policy)
{
    static const QString anyPolicy = QStringLiteral("2.5.29.32.0");
    PolicyOutcome outcome;
    outcome.initialPolicySet = policy.initialPolicies.isEmpty() ? QStringList{anyPolicy} : policy.initialPolicies;
    outcome.explicitPolicyRequired = X509_STORE_CTX_get_explicit_policy(context) != 0;
    const X509_POLICY_TREE *tree = X509_STORE_CTX_get0_policy_tree(context);
    outcome.treeEmpty = tree == nullptr;
    if (!tree)
        return outcome;
    outcome.authoritiesConstrainedPolicySet = policyOidsOf(X509_policy_tree_get0_policies(tree));
    // OpenSSL keeps no authority set when anyPolicy reaches the leaf: the last level then holds it.
    const int levels = X509_policy_tree_level_count(tree);
    if (X509_POLICY_LEVEL *last = levels > 0 ? X509_policy_tree_get0_level(tree, levels - 1) : nullptr;
        last && outcome.authoritiesConstrainedPolicySet.isEmpty())
        for (int index = 0; index < X509_policy_level_node_count(last); ++index)
            if (const QString oid =
                    objectToDottedOid(X509_policy_node_get0_policy(X509_policy_level_get0_node(last, index)));
                !oid.isEmpty() && !outcome.authoritiesConstrainedPolicySet.contains(oid))
                outcome.authoritiesConstrainedPolicySet.append(oid);
    if (outcome.initialPolicySet.contains(anyPolicy))
        outcome.userConstrainedPolicySet = outcome.authoritiesConstrainedPolicySet;
    else
        outcome.userConstrainedPolicySet = policyOidsOf(X509_policy_tree_get0_user_policies(tree));
    return outcome;
}

int verifyCallback(int ok, X509_STORE_CTX *context)
{
    auto *errors = static_cast<std::vector<VerifyError> *>(X509_STORE_CTX_get_app_data(context));
    if (!errors) // a context OpenSSL made itself (a CRL issuer's path): its failures stay failures
        return ok;
    if (!ok)
        errors->push_back({X509_STORE_CTX_get_error_depth(context), X509_STORE_CTX_get_error(context)});
    return 1; // keep going: every failure is reported, not only the first
}

bool isWeakDigest(const QString &digest)
{
    const QString lower = digest.toLower();
    return lower == QLatin1String("sha1") || lower == QLatin1String("md5") || lower == QLatin1String("md2") ||
           lower == QLatin1String("md4");
}

QString nameOf(const Certificate &certificate)
{
    return certificate.subject.commonName().isEmpty() ? certificate.subject.rfc4514 : certificate.subject.commonName();
}

QStringList caIssuerUrls(const Certificate &certificate)
{
    QStringList urls;
    if (const Extension *access = certificate.extension(QStringLiteral("1.3.6.1.5.5.7.1.1")))
        for (const QString &detail : access->details)
            if (detail.startsWith(QLatin1String("CA Issuers: ")))
                urls.append(detail.mid(12));
    return urls;
}

class Evaluator {
public:
    Evaluator(const Certificate &leaf, const QList<Certificate> &presented, const Policy &policy,
              const std::atomic_bool *cancel)
        : m_policy(policy)
        , m_cancel(cancel)
    {
        m_storage.push_back(leaf);
        for (const Certificate &certificate : presented)
            m_storage.push_back(certificate);
        // m_storage is not touched again, so Candidate::decoded may point into it.
        addCandidate(m_storage[0], QStringLiteral("presented"), false);
        for (size_t index = 1; index < m_storage.size(); ++index)
            addCandidate(m_storage[index], QStringLiteral("presented"), false);
        for (const Certificate &certificate : policy.intermediates)
            addCandidate(store(certificate), QStringLiteral("user"), false);
        for (const Certificate &certificate : policy.anchors)
            addCandidate(store(certificate), QStringLiteral("user"), true);
        // A trusted leaf anchors itself only: it is never offered as anyone's issuer.
        if (!m_candidates.empty() && m_candidates.front().decoded->der == leaf.der &&
            policy.trustedLeavesDer.contains(leaf.der)) {
            m_candidates.front().anchor = true;
            m_candidates.front().source = QStringLiteral("user");
        }
        if (policy.useSystemAnchors && !policy.anchorsOnly)
            m_platform = policy.platformAnchors ? policy.platformAnchors : systemAnchorStore();
        // Before the search: a presented certificate that is itself a platform root must start as an anchor.
        for (int index = 0, count = int(m_candidates.size()); index < count; ++index)
            addPlatformIssuersOf(index);
    }

    Evaluation run();

private:
    const Certificate &store(const Certificate &certificate)
    {
        m_extra.push_back(std::make_unique<Certificate>(certificate));
        return *m_extra.back();
    }

    // The platform roots that may have issued a candidate: only those named as its issuer.
    void addPlatformIssuersOf(int subject)
    {
        if (!m_platform)
            return;
        if (m_platformLookedUp.size() <= size_t(subject))
            m_platformLookedUp.resize(size_t(subject) + 1, false);
        if (m_platformLookedUp[size_t(subject)])
            return;
        m_platformLookedUp[size_t(subject)] = true;
        const X509_NAME *issuer = X509_get_issuer_name(m_candidates[size_t(subject)].x509.get());
        for (int index : m_platform->withSubject(issuer))
            addCandidate(m_platform->certificate(index), QStringLiteral("system"), true, m_platform->x509(index));
    }

    void addCandidate(const Certificate &certificate, const QString &source, bool anchor, X509 *parsed = nullptr)
    {
        // The same certificate from several sources is one candidate; being an anchor wins.
        for (Candidate &existing : m_candidates) {
            if (existing.decoded->der == certificate.der) {
                if (anchor && !existing.anchor) {
                    existing.anchor = true;
                    existing.source = source;
                }
                return;
            }
        }
        X509Ptr x509 = parsed && X509_up_ref(parsed) == 1 ? X509Ptr(parsed) : parsedOf(certificate);
        if (!x509) {
            clearOpenSslErrors();
            return;
        }
        m_candidates.push_back(Candidate{std::move(x509), &certificate, source, anchor});
    }

    // The certificate as OpenSSL's X509: the decoder's parse when it still encodes to `der`
    // (a parse takes as long as a signature check), else `der` parsed now.
    static X509Ptr parsedOf(const Certificate &certificate)
    {
        if (X509 *parsed = certificate.parsed.get()) {
            const int length = i2d_X509(parsed, nullptr);
            if (length == certificate.der.size()) {
                QByteArray encoded(length, Qt::Uninitialized);
                auto *out = reinterpret_cast<unsigned char *>(encoded.data());
                if (i2d_X509(parsed, &out) == length && encoded == certificate.der && X509_up_ref(parsed) == 1)
                    return X509Ptr(parsed);
            }
            clearOpenSslErrors();
        }
        const auto *cursor = reinterpret_cast<const unsigned char *>(certificate.der.constData());
        return X509Ptr(d2i_X509(nullptr, &cursor, long(certificate.der.size())));
    }

    // The verified issuers of a candidate, computed once: signature checks are the expensive part.
    const std::vector<int> &issuersOf(int subject)
    {
        addPlatformIssuersOf(subject);
        if (m_issuerCache.size() < m_candidates.size())
            m_issuerCache.resize(m_candidates.size());
        auto &cached = m_issuerCache[size_t(subject)];
        if (cached)
            return *cached;
        std::vector<int> found;
        X509 *subjectCert = m_candidates[size_t(subject)].x509.get();
        for (int index = 0; index < int(m_candidates.size()); ++index) {
            if (index == subject)
                continue;
            X509 *issuer = m_candidates[size_t(index)].x509.get();
            if (X509_check_issued(issuer, subjectCert) != X509_V_OK)
                continue;
            // A decoy with the right name but another key must not be followed.
            EVP_PKEY *key = X509_get0_pubkey(issuer);
            if (!key || X509_verify(subjectCert, key) != 1) {
                clearOpenSslErrors();
                continue;
            }
            found.push_back(index);
        }
        clearOpenSslErrors();
        // Prefer anchors, then certificates valid at the verification time, then what the
        // server sent, then the user's, then downloaded ones.
        const QDateTime at = m_time;
        auto rank = [&](int index) {
            const Candidate &candidate = m_candidates[size_t(index)];
            int score = candidate.anchor ? 0 : 8;
            score += candidate.decoded->validityAt(at) == ValidityState::Valid ? 0 : 4;
            score += candidate.source == QLatin1String("presented") ? 0
                     : candidate.source == QLatin1String("user")    ? 1
                                                                    : 2;
            return score;
        };
        std::stable_sort(found.begin(), found.end(), [&](int a, int b) { return rank(a) < rank(b); });
        cached = std::move(found);
        return *cached;
    }

    PathVerification verifyPath(const std::vector<int> &path, bool topIsTrusted) const;
    QList<CheckFailure> failuresFor(const std::vector<int> &path, const PathVerification &verification,
                                    bool anchored) const;
    // One candidate path as each check of failuresFor sees it.
    struct PathUnderCheck {
        const std::vector<int> &path;
        const PathVerification &verification;
        bool anchored;
        int top;
    };
    using AddFailure = std::function<void(CheckFailure)>;
    const Certificate &certificateAt(const PathUnderCheck &checked, int index) const;
    // The checks of a path, one row each in pathChecks (failuresFor), in the order their failures are listed.
    void checkVerifierRan(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkVerifierErrors(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkAnchored(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkEveryCertificate(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkChainLength(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkRequiredKeyUsages(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkRequiredExtendedKeyUsages(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkPins(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkPinnedLeaf(const PathUnderCheck &checked, const AddFailure &add) const;
    void checkDistrusted(const PathUnderCheck &checked, const AddFailure &add) const;
    QString policyFailureReason(const PathUnderCheck &checked, const VerifyError &error) const;
    // One certificate of a path, as each check of checkEveryCertificate sees it.
    struct CertificateInPath {
        int index;
        const Certificate &certificate;
        bool isTop;
        bool isAnchor;
    };
    // The checks of each certificate of a path (checkEveryCertificate), one row each in certificateChecks.
    void checkTemporalValidity(const CertificateInPath &checked, const AddFailure &add) const;
    void checkKeySize(const CertificateInPath &checked, const AddFailure &add) const;
    void checkIssuanceProfile(const CertificateInPath &checked, const AddFailure &add) const;
    void checkEncoding(const CertificateInPath &checked, const AddFailure &add) const;
    void checkSignatureDigest(const CertificateInPath &checked, const AddFailure &add) const;
    void search(std::vector<int> &path);
    template <typename Add> void checkProfile(int index, const Certificate &certificate, const Add &add) const;
    template <typename Add> void checkStructure(int index, const Certificate &certificate, const Add &add) const;
    bool fetchMissingIssuer(const std::vector<int> &incomplete, Evaluation &evaluation);
    void checkRevocation(const std::vector<int> &path, Evaluation &evaluation, QList<CheckFailure> &failures) const;
    void checkValidityPeriod(Evaluation &evaluation, QList<CheckFailure> &failures) const;
    void checkCertificateTransparency(const std::vector<int> &chosen, Evaluation &evaluation,
                                      QList<CheckFailure> &failures) const;

    const Policy &m_policy;
    const std::atomic_bool *m_cancel;
    std::shared_ptr<const AnchorStore> m_platform; // null: no platform roots
    std::vector<bool> m_platformLookedUp;          // by candidate index
    std::vector<Certificate> m_storage;
    std::vector<std::unique_ptr<Certificate>> m_extra;
    std::vector<Candidate> m_candidates;
    QDateTime m_time;
    // Search state.
    struct Attempt {
        std::vector<int> path;
        QList<CheckFailure> failures;
        std::optional<PolicyOutcome> policies;
    };
    std::vector<Attempt> m_complete;
    std::vector<int> m_longestIncomplete;
    int m_pathsTried = 0;
    int m_expansions = 0; // bounded: hostile pools (cycles, 100 intermediates) end quickly
    bool m_foundClean = false;
    std::vector<std::optional<std::vector<int>>> m_issuerCache;
};

PathVerification Evaluator::verifyPath(const std::vector<int> &path, bool topIsTrusted) const
{
    PathVerification result;
    // Any OpenSSL call that fails makes the whole verification a fatal failure: skipping the
    // call would silently drop a check (a host name OpenSSL refused is a host name not checked).
    const auto failed = [&](const char *call) {
        const QString queue = takeOpenSslErrors();
        result.internalError = QString::fromLatin1(call) + QStringLiteral(" failed");
        if (!queue.isEmpty())
            result.internalError += QStringLiteral(": ") + queue;
        return result;
    };
    X509StorePtr store(X509_STORE_new());
    if (!store)
        return failed("X509_STORE_new");
    X509 *top = m_candidates[size_t(path.back())].x509.get();
    if (topIsTrusted && X509_STORE_add_cert(store.get(), top) != 1)
        return failed("X509_STORE_add_cert");
    StackOfX509Ptr untrusted(sk_X509_new_null());
    if (!untrusted)
        return failed("sk_X509_new_null");
    for (size_t index = 1; index < path.size(); ++index) {
        if (index + 1 == path.size() && topIsTrusted)
            break;
        if (!pushWithReference(untrusted.get(), m_candidates[size_t(path[index])].x509.get()))
            return failed("sk_X509_push");
    }
    X509StoreCtxPtr context(X509_STORE_CTX_new());
    if (!context)
        return failed("X509_STORE_CTX_new");
    if (X509_STORE_CTX_init(context.get(), store.get(), m_candidates[size_t(path.front())].x509.get(),
                            untrusted.get()) != 1)
        return failed("X509_STORE_CTX_init");
    X509_STORE_CTX_set_app_data(context.get(), &result.errors);
    X509_STORE_CTX_set_verify_cb(context.get(), verifyCallback);
    X509_VERIFY_PARAM *parameters = X509_STORE_CTX_get0_param(context.get());
    if (!parameters)
        return failed("X509_STORE_CTX_get0_param");
    // Time is checked by us, to the millisecond (OpenSSL's time_t drops fractions).
    // Certificate policies are processed on every path (RFC 5280 6.1.3 (d)–(f), 6.1.4 (a)–(b), (h)–(j)),
    // as Apple, browsers and RFC 5280 validators do; the user's inputs only add to it.
    unsigned long flags =
        X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_X509_STRICT | X509_V_FLAG_NO_CHECK_TIME | X509_V_FLAG_POLICY_CHECK;
    if (m_policy.requireExplicitPolicy)
        flags |= X509_V_FLAG_EXPLICIT_POLICY;
    if (m_policy.inhibitPolicyMapping)
        flags |= X509_V_FLAG_INHIBIT_MAP;
    if (m_policy.inhibitAnyPolicy)
        flags |= X509_V_FLAG_INHIBIT_ANY;
    if (X509_VERIFY_PARAM_set_flags(parameters, flags) != 1)
        return failed("X509_VERIFY_PARAM_set_flags");
    // RFC 5280's default user-initial-policy-set is {anyPolicy}; OpenSSL needs it said, or it finds
    // the user-constrained set empty and fails every path that requires an explicit policy.
    const QStringList initialPolicies =
        m_policy.initialPolicies.isEmpty() ? QStringList{QStringLiteral("2.5.29.32.0")} : m_policy.initialPolicies;
    for (const QString &oid : initialPolicies) {
        ASN1_OBJECT *policyObject = OBJ_txt2obj(oid.toLatin1().constData(), 1);
        if (!policyObject)
            return failed("OBJ_txt2obj (an initial policy)");
        if (X509_VERIFY_PARAM_add0_policy(parameters, policyObject) != 1) {
            ASN1_OBJECT_free(policyObject);
            return failed("X509_VERIFY_PARAM_add0_policy");
        }
    }
    X509_VERIFY_PARAM_set_auth_level(parameters, 0); // key sizes and hashes are our own checks (void in OpenSSL)
    X509_VERIFY_PARAM_set_depth(parameters, m_policy.maxIntermediates + 1); // void in OpenSSL
    int purpose = 0;
    if (m_policy.kind == PolicyKind::SslServer)
        purpose = X509_PURPOSE_SSL_SERVER;
    else if (m_policy.kind == PolicyKind::SslClient)
        purpose = X509_PURPOSE_SSL_CLIENT;
    if (purpose != 0 && X509_VERIFY_PARAM_set_purpose(parameters, purpose) != 1)
        return failed("X509_VERIFY_PARAM_set_purpose");
    if (!m_policy.hostName.isEmpty()) {
        if (const auto problem = referenceIdentityProblem(m_policy.hostName)) {
            result.hostError = *problem;
        } else {
            // RFC 6125: SAN only (never the subject CN), wildcards only as the whole left-most label.
            X509_VERIFY_PARAM_set_hostflags(parameters, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT |
                                                            X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS); // void
            const QByteArray host = referenceIdentityForOpenSsl(m_policy.hostName);
            const bool accepted =
                net::isIpAddress(m_policy.hostName)
                    ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host.constData()) == 1
                    : X509_VERIFY_PARAM_set1_host(parameters, host.constData(), size_t(host.size())) == 1;
            if (!accepted) {
                const QString queue = takeOpenSslErrors();
                result.hostError = QStringLiteral("OpenSSL refused it as a reference identity%1")
                                       .arg(queue.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(queue));
            }
        }
    }
    for (const QString &email : m_policy.emailAddresses) {
        const QByteArray address = email.toUtf8();
        if (address.contains('\0') ||
            X509_VERIFY_PARAM_set1_email(parameters, address.constData(), size_t(address.size())) != 1) {
            const QString queue = takeOpenSslErrors();
            result.emailErrors.append(
                QStringLiteral("'%1' cannot be checked: OpenSSL refused it as an e-mail address%2")
                    .arg(QString(email).replace(QChar(0), QStringLiteral("\\0")),
                         queue.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(queue)));
        }
    }
    const int verified = X509_verify_cert(context.get());
    if (verified <= 0) {
        // The callback accepts every error so that all of them are reported; a result ≤ 0 then
        // means OpenSSL stopped on its own (internal error): never a trusted outcome.
        const QString queue = takeOpenSslErrors();
        const int code = X509_STORE_CTX_get_error(context.get());
        result.internalError = QStringLiteral("X509_verify_cert returned %1 (%2)%3")
                                   .arg(verified)
                                   .arg(QString::fromLatin1(X509_verify_cert_error_string(code)),
                                        queue.isEmpty() ? QString() : QStringLiteral(": ") + queue);
    } else {
        result.policies = policyOutcomeOf(context.get(), m_policy);
    }
    clearOpenSslErrors();
    return result;
}

struct KeyMapping {
    const char *key;
    bool forceFatal; // stricter than Apple: a broken signature can never be excepted
};

KeyMapping keyForVerifyError(int code)
{
    switch (code) {
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
        return {"TemporalValidity", false};
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return {"SSLHostname", false};
    case X509_V_ERR_EMAIL_MISMATCH:
        return {"Email", false};
    case X509_V_ERR_INVALID_PURPOSE:
        return {"ExtendedKeyUsage", false};
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
        return {"KeyUsage", false};
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_INVALID_NON_CA:
    case X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED:
        return {"BasicConstraints", false};
    case X509_V_ERR_PERMITTED_VIOLATION:
    case X509_V_ERR_EXCLUDED_VIOLATION:
    case X509_V_ERR_SUBTREE_MINMAX:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX:
    case X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
        return {"IssuerNameConstraints", false};
    case X509_V_ERR_CERT_REVOKED:
        return {"Revocation", false};
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
        return {"CriticalExtensions", false};
    case X509_V_ERR_AKID_SKID_MISMATCH:
    case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
        return {"IdLinkage", false};
    case X509_V_ERR_INVALID_POLICY_EXTENSION:
    case X509_V_ERR_NO_EXPLICIT_POLICY:
        return {"PolicyConstraints", false};
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        return {"ChainLength", false};
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
        return {"BasicCertificateProcessing", true};
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
        return {"AnchorTrusted", false};
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return {"MissingIntermediate", false};
    default:
        return {"BasicCertificateProcessing", false};
    }
}

CheckFailure makeFailure(int index, const QString &key, bool forceFatal, QString explanation, QString remedy,
                         QString opensslError = {})
{
    CheckFailure failure;
    failure.certIndex = index;
    failure.key = key;
    const CheckKeyInfo *info = checkKey(key);
    failure.recoverable = !forceFatal && (info ? info->recoverable : false);
    failure.explanation = std::move(explanation);
    failure.remedy = std::move(remedy);
    failure.opensslError = std::move(opensslError);
    return failure;
}

bool isValidDnsName(const QString &name)
{
    QString rest = name;
    if (rest.startsWith(QLatin1String("*.")))
        rest = rest.mid(2); // a wildcard only as the whole left-most label
    if (rest.isEmpty() || rest.size() > 253)
        return false;
    for (const QString &label : rest.split(QLatin1Char('.'))) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(QLatin1Char('-')) ||
            label.endsWith(QLatin1Char('-')))
            return false;
        for (const QChar c : label)
            if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-'))
                return false;
    }
    return true;
}

} // namespace

// Rules every certificate of a path must follow (RFC 5280), plus the CA/Browser Forum rules
// for TLS server leaves when the SSL server policy is used.
template <typename Add> void Evaluator::checkProfile(int index, const Certificate &certificate, const Add &add) const
{
    const auto compliance = [&](const QString &explanation, const QString &remedy) {
        add(makeFailure(index, QStringLiteral("BasicCertificateProcessing"), false, explanation, remedy));
    };
    const QString serial = certificate.serialHex;
    if (serial.startsWith(QLatin1Char('-')) || serial.count(QLatin1Char('0')) == serial.size() || serial.size() > 40)
        compliance(QStringLiteral("'%1' has an invalid serial number (%2): it must be positive and at most 20 bytes.")
                       .arg(nameOf(certificate), serial),
                   QStringLiteral("Reissue the certificate with a random positive serial number of at most 20 bytes."));
    for (const Extension &extension : certificate.extensions)
        if (!extension.error.isEmpty())
            compliance(QStringLiteral("'%1' has a %2 extension that does not decode (%3).")
                           .arg(nameOf(certificate), extension.name, extension.error),
                       QStringLiteral("Reissue the certificate with well-formed extensions."));
    if (index != 0 || m_policy.kind != PolicyKind::SslServer)
        return;
    // CA/Browser Forum Baseline Requirements for TLS server (subscriber) certificates.
    const Extension *keyUsage = certificate.extension(QStringLiteral("2.5.29.15"));
    const bool canSignCertificates = keyUsage && keyUsage->details.contains(QStringLiteral("Certificate Sign"));
    if (certificate.isCa && !canSignCertificates) // BR 7.1.2.7.8: cA=TRUE without keyCertSign
        add(makeFailure(0, QStringLiteral("NotCA"), false,
                        QStringLiteral("'%1' claims to be a CA (basicConstraints cA) but may not sign certificates; it "
                                       "is used as a TLS server certificate.")
                            .arg(nameOf(certificate)),
                        QStringLiteral("Issue the server a certificate with basicConstraints CA:FALSE.")));
    for (const GeneralName &name : certificate.subjectAltNames) {
        if (name.type == QLatin1String("DNS") && !isValidDnsName(name.value))
            compliance(
                QStringLiteral("The subject alternative name '%1' is not a valid DNS name.").arg(name.value),
                QStringLiteral(
                    "Use only letters, digits and hyphens in DNS names (a wildcard only as the whole first label)."));
    }
    if (const Extension *san = certificate.extension(QStringLiteral("2.5.29.17"));
        san && san->critical && !certificate.subject.attributes.isEmpty())
        compliance(
            QStringLiteral("The subject alternative name extension is critical although the subject is not empty."),
            QStringLiteral("Mark the subjectAltName extension non-critical."));
    if (const Extension *eku = certificate.extension(QStringLiteral("2.5.29.37"))) {
        if (eku->critical)
            compliance(
                QStringLiteral(
                    "The extended key usage extension is critical; TLS server certificates must not mark it so."),
                QStringLiteral("Reissue with a non-critical extendedKeyUsage."));
        const bool serverAuth = std::any_of(eku->details.cbegin(), eku->details.cend(), [](const QString &usage) {
            return usage.startsWith(QLatin1String("serverAuth"));
        });
        if (!serverAuth)
            add(makeFailure(0, QStringLiteral("ExtendedKeyUsage"), false,
                            QStringLiteral("The extended key usage does not name serverAuth (%1).").arg(eku->value),
                            QStringLiteral("Issue the certificate with the extended key usage serverAuth.")));
    }
}

// Structural rules that hold for every certificate of the path, the anchor included.
template <typename Add> void Evaluator::checkStructure(int index, const Certificate &certificate, const Add &add) const
{
    const auto compliance = [&](const QString &explanation, const QString &remedy) {
        add(makeFailure(index, QStringLiteral("BasicCertificateProcessing"), false, explanation, remedy));
    };
    // RFC 5280 4.2.1.10: a nameConstraints extension must hold permitted or excluded subtrees.
    if (const Extension *constraints = certificate.extension(QStringLiteral("2.5.29.30"));
        constraints && constraints->error.isEmpty() && constraints->details.isEmpty())
        compliance(
            QStringLiteral("'%1' has a name constraints extension with no subtrees.").arg(nameOf(certificate)),
            QStringLiteral("Remove the empty nameConstraints extension, or give it permitted or excluded subtrees."));
    if (m_policy.kind != PolicyKind::SslServer)
        return;
    // CA/B Forum 7.1.2.11.1: the authority key identifier holds a key ID and nothing else; a
    // self-signed certificate's is its own subject key identifier.
    if (const Extension *authority = certificate.extension(QStringLiteral("2.5.29.35"));
        authority && authority->error.isEmpty()) {
        QString keyId;
        bool extraFields = false;
        for (const QString &detail : authority->details) {
            if (detail.startsWith(QLatin1String("key ID: ")))
                keyId = detail.mid(8);
            else
                extraFields = true;
        }
        const Extension *subjectKey = certificate.extension(QStringLiteral("2.5.29.14"));
        if (keyId.isEmpty() || extraFields || (certificate.selfSigned && subjectKey && subjectKey->value != keyId))
            compliance(
                QStringLiteral("'%1' has an authority key identifier that the web PKI forbids (%2).")
                    .arg(nameOf(certificate), authority->value),
                QStringLiteral("Reissue with an authorityKeyIdentifier that holds only the issuer's key identifier."));
    }
}

const Certificate &Evaluator::certificateAt(const PathUnderCheck &checked, int index) const
{
    return *m_candidates[size_t(checked.path[size_t(qBound(0, index, int(checked.path.size()) - 1))])].decoded;
}

QList<CheckFailure> Evaluator::failuresFor(const std::vector<int> &path, const PathVerification &verification,
                                           bool anchored) const
{
    using PathCheck = void (Evaluator::*)(const PathUnderCheck &, const AddFailure &) const;
    static constexpr PathCheck pathChecks[] = {
        &Evaluator::checkVerifierRan,       // checks that could not run are failures, never silently passed
        &Evaluator::checkVerifierErrors,    // what OpenSSL's path validation found
        &Evaluator::checkAnchored,          // the path ends at a trusted root
        &Evaluator::checkEveryCertificate,  // validity, key size, profile, encoding, digest of each certificate
        &Evaluator::checkChainLength,       // the caller's limit on intermediates
        &Evaluator::checkRequiredKeyUsages, // key usages the caller requires of the leaf
        &Evaluator::checkRequiredExtendedKeyUsages,
        &Evaluator::checkPins,       // public key pins
        &Evaluator::checkPinnedLeaf, // the one trusted leaf certificate
        &Evaluator::checkDistrusted, // certificates the user never trusts
    };
    QList<CheckFailure> failures;
    std::set<std::pair<int, QString>> seen;
    const AddFailure add = [&](CheckFailure failure) {
        if (seen.insert({failure.certIndex, failure.key}).second)
            failures.append(std::move(failure));
    };
    const PathUnderCheck checked{path, verification, anchored, int(path.size()) - 1};
    for (const PathCheck check : pathChecks)
        (this->*check)(checked, add);
    if (failures.isEmpty() && !verification.internalError.isEmpty()) // fail closed, whatever the rows did
        add(makeFailure(0, QStringLiteral("BasicCertificateProcessing"), true,
                        QStringLiteral("The chain could not be verified."), QString()));
    return failures;
}

void Evaluator::checkVerifierRan(const PathUnderCheck &checked, const AddFailure &add) const
{
    const PathVerification &verification = checked.verification;
    if (!verification.internalError.isEmpty())
        add(makeFailure(0, QStringLiteral("BasicCertificateProcessing"), true,
                        QStringLiteral("The chain could not be verified: %1.").arg(verification.internalError),
                        QStringLiteral("This is an error inside the verifier, not a property of the server; "
                                       "report it with the certificates."),
                        verification.internalError));
    if (!verification.hostError.isEmpty())
        add(makeFailure(0, QStringLiteral("SSLHostname"), true,
                        QStringLiteral("The host name '%1' cannot be checked: %2.")
                            .arg(printableHostName(m_policy.hostName), verification.hostError),
                        QStringLiteral("Check the name the client connects with: give the server's DNS name or IP "
                                       "address exactly as a client would use it.")));
    for (const QString &problem : verification.emailErrors)
        add(makeFailure(0, QStringLiteral("Email"), true, problem + QLatin1Char('.'),
                        QStringLiteral("Give a plain e-mail address such as user@example.org.")));
}

void Evaluator::checkVerifierErrors(const PathUnderCheck &checked, const AddFailure &add) const
{
    for (const VerifyError &error : checked.verification.errors) {
        const KeyMapping mapping = keyForVerifyError(error.code);
        const QString key = QString::fromLatin1(mapping.key);
        const Certificate &certificate = certificateAt(checked, error.depth);
        const QString opensslText = QString::fromLatin1(X509_verify_cert_error_string(error.code));
        QString explanation, remedy;
        // Time is checked by checkTemporalValidity (X509_V_FLAG_NO_CHECK_TIME), never reported here.
        if (key == QLatin1String("SSLHostname")) {
            QStringList names;
            for (const GeneralName &name : certificate.subjectAltNames)
                if (name.type == QLatin1String("DNS") || name.type == QLatin1String("IP"))
                    names.append(name.value);
            explanation = QStringLiteral("The certificate is for %1, not for '%2'.")
                              .arg(names.isEmpty() ? QStringLiteral("no host name at all (it has no DNS or IP subject "
                                                                    "alternative names; the common name is never used)")
                                                   : names.join(QStringLiteral(", ")),
                                   m_policy.hostName);
            remedy = QStringLiteral("Issue a certificate whose subject alternative names include '%1', or connect with "
                                    "the name the certificate is for.")
                         .arg(m_policy.hostName);
        } else if (key == QLatin1String("ExtendedKeyUsage")) {
            explanation = QStringLiteral("'%1' is not allowed for %2 (extended key usage).")
                              .arg(nameOf(certificate), m_policy.kind == PolicyKind::SslClient
                                                            ? QStringLiteral("TLS client authentication")
                                                            : QStringLiteral("TLS servers"));
            remedy = QStringLiteral("Issue the certificate with the extended key usage %1.")
                         .arg(m_policy.kind == PolicyKind::SslClient ? QStringLiteral("clientAuth")
                                                                     : QStringLiteral("serverAuth"));
        } else if (key == QLatin1String("BasicConstraints")) {
            explanation = error.code == X509_V_ERR_PATH_LENGTH_EXCEEDED
                              ? QStringLiteral("The path is longer than '%1' allows (path length constraint).")
                                    .arg(nameOf(certificate))
                              : QStringLiteral("'%1' is used as a CA but is not a CA certificate (basic constraints).")
                                    .arg(nameOf(certificate));
            remedy = QStringLiteral("Issue the chain from a proper CA certificate (basicConstraints CA:TRUE with a "
                                    "sufficient path length).");
        } else if (key == QLatin1String("KeyUsage")) {
            explanation =
                QStringLiteral("'%1' lacks a key usage this role needs (%2).").arg(nameOf(certificate), opensslText);
            remedy = QStringLiteral("Reissue the certificate with the key usage its role requires.");
        } else if (key == QLatin1String("IssuerNameConstraints")) {
            explanation = QStringLiteral("'%1' has a name its issuers' name constraints forbid (%2).")
                              .arg(nameOf(certificate), opensslText);
            remedy = QStringLiteral("Use a name the CA is permitted to certify, or a CA without that constraint.");
        } else if (key == QLatin1String("PolicyConstraints")) {
            explanation = policyFailureReason(checked, error);
            remedy = error.code == X509_V_ERR_INVALID_POLICY_EXTENSION
                         ? QStringLiteral("Reissue '%1' with well-formed certificate policy extensions (no duplicate "
                                          "policies, anyPolicy never mapped).")
                               .arg(nameOf(certificate))
                         : QStringLiteral("Have the CA issue the chain under a policy the relying party accepts (every "
                                          "certificate of the path must assert it or anyPolicy, or map to it), or "
                                          "accept the policies the path has.");
        } else if (key == QLatin1String("AnchorTrusted") || key == QLatin1String("MissingIntermediate")) {
            continue; // decided by checkAnchored from the path as a whole
        } else {
            explanation = QStringLiteral("'%1': %2.").arg(nameOf(certificate), opensslText);
            remedy = QStringLiteral("Reissue the certificate so that it follows RFC 5280.");
        }
        add(makeFailure(error.depth, key, mapping.forceFatal, explanation, remedy, opensslText));
    }
}

void Evaluator::checkAnchored(const PathUnderCheck &checked, const AddFailure &add) const
{
    const int top = checked.top;
    const Certificate &topCertificate = certificateAt(checked, top);
    if (!checked.anchored) {
        if (topCertificate.selfSigned) {
            add(makeFailure(
                top, QStringLiteral("AnchorTrusted"), false,
                QStringLiteral("The chain ends at '%1', which is not a trusted root.").arg(nameOf(topCertificate)),
                QStringLiteral(
                    "Use a certificate from a CA the clients trust, or add '%1' to the clients' trusted roots.")
                    .arg(nameOf(topCertificate))));
        } else {
            const QStringList urls = caIssuerUrls(topCertificate);
            add(makeFailure(top, QStringLiteral("MissingIntermediate"), false,
                            QStringLiteral("No issuer of '%1' (issued by '%2') was sent or is known.")
                                .arg(nameOf(topCertificate), topCertificate.issuer.commonName().isEmpty()
                                                                 ? topCertificate.issuer.rfc4514
                                                                 : topCertificate.issuer.commonName()),
                            QStringLiteral("The server must send the intermediate '%1' after its certificate%2.")
                                .arg(topCertificate.issuer.commonName().isEmpty() ? topCertificate.issuer.rfc4514
                                                                                  : topCertificate.issuer.commonName(),
                                     urls.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (it can be downloaded from %1)").arg(urls.first()))));
        }
    }
}

void Evaluator::checkEveryCertificate(const PathUnderCheck &checked, const AddFailure &add) const
{
    using CertificateCheck = void (Evaluator::*)(const CertificateInPath &, const AddFailure &) const;
    // Our own checks on every certificate, the anchor included (as Apple does: an expired or
    // weak root fails). A certificate's failures are listed together, in this order.
    static constexpr CertificateCheck certificateChecks[] = {
        &Evaluator::checkTemporalValidity, &Evaluator::checkKeySize,         &Evaluator::checkIssuanceProfile,
        &Evaluator::checkEncoding,         &Evaluator::checkSignatureDigest,
    };
    for (int index = 0; index < int(checked.path.size()); ++index) {
        const Candidate &candidate = m_candidates[size_t(checked.path[size_t(index)])];
        const bool isTop = index == checked.top;
        const CertificateInPath certificate{index, *candidate.decoded, isTop,
                                            candidate.anchor && isTop && checked.anchored};
        for (const CertificateCheck check : certificateChecks)
            (this->*check)(certificate, add);
    }
}

void Evaluator::checkTemporalValidity(const CertificateInPath &checked, const AddFailure &add) const
{
    const Certificate &certificate = checked.certificate;
    if (certificate.validityAt(m_time) != ValidityState::Valid)
        add(makeFailure(
            checked.index, QStringLiteral("TemporalValidity"), false,
            QStringLiteral("'%1' is %2 (valid %3 to %4).")
                .arg(nameOf(certificate), certificate.validityDescription(m_time),
                     certificate.notBefore.toString(Qt::ISODate), certificate.notAfter.toString(Qt::ISODate)),
            certificate.validityAt(m_time) == ValidityState::Expired
                ? QStringLiteral("Renew '%1' and install the new certificate on the server.").arg(nameOf(certificate))
                : QStringLiteral("Check the client's clock, or wait until the certificate's start date."),
            QString::fromLatin1(X509_verify_cert_error_string(certificate.validityAt(m_time) == ValidityState::Expired
                                                                  ? X509_V_ERR_CERT_HAS_EXPIRED
                                                                  : X509_V_ERR_CERT_NOT_YET_VALID))));
}

void Evaluator::checkKeySize(const CertificateInPath &checked, const AddFailure &add) const
{
    const Certificate &certificate = checked.certificate;
    const PublicKeyInfo &key = certificate.publicKey;
    const bool weakRsa = key.algorithm == QLatin1String("RSA") && (key.bits < 2048 || key.bits % 8 != 0);
    const bool weakEc = key.algorithm == QLatin1String("EC") && key.bits < 256;
    const bool dsa = key.algorithm == QLatin1String("DSA");
    if (weakRsa || weakEc || dsa)
        add(makeFailure(
            checked.index, QStringLiteral("WeakKeySize"), false,
            dsa ? QStringLiteral("'%1' has a DSA key, which TLS clients no longer accept.").arg(nameOf(certificate))
                : QStringLiteral("'%1' has a %2-bit %3 key; %4 bits or more%5 are required.")
                      .arg(nameOf(certificate))
                      .arg(key.bits)
                      .arg(key.algorithm)
                      .arg(weakEc ? 256 : 2048)
                      .arg(weakRsa ? QStringLiteral(", a multiple of 8,") : QString()),
            QStringLiteral("Issue a new certificate with an RSA key of 2048 bits or more, or an EC key of 256 bits "
                           "or more.")));
}

void Evaluator::checkIssuanceProfile(const CertificateInPath &checked, const AddFailure &add) const
{
    const Certificate &certificate = checked.certificate;
    if (!checked.isAnchor) // a root is the store's choice, not the issuance profile's
        checkProfile(checked.index, certificate, add);
}

void Evaluator::checkEncoding(const CertificateInPath &checked, const AddFailure &add) const
{
    const Certificate &certificate = checked.certificate;
    checkStructure(checked.index, certificate, add);
}

void Evaluator::checkSignatureDigest(const CertificateInPath &checked, const AddFailure &add) const
{
    const Certificate &certificate = checked.certificate;
    // A self-signed top's own signature is not part of the path: nobody verifies it.
    if (isWeakDigest(certificate.signatureDigest) && !(checked.isTop && certificate.selfSigned))
        add(makeFailure(checked.index, QStringLiteral("WeakSignature"), false,
                        QStringLiteral("'%1' is signed with %2, which is broken.")
                            .arg(nameOf(certificate), certificate.signatureDigest.toUpper()),
                        QStringLiteral("Have the CA reissue the certificate with a SHA-256 (or stronger) signature.")));
}

void Evaluator::checkChainLength(const PathUnderCheck &checked, const AddFailure &add) const
{
    // Self-issued intermediates (key rollover) do not count towards the depth (RFC 5280 6.1).
    int intermediates = 0;
    for (int index = 1; index < checked.top; ++index)
        intermediates += certificateAt(checked, index).selfIssued ? 0 : 1;
    if (m_policy.maxIntermediates >= 0 && intermediates > m_policy.maxIntermediates)
        add(makeFailure(0, QStringLiteral("ChainLength"), false,
                        QStringLiteral("The path has %1 intermediates; at most %2 are allowed.")
                            .arg(intermediates)
                            .arg(m_policy.maxIntermediates),
                        QStringLiteral("Use a shorter chain.")));
}

void Evaluator::checkRequiredKeyUsages(const PathUnderCheck &checked, const AddFailure &add) const
{
    // Key usage and EKU the caller requires of the leaf (beyond the policy's own).
    const Certificate &leaf = certificateAt(checked, 0);
    for (const QString &usage : m_policy.requiredKeyUsages) {
        const Extension *keyUsage = leaf.extension(QStringLiteral("2.5.29.15"));
        const QString wanted = usage.toLower();
        bool present = false;
        if (keyUsage)
            for (const QString &detail : keyUsage->details)
                present = present || QString(detail).remove(QLatin1Char(' ')).toLower() == wanted;
        if (!present)
            add(makeFailure(0, QStringLiteral("KeyUsage"), false,
                            QStringLiteral("The leaf does not assert the key usage %1.").arg(usage),
                            QStringLiteral("Reissue the leaf with the key usage %1.").arg(usage)));
    }
}

void Evaluator::checkRequiredExtendedKeyUsages(const PathUnderCheck &checked, const AddFailure &add) const
{
    const Certificate &leaf = certificateAt(checked, 0);
    if (!m_policy.requiredExtendedKeyUsages.isEmpty()) {
        const Extension *eku = leaf.extension(QStringLiteral("2.5.29.37"));
        for (const QString &oid : m_policy.requiredExtendedKeyUsages) {
            bool present = false;
            if (eku) {
                const int nid = OBJ_txt2nid(oid.toLatin1().constData());
                const QString shortName = nid != NID_undef ? QString::fromLatin1(OBJ_nid2sn(nid)) : oid;
                for (const QString &detail : eku->details)
                    present = present || detail == oid || detail.startsWith(shortName + QStringLiteral(" ")) ||
                              detail.startsWith(QLatin1String("anyExtendedKeyUsage"));
            }
            if (eku && !present)
                add(makeFailure(0, QStringLiteral("ExtendedKeyUsage"), false,
                                QStringLiteral("The leaf's extended key usage does not include %1.").arg(oid),
                                QStringLiteral("Reissue the leaf with the extended key usage %1.").arg(oid)));
        }
        clearOpenSslErrors();
    }
}

void Evaluator::checkPins(const PathUnderCheck &checked, const AddFailure &add) const
{
    if (!m_policy.pins.isEmpty()) {
        bool matched = false;
        for (int index : checked.path)
            matched =
                matched || m_policy.pins.contains(m_candidates[size_t(index)].decoded->publicKey.spkiSha256Base64);
        if (!matched)
            add(makeFailure(
                0, QStringLiteral("LeafSPKISHA256"), false,
                QStringLiteral("No public key in the path matches the pins (%1).")
                    .arg(m_policy.pins.join(QStringLiteral(", "))),
                QStringLiteral(
                    "The server presents keys the pins do not allow: update the pins, or restore the pinned key.")));
    }
}

void Evaluator::checkPinnedLeaf(const PathUnderCheck &checked, const AddFailure &add) const
{
    const Certificate &leaf = certificateAt(checked, 0);
    if (!m_policy.pinnedLeafDer.isEmpty() && leaf.der != m_policy.pinnedLeafDer)
        add(makeFailure(0, QStringLiteral("PinnedCertificate"), false,
                        QStringLiteral("The leaf is not the one certificate that is trusted."),
                        QStringLiteral("The server must present the pinned certificate, or the pin must be updated.")));
}

void Evaluator::checkDistrusted(const PathUnderCheck &checked, const AddFailure &add) const
{
    if (m_policy.distrustedSha256.isEmpty())
        return;
    for (int index = 0; index < int(checked.path.size()); ++index) {
        const Certificate &certificate = certificateAt(checked, index);
        if (!m_policy.distrustedSha256.contains(QByteArray::fromHex(certificate.sha256Hex.toLatin1())))
            continue;
        // Like Apple's blocked keys: fatal, and never covered by a trust exception.
        add(makeFailure(index, QStringLiteral("BlackListedKey"), true,
                        QStringLiteral("'%1' (SHA-256 %2) is on your list of certificates never to trust.")
                            .arg(nameOf(certificate), certificate.sha256Hex.left(16) + QStringLiteral("…")),
                        index == 0 ? QStringLiteral("The server must present another certificate; remove '%1' from the "
                                                    "never-trusted certificates only if you trust it again.")
                                         .arg(nameOf(certificate))
                                   : QStringLiteral("The server must send a chain that does not pass through '%1' "
                                                    "(another intermediate or cross-signature).")
                                         .arg(nameOf(certificate))));
    }
}

// What a certificate of the path says about policies (RFC 5280 4.2.1.4, .5, .11, .14).
struct PolicyExtensions {
    QStringList policies; // dotted OIDs
    bool hasMappings = false;
    long requireExplicitPolicy = -1;
    long inhibitPolicyMapping = -1;
    long inhibitAnyPolicy = -1;
};

PolicyExtensions policyExtensionsOf(X509 *certificate)
{
    PolicyExtensions found;
    const CertificatePoliciesPtr policies(
        static_cast<CERTIFICATEPOLICIES *>(X509_get_ext_d2i(certificate, NID_certificate_policies, nullptr, nullptr)));
    for (int index = 0; policies && index < sk_POLICYINFO_num(policies.get()); ++index)
        found.policies.append(objectToDottedOid(sk_POLICYINFO_value(policies.get(), index)->policyid));
    const PolicyMappingsPtr mappings(
        static_cast<POLICY_MAPPINGS *>(X509_get_ext_d2i(certificate, NID_policy_mappings, nullptr, nullptr)));
    found.hasMappings = mappings && sk_POLICY_MAPPING_num(mappings.get()) > 0;
    const PolicyConstraintsPtr constraints(
        static_cast<POLICY_CONSTRAINTS *>(X509_get_ext_d2i(certificate, NID_policy_constraints, nullptr, nullptr)));
    if (constraints && constraints->requireExplicitPolicy)
        found.requireExplicitPolicy = ASN1_INTEGER_get(constraints->requireExplicitPolicy);
    if (constraints && constraints->inhibitPolicyMapping)
        found.inhibitPolicyMapping = ASN1_INTEGER_get(constraints->inhibitPolicyMapping);
    const Asn1IntegerPtr inhibitAny(
        static_cast<ASN1_INTEGER *>(X509_get_ext_d2i(certificate, NID_inhibit_any_policy, nullptr, nullptr)));
    if (inhibitAny)
        found.inhibitAnyPolicy = ASN1_INTEGER_get(inhibitAny.get());
    clearOpenSslErrors(); // an absent extension leaves nothing to report
    return found;
}

QString Evaluator::policyFailureReason(const PathUnderCheck &checked, const VerifyError &error) const
{
    const Certificate &failing = certificateAt(checked, error.depth);
    if (error.code == X509_V_ERR_INVALID_POLICY_EXTENSION)
        return QStringLiteral("'%1' has a certificate policy extension that is invalid (%2).")
            .arg(nameOf(failing), QString::fromLatin1(X509_verify_cert_error_string(error.code)));
    // No acceptable policy although one is required: say which inputs and which certificates made it so.
    static const QString anyPolicy = QStringLiteral("2.5.29.32.0");
    QStringList reasons, requiredBy, mappingInhibitedBy, anyInhibitedBy;
    bool anyMappings = false, anyAnyPolicy = false;
    if (m_policy.requireExplicitPolicy)
        requiredBy.append(QStringLiteral("your settings (require an explicit policy)"));
    if (m_policy.inhibitPolicyMapping)
        mappingInhibitedBy.append(QStringLiteral("your settings"));
    if (m_policy.inhibitAnyPolicy)
        anyInhibitedBy.append(QStringLiteral("your settings"));
    QString firstWithout;
    // The anchor is not part of policy processing (RFC 5280 6.1: the trust anchor is an input).
    const int last = checked.anchored ? checked.top - 1 : checked.top;
    for (int index = last; index >= 0; --index) {
        const Certificate &certificate = certificateAt(checked, index);
        const PolicyExtensions extensions =
            policyExtensionsOf(m_candidates[size_t(checked.path[size_t(index)])].x509.get());
        if (extensions.policies.isEmpty() && firstWithout.isEmpty())
            firstWithout = nameOf(certificate);
        anyMappings = anyMappings || extensions.hasMappings;
        anyAnyPolicy = anyAnyPolicy || extensions.policies.contains(anyPolicy);
        if (extensions.requireExplicitPolicy >= 0)
            requiredBy.append(QStringLiteral("'%1' (requireExplicitPolicy %2)")
                                  .arg(nameOf(certificate))
                                  .arg(extensions.requireExplicitPolicy));
        if (extensions.inhibitPolicyMapping >= 0)
            mappingInhibitedBy.append(QStringLiteral("'%1' (inhibitPolicyMapping %2)")
                                          .arg(nameOf(certificate))
                                          .arg(extensions.inhibitPolicyMapping));
        if (extensions.inhibitAnyPolicy >= 0)
            anyInhibitedBy.append(
                QStringLiteral("'%1' (inhibitAnyPolicy %2)").arg(nameOf(certificate)).arg(extensions.inhibitAnyPolicy));
    }
    if (!firstWithout.isEmpty())
        reasons.append(
            QStringLiteral("'%1' asserts no certificate policy, so no policy is valid for the path").arg(firstWithout));
    else {
        const PolicyExtensions leaf = policyExtensionsOf(m_candidates[size_t(checked.path.front())].x509.get());
        reasons.append(
            QStringLiteral("no policy is valid through the whole path and accepted (the leaf asserts %1; accepted: %2)")
                .arg(leaf.policies.join(QStringLiteral(", ")),
                     m_policy.initialPolicies.isEmpty() ? QStringLiteral("any policy")
                                                        : m_policy.initialPolicies.join(QStringLiteral(", "))));
    }
    if (anyMappings && !mappingInhibitedBy.isEmpty())
        reasons.append(QStringLiteral("policy mapping is inhibited by %1, so the path's policy mappings do not apply")
                           .arg(mappingInhibitedBy.join(QStringLiteral(", "))));
    if (anyAnyPolicy && !anyInhibitedBy.isEmpty())
        reasons.append(
            QStringLiteral("anyPolicy is inhibited by %1, so a certificate asserting anyPolicy matches nothing")
                .arg(anyInhibitedBy.join(QStringLiteral(", "))));
    return QStringLiteral("No acceptable certificate policy, and an explicit one is required by %1: %2.")
        .arg(requiredBy.isEmpty() ? QStringLiteral("the path") : requiredBy.join(QStringLiteral(", ")),
             reasons.join(QStringLiteral("; ")));
}

void Evaluator::search(std::vector<int> &path)
{
    if (m_foundClean || m_pathsTried > 64 || ++m_expansions > 4000 || (m_cancel && m_cancel->load()))
        return;
    const int current = path.back();
    if (m_candidates[size_t(current)].anchor) {
        ++m_pathsTried;
        const PathVerification verification = verifyPath(path, true);
        const QList<CheckFailure> failures = failuresFor(path, verification, true);
        m_complete.push_back({path, failures, verification.policies});
        m_foundClean = failures.isEmpty();
        return;
    }
    if (int(path.size()) > m_policy.maxIntermediates + 2)
        return;
    std::vector<int> issuers;
    for (int issuer : issuersOf(current))
        if (std::find(path.begin(), path.end(), issuer) == path.end())
            issuers.push_back(issuer);
    if (issuers.empty()) {
        if (path.size() > m_longestIncomplete.size())
            m_longestIncomplete = path;
        return;
    }
    for (int issuer : issuers) {
        path.push_back(issuer);
        search(path);
        path.pop_back();
        if (m_foundClean)
            return;
    }
}

bool Evaluator::fetchMissingIssuer(const std::vector<int> &incomplete, Evaluation &evaluation)
{
    const Certificate &top = *m_candidates[size_t(incomplete.back())].decoded;
    bool added = false;
    for (const QString &url : caIssuerUrls(top)) {
        const auto response = net::httpGet(QUrl(url), m_policy.httpTimeoutMs, 1024 * 1024, m_cancel, m_policy.proxy);
        if (!response) {
            evaluation.network.append(QStringLiteral("GET %1 → %2").arg(url, response.error().message));
            continue;
        }
        evaluation.network.append(
            QStringLiteral("GET %1 → %2, %3 bytes%4")
                .arg(url)
                .arg(response->status)
                .arg(response->body.size())
                .arg(response->via.isEmpty() ? QString() : QStringLiteral(" via proxy ") + response->via));
        if (response->status != 200)
            continue;
        const auto document = loadDocument(response->body, url);
        if (!document)
            continue;
        for (const PkiObject &object : document->objects)
            if (const auto *certificate = object.as<Certificate>()) {
                const size_t before = m_candidates.size();
                addCandidate(store(*certificate), QStringLiteral("aia"), false);
                added = added || m_candidates.size() > before;
            }
    }
    return added;
}

void Evaluator::checkRevocation(const std::vector<int> &path, Evaluation &evaluation,
                                QList<CheckFailure> &failures) const
{
    const bool useOcsp = m_policy.revocation == RevocationMode::Ocsp || m_policy.revocation == RevocationMode::Both;
    const bool useCrl = m_policy.revocation == RevocationMode::Crl || m_policy.revocation == RevocationMode::Both;
    const RevocationContext context{m_policy.httpTimeoutMs, m_cancel, &evaluation.network, m_policy.proxy};
    // The user's CRL files first, for the whole path at once: what they settle needs no download.
    QList<RevocationCheck> local;
    std::vector<X509 *> pathCertificates, crlIssuers;
    for (int index : path)
        pathCertificates.push_back(m_candidates[size_t(index)].x509.get());
    for (int index = 0; index < int(m_candidates.size()); ++index)
        if (m_candidates[size_t(index)].source != QLatin1String("system") &&
            std::find(path.begin(), path.end(), index) == path.end())
            crlIssuers.push_back(m_candidates[size_t(index)].x509.get());
    if (useCrl && !m_policy.crls.isEmpty())
        local = checkLocalCrls(pathCertificates, crlIssuers, m_policy.crls, m_time);
    // A downloaded CRL that answered is judged again with the CRL files' rules (OpenSSL's: scope by
    // distribution point and onlyContainsUserCerts / onlyContainsCACerts, CRL number), current now.
    const auto scoped = [&](RevocationCheck downloaded, size_t index) {
        if (!downloaded.isDefinitive() || downloaded.crlDer.isEmpty())
            return downloaded;
        const QList<RevocationCheck> judged =
            checkLocalCrls(pathCertificates, crlIssuers, {LocalCrl{downloaded.crlDer, downloaded.url}},
                           QDateTime::currentDateTimeUtc());
        if (qsizetype(index) < judged.size() && judged.at(qsizetype(index)).status != downloaded.status) {
            downloaded.status = judged.at(qsizetype(index)).status;
            downloaded.detail = QStringLiteral("the downloaded CRL, judged as a CRL file is: %1")
                                    .arg(judged.at(qsizetype(index)).detail);
            downloaded.revokedAt = judged.at(qsizetype(index)).revokedAt;
            downloaded.reason = judged.at(qsizetype(index)).reason;
        }
        return downloaded;
    };
    // Every certificate with its issuer in the path; an anchor is trusted as it is.
    for (size_t index = 0; index + 1 < path.size(); ++index) {
        if (m_candidates[size_t(path[index])].anchor)
            break;
        X509 *subject = m_candidates[size_t(path[index])].x509.get();
        X509 *issuer = m_candidates[size_t(path[index + 1])].x509.get();
        QList<RevocationCheck> checks;
        if (useOcsp) {
            if (index == 0 && !m_policy.stapledOcspResponse.isEmpty())
                checks.append(checkStapledOcsp(subject, issuer, m_policy.stapledOcspResponse));
            if (m_policy.revocationDownloads && (checks.isEmpty() || !checks.last().isDefinitive()))
                checks.append(checkOcsp(subject, issuer, context));
        }
        const bool settledLocally = qsizetype(index) < local.size() && local.at(qsizetype(index)).isDefinitive();
        if (qsizetype(index) < local.size())
            checks.append(local.at(qsizetype(index)));
        if (useCrl && !settledLocally && m_policy.revocationDownloads)
            checks.append(scoped(checkCrl(subject, issuer, context), index));
        const Certificate &certificate = *m_candidates[size_t(path[index])].decoded;
        const auto revoked = std::find_if(checks.cbegin(), checks.cend(), [](const RevocationCheck &check) {
            return check.status == QLatin1String("revoked");
        });
        const bool definitive = std::any_of(checks.cbegin(), checks.cend(),
                                            [](const RevocationCheck &check) { return check.isDefinitive(); });
        if (revoked != checks.cend()) {
            const QString by = revoked->source == QLatin1String("crl")
                                   ? QStringLiteral("the CRL at %1").arg(revoked->url)
                               : revoked->source == QLatin1String("staple")
                                   ? QStringLiteral("the stapled OCSP response")
                                   : QStringLiteral("the OCSP responder %1").arg(revoked->url);
            failures.append(makeFailure(
                int(index), QStringLiteral("Revocation"), false,
                QStringLiteral("'%1' was revoked on %2%3, according to %4.")
                    .arg(nameOf(certificate), revoked->revokedAt.toString(Qt::ISODate),
                         revoked->reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(revoked->reason), by),
                index == 0 ? QStringLiteral("Get a new certificate issued and install it on the server; a revoked "
                                            "certificate cannot be trusted again.")
                           : QStringLiteral("The CA revoked the intermediate '%1': install the chain the CA issues "
                                            "now, and a leaf issued under it.")
                                 .arg(nameOf(certificate)),
                QString::fromLatin1(X509_verify_cert_error_string(X509_V_ERR_CERT_REVOKED))));
        } else if (!definitive && m_policy.requireRevocation) {
            QStringList reasons;
            for (const RevocationCheck &check : checks)
                reasons.append(QStringLiteral("%1: %2").arg(check.source, check.detail));
            failures.append(makeFailure(
                int(index), QStringLiteral("RevocationResponseRequired"), false,
                QStringLiteral("Whether '%1' is revoked could not be checked (%2).")
                    .arg(nameOf(certificate), reasons.join(QStringLiteral("; "))),
                QStringLiteral("Staple an OCSP response on the server (nginx: ssl_stapling on; Apache: SSLUseStapling "
                               "on), and make the CA's OCSP responder or CRL reachable from the clients."),
                QString::fromLatin1(X509_verify_cert_error_string(X509_V_ERR_UNABLE_TO_GET_CRL))));
        }
        for (RevocationCheck &check : checks) {
            check.certIndex = int(index);
            evaluation.revocation.append(check);
        }
        if (m_cancel && m_cancel->load())
            return;
    }
}

// Apple's limits on a server certificate's lifetime (HT210176, HT211025): 398 days for leaves issued
// from 2020-09-01 under a system root, 825 before that; leaves under the user's own anchors are
// exempt, so there the excess is only an advisory (a public CA could not issue it).
void Evaluator::checkValidityPeriod(Evaluation &evaluation, QList<CheckFailure> &failures) const
{
    const Certificate &leaf = evaluation.path.first().certificate;
    if (!leaf.notBefore.isValid() || !leaf.notAfter.isValid() || evaluation.path.size() < 2)
        return;
    const qint64 days = leaf.notBefore.secsTo(leaf.notAfter) / 86400;
    const QDateTime march2018(QDate(2018, 3, 1), QTime(0, 0), QTimeZone::UTC);
    const QDateTime september2020(QDate(2020, 9, 1), QTime(0, 0), QTimeZone::UTC);
    const bool systemAnchored = evaluation.path.last().role == QLatin1String("anchor") &&
                                evaluation.path.last().source == QLatin1String("system");
    const int publicLimit = leaf.notBefore >= september2020 ? 398 : 825;
    if (leaf.notBefore < march2018 || days <= publicLimit)
        return;
    const QString explanation =
        QStringLiteral("'%1' is valid for %2 days (%3 to %4); certificates from public CAs "
                       "issued since %5 may be valid for at most %6 days.")
            .arg(nameOf(leaf))
            .arg(days)
            .arg(leaf.notBefore.toString(Qt::ISODate), leaf.notAfter.toString(Qt::ISODate),
                 publicLimit == 398 ? QStringLiteral("2020-09-01") : QStringLiteral("2018-03-01"))
            .arg(publicLimit);
    const QString remedy =
        QStringLiteral("Reissue the certificate with a validity of %1 days or less.").arg(publicLimit);
    if (systemAnchored)
        failures.append(makeFailure(0, QStringLiteral("SystemTrustValidityPeriod"), false, explanation, remedy));
    else
        evaluation.advisories.append(makeFailure(
            0, QStringLiteral("ValidityPeriodMaximums"), false,
            explanation + QStringLiteral(" Apple and browsers accept it only because the root is your own."), remedy));
}

// Certificate Transparency (Apple since iOS 12.1.1, Chrome): every SCT verified, and the policy of
// the platform whose roots anchor the verdict (Chrome's under Chrome's store, else Apple's) applied
// to a chain that ends at a platform root; a user's own anchor is exempt unless --require-ct.
void Evaluator::checkCertificateTransparency(const std::vector<int> &chosen, Evaluation &evaluation,
                                             QList<CheckFailure> &failures) const
{
    X509 *leaf = m_candidates[size_t(chosen.front())].x509.get();
    X509 *issuer = chosen.size() > 1 ? m_candidates[size_t(chosen[1])].x509.get() : nullptr;
    const bool publiclyTrusted = evaluation.path.size() > 1 && evaluation.path.last().role == QLatin1String("anchor") &&
                                 evaluation.path.last().source == QLatin1String("system");
    evaluation.ct = ct::evaluate(leaf, issuer, m_policy.deliveredScts, m_time, publiclyTrusted, m_policy.ctLogLists);
    // Whose CT policy the platform store's verdict enforces: this computer's store stands for Apple's
    // (the verdict speaks SecTrust's check keys); the other programs' verdicts report CT only.
    const QString platform = m_platform ? m_platform->name() : QString();
    const bool underChrome = platform == QLatin1String("chrome");
    const bool enforced = underChrome || platform == QLatin1String("apple") || platform == QLatin1String("system");
    ct::PolicyVerdict platformVerdict = underChrome ? evaluation.ct->chrome : evaluation.ct->apple;
    platformVerdict.required = platformVerdict.required && enforced;
    const QString policyName = underChrome ? QStringLiteral("Chrome's CT policy") : QStringLiteral("Apple's CT policy");
    const QString remedy =
        QStringLiteral("The certificate needs %1: have the CA embed SCTs from enough logs (every public CA does "
                       "when asked for a TLS certificate), or deliver them from the server (TLS extension or a "
                       "stapled OCSP response that carries them).");
    if (platformVerdict.required && !platformVerdict.compliant) {
        failures.append(makeFailure(0, QStringLiteral("SystemTrustedCTRequired"), false,
                                    QStringLiteral("The chain ends at a publicly trusted root and fails %1: %2.")
                                        .arg(policyName, platformVerdict.reason),
                                    remedy.arg(platformVerdict.missing)));
    } else if (m_policy.requireCt) {
        const ct::Policy *apple = ct::data().policy(QStringLiteral("apple"));
        const ct::PolicyVerdict demanded = apple ? ct::applyPolicy(*apple, evaluation.ct->scts, leaf, m_time, true)
                                                 : ct::PolicyVerdict{true, false, ct::data().error, {}};
        if (!demanded.compliant)
            failures.append(makeFailure(0, QStringLiteral("CTRequired"), false,
                                        QStringLiteral("Certificate Transparency is required (--require-ct) and the "
                                                       "chain fails %1: %2.")
                                            .arg(policyName, demanded.reason),
                                        remedy.arg(demanded.missing)));
    }
}

Evaluation Evaluator::run()
{
    Evaluation evaluation;
    evaluation.presented = QList<Certificate>(m_storage.cbegin(), m_storage.cend());
    m_time = m_policy.verificationTime.value_or(QDateTime::currentDateTimeUtc());
    evaluation.evaluatedAt = m_time;
    if (m_platform)
        evaluation.platformStore = m_platform->name();
    if (m_candidates.empty()) {
        evaluation.result = QStringLiteral("fatalTrustFailure");
        evaluation.failures.append(makeFailure(0, QStringLiteral("BasicCertificateProcessing"), true,
                                               QStringLiteral("The leaf certificate does not parse."),
                                               QStringLiteral("Send a valid DER certificate.")));
        return evaluation;
    }
    for (int round = 0; round < 4; ++round) {
        std::vector<int> path{0};
        m_complete.clear();
        m_longestIncomplete.clear();
        m_pathsTried = 0;
        m_expansions = 0;
        m_foundClean = false;
        m_issuerCache.clear(); // new candidates may have arrived
        search(path);
        if (!m_complete.empty() || !m_policy.fetchMissingIntermediates || m_longestIncomplete.empty() ||
            !fetchMissingIssuer(m_longestIncomplete, evaluation))
            break;
    }

    // The best path: no failures, else the fewest fatal, then the fewest failures.
    std::vector<int> chosen;
    QList<CheckFailure> failures;
    if (!m_complete.empty()) {
        auto score = [](const Attempt &attempt) {
            const auto fatal = std::count_if(attempt.failures.cbegin(), attempt.failures.cend(),
                                             [](const CheckFailure &f) { return !f.recoverable; });
            return std::pair{qsizetype(fatal), attempt.failures.size()};
        };
        const auto best = std::min_element(m_complete.begin(), m_complete.end(),
                                           [&](const Attempt &a, const Attempt &b) { return score(a) < score(b); });
        chosen = best->path;
        failures = best->failures;
        evaluation.policies = best->policies;
        for (const Attempt &attempt : m_complete) {
            if (&attempt == &*best)
                continue;
            QStringList reasons;
            for (const CheckFailure &failure : attempt.failures)
                reasons.append(QStringLiteral("%1 at %2").arg(failure.key).arg(failure.certIndex));
            evaluation.rejectedPaths.append(QStringLiteral("via '%1' (%2): %3")
                                                .arg(nameOf(*m_candidates[size_t(attempt.path.back())].decoded),
                                                     m_candidates[size_t(attempt.path.back())].source,
                                                     reasons.join(QStringLiteral(", "))));
        }
    } else {
        chosen = m_longestIncomplete.empty() ? std::vector<int>{0} : m_longestIncomplete;
        // Check everything else as if the top were trusted, then add why it is not.
        const PathVerification verification = verifyPath(chosen, true);
        failures = failuresFor(chosen, verification, false);
        evaluation.policies = verification.policies;
    }

    for (size_t index = 0; index < chosen.size(); ++index) {
        const Candidate &candidate = m_candidates[size_t(chosen[index])];
        PathElement element{*candidate.decoded, QString(), candidate.source};
        element.role = index == 0 ? QStringLiteral("leaf")
                                  : (candidate.anchor && index + 1 == chosen.size() ? QStringLiteral("anchor")
                                                                                    : QStringLiteral("intermediate"));
        if (index == 0 && candidate.anchor && chosen.size() == 1)
            element.role = QStringLiteral("anchor");
        if (!evaluation.validUntil.isValid() || candidate.decoded->notAfter < evaluation.validUntil)
            evaluation.validUntil = candidate.decoded->notAfter;
        evaluation.path.append(element);
    }
    if (m_policy.kind == PolicyKind::SslServer && !evaluation.path.isEmpty())
        checkValidityPeriod(evaluation, failures);
    if (m_policy.kind == PolicyKind::SslServer && !evaluation.path.isEmpty())
        checkCertificateTransparency(chosen, evaluation, failures);
    if (m_policy.revocation != RevocationMode::None)
        checkRevocation(chosen, evaluation, failures);
    // A cancelled evaluation may have skipped paths or revocation checks: never trusted.
    if (m_cancel && m_cancel->load())
        failures.append(makeFailure(0, QStringLiteral("BasicCertificateProcessing"), true,
                                    QStringLiteral("The evaluation was cancelled before every check ran."),
                                    QStringLiteral("Evaluate again.")));
    evaluation.failures = failures;
    evaluation.trusted = failures.isEmpty();
    evaluation.result = evaluation.trusted ? QStringLiteral("unspecified")
                                           : (evaluation.hasFatal() ? QStringLiteral("fatalTrustFailure")
                                                                    : QStringLiteral("recoverableTrustFailure"));
    return evaluation;
}

Evaluation evaluate(const Certificate &leaf, const QList<Certificate> &presented, const Policy &policy,
                    const std::atomic_bool *cancel)
{
    Evaluator evaluator(leaf, presented, policy, cancel);
    return evaluator.run();
}

} // namespace trustscope::core::trust
