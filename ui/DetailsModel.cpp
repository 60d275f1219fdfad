#include "DetailsModel.h"

#include "roots/RootPrograms.h"
#include "x509/Report.h"

#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace trustscope::ui {

using namespace trustscope::core;

DetailsModel::Node *DetailsModel::Node::add(QString childName, QString childValue)
{
    auto child = std::make_unique<Node>();
    child->name = std::move(childName);
    child->value = std::move(childValue);
    child->parent = this;
    child->row = int(children.size());
    children.push_back(std::move(child));
    return children.back().get();
}

DetailsModel::DetailsModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{}

DetailsModel::~DetailsModel() = default;

namespace {

using Node = DetailsModel::Node;

void addName(Node *group, const DistinguishedName &name)
{
    for (const NameAttribute &attribute : name.attributes)
        group->add(attribute.shortName, attribute.value);
    group->value = name.rfc4514;
}

Node *addKey(Node *root, const PublicKeyInfo &key)
{
    Node *group = root->add(QObject::tr("Public Key"), QStringLiteral("%1 %2 bits").arg(key.algorithm).arg(key.bits));
    group->add(QObject::tr("Algorithm"), key.algorithm);
    group->add(QObject::tr("Key Size"), QStringLiteral("%1 bits").arg(key.bits));
    if (!key.curve.isEmpty())
        group->add(QObject::tr("Curve"), key.curve);
    group->add(QObject::tr("SPKI SHA-256 (pin-sha256)"), key.spkiSha256Base64);
    group->add(QObject::tr("SPKI SHA-256 (hex)"), key.spkiSha256Hex);
    return group;
}

// A root's status in every root program (from the shipped CCADB and snapshot data): shown for a
// certificate some program knows, and for every self-signed CA (then: "in no program").
void addRootPrograms(Node *root, const Certificate &certificate)
{
    const QList<roots::RootStatus> statuses =
        roots::statusInPrograms(QByteArray::fromHex(certificate.sha256Hex.toLatin1()));
    QStringList trustedBy;
    bool known = false;
    for (const roots::RootStatus &status : statuses) {
        known = known || (status.record && status.program != QLatin1String("system"));
        if (status.record && status.record->trusted())
            trustedBy.append(status.program);
    }
    if (!known && !(certificate.selfSigned && certificate.isCa))
        return;
    Node *programs =
        root->add(QObject::tr("Root Programs"),
                  trustedBy.isEmpty() ? QObject::tr("trusted by no root program")
                                      : QObject::tr("trusted by %1").arg(trustedBy.join(QStringLiteral(", "))));
    for (const roots::RootStatus &status : statuses) {
        QString value = QObject::tr("not in this store");
        if (status.record) {
            value = status.record->status;
            if (status.record->statusFrom == QLatin1String("ccadb"))
                value += QObject::tr(" (CCADB)");
            if (status.record->der.isEmpty())
                value += QObject::tr(", no certificate in the snapshot");
            if (!status.record->note.isEmpty())
                value += QStringLiteral(" — ") + status.record->note;
        }
        Node *entry = programs->add(roots::programTitle(status.program), value);
        entry->warning =
            status.record && !status.record->trusted() && status.record->status != QLatin1String("Not Included");
    }
}

Node *addExtensions(Node *root, const QList<Extension> &extensions, const QString &title)
{
    if (extensions.isEmpty())
        return nullptr;
    Node *group = root->add(title, QString::number(extensions.size()));
    for (const Extension &extension : extensions) {
        Node *node = group->add(extension.name, extension.value);
        node->extensionOid = extension.oid;
        node->warning = !extension.error.isEmpty();
        node->add(QObject::tr("Identifier"), extension.oid);
        node->add(QObject::tr("Critical"), extension.critical ? QObject::tr("yes") : QObject::tr("no"));
        if (!extension.error.isEmpty())
            node->add(QObject::tr("Error"), extension.error)->warning = true;
        for (const QString &detail : extension.details)
            node->add(QString(), detail);
    }
    return group;
}

void fill(Node *root, const PkiObject &object, const QDateTime &now)
{
    if (const auto *certificate = object.as<Certificate>()) {
        addName(root->add(QObject::tr("Subject"))->withField(QStringLiteral("subject")), certificate->subject);
        if (!certificate->subjectAltNames.isEmpty()) {
            Node *names = root->add(QObject::tr("Subject Alternative Names"),
                                    QString::number(certificate->subjectAltNames.size()));
            names->asn1Field = QStringLiteral("2.5.29.17");
            for (const GeneralName &name : certificate->subjectAltNames)
                names->add(name.type, name.value);
        }
        addName(root->add(QObject::tr("Issuer"))->withField(QStringLiteral("issuer")), certificate->issuer);
        Node *validity = root->add(QObject::tr("Validity"), certificate->validityDescription(now));
        validity->asn1Field = QStringLiteral("validity");
        validity->warning = certificate->validityAt(now) != ValidityState::Valid;
        validity->add(QObject::tr("Not Valid Before"), isoUtc(certificate->notBefore))->asn1Field =
            QStringLiteral("notBefore");
        validity->add(QObject::tr("Not Valid After"), isoUtc(certificate->notAfter))->asn1Field =
            QStringLiteral("notAfter");
        validity->add(QObject::tr("State"), certificate->validityDescription(now))->warning = validity->warning;
        addKey(root, certificate->publicKey)->asn1Field = QStringLiteral("subjectPublicKeyInfo");
        Node *signature = root->add(QObject::tr("Signature"), certificate->signatureAlgorithm);
        signature->asn1Field = QStringLiteral("signatureAlgorithm");
        signature->add(QObject::tr("Algorithm"), certificate->signatureAlgorithm);
        signature->add(QObject::tr("Identifier"), certificate->signatureAlgorithmOid);
        if (!certificate->signatureParameters.isEmpty())
            signature->add(QObject::tr("Parameters"), certificate->signatureParameters);
        if (!certificate->signatureDigest.isEmpty())
            signature->add(QObject::tr("Digest"), certificate->signatureDigest);
        Node *identity = root->add(QObject::tr("Certificate"), QObject::tr("version %1").arg(certificate->version));
        identity->asn1Field = QStringLiteral("serial");
        identity->add(QObject::tr("Version"), QString::number(certificate->version))->asn1Field =
            QStringLiteral("version");
        identity->add(QObject::tr("Serial Number"), certificate->serialHex)->asn1Field = QStringLiteral("serial");
        identity->add(QObject::tr("Certificate Authority"), certificate->isCa ? QObject::tr("yes") : QObject::tr("no"));
        identity->add(QObject::tr("Self-signed"), certificate->selfSigned ? QObject::tr("yes") : QObject::tr("no"));
        if (Node *extensions = addExtensions(root, certificate->extensions, QObject::tr("Extensions"))) {
            extensions->asn1Field = QStringLiteral("extensions");
            for (const auto &extension : extensions->children)
                extension->asn1Field = extension->extensionOid;
        }
        Node *fingerprints = root->add(QObject::tr("Fingerprints"));
        fingerprints->add(QObject::tr("SHA-256"), certificate->sha256Hex);
        fingerprints->add(QObject::tr("SHA-1"), certificate->sha1Hex);
        addRootPrograms(root, *certificate);
    } else if (const auto *crl = object.as<Crl>()) {
        addName(root->add(QObject::tr("Issuer")), crl->issuer);
        Node *validity = root->add(QObject::tr("Validity"));
        validity->add(QObject::tr("This Update"), isoUtc(crl->thisUpdate));
        validity->add(QObject::tr("Next Update"), isoUtc(crl->nextUpdate));
        Node *info =
            root->add(QObject::tr("Revocation List"), QObject::tr("%n entries", nullptr, int(crl->entryCount)));
        info->add(QObject::tr("CRL Number"), crl->crlNumber);
        info->add(QObject::tr("Entries"), QString::number(crl->entryCount));
        info->add(QObject::tr("Signature Algorithm"), crl->signatureAlgorithm);
        addExtensions(root, crl->extensions, QObject::tr("Extensions"));
        root->add(QObject::tr("Fingerprints"))->add(QObject::tr("SHA-256"), crl->sha256Hex);
    } else if (const auto *csr = object.as<Csr>()) {
        addName(root->add(QObject::tr("Subject")), csr->subject);
        addKey(root, csr->publicKey);
        Node *signature = root->add(QObject::tr("Signature"), csr->signatureAlgorithm);
        signature->add(QObject::tr("Verifies"), csr->signatureValid ? QObject::tr("yes") : QObject::tr("no"))->warning =
            !csr->signatureValid;
        addExtensions(root, csr->requestedExtensions, QObject::tr("Requested Extensions"));
    } else if (const auto *key = object.as<PrivateKey>()) {
        root->add(QObject::tr("Private Key"), key->format);
        addKey(root, key->publicKey);
    } else if (const auto *publicKey = object.as<PublicKey>()) {
        addKey(root, publicKey->info);
    } else if (const auto *ocsp = object.as<OcspResponse>()) {
        Node *response = root->add(QObject::tr("OCSP Response"), ocsp->responseStatus);
        response->add(QObject::tr("Responder"), ocsp->responderId);
        response->add(QObject::tr("Produced At"), isoUtc(ocsp->producedAt));
        response->add(QObject::tr("Signature Algorithm"), ocsp->signatureAlgorithm);
        for (const OcspSingleResponse &single : ocsp->responses) {
            Node *node = root->add(QObject::tr("Certificate %1").arg(single.serialHex), single.status);
            node->warning = single.status != QLatin1String("good");
            node->add(QObject::tr("This Update"), isoUtc(single.thisUpdate));
            node->add(QObject::tr("Next Update"), isoUtc(single.nextUpdate));
            if (single.revocationTime.isValid())
                node->add(QObject::tr("Revoked At"), isoUtc(single.revocationTime));
            if (!single.revocationReason.isEmpty())
                node->add(QObject::tr("Reason"), single.revocationReason);
        }
    }
}

} // namespace

void DetailsModel::setObject(const PkiObject *object, const QDateTime &now)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    if (object)
        fill(m_root.get(), *object, now);
    endResetModel();
}

void DetailsModel::setTransparency(const ct::Report &report)
{
    const int row = int(m_root->children.size());
    beginInsertRows({}, row, row);
    Node *group = m_root->add(tr("Certificate Transparency (verified)"),
                              tr("%n SCT(s); Apple: %1; Chrome: %2", nullptr, int(report.scts.size()))
                                  .arg(report.apple.compliant ? tr("compliant") : tr("not compliant"),
                                       report.chrome.compliant ? tr("compliant") : tr("not compliant")));
    group->warning =
        (report.apple.required && !report.apple.compliant) || (report.chrome.required && !report.chrome.compliant);
    for (const ct::Sct &sct : report.scts) {
        const QString logName = sct.log ? sct.log->description : QString::fromLatin1(sct.logId.toBase64());
        Node *entry = group->add(
            logName, sct.signature == QLatin1String("valid") && sct.problems.isEmpty() ? tr("valid") : sct.signature);
        entry->warning = !sct.usable();
        entry->add(tr("Delivered In"), sct.source == QLatin1String("embedded")        ? tr("the certificate")
                                       : sct.source == QLatin1String("tls-extension") ? tr("TLS extension")
                                                                                      : tr("stapled OCSP response"));
        entry->add(tr("Timestamp"), sct.timestamp.toString(Qt::ISODateWithMs));
        if (sct.log) {
            entry->add(tr("Operator"), sct.log->operatorName);
            entry->add(tr("URL"), sct.log->url);
            entry->add(tr("Log List"), sct.log->list);
            entry->add(tr("State Now"), sct.log->state.isEmpty() ? tr("not listed") : sct.log->state);
            entry->add(tr("State at Timestamp"), sct.log->stateAt(sct.timestamp));
        }
        entry->add(tr("Log ID"), QString::fromLatin1(sct.logId.toBase64()));
        entry->add(tr("Algorithm"), QStringLiteral("%1 / %2").arg(sct.hashAlgorithm, sct.signatureAlgorithm));
        for (const QString &problem : sct.problems)
            entry->add(tr("Problem"), problem)->warning = true;
    }
    for (const auto &[name, verdict] :
         {std::pair{tr("Apple's CT policy"), report.apple}, std::pair{tr("Chrome's CT policy"), report.chrome}}) {
        Node *policy = group->add(name, (verdict.compliant ? tr("compliant") : tr("not compliant")) +
                                            (verdict.required ? tr(", required") : tr(", not required")));
        policy->warning = verdict.required && !verdict.compliant;
        policy->add(tr("Reason"), verdict.reason);
        if (!verdict.missing.isEmpty())
            policy->add(tr("Missing"), verdict.missing);
    }
    endInsertRows();
}

void DetailsModel::setConnection(const tls::FetchResult &connection)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    Node *root = m_root.get();
    Node *summary = root->add(tr("Connection"), QStringLiteral("%1 port %2").arg(connection.host).arg(connection.port));
    summary->add(tr("Address"), connection.address);
    summary->add(tr("SNI"), connection.sni.isEmpty() ? tr("(none sent)") : connection.sni);
    if (!connection.startTls.isEmpty())
        summary->add(tr("STARTTLS"), connection.startTls);
    summary->add(tr("Time"), tr("%1 ms").arg(connection.elapsedMs));
    if (!connection.ok()) {
        Node *failure = root->add(tr("Failure"), connection.errorStage);
        failure->warning = true;
        failure->add(tr("Stage"), connection.errorStage)->warning = true;
        failure->add(tr("Reason"), connection.errorMessage)->warning = true;
    }
    if (connection.alert) {
        Node *alert = root->add(tr("TLS Alert"),
                                QStringLiteral("%1 (%2)").arg(connection.alert->name).arg(connection.alert->code));
        alert->warning = true;
        alert->add(tr("Direction"), connection.alert->direction);
        alert->add(tr("On iOS / macOS"), QStringLiteral("%1 (%2)%3")
                                             .arg(connection.alert->appleName)
                                             .arg(connection.alert->appleCode)
                                             .arg(connection.alert->appleLikely ? tr(", likely") : QString()));
    }
    if (connection.ok()) {
        Node *handshake = root->add(tr("Handshake"), connection.protocol);
        handshake->add(tr("Protocol"), connection.protocol);
        handshake->add(tr("Cipher Suite"), connection.cipher);
        handshake->add(tr("Key Exchange Group"), connection.group);
        handshake->add(tr("Server Signature"), connection.peerSignature);
        handshake->add(tr("ALPN"), connection.alpn.isEmpty() ? tr("(none)") : connection.alpn);
        Node *chain =
            root->add(tr("Chain as Sent"), tr("%n certificate(s)", nullptr, int(connection.presentedChain.size())));
        for (qsizetype index = 0; index < connection.presentedChain.size(); ++index)
            chain->add(QString::number(index), connection.presentedChain.at(index).subject.rfc4514);
        Node *ocsp =
            root->add(tr("OCSP Staple"), connection.ocspStaple ? connection.ocspStaple->responseStatus : tr("none"));
        if (connection.ocspStaple)
            for (const OcspSingleResponse &single : connection.ocspStaple->responses)
                ocsp->add(tr("Serial %1").arg(single.serialHex), single.status);
        Node *transparency =
            root->add(tr("Certificate Transparency"), tr("%n SCT(s)", nullptr, int(connection.scts.size())));
        for (const tls::SignedCertificateTimestamp &sct : connection.scts) {
            Node *entry = transparency->add(tr("Log %1").arg(sct.logId), isoUtc(sct.timestamp));
            entry->add(tr("Delivered In"), sct.source == QLatin1String("tls-extension") ? tr("TLS extension")
                                           : sct.source == QLatin1String("ocsp-staple") ? tr("stapled OCSP response")
                                                                                        : tr("the certificate"));
            entry->add(tr("Version"), QStringLiteral("v%1").arg(sct.version));
            entry->add(tr("Signature"), sct.signatureAlgorithm);
        }
    }
    Node *client = root->add(tr("Client Certificate"),
                             connection.clientCertificateRequested ? tr("requested") : tr("not requested"));
    for (const QString &authority : connection.acceptableClientCAs)
        client->add(tr("Acceptable CA"), authority);
    endResetModel();
}

QModelIndex DetailsModel::find(const QString &group, const QString &name) const
{
    for (const auto &groupNode : m_root->children) {
        if (groupNode->name != group)
            continue;
        if (name.isEmpty())
            return createIndex(groupNode->row, 0, groupNode.get());
        for (const auto &child : groupNode->children)
            if (child->name == name)
                return createIndex(child->row, 0, child.get());
    }
    return {};
}

QModelIndex DetailsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node *parentNode = parent.isValid() ? static_cast<const Node *>(parent.internalPointer()) : m_root.get();
    return createIndex(row, column, parentNode->children.at(size_t(row)).get());
}

QModelIndex DetailsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *parentNode = static_cast<const Node *>(child.internalPointer())->parent;
    if (!parentNode || parentNode == m_root.get())
        return {};
    return createIndex(parentNode->row, 0, const_cast<Node *>(parentNode));
}

int DetailsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    const Node *node = parent.isValid() ? static_cast<const Node *>(parent.internalPointer()) : m_root.get();
    return int(node->children.size());
}

int DetailsModel::columnCount(const QModelIndex &) const
{
    return 2;
}

QVariant DetailsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = static_cast<const Node *>(index.internalPointer());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return index.column() == 0 ? node->name : node->value;
    case CopyTextRole:
        return node->value.isEmpty() ? node->name : node->value;
    case ExtensionOidRole:
        return node->extensionOid;
    case Asn1FieldRole:
        for (const Node *row = node; row && row != m_root.get(); row = row->parent)
            if (!row->asn1Field.isEmpty())
                return row->asn1Field;
        return QString();
    case Qt::FontRole:
        if (node->parent == m_root.get() && index.column() == 0) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        if (node->warning)
            return QBrush(QColor(0xd0, 0x3a, 0x2f));
        return {};
    default:
        return {};
    }
}

QVariant DetailsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Field") : tr("Value");
}

} // namespace trustscope::ui
