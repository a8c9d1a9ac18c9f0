//===- EventUnit.cpp - Hardware barrier and dispatch FIFOs ----------------===//

#include "pulptrain/sim/EventUnit.h"
#include "pulptrain/sim/Core.h"

using namespace pulptrain::sim;

EventUnit::EventUnit(std::vector<Core *> cores, unsigned barrierLatency,
                     unsigned dispatchLatency)
    : cores_(std::move(cores)), barrierLatency_(barrierLatency),
      dispatchLatency_(dispatchLatency), team_(unsigned(cores_.size())),
      fifos_(cores_.size()) {}

bool EventUnit::setTeam(uint32_t size, std::string &error) {
  if (size < 1 || size > cores_.size()) {
    error = "barrier team size " + std::to_string(size) +
            " is outside 1.." + std::to_string(cores_.size());
    return false;
  }
  if (arrived_) {
    error = "barrier team size changed while cores wait at the barrier";
    return false;
  }
  team_ = size;
  return true;
}

bool EventUnit::barrierArrive(Core &core, uint64_t now, std::string &error) {
  if (core.id() >= team_) {
    error = "core " + std::to_string(core.id()) +
            " waits at the barrier but is not in the team (team size " +
            std::to_string(team_) + ")";
    return false;
  }
  arrived_ |= 1u << core.id();
  if (arrived_ != (team_ == 32 ? ~0u : (1u << team_) - 1))
    return true;
  for (unsigned i = 0; i < team_; ++i)
    cores_[i]->wake(now + barrierLatency_, 0);
  arrived_ = 0;
  return true;
}

bool EventUnit::dispatchPush(uint32_t mask, uint32_t value, uint64_t now,
                             std::string &error) {
  for (unsigned i = 0; i < cores_.size(); ++i) {
    if (!(mask & (1u << i)))
      continue;
    Core &c = *cores_[i];
    if (c.sleepReason == SleepReason::Dispatch) {
      c.wake(now + dispatchLatency_, value);
      continue;
    }
    Fifo &f = fifos_[i];
    if (f.count == FifoDepth) {
      error = "dispatch FIFO of core " + std::to_string(i) +
              " overflows (depth " + std::to_string(FifoDepth) + ")";
      return false;
    }
    f.values[(f.head + f.count++) % FifoDepth] = value;
  }
  return true;
}

bool EventUnit::dispatchPop(unsigned core, uint32_t &value) {
  Fifo &f = fifos_[core];
  if (!f.count)
    return false;
  value = f.values[f.head];
  f.head = (f.head + 1) % FifoDepth;
  --f.count;
  return true;
}
