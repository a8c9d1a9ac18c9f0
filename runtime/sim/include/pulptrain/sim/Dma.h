//===- Dma.h - The cluster DMA engine ---------------------------*- C++ -*-===//
//
// One engine with one FIFO queue of transfers from all cores, processed in
// order at a fixed bandwidth. 1-D and 2-D (strided on the L2 side)
// transfers. The data is copied when a transfer completes.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_DMA_H
#define PULPTRAIN_SIM_DMA_H

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace pulptrain::sim {

class Core;
class Memory;

struct DmaTransfer {
  uint32_t ext, loc, size, rowLen, stride;
  bool toExt;
  uint64_t dataStart;  ///< First cycle data moves (after the setup).
  uint64_t completion; ///< Cycle at which the data is in place.
};

class Dma {
public:
  /// `ports` > 0: the engine moves at most 4 * ports bytes per cycle and
  /// takes the TCDM banks of the words it moves (claimBanks).
  Dma(Memory &memory, std::vector<Core *> cores, unsigned bytesPerCycle,
      unsigned setupCycles, unsigned ports = 0);

  /// Validates and enqueues the transfer programmed in `core`'s registers.
  bool push(const Core &core, uint64_t now, uint32_t &id, std::string &error);
  /// Takes, for cycle `now`, the L1 banks of the words the transfer in
  /// flight moves in that cycle (cores then lose arbitration for them).
  void claimBanks(uint64_t now);
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
  uint64_t busyCycles() const { return busyCycles_; }

private:
  Memory &mem_;
  std::vector<Core *> cores_;
  unsigned bytesPerCycle_, setupCycles_, ports_;
  std::deque<DmaTransfer> queue_;
  uint32_t nextId_ = 0, done_ = 0;
  uint64_t engineFree_ = 0;
  uint64_t bytesMoved_ = 0, busyCycles_ = 0;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_DMA_H
