//===- Stats.h - Counter summary and JSON report ----------------*- C++ -*-===//

#ifndef PULPTRAIN_SIM_STATS_H
#define PULPTRAIN_SIM_STATS_H

#include "pulptrain/sim/Cluster.h"

#include <cstdio>
#include <string>

namespace pulptrain::sim {

/// Prints the GVSoC-style summary (total and per core) to `out`.
void printSummary(FILE *out, Cluster &cluster, const RunResult &result);
/// Writes counters (total and per core), configuration and host speed as
/// JSON. Returns false if the file cannot be written.
bool writeStatsJson(const std::string &path, Cluster &cluster,
                    const RunResult &result, std::string &error);

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_STATS_H
