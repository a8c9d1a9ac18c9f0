//===- L3Dma.h - The L3 DMA channel (micro-DMA to external memory) -*- C++ -*-===//
//
// One channel between L3 (the external HyperRAM of platform.h) and L2, as
// the SoC's micro-DMA of PULP MCUs: one FIFO queue of transfers from all
// cores, each a fixed latency and then a fixed bandwidth, in order. 1-D
// transfers only. The data is copied when a transfer completes.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_L3DMA_H
#define PULPTRAIN_SIM_L3DMA_H

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace pulptrain::sim {

class Core;
class Memory;

class L3Dma {
public:
  L3Dma(Memory &memory, std::vector<Core *> cores, unsigned bytesPerCycle,
        unsigned latency);

  /// Validates and enqueues the transfer programmed in `core`'s registers.
  bool push(const Core &core, uint64_t now, uint32_t &id, std::string &error);
  /// Completes every transfer due at or before `now` and wakes waiters.
  void advance(uint64_t now);
  /// Cycle of the next completion, or UINT64_MAX when idle.
  uint64_t nextEvent() const {
    return queue_.empty() ? UINT64_MAX : queue_.front().completion;
  }
  bool busy() const { return !queue_.empty(); }
  uint32_t done() const { return done_; }

  uint64_t bytesMoved() const { return bytesMoved_; }
  uint64_t transfers() const { return done_; }
  /// Cycles the channel was busy (latency and data phases of all
  /// transfers).
  uint64_t busyCycles() const { return busyCycles_; }

private:
  struct Transfer {
    uint32_t l3, l2, size;
    bool toL3;
    uint64_t completion;
  };
  Memory &mem_;
  std::vector<Core *> cores_;
  unsigned bytesPerCycle_, latency_;
  std::deque<Transfer> queue_;
  uint32_t nextId_ = 0, done_ = 0;
  uint64_t channelFree_ = 0;
  uint64_t bytesMoved_ = 0, busyCycles_ = 0;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_L3DMA_H
