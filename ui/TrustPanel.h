#pragma once

#include "DocumentModel.h"
#include "tls/TlsFetch.h"
#include "trust/TrustEvaluation.h"
#include "x509/PkiObject.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QToolButton;

namespace trustscope::core::apple {
struct AppleView;
struct Explanation;
} // namespace trustscope::core::apple

namespace trustscope::ui {

// The right-hand panel: a verdict banner and the reasons behind it. Until the trust engine
// evaluates a chain it summarises what can be said of the selected object on its own.
class TrustPanel : public QWidget {
    Q_OBJECT
public:
    enum class Verdict { None, Good, Warning, Bad };

    explicit TrustPanel(QWidget *parent = nullptr);
    void showObject(const core::PkiObject *object, const QDateTime &now = QDateTime::currentDateTimeUtc());
    void showConnection(const core::tls::FetchResult &connection);
    // `platform`: the Apple diagnosis under Apple's roots and the "Trusted by" row (one entry per root program).
    void showEvaluation(const core::trust::Evaluation &evaluation,
                        const DocumentModel::PlatformVerdicts *platform = nullptr);
    void showEvaluating();
    void showExplanation(const core::apple::Explanation &explanation); // codes from a pasted log line
    void hideExceptionButton();
    // The policy the user set in the panel's editor; `host` fills the name when left empty.
    // Its anchors are the files of anchorFiles(), read by the caller's worker, not here.
    [[nodiscard]] core::trust::Policy policy(const QString &host) const;
    [[nodiscard]] QStringList anchorFiles() const;
    [[nodiscard]] QStringList ctLogListFiles() const; // private CT log lists, read by the worker
    // The root store the main verdict uses: "system" (this computer's) or a root program's id.
    [[nodiscard]] QString rootStore() const;
    void setRootStore(const QString &programId);
    // The tooltip of a "Trusted by" entry: verdict, failing check and store.
    [[nodiscard]] QString programToolTip(const QString &programId) const;
    void addAnchorFile(const QString &path); // e.g. a generated scenario's root.pem
    // "Never Trust": certificates (by SHA-256, hex) a path may not go through, kept with the policy.
    void setNeverTrusted(const QString &sha256Hex, bool never);
    [[nodiscard]] bool isNeverTrusted(const QString &sha256Hex) const;
    [[nodiscard]] QStringList neverTrusted() const { return m_neverTrusted; }
    // How many CRLs beside the chains are used as revocation evidence (named in the summary).
    void setOpenCrlCount(int count);
    [[nodiscard]] QString bodyText() const;
    [[nodiscard]] QString policySummary() const; // one line: roots · host · time · revocation
    // The policy editor's choices, kept between runs (the host name and date are per chain).
    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

    [[nodiscard]] Verdict verdict() const { return m_verdict; }
    [[nodiscard]] QString headline() const;

Q_SIGNALS:
    void policyChanged();                         // re-evaluate with policy()
    void neverTrustedChanged();                   // a security choice: saved at once, not at exit
    void exceptionRequested();                    // "Trust This Exception…"
    void inspectRequested(const QString &target); // "Inspect host:port" under an explanation

private:
    void setVerdict(Verdict verdict, const QString &headline, const QString &body);
    QWidget *buildPolicyEditor();
    void summarisePolicy();
    [[nodiscard]] static QString pathComparison(const core::trust::Evaluation &evaluation);
    [[nodiscard]] static QString appleSection(const core::apple::AppleView &view);
    [[nodiscard]] static QString transparencySection(const core::trust::Evaluation &evaluation);
    [[nodiscard]] static QString trustedBySection(const QList<core::roots::ProgramVerdict> &verdicts);
    QList<core::roots::ProgramVerdict> m_programVerdicts; // behind the "Trusted by" links
    QLabel *m_banner;
    QPushButton *m_trustException = nullptr;
    QLabel *m_body;
    QLabel *m_policySummary = nullptr;
    QToolButton *m_policyToggle = nullptr; // unfolds the editor; its state is kept
    QLineEdit *m_hostName = nullptr;
    QLineEdit *m_anchorFiles = nullptr;
    QCheckBox *m_anchorsOnly = nullptr;
    QComboBox *m_rootStore = nullptr; // system or a root program
    QCheckBox *m_fetchIntermediates = nullptr;
    QCheckBox *m_useNow = nullptr;
    QDateTimeEdit *m_time = nullptr;
    QLineEdit *m_pins = nullptr;
    QComboBox *m_revocation = nullptr;
    QCheckBox *m_requireRevocation = nullptr;
    QLineEdit *m_initialPolicies = nullptr;
    QCheckBox *m_requireExplicitPolicy = nullptr;
    QCheckBox *m_inhibitPolicyMapping = nullptr;
    QCheckBox *m_inhibitAnyPolicy = nullptr;
    QCheckBox *m_requireCt = nullptr;
    QLineEdit *m_ctLogLists = nullptr;
    QStringList m_neverTrusted; // lower-case hex SHA-256
    int m_openCrlCount = 0;
    Verdict m_verdict = Verdict::None;
};

} // namespace trustscope::ui
