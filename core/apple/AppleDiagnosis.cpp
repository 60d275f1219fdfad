#include "apple/AppleDiagnosis.h"

#include "apple/AppleTables.h"
#include "tls/TlsAlerts.h"
#include "trust/CheckKeys.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <set>

namespace trustscope::core::apple {

namespace {

const CodeInfo *findCode(std::span<const CodeInfo> table, int value)
{
    const auto found =
        std::find_if(table.begin(), table.end(), [value](const CodeInfo &code) { return code.value == value; });
    return found != table.end() ? &*found : nullptr;
}

const CodeInfo *findCode(std::span<const CodeInfo> table, QStringView name)
{
    const auto found = std::find_if(table.begin(), table.end(),
                                    [name](const CodeInfo &code) { return name == QLatin1String(code.name); });
    return found != table.end() ? &*found : nullptr;
}

// NSURLErrorDomain codes for network failures before TLS: public SDK values (NSURLError.h).
constexpr CodeInfo kNetworkNsurlCodes[] = {
    {"NSURLErrorTimedOut", -1001, "no answer within the request's timeout"},
    {"NSURLErrorCannotFindHost", -1003, "the host name does not resolve"},
    {"NSURLErrorCannotConnectToHost", -1004, "the TCP connection was refused or failed"},
    {"NSURLErrorNetworkConnectionLost", -1005, "the connection dropped while the request was under way"},
};

const CodeInfo *findNsurl(int value)
{
    if (const CodeInfo *code = findCode(nsurlCodes(), value))
        return code;
    return findCode(kNetworkNsurlCodes, value);
}

const CodeInfo *findNsurl(QStringView name)
{
    if (const CodeInfo *code = findCode(nsurlCodes(), name))
        return code;
    return findCode(kNetworkNsurlCodes, name);
}

QString subtypeOf(const QString &checkKey)
{
    for (const SubtypeInfo &info : checkSubtypes())
        if (checkKey == QLatin1String(info.checkKey))
            return QString::fromLatin1(info.subtype);
    return QStringLiteral("Invalid"); // our own checks (NotCA, ChainLength …)
}

int priorityOf(const QString &subtype)
{
    const auto order = subtypePriority();
    for (size_t index = 0; index < order.size(); ++index)
        if (subtype == QLatin1String(order[index]))
            return int(index);
    return int(order.size());
}

void setErrSsl(AppleView &view, int value)
{
    view.errSsl = value;
    if (const CodeInfo *code = findCode(errSslCodes(), value))
        view.errSslName = QString::fromLatin1(code->name);
}

void setNsurl(AppleView &view, int value)
{
    view.nsurlError = value;
    if (const CodeInfo *code = findNsurl(value))
        view.nsurlErrorName = QString::fromLatin1(code->name);
}

struct Notes {
    const char *causes;
    const char *nextSteps;
};

// Our own words for the codes people meet most. Codes without notes get their meaning only.
Notes notesFor(const QString &domain, int code)
{
    if (domain == QLatin1String("errSSL")) {
        switch (code) {
        case -9800:
            return {"The TLS handshake broke a protocol rule: often a middlebox or a server speaking something "
                    "other than TLS on that port.",
                    "Fetch the server with Trustscope; check the port and that no proxy rewrites the connection."};
        case -9801:
            return {"Client and server share no cipher suite or protocol version.",
                    "Run `trustscope-cli ats HOST` to see which TLS versions and suites the server offers."};
        case -9802:
            return {"A fatal alert ended the handshake. With App Transport Security this is what an ATS violation "
                    "(TLS below 1.2, no forward secrecy, weak key or hash) or a pinning mismatch looks like.",
                    "Run `trustscope-cli ats HOST`; check NSPinnedDomains against the server's keys."};
        case -9806:
        case -9816:
        case -9852:
            return {"The server closed the connection during the handshake: it rejected something in the "
                    "ClientHello (protocol version, SNI, cipher suites) or a load balancer dropped it.",
                    "Fetch with Trustscope using the same host name (SNI); try --tls-max TLSv1.2."};
        case -9807:
            return {"The chain the server sent does not lead to a trusted root: usually a missing intermediate, "
                    "sometimes a self-signed or private CA, an expired certificate or a name mismatch.",
                    "Fetch the server in Trustscope: the trust panel names the failing check and the fix."};
        case -9808:
            return {"A certificate could not be parsed.", "Open the server's certificate in Trustscope to see which "
                                                          "field is malformed."};
        case -9812:
        case -9813:
            return {"The chain ends at a root the device does not trust: a self-signed certificate, a private or "
                    "corporate CA, or a missing intermediate so that no trusted root is reached.",
                    "Install a certificate from a public CA and send the full chain; for a private CA, install its "
                    "root as a trusted profile on the device."};
        case -9814:
        case -9815:
            return {"A certificate in the chain is outside its validity period, or the device's clock is wrong.",
                    "Check the dates in Trustscope; renew the certificate; check the device's date and time."};
        case -9824:
            return {"The server answered with handshake_failure: no common cipher suite or version, or the server "
                    "requires a client certificate or SNI.",
                    "Fetch with Trustscope to see the alert; run `trustscope-cli ats HOST`."};
        case -9825:
        case -9829:
        case -9831:
            return {"The server rejected the client's certificate (or the lack of one): mutual TLS is required.",
                    "Configure the client certificate the server expects; Trustscope lists the acceptable CAs."};
        case -9836:
            return {"The server does not support the TLS version the client offered.",
                    "Enable TLS 1.2 and 1.3 on the server."};
        case -9843:
            return {"The certificate does not name the host the app connected to (Apple only reads the SAN, "
                    "never the common name).",
                    "Issue a certificate whose subject alternative names include the host."};
        case -9863:
            return {"The server requires a client certificate and none was sent.",
                    "Configure a client identity for the connection."};
        case -9880:
        case -9881:
        case -9882:
        case -9883:
        case -9884:
        case -9885:
        case -9886:
            return {"App Transport Security refused the server: TLS below 1.2, no forward-secret cipher suite, a "
                    "weak key or signature hash, or an untrusted or unpinned certificate.",
                    "Run `trustscope-cli ats HOST` for the failing requirement and the exception that would "
                    "allow it (fixing the server is better)."};
        default:
            break;
        }
    } else if (domain == QLatin1String("NSURLErrorDomain")) {
        switch (code) {
        case -1200:
            return {"The TLS connection failed for a reason other than trust: a handshake alert, an ATS "
                    "violation, a pinning mismatch or a dropped connection. The underlying errSSL code says which.",
                    "Look for _kCFStreamErrorCodeKey in the error's userInfo; run `trustscope-cli ats HOST`."};
        case -1201:
        case -1204:
            return {"A certificate is expired or not yet valid (or the device's clock is wrong).",
                    "Check the certificate dates in Trustscope and renew."};
        case -1202:
        case -1203:
            return {"Server trust evaluation failed: missing intermediate, untrusted or self-signed root, name "
                    "mismatch or expiry.",
                    "Fetch the server in Trustscope: the trust panel shows the check that failed and the fix."};
        case -1205:
        case -1206:
            return {"The server requires a client certificate, or rejected the one sent.",
                    "Supply the client identity the server expects."};
        case -1022:
            return {"ATS blocked a cleartext http:// load.",
                    "Use https://, or add an NSExceptionAllowsInsecureHTTPLoads exception for that domain."};
        case -1001:
            return {"No answer within the timeout.", "Check that the host is reachable on that port."};
        case -1003:
            return {"DNS did not resolve the host.", "Check the host name and the device's DNS."};
        case -1004:
            return {"Nothing accepted the TCP connection.", "Check the port, firewalls and that the service runs."};
        default:
            break;
        }
    } else if (domain == QLatin1String("OSStatus")) {
        switch (code) {
        case -67843:
            return {"The chain does not end at a trusted root.",
                    "Send the full chain from a public CA, or install the private root on the device."};
        case -67602:
            return {"The host name is not in the certificate's subject alternative names.",
                    "Issue a certificate that names the host in its SAN."};
        case -67818:
            return {"A certificate is expired.", "Renew it and install the new one on the server."};
        case -67820:
            return {"A certificate in the chain was revoked by its CA.", "Get a new certificate issued."};
        case -25318:
            return {"No path could be built: an intermediate is missing.",
                    "Configure the server to send its intermediate certificates after the leaf."};
        default:
            break;
        }
    }
    return {nullptr, nullptr};
}

} // namespace

QString AppleView::logLine() const
{
    if (!isFailure())
        return {};
    QString line = QStringLiteral("NSURLErrorDomain %1 (%2)").arg(nsurlError).arg(nsurlErrorName);
    if (errSsl != 0)
        line += QStringLiteral(", kCFStreamErrorDomainSSL %1 (%2)").arg(errSsl).arg(errSslName);
    if (osStatus != 0)
        line += QStringLiteral(", OSStatus %1 (%2)").arg(osStatus).arg(osStatusName);
    return line;
}

AppleView appleViewOf(const trust::Evaluation &evaluation)
{
    AppleView view;
    static const std::pair<const char *, int> trustResults[] = {
        {"proceed", 1}, {"unspecified", 4}, {"recoverableTrustFailure", 5}, {"fatalTrustFailure", 6}};
    for (const auto &[name, value] : trustResults)
        if (evaluation.result == QLatin1String(name)) {
            view.trustResult = QStringLiteral("kSecTrustResult") + QString::fromLatin1(name).left(1).toUpper() +
                               QString::fromLatin1(name).mid(1);
            view.trustResultValue = value;
        }
    if (evaluation.trusted)
        return view;
    // SecTrustEvaluateWithError reports the highest-priority failure (ties: the lowest index).
    const trust::CheckFailure *top = nullptr;
    for (const trust::CheckFailure &failure : evaluation.failures) {
        if (!view.checkKeys.contains(failure.key))
            view.checkKeys.append(failure.key);
        if (!top || priorityOf(subtypeOf(failure.key)) < priorityOf(subtypeOf(top->key)))
            top = &failure;
    }
    if (top) {
        if (const trust::CheckKeyInfo *info = trust::checkKey(top->key); info && info->osStatus != 0) {
            view.osStatus = info->osStatus;
            view.osStatusName = QString::fromLatin1(info->osStatusName);
        } else {
            view.osStatus = -67843;
            view.osStatusName = QStringLiteral("errSecNotTrusted");
        }
    }
    // The TLS layer's code and the URL loading error are inferred (CFNetwork's mapping is closed).
    int errSsl = -9807; // errSSLXCertChainInvalid, the default for a failed trust evaluation
    const QString key = top ? top->key : QString();
    if (key == QLatin1String("AnchorTrusted"))
        errSsl = -9813;
    else if (key == QLatin1String("SSLHostname"))
        errSsl = -9843;
    else if (key == QLatin1String("TemporalValidity") || key == QLatin1String("ValidLeaf"))
        errSsl = -9814;
    else if (key == QLatin1String("LeafSPKISHA256") || key == QLatin1String("CAspkiSHA256"))
        errSsl = -9886;
    setErrSsl(view, errSsl);
    setNsurl(view, errSsl == -9886 ? -1200 : -1202);
    view.likely = true;
    return view;
}

AppleView appleViewOf(const tls::FetchResult &fetch)
{
    AppleView view;
    if (fetch.ok())
        return view;
    const QString stage = fetch.errorStage;
    if (stage == QLatin1String("DNS")) {
        setNsurl(view, -1003);
    } else if (stage == QLatin1String("TCP connect") || stage == QLatin1String("proxy")) {
        setNsurl(view, fetch.errorMessage.contains(QLatin1String("timed out")) ? -1001 : -1004);
    } else if (fetch.alert && fetch.alert->direction == QLatin1String("received")) {
        view.errSsl = fetch.alert->appleCode;
        view.errSslName = fetch.alert->appleName;
        view.likely = fetch.alert->appleLikely;
        setNsurl(view, -1200);
    } else if (fetch.errorMessage.contains(QLatin1String("timed out"))) {
        setErrSsl(view, -9853);
        setNsurl(view, -1001);
    } else {
        // The peer hung up or sent something that is not TLS.
        setErrSsl(view, fetch.errorMessage.contains(QLatin1String("eof"), Qt::CaseInsensitive) ? -9816 : -9800);
        setNsurl(view, -1200);
        view.likely = true;
    }
    return view;
}

QJsonObject toJson(const AppleView &view)
{
    const auto nullable = [](int value) { return value != 0 ? QJsonValue(value) : QJsonValue(); };
    const auto text = [](const QString &value) { return value.isEmpty() ? QJsonValue() : QJsonValue(value); };
    return {{QStringLiteral("osStatus"), nullable(view.osStatus)},
            {QStringLiteral("osStatusName"), text(view.osStatusName)},
            {QStringLiteral("errSSL"), nullable(view.errSsl)},
            {QStringLiteral("errSSLName"), text(view.errSslName)},
            {QStringLiteral("nsurlError"), nullable(view.nsurlError)},
            {QStringLiteral("nsurlErrorName"), text(view.nsurlErrorName)},
            {QStringLiteral("trustResult"), text(view.trustResult)},
            {QStringLiteral("trustResultValue"),
             view.trustResultValue >= 0 ? QJsonValue(view.trustResultValue) : QJsonValue()},
            {QStringLiteral("checkKeys"), QJsonArray::fromStringList(view.checkKeys)},
            {QStringLiteral("likely"), view.likely},
            {QStringLiteral("store"), view.storeName.isEmpty()
                                          ? QJsonValue()
                                          : QJsonValue(QJsonObject{{QStringLiteral("name"), view.storeName},
                                                                   {QStringLiteral("date"), text(view.storeDate)}})},
            {QStringLiteral("anchorsNote"), text(view.anchorsNote)}};
}

Explanation explain(const QString &text)
{
    Explanation result;
    std::set<std::pair<QString, int>> seen;
    struct Found {
        qsizetype position;
        CodeExplanation code;
    };
    QList<Found> found;
    const auto add = [&](qsizetype position, const QString &matched, const QString &domain, int value, const char *name,
                         const char *meaning, bool likely = false) {
        if (!seen.insert({domain, value}).second)
            return;
        CodeExplanation code;
        code.matched = matched;
        code.domain = domain;
        code.code = value;
        code.name = QString::fromLatin1(name);
        code.meaning = QString::fromUtf8(meaning);
        code.likely = likely;
        const Notes notes = notesFor(domain, value);
        code.causes = notes.causes ? QString::fromUtf8(notes.causes) : QString();
        code.nextSteps = notes.nextSteps ? QString::fromUtf8(notes.nextSteps)
                                         : QStringLiteral("Fetch the server in Trustscope to see the handshake and "
                                                          "the trust verdict.");
        found.append({position, code});
    };
    const auto addErrSsl = [&](qsizetype position, const QString &matched, int value) {
        if (const CodeInfo *info = findCode(errSslCodes(), value))
            add(position, matched, QStringLiteral("errSSL"), value, info->name, info->meaning);
    };
    const auto addNsurl = [&](qsizetype position, const QString &matched, int value) {
        if (const CodeInfo *info = findNsurl(value))
            add(position, matched, QStringLiteral("NSURLErrorDomain"), value, info->name, info->meaning);
    };
    const auto addOsStatus = [&](qsizetype position, const QString &matched, int value) {
        for (const QString &key :
             {QStringLiteral("AnchorTrusted"), QStringLiteral("SSLHostname"), QStringLiteral("TemporalValidity"),
              QStringLiteral("Revocation"), QStringLiteral("MissingIntermediate"), QStringLiteral("ExtendedKeyUsage"),
              QStringLiteral("WeakKeySize"), QStringLiteral("WeakSignature"), QStringLiteral("NotValidBefore"),
              QStringLiteral("RevocationResponseRequired"), QStringLiteral("KeyUsage"),
              QStringLiteral("BasicConstraints")})
            if (const trust::CheckKeyInfo *info = trust::checkKey(key); info && info->osStatus == value) {
                add(position, matched, QStringLiteral("OSStatus"), value, info->osStatusName, info->description);
                return;
            }
    };

    // Names first: errSSL…, NSURLError…, errSec….
    static const QRegularExpression names(QStringLiteral(R"(\b(errSSL\w+|NSURLError\w+|errSec\w+)\b)"));
    for (auto match = names.globalMatch(text); match.hasNext();) {
        const auto hit = match.next();
        const QString name = hit.captured(1);
        if (const CodeInfo *info = findCode(errSslCodes(), name))
            add(hit.capturedStart(), name, QStringLiteral("errSSL"), info->value, info->name, info->meaning);
        else if (const CodeInfo *nsurl = findNsurl(name))
            add(hit.capturedStart(), name, QStringLiteral("NSURLErrorDomain"), nsurl->value, nsurl->name,
                nsurl->meaning);
        else
            for (const QString &key :
                 {QStringLiteral("AnchorTrusted"), QStringLiteral("SSLHostname"), QStringLiteral("TemporalValidity"),
                  QStringLiteral("Revocation"), QStringLiteral("MissingIntermediate")})
                if (const trust::CheckKeyInfo *keyInfo = trust::checkKey(key);
                    keyInfo && name == QLatin1String(keyInfo->osStatusName))
                    add(hit.capturedStart(), name, QStringLiteral("OSStatus"), keyInfo->osStatus, keyInfo->osStatusName,
                        keyInfo->description);
    }
    // CFNetwork's "domain:code" pairs (TIC SSL Trust Error … 3:-9807): domain 3 is SSL.
    static const QRegularExpression pairs(QStringLiteral(R"((?<![\w-])(\d{1,2}):(-\d{3,5})\b)"));
    for (auto match = pairs.globalMatch(text); match.hasNext();) {
        const auto hit = match.next();
        if (hit.captured(1) == QLatin1String("3"))
            addErrSsl(hit.capturedStart(), hit.captured(0), hit.captured(2).toInt());
    }
    // Bare negative numbers, classified by range.
    static const QRegularExpression numbers(QStringLiteral(R"((?<![\w.:-])(-\d{4,5})\b)"));
    for (auto match = numbers.globalMatch(text); match.hasNext();) {
        const auto hit = match.next();
        const int value = hit.captured(1).toInt();
        if (value <= -9800 && value >= -9899)
            addErrSsl(hit.capturedStart(), hit.captured(1), value);
        else if (value <= -1000 && value >= -2000)
            addNsurl(hit.capturedStart(), hit.captured(1), value);
        else if (value <= -25000)
            addOsStatus(hit.capturedStart(), hit.captured(1), value);
    }
    // TLS alerts: "alert 42", "SSL alert number 48", "TLS alert handshake_failure (40)".
    static const QRegularExpression alerts(QStringLiteral(R"(\balert\D{0,24}?\b(\d{1,3})\b)"),
                                           QRegularExpression::CaseInsensitiveOption);
    for (auto match = alerts.globalMatch(text); match.hasNext();) {
        const auto hit = match.next();
        const int alert = hit.captured(1).toInt();
        if (const tls::TlsAlertInfo *info = tls::tlsAlert(alert)) {
            const QString meaning = QStringLiteral("TLS alert %1 (%2); Apple platforms report it as %3 (%4)")
                                        .arg(alert)
                                        .arg(QString::fromLatin1(info->rfcName), QString::fromLatin1(info->errSslName))
                                        .arg(info->errSslValue);
            const QByteArray meaningUtf8 = meaning.toUtf8();
            add(hit.capturedStart(), hit.captured(0), QStringLiteral("TLS alert"), alert, info->rfcName,
                meaningUtf8.constData(), info->likely);
            found.last().code.causes =
                notesFor(QStringLiteral("errSSL"), info->errSslValue).causes
                    ? QString::fromUtf8(notesFor(QStringLiteral("errSSL"), info->errSslValue).causes)
                    : QString();
        }
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const Found &a, const Found &b) { return a.position < b.position; });
    for (const Found &item : std::as_const(found))
        result.codes.append(item.code);

    // A server named in the text: a URL, else host:port.
    static const QRegularExpression url(
        QStringLiteral(R"(\b(?:https?|wss?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d+))?)"));
    static const QRegularExpression hostPort(QStringLiteral(R"(\b([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+):(\d{2,5})\b)"));
    if (const auto hit = url.match(text); hit.hasMatch()) {
        result.host = hit.captured(1);
        result.port = hit.captured(2).isEmpty()
                          ? (text.mid(hit.capturedStart(), 5).startsWith(QLatin1String("http:")) ? 80 : 443)
                          : quint16(hit.captured(2).toUInt());
    } else if (const auto pair = hostPort.match(text); pair.hasMatch()) {
        result.host = pair.captured(1);
        result.port = quint16(pair.captured(2).toUInt());
    }
    return result;
}

QJsonObject toJson(const Explanation &explanation)
{
    QJsonArray codes;
    for (const CodeExplanation &code : explanation.codes)
        codes.append(QJsonObject{{QStringLiteral("matched"), code.matched},
                                 {QStringLiteral("domain"), code.domain},
                                 {QStringLiteral("code"), code.code},
                                 {QStringLiteral("name"), code.name},
                                 {QStringLiteral("meaning"), code.meaning},
                                 {QStringLiteral("causes"), code.causes},
                                 {QStringLiteral("nextSteps"), code.nextSteps},
                                 {QStringLiteral("likely"), code.likely}});
    return {{QStringLiteral("codes"), codes},
            {QStringLiteral("host"), explanation.host.isEmpty() ? QJsonValue() : QJsonValue(explanation.host)},
            {QStringLiteral("port"), explanation.port ? QJsonValue(explanation.port) : QJsonValue()}};
}

QString toText(const Explanation &explanation)
{
    if (explanation.codes.isEmpty())
        return QStringLiteral("No Apple, TLS or URL-loading error code recognised.\n");
    QString text;
    for (const CodeExplanation &code : explanation.codes) {
        text += QStringLiteral("%1 %2 (%3)%4\n  %5\n")
                    .arg(code.domain)
                    .arg(code.code)
                    .arg(code.name, code.likely ? QStringLiteral(", likely") : QString(), code.meaning);
        if (!code.causes.isEmpty())
            text += QStringLiteral("  Usual causes: %1\n").arg(code.causes);
        text += QStringLiteral("  Next: %1\n").arg(code.nextSteps);
    }
    if (!explanation.host.isEmpty())
        text += QStringLiteral("\nInspect the server: trustscope-cli verify --fetch %1:%2\n")
                    .arg(explanation.host)
                    .arg(explanation.port);
    return text;
}

QString pinnedDomainsPlist(const QString &host, const QList<Certificate> &chain, bool includeSubdomains)
{
    const auto identities = [](const QList<Certificate> &certificates) {
        QString xml;
        for (const Certificate &certificate : certificates)
            xml +=
                QStringLiteral("\t\t\t\t<dict>\n\t\t\t\t\t<key>SPKI-SHA256-BASE64</key>\n\t\t\t\t\t<string>%1</string>"
                               "\n\t\t\t\t</dict>\n")
                    .arg(certificate.publicKey.spkiSha256Base64);
        return xml;
    };
    const QList<Certificate> leaf = chain.mid(0, 1);
    const QList<Certificate> authorities = chain.mid(1);
    QString xml = QStringLiteral("<key>NSAppTransportSecurity</key>\n<dict>\n\t<key>NSPinnedDomains</key>\n\t<dict>\n"
                                 "\t\t<key>%1</key>\n\t\t<dict>\n\t\t\t<key>NSIncludesSubdomains</key>\n\t\t\t<%2/>\n")
                      .arg(host.toHtmlEscaped(), includeSubdomains ? QStringLiteral("true") : QStringLiteral("false"));
    if (!authorities.isEmpty())
        xml += QStringLiteral("\t\t\t<key>NSPinnedCAIdentities</key>\n\t\t\t<array>\n%1\t\t\t</array>\n")
                   .arg(identities(authorities));
    if (!leaf.isEmpty())
        xml += QStringLiteral("\t\t\t<key>NSPinnedLeafIdentities</key>\n\t\t\t<array>\n%1\t\t\t</array>\n")
                   .arg(identities(leaf));
    xml += QStringLiteral("\t\t</dict>\n\t</dict>\n</dict>\n");
    return xml;
}

} // namespace trustscope::core::apple
