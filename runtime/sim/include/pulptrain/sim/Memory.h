//===- Memory.h - L1 TCDM, L2 and their timing ------------------*- C++ -*-===//
//
// Storage of the memories of platform.h (L1, L2 and the external L3), the executable ranges (stores
// into them are errors) and the TCDM bank arbiter: one access per bank per
// cycle, word interleaved, bank = (addr >> 2) % banks.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_MEMORY_H
#define PULPTRAIN_SIM_MEMORY_H

#include "pulptrain/platform.h"
#include "pulptrain/sim/ElfLoader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulptrain::sim {

struct CodeRange {
  uint32_t begin, end;
};

class Memory {
public:
  Memory(uint32_t l1Size, uint32_t l2Size, unsigned banks,
         uint32_t l3Size = 0);

  /// Copies the loadable segments in; fails if one does not fit.
  bool load(const ElfImage &image, std::string &error);

  uint32_t l1Size() const { return l1Size_; }
  uint32_t l2Size() const { return l2Size_; }
  uint32_t l3Size() const { return l3Size_; }
  unsigned banks() const { return banks_; }

  /// Host pointer of [addr, addr+size) if it lies inside L1, else nullptr.
  uint8_t *l1(uint32_t addr, uint32_t size) {
    uint32_t off = addr - PULPTRAIN_L1_BASE;
    return (off < l1Size_ && size <= l1Size_ - off) ? &l1_[off] : nullptr;
  }
  uint8_t *l2(uint32_t addr, uint32_t size) {
    uint32_t off = addr - PULPTRAIN_L2_BASE;
    return (off < l2Size_ && size <= l2Size_ - off) ? &l2_[off] : nullptr;
  }
  /// Host pointer of [addr, addr+size) inside L3 (only the L3 DMA and the
  /// loader reach it), or nullptr.
  uint8_t *l3(uint32_t addr, uint32_t size) {
    uint32_t off = addr - PULPTRAIN_L3_BASE;
    return (off < l3Size_ && size <= l3Size_ - off) ? &l3_[off] : nullptr;
  }
  /// Whether `addr` lies in the L3 range of the memory map (whatever the
  /// configured size): the cores' loads and stores there are errors.
  static bool isL3Range(uint32_t addr) {
    return addr - PULPTRAIN_L3_BASE < PULPTRAIN_L3_MAX_SIZE;
  }
  /// Host pointer into L1 or L2, or nullptr.
  uint8_t *any(uint32_t addr, uint32_t size) {
    if (uint8_t *p = l1(addr, size))
      return p;
    return l2(addr, size);
  }

  /// True if [addr, addr+size) overlaps an executable segment.
  bool isCode(uint32_t addr, uint32_t size) const {
    if (addr >= codeHi_ || addr + size <= codeLo_)
      return false;
    for (const CodeRange &r : code_)
      if (addr < r.end && addr + size > r.begin)
        return true;
    return false;
  }
  const std::vector<CodeRange> &codeRanges() const { return code_; }

  /// TCDM arbitration: grants the bank of `addr` for cycle `now` unless
  /// another core already holds it in that cycle.
  bool grantBank(uint32_t addr, uint64_t now) {
    uint64_t &owner = bankCycle_[(addr >> 2) % banks_];
    if (owner == now + 1)
      return false;
    owner = now + 1; // 0 means "never granted".
    return true;
  }

  /// Takes the bank of `addr` for cycle `now` whoever holds it (the DMA,
  /// which arbitrates before the cores).
  void claimBank(uint32_t addr, uint64_t now) {
    bankCycle_[(addr >> 2) % banks_] = now + 1;
  }

private:
  uint32_t l1Size_, l2Size_, l3Size_;
  unsigned banks_;
  std::vector<uint8_t> l1_, l2_, l3_;
  std::vector<uint64_t> bankCycle_;
  std::vector<CodeRange> code_;
  uint32_t codeLo_ = ~0u, codeHi_ = 0;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_MEMORY_H
