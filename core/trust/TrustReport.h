#pragma once

#include "trust/TrustEvaluation.h"

#include <QJsonObject>

namespace trustscope::core::trust {

// `verify --json`: result, trusted, path [{index, subject, sha256, role, source}],
// failures [{certIndex, key, recoverable, explanation, remedy, opensslError}], network, validUntil.
[[nodiscard]] QJsonObject toJson(const Evaluation &evaluation);
[[nodiscard]] QString toText(const Evaluation &evaluation);

} // namespace trustscope::core::trust
