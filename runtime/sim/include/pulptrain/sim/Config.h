//===- Config.h - Simulator configuration and timing parameters -*- C++ -*-===//
//
// Every timing parameter of the model with its default. runtime/sim/README.md
// documents each one; tools/pulptrain-sim exposes each as a flag.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_CONFIG_H
#define PULPTRAIN_SIM_CONFIG_H

#include "pulptrain/platform.h"

#include <cstdint>

namespace pulptrain::sim {

struct SimConfig {
  /// Number of cluster cores (1..16).
  unsigned cores = 8;
  /// Memory sizes in bytes.
  uint32_t l1Size = PULPTRAIN_L1_DEFAULT_SIZE;
  uint32_t l2Size = PULPTRAIN_L2_DEFAULT_SIZE;

  /// Cycles a load/store to L2 occupies the core (1 = like TCDM).
  unsigned l2Latency = 10;
  /// Extra cycles when the instruction after a load uses its result.
  unsigned loadUseStall = 1;
  /// Extra cycles of a taken branch (conditional, incl. cv.beqimm/bneimm).
  unsigned branchPenalty = 2;
  /// Extra cycles of jal / jalr.
  unsigned jumpPenalty = 1;
  /// Total cycles of mulh/mulhsu/mulhu (mul and cv.mac* take 1).
  unsigned mulhCycles = 5;
  /// Total cycles of div/divu/rem/remu.
  unsigned divCycles = 35;
  /// Extra result latency of FP add/sub/mul/fma/conversion/SIMD FP: a
  /// dependent instruction issued within this many cycles stalls.
  unsigned fpLatency = 1;
  /// Total cycles of fdiv/fsqrt (the core is blocked).
  unsigned fdivCycles = 11;
  /// Cycles between the last barrier arrival and the release of all members.
  unsigned barrierLatency = 2;
  /// Cycles between a dispatch push and the wake-up of a sleeping receiver.
  unsigned dispatchLatency = 2;
  /// DMA engine bandwidth.
  unsigned dmaBytesPerCycle = PULPTRAIN_DMA_DEFAULT_BYTES_PER_CYCLE;
  /// Fixed setup cycles of every DMA transfer before data moves.
  unsigned dmaSetupCycles = 0;
  /// Runaway guard: stop with an error after this many cycles.
  uint64_t maxCycles = 2000000000ull;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_CONFIG_H
