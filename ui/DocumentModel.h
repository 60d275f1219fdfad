#pragma once

#include "apple/AppleDiagnosis.h"
#include "roots/RootPrograms.h"
#include "tls/Backends.h"
#include "tls/TlsFetch.h"
#include "trust/TrustEvaluation.h"
#include "x509/Document.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace trustscope::ui {

// The chain tree: opened documents at the top, their objects below.
class DocumentModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role { ObjectTypeRole = Qt::UserRole + 1, IsDocumentRole };

    explicit DocumentModel(QObject *parent = nullptr);
    ~DocumentModel() override;

    // Returns the index of the new document row.
    QModelIndex addDocument(core::Document document, const QString &title,
                            std::optional<core::tls::FetchResult> connection = std::nullopt);
    // The handshake behind a fetched document (for document or object rows).
    [[nodiscard]] const core::tls::FetchResult *connection(const QModelIndex &index) const;
    void removeDocument(int row);
    [[nodiscard]] const core::PkiObject *object(const QModelIndex &index) const;
    // Documents keep an id for life, so results of background work find them after rows move.
    [[nodiscard]] quint64 documentId(const QModelIndex &index) const;
    [[nodiscard]] QModelIndex indexOfDocument(quint64 id) const;
    void setEvaluation(quint64 id, core::trust::Evaluation evaluation);
    [[nodiscard]] const core::trust::Evaluation *evaluation(const QModelIndex &index) const;
    // What the platforms decide beside the verdict: the Apple diagnosis (under Apple's roots) and
    // one verdict per root program.
    struct PlatformVerdicts {
        std::optional<core::apple::AppleView> apple;
        QList<core::roots::ProgramVerdict> rootPrograms;
    };
    void setPlatformVerdicts(quint64 id, PlatformVerdicts verdicts);
    [[nodiscard]] const PlatformVerdicts *platformVerdicts(const QModelIndex &index) const;
    // Whether the row is a certificate the built path added (not in the document itself).
    [[nodiscard]] bool isPathOnly(const QModelIndex &index) const;
    // A comparison of many connections to one server (its objects are the distinct chains, in
    // order, their container naming the chain: "Chain A").
    void setBackends(quint64 id, core::tls::BackendReport report);
    [[nodiscard]] const core::tls::BackendReport *backends(const QModelIndex &index) const;
    [[nodiscard]] int chainIndex(const QModelIndex &index) const;                 // the object's chain there, else -1
    [[nodiscard]] const core::Document *document(const QModelIndex &index) const; // for document or object rows

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Entry {
        core::Document document;
        QString title;
        std::optional<core::tls::FetchResult> connection;
        quint64 id = 0;
        std::optional<core::trust::Evaluation> evaluation;
        std::optional<PlatformVerdicts> platform;
        std::optional<core::tls::BackendReport> backends;
        // Certificates of the built path that the document does not hold (from AIA, the
        // user's roots or the system's), shown after its objects.
        QList<core::PkiObject> pathOnly;
    };
    const Entry *entryOf(const QModelIndex &index) const;
    quint64 m_nextId = 1;
    std::vector<std::unique_ptr<Entry>> m_entries; // unique_ptr: child indexes point at entries
};

} // namespace trustscope::ui
