#pragma once

#include "Error.h"

#include <QDialog>

#include <functional>

namespace trustscope::core::trust {
class ExceptionStore;
struct Evaluation;
struct TrustException;
} // namespace trustscope::core::trust

class QLineEdit;
class QTableWidget;

namespace trustscope::ui {

class MessageBar;

// The trust exceptions manager: list, filter, remove, import and export.
class ExceptionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExceptionsDialog(QWidget *parent = nullptr);
    void reload();
    [[nodiscard]] QTableWidget *table() const { return m_table; }
    [[nodiscard]] MessageBar *messageBar() const { return m_messages; }
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
    MessageBar *m_messages;
    // Shows the store's load problems; false when the store must not be changed.
    bool report(const core::Result<void> &result, const core::trust::ExceptionStore &store);
};

// Asks whether to accept exactly the failures of `evaluation` for the exception's server (a
// window-modal question, no nested event loop) and records it in the store if confirmed; then
// calls `recorded`. Store load problems go to `messages`, a failed save to a warning.
void confirmException(QWidget *parent, const core::trust::Evaluation &evaluation,
                      const core::trust::TrustException &exception, MessageBar *messages,
                      std::function<void()> recorded);

} // namespace trustscope::ui
