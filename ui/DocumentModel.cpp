#include "DocumentModel.h"

#include "ConnectionViews.h"

#include <QApplication>
#include <QFileInfo>
#include <QFont>
#include <QIcon>
#include <QStyle>

namespace trustscope::ui {

using namespace trustscope::core;

DocumentModel::DocumentModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

DocumentModel::~DocumentModel() = default;

QModelIndex DocumentModel::addDocument(Document document, const QString &title,
                                       std::optional<tls::FetchResult> connection)
{
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.push_back(std::make_unique<Entry>(Entry{
        std::move(document), title, std::move(connection), m_nextId++, std::nullopt, std::nullopt, std::nullopt, {}}));
    endInsertRows();
    return index(row, 0);
}

void DocumentModel::removeDocument(int row)
{
    if (row < 0 || row >= int(m_entries.size()))
        return;
    beginRemoveRows({}, row, row);
    m_entries.erase(m_entries.begin() + row);
    endRemoveRows();
}

const PkiObject *DocumentModel::object(const QModelIndex &index) const
{
    if (!index.isValid() || !index.internalPointer())
        return nullptr;
    const auto *entry = static_cast<const Entry *>(index.internalPointer());
    const qsizetype objects = entry->document.objects.size();
    if (index.row() < objects)
        return &entry->document.objects.at(index.row());
    return index.row() - objects < entry->pathOnly.size() ? &entry->pathOnly.at(index.row() - objects) : nullptr;
}

bool DocumentModel::isPathOnly(const QModelIndex &index) const
{
    if (!index.isValid() || !index.internalPointer())
        return false;
    const auto *entry = static_cast<const Entry *>(index.internalPointer());
    return index.row() >= entry->document.objects.size();
}

const DocumentModel::Entry *DocumentModel::entryOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    if (const auto *entry = static_cast<const Entry *>(index.internalPointer()))
        return entry;
    return m_entries.at(size_t(index.row())).get();
}

quint64 DocumentModel::documentId(const QModelIndex &index) const
{
    const Entry *entry = entryOf(index);
    return entry ? entry->id : 0;
}

QModelIndex DocumentModel::indexOfDocument(quint64 id) const
{
    for (size_t row = 0; row < m_entries.size(); ++row)
        if (m_entries[row]->id == id)
            return createIndex(int(row), 0, nullptr);
    return {};
}

void DocumentModel::setEvaluation(quint64 id, trust::Evaluation evaluation)
{
    const QModelIndex document = indexOfDocument(id);
    if (!document.isValid())
        return; // closed meanwhile
    Entry &entry = *m_entries.at(size_t(document.row()));
    // The built path, where it goes beyond what the document holds: rows after its objects.
    QList<PkiObject> pathOnly;
    if (!entry.backends)
        for (const trust::PathElement &element : evaluation.path) {
            const bool held = std::any_of(entry.document.objects.cbegin(), entry.document.objects.cend(),
                                          [&](const PkiObject &object) {
                                              const auto *certificate = object.as<Certificate>();
                                              return certificate && certificate->der == element.certificate.der;
                                          });
            if (!held)
                pathOnly.append(PkiObject{element.certificate, QStringLiteral("path: ") + element.source, -1});
        }
    const int first = int(entry.document.objects.size());
    if (!entry.pathOnly.isEmpty()) {
        beginRemoveRows(document, first, first + int(entry.pathOnly.size()) - 1);
        entry.pathOnly.clear();
        endRemoveRows();
    }
    if (!pathOnly.isEmpty()) {
        beginInsertRows(document, first, first + int(pathOnly.size()) - 1);
        entry.pathOnly = std::move(pathOnly);
        endInsertRows();
    }
    entry.evaluation = std::move(evaluation);
    Q_EMIT dataChanged(document, document);
    if (!entry.document.objects.isEmpty())
        Q_EMIT dataChanged(index(0, 0, document), index(int(entry.document.objects.size()) - 1, 0, document));
}

const trust::Evaluation *DocumentModel::evaluation(const QModelIndex &index) const
{
    const Entry *entry = entryOf(index);
    if (!entry)
        return nullptr;
    // In a comparison of connections, each chain has its own verdict; the document row shows
    // the most frequent chain's.
    if (entry->backends) {
        const int chain = index.internalPointer() ? chainIndex(index) : 0;
        if (chain >= 0 && chain < entry->backends->chains.size())
            if (const auto &evaluation = entry->backends->chains.at(chain).evaluation)
                return &*evaluation;
        return nullptr;
    }
    return entry->evaluation ? &*entry->evaluation : nullptr;
}

void DocumentModel::setPlatformVerdicts(quint64 id, PlatformVerdicts verdicts)
{
    const QModelIndex document = indexOfDocument(id);
    if (document.isValid())
        m_entries.at(size_t(document.row()))->platform = std::move(verdicts);
}

const DocumentModel::PlatformVerdicts *DocumentModel::platformVerdicts(const QModelIndex &index) const
{
    const Entry *entry = entryOf(index);
    return entry && entry->platform ? &*entry->platform : nullptr;
}

int DocumentModel::chainIndex(const QModelIndex &index) const
{
    const Entry *entry = entryOf(index);
    const PkiObject *pkiObject = object(index);
    if (!entry || !entry->backends || !pkiObject || !pkiObject->container.startsWith(QLatin1String("Chain ")))
        return -1;
    return pkiObject->container.mid(6, 1).at(0).unicode() - u'A';
}

void DocumentModel::setBackends(quint64 id, tls::BackendReport report)
{
    const QModelIndex document = indexOfDocument(id);
    if (!document.isValid())
        return;
    Entry &entry = *m_entries.at(size_t(document.row()));
    entry.backends = std::move(report);
    Q_EMIT dataChanged(document, document);
    if (!entry.document.objects.isEmpty()) // each chain's verdict badges its certificates
        Q_EMIT dataChanged(index(0, 0, document), index(int(entry.document.objects.size()) - 1, 0, document));
}

const tls::BackendReport *DocumentModel::backends(const QModelIndex &index) const
{
    const Entry *entry = entryOf(index);
    return entry && entry->backends ? &*entry->backends : nullptr;
}

const tls::FetchResult *DocumentModel::connection(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const auto *entry = static_cast<const Entry *>(index.internalPointer());
    if (!entry)
        entry = m_entries.at(size_t(index.row())).get();
    return entry->connection ? &*entry->connection : nullptr;
}

const Document *DocumentModel::document(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    if (const auto *entry = static_cast<const Entry *>(index.internalPointer()))
        return &entry->document;
    return &m_entries.at(size_t(index.row()))->document;
}

QModelIndex DocumentModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, nullptr);
    return createIndex(row, column, m_entries.at(size_t(parent.row())).get());
}

QModelIndex DocumentModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !child.internalPointer())
        return {};
    const auto *entry = static_cast<const Entry *>(child.internalPointer());
    for (size_t row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].get() == entry)
            return createIndex(int(row), 0, nullptr);
    return {};
}

int DocumentModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_entries.size());
    if (parent.internalPointer() || parent.column() != 0)
        return 0; // objects have no children
    const Entry &entry = *m_entries.at(size_t(parent.row()));
    return int(entry.document.objects.size() + entry.pathOnly.size());
}

int DocumentModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant DocumentModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const PkiObject *pkiObject = object(index);
    if (!pkiObject) {
        const Entry &entry = *m_entries.at(size_t(index.row()));
        switch (role) {
        case Qt::DisplayRole:
            return entry.title;
        case Qt::ToolTipRole: {
            QString tip = entry.document.fileName;
            for (const ObjectError &error : entry.document.errors)
                tip += QLatin1Char('\n') + error.toString();
            return tip;
        }
        case Qt::DecorationRole:
            if (const trust::Evaluation *verdict = evaluation(index))
                return QApplication::style()->standardIcon(verdict->trusted      ? QStyle::SP_DialogApplyButton
                                                           : verdict->hasFatal() ? QStyle::SP_MessageBoxCritical
                                                                                 : QStyle::SP_MessageBoxWarning);
            if (entry.connection)
                return QApplication::style()->standardIcon(entry.connection->ok() ? QStyle::SP_DriveNetIcon
                                                                                  : QStyle::SP_MessageBoxCritical);
            return QApplication::style()->standardIcon(entry.document.errors.isEmpty() ? QStyle::SP_FileIcon
                                                                                       : QStyle::SP_MessageBoxWarning);
        case IsDocumentRole:
            return true;
        default:
            return {};
        }
    }
    // The failed checks of the evaluation that concern this certificate, for badges.
    QStringList failedKeys;
    bool fatal = false;
    if (const trust::Evaluation *evaluation = this->evaluation(index))
        if (const auto *certificate = pkiObject->as<Certificate>())
            for (const trust::CheckFailure &failure : evaluation->failures)
                if (failure.certIndex < evaluation->path.size() &&
                    evaluation->path.at(failure.certIndex).certificate.der == certificate->der) {
                    failedKeys.append(failure.key);
                    fatal = fatal || !failure.recoverable;
                }
    if (!failedKeys.isEmpty()) {
        if (role == Qt::DecorationRole)
            return QApplication::style()->standardIcon(fatal ? QStyle::SP_MessageBoxCritical
                                                             : QStyle::SP_MessageBoxWarning);
        if (role == Qt::ToolTipRole)
            return tr("Failed checks: %1").arg(failedKeys.join(QStringLiteral(", ")));
    }
    const int chain = chainIndex(index);
    if (isPathOnly(index)) {
        const QString source = pkiObject->container.mid(6); // "path: system"
        const QString origin = source == QLatin1String("aia")    ? tr("downloaded from the AIA URL")
                               : source == QLatin1String("user") ? tr("one of your roots or intermediates")
                                                                 : tr("a system root");
        if (role == Qt::DisplayRole)
            return tr("%1 — path: %2").arg(pkiObject->title(), origin);
        if (role == Qt::ToolTipRole)
            return tr("Not in this document: the built path added it (%1).").arg(origin);
        if (role == Qt::FontRole) {
            QFont font;
            font.setItalic(true);
            return font;
        }
    }
    switch (role) {
    case Qt::DisplayRole:
        return chain >= 0 ? QStringLiteral("%1 · %2").arg(QChar(u'A' + chain)).arg(pkiObject->title())
                          : pkiObject->title();
    case Qt::BackgroundRole:
        if (chain >= 0)
            return BackendsView::chainColor(chain);
        return {};
    case Qt::ToolTipRole:
        if (const auto *certificate = pkiObject->as<Certificate>())
            return QString(certificate->subject.rfc4514 + QStringLiteral("\nissued by ") + certificate->issuer.rfc4514 +
                           QLatin1Char('\n') + certificate->validityDescription(QDateTime::currentDateTimeUtc()));
        return pkiObject->typeName();
    case Qt::DecorationRole: {
        if (const auto *certificate = pkiObject->as<Certificate>()) {
            if (certificate->validityAt(QDateTime::currentDateTimeUtc()) != ValidityState::Valid)
                return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
            return QIcon::fromTheme(QStringLiteral("application-certificate"),
                                    QApplication::style()->standardIcon(QStyle::SP_FileDialogDetailedView));
        }
        return QApplication::style()->standardIcon(QStyle::SP_FileDialogInfoView);
    }
    case ObjectTypeRole:
        return pkiObject->typeName();
    case IsDocumentRole:
        return false;
    default:
        return {};
    }
}

QVariant DocumentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return tr("Documents");
    return {};
}

} // namespace trustscope::ui
