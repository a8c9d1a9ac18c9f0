//===- Memory.cpp - L1 TCDM, L2 and program loading -----------------------===//

#include "pulptrain/sim/Memory.h"

#include <cstdio>
#include <algorithm>
#include <cstring>

using namespace pulptrain::sim;

Memory::Memory(uint32_t l1Size, uint32_t l2Size, unsigned banks,
               uint32_t l3Size)
    : l1Size_(l1Size), l2Size_(l2Size), l3Size_(l3Size), banks_(banks),
      l1_(l1Size), l2_(l2Size), l3_(l3Size), bankCycle_(banks, 0) {}

bool Memory::load(const ElfImage &image, std::string &error) {
  for (const ElfSegment &seg : image.segments) {
    uint8_t *dst = any(seg.addr, seg.memSize);
    // L3 holds data (the state a program places there), never code.
    if (!dst && !seg.executable)
      dst = l3(seg.addr, seg.memSize);
    if (!dst) {
      char buf[240];
      snprintf(buf, sizeof buf,
               "ELF segment at 0x%08x (%u bytes) does not fit in L1 "
               "[0x%08x, 0x%08x), L2 [0x%08x, 0x%08x) or L3 [0x%08x, "
               "0x%08x)",
               seg.addr, seg.memSize, PULPTRAIN_L1_BASE,
               PULPTRAIN_L1_BASE + l1Size_, PULPTRAIN_L2_BASE,
               PULPTRAIN_L2_BASE + l2Size_, PULPTRAIN_L3_BASE,
               PULPTRAIN_L3_BASE + l3Size_);
      error = buf;
      return false;
    }
    std::memcpy(dst, seg.data.data(), seg.data.size());
    std::memset(dst + seg.data.size(), 0, seg.memSize - seg.data.size());
    if (seg.executable) {
      code_.push_back({seg.addr, seg.addr + seg.memSize});
      codeLo_ = std::min(codeLo_, seg.addr);
      codeHi_ = std::max(codeHi_, seg.addr + seg.memSize);
    }
  }
  if (code_.empty()) {
    error = "ELF file has no executable segment";
    return false;
  }
  bool entryOk = false;
  for (const CodeRange &r : code_)
    entryOk |= image.entry >= r.begin && image.entry < r.end;
  if (!entryOk) {
    char buf[120];
    snprintf(buf, sizeof buf,
             "ELF entry point 0x%08x is not inside an executable segment",
             image.entry);
    error = buf;
    return false;
  }
  return true;
}
