//===- Core.h - One in-order RV32 core of the cluster -----------*- C++ -*-===//
//
// Architectural state (x registers, pc, CSRs), the per-core peripheral
// registers of the demux view (DMA command, dispatch mask, perf counters)
// and the timing state of a single-issue in-order pipeline: the cycle the
// core can issue next and, per register, the cycle its value is ready.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_CORE_H
#define PULPTRAIN_SIM_CORE_H

#include "pulptrain/sim/Config.h"
#include "pulptrain/sim/Isa.h"
#include "pulptrain/sim/PerfCounters.h"

#include <cstdint>

namespace pulptrain::sim {

class Cluster;
class ICache;
class Memory;

enum class SleepReason : uint8_t { None, Barrier, Dispatch, DmaWait, L3DmaWait };

/// Outcome of executing (or trying to execute) one instruction.
enum class Exec : uint8_t {
  Done,  ///< Retired.
  Retry, ///< Lost TCDM arbitration; nothing changed, retry next cycle.
  Sleep, ///< Retired and the core went to sleep (blocking register read).
  Stop,  ///< Simulation ends (EXIT written or an error was reported).
};

class Core {
public:
  Core(Cluster &cluster, unsigned id, uint32_t entry);

  /// Issues at most one instruction in cycle `now` (readyAt <= now).
  void step(uint64_t now);

  /// Puts the core to sleep after the current instruction; `rd` receives
  /// the value passed to wake().
  void sleep(SleepReason reason, uint8_t rd, uint64_t now);
  /// Wakes a sleeping core so that it issues again at cycle `at`.
  void wake(uint64_t at, uint32_t value);

  unsigned id() const { return id_; }
  bool asleep() const { return sleepReason != SleepReason::None; }

  // Architectural state.
  uint32_t x[32] = {};
  uint32_t pc;
  uint32_t fcsr = 0;
  uint32_t mstatus = 0, mtvec = 0, mscratch = 0, mepc = 0, mcause = 0,
           mtval = 0, mie = 0, mip = 0;

  /// CORE-V hardware loops (loop 0 is the inner one): start, end (the
  /// address after the last body instruction) and remaining count.
  uint32_t lpStart[2] = {}, lpEnd[2] = {}, lpCount[2] = {};

  // Timing state.
  uint64_t readyAt = 0;
  uint64_t regReady[32] = {};
  uint32_t loadMask = 0; ///< Registers whose pending value comes from a load.

  // Sleep state.
  SleepReason sleepReason = SleepReason::None;
  uint8_t sleepRd = 0;
  uint64_t sleepStart = 0;
  uint32_t waitId = 0;

  // Demux-view peripheral registers of this core.
  uint32_t dmaExt = 0, dmaLoc = 0, dmaSize = 0, dmaDir = 0, dmaStride = 0,
           dmaRowLen = 0, dmaWaitId = 0;
  uint32_t l3DmaL3 = 0, l3DmaL2 = 0, l3DmaSize = 0, l3DmaDir = 0,
           l3DmaWaitId = 0;
  uint32_t dispatchMask = 0;

  CoreCounters counters;
  /// The instruction being executed (for error messages).
  const DecodedInst *current = nullptr;

private:
  /// Instruction-cache lookup of the instruction at pc; true when the core
  /// must wait for a refill (readyAt set).
  bool icacheStall(const DecodedInst &d, uint64_t now);
  /// After a sequential instruction: branches back at a hardware loop end.
  void hwLoopEnd() {
    if (lpCount[0] && pc == lpEnd[0]) {
      if (--lpCount[0])
        pc = lpStart[0];
    } else if (lpCount[1] && pc == lpEnd[1]) {
      if (--lpCount[1])
        pc = lpStart[1];
    }
  }

  Exec execute(const DecodedInst &d, uint64_t now, unsigned &cost,
               unsigned &latency);
  bool csrAccess(unsigned csr, uint32_t &value, bool write, uint32_t newValue,
                 uint64_t now);

  template <typename T> Exec load(uint32_t addr, T &value, uint64_t now,
                                  unsigned &cost, uint8_t rd);
  template <typename T> Exec store(uint32_t addr, T value, uint64_t now,
                                   unsigned &cost);

  Cluster &cl_;
  Memory &mem_;
  const SimConfig &cfg_;
  unsigned id_;
  /// Whether FP instructions arbitrate for an FPU / divider (shared FPUs,
  /// an issue interval above 1, or shared dividers).
  bool fpuModel_;
  /// The instruction cache (nullptr: perfect) and the last line fetched.
  ICache *icache_;
  uint32_t lastLine_ = ~0u;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_CORE_H
