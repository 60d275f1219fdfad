// gen and serve: test PKIs and a local TLS server for them.

#include "Command.h"

#include "gen/Generator.h"
#include "gen/TestServer.h"
#include "ossl/OpenSslError.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <csignal>

namespace trustscope::cli {

using namespace trustscope::core;
using namespace trustscope::ossl;

QList<QCommandLineOption> genOptions()
{
    return {
        {QStringLiteral("out"), QStringLiteral("Folder to write into (created if needed; default .)."),
         QStringLiteral("dir")},
        {QStringLiteral("name"), QStringLiteral("Base file name (default: ca, intermediate, leaf, request)."),
         QStringLiteral("name")},
        {QStringLiteral("key"),
         QStringLiteral("Key type: rsa2048 rsa3072 rsa4096 p256 (default) p384 p521 ed25519 ed448 "
                        "mldsa44 mldsa65 mldsa87."),
         QStringLiteral("type")},
        {QStringLiteral("cn"), QStringLiteral("Subject common name."), QStringLiteral("name")},
        {QStringLiteral("org"), QStringLiteral("Subject organization."), QStringLiteral("name")},
        {QStringLiteral("dns"), QStringLiteral("A DNS subject alternative name (repeatable)."), QStringLiteral("name")},
        {QStringLiteral("ip"), QStringLiteral("An IP subject alternative name (repeatable)."),
         QStringLiteral("address")},
        {QStringLiteral("email"), QStringLiteral("An e-mail subject alternative name (repeatable)."),
         QStringLiteral("address")},
        {QStringLiteral("uri"), QStringLiteral("A URI subject alternative name (repeatable)."), QStringLiteral("uri")},
        {QStringLiteral("server"), QStringLiteral("Leaf: EKU serverAuth (the default when neither is given).")},
        {QStringLiteral("client"), QStringLiteral("Leaf: EKU clientAuth.")},
        {QStringLiteral("self-signed"), QStringLiteral("Leaf: sign it with its own key.")},
        {QStringLiteral("issuer-cert"), QStringLiteral("The issuing CA's certificate."), QStringLiteral("file")},
        {QStringLiteral("issuer-key"), QStringLiteral("The issuing CA's private key."), QStringLiteral("file")},
        {QStringLiteral("csr"), QStringLiteral("sign: the request to sign."), QStringLiteral("file")},
        {QStringLiteral("path-length"), QStringLiteral("CA: basicConstraints pathLenConstraint."), QStringLiteral("n")},
        {QStringLiteral("permit"),
         QStringLiteral("Intermediate: permitted name constraint, e.g. DNS:example.com "
                        "(repeatable)."),
         QStringLiteral("name")},
        {QStringLiteral("exclude"), QStringLiteral("Intermediate: excluded name constraint (repeatable)."),
         QStringLiteral("name")},
        {QStringLiteral("must-staple"), QStringLiteral("Leaf: the OCSP must-staple (TLS feature) extension.")},
        {QStringLiteral("ocsp"), QStringLiteral("AIA OCSP responder URL."), QStringLiteral("url")},
        {QStringLiteral("ca-issuers"), QStringLiteral("AIA caIssuers URL."), QStringLiteral("url")},
        {QStringLiteral("crl"), QStringLiteral("CRL distribution point URL."), QStringLiteral("url")},
        {QStringLiteral("policy"), QStringLiteral("A certificate policy OID, or anyPolicy (repeatable)."),
         QStringLiteral("oid")},
        {QStringLiteral("policy-mapping"), QStringLiteral("CA: a policy mapping ISSUER-OID:SUBJECT-OID (repeatable)."),
         QStringLiteral("mapping")},
        {QStringLiteral("require-explicit"),
         QStringLiteral("CA: policyConstraints requireExplicitPolicy with this skip count."), QStringLiteral("n")},
        {QStringLiteral("inhibit-mapping"),
         QStringLiteral("CA: policyConstraints inhibitPolicyMapping with this skip count."), QStringLiteral("n")},
        {QStringLiteral("inhibit-any"), QStringLiteral("CA: inhibitAnyPolicy with this skip count."),
         QStringLiteral("n")},
        {QStringLiteral("days"), QStringLiteral("Validity in days from --not-before (default 365; CAs 3650)."),
         QStringLiteral("n")},
        {QStringLiteral("not-before"), QStringLiteral("Start of validity (ISO 8601; may be in the past or future)."),
         QStringLiteral("time")},
        {QStringLiteral("not-after"), QStringLiteral("End of validity (ISO 8601; may be in the past)."),
         QStringLiteral("time")},
        {QStringLiteral("hash"), QStringLiteral("sha256 (default), sha384, sha512; sha1 only for negative tests."),
         QStringLiteral("hash")},
        {QStringLiteral("passphrase-file"),
         QStringLiteral("Encrypt the key (AES-256) and write PKCS#12 files with the passphrase in <file>."),
         QStringLiteral("file")},
        {QStringLiteral("issuer-passphrase-file"), QStringLiteral("The passphrase of an encrypted --issuer-key."),
         QStringLiteral("file")},
        {QStringLiteral("host"), QStringLiteral("scenario: the host the leaf is for (default localhost)."),
         QStringLiteral("name")},
        {QStringLiteral("base-url"),
         QStringLiteral("scenario: where AIA and CRL URLs point (default "
                        "http://127.0.0.1:8080/)."),
         QStringLiteral("url")},
        {QStringLiteral("ct-log"),
         QStringLiteral("leaf: issue it through a precertificate and embed an SCT from the test log in <dir> "
                        "(gen ct-log; repeatable). sct: the logs that sign."),
         QStringLiteral("dir")},
        {QStringLiteral("sct-time"), QStringLiteral("The SCTs' timestamp (ISO 8601; default now)."),
         QStringLiteral("time")},
        {QStringLiteral("operator"), QStringLiteral("ct-log: the log operator's name."), QStringLiteral("name")},
        {QStringLiteral("state"),
         QStringLiteral("ct-log: the log's state: pending, qualified, usable (default), readonly, retired, rejected."),
         QStringLiteral("state")},
        {QStringLiteral("state-since"), QStringLiteral("ct-log: since when the log is in --state (ISO 8601)."),
         QStringLiteral("time")},
        {QStringLiteral("interval-start"),
         QStringLiteral("ct-log: start of the temporal interval (certificates expiring from then)."),
         QStringLiteral("time")},
        {QStringLiteral("interval-end"), QStringLiteral("ct-log: end of the temporal interval (exclusive)."),
         QStringLiteral("time")},
        {QStringLiteral("cert"), QStringLiteral("sct: the certificate the SCTs are for."), QStringLiteral("file")},
        {QStringLiteral("json"), QStringLiteral("Print what was written as JSON.")},
    };
}

namespace {

// gen ct-log and gen sct: test Certificate Transparency logs and TLS-delivered SCTs.
int runGenCt(const QString &what, const QDir &outDir, const QCommandLineParser &parser, QJsonArray &written)
{
    const auto timeOption = [&](const char *option, QDateTime &time) {
        if (!parser.isSet(QLatin1String(option)))
            return true;
        time = QDateTime::fromString(parser.value(QLatin1String(option)), Qt::ISODateWithMs);
        if (!time.isValid())
            err() << "trustscope-cli gen " << what << ": --" << option << " takes an ISO 8601 time\n";
        return time.isValid();
    };
    if (what == QLatin1String("ct-log")) {
        gen::CtLogSpec spec;
        spec.name = parser.value(QStringLiteral("name"));
        spec.operatorName = parser.value(QStringLiteral("operator"));
        spec.folder = outDir.path();
        if (parser.isSet(QStringLiteral("state")))
            spec.state = parser.value(QStringLiteral("state")).toLower();
        if (!timeOption("state-since", spec.stateSince) || !timeOption("interval-start", spec.intervalStart) ||
            !timeOption("interval-end", spec.intervalEnd))
            return ExitUsage;
        const auto files = gen::createCtLog(spec);
        if (!files) {
            err() << "trustscope-cli gen ct-log: " << files.error().toString() << '\n';
            return ExitUsage;
        }
        for (const QString &file : *files)
            written.append(file);
        return ExitOk;
    }
    // sct
    const QStringList logs = parser.values(QStringLiteral("ct-log"));
    if (logs.isEmpty() || !parser.isSet(QStringLiteral("cert"))) {
        err() << "trustscope-cli gen sct: --ct-log DIR (repeatable) and --cert FILE are needed\n";
        return ExitUsage;
    }
    QDateTime sctTime;
    if (!timeOption("sct-time", sctTime))
        return ExitUsage;
    auto certificate = gen::readCertificateFile(parser.value(QStringLiteral("cert")));
    if (!certificate) {
        err() << "trustscope-cli gen sct: " << certificate.error().toString() << '\n';
        return ExitUsage;
    }
    const auto serverInfo = gen::tlsSctsFor(certificate->get(), logs, sctTime);
    if (!serverInfo) {
        err() << "trustscope-cli gen sct: " << serverInfo.error().toString() << '\n';
        return ExitUsage;
    }
    const QString path = outDir.filePath(
        (parser.isSet(QStringLiteral("name")) ? parser.value(QStringLiteral("name")) : QStringLiteral("sct")) +
        QStringLiteral(".serverinfo.pem"));
    if (auto error = gen::writeFile(path, *serverInfo)) {
        err() << "trustscope-cli gen sct: " << error->toString() << '\n';
        return ExitUsage;
    }
    written.append(path);
    return ExitOk;
}

int failWith(const Error &error)
{
    err() << "trustscope-cli gen: " << error.toString() << '\n';
    return ExitUsage;
}

} // namespace

int runGen(const QStringList &arguments, const QCommandLineParser &parser)
{
    if (arguments.isEmpty()) {
        err() << "trustscope-cli gen: ca | intermediate | leaf | csr | sign | scenario NAME|all | ct-log | sct\n";
        return ExitUsage;
    }
    const QString what = arguments.first();
    const QDir outDir(parser.isSet(QStringLiteral("out")) ? parser.value(QStringLiteral("out")) : QStringLiteral("."));
    if (!QDir().mkpath(outDir.path()))
        return failWith({Error::Code::Io, QStringLiteral("cannot create %1").arg(outDir.path()), {}});
    QJsonArray written;

    if (what == QLatin1String("ct-log") || what == QLatin1String("sct")) {
        const int code = runGenCt(what, outDir, parser, written);
        if (code != ExitOk)
            return code;
        if (parser.isSet(QStringLiteral("json")))
            out() << QJsonDocument(QJsonObject{{QStringLiteral("written"), written}}).toJson(QJsonDocument::Indented);
        else
            for (const QJsonValue &file : std::as_const(written))
                out() << file.toString() << '\n';
        return ExitOk;
    }
    if (what == QLatin1String("scenario")) {
        QStringList names = arguments.mid(1);
        if (names == QStringList{QStringLiteral("all")}) {
            names.clear();
            for (const gen::ScenarioInfo &info : gen::scenarios())
                names.append(info.name);
        }
        if (names.isEmpty()) {
            err() << "trustscope-cli gen scenario: name one or more of:";
            for (const gen::ScenarioInfo &info : gen::scenarios())
                err() << ' ' << info.name;
            err() << " (or all)\n";
            return ExitUsage;
        }
        gen::ScenarioOptions options;
        if (parser.isSet(QStringLiteral("host")))
            options.host = parser.value(QStringLiteral("host"));
        if (parser.isSet(QStringLiteral("key")))
            options.keyType = parser.value(QStringLiteral("key"));
        if (parser.isSet(QStringLiteral("base-url")))
            options.baseUrl = parser.value(QStringLiteral("base-url"));
        for (const QString &name : std::as_const(names)) {
            const QString folder =
                names.size() == 1 && parser.isSet(QStringLiteral("out")) ? outDir.path() : outDir.filePath(name);
            const auto result = gen::writeScenario(name, folder, options);
            if (!result)
                return failWith(result.error());
            written.append(QJsonObject{{QStringLiteral("scenario"), name},
                                       {QStringLiteral("folder"), result->folder},
                                       {QStringLiteral("files"), QJsonArray::fromStringList(result->files)},
                                       {QStringLiteral("expected"), result->info.expectedKey.isEmpty()
                                                                        ? QStringLiteral("trusted")
                                                                        : result->info.expectedKey}});
            if (!parser.isSet(QStringLiteral("json")))
                out() << name << ": " << result->folder << " — " << result->info.description << '\n';
        }
        if (parser.isSet(QStringLiteral("json")))
            out() << QJsonDocument(written).toJson(QJsonDocument::Indented);
        return ExitOk;
    }

    gen::CertificateSpec spec;
    spec.commonName = parser.value(QStringLiteral("cn"));
    spec.organization = parser.value(QStringLiteral("org"));
    spec.dnsNames = parser.values(QStringLiteral("dns"));
    spec.ipAddresses = parser.values(QStringLiteral("ip"));
    spec.emailAddresses = parser.values(QStringLiteral("email"));
    spec.uris = parser.values(QStringLiteral("uri"));
    spec.clientAuth = parser.isSet(QStringLiteral("client"));
    spec.serverAuth = parser.isSet(QStringLiteral("server")) || !spec.clientAuth;
    spec.permittedNames = parser.values(QStringLiteral("permit"));
    spec.excludedNames = parser.values(QStringLiteral("exclude"));
    spec.mustStaple = parser.isSet(QStringLiteral("must-staple"));
    spec.ocspUrl = parser.value(QStringLiteral("ocsp"));
    spec.caIssuersUrl = parser.value(QStringLiteral("ca-issuers"));
    spec.crlUrl = parser.value(QStringLiteral("crl"));
    if (parser.isSet(QStringLiteral("path-length")))
        spec.pathLength = parser.value(QStringLiteral("path-length")).toInt();
    spec.policies = parser.values(QStringLiteral("policy"));
    spec.policyMappings = parser.values(QStringLiteral("policy-mapping"));
    QStringList policyOids = spec.policies;
    for (const QString &mapping : std::as_const(spec.policyMappings)) {
        if (mapping.count(QLatin1Char(':')) != 1) {
            err() << "trustscope-cli gen: --policy-mapping takes ISSUER-OID:SUBJECT-OID, not " << mapping << '\n';
            return ExitUsage;
        }
        policyOids += mapping.split(QLatin1Char(':'));
    }
    for (const QString &policy : std::as_const(policyOids))
        if (policy != QLatin1String("anyPolicy") && !isDottedOid(policy)) {
            err() << "trustscope-cli gen: '" << policy
                  << "' is not a policy OID (such as 2.23.140.1.2.1) or anyPolicy\n";
            return ExitUsage;
        }
    for (const auto &[option, field] :
         {std::pair{"require-explicit", &spec.requireExplicitPolicy},
          std::pair{"inhibit-mapping", &spec.inhibitPolicyMapping}, std::pair{"inhibit-any", &spec.inhibitAnyPolicy}}) {
        if (!parser.isSet(QLatin1String(option)))
            continue;
        bool ok = false;
        *field = parser.value(QLatin1String(option)).toInt(&ok);
        if (!ok || *field < 0 || *field > 64) {
            err() << "trustscope-cli gen: --" << option << " takes a skip count from 0 to 64\n";
            return ExitUsage;
        }
    }
    if (parser.isSet(QStringLiteral("hash"))) {
        spec.digest = parser.value(QStringLiteral("hash")).toLower();
        if (spec.digest == QLatin1String("sha1"))
            err() << "trustscope-cli gen: warning: SHA-1 signatures are broken; use them only to test rejection\n";
    }
    for (const auto &[option, field] :
         {std::pair{"not-before", &spec.notBefore}, std::pair{"not-after", &spec.notAfter}}) {
        if (!parser.isSet(QLatin1String(option)))
            continue;
        *field = QDateTime::fromString(parser.value(QLatin1String(option)), Qt::ISODate);
        if (!field->isValid()) {
            err() << "trustscope-cli gen: --" << option << " takes an ISO 8601 time such as 2026-01-31T12:00:00Z\n";
            return ExitUsage;
        }
    }
    spec.ctLogDirectories = parser.values(QStringLiteral("ct-log"));
    if (parser.isSet(QStringLiteral("sct-time"))) {
        spec.sctTime = QDateTime::fromString(parser.value(QStringLiteral("sct-time")), Qt::ISODateWithMs);
        if (!spec.sctTime.isValid()) {
            err() << "trustscope-cli gen: --sct-time takes an ISO 8601 time\n";
            return ExitUsage;
        }
    }
    if (parser.isSet(QStringLiteral("days")))
        spec.notAfter = (spec.notBefore.isValid() ? spec.notBefore : QDateTime::currentDateTimeUtc().addSecs(-3600))
                            .addDays(parser.value(QStringLiteral("days")).toInt());
    QByteArray passphrase;
    if (parser.isSet(QStringLiteral("passphrase-file"))) {
        QFile file(parser.value(QStringLiteral("passphrase-file")));
        if (!file.open(QIODevice::ReadOnly))
            return failWith({Error::Code::Io, QStringLiteral("cannot read %1").arg(file.fileName()), {}});
        passphrase = file.readLine().trimmed();
    }
    QByteArray issuerPassphrase;
    if (parser.isSet(QStringLiteral("issuer-passphrase-file"))) {
        QFile file(parser.value(QStringLiteral("issuer-passphrase-file")));
        if (!file.open(QIODevice::ReadOnly))
            return failWith({Error::Code::Io, QStringLiteral("cannot read %1").arg(file.fileName()), {}});
        issuerPassphrase = file.readLine().trimmed();
    }

    QString baseName;
    if (what == QLatin1String("ca")) {
        spec.role = gen::Role::RootCa;
        baseName = QStringLiteral("ca");
    } else if (what == QLatin1String("intermediate")) {
        spec.role = gen::Role::IntermediateCa;
        baseName = QStringLiteral("intermediate");
    } else if (what == QLatin1String("leaf")) {
        spec.role = parser.isSet(QStringLiteral("self-signed")) ? gen::Role::SelfSignedLeaf : gen::Role::Leaf;
        baseName = QStringLiteral("leaf");
        if (spec.commonName.isEmpty() && !spec.dnsNames.isEmpty())
            spec.commonName = spec.dnsNames.first();
    } else if (what == QLatin1String("csr")) {
        baseName = QStringLiteral("request");
    } else if (what == QLatin1String("sign")) {
        spec.role = gen::Role::Leaf;
        baseName = QStringLiteral("signed");
    } else {
        err() << "trustscope-cli gen: unknown kind '" << what << "' (ca, intermediate, leaf, csr, sign, scenario)\n";
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("name")))
        baseName = parser.value(QStringLiteral("name"));
    if (spec.commonName.isEmpty() && what != QLatin1String("sign"))
        spec.commonName = what == QLatin1String("ca") ? QStringLiteral("Trustscope Test Root") : baseName;

    const bool needsIssuer = what == QLatin1String("intermediate") || what == QLatin1String("sign") ||
                             (what == QLatin1String("leaf") && spec.role == gen::Role::Leaf);
    if (needsIssuer && (!parser.isSet(QStringLiteral("issuer-cert")) || !parser.isSet(QStringLiteral("issuer-key")))) {
        err() << "trustscope-cli gen " << what << ": --issuer-cert and --issuer-key name the signing CA\n";
        return ExitUsage;
    }
    const QString keyType =
        parser.isSet(QStringLiteral("key")) ? parser.value(QStringLiteral("key")) : QStringLiteral("p256");

    if (what == QLatin1String("csr")) {
        auto key = gen::generateKey(keyType);
        if (!key)
            return failWith(key.error());
        auto request = gen::createRequest(spec, key->get());
        if (!request)
            return failWith(request.error());
        auto keyPem = gen::privateKeyPem(key->get(), passphrase);
        if (!keyPem)
            return failWith(keyPem.error());
        BioPtr bio(BIO_new(BIO_s_mem()));
        if (!bio || PEM_write_bio_X509_REQ(bio.get(), request->get()) != 1)
            return failWith(openSslFailure(Error::Code::Internal, QStringLiteral("cannot encode the request")));
        char *data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        for (const auto &[file, bytes, secret] :
             {std::tuple{baseName + QStringLiteral(".key"), *keyPem, true},
              std::tuple{baseName + QStringLiteral(".csr"), QByteArray(data, qsizetype(length)), false}}) {
            written.append(outDir.filePath(file));
            if (auto error = gen::writeFile(outDir.filePath(file), bytes, secret))
                return failWith(*error);
        }
    } else if (what == QLatin1String("sign")) {
        QFile file(parser.value(QStringLiteral("csr")));
        if (!file.open(QIODevice::ReadOnly))
            return failWith({Error::Code::Io, QStringLiteral("gen sign needs --csr FILE"), {}});
        const QByteArray pem = file.readAll();
        BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
        X509ReqPtr request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
        if (!request)
            return failWith(openSslFailure(Error::Code::InvalidInput,
                                           QStringLiteral("%1 is not a PEM certificate request").arg(file.fileName())));
        auto issuerCertificate = gen::readCertificateFile(parser.value(QStringLiteral("issuer-cert")));
        if (!issuerCertificate)
            return failWith(issuerCertificate.error());
        auto issuerKey = gen::readPrivateKeyFile(parser.value(QStringLiteral("issuer-key")), issuerPassphrase);
        if (!issuerKey)
            return failWith(issuerKey.error());
        auto certificate = gen::signRequest(request.get(), spec, issuerCertificate->get(), issuerKey->get());
        if (!certificate)
            return failWith(certificate.error());
        for (const auto &[name, bytes] :
             {std::pair{baseName + QStringLiteral(".pem"), gen::certificatePem(certificate->get())},
              std::pair{baseName + QStringLiteral(".der"), gen::certificateDer(certificate->get())}}) {
            written.append(outDir.filePath(name));
            if (auto error = gen::writeFile(outDir.filePath(name), bytes))
                return failWith(*error);
        }
    } else {
        gen::IssueJob job;
        job.spec = spec;
        job.keyType = keyType;
        job.issuerCertificatePath = parser.value(QStringLiteral("issuer-cert"));
        job.issuerKeyPath = parser.value(QStringLiteral("issuer-key"));
        job.issuerKeyPassphrase = issuerPassphrase;
        job.folder = outDir.path();
        job.baseName = baseName;
        job.passphrase = passphrase;
        const auto issued = gen::issueToFiles(job);
        if (!issued)
            return failWith(issued.error());
        for (const QString &file : issued->files)
            written.append(file);
    }
    if (parser.isSet(QStringLiteral("json")))
        out() << QJsonDocument(QJsonObject{{QStringLiteral("files"), written}}).toJson(QJsonDocument::Indented);
    else
        for (const QJsonValue &file : std::as_const(written))
            out() << "wrote " << file.toString() << '\n';
    return ExitOk;
}

QList<QCommandLineOption> serveOptions()
{
    return {
        {QStringLiteral("scenario"), QStringLiteral("Serve a freshly generated scenario (see gen scenario)."),
         QStringLiteral("name")},
        {QStringLiteral("chain"), QStringLiteral("The chain to send, PEM, leaf first."), QStringLiteral("file")},
        {QStringLiteral("key"), QStringLiteral("The leaf's private key, PEM."), QStringLiteral("file")},
        {QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (default: any free one)."), QStringLiteral("n")},
        {QStringLiteral("sct"),
         QStringLiteral("Send the SCTs of <file> (gen sct; a SERVERINFO or SERVERINFOV2 PEM) in the TLS extension."),
         QStringLiteral("file")},
        {QStringLiteral("starttls"), QStringLiteral("smtp: greet as an SMTP server and start TLS on STARTTLS."),
         QStringLiteral("proto")},
        {QStringLiteral("host"), QStringLiteral("--scenario: the host the leaf is for (default localhost)."),
         QStringLiteral("name")},
        {QStringLiteral("out"),
         QStringLiteral("--scenario: keep its files in <dir> (default: a temporary folder "
                        "removed on exit)."),
         QStringLiteral("dir")},
    };
}

namespace {
std::atomic_bool g_stopServing = false;
extern "C" void stopServing(int)
{
    g_stopServing = true;
}
} // namespace

int runServe(const QStringList &, const QCommandLineParser &parser)
{
    gen::ServeOptions options;
    QTemporaryDir scratch;
    QString chainPath = parser.value(QStringLiteral("chain"));
    QString keyPath = parser.value(QStringLiteral("key"));
    if (parser.isSet(QStringLiteral("scenario"))) {
        gen::ScenarioOptions scenarioOptions;
        if (parser.isSet(QStringLiteral("host")))
            scenarioOptions.host = parser.value(QStringLiteral("host"));
        const QString folder =
            parser.isSet(QStringLiteral("out")) ? parser.value(QStringLiteral("out")) : scratch.path();
        const auto scenario = gen::writeScenario(parser.value(QStringLiteral("scenario")), folder, scenarioOptions);
        if (!scenario) {
            err() << "trustscope-cli serve: " << scenario.error().toString() << '\n';
            return ExitUsage;
        }
        chainPath = QDir(scenario->folder).filePath(QStringLiteral("chain.pem"));
        keyPath = QDir(scenario->folder).filePath(QStringLiteral("leaf.key"));
        out() << "Scenario " << scenario->info.name << ": " << scenario->info.description << "\n  files in "
              << scenario->folder << " (trust root.pem)\n";
    }
    QFile chain(chainPath);
    QFile key(keyPath);
    if (chainPath.isEmpty() || keyPath.isEmpty() || !chain.open(QIODevice::ReadOnly) ||
        !key.open(QIODevice::ReadOnly)) {
        err() << "trustscope-cli serve: give --scenario NAME, or readable --chain FILE and --key FILE\n";
        return ExitUsage;
    }
    options.chainPem = chain.readAll();
    options.keyPem = key.readAll();
    options.port = quint16(parser.value(QStringLiteral("port")).toUInt());
    if (parser.isSet(QStringLiteral("sct"))) {
        QFile sct(parser.value(QStringLiteral("sct")));
        if (!sct.open(QIODevice::ReadOnly)) {
            err() << "trustscope-cli serve: cannot read " << sct.fileName() << ": " << sct.errorString() << '\n';
            return ExitUsage;
        }
        options.serverInfoPem = sct.readAll();
    }
    if (parser.isSet(QStringLiteral("starttls"))) {
        const QString name = parser.value(QStringLiteral("starttls"));
        const auto protocol = tls::startTlsFromName(name);
        if (!protocol || !gen::serveStartTlsSupported(*protocol)) {
            err() << "trustscope-cli serve: --starttls supports smtp and none, not '" << name << "'\n";
            return ExitUsage;
        }
        options.startTls = *protocol;
    }
    std::signal(SIGINT, stopServing);
    std::signal(SIGTERM, stopServing);
    const auto error = gen::serveTls(options, g_stopServing, [](quint16 port) {
        out() << "Serving on 127.0.0.1:" << port << " (Ctrl+C to stop)" << Qt::endl;
    });
    if (error) {
        err() << "trustscope-cli serve: " << error->toString() << '\n';
        return ExitNetwork;
    }
    return ExitOk;
}

} // namespace trustscope::cli
