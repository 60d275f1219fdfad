#include "tls/FetchReport.h"

#include "x509/Report.h"

#include <QJsonArray>

namespace trustscope::core::tls {

QJsonObject toJson(const FetchResult &result)
{
    QJsonArray chain;
    for (const Certificate &certificate : result.presentedChain)
        chain.append(core::toJson(certificate));
    QJsonObject json{
        {QStringLiteral("host"), result.host},
        {QStringLiteral("port"), result.port},
        {QStringLiteral("address"), result.address},
        {QStringLiteral("sni"), result.sni.isEmpty() ? QJsonValue() : QJsonValue(result.sni)},
        {QStringLiteral("startTls"), result.startTls.isEmpty() ? QJsonValue() : QJsonValue(result.startTls)},
        {QStringLiteral("protocol"), result.protocol},
        {QStringLiteral("cipher"), result.cipher},
        {QStringLiteral("group"), result.group},
        {QStringLiteral("peerSignature"), result.peerSignature},
        {QStringLiteral("alpn"), result.alpn.isEmpty() ? QJsonValue() : QJsonValue(result.alpn)},
        {QStringLiteral("presentedChain"), chain},
        {QStringLiteral("stapledSctCount"), result.stapledSctCount},
        {QStringLiteral("clientCertificateRequested"), result.clientCertificateRequested},
        {QStringLiteral("acceptableClientCAs"), QJsonArray::fromStringList(result.acceptableClientCAs)},
        {QStringLiteral("elapsedMs"), result.elapsedMs}};
    QJsonArray scts;
    for (const SignedCertificateTimestamp &sct : result.scts)
        scts.append(QJsonObject{
            {QStringLiteral("source"), sct.source},
            {QStringLiteral("version"), sct.version},
            {QStringLiteral("logId"), sct.logId},
            {QStringLiteral("timestamp"), sct.timestamp.toString(Qt::ISODateWithMs)}, // CT counts milliseconds
            {QStringLiteral("signatureAlgorithm"), sct.signatureAlgorithm}});
    json.insert(QStringLiteral("scts"), scts);
    if (result.ocspStaple) {
        PkiObject staple{*result.ocspStaple, QStringLiteral("TLS"), -1};
        json.insert(QStringLiteral("ocspStaple"), core::toJson(staple));
    } else {
        json.insert(QStringLiteral("ocspStaple"), QJsonValue());
    }
    if (result.alert)
        json.insert(QStringLiteral("alert"), QJsonObject{{QStringLiteral("code"), result.alert->code},
                                                         {QStringLiteral("name"), result.alert->name},
                                                         {QStringLiteral("direction"), result.alert->direction},
                                                         {QStringLiteral("appleCode"), result.alert->appleCode},
                                                         {QStringLiteral("appleName"), result.alert->appleName},
                                                         {QStringLiteral("appleLikely"), result.alert->appleLikely}});
    else
        json.insert(QStringLiteral("alert"), QJsonValue());
    json.insert(QStringLiteral("error"),
                result.ok() ? QJsonValue()
                            : QJsonValue(QJsonObject{{QStringLiteral("stage"), result.errorStage},
                                                     {QStringLiteral("message"), result.errorMessage}}));
    if (!result.trace.isEmpty())
        json.insert(QStringLiteral("trace"), traceJson(result.trace));
    return json;
}

QJsonArray traceJson(const QList<TraceEvent> &trace)
{
    QJsonArray events;
    for (const TraceEvent &event : trace)
        events.append(QJsonObject{{QStringLiteral("atMs"), qRound(event.atMs * 10) / 10.0},
                                  {QStringLiteral("direction"), event.direction},
                                  {QStringLiteral("record"), event.record},
                                  {QStringLiteral("message"), event.message},
                                  {QStringLiteral("length"), event.length},
                                  {QStringLiteral("facts"), QJsonArray::fromStringList(event.facts)}});
    return events;
}

QString toText(const FetchResult &result)
{
    QString text = QStringLiteral("%1 port %2").arg(result.host).arg(result.port);
    if (!result.address.isEmpty())
        text += QStringLiteral(" (%1)").arg(result.address);
    text += QLatin1Char('\n');
    if (!result.ok()) {
        text += QStringLiteral("  failed at %1: %2\n").arg(result.errorStage, result.errorMessage);
        if (result.alert)
            text += QStringLiteral("  alert %1 %2 (%3); on Apple platforms %4 %5%6\n")
                        .arg(result.alert->direction, result.alert->name)
                        .arg(result.alert->code)
                        .arg(result.alert->appleName)
                        .arg(result.alert->appleCode)
                        .arg(result.alert->appleLikely ? QStringLiteral(" (likely)") : QString());
        if (!result.trace.isEmpty())
            text += QStringLiteral("  Handshake trace:\n") + traceText(result.trace);
        return text;
    }
    const auto line = [&text](const QString &name, const QString &value) {
        if (!value.isEmpty())
            text += QStringLiteral("  %1 %2\n").arg(name + QLatin1Char(':'), -14).arg(value);
    };
    line(QStringLiteral("STARTTLS"), result.startTls);
    line(QStringLiteral("SNI"), result.sni.isEmpty() ? QStringLiteral("(none)") : result.sni);
    line(QStringLiteral("Protocol"), result.protocol);
    line(QStringLiteral("Cipher"), result.cipher);
    line(QStringLiteral("Group"), result.group);
    line(QStringLiteral("Signature"), result.peerSignature);
    line(QStringLiteral("ALPN"), result.alpn);
    line(QStringLiteral("OCSP staple"),
         result.ocspStaple ? result.ocspStaple->responseStatus +
                                 (result.ocspStaple->responses.isEmpty()
                                      ? QString()
                                      : QStringLiteral(", ") + result.ocspStaple->responses.first().status)
                           : QStringLiteral("none"));
    for (const SignedCertificateTimestamp &sct : result.scts)
        line(QStringLiteral("SCT"),
             QStringLiteral("log %1, %2, from the %3").arg(sct.logId, isoUtc(sct.timestamp), sct.source));
    if (result.clientCertificateRequested)
        line(QStringLiteral("Client cert"),
             QStringLiteral("requested") +
                 (result.acceptableClientCAs.isEmpty()
                      ? QString()
                      : QStringLiteral(" from: ") + result.acceptableClientCAs.join(QStringLiteral("; "))));
    text += QStringLiteral("  Chain as sent (%1):\n").arg(result.presentedChain.size());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (qsizetype index = 0; index < result.presentedChain.size(); ++index) {
        const Certificate &certificate = result.presentedChain.at(index);
        text += QStringLiteral("   %1 %2\n       issuer %3\n       %4, SHA-256 %5\n")
                    .arg(index)
                    .arg(certificate.subject.rfc4514, certificate.issuer.rfc4514, certificate.validityDescription(now),
                         certificate.sha256Hex.left(16) + QStringLiteral("…"));
    }
    if (!result.trace.isEmpty())
        text += QStringLiteral("  Handshake trace:\n") + traceText(result.trace);
    return text;
}

} // namespace trustscope::core::tls
