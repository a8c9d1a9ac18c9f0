//===- L3Dma.cpp - The L3 DMA channel -------------------------------------===//

#include "pulptrain/sim/L3Dma.h"
#include "pulptrain/platform.h"
#include "pulptrain/sim/Core.h"
#include "pulptrain/sim/Memory.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

using namespace pulptrain::sim;

L3Dma::L3Dma(Memory &memory, std::vector<Core *> cores, unsigned bytesPerCycle,
             unsigned latency)
    : mem_(memory), cores_(std::move(cores)), bytesPerCycle_(bytesPerCycle),
      latency_(latency) {}

bool L3Dma::push(const Core &c, uint64_t now, uint32_t &id,
                 std::string &error) {
  char buf[200];
  Transfer t{c.l3DmaL3, c.l3DmaL2, c.l3DmaSize,
             c.l3DmaDir == PULPTRAIN_L3DMA_DIR_L2TOL3, 0};
  if (c.l3DmaDir > 1) {
    snprintf(buf, sizeof buf, "bad L3 DMA direction %u", c.l3DmaDir);
    return error = buf, false;
  }
  if (t.size == 0)
    return error = "L3 DMA transfer of size 0", false;
  if (!mem_.l3(t.l3, t.size)) {
    snprintf(buf, sizeof buf,
             "L3 DMA range [0x%08x, +%u) is not inside L3 [0x%08x, 0x%08x)",
             t.l3, t.size, PULPTRAIN_L3_BASE,
             PULPTRAIN_L3_BASE + mem_.l3Size());
    return error = buf, false;
  }
  if (!mem_.l2(t.l2, t.size) || (!t.toL3 && mem_.isCode(t.l2, t.size))) {
    snprintf(buf, sizeof buf,
             "L3 DMA range [0x%08x, +%u) on the L2 side is %s", t.l2, t.size,
             mem_.l2(t.l2, t.size) ? "code" : "not inside L2");
    return error = buf, false;
  }
  uint64_t cycles =
      latency_ + (uint64_t(t.size) + bytesPerCycle_ - 1) / bytesPerCycle_;
  uint64_t start = std::max(now + 1, channelFree_);
  t.completion = start + cycles;
  channelFree_ = t.completion;
  busyCycles_ += cycles;
  id = nextId_++;
  queue_.push_back(t);
  return true;
}

void L3Dma::advance(uint64_t now) {
  while (!queue_.empty() && queue_.front().completion <= now) {
    const Transfer &t = queue_.front();
    uint8_t *l3 = mem_.l3(t.l3, t.size), *l2 = mem_.l2(t.l2, t.size);
    if (t.toL3)
      std::memmove(l3, l2, t.size);
    else
      std::memmove(l2, l3, t.size);
    bytesMoved_ += t.size;
    ++done_;
    uint64_t at = t.completion;
    queue_.pop_front();
    for (Core *c : cores_)
      if (c->sleepReason == SleepReason::L3DmaWait && done_ > c->waitId)
        c->wake(at + 1, 0);
  }
}
