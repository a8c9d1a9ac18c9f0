//===- Core.cpp - Issue, hazards, sleep and CSRs of one core --------------===//
//
// The pipeline model: an instruction issues when the core is free and all
// of its source registers are ready; it then occupies the core for `cost`
// cycles and its result is ready `latency` cycles after that.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/sim/Core.h"
#include "pulptrain/sim/Cluster.h"
#include "pulptrain/sim/ICache.h"

#include <algorithm>

using namespace pulptrain::sim;

Core::Core(Cluster &cluster, unsigned id, uint32_t entry)
    : pc(entry), cl_(cluster), mem_(cluster.memory()),
      cfg_(cluster.config()), id_(id),
      fpuModel_(cfg_.fpus || cfg_.fpuIssueInterval > 1 || cfg_.fdivUnits),
      icache_(cluster.icache()) {}

bool Core::icacheStall(const DecodedInst &d, uint64_t now) {
  unsigned shift = icache_->lineShift();
  uint32_t first = pc >> shift, last = (pc + d.len - 1) >> shift;
  if (first == lastLine_ && last == first)
    return false; // Same line as the previous fetch: an L0 hit.
  unsigned stall = 0;
  for (uint32_t line = first == lastLine_ ? first + 1 : first; line <= last;
       ++line) {
    ICache::Access a = icache_->fetch(id_, line);
    stall += a.stall;
    counters.total[CntIcacheMiss] += a.l0Miss;
  }
  lastLine_ = last;
  if (!stall)
    return false;
  counters.total[CntIcacheStall] += stall;
  readyAt = now + stall;
  return true;
}

void Core::step(uint64_t now) {
  const DecodedInst *d = cl_.fetch(*this);
  if (!d)
    return;
  if (__builtin_expect(icache_ != nullptr, 0) && icacheStall(*d, now))
    return;
  // Operand hazards: wait until every source register is ready.
  uint64_t ready = std::max(regReady[d->rs1],
                            std::max(regReady[d->rs2], regReady[d->rs3]));
  if (ready > now) {
    bool fromLoad = false;
    for (unsigned r : {d->rs1, d->rs2, d->rs3})
      if (regReady[r] == ready && (loadMask & (1u << r)))
        fromLoad = true;
    counters.total[fromLoad ? CntLdStall : CntFpStall] += ready - now;
    readyAt = ready;
    return;
  }
  // A shared FPU (or divider) busy in this cycle: wait until it is free.
  if (__builtin_expect(fpuModel_ && (d->flags & FlagFp), 0)) {
    uint64_t free = cl_.claimFpu(id_, d->op, now);
    if (free > now) {
      counters.total[CntFpuCont] += free - now;
      readyAt = free;
      return;
    }
  }
  current = d;
  unsigned cost = 1, latency = 0;
  uint32_t pcBefore = pc;
  Exec e = execute(*d, now, cost, latency);
  if (e == Exec::Retry) {
    ++counters.total[CntTcdmCont];
    readyAt = now + 1;
    return;
  }
  if (__builtin_expect(lpCount[0] | lpCount[1], 0) &&
      pc == pcBefore + d->len)
    hwLoopEnd();
  ++counters.total[CntInstr];
  if (__builtin_expect(cl_.trace() != nullptr, 0))
    fprintf(cl_.trace(), "%10llu %2u 0x%08x %s\n", (unsigned long long)now,
            id_, pcBefore, disassemble(*d).c_str());
  if (d->rd) {
    regReady[d->rd] = now + cost + latency;
    if (d->flags & FlagLoad)
      loadMask |= 1u << d->rd;
    else
      loadMask &= ~(1u << d->rd);
  }
  if (e == Exec::Sleep && !asleep())
    return; // Already woken (barrier released): wake() set readyAt.
  readyAt = now + cost;
}

void Core::sleep(SleepReason reason, uint8_t rd, uint64_t now) {
  sleepReason = reason;
  sleepRd = rd;
  sleepStart = now + 1;
}

void Core::wake(uint64_t at, uint32_t value) {
  if (sleepReason == SleepReason::None)
    return;
  sleepReason = SleepReason::None;
  cl_.noteWake();
  if (at > sleepStart)
    counters.total[CntSleep] += at - sleepStart;
  if (sleepRd)
    x[sleepRd] = value;
  readyAt = at;
}

bool Core::csrAccess(unsigned csr, uint32_t &value, bool write,
                     uint32_t newValue, uint64_t now) {
  uint32_t *reg = nullptr;
  bool readOnly = false;
  switch (csr) {
  case 0x001: // fflags
    value = fcsr & 0x1f;
    if (write)
      fcsr = (fcsr & ~0x1fu) | (newValue & 0x1f);
    return true;
  case 0x002: // frm
    value = (fcsr >> 5) & 7;
    if (write)
      fcsr = (fcsr & 0x1f) | ((newValue & 7) << 5);
    return true;
  case 0x003: // fcsr
    value = fcsr;
    if (write)
      fcsr = newValue & 0xff;
    return true;
  case 0x300: reg = &mstatus; break;
  case 0x304: reg = &mie; break;
  case 0x305: reg = &mtvec; break;
  case 0x340: reg = &mscratch; break;
  case 0x341: reg = &mepc; break;
  case 0x342: reg = &mcause; break;
  case 0x343: reg = &mtval; break;
  case 0x344: reg = &mip; break;
  case 0x301: // misa: RV32 I M C X.
    value = (1u << 30) | (1u << 8) | (1u << 12) | (1u << 2) | (1u << 23);
    return true; // Writes are ignored (WARL).
  case 0xb00: case 0xc00: case 0xc01: value = uint32_t(now); readOnly = true; break;
  case 0xb80: case 0xc80: case 0xc81: value = uint32_t(now >> 32); readOnly = true; break;
  case 0xb02: case 0xc02: value = uint32_t(counters.total[CntInstr]); readOnly = true; break;
  case 0xb82: case 0xc82: value = uint32_t(counters.total[CntInstr] >> 32); readOnly = true; break;
  case 0xf14: value = id_; readOnly = true; break;
  // Hardware-loop registers: read-only (set by the cv.* instructions).
  case 0xcc0: value = lpStart[0]; readOnly = true; break;
  case 0xcc1: value = lpEnd[0]; readOnly = true; break;
  case 0xcc2: value = lpCount[0]; readOnly = true; break;
  case 0xcc4: value = lpStart[1]; readOnly = true; break;
  case 0xcc5: value = lpEnd[1]; readOnly = true; break;
  case 0xcc6: value = lpCount[1]; readOnly = true; break;
  case 0xf11: case 0xf12: case 0xf13: value = 0; readOnly = true; break;
  default:
    return false;
  }
  if (reg) {
    value = *reg;
    if (write)
      *reg = newValue;
    return true;
  }
  // Counter and id CSRs: writes (e.g. clearing mcycle) are ignored for the
  // machine counters and rejected for the user-mode read-only views.
  if (write && readOnly && csr >= 0xc00)
    return false;
  return true;
}
