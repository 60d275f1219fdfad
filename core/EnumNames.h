#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <string_view>

namespace trustscope::core {

// The one mechanism for enum <-> string: each enum whose values have stable names (CLI flags,
// JSON fields, settings) has one constexpr table of these next to its definition, and every
// conversion goes through the functions below. A name added to the table is at once accepted
// by the parser, printed by the writer and listed in help texts.
template <typename Enum> struct EnumName {
    Enum value;
    std::string_view name;
};

namespace detail {
inline QLatin1StringView latin1(std::string_view name)
{
    return QLatin1StringView(name.data(), qsizetype(name.size()));
}
} // namespace detail

// The table's name of `value`; `fallback` when the table has no row for it.
template <typename Enum, std::size_t Size>
[[nodiscard]] QString enumName(const std::array<EnumName<Enum>, Size> &table, Enum value,
                               std::string_view fallback = {})
{
    for (const EnumName<Enum> &row : table)
        if (row.value == value)
            return QString(detail::latin1(row.name));
    return QString(detail::latin1(fallback));
}

// The value named `name` (exact, case-sensitive: these are protocol names), if any row has it.
template <typename Enum, std::size_t Size>
[[nodiscard]] std::optional<Enum> enumFromName(const std::array<EnumName<Enum>, Size> &table, QStringView name)
{
    for (const EnumName<Enum> &row : table)
        if (name == detail::latin1(row.name))
            return row.value;
    return std::nullopt;
}

// Every name of the table, in its order (for help texts and error messages).
template <typename Enum, std::size_t Size>
[[nodiscard]] QStringList enumNames(const std::array<EnumName<Enum>, Size> &table)
{
    QStringList names;
    names.reserve(qsizetype(Size));
    for (const EnumName<Enum> &row : table)
        names.append(QString(detail::latin1(row.name)));
    return names;
}

// "a, b or c": the table's names for a usage message.
template <typename Enum, std::size_t Size>
[[nodiscard]] QString enumChoices(const std::array<EnumName<Enum>, Size> &table)
{
    QStringList names = enumNames(table);
    if (names.size() < 2)
        return names.join(QString());
    const QString last = names.takeLast();
    return names.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
}

// True when every value appears exactly once and every name is unique: tables are checked with
// static_assert where they are defined, so a missing or duplicated row does not compile.
template <typename Enum, std::size_t Size>
[[nodiscard]] constexpr bool enumTableIsComplete(const std::array<EnumName<Enum>, Size> &table, std::size_t valueCount)
{
    if (Size != valueCount)
        return false;
    for (std::size_t i = 0; i < Size; ++i)
        for (std::size_t j = i + 1; j < Size; ++j)
            if (table[i].value == table[j].value || table[i].name == table[j].name)
                return false;
    for (std::size_t i = 0; i < Size; ++i)
        if (std::size_t(table[i].value) >= valueCount)
            return false;
    return true;
}

} // namespace trustscope::core
