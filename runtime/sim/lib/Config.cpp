//===- Config.cpp - Presets and consistency checks of the timing model ----===//
//
// `ideal` is the model's original parameter set (private pipelined FPUs, a
// perfect instruction cache, a DMA that takes no TCDM bank slots).
// `pulp-open` takes each parameter from GVSoC's pulp_open cluster or the
// CV32E40P documentation; runtime/sim/README.md gives the source of each.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/sim/Config.h"

using namespace pulptrain::sim;

const char *pulptrain::sim::presetNames() { return "ideal, pulp-open"; }

bool pulptrain::sim::applyPreset(const std::string &name, SimConfig &c) {
  SimConfig fresh;
  fresh.cores = c.cores;
  fresh.l1Size = c.l1Size;
  fresh.l2Size = c.l2Size;
  fresh.l3Size = c.l3Size;
  fresh.maxCycles = c.maxCycles;
  if (name == "ideal") {
    c = fresh;
    return true;
  }
  if (name != "pulp-open")
    return false;
  c = fresh;
  c.preset = name;
  c.l2Latency = 15;
  c.mulhCycles = 5;
  c.divCycles = 35;
  c.fpLatency = 1;
  c.fdivCycles = 14;
  c.barrierLatency = 8;
  c.dmaBytesPerCycle = 8;
  c.dmaSetupCycles = 15;
  c.dmaPorts = 4;
  c.fpus = 4;
  c.fpuIssueInterval = 1;
  c.fdivUnits = 1;
  c.icache = true;
  c.icacheL0Sets = 8;
  c.icacheL0Ways = 4;
  c.icacheL1Banks = 2;
  c.icacheL1Sets = 32;
  c.icacheL1Ways = 4;
  c.icacheLineBytes = 16;
  c.icacheL0Refill = 2;
  c.icacheL1Refill = 2 + c.l2Latency;
  return true;
}

static bool isPowerOf2(unsigned v) { return v && !(v & (v - 1)); }

bool pulptrain::sim::checkConfig(const SimConfig &c, std::string &error) {
  if (c.fpus > 16) {
    error = "--fpus " + std::to_string(c.fpus) +
            " is outside 0..16 (0: a private FPU per core)";
    return false;
  }
  if (c.fdivUnits > 16) {
    error = "--fdiv-units " + std::to_string(c.fdivUnits) +
            " is outside 0..16 (0: one per core)";
    return false;
  }
  if (c.fpuIssueInterval < 1 || c.fpuIssueInterval > 64) {
    error = "--fpu-issue-interval " + std::to_string(c.fpuIssueInterval) +
            " is outside 1..64";
    return false;
  }
  if (c.dmaPorts > 64) {
    error = "--dma-ports " + std::to_string(c.dmaPorts) +
            " is outside 0..64 (0: the DMA takes no TCDM bank slots)";
    return false;
  }
  if (c.icache) {
    if (!isPowerOf2(c.icacheLineBytes) || c.icacheLineBytes < 4 ||
        c.icacheLineBytes > 256 || !isPowerOf2(c.icacheL0Sets) ||
        !isPowerOf2(c.icacheL1Sets) || !isPowerOf2(c.icacheL1Banks) ||
        c.icacheL0Ways < 1 || c.icacheL0Ways > 16 || c.icacheL1Ways < 1 ||
        c.icacheL1Ways > 16 || c.icacheL0Sets > 4096 ||
        c.icacheL1Sets > 4096 || c.icacheL1Banks > 64) {
      error = "instruction cache geometry: line bytes, sets and banks must "
              "be powers of 2 (line 4..256 bytes, at most 4096 sets, 64 "
              "banks) and ways 1..16";
      return false;
    }
  }
  return true;
}
