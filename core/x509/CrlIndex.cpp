#include "x509/CrlIndex.h"

#include <QTimeZone>

namespace trustscope::core {

using asn1::Node;
using asn1::Tree;

namespace {

constexpr quint32 kInteger = 2, kOctetString = 4, kOid = 6, kEnumerated = 10, kSequence = 16, kUtcTime = 23,
                  kGeneralizedTime = 24;

QDateTime timeOf(const Tree &tree, qint32 node)
{
    if (node < 0)
        return {};
    const QString iso = tree.value(node);
    QDateTime time = QDateTime::fromString(iso, Qt::ISODate);
    time.setTimeZone(QTimeZone::UTC);
    return time;
}

bool isUniversal(const Tree &tree, qint32 node, quint32 tag)
{
    return node >= 0 && tree.node(node).tagClass == 0 && tree.node(node).tag == tag;
}

} // namespace

CrlIndex::CrlIndex(const Tree &tree)
    : m_tree(tree)
{
    // CertificateList ::= SEQUENCE { tbsCertList SEQUENCE { version?, signature, issuer,
    //   thisUpdate, nextUpdate?, revokedCertificates SEQUENCE OF ..., [0] extensions? }, … }
    const qint32 tbs = tree.child(tree.child(-1, 0), 0);
    if (tbs < 0)
        return;
    qint32 row = isUniversal(tree, tree.child(tbs, 0), kInteger) ? 4 : 3; // first field after thisUpdate
    qint32 candidate = tree.child(tbs, row);
    if (isUniversal(tree, candidate, kUtcTime) || isUniversal(tree, candidate, kGeneralizedTime))
        candidate = tree.child(tbs, ++row);
    if (isUniversal(tree, candidate, kSequence))
        m_list = candidate;
}

qint32 CrlIndex::count() const
{
    return m_list < 0 ? 0 : m_tree.node(m_list).childCount;
}

CrlEntry CrlIndex::entry(qint32 row) const
{
    CrlEntry entry;
    const qint32 node = m_tree.child(m_list, row);
    if (node < 0)
        return entry;
    const qint32 serial = m_tree.child(node, 0);
    if (isUniversal(m_tree, serial, kInteger))
        entry.serialHex = QString::fromLatin1(m_tree.content(serial).toHex().toUpper());
    entry.revocationDate = timeOf(m_tree, m_tree.child(node, 1));
    const qint32 extensions = m_tree.child(node, 2);
    for (qint32 index = 0; extensions >= 0 && index < m_tree.node(extensions).childCount; ++index) {
        const qint32 extension = m_tree.child(extensions, index);
        const qint32 oid = m_tree.child(extension, 0);
        if (!isUniversal(m_tree, oid, kOid))
            continue;
        qint32 valueNode = m_tree.child(extension, m_tree.node(extension).childCount - 1);
        if (!isUniversal(m_tree, valueNode, kOctetString))
            continue;
        valueNode = m_tree.child(valueNode, 0); // encapsulated
        const QByteArray oidBytes = m_tree.content(oid);
        if (oidBytes == QByteArray::fromHex("551d15") &&
            isUniversal(m_tree, valueNode, kEnumerated)) { // 2.5.29.21 reasonCode
            static const char *const reasons[] = {"unspecified",        "keyCompromise", "cACompromise",
                                                  "affiliationChanged", "superseded",    "cessationOfOperation",
                                                  "certificateHold",    "(unused 7)",    "removeFromCRL",
                                                  "privilegeWithdrawn", "aACompromise"};
            const int code = m_tree.value(valueNode).toInt();
            entry.reason = code >= 0 && code < int(std::size(reasons)) ? QString::fromLatin1(reasons[code])
                                                                       : QStringLiteral("reason %1").arg(code);
        } else if (oidBytes == QByteArray::fromHex("551d18")) { // 2.5.29.24 invalidityDate
            entry.invalidityDate = timeOf(m_tree, valueNode);
        }
    }
    return entry;
}

} // namespace trustscope::core
