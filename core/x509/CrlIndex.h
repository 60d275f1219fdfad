#pragma once

#include "asn1/Asn1Tree.h"
#include "x509/PkiObject.h"

namespace trustscope::core {

// The revoked-certificate entries of a CRL, read on demand from its ASN.1 tree, so a list of
// 200 000 entries is paged without a second parse and without decoding what is not shown.
class CrlIndex {
public:
    explicit CrlIndex(const asn1::Tree &tree);
    [[nodiscard]] qint32 count() const;
    [[nodiscard]] CrlEntry entry(qint32 row) const;

private:
    const asn1::Tree &m_tree;
    qint32 m_list = -1; // the revokedCertificates SEQUENCE, or -1 when the CRL has none
};

} // namespace trustscope::core
