//===- TimingModelTest.cpp - Shared FPUs, I-cache, DMA ports, hw loops ----===//
//
// The timing elements the `pulp-open` preset turns on, each with a cycle
// count computed by hand in the comments, and the CORE-V hardware loops.
// Every element is off in the default (`ideal`) configuration; the first
// test checks that the same programs then cost what they always did.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"
#include "pulptrain/sim/ICache.h"

#include <gtest/gtest.h>

using namespace pulptrain::sim;
using namespace pulptrain::sim::test;

namespace {

uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) {
  return (uint32_t(imm) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
}
uint32_t beq(unsigned rs1, unsigned rs2, int32_t imm) {
  uint32_t u = uint32_t(imm);
  return 0x63 | (((u >> 11) & 1) << 7) | (((u >> 1) & 0xf) << 8) |
         (rs1 << 15) | (rs2 << 20) | (((u >> 5) & 0x3f) << 25) |
         (((u >> 12) & 1) << 31);
}
uint32_t csrr(unsigned rd, unsigned csr) {
  return (csr << 20) | (2 << 12) | (rd << 7) | 0x73;
}
uint32_t lw(unsigned rd, unsigned rs1, int32_t imm = 0) {
  return (uint32_t(imm) << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x03;
}
uint32_t sw(unsigned rs2, unsigned rs1) {
  return (rs2 << 20) | (rs1 << 15) | (2 << 12) | 0x23;
}
std::vector<uint32_t> li(unsigned rd, uint32_t v) {
  uint32_t hi = (v + 0x800) & 0xfffff000u;
  int32_t lo = int32_t(v - hi);
  return {hi | (rd << 7) | 0x37,
          (uint32_t(lo) << 20) | (rd << 15) | (rd << 7) | 0x13};
}
std::vector<uint32_t> cat(std::initializer_list<std::vector<uint32_t>> parts) {
  std::vector<uint32_t> r;
  for (const auto &p : parts)
    r.insert(r.end(), p.begin(), p.end());
  return r;
}
/// CORE-V hardware-loop words (CV32E40P v2 layout, see gen_encodings.py).
uint32_t hwlp(unsigned funct4, unsigned loop, uint32_t uimm, unsigned rs1) {
  return (uimm << 20) | (rs1 << 15) | (4 << 12) | (funct4 << 8) |
         (loop << 7) | 0x2b;
}
uint32_t starti(unsigned l, uint32_t words) { return hwlp(0, l, words, 0); }
uint32_t endi(unsigned l, uint32_t words) { return hwlp(2, l, words, 0); }
uint32_t counti(unsigned l, uint32_t n) { return hwlp(4, l, n, 0); }
uint32_t count(unsigned l, unsigned rs1) { return hwlp(5, l, 0, rs1); }
uint32_t setupi(unsigned l, uint32_t n, uint32_t endWords) {
  return hwlp(6, l, n, endWords);
}
uint32_t setup(unsigned l, unsigned rs1, uint32_t endWords) {
  return hwlp(7, l, endWords, rs1);
}

constexpr unsigned A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14;

//===----------------------------------------------------------------------===//
// Shared FPUs
//===----------------------------------------------------------------------===//

std::vector<uint32_t> fourFadds() {
  uint32_t f = enc("fadd.s a0, a1, a2"); // Independent: a1, a2 never change.
  return {f, f, f, f};
}

TEST(SharedFpu, PrivateFpusNeverContend) {
  // Ideal: 4 fadds in cycles 0-3 on each core, lui 4, sw (EXIT) 5.
  Harness h(2);
  h.load(fourFadds());
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.result.cycles, 6u);
  EXPECT_EQ(h.counter(CntFpuCont, 0) + h.counter(CntFpuCont, 1), 0u);
}

TEST(SharedFpu, TwoCoresOneFpuAlternate) {
  // One FPU for two cores. The first core visited in a cycle wins, and the
  // visiting order rotates every cycle: core 0 issues its fadds in cycles
  // 0, 2, 4, 6 and loses cycles 1, 3, 5 (3 contention cycles); core 1
  // issues in 1, 3, 5, 7 and loses 0, 2, 4, 6 (4). Core 0 then exits with
  // lui in 7 and sw in 8: 9 cycles.
  Harness h(2);
  h.config.fpus = 1;
  h.load(fourFadds());
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.counter(CntFpuCont, 0), 3u);
  EXPECT_EQ(h.counter(CntFpuCont, 1), 4u);
  EXPECT_EQ(h.result.cycles, 9u);
}

TEST(SharedFpu, CoreIdModuloFpus) {
  // 4 cores, 2 FPUs: cores 0 and 2 share FPU 0, cores 1 and 3 FPU 1. In
  // cycle t the cores are visited from core t % 4 on, and the first one
  // visited wins. Core 0 precedes core 2 when t % 4 is 0 or 3: core 0
  // issues in 0, 3, 4, 7 (waits in 1, 2, 5, 6), core 2 in 1, 2, 5, 6
  // (waits in 0, 3, 4). Core 1 precedes core 3 when t % 4 is 0 or 1: core
  // 1 issues in 0, 1, 4, 5 (waits in 2, 3), core 3 in 2, 3, 6, 7 (waits in
  // 0, 1, 4, 5 until core 1's exit). Core 1 exits first: lui 6, sw 7.
  Harness h(4);
  h.config.fpus = 2;
  h.load(fourFadds());
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.result.cycles, 8u);
  EXPECT_EQ(h.counter(CntFpuCont, 0), 4u);
  EXPECT_EQ(h.counter(CntFpuCont, 2), 3u);
  EXPECT_EQ(h.counter(CntFpuCont, 1), 2u);
  EXPECT_EQ(h.counter(CntFpuCont, 3), 4u);
}

TEST(SharedFpu, IssueInterval) {
  // A non-pipelined FPU taking an operation every 3 cycles: the 4 fadds
  // issue in cycles 0, 3, 6, 9 (2 + 2 + 2 waiting cycles), lui 10, sw 11.
  Harness h(1);
  h.config.fpuIssueInterval = 3;
  h.load(fourFadds());
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.counter(CntFpuCont), 6u);
  EXPECT_EQ(h.result.cycles, 12u);
}

TEST(SharedFpu, OneDividerForTheCluster) {
  // fdiv.s takes the shared divider for 11 cycles: core 0 in cycle 0, core
  // 1 waits 11 cycles and divides in 11-21. Core 0 exits with lui in 11 and
  // sw in 12: 13 cycles.
  Harness h(2);
  h.config.fdivUnits = 1;
  h.load({enc("fdiv.s a0, a1, a2")});
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.counter(CntFpuCont, 0), 0u);
  EXPECT_EQ(h.counter(CntFpuCont, 1), 11u);
  EXPECT_EQ(h.result.cycles, 13u);
}

//===----------------------------------------------------------------------===//
// Instruction cache
//===----------------------------------------------------------------------===//

TEST(ICache, ColdStraightLineCode) {
  // 8 nops and the exit (lui, sw) are 3 lines of 16 bytes. Each first fetch
  // misses L0 and the shared L1: 2 + 17 = 19 stall cycles. nop0 issues in
  // 19, nops 1-3 in 20-22; nop4 misses in 23 and issues in 42, nops 5-7 in
  // 43-45; lui misses in 46 and issues in 65, sw in 66: 67 cycles.
  Harness h(1);
  h.config.icache = true;
  h.config.icacheL0Refill = 2;
  h.config.icacheL1Refill = 17;
  h.load(std::vector<uint32_t>(8, addi(0, 0, 0)));
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.counter(CntIcacheMiss), 3u);
  EXPECT_EQ(h.counter(CntIcacheStall), 57u);
  EXPECT_EQ(h.result.cycles, 67u);
}

TEST(ICache, L0MissesHitInTheSharedL1) {
  SimConfig c;
  c.icache = true;
  c.icacheL0Refill = 2;
  c.icacheL1Refill = 17;
  ICache ic(c, 2);
  EXPECT_EQ(ic.fetch(0, 0).stall, 19u); // Cold.
  EXPECT_EQ(ic.fetch(0, 0).stall, 0u);  // L0 hit.
  ICache::Access other = ic.fetch(1, 0); // Core 1: its L0 misses, L1 hits.
  EXPECT_TRUE(other.l0Miss);
  EXPECT_FALSE(other.l1Miss);
  EXPECT_EQ(other.stall, 2u);
  // Lines 0, 8, 16, 24, 32 share L0 set 0 (8 sets, 4 ways): the fifth one
  // evicts line 0, the least recently used; the L1 (2 banks x 32 sets) still
  // holds it in another set.
  for (uint32_t line : {8u, 16u, 24u, 32u})
    EXPECT_EQ(ic.fetch(0, line).stall, 19u);
  EXPECT_EQ(ic.fetch(0, 8).stall, 0u);
  EXPECT_EQ(ic.fetch(0, 0).stall, 2u);
  // Re-fetching line 0 evicted line 16 (8 was used after it).
  EXPECT_EQ(ic.fetch(0, 24).stall, 0u);
  EXPECT_EQ(ic.fetch(0, 16).stall, 2u);
}

TEST(ICache, LoopHitsAfterTheFirstIteration) {
  // A 3-instruction hardware loop of 6 iterations in one line (16-byte
  // aligned, words 1-3 of line 0 after the setup in word 0): only the first
  // fetch of each line misses. Lines: 0 (setup + body), 1 (lui, sw).
  Harness h(1);
  h.config.icache = true;
  h.config.icacheL0Refill = 2;
  h.config.icacheL1Refill = 17;
  h.load({setupi(0, 6, 4), addi(A0, A0, 1), addi(A0, A0, 1),
          addi(A0, A0, 1)});
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.reg(A0), 18u);
  EXPECT_EQ(h.counter(CntIcacheMiss), 2u);
  // 19 + setup 1 + 18 body + 19 + lui + sw.
  EXPECT_EQ(h.result.cycles, 19u + 1 + 18 + 19 + 2);
}

//===----------------------------------------------------------------------===//
// DMA bank slots
//===----------------------------------------------------------------------===//

/// Pushes a 64-byte L2 -> L1 transfer to L1_BASE, then loads 4 times from
/// bank 0 (L1_BASE + 0x100), then waits for the DMA and reads mcycle.
std::vector<uint32_t> dmaAndLoads() {
  return cat({li(5, PULPTRAIN_DMA_EXT_ADDR), li(6, PULPTRAIN_L2_BASE + 0x1000),
              {sw(6, 5)}, li(5, PULPTRAIN_DMA_LOC_ADDR),
              li(6, PULPTRAIN_L1_BASE), {sw(6, 5)}, li(5, PULPTRAIN_DMA_SIZE),
              li(6, 64), {sw(6, 5)}, li(18, PULPTRAIN_L1_BASE + 0x100),
              li(5, PULPTRAIN_DMA_PUSH),
              {lw(7, 5), 0xb0002473 /* csrr s0, mcycle */, lw(19, 18),
               lw(19, 18), lw(19, 18), lw(19, 18)},
              li(5, PULPTRAIN_DMA_WAIT),
              {lw(0, 5), 0xb00024f3 /* csrr s1, mcycle */}});
}

TEST(DmaPorts, NoBankSlotsByDefault) {
  Harness h(1);
  h.load(dmaAndLoads());
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.counter(CntTcdmCont), 0u);
  // 64 bytes at 8 bytes per cycle: done at P + 9, csrr s1 at P + 10.
  EXPECT_EQ(h.reg(9) - h.reg(8), 9u);
}

TEST(DmaPorts, BeatsTakeBankSlots) {
  // One port: 4 bytes (one word) per cycle, 16 cycles for 64 bytes. The
  // push is in cycle P; in cycle P+1+k the DMA writes word k, bank k % 2
  // (2 banks for 1 core). csrr s0 in P+1 loses nothing (no memory); the
  // loads from bank 0 try in P+2 (word 1, bank 1: granted), P+3 (word 2,
  // bank 0: retry), P+4 (granted), P+5 (retry), P+6, P+7 (retry), P+8:
  // 3 contention cycles. The transfer completes at P+17.
  Harness h(1);
  h.config.dmaPorts = 1;
  h.load(dmaAndLoads());
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.counter(CntTcdmCont), 3u);
  uint32_t s0 = h.reg(8), s1 = h.reg(9);
  // s0 = P + 1; the wait wakes one cycle after the completion (P + 17):
  // csrr s1 in P + 18.
  EXPECT_EQ(s1 - s0, 17u);
}

//===----------------------------------------------------------------------===//
// Hardware loops
//===----------------------------------------------------------------------===//

TEST(HwLoop, SetupiZeroOverhead) {
  // cv.setupi 0, 5, end = pc + 16: a 3-instruction body, 5 times. Setup in
  // cycle 0, body in 1-15 without branch cycles, lui 16, sw 17.
  Harness h(1);
  h.load({setupi(0, 5, 4), addi(A0, A0, 1), addi(A0, A0, 1),
          addi(A0, A0, 1)});
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.reg(A0), 15u);
  EXPECT_EQ(h.result.cycles, 18u);
  EXPECT_EQ(h.counter(CntBranchStall), 0u);
  EXPECT_EQ(h.core().lpCount[0], 0u);
}

TEST(HwLoop, SetupWithRegisterCount) {
  // cv.setup 1, a1, end: the count from a register (7), loop 1 alone.
  Harness h(1);
  h.exec({setup(1, A1, 4), addi(A0, A0, 2), addi(A0, A0, 1),
          addi(A0, A0, -1)}, 0, 7);
  ASSERT_TRUE(h.result.ok) << h.result.error;
  EXPECT_EQ(h.reg(A0), 14u);
  EXPECT_EQ(h.result.cycles, 1u + 21 + 2);
}

TEST(HwLoop, NestedLongForm) {
  // The nested example of the CV32E40P manual: loop 1 (outer, 3 times)
  // around loop 0 (inner, 4 times, 3 additions of 1 to a0), then two
  // additions of 2 to a1 per outer iteration.
  //   0 cv.starti 1, start1 (+5 words)   1 cv.endi 1, end1 (+10 words)
  //   2 cv.counti 1, 3                   3 cv.starti 0, start0 (+3 words)
  //   4 cv.endi 0, end0 (+5 words)
  //   5 start1: cv.counti 0, 4
  //   6 start0: addi a0, 1   7 addi a0, 1   8 addi a0, 1
  //   9 end0:   addi a1, 2  10 addi a1, 2
  //  11 end1:   lui, sw (exit)
  // 5 setup instructions + 3 x (1 + 12 + 2) = 50 cycles, then lui, sw.
  Harness h(1);
  h.load({starti(1, 5), endi(1, 10), counti(1, 3), starti(0, 3), endi(0, 5),
          counti(0, 4), addi(A0, A0, 1), addi(A0, A0, 1), addi(A0, A0, 1),
          addi(A1, A1, 2), addi(A1, A1, 2)});
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.reg(A0), 36u);
  EXPECT_EQ(h.reg(A1), 12u);
  EXPECT_EQ(h.result.cycles, 52u);
  EXPECT_EQ(h.counter(CntInstr), 52u);
}

TEST(HwLoop, EarlyExitKeepsTheCount) {
  // cv.setupi 0, 100, end = word 4; the body leaves when a0 == a1 (5):
  //   0 cv.setupi   1 addi a0, 1   2 beq a0, a1, +12 (word 5)
  //   3 addi a2, 1  4 addi a3, 1 (after a normal end only)
  //   5 csrr a4, lpcount0   6 cv.count 0, zero   7 csrr a5, lpcount0
  // Iterations 1-4 take 3 cycles (1-12), iteration 5: addi 13, taken beq
  // 14-16; csrr 17, cv.count 18, csrr 19, lui 20, sw 21.
  Harness h(1);
  h.exec({setupi(0, 100, 4), addi(A0, A0, 1), beq(A0, A1, 12),
          addi(A2, A2, 1), addi(A3, A3, 1), csrr(A4, 0xcc2), count(0, 0),
          csrr(15, 0xcc2)},
         0, 5);
  ASSERT_TRUE(h.result.ok) << h.result.error;
  EXPECT_EQ(h.reg(A0), 5u);
  EXPECT_EQ(h.reg(A2), 4u);
  EXPECT_EQ(h.reg(A3), 0u);
  EXPECT_EQ(h.reg(A4), 96u); // Four completed iterations.
  EXPECT_EQ(h.reg(15), 0u);
  EXPECT_EQ(h.result.cycles, 22u);
}

TEST(HwLoop, CsrsAreReadOnly) {
  Harness h(1);
  // csrw lpcount0, a0 (csrrw zero, 0xcc2, a0).
  h.exec({(0xcc2u << 20) | (A0 << 15) | (1 << 12) | 0x73});
  EXPECT_FALSE(h.result.ok);
  EXPECT_NE(h.result.error.find("read-only CSR"), std::string::npos)
      << h.result.error;
}

//===----------------------------------------------------------------------===//
// Presets
//===----------------------------------------------------------------------===//

TEST(Preset, IdealIsTheDefault) {
  SimConfig d, c;
  c.cores = 4;
  ASSERT_TRUE(applyPreset("ideal", c));
  EXPECT_EQ(c.preset, "ideal");
  EXPECT_EQ(c.cores, 4u);
  EXPECT_EQ(c.l2Latency, d.l2Latency);
  EXPECT_EQ(c.fpus, 0u);
  EXPECT_FALSE(c.icache);
  EXPECT_EQ(c.dmaPorts, 0u);
  EXPECT_FALSE(applyPreset("gvsoc", c));
}

TEST(Preset, PulpOpen) {
  SimConfig c;
  ASSERT_TRUE(applyPreset("pulp-open", c));
  EXPECT_EQ(c.fpus, 4u);
  EXPECT_EQ(c.fdivUnits, 1u);
  EXPECT_TRUE(c.icache);
  EXPECT_EQ(c.icacheL0Sets * c.icacheL0Ways * c.icacheLineBytes, 512u);
  EXPECT_EQ(c.icacheL1Sets * c.icacheL1Ways * c.icacheLineBytes, 2048u);
  EXPECT_EQ(c.dmaPorts, 4u);
  EXPECT_EQ(c.l2Latency, 15u);
  EXPECT_EQ(c.barrierLatency, 8u);
  std::string err;
  EXPECT_TRUE(checkConfig(c, err)) << err;
  c.fpus = 17;
  EXPECT_FALSE(checkConfig(c, err));
}

} // namespace
