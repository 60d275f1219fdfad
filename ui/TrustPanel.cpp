#include "TrustPanel.h"

#include <QLabel>
#include <QVBoxLayout>

namespace trustscope::ui {

using namespace trustscope::core;

TrustPanel::TrustPanel(QWidget *parent)
    : QWidget(parent)
    , m_banner(new QLabel(this))
    , m_body(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    m_banner->setWordWrap(true);
    m_banner->setMargin(10);
    m_banner->setAccessibleName(tr("Trust verdict"));
    m_body->setWordWrap(true);
    m_body->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_body->setAccessibleName(tr("Trust details"));
    layout->addWidget(m_banner);
    layout->addWidget(m_body, 1);
    setMinimumWidth(220);
    showObject(nullptr);
}

QString TrustPanel::headline() const { return m_banner->text(); }

void TrustPanel::setVerdict(Verdict verdict, const QString &headline, const QString &body)
{
    m_verdict = verdict;
    QString background, foreground = QStringLiteral("#ffffff");
    switch (verdict) {
    case Verdict::Good:
        background = QStringLiteral("#2e7d32");
        break;
    case Verdict::Warning:
        background = QStringLiteral("#f0a500");
        foreground = QStringLiteral("#1a1a1a");
        break;
    case Verdict::Bad:
        background = QStringLiteral("#c62828");
        break;
    case Verdict::None:
        background = palette().color(QPalette::AlternateBase).name();
        foreground = palette().color(QPalette::Text).name();
        break;
    }
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 6px; font-weight: bold; }")
                                .arg(background, foreground));
    m_banner->setText(headline);
    m_body->setText(body);
}

void TrustPanel::showConnection(const tls::FetchResult &connection)
{
    if (connection.ok()) {
        setVerdict(Verdict::None, tr("Connected with %1").arg(connection.protocol),
                   tr("The server sent %n certificate(s). Select one to see its fields; trust in the chain is evaluated "
                      "with the policy you choose.", nullptr, int(connection.presentedChain.size())));
        return;
    }
    QString body = tr("%1 failed: %2.").arg(connection.errorStage, connection.errorMessage);
    if (connection.alert)
        body += tr("\n\nTLS alert %1 (%2), %3. On iOS / macOS this shows as %4 (%5)%6.")
                    .arg(connection.alert->name)
                    .arg(connection.alert->code)
                    .arg(connection.alert->direction)
                    .arg(connection.alert->appleName)
                    .arg(connection.alert->appleCode)
                    .arg(connection.alert->appleLikely ? tr(", likely") : QString());
    if (connection.clientCertificateRequested)
        body += tr("\n\nThe server asks for a client certificate: choose one in the connection options.");
    setVerdict(Verdict::Bad, tr("Could not fetch the chain"), body);
}

void TrustPanel::showObject(const PkiObject *object, const QDateTime &now)
{
    const auto *certificate = object ? object->as<Certificate>() : nullptr;
    if (!certificate) {
        setVerdict(Verdict::None, tr("No chain evaluated"),
                   tr("Type a server as host:port above, or open or drop certificate files, to see whether they are trusted."));
        return;
    }
    const QString validity = certificate->validityDescription(now);
    switch (certificate->validityAt(now)) {
    case ValidityState::Valid:
        setVerdict(Verdict::None, tr("Certificate dates are valid"),
                   tr("%1.\n\nTrust in the whole chain (issuer, host name, revocation) is evaluated when a chain is "
                      "fetched or verified.").arg(validity));
        break;
    case ValidityState::Expired:
        setVerdict(Verdict::Bad, tr("Certificate expired"),
                   tr("It %1 (not valid after %2).\n\nFix: the server must install a renewed certificate.")
                       .arg(validity, certificate->notAfter.toString(Qt::ISODate)));
        break;
    case ValidityState::NotYetValid:
        setVerdict(Verdict::Warning, tr("Certificate not yet valid"),
                   tr("It is %1. Check the clock of the client, or the certificate's start date.").arg(validity));
        break;
    }
}

} // namespace trustscope::ui
