#pragma once

#include <QString>

#include <optional>

class QWidget;

namespace trustscope::core {
struct Error;
}
namespace trustscope::core::apple {
struct AtsReport;
}

namespace trustscope::ui {

// The window's small dialogs. Each message box is window-modal and opened, not exec()'d: no
// nested event loop, so loads and tests keep running behind it.

// A file or text that could not be opened: the message, and OpenSSL's detail on request.
void showOpenFailure(QWidget *parent, const QString &title, const core::Error &error);
// Tools → ATS Diagnostics' answer: PASS or FAIL for ATS's default, every configuration tried in
// the details (the text `trustscope-cli ats` prints).
void showAtsReport(QWidget *parent, const core::apple::AtsReport &report);
// Help → About: the version and what it was built with, and every data snapshot's date.
void showAbout(QWidget *parent);
// Tools → Explain an Error Message: the error or log line to explain (the clipboard's text
// offered), or nothing if the user cancelled.
[[nodiscard]] std::optional<QString> askForErrorText(QWidget *parent);

} // namespace trustscope::ui
