#pragma once

#include "Error.h"

#include <QDialog>

namespace trustscope::core::trust {
class ExceptionStore;
}

class QLineEdit;
class QTableWidget;

namespace trustscope::ui {

// The trust exceptions manager: list, filter, remove, import and export.
class ExceptionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExceptionsDialog(QWidget *parent = nullptr);
    void reload();
    [[nodiscard]] QTableWidget *table() const { return m_table; }
    [[nodiscard]] class MessageBar *messageBar() const { return m_messages; }
    // Merges the exceptions of a property list into the store (locked read-modify-write).
    bool importFrom(const QString &path);

Q_SIGNALS:
    void storeChanged();

private:
    void removeSelected();
    void importFile();
    void exportFile();
    void applyFilter();
    QLineEdit *m_filter;
    QTableWidget *m_table;
    class MessageBar *m_messages;
    // Shows the store's load problems; false when the store must not be changed.
    bool report(const core::Result<void> &result, const core::trust::ExceptionStore &store);
};

} // namespace trustscope::ui
