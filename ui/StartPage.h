#pragma once

#include <QWidget>

class QGridLayout;
class QVBoxLayout;
class QLabel;
class QPushButton;

namespace trustscope::ui {

class RecentItems;

// What the middle of the window shows until something is open: the first steps, each a
// button (keyboard reachable), and the servers and files used lately. It only asks; the
// window does what each signal names.
class StartPage final : public QWidget {
    Q_OBJECT
public:
    StartPage(RecentItems *recent, QWidget *parent);

Q_SIGNALS:
    void inspectServerRequested();               // focus the address bar
    void fetchRequested(const QString &target);  // a recent server
    void openFilesRequested();                   // the file dialog
    void openFileRequested(const QString &path); // a recent file
    void pasteRequested();                       // what the clipboard holds
    void generateRequested();                    // the test PKI generator
    void explainRequested();                     // an error message pasted from a log

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuildRecent();
    void layOutSteps(int columns);

    RecentItems *m_recent;
    QGridLayout *m_steps;
    QList<QWidget *> m_stepButtons;
    int m_stepColumns = 0;
    QWidget *m_recentBox;
    QVBoxLayout *m_recentServers;
    QVBoxLayout *m_recentFiles;
    QLabel *m_serversTitle;
    QLabel *m_filesTitle;
    QPushButton *m_clearRecent;
};

} // namespace trustscope::ui
