//===- EventUnit.h - Hardware barrier and dispatch FIFOs --------*- C++ -*-===//
//
// The event unit of platform.h: one hardware barrier for a team of cores
// 0..team-1 and a dispatch FIFO per core. Blocking reads put the reading
// core to sleep; the event unit wakes it.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_EVENTUNIT_H
#define PULPTRAIN_SIM_EVENTUNIT_H

#include <cstdint>
#include <string>
#include <vector>

namespace pulptrain::sim {

class Core;

class EventUnit {
public:
  static constexpr unsigned FifoDepth = 16;

  EventUnit(std::vector<Core *> cores, unsigned barrierLatency,
            unsigned dispatchLatency);

  /// PULPTRAIN_EU_BARRIER_TEAM write.
  bool setTeam(uint32_t size, std::string &error);
  /// PULPTRAIN_EU_BARRIER_WAIT read by `core` (already marked asleep).
  bool barrierArrive(Core &core, uint64_t now, std::string &error);
  /// PULPTRAIN_EU_DISPATCH_PUSH write.
  bool dispatchPush(uint32_t mask, uint32_t value, uint64_t now,
                    std::string &error);
  /// PULPTRAIN_EU_DISPATCH_POP read: true and `value` if one is pending.
  bool dispatchPop(unsigned core, uint32_t &value);

  unsigned team() const { return team_; }

private:
  std::vector<Core *> cores_;
  unsigned barrierLatency_, dispatchLatency_;
  unsigned team_;
  uint32_t arrived_ = 0;
  struct Fifo {
    uint32_t values[FifoDepth];
    unsigned head = 0, count = 0;
  };
  std::vector<Fifo> fifos_;
};

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_EVENTUNIT_H
