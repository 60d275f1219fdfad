#include "FetchOptionsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>

namespace trustscope::ui {

using namespace trustscope::core;

FetchOptionsPanel::FetchOptionsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    Widgets &w = m_widgets;
    QWidget *panel = this;
    w.sni = new QLineEdit(panel);
    w.sni->setPlaceholderText(tr("the host name"));
    w.noSni = new QCheckBox(tr("Send no SNI"), panel);
    w.startTls = new QComboBox(panel);
    w.startTls->addItem(tr("Automatic (from the port)"), QString());
    for (const QString &name : tls::startTlsChoices())
        w.startTls->addItem(name, name);
    w.alpn = new QLineEdit(panel);
    w.alpn->setPlaceholderText(QStringLiteral("h2,http/1.1"));
    w.tlsMin = new QComboBox(panel);
    w.tlsMax = new QComboBox(panel);
    for (QComboBox *box : {w.tlsMin, w.tlsMax}) {
        box->addItem(tr("Default"), QString());
        for (const char *version : {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"})
            box->addItem(QString::fromLatin1(version), QString::fromLatin1(version));
    }
    w.timeout = new QSpinBox(panel);
    w.timeout->setObjectName(QStringLiteral("fetchTimeout"));
    w.timeout->setRange(1, 120);
    w.timeout->setValue(10);
    w.timeout->setSuffix(tr(" s"));
    w.proxy = new QLineEdit(panel);
    w.proxy->setPlaceholderText(qEnvironmentVariable("https_proxy", tr("none (http://host:port for CONNECT)")));
    w.proxy->setToolTip(tr("Used for the TLS connection and for AIA, OCSP and CRL downloads. Empty: https_proxy and "
                           "http_proxy from the environment, minus no_proxy; none: connect directly."));
    w.clientCertificate = new QLineEdit(panel);
    w.clientCertificate->setPlaceholderText(tr("PEM with certificate and key"));
    form->addRow(tr("SNI:"), w.sni);
    form->addRow(QString(), w.noSni);
    form->addRow(tr("STARTTLS:"), w.startTls);
    form->addRow(tr("ALPN:"), w.alpn);
    form->addRow(tr("Lowest TLS:"), w.tlsMin);
    form->addRow(tr("Highest TLS:"), w.tlsMax);
    form->addRow(tr("Timeout:"), w.timeout);
    form->addRow(tr("Proxy:"), w.proxy);
    form->addRow(tr("Client certificate:"), w.clientCertificate);
    // Intermittent failures: several connections, compared.
    w.allAddresses = new QCheckBox(tr("Every address of the host (A and AAAA)"), panel);
    w.allAddresses->setObjectName(QStringLiteral("fetchAllAddresses"));
    w.repeat = new QSpinBox(panel);
    w.repeat->setObjectName(QStringLiteral("fetchRepeat"));
    w.repeat->setRange(1, 100);
    w.repeat->setSuffix(tr(" connection(s) each"));
    w.repeat->setAccessibleName(tr("Connections per address"));
    w.interval = new QSpinBox(panel);
    w.interval->setRange(0, 60000);
    w.interval->setSingleStep(100);
    w.interval->setSuffix(tr(" ms apart"));
    w.interval->setAccessibleName(tr("Interval between connections"));
    w.connectTo = new QLineEdit(panel);
    w.connectTo->setObjectName(QStringLiteral("fetchConnectTo"));
    w.connectTo->setPlaceholderText(tr("addresses to try, e.g. 203.0.113.7, [2001:db8::7]:8443"));
    w.connectTo->setAccessibleName(tr("Backend addresses"));
    form->addRow(tr("Backends:"), w.allAddresses);
    form->addRow(QString(), w.repeat);
    form->addRow(QString(), w.interval);
    form->addRow(tr("Connect to:"), w.connectTo);
}

tls::FetchOptions FetchOptionsPanel::options() const
{
    const Widgets &w = m_widgets;
    tls::FetchOptions options;
    options.sni = w.sni->text().trimmed();
    options.noSni = w.noSni->isChecked();
    if (const QString name = w.startTls->currentData().toString(); !name.isEmpty())
        options.startTls = tls::startTlsFromName(name);
    options.alpn = w.alpn->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.tlsMin = w.tlsMin->currentData().toString();
    options.tlsMax = w.tlsMax->currentData().toString();
    options.connectTimeoutMs = options.handshakeTimeoutMs = w.timeout->value() * 1000;
    options.proxy = w.proxy->text().trimmed(); // empty: the environment's (https_proxy, no_proxy), resolved in core
    options.trace = true;                      // cheap, and the Trace tab answers "which end failed"
    return options;
}

QString FetchOptionsPanel::proxy() const
{
    return m_widgets.proxy->text().trimmed();
}

QString FetchOptionsPanel::clientCertificatePath() const
{
    return m_widgets.clientCertificate->text().trimmed();
}

FetchOptionsPanel::Backends FetchOptionsPanel::backends() const
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    return Backends{m_widgets.allAddresses->isChecked(), m_widgets.repeat->value(), m_widgets.interval->value(),
                    m_widgets.connectTo->text().split(separators, Qt::SkipEmptyParts)};
}

void FetchOptionsPanel::setBackends(const Backends &backends)
{
    m_widgets.allAddresses->setChecked(backends.allAddresses);
    m_widgets.repeat->setValue(backends.repeat);
    m_widgets.interval->setValue(backends.intervalMs);
    m_widgets.connectTo->setText(backends.connectTo.join(QStringLiteral(", ")));
}

// What the user chose last time becomes the default.
void FetchOptionsPanel::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("timeoutSeconds"), m_widgets.timeout->value());
    settings.setValue(QStringLiteral("proxy"), m_widgets.proxy->text());
    settings.setValue(QStringLiteral("alpn"), m_widgets.alpn->text());
    settings.setValue(QStringLiteral("tlsMin"), m_widgets.tlsMin->currentText());
    settings.setValue(QStringLiteral("tlsMax"), m_widgets.tlsMax->currentText());
}

void FetchOptionsPanel::restoreSettings(QSettings &settings)
{
    m_widgets.timeout->setValue(settings.value(QStringLiteral("timeoutSeconds"), m_widgets.timeout->value()).toInt());
    m_widgets.proxy->setText(settings.value(QStringLiteral("proxy")).toString());
    m_widgets.alpn->setText(settings.value(QStringLiteral("alpn"), m_widgets.alpn->text()).toString());
    for (auto [combo, key] : {std::pair{m_widgets.tlsMin, "tlsMin"}, std::pair{m_widgets.tlsMax, "tlsMax"}}) {
        const int index = combo->findText(settings.value(QLatin1String(key)).toString());
        if (index >= 0)
            combo->setCurrentIndex(index);
    }
}

} // namespace trustscope::ui
