#include "GeneratorDialog.h"

#include "Jobs.h"

#include "gen/Generator.h"
#include "gen/TestServer.h"
#include "ossl/OpenSslError.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QVBoxLayout>

namespace trustscope::ui {

using namespace trustscope::core;

namespace {

enum Template { RootCa, IntermediateCa, TlsServer, TlsClient, TlsServerAndClient, SelfSignedServer };

struct Outcome {
    bool ok = false;
    QString message;
    QStringList files; // what to open
};

// Sorts "a.example, 10.0.0.1, ops@example.com, https://x/" into the SAN kinds.
void addAltNames(gen::CertificateSpec &spec, const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    static const QRegularExpression ipv4(QStringLiteral("^\\d{1,3}(\\.\\d{1,3}){3}$"));
    for (const QString &name : text.split(separators, Qt::SkipEmptyParts)) {
        if (name.contains(QLatin1String("://")))
            spec.uris.append(name);
        else if (name.contains(QLatin1Char('@')))
            spec.emailAddresses.append(name);
        else if (ipv4.match(name).hasMatch() || name.contains(QLatin1Char(':')))
            spec.ipAddresses.append(name);
        else
            spec.dnsNames.append(name);
    }
}

QWidget *fileField(QLineEdit *edit, QWidget *parent, const QString &caption, bool directory = false)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto *browse = new QPushButton(GeneratorDialog::tr("Browse…"), row);
    browse->setAccessibleName(caption);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, row, [edit, parent, caption, directory] {
        const QString chosen = directory ? QFileDialog::getExistingDirectory(parent, caption, edit->text())
                                         : QFileDialog::getOpenFileName(parent, caption, edit->text());
        if (!chosen.isEmpty())
            edit->setText(chosen);
    });
    return row;
}

} // namespace

GeneratorDialog::GeneratorDialog(QWidget *parent)
    : QDialog(parent)
    , m_jobs(new Jobs(this))
{
    setWindowTitle(tr("Generate Test PKI"));
    setObjectName(QStringLiteral("generatorDialog"));
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildCertificateTab(), tr("Certificate"));
    m_tabs->addTab(buildScenarioTab(), tr("Scenarios"));
    layout->addWidget(m_tabs, 1);

    auto *folderForm = new QFormLayout;
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("generatorFolder"));
    m_folder->setAccessibleName(tr("Output folder"));
    m_folder->setText(QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                          .filePath(QStringLiteral("Trustscope Test PKI")));
    folderForm->addRow(tr("Write to folder:"), fileField(m_folder, this, tr("Output folder"), true));
    layout->addLayout(folderForm);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0); // key generation has no measurable progress: a busy indicator
    m_progress->setVisible(false);
    m_progress->setAccessibleName(tr("Generating"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("generatorStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(this);
    m_generate = buttons->addButton(tr("&Generate"), QDialogButtonBox::AcceptRole);
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_cancel = buttons->addButton(tr("&Cancel"), QDialogButtonBox::ActionRole);
    m_cancel->setEnabled(false);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_generate, &QPushButton::clicked, this, &GeneratorDialog::generate);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_cancelFlag)
            *m_cancelFlag = true;
        m_status->setText(tr("Cancelling…"));
    });
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(620, 640);
}

GeneratorDialog::~GeneratorDialog()
{
    if (m_cancelFlag)
        *m_cancelFlag = true;
    m_jobs->shutDown(); // a key generation under way ends at its next check of the flag
    stopServing();
}

QWidget *GeneratorDialog::buildCertificateTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_template = new QComboBox(page);
    m_template->setObjectName(QStringLiteral("generatorTemplate"));
    m_template->addItems({tr("Root CA"), tr("Intermediate CA"), tr("TLS server"), tr("TLS client"),
                          tr("TLS server and client"), tr("Self-signed TLS server")});
    m_template->setAccessibleName(tr("Template"));
    form->addRow(tr("&Template:"), m_template);
    m_keyType = new QComboBox(page);
    m_keyType->setObjectName(QStringLiteral("generatorKeyType"));
    m_keyType->addItems(gen::keyTypeNames());
    m_keyType->setCurrentText(QStringLiteral("p256"));
    m_keyType->setAccessibleName(tr("Key type"));
    m_keyType->setToolTip(tr("RSA, ECDSA (P-256/384/521), EdDSA, or ML-DSA (post-quantum, OpenSSL 3.5)"));
    form->addRow(tr("&Key:"), m_keyType);
    m_commonName = new QLineEdit(page);
    m_commonName->setObjectName(QStringLiteral("generatorCommonName"));
    m_commonName->setAccessibleName(tr("Common name"));
    form->addRow(tr("Common &name:"), m_commonName);
    m_organization = new QLineEdit(page);
    m_organization->setAccessibleName(tr("Organization"));
    form->addRow(tr("&Organization:"), m_organization);
    m_altNames = new QLineEdit(page);
    m_altNames->setObjectName(QStringLiteral("generatorAltNames"));
    m_altNames->setAccessibleName(tr("Subject alternative names"));
    m_altNames->setPlaceholderText(tr("example.test, *.example.test, 127.0.0.1, ops@example.test"));
    form->addRow(tr("&Alternative names:"), m_altNames);

    auto *validity = new QWidget(page);
    auto *validityLayout = new QHBoxLayout(validity);
    validityLayout->setContentsMargins(0, 0, 0, 0);
    m_notBefore = new QDateTimeEdit(QDateTime::currentDateTimeUtc().addSecs(-3600), validity);
    m_notBefore->setTimeZone(QTimeZone::UTC);
    m_notBefore->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    m_notBefore->setCalendarPopup(true);
    m_notBefore->setAccessibleName(tr("Valid from"));
    m_notBefore->setToolTip(tr("Any date: in the past for expired certificates, in the future for not-yet-valid "
                               "ones"));
    m_days = new QSpinBox(validity);
    m_days->setObjectName(QStringLiteral("generatorDays"));
    m_days->setRange(-36500, 36500);
    m_days->setSuffix(tr(" days"));
    m_days->setAccessibleName(tr("Validity in days"));
    auto *until = new QLabel(validity);
    until->setObjectName(QStringLiteral("generatorUntil"));
    const auto showUntil = [this, until] {
        const QDateTime end = m_notBefore->dateTime().toUTC().addDays(m_days->value());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        until->setText(tr("until %1%2")
                           .arg(end.toString(QStringLiteral("yyyy-MM-dd")), end < now ? tr(" (already expired)")
                                                                            : m_notBefore->dateTime().toUTC() > now
                                                                                ? tr(" (not yet valid)")
                                                                                : QString()));
    };
    connect(m_notBefore, &QDateTimeEdit::dateTimeChanged, this, showUntil);
    connect(m_days, &QSpinBox::valueChanged, this, showUntil);
    validityLayout->addWidget(m_notBefore);
    validityLayout->addWidget(new QLabel(tr("for"), validity));
    validityLayout->addWidget(m_days);
    validityLayout->addWidget(until, 1);
    form->addRow(tr("&Valid from:"), validity);
    m_hash = new QComboBox(page);
    m_hash->addItems(
        {QStringLiteral("sha256"), QStringLiteral("sha384"), QStringLiteral("sha512"), QStringLiteral("sha1")});
    m_hash->setAccessibleName(tr("Signature hash"));
    m_hashWarning = new QLabel(tr("SHA-1 is broken: use it only to test that clients reject it."), page);
    m_hashWarning->setStyleSheet(QStringLiteral("color: #c62828"));
    m_hashWarning->setVisible(false);
    connect(m_hash, &QComboBox::currentTextChanged, this,
            [this](const QString &hash) { m_hashWarning->setVisible(hash == QLatin1String("sha1")); });
    form->addRow(tr("Signature &hash:"), m_hash);
    form->addRow(QString(), m_hashWarning);
    m_pathLength = new QSpinBox(page);
    m_pathLength->setRange(-1, 16);
    m_pathLength->setSpecialValueText(tr("no limit"));
    m_pathLength->setAccessibleName(tr("Path length"));
    form->addRow(tr("&Path length:"), m_pathLength);
    m_permitted = new QLineEdit(page);
    m_permitted->setPlaceholderText(QStringLiteral("DNS:example.test, IP:10.0.0.0/8, email:example.test"));
    m_permitted->setAccessibleName(tr("Permitted names"));
    form->addRow(tr("Permitted names:"), m_permitted);
    m_excluded = new QLineEdit(page);
    m_excluded->setPlaceholderText(QStringLiteral("DNS:internal.example.test"));
    m_excluded->setAccessibleName(tr("Excluded names"));
    form->addRow(tr("Excluded names:"), m_excluded);
    m_mustStaple = new QCheckBox(tr("OCSP must-staple"), page);
    form->addRow(QString(), m_mustStaple);
    m_ocspUrl = new QLineEdit(page);
    m_ocspUrl->setAccessibleName(tr("OCSP URL"));
    form->addRow(tr("OCSP URL:"), m_ocspUrl);
    m_caIssuersUrl = new QLineEdit(page);
    m_caIssuersUrl->setAccessibleName(tr("CA issuers URL"));
    form->addRow(tr("CA issuers URL:"), m_caIssuersUrl);
    m_crlUrl = new QLineEdit(page);
    m_crlUrl->setAccessibleName(tr("CRL URL"));
    form->addRow(tr("CRL URL:"), m_crlUrl);
    m_issuerCertificate = new QLineEdit(page);
    m_issuerCertificate->setObjectName(QStringLiteral("generatorIssuerCertificate"));
    m_issuerCertificate->setAccessibleName(tr("Issuer certificate"));
    form->addRow(tr("&Issuer certificate:"), fileField(m_issuerCertificate, this, tr("Issuer certificate")));
    m_issuerKey = new QLineEdit(page);
    m_issuerKey->setObjectName(QStringLiteral("generatorIssuerKey"));
    m_issuerKey->setAccessibleName(tr("Issuer private key"));
    form->addRow(tr("Issuer private &key:"), fileField(m_issuerKey, this, tr("Issuer private key")));
    m_passphrase = new QLineEdit(page);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setAccessibleName(tr("Passphrase"));
    m_passphrase->setPlaceholderText(tr("optional: encrypts the key and writes PKCS#12 (modern and legacy)"));
    form->addRow(tr("Pass&phrase:"), m_passphrase);
    m_baseName = new QLineEdit(page);
    m_baseName->setObjectName(QStringLiteral("generatorBaseName"));
    m_baseName->setAccessibleName(tr("File name"));
    form->addRow(tr("&File name:"), m_baseName);
    connect(m_template, &QComboBox::currentIndexChanged, this, &GeneratorDialog::applyTemplate);
    applyTemplate();
    return page;
}

QWidget *GeneratorDialog::buildScenarioTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(new QLabel(tr("A whole test PKI with one thing wrong, as a server would present it. Each folder "
                                    "has a README saying what a client should report."),
                                 page));
    m_scenarios = new QListWidget(page);
    m_scenarios->setObjectName(QStringLiteral("generatorScenarios"));
    m_scenarios->setAccessibleName(tr("Scenarios"));
    m_scenarios->setWordWrap(true);
    m_scenarios->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scenarios->setSpacing(2);
    for (const gen::ScenarioInfo &info : gen::scenarios()) {
        auto *item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(info.name, info.description), m_scenarios);
        item->setData(Qt::UserRole, info.name);
        item->setToolTip(info.expectedKey.isEmpty() ? tr("A client should trust it")
                                                    : tr("A client should report %1").arg(info.expectedKey));
    }
    m_scenarios->setCurrentRow(0);
    layout->addWidget(m_scenarios, 1);
    auto *form = new QFormLayout;
    m_scenarioHost = new QLineEdit(QStringLiteral("localhost"), page);
    m_scenarioHost->setAccessibleName(tr("Host name"));
    form->addRow(tr("&Host the leaf is for:"), m_scenarioHost);
    m_scenarioKeyType = new QComboBox(page);
    m_scenarioKeyType->addItems(gen::keyTypeNames());
    m_scenarioKeyType->setCurrentText(QStringLiteral("p256"));
    m_scenarioKeyType->setAccessibleName(tr("Key type"));
    form->addRow(tr("&Key:"), m_scenarioKeyType);
    layout->addLayout(form);

    auto *serveRow = new QHBoxLayout;
    m_serve = new QPushButton(tr("&Serve on 127.0.0.1"), page);
    m_serve->setObjectName(QStringLiteral("serveButton"));
    m_serve->setEnabled(false);
    m_serve->setToolTip(tr("Serve the generated scenario's chain so an app can be pointed at it"));
    m_inspect = new QPushButton(tr("&Inspect"), page);
    m_inspect->setObjectName(QStringLiteral("inspectServedButton"));
    m_inspect->setEnabled(false);
    m_inspect->setToolTip(tr("Fetch the served chain in the main window"));
    m_serving = new QLabel(page);
    m_serving->setObjectName(QStringLiteral("servingLabel"));
    m_serving->setTextInteractionFlags(Qt::TextSelectableByMouse);
    serveRow->addWidget(m_serve);
    serveRow->addWidget(m_inspect);
    serveRow->addWidget(m_serving, 1);
    layout->addLayout(serveRow);
    connect(m_serve, &QPushButton::clicked, this, &GeneratorDialog::toggleServing);
    connect(m_inspect, &QPushButton::clicked, this, [this] {
        if (m_servingPort)
            Q_EMIT inspectRequested(QStringLiteral("127.0.0.1:%1").arg(m_servingPort)); // the leaf names 127.0.0.1 too
    });
    return page;
}

void GeneratorDialog::setOutputFolder(const QString &folder)
{
    m_folder->setText(folder);
}

void GeneratorDialog::applyTemplate()
{
    const auto kind = Template(m_template->currentIndex());
    const bool isCa = kind == RootCa || kind == IntermediateCa;
    const bool issued = kind != RootCa && kind != SelfSignedServer;
    struct Defaults {
        const char *name;
        const char *baseName;
        int days;
        const char *altNames;
    };
    static const Defaults defaults[] = {
        {"Trustscope Test Root CA", "root", 3650, ""},
        {"Trustscope Test Intermediate CA", "intermediate", 1825, ""},
        {"localhost", "server", 397, "localhost, 127.0.0.1, ::1"}, // within the 398 days clients allow
        {"Test Client", "client", 397, "client@example.test"},
        {"localhost", "server-client", 397, "localhost, 127.0.0.1"},
        {"localhost", "self-signed", 397, "localhost, 127.0.0.1"},
    };
    const Defaults &chosen = defaults[kind];
    m_commonName->setText(QString::fromUtf8(chosen.name));
    m_baseName->setText(QString::fromLatin1(chosen.baseName));
    m_days->setValue(chosen.days);
    m_altNames->setText(QString::fromUtf8(chosen.altNames));
    m_altNames->setEnabled(!isCa);
    m_pathLength->setEnabled(isCa);
    m_pathLength->setValue(kind == IntermediateCa ? 0 : -1);
    m_permitted->setEnabled(kind == IntermediateCa);
    m_excluded->setEnabled(kind == IntermediateCa);
    m_mustStaple->setEnabled(!isCa);
    m_issuerCertificate->parentWidget()->setEnabled(issued);
    m_issuerKey->parentWidget()->setEnabled(issued);
    m_ocspUrl->setEnabled(issued);
    m_caIssuersUrl->setEnabled(issued);
    m_crlUrl->setEnabled(issued);
}

void GeneratorDialog::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_generate->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    m_tabs->setEnabled(!busy);
}

void GeneratorDialog::generate()
{
    if (m_cancelFlag) // one at a time
        return;
    const QString folder = m_folder->text().trimmed();
    if (folder.isEmpty()) {
        m_status->setText(tr("Choose a folder to write into."));
        return;
    }
    m_cancelFlag = std::make_shared<std::atomic_bool>(false);
    std::function<Outcome()> work;
    if (m_tabs->currentIndex() == 1) {
        const QListWidgetItem *item = m_scenarios->currentItem();
        if (!item) {
            m_cancelFlag.reset();
            m_status->setText(tr("Choose a scenario."));
            return;
        }
        const QString name = item->data(Qt::UserRole).toString();
        gen::ScenarioOptions options;
        options.host =
            m_scenarioHost->text().trimmed().isEmpty() ? QStringLiteral("localhost") : m_scenarioHost->text().trimmed();
        options.keyType = m_scenarioKeyType->currentText();
        const QString scenarioFolder = QDir(folder).filePath(name);
        m_status->setText(tr("Generating the %1 scenario…").arg(name));
        work = [name, options, scenarioFolder, cancel = m_cancelFlag] {
            const auto result = gen::writeScenario(name, scenarioFolder, options, cancel.get());
            if (!result)
                return Outcome{false, result.error().toString(), {}};
            const QDir dir(result->folder);
            return Outcome{true,
                           tr("Wrote %1 files to %2. %3: %4.")
                               .arg(result->files.size())
                               .arg(QDir::toNativeSeparators(result->folder), name, result->info.description),
                           {dir.filePath(QStringLiteral("chain.pem")), dir.filePath(QStringLiteral("root.pem"))}};
        };
        m_lastScenarioFolder = scenarioFolder;
    } else {
        gen::IssueJob job;
        const auto kind = Template(m_template->currentIndex());
        job.spec.role = kind == RootCa             ? gen::Role::RootCa
                        : kind == IntermediateCa   ? gen::Role::IntermediateCa
                        : kind == SelfSignedServer ? gen::Role::SelfSignedLeaf
                                                   : gen::Role::Leaf;
        job.spec.commonName = m_commonName->text().trimmed();
        job.spec.organization = m_organization->text().trimmed();
        if (m_altNames->isEnabled())
            addAltNames(job.spec, m_altNames->text());
        job.spec.serverAuth = kind == TlsServer || kind == TlsServerAndClient || kind == SelfSignedServer;
        job.spec.clientAuth = kind == TlsClient || kind == TlsServerAndClient;
        job.spec.notBefore = m_notBefore->dateTime().toUTC();
        job.spec.notAfter = job.spec.notBefore.addDays(m_days->value());
        job.spec.digest = m_hash->currentText();
        if (m_pathLength->isEnabled())
            job.spec.pathLength = m_pathLength->value();
        static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
        if (m_permitted->isEnabled()) {
            job.spec.permittedNames = m_permitted->text().split(separators, Qt::SkipEmptyParts);
            job.spec.excludedNames = m_excluded->text().split(separators, Qt::SkipEmptyParts);
        }
        job.spec.mustStaple = m_mustStaple->isEnabled() && m_mustStaple->isChecked();
        if (m_ocspUrl->isEnabled()) {
            job.spec.ocspUrl = m_ocspUrl->text().trimmed();
            job.spec.caIssuersUrl = m_caIssuersUrl->text().trimmed();
            job.spec.crlUrl = m_crlUrl->text().trimmed();
            job.issuerCertificatePath = m_issuerCertificate->text().trimmed();
            job.issuerKeyPath = m_issuerKey->text().trimmed();
        }
        job.keyType = m_keyType->currentText();
        job.folder = folder;
        job.baseName =
            m_baseName->text().trimmed().isEmpty() ? QStringLiteral("certificate") : m_baseName->text().trimmed();
        job.passphrase = m_passphrase->text().toUtf8();
        m_status->setText(tr("Generating a %1 key and the certificate…").arg(job.keyType));
        work = [job, cancel = m_cancelFlag] {
            const auto result = gen::issueToFiles(job, cancel.get());
            if (!result)
                return Outcome{false, result.error().toString(), {}};
            QStringList names;
            for (const QString &file : result->files)
                names.append(QFileInfo(file).fileName());
            return Outcome{
                true,
                tr("Wrote %1 to %2.").arg(names.join(QStringLiteral(", ")), QDir::toNativeSeparators(job.folder)),
                {result->certificatePath}};
        };
    }
    setBusy(true);
    m_jobs->runJob<Outcome>(
        Jobs::JobKind::Local, [work = std::move(work)](const JobContext &) { return work(); },
        [this](Outcome &&outcome) { finishGeneration(outcome.ok, outcome.message, outcome.files); });
}

void GeneratorDialog::finishGeneration(bool ok, const QString &message, const QStringList &files)
{
    m_cancelFlag.reset();
    setBusy(false);
    m_status->setText(ok ? message : tr("Could not generate: %1").arg(message));
    m_status->setStyleSheet(ok ? QString() : QStringLiteral("color: #c62828"));
    if (ok && m_tabs->currentIndex() == 1)
        m_serve->setEnabled(true);
    if (ok)
        Q_EMIT filesGenerated(files);
    Q_EMIT generationFinished(ok);
}

void GeneratorDialog::toggleServing()
{
    if (m_stopServing) {
        stopServing();
        return;
    }
    const QDir dir(m_lastScenarioFolder);
    QFile chain(dir.filePath(QStringLiteral("chain.pem")));
    QFile key(dir.filePath(QStringLiteral("leaf.key")));
    if (m_lastScenarioFolder.isEmpty() || !chain.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
        m_serving->setText(tr("Generate a scenario first."));
        return;
    }
    gen::ServeOptions options;
    options.chainPem = chain.readAll();
    options.keyPem = key.readAll();
    m_stopServing = std::make_shared<std::atomic_bool>(false);
    m_serve->setText(tr("&Stop Serving"));
    m_serving->setText(tr("Starting…"));
    // The destructor joins this thread, so `this` outlives it; queued calls to a deleted dialog are dropped.
    m_server = std::thread([this, options, stop = m_stopServing] {
        const ossl::WorkerThreadScope openSslThread;
        const auto error = gen::serveTls(options, *stop, [this](quint16 port) {
            QMetaObject::invokeMethod(
                this,
                [this, port] {
                    m_servingPort = port;
                    m_serving->setText(tr("Serving on 127.0.0.1:%1 — trust root.pem, connect to %2:%1")
                                           .arg(port)
                                           .arg(m_scenarioHost->text()));
                    m_inspect->setEnabled(true);
                    Q_EMIT servingChanged(port);
                },
                Qt::QueuedConnection);
        });
        if (error)
            QMetaObject::invokeMethod(
                this,
                [this, message = error->toString()] { m_serving->setText(tr("Could not serve: %1").arg(message)); },
                Qt::QueuedConnection);
    });
}

void GeneratorDialog::stopServing()
{
    if (!m_stopServing)
        return;
    *m_stopServing = true;
    if (m_server.joinable())
        m_server.join(); // serveTls checks the flag every 100 ms
    m_stopServing.reset();
    m_servingPort = 0;
    if (m_serve) {
        m_serve->setText(tr("&Serve on 127.0.0.1"));
        m_serving->setText(tr("Stopped."));
        m_inspect->setEnabled(false);
    }
    Q_EMIT servingChanged(0);
}

} // namespace trustscope::ui
