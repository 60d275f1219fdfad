#include "net/Proxy.h"

#include <QStringList>
#include <QUrl>

namespace trustscope::core::net {

QString ProxyAddress::display() const
{
    return (host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host) + QLatin1Char(':') +
           QString::number(port);
}

bool exemptFromProxy(const QString &noProxy, const QString &host)
{
    const QString target = host.toLower();
    for (QString entry : noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry.isEmpty())
            continue;
        if (entry == QLatin1String("*"))
            return true;
        // "example.org:8080" names a port we do not distinguish; "[::1]" brackets an address.
        if (!entry.startsWith(QLatin1Char('[')) && entry.count(QLatin1Char(':')) == 1)
            entry = entry.section(QLatin1Char(':'), 0, 0);
        entry.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
        if (entry.startsWith(QLatin1Char('.')))
            entry = entry.mid(1);
        if (target == entry || target.endsWith(QLatin1Char('.') + entry))
            return true;
    }
    return false;
}

Result<std::optional<ProxyAddress>> proxyFor(const QString &setting, const QString &targetHost, bool forTls)
{
    QString chosen = setting.trimmed();
    if (chosen.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0 ||
        chosen.compare(QLatin1String("direct"), Qt::CaseInsensitive) == 0)
        return std::nullopt;
    if (chosen.isEmpty()) {
        for (const char *name : forTls ? std::initializer_list<const char *>{"https_proxy", "HTTPS_PROXY"}
                                       : std::initializer_list<const char *>{"http_proxy", "HTTP_PROXY"}) {
            chosen = qEnvironmentVariable(name).trimmed();
            if (!chosen.isEmpty())
                break;
        }
        if (chosen.isEmpty())
            return std::nullopt;
    }
    const QString noProxy =
        qEnvironmentVariableIsSet("no_proxy") ? qEnvironmentVariable("no_proxy") : qEnvironmentVariable("NO_PROXY");
    if (exemptFromProxy(noProxy, targetHost))
        return std::nullopt;
    const QUrl url(chosen.contains(QLatin1String("://")) ? chosen : QStringLiteral("http://") + chosen);
    if (!url.isValid() || url.host().isEmpty() || url.scheme() != QLatin1String("http"))
        return fail(Error::Code::InvalidInput,
                    QStringLiteral("'%1' is not a proxy URL (http://host:port, or none)").arg(chosen));
    return ProxyAddress{url.host(), quint16(url.port(8080))};
}

} // namespace trustscope::core::net
