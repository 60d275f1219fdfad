#pragma once

#include "tls/TlsFetch.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace trustscope::ui {

// The address bar's Options popover: how to connect (SNI, STARTTLS, ALPN, TLS versions, timeout,
// proxy, client certificate) and whether a fetch compares several connections instead.
class FetchOptionsPanel final : public QWidget {
    Q_OBJECT
public:
    explicit FetchOptionsPanel(QWidget *parent);

    // Several connections, compared (the Backends tab), instead of one.
    struct Backends {
        bool allAddresses = false;
        int repeat = 1;
        int intervalMs = 0;
        QStringList connectTo;
        [[nodiscard]] bool comparesConnections() const { return allAddresses || repeat > 1 || !connectTo.isEmpty(); }
    };

    [[nodiscard]] core::tls::FetchOptions options() const; // host and port left for parseTarget
    [[nodiscard]] QString proxy() const;                   // also for AIA, OCSP and CRL downloads
    [[nodiscard]] QString clientCertificatePath() const;
    [[nodiscard]] Backends backends() const;
    void setBackends(const Backends &backends);
    void saveSettings(QSettings &settings) const;
    void restoreSettings(QSettings &settings);

private:
    struct Widgets {
        QLineEdit *sni = nullptr;
        QCheckBox *noSni = nullptr;
        QComboBox *startTls = nullptr;
        QLineEdit *alpn = nullptr;
        QComboBox *tlsMin = nullptr;
        QComboBox *tlsMax = nullptr;
        QSpinBox *timeout = nullptr;
        QLineEdit *proxy = nullptr;
        QLineEdit *clientCertificate = nullptr;
        QCheckBox *allAddresses = nullptr;
        QSpinBox *repeat = nullptr;
        QSpinBox *interval = nullptr;
        QLineEdit *connectTo = nullptr;
    } m_widgets;
};

} // namespace trustscope::ui
