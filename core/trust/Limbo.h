#pragma once

#include <QJsonObject>
#include <QString>

namespace trustscope::core::trust {

// One x509-limbo test case run through our evaluator (the harness behind `trustscope-cli limbo`
// and the conformance test). No knowledge of case ids: only the case's own fields decide.
struct LimboOutcome {
    QString id;
    QString expected; // SUCCESS | FAILURE
    QString actual;   // SUCCESS | FAILURE | SKIPPED
    QString context;  // why: the failed checks, or the unsupported feature
};

[[nodiscard]] LimboOutcome runLimboCase(const QJsonObject &testcase);

} // namespace trustscope::core::trust
