#include "TrustPanel.h"

#include "apple/AppleDiagnosis.h"
#include "roots/RootPrograms.h"
#include "trust/AnchorStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCursor>
#include <QDateTimeEdit>
#include <QDir>
#include <QFormLayout>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QTimeZone>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace trustscope::ui {

using namespace trustscope::core;

namespace {

// The policy editor's OIDs; "anyPolicy" is accepted by name, as on the command line.
QStringList initialPolicyOids(const QString &text)
{
    QStringList oids;
    for (const QString &part : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString oid = part.trimmed();
        if (!oid.isEmpty())
            oids.append(oid == QLatin1String("anyPolicy") ? QStringLiteral("2.5.29.32.0") : oid);
    }
    return oids;
}

// "Apple", "Windows": a program's short name, for the one-line summary.
QString programLabel(const QString &programId)
{
    return programId.left(1).toUpper() + programId.mid(1);
}

} // namespace

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
    m_body->setTextFormat(Qt::RichText);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    connect(m_body, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(QLatin1String("inspect:")))
            Q_EMIT inspectRequested(link.mid(8));
        if (link.startsWith(QLatin1String("program:")))
            for (const roots::ProgramVerdict &verdict : std::as_const(m_programVerdicts))
                if (verdict.program == link.mid(8)) {
                    QStringList lines{
                        roots::toText(verdict),
                        tr("Store: %1, %2 (%3)")
                            .arg(verdict.storeName, verdict.storeDate.toString(Qt::ISODate), verdict.storeSource)};
                    for (const trust::CheckFailure &failure : verdict.failures)
                        lines.append(
                            QStringLiteral("[%1] %2 %3").arg(failure.key, failure.explanation, failure.remedy));
                    QMessageBox::information(this, tr("Trusted by %1?").arg(verdict.storeName),
                                             lines.join(QStringLiteral("\n\n")));
                }
    });
    connect(m_body, &QLabel::linkHovered, this, [this](const QString &link) {
        if (link.startsWith(QLatin1String("program:")))
            QToolTip::showText(QCursor::pos(), programToolTip(link.mid(8)), m_body);
        else
            QToolTip::hideText();
    });
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_trustException = new QPushButton(tr("Trust This Exception…"), this);
    m_trustException->setToolTip(tr("Accept exactly these failures for this server; anything else still fails"));
    m_trustException->hide();
    connect(m_trustException, &QPushButton::clicked, this, &TrustPanel::exceptionRequested);
    layout->addWidget(m_banner);
    layout->addWidget(m_trustException);
    layout->addWidget(scroll, 1);
    layout->addWidget(buildPolicyEditor());
    setMinimumWidth(220);
    showObject(nullptr);
}

QString TrustPanel::headline() const
{
    return m_banner->text();
}
QString TrustPanel::bodyText() const
{
    return m_body->text();
}

QWidget *TrustPanel::buildPolicyEditor()
{
    // A labelled header that folds the editor away; folded, its summary says what applies.
    auto *box = new QFrame(this);
    box->setObjectName(QStringLiteral("policyEditor"));
    box->setFrameShape(QFrame::StyledPanel);
    auto *toggle = m_policyToggle = new QToolButton(box);
    toggle->setObjectName(QStringLiteral("policyToggle"));
    toggle->setText(tr("Trust policy"));
    toggle->setToolTip(tr("Host name, roots, verification time, pins and revocation used for the verdict"));
    toggle->setCheckable(true);
    toggle->setAutoRaise(true);
    toggle->setArrowType(Qt::RightArrow);
    toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toggle->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_policySummary = new QLabel(box);
    m_policySummary->setObjectName(QStringLiteral("policySummary"));
    m_policySummary->setWordWrap(true);
    m_policySummary->setForegroundRole(QPalette::PlaceholderText);
    auto *content = new QWidget(box);
    auto *form = new QFormLayout(content);
    m_hostName = new QLineEdit(content);
    m_hostName->setPlaceholderText(tr("the server's name"));
    // The platform whose roots anchor the verdict: a server that is fine here may not be on an iPhone.
    m_rootStore = new QComboBox(content);
    m_rootStore->setObjectName(QStringLiteral("policyRootStore"));
    // Titles only: the programs' data loads when a verdict needs it, not at start-up.
    for (const QString &id : roots::programIds())
        if (id != QLatin1String("system"))
            m_rootStore->addItem(roots::programTitle(id), id);
    m_rootStore->insertItem(0, tr("This computer's store"), QStringLiteral("system"));
    m_rootStore->setItemData(0, QDir::toNativeSeparators(trust::systemAnchorFile()), Qt::ToolTipRole);
    m_rootStore->setCurrentIndex(0);
    m_rootStore->setToolTip(tr("Whose trusted roots the verdict uses: this computer's store or a platform's root "
                               "program (the \"Trusted by\" row shows every program)"));
    m_anchorFiles = new QLineEdit(content);
    m_anchorFiles->setPlaceholderText(tr("extra root files, separated by ;"));
    m_anchorsOnly = new QCheckBox(tr("Only these roots"), content);
    m_anchorsOnly->setToolTip(tr("Trust only the root files above, not the system's store"));
    m_fetchIntermediates = new QCheckBox(tr("Fetch intermediates (AIA)"), content);
    m_fetchIntermediates->setToolTip(tr("Download missing intermediates from the certificates' AIA caIssuers URLs"));
    m_fetchIntermediates->setChecked(true);
    m_useNow = new QCheckBox(tr("Now"), content);
    m_useNow->setChecked(true);
    m_time = new QDateTimeEdit(QDateTime::currentDateTimeUtc(), content);
    m_time->setTimeZone(QTimeZone::UTC);
    m_time->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    m_time->setEnabled(false);
    m_pins = new QLineEdit(content);
    m_revocation = new QComboBox(content);
    m_revocation->setObjectName(QStringLiteral("policyRevocation"));
    m_revocation->addItem(tr("Not checked"), trust::revocationModeName(trust::RevocationMode::None));
    m_revocation->addItem(tr("OCSP (stapled or online)"), trust::revocationModeName(trust::RevocationMode::Ocsp));
    m_revocation->addItem(tr("CRL"), trust::revocationModeName(trust::RevocationMode::Crl));
    m_revocation->addItem(tr("OCSP and CRL"), trust::revocationModeName(trust::RevocationMode::Both));
    m_requireRevocation = new QCheckBox(tr("Fail without an answer"), content);
    m_requireRevocation->setObjectName(QStringLiteral("policyRequireRevocation"));
    m_requireRevocation->setToolTip(tr("Hard fail: a certificate whose revocation cannot be checked is not trusted"));
    m_requireRevocation->setEnabled(false);
    // RFC 5280 6.1.1 (c)-(f): the initial policy set and the three inhibit / require inputs.
    m_initialPolicies = new QLineEdit(content);
    m_initialPolicies->setObjectName(QStringLiteral("policyInitial"));
    m_initialPolicies->setPlaceholderText(tr("any policy; or OIDs separated by ;"));
    m_initialPolicies->setToolTip(tr("The initial policy set (RFC 5280 6.1.1 c): the certificate policies the "
                                     "path must be valid for, as dotted OIDs (2.23.140.1.2.1 …)"));
    m_requireExplicitPolicy = new QCheckBox(tr("Require an explicit policy"), content);
    m_requireExplicitPolicy->setObjectName(QStringLiteral("policyRequireExplicit"));
    m_requireExplicitPolicy->setToolTip(
        tr("initial-explicit-policy: every certificate must assert a policy in the initial set"));
    m_inhibitPolicyMapping = new QCheckBox(tr("Inhibit policy mapping"), content);
    m_inhibitPolicyMapping->setObjectName(QStringLiteral("policyInhibitMapping"));
    m_inhibitPolicyMapping->setToolTip(tr("initial-policy-mapping-inhibit: the CAs' policyMappings are not applied"));
    m_inhibitAnyPolicy = new QCheckBox(tr("Inhibit anyPolicy"), content);
    m_inhibitAnyPolicy->setObjectName(QStringLiteral("policyInhibitAny"));
    m_inhibitAnyPolicy->setToolTip(tr("initial-any-policy-inhibit: anyPolicy in a certificate matches nothing"));
    m_requireCt = new QCheckBox(tr("Require Certificate Transparency"), content);
    m_requireCt->setObjectName(QStringLiteral("policyRequireCt"));
    m_requireCt->setToolTip(tr("Hold any chain to Apple's CT policy, also one under your own roots (which Apple "
                               "and Chrome exempt): CTRequired when the SCTs fall short"));
    m_ctLogLists = new QLineEdit(content);
    m_ctLogLists->setObjectName(QStringLiteral("policyCtLogLists"));
    m_ctLogLists->setPlaceholderText(tr("private CT log lists (JSON), separated by ;"));
    m_ctLogLists->setToolTip(tr("Log lists in Apple's v5 or Chrome's v3 schema (gen ct-log writes one): their logs "
                                "are known beside Apple's and Chrome's"));
    m_hostName->setObjectName(QStringLiteral("policyHost"));
    m_anchorFiles->setObjectName(QStringLiteral("policyRoots"));
    m_pins->setObjectName(QStringLiteral("policyPins"));
    m_anchorsOnly->setObjectName(QStringLiteral("policyRootsOnly"));
    m_fetchIntermediates->setObjectName(QStringLiteral("policyAia"));
    m_pins->setPlaceholderText(tr("pin-sha256 values, separated by ;"));
    form->addRow(tr("Host name:"), m_hostName);
    form->addRow(tr("Root store:"), m_rootStore);
    form->addRow(tr("Roots:"), m_anchorFiles);
    form->addRow(QString(), m_anchorsOnly);
    form->addRow(QString(), m_fetchIntermediates);
    form->addRow(tr("Time:"), m_useNow);
    form->addRow(QString(), m_time);
    form->addRow(tr("Pins:"), m_pins);
    form->addRow(tr("Revocation:"), m_revocation);
    form->addRow(QString(), m_requireRevocation);
    form->addRow(tr("Policies:"), m_initialPolicies);
    form->addRow(QString(), m_requireExplicitPolicy);
    form->addRow(QString(), m_inhibitPolicyMapping);
    form->addRow(QString(), m_inhibitAnyPolicy);
    form->addRow(tr("CT:"), m_requireCt);
    form->addRow(QString(), m_ctLogLists);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->setSpacing(2);
    layout->addWidget(toggle);
    layout->addWidget(m_policySummary);
    // Unfolded, the editor scrolls within a bounded height, so that the verdict above keeps room.
    auto *editorScroll = new QScrollArea(box);
    editorScroll->setObjectName(QStringLiteral("policyEditorScroll"));
    editorScroll->setWidget(content);
    editorScroll->setWidgetResizable(true);
    editorScroll->setFrameShape(QFrame::NoFrame);
    editorScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    editorScroll->setMaximumHeight(fontMetrics().height() * 18);
    layout->addWidget(editorScroll);
    editorScroll->setVisible(false);
    connect(toggle, &QToolButton::toggled, this, [toggle, editorScroll](bool open) {
        editorScroll->setVisible(open);
        toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(this, &TrustPanel::policyChanged, this, &TrustPanel::summarisePolicy);
    summarisePolicy();
    // Live: every edit re-evaluates.
    connect(m_hostName, &QLineEdit::editingFinished, this, &TrustPanel::policyChanged);
    connect(m_anchorFiles, &QLineEdit::editingFinished, this, &TrustPanel::policyChanged);
    connect(m_pins, &QLineEdit::editingFinished, this, &TrustPanel::policyChanged);
    connect(m_anchorsOnly, &QCheckBox::toggled, this, [this](bool only) {
        m_rootStore->setEnabled(!only); // only the files: no store at all
        Q_EMIT policyChanged();
    });
    connect(m_rootStore, &QComboBox::currentIndexChanged, this, &TrustPanel::policyChanged);
    connect(m_fetchIntermediates, &QCheckBox::toggled, this, &TrustPanel::policyChanged);
    connect(m_useNow, &QCheckBox::toggled, this, [this](bool now) {
        m_time->setEnabled(!now);
        Q_EMIT policyChanged();
    });
    connect(m_time, &QDateTimeEdit::editingFinished, this, &TrustPanel::policyChanged);
    connect(m_revocation, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_requireRevocation->setEnabled(index > 0);
        Q_EMIT policyChanged();
    });
    connect(m_requireRevocation, &QCheckBox::toggled, this, &TrustPanel::policyChanged);
    connect(m_initialPolicies, &QLineEdit::editingFinished, this, &TrustPanel::policyChanged);
    connect(m_requireCt, &QCheckBox::toggled, this, &TrustPanel::policyChanged);
    connect(m_ctLogLists, &QLineEdit::editingFinished, this, &TrustPanel::policyChanged);
    for (QCheckBox *input : {m_requireExplicitPolicy, m_inhibitPolicyMapping, m_inhibitAnyPolicy})
        connect(input, &QCheckBox::toggled, this, &TrustPanel::policyChanged);
    return box;
}

void TrustPanel::summarisePolicy()
{
    QStringList parts;
    const QStringList roots = anchorFiles();
    const QString store =
        m_rootStore->currentIndex() <= 0 ? tr("system roots") : tr("%1 roots").arg(programLabel(rootStore()));
    if (roots.isEmpty() && m_anchorsOnly->isChecked())
        parts.append(tr("no roots"));
    else if (roots.isEmpty())
        parts.append(store);
    else if (m_anchorsOnly->isChecked())
        parts.append(tr("only %n root file(s)", nullptr, int(roots.size())));
    else
        parts.append(tr("%1 and %n file(s)", nullptr, int(roots.size())).arg(store));
    parts.append(m_hostName->text().trimmed().isEmpty() ? tr("the server's name") : m_hostName->text().trimmed());
    parts.append(m_useNow->isChecked() ? tr("now") : m_time->dateTime().toUTC().toString(QStringLiteral("yyyy-MM-dd")));
    // Open CRLs turn CRL checking on, as --crl does (core loadTrustInputs).
    if (m_revocation->currentIndex() == 0 && m_openCrlCount == 0)
        parts.append(tr("revocation not checked"));
    else if (m_revocation->currentIndex() == 0)
        parts.append(tr("revocation: CRL"));
    else
        parts.append(tr("revocation: %1").arg(m_revocation->currentText()));
    if (m_openCrlCount > 0)
        parts.append(tr("%n open CRL(s)", nullptr, m_openCrlCount));
    if (!m_pins->text().trimmed().isEmpty())
        parts.append(tr("pinned"));
    if (const QStringList oids = initialPolicyOids(m_initialPolicies->text()); !oids.isEmpty())
        parts.append(tr("policies %1").arg(oids.join(QStringLiteral(", "))));
    if (m_requireExplicitPolicy->isChecked())
        parts.append(tr("explicit policy required"));
    if (m_inhibitPolicyMapping->isChecked())
        parts.append(tr("no policy mapping"));
    if (m_inhibitAnyPolicy->isChecked())
        parts.append(tr("anyPolicy inhibited"));
    if (m_requireCt->isChecked())
        parts.append(tr("CT required"));
    if (!ctLogListFiles().isEmpty())
        parts.append(tr("%n CT log list(s)", nullptr, int(ctLogListFiles().size())));
    if (!m_neverTrusted.isEmpty())
        parts.append(tr("%n never trusted", nullptr, int(m_neverTrusted.size())));
    m_policySummary->setText(parts.join(QStringLiteral(" · ")));
}

QString TrustPanel::policySummary() const
{
    return m_policySummary->text();
}

void TrustPanel::setNeverTrusted(const QString &sha256Hex, bool never)
{
    const QString key = sha256Hex.toLower();
    if (never == m_neverTrusted.contains(key))
        return;
    if (never)
        m_neverTrusted.append(key);
    else
        m_neverTrusted.removeAll(key);
    summarisePolicy();
    Q_EMIT neverTrustedChanged();
    Q_EMIT policyChanged();
}

bool TrustPanel::isNeverTrusted(const QString &sha256Hex) const
{
    return m_neverTrusted.contains(sha256Hex.toLower());
}

void TrustPanel::setOpenCrlCount(int count)
{
    m_openCrlCount = count;
    summarisePolicy();
}

void TrustPanel::addAnchorFile(const QString &path)
{
    QStringList files = anchorFiles();
    if (files.contains(path))
        return;
    files.append(path);
    m_anchorFiles->setText(files.join(QStringLiteral(";")));
    summarisePolicy();
}

QStringList TrustPanel::ctLogListFiles() const
{
    QStringList files;
    for (const QString &path : m_ctLogLists->text().split(QLatin1Char(';'), Qt::SkipEmptyParts))
        if (!path.trimmed().isEmpty())
            files.append(path.trimmed());
    return files;
}

QString TrustPanel::rootStore() const
{
    const QString id = m_rootStore->currentData().toString();
    return id.isEmpty() ? QStringLiteral("system") : id;
}

void TrustPanel::setRootStore(const QString &programId)
{
    const int index = m_rootStore->findData(programId);
    m_rootStore->setCurrentIndex(index >= 0 ? index : 0);
    summarisePolicy();
}

QString TrustPanel::programToolTip(const QString &programId) const
{
    for (const roots::ProgramVerdict &verdict : m_programVerdicts) {
        if (verdict.program != programId)
            continue;
        QString tip = verdict.uncertain ? tr("%1: uncertain").arg(verdict.storeName)
                      : verdict.trusted ? tr("%1: trusted").arg(verdict.storeName)
                                        : tr("%1: not trusted").arg(verdict.storeName);
        if (!verdict.trusted && !verdict.failures.isEmpty())
            tip += QStringLiteral("\n%1: %2").arg(verdict.failures.first().key, verdict.failures.first().explanation);
        if (verdict.anchor)
            tip += tr("\nAnchor: %1 (%2)").arg(verdict.anchor->displayName(), verdict.status);
        if (!verdict.note.isEmpty())
            tip += QStringLiteral("\n") + verdict.note;
        tip += tr("\nData: %1. Click for the details.").arg(verdict.storeDate.toString(Qt::ISODate));
        return tip;
    }
    return {};
}

QStringList TrustPanel::anchorFiles() const
{
    QStringList files;
    for (const QString &path : m_anchorFiles->text().split(QLatin1Char(';'), Qt::SkipEmptyParts))
        files.append(path.trimmed());
    return files;
}

trust::Policy TrustPanel::policy(const QString &host) const
{
    trust::Policy policy;
    policy.hostName = m_hostName->text().trimmed().isEmpty() ? host : m_hostName->text().trimmed();
    policy.anchorsOnly = m_anchorsOnly->isChecked();
    policy.fetchMissingIntermediates = m_fetchIntermediates->isChecked();
    if (!m_useNow->isChecked())
        policy.verificationTime = m_time->dateTime().toUTC();
    for (const QString &pin : m_pins->text().split(QLatin1Char(';'), Qt::SkipEmptyParts))
        policy.pins.append(pin.trimmed().remove(QStringLiteral("sha256/")));
    policy.revocation =
        trust::revocationModeFromName(m_revocation->currentData().toString()).value_or(trust::RevocationMode::None);
    policy.requireRevocation = policy.revocation != trust::RevocationMode::None && m_requireRevocation->isChecked();
    // A mistyped OID stays in the set: the evaluator cannot use it and fails the path, which is
    // stricter than dropping it (an empty set would mean anyPolicy).
    policy.initialPolicies = initialPolicyOids(m_initialPolicies->text());
    policy.requireExplicitPolicy = m_requireExplicitPolicy->isChecked();
    policy.inhibitPolicyMapping = m_inhibitPolicyMapping->isChecked();
    policy.inhibitAnyPolicy = m_inhibitAnyPolicy->isChecked();
    policy.requireCt = m_requireCt->isChecked();
    for (const QString &hex : m_neverTrusted)
        policy.distrustedSha256.append(QByteArray::fromHex(hex.toLatin1()));
    return policy;
}

void TrustPanel::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("roots"), m_anchorFiles->text());
    settings.setValue(QStringLiteral("rootsOnly"), m_anchorsOnly->isChecked());
    settings.setValue(QStringLiteral("rootStore"), rootStore());
    settings.setValue(QStringLiteral("aia"), m_fetchIntermediates->isChecked());
    settings.setValue(QStringLiteral("pins"), m_pins->text());
    settings.setValue(QStringLiteral("revocation"), m_revocation->currentData().toString());
    settings.setValue(QStringLiteral("requireRevocation"), m_requireRevocation->isChecked());
    settings.setValue(QStringLiteral("initialPolicies"), m_initialPolicies->text());
    settings.setValue(QStringLiteral("requireExplicitPolicy"), m_requireExplicitPolicy->isChecked());
    settings.setValue(QStringLiteral("inhibitPolicyMapping"), m_inhibitPolicyMapping->isChecked());
    settings.setValue(QStringLiteral("inhibitAnyPolicy"), m_inhibitAnyPolicy->isChecked());
    settings.setValue(QStringLiteral("neverTrust"), m_neverTrusted);
    settings.setValue(QStringLiteral("requireCt"), m_requireCt->isChecked());
    settings.setValue(QStringLiteral("ctLogLists"), m_ctLogLists->text());
    settings.setValue(QStringLiteral("editorOpen"), m_policyToggle->isChecked());
}

void TrustPanel::restoreSettings(const QSettings &settings)
{
    // Quietly: restoring is not an edit to re-evaluate.
    const QSignalBlocker blocker(this);
    m_anchorFiles->setText(settings.value(QStringLiteral("roots")).toString());
    m_anchorsOnly->setChecked(settings.value(QStringLiteral("rootsOnly"), false).toBool());
    const int store = m_rootStore->findData(settings.value(QStringLiteral("rootStore"), QStringLiteral("system")));
    m_rootStore->setCurrentIndex(store >= 0 ? store : 0);
    m_rootStore->setEnabled(!m_anchorsOnly->isChecked());
    m_fetchIntermediates->setChecked(settings.value(QStringLiteral("aia"), true).toBool());
    m_pins->setText(settings.value(QStringLiteral("pins")).toString());
    const int revocation = m_revocation->findData(
        settings.value(QStringLiteral("revocation"), trust::revocationModeName(trust::RevocationMode::None)));
    m_revocation->setCurrentIndex(revocation >= 0 ? revocation : 0);
    m_requireRevocation->setChecked(settings.value(QStringLiteral("requireRevocation"), false).toBool());
    m_requireRevocation->setEnabled(m_revocation->currentIndex() > 0);
    m_initialPolicies->setText(settings.value(QStringLiteral("initialPolicies")).toString());
    m_requireExplicitPolicy->setChecked(settings.value(QStringLiteral("requireExplicitPolicy"), false).toBool());
    m_inhibitPolicyMapping->setChecked(settings.value(QStringLiteral("inhibitPolicyMapping"), false).toBool());
    m_inhibitAnyPolicy->setChecked(settings.value(QStringLiteral("inhibitAnyPolicy"), false).toBool());
    m_policyToggle->setChecked(settings.value(QStringLiteral("editorOpen"), false).toBool());
    m_requireCt->setChecked(settings.value(QStringLiteral("requireCt"), false).toBool());
    m_ctLogLists->setText(settings.value(QStringLiteral("ctLogLists")).toString());
    m_neverTrusted.clear();
    for (const QString &hex : settings.value(QStringLiteral("neverTrust")).toStringList())
        if (hex.size() == 64 && !QByteArray::fromHex(hex.toLatin1()).isEmpty())
            m_neverTrusted.append(hex.toLower());
    summarisePolicy();
}

void TrustPanel::showEvaluating()
{
    setVerdict(Verdict::None, tr("Evaluating trust…"), tr("Building a path to a trusted root and checking it."));
}

void TrustPanel::showEvaluation(const trust::Evaluation &evaluation, const DocumentModel::PlatformVerdicts *platform)
{
    m_programVerdicts = platform ? platform->rootPrograms : QList<roots::ProgramVerdict>();
    // Only recoverable failures can be excepted, and only for a named server.
    m_trustException->setVisible(!evaluation.trusted && !evaluation.hasFatal() && !evaluation.path.isEmpty());
    QString body;
    for (const trust::CheckFailure &failure : evaluation.excepted)
        body += tr("<p><b>%1</b> — accepted by a trust exception you recorded (certificate %2).</p>")
                    .arg(failure.key.toHtmlEscaped())
                    .arg(failure.certIndex);
    if (!evaluation.failures.isEmpty()) {
        for (const trust::CheckFailure &failure : evaluation.failures) {
            const QString certificate = failure.certIndex < evaluation.path.size()
                                            ? evaluation.path.at(failure.certIndex).certificate.displayName()
                                            : tr("certificate %1").arg(failure.certIndex);
            body += tr("<p><b>%1</b> — %2 <span style='color:gray'>(%3)</span><br>%4<br><i>Fix:</i> %5</p>")
                        .arg(failure.key.toHtmlEscaped(), certificate.toHtmlEscaped(),
                             failure.recoverable ? tr("recoverable") : tr("fatal: no exception can cover it"),
                             failure.explanation.toHtmlEscaped(), failure.remedy.toHtmlEscaped());
        }
    }
    for (const trust::CheckFailure &advisory : evaluation.advisories)
        body += tr("<p><b>%1</b> <span style='color:gray'>(advisory, not a failure here)</span><br>%2<br><i>Fix:</i> "
                   "%3</p>")
                    .arg(advisory.key.toHtmlEscaped(), advisory.explanation.toHtmlEscaped(),
                         advisory.remedy.toHtmlEscaped());
    body += pathComparison(evaluation);
    if (evaluation.validUntil.isValid())
        body += tr("<p>Valid until %1 (the earliest expiry on the path).</p>")
                    .arg(evaluation.validUntil.toString(Qt::ISODate));
    if (!evaluation.revocation.isEmpty()) {
        body += tr("<p><b>Revocation</b><br>");
        for (const trust::RevocationCheck &check : evaluation.revocation) {
            const QString color = check.status == QLatin1String("good")      ? QStringLiteral("#2e7d32")
                                  : check.status == QLatin1String("revoked") ? QStringLiteral("#c62828")
                                                                             : QStringLiteral("gray");
            QString line = tr("%1. %2: <span style='color:%3'><b>%4</b></span>")
                               .arg(check.certIndex)
                               .arg(check.source.toUpper(), color, check.status);
            if (check.status == QLatin1String("revoked"))
                line += tr(" on %1 %2").arg(check.revokedAt.toString(Qt::ISODate), check.reason.toHtmlEscaped());
            if (!check.detail.isEmpty())
                line += QStringLiteral(" — ") + check.detail.toHtmlEscaped();
            if (check.cached)
                line += tr(" (cached)");
            body += line + QStringLiteral("<br>");
        }
        body += QStringLiteral("</p>");
    }
    body += transparencySection(evaluation);
    body += trustedBySection(m_programVerdicts);
    // The Apple diagnosis as the inspection made it (under Apple's roots), else from this verdict.
    body += appleSection(platform && platform->apple ? *platform->apple : apple::appleViewOf(evaluation));
    for (const QString &note : evaluation.notes)
        body += QStringLiteral("<p style='color:gray'>%1</p>").arg(note.toHtmlEscaped());
    for (const QString &fetch : evaluation.network)
        body += QStringLiteral("<p style='color:gray'>%1</p>").arg(fetch.toHtmlEscaped());
    if (evaluation.trusted && !evaluation.excepted.isEmpty())
        setVerdict(Verdict::Warning, tr("Trusted by an exception"), body);
    else if (evaluation.trusted)
        setVerdict(Verdict::Good, tr("Trusted"), body);
    else
        setVerdict(evaluation.hasFatal() ? Verdict::Bad : Verdict::Warning, evaluation.mainReason(), body);
}

QString TrustPanel::transparencySection(const trust::Evaluation &evaluation)
{
    if (!evaluation.ct)
        return {};
    const ct::Report &report = *evaluation.ct;
    int valid = 0;
    for (const ct::Sct &sct : report.scts)
        valid += sct.usable() ? 1 : 0;
    QString html =
        tr("<p><b>Certificate Transparency</b> %1 of %n SCT(s) valid<br>", nullptr, int(report.scts.size())).arg(valid);
    for (const auto &[name, verdict] : {std::pair{tr("Apple"), report.apple}, std::pair{tr("Chrome"), report.chrome}}) {
        const QString color = verdict.compliant  ? QStringLiteral("#2e7d32")
                              : verdict.required ? QStringLiteral("#c62828")
                                                 : QStringLiteral("gray");
        html += tr("%1: <span style='color:%2'><b>%3</b></span>%4 <span style='color:gray'>— %5</span><br>")
                    .arg(name, color, verdict.compliant ? tr("compliant") : tr("not compliant"),
                         verdict.required ? tr(" (required)") : tr(" (not required)"), verdict.reason.toHtmlEscaped());
    }
    return html + QStringLiteral("</p>");
}

QString TrustPanel::trustedBySection(const QList<roots::ProgramVerdict> &verdicts)
{
    if (verdicts.isEmpty())
        return {};
    QStringList entries;
    for (const roots::ProgramVerdict &verdict : verdicts) {
        const QString mark = verdict.uncertain ? QStringLiteral("?")
                             : verdict.trusted ? QStringLiteral("✓")
                                               : QStringLiteral("✗");
        const QString color = verdict.uncertain ? QStringLiteral("#b26a00")
                              : verdict.trusted ? QStringLiteral("#2e7d32")
                                                : QStringLiteral("#c62828");
        QString detail = verdict.trusted || verdict.failures.isEmpty() ? QString() : verdict.failures.first().key;
        entries.append(QStringLiteral("<a href='program:%1' style='color:%2'>%3 %1</a>%4")
                           .arg(verdict.program, color, mark,
                                detail.isEmpty() ? QString()
                                                 : QStringLiteral(" <small>(%1)</small>").arg(detail.toHtmlEscaped())));
    }
    return tr("<p><b>Trusted by</b> %1</p>").arg(entries.join(QStringLiteral(" · ")));
}

QString TrustPanel::appleSection(const apple::AppleView &view)
{
    if (!view.isFailure())
        return {};
    QString html = tr("<p><b>On iOS / macOS</b>%1<br>")
                       .arg(view.likely ? tr(" <span style='color:gray'>(likely)</span>") : QString());
    html += tr("NSURLErrorDomain %1 <code>%2</code><br>").arg(view.nsurlError).arg(view.nsurlErrorName);
    if (view.errSsl != 0)
        html += tr("kCFStreamErrorDomainSSL %1 <code>%2</code><br>").arg(view.errSsl).arg(view.errSslName);
    if (view.osStatus != 0)
        html += tr("SecTrust OSStatus %1 <code>%2</code>, %3<br>")
                    .arg(view.osStatus)
                    .arg(view.osStatusName, view.trustResult);
    if (!view.checkKeys.isEmpty())
        html += tr("TrustResultDetails: %1").arg(view.checkKeys.join(QStringLiteral(", ")));
    if (!view.storeName.isEmpty())
        html += tr("<br><span style='color:gray'>Under %1 %2. %3</span>")
                    .arg(view.storeName.toHtmlEscaped(), view.storeDate, view.anchorsNote.toHtmlEscaped());
    return html + QStringLiteral("</p>");
}

void TrustPanel::showExplanation(const apple::Explanation &explanation)
{
    hideExceptionButton();
    QString body;
    for (const apple::CodeExplanation &code : explanation.codes) {
        body += QStringLiteral("<p><b>%1 %2</b> <code>%3</code>%4<br>%5")
                    .arg(code.domain.toHtmlEscaped())
                    .arg(code.code)
                    .arg(code.name.toHtmlEscaped(),
                         code.likely ? tr(" <span style='color:gray'>(likely)</span>") : QString(),
                         code.meaning.toHtmlEscaped());
        if (!code.causes.isEmpty())
            body += tr("<br><i>Usual causes:</i> %1").arg(code.causes.toHtmlEscaped());
        body += tr("<br><i>Next:</i> %1</p>").arg(code.nextSteps.toHtmlEscaped());
    }
    if (!explanation.host.isEmpty())
        body += tr("<p><a href='inspect:%1:%2'>Inspect %1:%2</a></p>")
                    .arg(explanation.host.toHtmlEscaped())
                    .arg(explanation.port);
    if (explanation.codes.isEmpty())
        setVerdict(Verdict::None, tr("No error code recognised"),
                   tr("Paste a log line with errSSL…, NSURLError…, -98xx, -12xx, 3:-9807 or a TLS alert number."));
    else
        setVerdict(Verdict::None, tr("%n code(s) explained", nullptr, int(explanation.codes.size())), body);
}

QString TrustPanel::pathComparison(const trust::Evaluation &evaluation)
{
    // Side by side: what the server sent, and the path built from it (and from elsewhere).
    const auto pathIndexOf = [&](const Certificate &certificate) -> qsizetype {
        for (qsizetype index = 0; index < evaluation.path.size(); ++index)
            if (evaluation.path.at(index).certificate.der == certificate.der)
                return index;
        return -1;
    };
    QString sent;
    for (qsizetype index = 0; index < evaluation.presented.size(); ++index) {
        const Certificate &certificate = evaluation.presented.at(index);
        const qsizetype inPath = pathIndexOf(certificate);
        bool duplicate = false;
        for (qsizetype earlier = 0; earlier < index; ++earlier)
            duplicate = duplicate || evaluation.presented.at(earlier).der == certificate.der;
        const QString note = duplicate         ? tr("duplicate, not needed")
                             : inPath < 0      ? tr("not used: remove it from the server's chain")
                             : inPath != index ? tr("used as #%1: out of order").arg(inPath)
                                               : tr("used");
        sent += QStringLiteral("%1. %2 <span style='color:gray'>(%3)</span><br>")
                    .arg(index)
                    .arg(certificate.displayName().toHtmlEscaped(), note);
    }
    QString built;
    for (qsizetype index = 0; index < evaluation.path.size(); ++index) {
        const trust::PathElement &element = evaluation.path.at(index);
        const bool untrustedRoot = index + 1 == evaluation.path.size() && element.role != QLatin1String("anchor") &&
                                   element.certificate.selfSigned && index > 0;
        const QString source =
            element.source == QLatin1String("presented") ? tr("sent by the server")
            : element.source == QLatin1String("aia")     ? tr("downloaded (AIA): the server should send it")
            : element.source != QLatin1String("system")  ? tr("your file")
            : evaluation.platformStore.isEmpty() || evaluation.platformStore == QLatin1String("system")
                ? tr("system root")
                : tr("%1 root").arg(programLabel(evaluation.platformStore));
        built += QStringLiteral("%1. %2 <span style='color:gray'>(%3, %4)</span><br>")
                     .arg(index)
                     .arg(element.certificate.displayName().toHtmlEscaped(),
                          untrustedRoot ? tr("root, not trusted") : element.role, source);
    }
    if (evaluation.presented.size() <= 1)
        return tr("<p><b>Path built</b><br>%1</p>").arg(built);
    return tr("<table width='100%' cellspacing='0' cellpadding='2'><tr><th align='left'>Sent by the server</th>"
              "<th align='left'>Path built</th></tr><tr><td valign='top'>%1</td><td valign='top'>%2</td></tr></table>")
        .arg(sent, built);
}

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
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; border-radius: 6px; font-weight: bold; }")
            .arg(background, foreground));
    m_banner->setText(headline);
    // Plain text from the other views is escaped; evaluation bodies are already HTML.
    m_body->setText(body.startsWith(QLatin1Char('<'))
                        ? body
                        : body.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

void TrustPanel::showConnection(const tls::FetchResult &connection)
{
    hideExceptionButton();
    if (connection.ok()) {
        setVerdict(
            Verdict::None, tr("Connected with %1").arg(connection.protocol),
            tr("The server sent %n certificate(s). Select one to see its fields; trust in the chain is evaluated "
               "with the policy you choose.",
               nullptr, int(connection.presentedChain.size())));
        return;
    }
    QString body = tr("%1 failed: %2.").arg(connection.errorStage, connection.errorMessage);
    const apple::AppleView onApple = apple::appleViewOf(connection);
    if (onApple.isFailure())
        body += tr("\n\nOn iOS / macOS%1: %2.").arg(onApple.likely ? tr(" (likely)") : QString(), onApple.logLine());
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

void TrustPanel::hideExceptionButton()
{
    m_trustException->hide();
}

void TrustPanel::showObject(const PkiObject *object, const QDateTime &now)
{
    hideExceptionButton();
    const auto *certificate = object ? object->as<Certificate>() : nullptr;
    if (const auto *crl = object ? object->as<Crl>() : nullptr) {
        const bool delta = crl->isDelta();
        const bool stale = crl->nextUpdate.isValid() && crl->nextUpdate < now;
        QString body =
            delta ? tr("A delta CRL only amends its base CRL, so it is not used on its own: open the base CRL.")
                  : tr("While it is open, this CRL answers revocation for every open chain it covers, as "
                       "verify --crl does: signed by the certificate's issuer (or an indirect CRL issuer it names), "
                       "in scope, current at the verification time. Close it to stop using it.");
        body +=
            QStringLiteral("\n\n") + tr("%n revoked certificate(s) listed; issued %1", nullptr, int(crl->entryCount))
                                         .arg(crl->thisUpdate.toString(Qt::ISODate));
        if (crl->nextUpdate.isValid())
            body += tr(", next update %1").arg(crl->nextUpdate.toString(Qt::ISODate));
        body += QLatin1Char('.');
        if (stale)
            body += QStringLiteral("\n\n") +
                    tr("It is past its next update: it is not current, so it answers nothing except revocations, "
                       "which are final.");
        setVerdict(stale || delta ? Verdict::Warning : Verdict::None,
                   delta   ? tr("Delta CRL (not used)")
                   : stale ? tr("Revocation list past its next update")
                           : tr("Revocation list in use"),
                   body);
        return;
    }
    if (!certificate) {
        setVerdict(Verdict::None, tr("No verdict yet"),
                   tr("Whether a chain is trusted appears here: which check failed, why, and how to fix the "
                      "server, with what iOS and macOS would report.\n\nInspect a server from the address bar, "
                      "or open a certificate, to get one. The trust policy below sets the roots, host name, time "
                      "and revocation checks."));
        return;
    }
    const QString validity = certificate->validityDescription(now);
    switch (certificate->validityAt(now)) {
    case ValidityState::Valid:
        setVerdict(Verdict::None, tr("Certificate dates are valid"),
                   tr("%1.\n\nTrust in the whole chain (issuer, host name, revocation) is evaluated when a chain is "
                      "fetched or verified.")
                       .arg(validity));
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
