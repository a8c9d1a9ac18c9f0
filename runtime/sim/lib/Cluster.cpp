//===- Cluster.cpp - Lock-step cycle loop and peripheral registers --------===//

#include "pulptrain/sim/Cluster.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace pulptrain::sim;

static std::string hex(uint32_t v) {
  char buf[16];
  snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

Cluster::Cluster(const SimConfig &config)
    : config_(config),
      memory_(config.l1Size, config.l2Size,
              config.cores * PULPTRAIN_L1_BANKS_PER_CORE, config.l3Size) {
  if (config.icache)
    icache_ = std::make_unique<ICache>(config, config.cores);
  fpuFree_.assign(std::max(config.cores, config.fpus), 0);
  fdivFree_.assign(std::max(1u, config.fdivUnits), 0);
  std::vector<Core *> raw;
  for (unsigned i = 0; i < config.cores; ++i) {
    cores_.push_back(std::make_unique<Core>(*this, i, 0));
    raw.push_back(cores_.back().get());
  }
  eu_ = std::make_unique<EventUnit>(raw, config.barrierLatency,
                                    config.dispatchLatency);
  dma_ = std::make_unique<Dma>(memory_, raw, config.dmaBytesPerCycle,
                               config.dmaSetupCycles, config.dmaPorts);
  l3Dma_ = std::make_unique<L3Dma>(memory_, raw, config.l3BytesPerCycle,
                                   config.l3Latency);
}

Cluster::~Cluster() = default;

bool Cluster::load(const ElfImage &image, std::string &error) {
  if (!memory_.load(image, error))
    return false;
  for (const CodeRange &r : memory_.codeRanges()) {
    CodeCache cc{r.begin, r.end, {}};
    DecodedInst empty;
    empty.len = 0; // Not decoded yet.
    cc.insts.assign((r.end - r.begin + 1) / 2, empty);
    code_.push_back(std::move(cc));
  }
  lastCode_ = &code_.front();
  for (auto &c : cores_)
    c->pc = image.entry;
  return true;
}

const DecodedInst *Cluster::fetchSlow(Core &core) {
  uint32_t pc = core.pc;
  CodeCache *cc = lastCode_;
  if (pc - cc->begin >= cc->end - cc->begin) {
    cc = nullptr;
    for (CodeCache &c : code_)
      if (pc - c.begin < c.end - c.begin)
        cc = &c;
    if (!cc) {
      core.current = nullptr;
      fail(core, "instruction fetch from " + hex(pc) +
                     ", which is not in an executable segment");
      return nullptr;
    }
    lastCode_ = cc;
  }
  if (pc & 1) {
    core.current = nullptr;
    fail(core, "misaligned instruction fetch from " + hex(pc));
    return nullptr;
  }
  const DecodedInst &d = cc->insts[(pc - cc->begin) >> 1];
  if (__builtin_expect(d.len != 0, 1))
    return &d;
  return decodeAt(core, *cc);
}

const DecodedInst *Cluster::decodeAt(Core &core, CodeCache &cc) {
  uint32_t pc = core.pc;
  DecodedInst &d = cc.insts[(pc - cc.begin) >> 1];
  uint16_t lo, hi = 0;
  std::memcpy(&lo, memory_.any(pc, 2), 2);
  if ((lo & 3) == 3) {
    if (pc + 4 > cc.end) {
      core.current = nullptr;
      fail(core, "32-bit instruction at " + hex(pc) +
                     " crosses the end of its code segment");
      return nullptr;
    }
    std::memcpy(&hi, memory_.any(pc + 2, 2), 2);
  }
  decode(lo, hi, d); // Illegal words decode to Op::Illegal, reported later.
  return &d;
}

Exec Cluster::fail(Core &core, const std::string &message) {
  if (stopped_)
    return Exec::Stop;
  char buf[200];
  if (core.current) {
    const DecodedInst &d = *core.current;
    if (d.op == Op::Illegal)
      snprintf(buf, sizeof buf, "core %u, pc 0x%08x, instruction 0x%0*x: ",
               core.id(), core.pc, d.len == 2 ? 4 : 8, d.raw);
    else
      snprintf(buf, sizeof buf, "core %u, pc 0x%08x, instruction 0x%0*x (%s): ",
               core.id(), core.pc, d.len == 2 ? 4 : 8, d.raw,
               disassemble(d).c_str());
  } else {
    snprintf(buf, sizeof buf, "core %u, pc 0x%08x: ", core.id(), core.pc);
  }
  error_ = buf + message;
  stopped_ = true;
  return Exec::Stop;
}

Exec Cluster::periphRead(Core &c, uint32_t addr, uint64_t now,
                         uint32_t &value, uint8_t rd) {
  std::string err;
  value = 0;
  switch (addr) {
  case PULPTRAIN_CLUSTER_NB_CORES:
    value = numCores();
    return Exec::Done;
  case PULPTRAIN_CLUSTER_L1_SIZE:
    value = memory_.l1Size();
    return Exec::Done;
  case PULPTRAIN_CLUSTER_L2_SIZE:
    value = memory_.l2Size();
    return Exec::Done;
  case PULPTRAIN_CLUSTER_L3_SIZE:
    value = memory_.l3Size();
    return Exec::Done;
  case PULPTRAIN_EU_BARRIER_TEAM:
    value = eu_->team();
    return Exec::Done;
  case PULPTRAIN_EU_BARRIER_WAIT:
    c.sleep(SleepReason::Barrier, rd, now);
    if (!eu_->barrierArrive(c, now, err))
      return fail(c, err);
    return Exec::Sleep;
  case PULPTRAIN_EU_DISPATCH_MASK:
    value = c.dispatchMask;
    return Exec::Done;
  case PULPTRAIN_EU_DISPATCH_POP:
    if (eu_->dispatchPop(c.id(), value))
      return Exec::Done;
    c.sleep(SleepReason::Dispatch, rd, now);
    return Exec::Sleep;
  case PULPTRAIN_DMA_EXT_ADDR: value = c.dmaExt; return Exec::Done;
  case PULPTRAIN_DMA_LOC_ADDR: value = c.dmaLoc; return Exec::Done;
  case PULPTRAIN_DMA_SIZE: value = c.dmaSize; return Exec::Done;
  case PULPTRAIN_DMA_DIR: value = c.dmaDir; return Exec::Done;
  case PULPTRAIN_DMA_EXT_STRIDE: value = c.dmaStride; return Exec::Done;
  case PULPTRAIN_DMA_ROW_LEN: value = c.dmaRowLen; return Exec::Done;
  case PULPTRAIN_DMA_WAIT_ID: value = c.dmaWaitId; return Exec::Done;
  case PULPTRAIN_DMA_PUSH:
    if (!dma_->push(c, now, value, err))
      return fail(c, err);
    return Exec::Done;
  case PULPTRAIN_DMA_DONE:
    value = dma_->done();
    return Exec::Done;
  case PULPTRAIN_DMA_WAIT:
    if (dma_->done() > c.dmaWaitId)
      return Exec::Done;
    c.waitId = c.dmaWaitId;
    c.sleep(SleepReason::DmaWait, rd, now);
    return Exec::Sleep;
  case PULPTRAIN_L3DMA_L3_ADDR: value = c.l3DmaL3; return Exec::Done;
  case PULPTRAIN_L3DMA_L2_ADDR: value = c.l3DmaL2; return Exec::Done;
  case PULPTRAIN_L3DMA_SIZE: value = c.l3DmaSize; return Exec::Done;
  case PULPTRAIN_L3DMA_DIR: value = c.l3DmaDir; return Exec::Done;
  case PULPTRAIN_L3DMA_WAIT_ID: value = c.l3DmaWaitId; return Exec::Done;
  case PULPTRAIN_L3DMA_PUSH:
    if (!l3Dma_->push(c, now, value, err))
      return fail(c, err);
    return Exec::Done;
  case PULPTRAIN_L3DMA_DONE:
    value = l3Dma_->done();
    return Exec::Done;
  case PULPTRAIN_L3DMA_WAIT:
    if (l3Dma_->done() > c.l3DmaWaitId)
      return Exec::Done;
    c.waitId = c.l3DmaWaitId;
    c.sleep(SleepReason::L3DmaWait, rd, now);
    return Exec::Sleep;
  default:
    break;
  }
  if (addr >= PULPTRAIN_PERF_COUNTER(0) &&
      addr < PULPTRAIN_PERF_COUNTER(PULPTRAIN_PERF_NUM_COUNTERS)) {
    value = uint32_t(c.counters.perfRead(
        (addr - PULPTRAIN_PERF_COUNTER(0)) / 4, now));
    return Exec::Done;
  }
  if (addr == PULPTRAIN_PERF_CTRL || addr == PULPTRAIN_STDOUT_PUTC ||
      addr == PULPTRAIN_EXIT)
    return Exec::Done; // Write-only registers read as 0.
  return fail(c, "load from unmapped address " + hex(addr));
}

Exec Cluster::periphWrite(Core &c, uint32_t addr, uint32_t value,
                          uint64_t now) {
  std::string err;
  switch (addr) {
  case PULPTRAIN_STDOUT_PUTC:
    fputc(int(value & 0xff), out_);
    return Exec::Done;
  case PULPTRAIN_EXIT:
    exited_ = true;
    exitCode_ = value;
    stopped_ = true;
    return Exec::Stop;
  case PULPTRAIN_EU_BARRIER_TEAM:
    if (!eu_->setTeam(value, err))
      return fail(c, err);
    return Exec::Done;
  case PULPTRAIN_EU_DISPATCH_MASK:
    c.dispatchMask = value;
    return Exec::Done;
  case PULPTRAIN_EU_DISPATCH_PUSH:
    if (!eu_->dispatchPush(c.dispatchMask, value, now, err))
      return fail(c, err);
    return Exec::Done;
  case PULPTRAIN_PERF_CTRL:
    c.counters.perfControl(value, now);
    return Exec::Done;
  case PULPTRAIN_DMA_EXT_ADDR: c.dmaExt = value; return Exec::Done;
  case PULPTRAIN_DMA_LOC_ADDR: c.dmaLoc = value; return Exec::Done;
  case PULPTRAIN_DMA_SIZE: c.dmaSize = value; return Exec::Done;
  case PULPTRAIN_DMA_DIR: c.dmaDir = value; return Exec::Done;
  case PULPTRAIN_DMA_EXT_STRIDE: c.dmaStride = value; return Exec::Done;
  case PULPTRAIN_DMA_ROW_LEN: c.dmaRowLen = value; return Exec::Done;
  case PULPTRAIN_DMA_WAIT_ID: c.dmaWaitId = value; return Exec::Done;
  case PULPTRAIN_L3DMA_L3_ADDR: c.l3DmaL3 = value; return Exec::Done;
  case PULPTRAIN_L3DMA_L2_ADDR: c.l3DmaL2 = value; return Exec::Done;
  case PULPTRAIN_L3DMA_SIZE: c.l3DmaSize = value; return Exec::Done;
  case PULPTRAIN_L3DMA_DIR: c.l3DmaDir = value; return Exec::Done;
  case PULPTRAIN_L3DMA_WAIT_ID: c.l3DmaWaitId = value; return Exec::Done;
  default:
    break;
  }
  bool readOnly =
      addr == PULPTRAIN_CLUSTER_NB_CORES || addr == PULPTRAIN_CLUSTER_L1_SIZE ||
      addr == PULPTRAIN_CLUSTER_L2_SIZE || addr == PULPTRAIN_CLUSTER_L3_SIZE ||
      addr == PULPTRAIN_EU_BARRIER_WAIT ||
      addr == PULPTRAIN_EU_DISPATCH_POP || addr == PULPTRAIN_DMA_PUSH ||
      addr == PULPTRAIN_DMA_DONE || addr == PULPTRAIN_DMA_WAIT ||
      addr == PULPTRAIN_L3DMA_PUSH || addr == PULPTRAIN_L3DMA_DONE ||
      addr == PULPTRAIN_L3DMA_WAIT ||
      (addr >= PULPTRAIN_PERF_COUNTER(0) &&
       addr < PULPTRAIN_PERF_COUNTER(PULPTRAIN_PERF_NUM_COUNTERS));
  if (readOnly)
    return fail(c, "store to read-only register " + hex(addr));
  return fail(c, "store to unmapped address " + hex(addr));
}

std::string Cluster::deadlockReport() const {
  std::string s = "deadlock: all cores are asleep and nothing can wake them (";
  for (unsigned i = 0; i < cores_.size(); ++i) {
    const Core &c = *cores_[i];
    const char *why = c.sleepReason == SleepReason::Barrier ? "barrier"
                      : c.sleepReason == SleepReason::Dispatch
                          ? "dispatch pop"
                      : c.sleepReason == SleepReason::DmaWait ? "DMA wait"
                                                              : "L3 DMA wait";
    s += (i ? ", " : "") + std::string("core ") + std::to_string(i) + ": " +
         why + " at pc " + hex(c.pc);
  }
  return s + ")";
}

RunResult Cluster::run() {
  RunResult result;
  auto start = std::chrono::steady_clock::now();
  const unsigned n = numCores();
  const uint64_t maxCycles = config_.maxCycles;
  std::vector<Core *> cores;
  for (auto &c : cores_)
    cores.push_back(c.get());
  unsigned rr = 0; // Round-robin start: rotates every cycle.
  while (!stopped_) {
    uint64_t now = cycle_;
    if (now >= maxCycles) {
      Core &c = *cores[0];
      c.current = nullptr;
      fail(c, "runaway program: no exit after " + std::to_string(maxCycles) +
                  " cycles (--max-cycles)");
      break;
    }
    if (l3Dma_->busy())
      l3Dma_->advance(now);
    if (dma_->busy()) {
      dma_->advance(now);
      // The words the DMA moves in this cycle take their banks first.
      if (config_.dmaPorts)
        dma_->claimBanks(now);
    }
    unsigned idx = rr;
    uint64_t next = UINT64_MAX;
    woke_ = false;
    for (unsigned k = 0; k < n; ++k) {
      Core &c = *cores[idx];
      if (++idx == n)
        idx = 0;
      if (c.sleepReason != SleepReason::None)
        continue;
      if (c.readyAt <= now) {
        c.step(now);
        if (stopped_)
          break;
      }
      if (c.sleepReason == SleepReason::None)
        next = std::min(next, c.readyAt);
    }
    if (stopped_)
      break;
    // A core may have been woken by one stepped after it: rescan.
    if (woke_)
      for (unsigned i = 0; i < n; ++i)
        if (cores[i]->sleepReason == SleepReason::None)
          next = std::min(next, cores[i]->readyAt);
    if (++rr == n)
      rr = 0;
    next = std::min({next, dma_->nextEvent(), l3Dma_->nextEvent()});
    if (next == UINT64_MAX) {
      Core &c = *cores[0];
      c.current = nullptr;
      error_ = deadlockReport();
      stopped_ = true;
      break;
    }
    // Skip idle cycles; keep the round-robin pointer as if they passed.
    uint64_t to = std::max(now + 1, next);
    rr = unsigned((rr + (to - now - 1)) % n);
    cycle_ = to;
  }
  result.hostSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  result.cycles = exited_ ? cycle_ + 1 : cycle_;
  cycle_ = result.cycles;
  for (auto &c : cores_)
    if (c->asleep())
      c->counters.total[CntSleep] += result.cycles - c->sleepStart;
  result.ok = exited_;
  result.exitCode = exitCode_;
  result.error = error_;
  return result;
}
