#pragma once

// A DER/BER walker over OpenSSL's TLV primitive (ASN1_get_object). Nodes live in one flat
// array in breadth-first order, so the children of a node are contiguous (firstChild …
// firstChild + childCount - 1): a lazy model can index them directly, and the walk needs no
// recursion a hostile file could overflow. Values are decoded on demand.

#include "Error.h"
#include "asn1/HugePageAllocator.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace trustscope::core::asn1 {

enum NodeError : quint16 {
    NoError = 0,
    NonMinimalLength = 1 << 0, // long form where short would do, or leading zero length bytes
    LengthPastEnd = 1 << 1,    // the header claims more bytes than there are
    TrailingData = 1 << 2,     // bytes after the last child that are not a TLV
    NonDerBoolean = 1 << 3,    // BOOLEAN not exactly 00 or FF
    BadStringCharacters = 1 << 4,
    BadTimeFormat = 1 << 5,
    DepthLimit = 1 << 6,        // nested deeper than the limit: children not decoded
    BadHeader = 1 << 7,         // the identifier or length octets do not decode
    IndefiniteLength = 1 << 8,  // BER, not DER (decoded anyway)
    NonMinimalInteger = 1 << 9, // leading 00 or FF octets
    NonMinimalTag = 1 << 10,
};

// 32 bytes: a 200 000-entry CRL has 1.6 million of these. Offsets fit in 32 bits because
// inputs are limited to WalkOptions::maxBytes.
struct Node {
    quint32 offset = 0;        // of the identifier octet
    quint32 contentLength = 0; // for indefinite length: up to the end-of-contents octets
    qint32 parent = -1;
    qint32 firstChild = -1;
    qint32 childCount = 0;
    quint32 tag = 0;
    quint16 errors = NoError;
    quint16 depth = 0;
    quint8 headerLength = 0;
    quint8 tagClass = 0; // 0 universal, 1 application, 2 context-specific, 3 private
    bool constructed = false;
    bool indefinite = false;
    bool encapsulates = false; // a primitive OCTET/BIT STRING whose content was decoded as DER

    [[nodiscard]] qint64 contentOffset() const { return qint64(offset) + headerLength; }
    [[nodiscard]] qint64 totalLength() const { return qint64(headerLength) + contentLength + (indefinite ? 2 : 0); }
};

struct WalkOptions {
    bool encapsulation = true; // expand DER inside OCTET STRING and BIT STRING
    int maxDepth = 256;
    qint64 maxNodes = 20'000'000;
    qint64 maxBytes = 256 * 1024 * 1024;
    // A quick first look at a huge input: only nodes up to this depth. Their indices are the
    // same as in the complete tree (breadth-first order), so a view can show the preview and
    // swap in the complete tree later without losing its place. -1: walk everything.
    int previewDepth = -1;
};

class Tree {
public:
    [[nodiscard]] static Result<Tree> parse(QByteArray data, const WalkOptions &options = {});

    [[nodiscard]] const QByteArray &data() const { return m_data; }
    using Nodes = std::vector<Node, HugePageAllocator<Node>>;
    [[nodiscard]] const Nodes &nodes() const { return m_nodes; }
    [[nodiscard]] const Node &node(qint32 index) const { return m_nodes[size_t(index)]; }
    [[nodiscard]] qint32 rootCount() const { return m_rootCount; } // roots are nodes 0 … rootCount-1
    [[nodiscard]] bool isComplete() const { return m_complete; }   // false for a previewDepth walk that stopped
    [[nodiscard]] qint32 child(qint32 parent, qint32 row) const;   // parent -1 = roots

    [[nodiscard]] QString typeName(qint32 index) const; // "SEQUENCE", "[0]", "OBJECT IDENTIFIER", "[APPLICATION 3]"
    [[nodiscard]] QString value(qint32 index) const;    // decoded value for primitives, empty otherwise
    [[nodiscard]] QStringList errors(qint32 index) const;
    [[nodiscard]] QString className(qint32 index) const; // universal, application, context, private
    [[nodiscard]] QByteArray content(qint32 index) const;
    [[nodiscard]] QByteArray encoded(qint32 index) const; // header + content (+ EOC)

    // The deepest node whose encoding contains byte `offset`, or -1 (binary search per level).
    [[nodiscard]] qint32 nodeAt(qint64 offset) const;

    // The node that encodes a certificate field, for jumping from the details to the bytes.
    // field: version serial signatureAlgorithm issuer validity notBefore notAfter subject
    // subjectPublicKeyInfo extensions signature, or an extension OID ("2.5.29.17"). -1 if absent.
    [[nodiscard]] qint32 findCertificateField(const QString &field, qint32 certificateRoot = 0) const;

private:
    QByteArray m_data;
    Nodes m_nodes;
    qint32 m_rootCount = 0;
    bool m_complete = true;
};

// Names for the OIDs people meet in certificates, CT and Apple's PKI that OpenSSL lacks.
[[nodiscard]] QString oidName(const QString &dottedOid);

} // namespace trustscope::core::asn1
