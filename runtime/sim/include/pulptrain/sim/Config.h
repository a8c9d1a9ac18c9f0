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
#include <string>

namespace pulptrain::sim {

struct SimConfig {
  /// The preset the parameters started from (`ideal` or `pulp-open`); the
  /// defaults below are `ideal`.
  std::string preset = "ideal";
  /// Number of cluster cores (1..16).
  unsigned cores = 8;
  /// Memory sizes in bytes.
  uint32_t l1Size = PULPTRAIN_L1_DEFAULT_SIZE;
  uint32_t l2Size = PULPTRAIN_L2_DEFAULT_SIZE;
  /// External L3 (0: none).
  uint32_t l3Size = PULPTRAIN_L3_DEFAULT_SIZE;

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
  /// L1 bank ports of the DMA: each cycle of a transfer takes the TCDM banks
  /// of the words it moves, at most this many (which also bounds the
  /// bandwidth to 4 * ports bytes per cycle). 0: the DMA takes no bank slots.
  unsigned dmaPorts = 0;
  /// L3 DMA channel (L3 <-> L2): bytes per cycle once data moves, and the
  /// fixed cycles of every transfer before that.
  unsigned l3BytesPerCycle = PULPTRAIN_L3DMA_DEFAULT_BYTES_PER_CYCLE;
  unsigned l3Latency = PULPTRAIN_L3DMA_DEFAULT_LATENCY;

  /// FPUs shared by the cores: core i uses FPU i % fpus. 0: one private FPU
  /// per core. Each FPU accepts one operation every fpuIssueInterval cycles.
  unsigned fpus = 0;
  /// Cycles between two operations an FPU accepts (1: fully pipelined).
  unsigned fpuIssueInterval = 1;
  /// FP divide/square-root units shared by the cores (core i uses unit
  /// i % fdivUnits, busy for fdivCycles per operation). 0: one per core.
  unsigned fdivUnits = 0;

  /// Instruction cache: off means a perfect cache (fetch is free).
  bool icache = false;
  /// Per-core L0: sets x ways of icacheLineBytes-byte lines, LRU.
  unsigned icacheL0Sets = 8, icacheL0Ways = 4;
  /// Shared L1: banks (line-interleaved) x sets x ways, LRU.
  unsigned icacheL1Banks = 2, icacheL1Sets = 32, icacheL1Ways = 4;
  unsigned icacheLineBytes = 16;
  /// Stall cycles of an L0 miss that hits the shared L1.
  unsigned icacheL0Refill = 2;
  /// Extra stall cycles of an L1 miss (refill from L2), on top of the L0
  /// refill.
  unsigned icacheL1Refill = 17;

  /// Runaway guard: stop with an error after this many cycles.
  uint64_t maxCycles = 2000000000ull;
};

/// Names of the presets, for help texts and diagnostics: "ideal, pulp-open".
const char *presetNames();

/// Sets every timing parameter of `config` (not the cores and memory sizes)
/// as preset `name` does; false if there is no such preset.
bool applyPreset(const std::string &name, SimConfig &config);

/// Checks the combination of parameters; false with a message otherwise.
bool checkConfig(const SimConfig &config, std::string &error);

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_CONFIG_H
