//===- PerfCounters.cpp - PERF_CTRL window over per-core totals ----------===//

#include "pulptrain/sim/PerfCounters.h"

using namespace pulptrain::sim;

const char *pulptrain::sim::counterName(unsigned c) {
  static const char *names[NumCounters] = {
      "cycles",         "instructions",   "load_stalls",   "tcdm_contentions",
      "branch_stalls",  "l2_accesses",    "fp_ops",        "macs",
      "sleep_cycles",   "loads",          "stores",        "icache_misses",
      "fpu_contentions", "fp_stalls",     "muldiv_stalls", "l2_stalls",
      "branches",       "taken_branches", "icache_stalls"};
  return c < NumCounters ? names[c] : "?";
}

void CoreCounters::perfControl(uint32_t value, uint64_t now) {
  switch (value) {
  case 0: // Stop.
    if (perfRunning)
      for (unsigned i = 0; i < NumPerfCounters; ++i)
        perfAcc[i] += current(i, now) - perfSnap[i];
    perfRunning = false;
    break;
  case 1: // Start.
    if (!perfRunning)
      for (unsigned i = 0; i < NumPerfCounters; ++i)
        perfSnap[i] = current(i, now);
    perfRunning = true;
    break;
  case 2: // Reset, counting state unchanged.
    for (unsigned i = 0; i < NumPerfCounters; ++i) {
      perfAcc[i] = 0;
      perfSnap[i] = current(i, now);
    }
    break;
  default:
    break;
  }
}

uint64_t CoreCounters::perfRead(unsigned i, uint64_t now) const {
  if (i >= NumPerfCounters)
    return 0;
  return perfAcc[i] + (perfRunning ? current(i, now) - perfSnap[i] : 0);
}
