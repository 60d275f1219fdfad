// What Certificate Transparency adds to one in-process trust evaluation: a leaf with three embedded
// SCTs against the same CA's leaf without any (goal: at most 0.1 ms more), measured warm (the
// SCT verdicts of a chain are remembered: one inspection judges it many times) and cold (the
// first evaluation of each chain, three ECDSA verifications).
// Usage: bench_ct CA PLAIN_LEAF LOG_LIST... -- SCT_LEAF...

#include "ct/Ct.h"
#include "trust/TrustEvaluation.h"
#include "x509/Document.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace trustscope::core;

namespace {

Certificate load(const char *path)
{
    const auto document = loadDocumentFile(QString::fromLocal8Bit(path));
    return document && !document->objects.isEmpty() ? *document->objects.first().as<Certificate>() : Certificate{};
}

double medianMicroseconds(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    int separator = 0;
    for (int index = 1; index < argc; ++index)
        if (std::strcmp(argv[index], "--") == 0)
            separator = index;
    if (argc < 6 || separator < 4 || separator + 2 > argc) {
        std::fprintf(stderr, "usage: bench_ct CA PLAIN_LEAF LOG_LIST... -- SCT_LEAF...\n");
        return 2;
    }
    trust::Policy policy;
    policy.anchors = {load(argv[1])};
    policy.anchorsOnly = true;
    policy.fetchMissingIntermediates = false;
    policy.hostName = QStringLiteral("bench.test");
    policy.requireCt = true;
    for (int index = 3; index < separator; ++index)
        if (auto list = ct::loadLogListFile(QString::fromLocal8Bit(argv[index]), QString::fromLocal8Bit(argv[index])))
            policy.ctLogLists.append(*list);
    const Certificate plain = load(argv[2]);
    std::vector<Certificate> withScts;
    for (int index = separator + 1; index < argc; ++index)
        withScts.push_back(load(argv[index]));
    const auto timeOne = [&](const Certificate &leaf, bool expectTrusted) {
        QElapsedTimer timer;
        timer.start();
        const trust::Evaluation evaluation = trust::evaluate(leaf, {}, policy);
        const double elapsed = double(timer.nsecsElapsed()) / 1000.0;
        if (evaluation.trusted != expectTrusted) {
            std::fprintf(stderr, "unexpected verdict: %s\n", qPrintable(evaluation.mainReason()));
            std::exit(1);
        }
        return elapsed;
    };
    // Cold first: each chain's first evaluation.
    std::vector<double> cold;
    for (size_t index = 1; index < withScts.size(); ++index)
        cold.push_back(timeOne(withScts[index], true));
    std::vector<double> plainRuns, warmRuns;
    for (int run = 0; run < 2000; ++run) {
        plainRuns.push_back(timeOne(plain, false)); // --require-ct: no SCTs, not trusted
        warmRuns.push_back(timeOne(withScts.front(), true));
    }
    const double base = medianMicroseconds(plainRuns), warm = medianMicroseconds(warmRuns),
                 first = medianMicroseconds(cold);
    std::printf("evaluation without SCTs %.3f ms; with 3 SCTs %.3f ms warm (+%.3f ms, %.2fx), %.3f ms cold "
                "(+%.3f ms, %.2fx); goal +0.1 ms: warm %s, cold %s\n",
                base / 1000, warm / 1000, (warm - base) / 1000, warm / base, first / 1000, (first - base) / 1000,
                first / base, warm - base <= 100 ? "OK" : "SLOW", first - base <= 100 ? "OK" : "SLOW");
    return 0;
}
