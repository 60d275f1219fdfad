#pragma once

#include "x509/Document.h"

#include <QJsonObject>

namespace trustscope::core {

// The `show --json` shape: {type, …} with the field names the CLI contract names.
[[nodiscard]] QJsonObject toJson(const PkiObject &object);
[[nodiscard]] QJsonObject toJson(const Certificate &certificate);
[[nodiscard]] QJsonObject toJson(const Extension &extension);

// Human-readable, ordered the way people read a certificate: who, by whom, when, key, then
// the extensions; fingerprints last. `now` decides the validity wording.
[[nodiscard]] QString toText(const PkiObject &object, const QDateTime &now);

[[nodiscard]] QString isoUtc(const QDateTime &time); // 2026-01-02T03:04:05Z, empty when invalid

} // namespace trustscope::core
