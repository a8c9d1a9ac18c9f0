//===- Dma.cpp - The cluster DMA engine -----------------------------------===//

#include "pulptrain/sim/Dma.h"
#include "pulptrain/platform.h"
#include "pulptrain/sim/Core.h"
#include "pulptrain/sim/Memory.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

using namespace pulptrain::sim;

Dma::Dma(Memory &memory, std::vector<Core *> cores, unsigned bytesPerCycle,
         unsigned setupCycles, unsigned ports)
    : mem_(memory), cores_(std::move(cores)),
      bytesPerCycle_(ports ? std::min(bytesPerCycle, 4 * ports)
                           : bytesPerCycle),
      setupCycles_(setupCycles), ports_(ports) {}

bool Dma::push(const Core &c, uint64_t now, uint32_t &id, std::string &error) {
  char buf[200];
  DmaTransfer t{};
  t.ext = c.dmaExt, t.loc = c.dmaLoc, t.size = c.dmaSize;
  t.rowLen = c.dmaRowLen, t.stride = c.dmaStride;
  t.toExt = c.dmaDir == PULPTRAIN_DMA_DIR_LOC2EXT;
  if (c.dmaDir > 1) {
    snprintf(buf, sizeof buf, "bad DMA direction %u", c.dmaDir);
    return error = buf, false;
  }
  if (t.size == 0)
    return error = "DMA transfer of size 0", false;
  if (t.rowLen && t.size % t.rowLen) {
    snprintf(buf, sizeof buf,
             "DMA size %u is not a multiple of the row length %u", t.size,
             t.rowLen);
    return error = buf, false;
  }
  if (!mem_.l1(t.loc, t.size)) {
    snprintf(buf, sizeof buf,
             "DMA local range [0x%08x, +%u) is not inside L1", t.loc, t.size);
    return error = buf, false;
  }
  if (!t.toExt && mem_.isCode(t.loc, t.size)) {
    snprintf(buf, sizeof buf,
             "DMA local range [0x%08x, +%u) overlaps a code segment", t.loc,
             t.size);
    return error = buf, false;
  }
  uint32_t rows = t.rowLen ? t.size / t.rowLen : 1;
  uint32_t rowLen = t.rowLen ? t.rowLen : t.size;
  uint64_t cycles = 0;
  for (uint32_t r = 0; r < rows; ++r) {
    uint32_t addr = t.ext + r * t.stride;
    if (!mem_.any(addr, rowLen) || (t.toExt && mem_.isCode(addr, rowLen))) {
      snprintf(buf, sizeof buf,
               "DMA external range [0x%08x, +%u) (row %u) is unmapped%s",
               addr, rowLen, r, mem_.any(addr, rowLen) ? " or code" : "");
      return error = buf, false;
    }
    cycles += (rowLen + bytesPerCycle_ - 1) / bytesPerCycle_;
  }
  uint64_t start = std::max(now + 1, engineFree_);
  t.dataStart = start + setupCycles_;
  t.completion = start + setupCycles_ + cycles;
  engineFree_ = t.completion;
  busyCycles_ += setupCycles_ + cycles;
  id = nextId_++;
  queue_.push_back(t);
  return true;
}

void Dma::claimBanks(uint64_t now) {
  if (!ports_ || queue_.empty())
    return;
  const DmaTransfer &t = queue_.front();
  if (now < t.dataStart || now >= t.completion)
    return;
  // Cycle c of the data phase moves bytes [off, off + n) of row r; the L1
  // side of a transfer is contiguous.
  uint32_t rowLen = t.rowLen ? t.rowLen : t.size;
  uint64_t perRow = (rowLen + bytesPerCycle_ - 1) / bytesPerCycle_;
  uint64_t c = now - t.dataStart;
  uint32_t r = uint32_t(c / perRow);
  uint32_t off = uint32_t(c % perRow) * bytesPerCycle_;
  uint32_t n = std::min(bytesPerCycle_, rowLen - off);
  uint32_t addr = t.loc + r * rowLen + off;
  for (uint32_t w = addr >> 2; w <= (addr + n - 1) >> 2; ++w)
    mem_.claimBank(w << 2, now);
}

void Dma::advance(uint64_t now) {
  while (!queue_.empty() && queue_.front().completion <= now) {
    const DmaTransfer &t = queue_.front();
    uint32_t rows = t.rowLen ? t.size / t.rowLen : 1;
    uint32_t rowLen = t.rowLen ? t.rowLen : t.size;
    uint8_t *loc = mem_.l1(t.loc, t.size);
    for (uint32_t r = 0; r < rows; ++r) {
      uint8_t *ext = mem_.any(t.ext + r * t.stride, rowLen);
      if (t.toExt)
        std::memmove(ext, loc + size_t(r) * rowLen, rowLen);
      else
        std::memmove(loc + size_t(r) * rowLen, ext, rowLen);
    }
    bytesMoved_ += t.size;
    ++done_;
    uint64_t at = t.completion;
    queue_.pop_front();
    for (Core *c : cores_)
      if (c->sleepReason == SleepReason::DmaWait && done_ > c->waitId)
        c->wake(at + 1, 0);
  }
}
