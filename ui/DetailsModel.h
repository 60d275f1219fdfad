#pragma once

#include "ct/Ct.h"

#include "tls/TlsFetch.h"
#include "x509/PkiObject.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace trustscope::ui {

// The fields of one object as a two-column tree (Field, Value), grouped like the macOS
// certificate viewer: Subject, Issuer, Validity, Public Key, Signature, Extensions, Fingerprints.
class DetailsModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role {
        CopyTextRole = Qt::UserRole + 1,
        ExtensionOidRole,
        // The certificate field a row shows, as asn1::Tree::findCertificateField names it ("subject",
        // "notAfter", an extension's OID …): the Details → ASN.1 link, independent of display text.
        Asn1FieldRole,
    };

    explicit DetailsModel(QObject *parent = nullptr);
    ~DetailsModel() override;

    void setObject(const core::PkiObject *object, const QDateTime &now = QDateTime::currentDateTimeUtc());
    void clear() { setObject(nullptr); }
    // The facts of a handshake (or how it failed), for a fetched document's own row.
    void setConnection(const core::tls::FetchResult &connection);
    // The verified SCTs and both CT policies' verdicts of the shown certificate (or connection),
    // from its evaluation: a "Certificate Transparency (verified)" group at the end.
    void setTransparency(const core::ct::Report &report);
    // The row whose field name is `name` under the group `group`, for tests and field jumps.
    [[nodiscard]] QModelIndex find(const QString &group, const QString &name = {}) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Node {
        QString name;
        QString value;
        QString extensionOid;
        QString asn1Field; // inherited by rows that have none (see Asn1FieldRole)
        bool warning = false;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
        Node *add(QString childName, QString childValue = {});
        Node *withField(QString field)
        {
            asn1Field = std::move(field);
            return this;
        }
    };

private:
    std::unique_ptr<Node> m_root;
};

} // namespace trustscope::ui
