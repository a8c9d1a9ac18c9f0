//===- ICache.h - Instruction cache: per-core L0, shared L1 -----*- C++ -*-===//
//
// The two-level instruction cache of a PULP cluster: a small private L0 per
// core in front of an L1 shared by all cores (line-interleaved banks), both
// set-associative with LRU replacement, refilled from L2. Only the timing
// is modelled: the instruction words themselves come from the decoded
// instruction cache of the cluster (code is never written).
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_ICACHE_H
#define PULPTRAIN_SIM_ICACHE_H

#include "pulptrain/sim/Config.h"

#include <cstdint>
#include <vector>

namespace pulptrain::sim {

class ICache {
public:
  ICache(const SimConfig &config, unsigned cores);

  /// log2 of the line size: the line of address a is a >> lineShift().
  unsigned lineShift() const { return lineShift_; }

  /// Result of fetching one line.
  struct Access {
    unsigned stall = 0; ///< Cycles the fetch waits (0 on an L0 hit).
    bool l0Miss = false;
    bool l1Miss = false;
  };
  /// Fetches line `line` (address >> lineShift()) for `core`: looks it up
  /// in the core's L0, then in the shared L1, and fills both on a miss.
  Access fetch(unsigned core, uint32_t line);

private:
  /// One set-associative LRU array; tag 0 means empty (tags are line + 1).
  struct Array {
    unsigned sets = 0, ways = 0;
    std::vector<uint32_t> tags;
    std::vector<uint64_t> stamps;
    /// True on a hit; on a miss the LRU way of the set gets the line.
    bool lookup(uint32_t set, uint32_t tag, uint64_t stamp);
  };

  unsigned lineShift_ = 4;
  unsigned l0Refill_, l1Refill_;
  unsigned l1Banks_;
  std::vector<Array> l0_; ///< One per core.
  std::vector<Array> l1_; ///< One per bank.
  uint64_t stamp_ = 0;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_ICACHE_H
