//===- ICache.cpp - Instruction cache: per-core L0, shared L1 -------------===//

#include "pulptrain/sim/ICache.h"

using namespace pulptrain::sim;

ICache::ICache(const SimConfig &c, unsigned cores)
    : l0Refill_(c.icacheL0Refill), l1Refill_(c.icacheL1Refill),
      l1Banks_(c.icacheL1Banks) {
  lineShift_ = 0;
  while ((1u << lineShift_) < c.icacheLineBytes)
    ++lineShift_;
  auto make = [](unsigned sets, unsigned ways) {
    Array a;
    a.sets = sets, a.ways = ways;
    a.tags.assign(size_t(sets) * ways, 0);
    a.stamps.assign(size_t(sets) * ways, 0);
    return a;
  };
  l0_.assign(cores, make(c.icacheL0Sets, c.icacheL0Ways));
  l1_.assign(c.icacheL1Banks, make(c.icacheL1Sets, c.icacheL1Ways));
}

bool ICache::Array::lookup(uint32_t set, uint32_t tag, uint64_t stamp) {
  uint32_t *t = &tags[size_t(set) * ways];
  uint64_t *s = &stamps[size_t(set) * ways];
  unsigned victim = 0;
  for (unsigned w = 0; w < ways; ++w) {
    if (t[w] == tag) {
      s[w] = stamp;
      return true;
    }
    if (s[w] < s[victim])
      victim = w;
  }
  t[victim] = tag;
  s[victim] = stamp;
  return false;
}

ICache::Access ICache::fetch(unsigned core, uint32_t line) {
  Access a;
  ++stamp_;
  Array &l0 = l0_[core];
  if (l0.lookup(line & (l0.sets - 1), line + 1, stamp_))
    return a;
  a.l0Miss = true;
  a.stall = l0Refill_;
  // Lines are interleaved over the L1 banks; the rest of the line number
  // selects the set.
  uint32_t bankLine = line / l1Banks_;
  Array &l1 = l1_[line & (l1Banks_ - 1)];
  if (!l1.lookup(bankLine & (l1.sets - 1), line + 1, stamp_)) {
    a.l1Miss = true;
    a.stall += l1Refill_;
  }
  return a;
}
