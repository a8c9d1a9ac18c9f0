//===- PerfCounters.h - Per-core event counters -----------------*- C++ -*-===//
//
// The counters of platform.h (PULPTRAIN_PERF_*) plus a few extra stall
// classes that only the summary and --stats-json report. Each core keeps
// always-running totals; the programmable PERF_CTRL window is derived from
// them with snapshots, so counting costs nothing extra per instruction.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_PERFCOUNTERS_H
#define PULPTRAIN_SIM_PERFCOUNTERS_H

#include "pulptrain/platform.h"

#include <cstdint>

namespace pulptrain::sim {

enum Counter : unsigned {
  CntCycles = PULPTRAIN_PERF_CYCLES,
  CntInstr = PULPTRAIN_PERF_INSTR,
  CntLdStall = PULPTRAIN_PERF_LD_STALL,
  CntTcdmCont = PULPTRAIN_PERF_TCDM_CONT,
  CntBranchStall = PULPTRAIN_PERF_BRANCH_STALL,
  CntL2Access = PULPTRAIN_PERF_L2_ACCESS,
  CntFpOps = PULPTRAIN_PERF_FP_OPS,
  CntMacs = PULPTRAIN_PERF_MACS,
  CntSleep = PULPTRAIN_PERF_SLEEP,
  CntLoads = PULPTRAIN_PERF_LOADS,
  CntStores = PULPTRAIN_PERF_STORES,
  CntIcacheMiss = PULPTRAIN_PERF_ICACHE_MISS,
  CntFpuCont = PULPTRAIN_PERF_FPU_CONT,
  NumPerfCounters = PULPTRAIN_PERF_NUM_COUNTERS,
  // Summary-only counters.
  CntFpStall = NumPerfCounters, ///< Waiting for an FP result.
  CntMulDivStall,               ///< Extra cycles of mulh, div/rem, fdiv/fsqrt.
  CntL2Stall,                   ///< Extra cycles of L2 accesses.
  CntBranches,                  ///< Conditional branches executed.
  CntTakenBranches,
  CntIcacheStall, ///< Cycles waiting for instruction-cache refills.
  NumCounters
};

/// Counter name as printed in the summary and JSON.
const char *counterName(unsigned counter);

/// One core's counters. `total[CntCycles]` is not maintained per
/// instruction: cycles are the global cycle count while the core exists.
struct CoreCounters {
  uint64_t total[NumCounters] = {};

  /// PERF_CTRL state.
  bool perfRunning = false;
  uint64_t perfAcc[NumPerfCounters] = {};
  uint64_t perfSnap[NumPerfCounters] = {};

  uint64_t current(unsigned i, uint64_t now) const {
    return i == CntCycles ? now : total[i];
  }
  void perfControl(uint32_t value, uint64_t now);
  uint64_t perfRead(unsigned i, uint64_t now) const;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_PERFCOUNTERS_H
