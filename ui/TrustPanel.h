#pragma once

#include "tls/TlsFetch.h"
#include "x509/PkiObject.h"

#include <QWidget>

class QLabel;

namespace trustscope::ui {

// The right-hand panel: a verdict banner and the reasons behind it. Until the trust engine
// evaluates a chain it summarises what can be said of the selected object on its own.
class TrustPanel : public QWidget {
    Q_OBJECT
public:
    enum class Verdict { None, Good, Warning, Bad };

    explicit TrustPanel(QWidget *parent = nullptr);
    void showObject(const core::PkiObject *object, const QDateTime &now = QDateTime::currentDateTimeUtc());
    void showConnection(const core::tls::FetchResult &connection);
    [[nodiscard]] Verdict verdict() const { return m_verdict; }
    [[nodiscard]] QString headline() const;

private:
    void setVerdict(Verdict verdict, const QString &headline, const QString &body);
    QLabel *m_banner;
    QLabel *m_body;
    Verdict m_verdict = Verdict::None;
};

} // namespace trustscope::ui
