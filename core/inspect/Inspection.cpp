#include "inspect/Inspection.h"

#include "trust/AnchorStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>

namespace trustscope::core::inspect {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("trustscope::core::inspect", text);
}

// The certificates of one trust input file (anchors or intermediates).
bool addCertificates(const QStringList &paths, QList<Certificate> &into, const char *what, bool strict,
                     TrustInputs &inputs, std::optional<Error> &failure)
{
    for (const QString &path : paths) {
        const auto certificates = loadCertificatesFile(path);
        if (certificates) {
            into += *certificates;
            continue;
        }
        if (strict) {
            failure = certificates.error();
            return false;
        }
        inputs.problems.append(tr(what).arg(path, certificates.error().toString()));
    }
    return true;
}

// The CRLs of the --crl files.
bool addCrls(const QStringList &paths, QList<trust::LocalCrl> &into, bool strict, TrustInputs &inputs,
             std::optional<Error> &failure)
{
    for (const QString &path : paths) {
        auto document = loadDocumentFile(path);
        QList<trust::LocalCrl> found;
        bool sawDelta = false;
        if (document) {
            const qsizetype warningsBefore = inputs.warnings.size();
            found = usableCrls(*document, QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(), path,
                               inputs.warnings);
            sawDelta = inputs.warnings.size() > warningsBefore;
        }
        if (document && (!found.isEmpty() || sawDelta)) {
            into += found;
            continue;
        }
        const Error error =
            document ? Error{Error::Code::InvalidInput, tr("%1 holds no CRL").arg(path), {}} : document.error();
        if (strict) {
            failure = error;
            return false;
        }
        inputs.problems.append(tr("The CRL file %1 did not load: %2").arg(path, error.toString()));
    }
    return true;
}

// The verdict of one chain: the evaluation, then the trust exceptions for host:port and policy.
trust::Evaluation judge(const QList<Certificate> &chain, const trust::Policy &policy, const TrustInputs &inputs,
                        int port, const std::atomic_bool *cancel)
{
    trust::Evaluation evaluation = trust::evaluate(chain.first(), chain.mid(1), policy, cancel);
    if (inputs.exceptions.isEmpty() || policy.hostName.isEmpty())
        return evaluation;
    return trust::applyExceptions(std::move(evaluation), inputs.exceptions, policy.hostName, port,
                                  trust::policyKindName(policy.kind));
}

// What iOS and macOS would decide: Apple's roots (never the host's) beside the user's anchors, which
// stand for SecTrustSetAnchorCertificates or an installed profile. With the user's anchors only, the
// verdict is the same everywhere and the main policy serves as it is.
trust::Evaluation appleEvaluation(const QList<Certificate> &chain, const trust::Policy &policy,
                                  const TrustInputs &inputs, int port, const std::atomic_bool *cancel,
                                  std::optional<apple::AppleView> &view)
{
    trust::Evaluation evaluation;
    QString storeName, storeDate;
    if (!policy.useSystemAnchors || policy.anchorsOnly) {
        evaluation = judge(chain, policy, inputs, port, cancel);
        storeName = QStringLiteral("none (only the given anchors, as SecTrustSetAnchorCertificatesOnly)");
    } else {
        roots::ProgramVerdict verdict =
            roots::evaluateInProgram(chain.first(), chain.mid(1), policy, QStringLiteral("apple"), cancel, true);
        evaluation = std::move(verdict.evaluation);
        if (verdict.storeDate.isValid()) {
            storeName = verdict.storeName;
            storeDate = verdict.storeDate.toString(Qt::ISODate);
        } else { // no data: the failure says so, and nothing is trusted
            evaluation.failures = verdict.failures;
            evaluation.trusted = false;
            evaluation.result = verdict.result;
            storeName = QStringLiteral("unavailable: ") + verdict.note;
        }
        if (!inputs.exceptions.isEmpty() && !policy.hostName.isEmpty())
            evaluation = trust::applyExceptions(std::move(evaluation), inputs.exceptions, policy.hostName, port,
                                                trust::policyKindName(policy.kind));
    }
    view = apple::appleViewOf(evaluation);
    view->storeName = storeName;
    view->storeDate = storeDate;
    if (!policy.anchors.isEmpty() || !policy.trustedLeavesDer.isEmpty())
        view->anchorsNote = QStringLiteral("The %1 given anchor(s) stand for SecTrustSetAnchorCertificates or a "
                                           "root installed by a configuration profile.")
                                .arg(policy.anchors.size() + policy.trustedLeavesDer.size());
    return evaluation;
}

// The settings with what the inspected thing itself says: the connection's host and port and
// the OCSP response the server stapled, where the user gave none.
TrustSettings effectiveSettings(const Inspection &inspection, TrustSettings settings)
{
    if (inspection.connection && inspection.connection->ok()) {
        if (settings.policy.hostName.isEmpty())
            settings.policy.hostName = inspection.connection->host;
        settings.port = inspection.connection->port;
        if (inspection.connection->ocspStaple && settings.policy.stapledOcspResponse.isEmpty())
            settings.policy.stapledOcspResponse = inspection.connection->ocspStaple->der;
        // The SCTs the handshake delivered (the certificate's own are read from it).
        if (settings.policy.deliveredScts.isEmpty())
            for (const tls::SignedCertificateTimestamp &sct : inspection.connection->scts)
                if (sct.source != QLatin1String("certificate") && !sct.encoded.isEmpty())
                    settings.policy.deliveredScts.append({sct.source == QLatin1String("ocsp-staple")
                                                              ? QStringLiteral("ocsp")
                                                              : QStringLiteral("tls-extension"),
                                                          sct.encoded});
    }
    if (inspection.backends) {
        if (settings.policy.hostName.isEmpty())
            settings.policy.hostName = inspection.backends->host;
        settings.port = inspection.backends->port;
    }
    return settings;
}

} // namespace

QList<trust::LocalCrl> usableCrls(const Document &document, const QString &origin, const QString &name,
                                  QStringList &warnings)
{
    QList<trust::LocalCrl> crls;
    for (const PkiObject &object : document.objects) {
        const auto *crl = object.as<Crl>();
        if (!crl)
            continue;
        if (crl->isDelta())
            warnings.append(tr("%1 holds a delta CRL (deltaCRLIndicator); delta CRLs are not supported "
                               "and it was not used: give the base CRL")
                                .arg(name));
        else
            crls.append({crl->der, origin});
    }
    return crls;
}

Result<TrustInputs> loadTrustInputs(const TrustSettings &settings, bool strict)
{
    TrustInputs inputs;
    inputs.policy = settings.policy;
    std::optional<Error> failure;
    if (!addCertificates(settings.anchorFiles, inputs.policy.anchors, "The trusted root file %1 did not load: %2",
                         strict, inputs, failure) ||
        !addCertificates(settings.intermediateFiles, inputs.policy.intermediates,
                         "The intermediate file %1 did not load: %2", strict, inputs, failure) ||
        !addCrls(settings.crlFiles, inputs.policy.crls, strict, inputs, failure))
        return std::unexpected(*failure);
    QList<Certificate> distrusted, trustedLeaves;
    if (!addCertificates(settings.distrustFiles, distrusted, "The never-trusted certificate file %1 did not load: %2",
                         strict, inputs, failure) ||
        !addCertificates(settings.trustLeafFiles, trustedLeaves, "The trusted leaf file %1 did not load: %2", strict,
                         inputs, failure))
        return std::unexpected(*failure);
    for (const QString &file : settings.ctLogListFiles) {
        auto list = ct::loadLogListFile(file, file);
        if (list) {
            inputs.policy.ctLogLists.append(std::move(*list));
        } else if (strict) {
            return std::unexpected(list.error());
        } else {
            inputs.problems.append(list.error().toString());
        }
    }
    if (!settings.rootsProgram.isEmpty() && settings.rootsProgram != QLatin1String("system")) {
        const auto program = roots::findProgram(settings.rootsProgram);
        if (program) {
            inputs.policy.platformAnchors = (*program)->trusted;
        } else {
            if (strict)
                return std::unexpected(program.error());
            inputs.problems.append(program.error().toString());
            // Fail closed: no roots rather than the host's, which the user did not ask for.
            inputs.policy.platformAnchors = trust::AnchorStore::fromDer(settings.rootsProgram, {});
        }
    }
    for (const Certificate &certificate : std::as_const(distrusted))
        inputs.policy.distrustedSha256.append(QByteArray::fromHex(certificate.sha256Hex.toLatin1()));
    for (const Certificate &certificate : std::as_const(trustedLeaves))
        inputs.policy.trustedLeavesDer.append(certificate.der);
    // CRL files are a CRL source: asking for them means checking CRLs.
    if (!inputs.policy.crls.isEmpty() && inputs.policy.revocation == trust::RevocationMode::None)
        inputs.policy.revocation = trust::RevocationMode::Crl;
    else if (!inputs.policy.crls.isEmpty() && inputs.policy.revocation == trust::RevocationMode::Ocsp)
        inputs.policy.revocation = trust::RevocationMode::Both;

    switch (settings.exceptions) {
    case ExceptionSource::None:
        break;
    case ExceptionSource::File: {
        QFile file(settings.exceptionsPath);
        if (!file.open(QIODevice::ReadOnly)) {
            const Error error{Error::Code::Io, tr("cannot read %1: %2").arg(file.fileName(), file.errorString()), {}};
            if (strict)
                return std::unexpected(error);
            inputs.problems.append(error.message);
            break;
        }
        auto imported = trust::importExceptions(file.read(16 * 1024 * 1024));
        if (!imported) {
            const Error error{
                imported.error().code, QStringLiteral("%1: %2").arg(file.fileName(), imported.error().toString()), {}};
            if (strict)
                return std::unexpected(error);
            inputs.problems.append(error.message);
            break;
        }
        inputs.exceptions = std::move(*imported);
        break;
    }
    case ExceptionSource::Store: {
        // Only a verdict for a named host can use the store's exceptions; others leave it alone.
        if (settings.policy.hostName.isEmpty())
            break;
        trust::ExceptionStore store(settings.exceptionsPath);
        // Fail closed: a store that cannot be read applies no exceptions (stricter), and says so.
        if (const auto loaded = store.load(); !loaded)
            inputs.problems.append(
                tr("%1; the verdict was made without trust exceptions").arg(loaded.error().toString()));
        else
            inputs.exceptions = store.exceptions();
        if (!store.loadWarning().isEmpty())
            inputs.warnings.append(tr("Trust exceptions: %1").arg(store.loadWarning()));
        break;
    }
    }
    return inputs;
}

QList<Certificate> certificatesOf(const Document &document)
{
    QList<Certificate> certificates;
    for (const PkiObject &object : document.objects)
        if (const auto *certificate = object.as<Certificate>())
            certificates.append(*certificate);
    return certificates;
}

Inspection inspectDocument(Document document, const QString &source)
{
    Inspection inspection;
    inspection.kind = Inspection::Kind::File;
    inspection.source = source;
    inspection.chain = certificatesOf(document);
    inspection.document = std::move(document);
    return inspection;
}

Result<Inspection> inspectFile(const QString &path, PasswordProvider *passwords)
{
    auto document = loadDocumentFile(path, passwords);
    if (!document)
        return std::unexpected(document.error());
    return inspectDocument(std::move(*document), path);
}

Inspection inspectEndpoint(const tls::FetchOptions &options, const std::atomic_bool *cancel)
{
    Inspection inspection;
    inspection.kind = Inspection::Kind::Endpoint;
    inspection.source = QStringLiteral("%1:%2").arg(options.host).arg(options.port);
    inspection.connection = tls::fetchChain(options, cancel);
    inspection.chain = inspection.connection->presentedChain;
    Document document;
    document.fileName = inspection.source;
    for (const Certificate &certificate : inspection.chain)
        document.objects.append(PkiObject{certificate, QStringLiteral("TLS"), -1});
    inspection.document = std::move(document);
    if (!inspection.connection->ok())
        inspection.apple = apple::appleViewOf(*inspection.connection);
    return inspection;
}

Result<Inspection> compareEndpoint(const tls::BackendOptions &options, const std::atomic_bool *cancel,
                                   const std::function<void(int, int)> &progress)
{
    auto report = tls::fetchBackends(options, cancel, progress);
    if (!report)
        return std::unexpected(report.error());
    Inspection inspection;
    inspection.kind = Inspection::Kind::Backends;
    inspection.source = QStringLiteral("%1:%2").arg(report->host).arg(report->port);
    // The most frequent chain stands for the endpoint; each distinct chain gets its own verdict.
    if (!report->chains.isEmpty())
        inspection.chain = report->chains.first().certificates;
    // The document holds each distinct chain's certificates, tagged with the chain's letter.
    Document document;
    document.fileName = inspection.source + QStringLiteral(" — backends");
    for (const tls::DistinctChain &chain : report->chains)
        for (const Certificate &certificate : chain.certificates)
            document.objects.append(
                PkiObject{certificate, QStringLiteral("Chain ") + tls::chainLetter(chain.index), -1});
    inspection.document = std::move(document);
    const auto succeeded =
        std::find_if(report->connections.cbegin(), report->connections.cend(),
                     [](const tls::BackendConnection &connection) { return connection.result.ok(); });
    if (succeeded != report->connections.cend())
        inspection.connection = succeeded->result;
    else if (!report->connections.isEmpty())
        inspection.connection = report->connections.first().result;
    inspection.backends = std::move(*report);
    return inspection;
}

void evaluate(Inspection &inspection, const TrustSettings &settings, const std::atomic_bool *cancel)
{
    const TrustSettings effective = effectiveSettings(inspection, settings);
    const auto inputs = loadTrustInputs(effective, false); // lenient: never fails
    evaluate(inspection, effective, *inputs, cancel);
}

void evaluate(Inspection &inspection, const TrustSettings &settings, const TrustInputs &inputs,
              const std::atomic_bool *cancel)
{
    const TrustSettings effective = effectiveSettings(inspection, settings);
    trust::Policy policy = inputs.policy;
    // What the inspected thing says (the connection's host, its staple) over what the inputs lack.
    if (policy.hostName.isEmpty())
        policy.hostName = effective.policy.hostName;
    if (policy.stapledOcspResponse.isEmpty())
        policy.stapledOcspResponse = effective.policy.stapledOcspResponse;
    if (policy.deliveredScts.isEmpty())
        policy.deliveredScts = effective.policy.deliveredScts;
    inspection.problems = inputs.problems;
    inspection.warnings = inputs.warnings;
    inspection.evaluation.reset();
    if (inspection.backends) {
        tls::evaluateChains(*inspection.backends, [&](const tls::DistinctChain &chain) {
            return judge(chain.certificates, policy, inputs, effective.port, cancel);
        });
        if (!inspection.backends->chains.isEmpty() && inspection.backends->chains.first().evaluation)
            inspection.evaluation = inspection.backends->chains.first().evaluation;
    } else if (!inspection.chain.isEmpty()) {
        inspection.evaluation = judge(inspection.chain, policy, inputs, effective.port, cancel);
    }
    inspection.appleEvaluation.reset();
    inspection.rootPrograms.clear();
    const QList<Certificate> judged = inspection.backends && !inspection.backends->chains.isEmpty()
                                          ? inspection.backends->chains.first().certificates
                                          : inspection.chain;
    if (inspection.evaluation && !judged.isEmpty()) {
        inspection.appleEvaluation = appleEvaluation(judged, policy, inputs, effective.port, cancel, inspection.apple);
        if (!settings.rootPrograms.isEmpty())
            inspection.rootPrograms =
                roots::evaluateInPrograms(judged.first(), judged.mid(1), policy, settings.rootPrograms, cancel);
    } else if (inspection.connection && !inspection.connection->ok()) {
        inspection.apple = apple::appleViewOf(*inspection.connection);
    }
}

std::optional<ct::Report> certificateTransparencyOf(const tls::FetchResult &result, const trust::Policy &base)
{
    if (!result.ok() || result.presentedChain.isEmpty())
        return std::nullopt;
    Inspection inspection;
    inspection.connection = result;
    TrustSettings settings;
    settings.policy = base;
    settings.policy.fetchMissingIntermediates = false;
    settings.policy.revocation = trust::RevocationMode::None;
    settings = effectiveSettings(inspection, settings);
    const trust::Evaluation evaluation =
        trust::evaluate(result.presentedChain.first(), result.presentedChain.mid(1), settings.policy);
    return evaluation.ct;
}

QStringList failedCheckKeys(const trust::Evaluation &evaluation)
{
    QStringList keys;
    for (const trust::CheckFailure &failure : evaluation.failures)
        keys.append(QStringLiteral("%1@%2").arg(failure.key).arg(failure.certIndex));
    keys.sort();
    keys.removeDuplicates();
    return keys;
}

ClassifiedInput classifyInput(const QString &text)
{
    if (QFileInfo::exists(text))
        return {InputKind::File, {}};
    if (text.contains(QLatin1String("-----BEGIN ")))
        return {InputKind::PemText, {}};
    tls::FetchOptions probe;
    const bool looksLikeServer =
        !text.contains(QLatin1Char(' ')) && text.contains(QLatin1Char('.')) && !tls::parseTarget(text, probe);
    if (!looksLikeServer)
        if (apple::Explanation explanation = apple::explain(text); !explanation.codes.isEmpty())
            return {InputKind::ErrorMessage, std::move(explanation)};
    return {InputKind::Server, {}};
}

} // namespace trustscope::core::inspect
