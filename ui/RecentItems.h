#pragma once

#include <QObject>
#include <QStringList>

namespace trustscope::ui {

// The servers fetched and the files opened lately, newest first, kept in the settings file
// (recent/hosts, recent/files) so that the start page, File → Open Recent and the address
// bar's completion offer them again.
class RecentItems final : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype maxItems = 12;

    explicit RecentItems(QObject *parent = nullptr);

    [[nodiscard]] QStringList hosts() const;
    [[nodiscard]] QStringList files() const;
    void rememberHost(const QString &target);
    void rememberFile(const QString &absolutePath);
    void clear();

Q_SIGNALS:
    void changed();

private:
    void remember(const QString &key, const QString &value);
};

} // namespace trustscope::ui
