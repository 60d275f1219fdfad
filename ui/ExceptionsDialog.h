#pragma once

#include <QDialog>

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

Q_SIGNALS:
    void storeChanged();

private:
    void removeSelected();
    void importFile();
    void exportFile();
    void applyFilter();
    QLineEdit *m_filter;
    QTableWidget *m_table;
};

} // namespace trustscope::ui
