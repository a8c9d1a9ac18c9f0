//===- Cluster.h - The simulated cluster and its cycle loop -----*- C++ -*-===//
//
// Owns the memories, the cores, the event unit, the DMA engines and the
// decoded-instruction cache, and steps all cores in lock-step cycles.
// Peripheral register accesses of the cores are routed here.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_CLUSTER_H
#define PULPTRAIN_SIM_CLUSTER_H

#include "pulptrain/sim/Config.h"
#include "pulptrain/sim/Core.h"
#include "pulptrain/sim/Dma.h"
#include "pulptrain/sim/ElfLoader.h"
#include "pulptrain/sim/EventUnit.h"
#include "pulptrain/sim/ICache.h"
#include "pulptrain/sim/L3Dma.h"
#include "pulptrain/sim/Memory.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace pulptrain::sim {

struct RunResult {
  bool ok = false;         ///< The program wrote EXIT.
  uint32_t exitCode = 0;   ///< Value written to EXIT.
  std::string error;       ///< Set when !ok.
  uint64_t cycles = 0;
  double hostSeconds = 0;  ///< Wall time of the simulation loop.
};

class Cluster {
public:
  explicit Cluster(const SimConfig &config);
  ~Cluster();

  /// Loads the program; all cores start at its entry point.
  bool load(const ElfImage &image, std::string &error);
  /// Runs until the program writes EXIT or an error occurs.
  RunResult run();

  /// Program output (PUTC); stdout by default.
  void setOutput(FILE *out) { out_ = out; }
  /// Instruction trace destination, nullptr for none.
  void setTrace(FILE *trace) { trace_ = trace; }
  FILE *trace() const { return trace_; }

  const SimConfig &config() const { return config_; }
  Memory &memory() { return memory_; }
  EventUnit &eventUnit() { return *eu_; }
  Dma &dma() { return *dma_; }
  L3Dma &l3Dma() { return *l3Dma_; }
  /// The instruction cache, nullptr when it is perfect (--icache off).
  ICache *icache() { return icache_.get(); }
  unsigned numCores() const { return unsigned(cores_.size()); }
  Core &core(unsigned i) { return *cores_[i]; }
  const Core &core(unsigned i) const { return *cores_[i]; }
  uint64_t cycle() const { return cycle_; }

  // Services for the cores.
  /// The decoded instruction at `core.pc`, or nullptr after reporting an
  /// error.
  const DecodedInst *fetch(Core &core) {
    uint32_t pc = core.pc;
    CodeCache *cc = lastCode_;
    if (__builtin_expect(pc - cc->begin < cc->end - cc->begin && !(pc & 1),
                         1)) {
      const DecodedInst &d = cc->insts[(pc - cc->begin) >> 1];
      if (__builtin_expect(d.len != 0, 1))
        return &d;
    }
    return fetchSlow(core);
  }
  /// FPU arbitration for an FP instruction `op` of core `core` in cycle
  /// `now`: returns `now` and takes the unit if it is free, else the cycle
  /// it becomes free. Cores are visited in rotating order, so the first
  /// one visited in a cycle wins (round robin).
  uint64_t claimFpu(unsigned core, Op op, uint64_t now) {
    bool div = op == Op::FdivS || op == Op::FsqrtS || op == Op::FdivH ||
               op == Op::FsqrtH;
    uint64_t *unit;
    unsigned busy;
    if (div && config_.fdivUnits) {
      unit = &fdivFree_[core % config_.fdivUnits];
      busy = config_.fdivCycles;
    } else {
      unit = &fpuFree_[config_.fpus ? core % config_.fpus : core];
      busy = config_.fpuIssueInterval;
    }
    if (*unit > now)
      return *unit;
    *unit = now + busy;
    return now;
  }
  /// Records that a sleeping core was woken (the cycle loop rescans).
  void noteWake() { woke_ = true; }
  Exec periphRead(Core &core, uint32_t addr, uint64_t now, uint32_t &value,
                  uint8_t rd);
  Exec periphWrite(Core &core, uint32_t addr, uint32_t value, uint64_t now);
  /// Reports an error of `core`'s current instruction; returns Exec::Stop.
  Exec fail(Core &core, const std::string &message);
  bool stopped() const { return stopped_; }

private:
  struct CodeCache {
    uint32_t begin, end;
    std::vector<DecodedInst> insts; ///< One slot per 16-bit parcel.
  };
  const DecodedInst *fetchSlow(Core &core);
  const DecodedInst *decodeAt(Core &core, CodeCache &cache);
  std::string deadlockReport() const;

  SimConfig config_;
  Memory memory_;
  std::vector<std::unique_ptr<Core>> cores_;
  std::unique_ptr<EventUnit> eu_;
  std::unique_ptr<Dma> dma_;
  std::unique_ptr<L3Dma> l3Dma_;
  std::unique_ptr<ICache> icache_;
  /// First cycle each FPU / divider accepts an operation again.
  std::vector<uint64_t> fpuFree_, fdivFree_;
  std::vector<CodeCache> code_;
  CodeCache *lastCode_ = nullptr;
  uint64_t cycle_ = 0;
  bool stopped_ = false;
  bool woke_ = false;
  bool exited_ = false;
  uint32_t exitCode_ = 0;
  std::string error_;
  FILE *out_ = stdout;
  FILE *trace_ = nullptr;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_CLUSTER_H
