#pragma once

#include <QDialog>

#include <atomic>
#include <memory>
#include <thread>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace trustscope::ui {

class Jobs;

// Tools → Generate Test PKI: one certificate from a template (Root CA, Intermediate CA, TLS
// server, TLS client), or a ready-made scenario, written to a folder and opened in a tab; a
// scenario can be served on 127.0.0.1. Key generation and serving run on workers.
class GeneratorDialog : public QDialog {
    Q_OBJECT
public:
    explicit GeneratorDialog(QWidget *parent = nullptr);
    ~GeneratorDialog() override;

    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }
    [[nodiscard]] quint16 servingPort() const { return m_servingPort; }
    void setOutputFolder(const QString &folder);
    void generate();      // what the Generate button does on the current tab
    void toggleServing(); // start or stop serving the last scenario

Q_SIGNALS:
    void filesGenerated(const QStringList &paths); // to open in tabs
    void inspectRequested(const QString &target);  // fetch 127.0.0.1:PORT in the main window
    void generationFinished(bool ok);
    void servingChanged(quint16 port); // 0 when stopped

private:
    QWidget *buildCertificateTab();
    QWidget *buildScenarioTab();
    void applyTemplate();
    void setBusy(bool busy);
    void finishGeneration(bool ok, const QString &message, const QStringList &files);
    void stopServing();

    QTabWidget *m_tabs;
    // Certificate
    QComboBox *m_template;
    QComboBox *m_keyType;
    QLineEdit *m_commonName;
    QLineEdit *m_organization;
    QLineEdit *m_altNames;
    QDateTimeEdit *m_notBefore;
    QSpinBox *m_days;
    QComboBox *m_hash;
    QLabel *m_hashWarning;
    QSpinBox *m_pathLength;
    QLineEdit *m_permitted;
    QLineEdit *m_excluded;
    QCheckBox *m_mustStaple;
    QLineEdit *m_ocspUrl;
    QLineEdit *m_caIssuersUrl;
    QLineEdit *m_crlUrl;
    QLineEdit *m_issuerCertificate;
    QLineEdit *m_issuerKey;
    QLineEdit *m_passphrase;
    QLineEdit *m_baseName;
    // Scenario
    QListWidget *m_scenarios;
    QLineEdit *m_scenarioHost;
    QComboBox *m_scenarioKeyType;
    QPushButton *m_serve;
    QPushButton *m_inspect;
    QLabel *m_serving;
    // Both
    QLineEdit *m_folder;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_generate;
    QPushButton *m_cancel;

    std::shared_ptr<std::atomic_bool> m_cancelFlag;
    Jobs *m_jobs; // the generation worker: waited for when the dialog goes
    QString m_lastScenarioFolder;
    std::shared_ptr<std::atomic_bool> m_stopServing;
    std::thread m_server;
    quint16 m_servingPort = 0;
};

} // namespace trustscope::ui
