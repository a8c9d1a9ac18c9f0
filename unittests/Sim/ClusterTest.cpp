//===- ClusterTest.cpp - Event unit, DMA and perf counter errors ----------===//

#include "Harness.h"

#include <gtest/gtest.h>

using namespace pulptrain::sim;
using namespace pulptrain::sim::test;

namespace {

// li a0, ADDR (lui + addi) helpers for the peripheral registers.
std::vector<uint32_t> li(unsigned rd, uint32_t v) {
  uint32_t hi = (v + 0x800) & 0xfffff000u;
  int32_t lo = int32_t(v - hi);
  return {hi | (rd << 7) | 0x37,
          (uint32_t(lo) << 20) | (rd << 15) | (rd << 7) | 0x13};
}
uint32_t sw(unsigned rs2, unsigned rs1) {
  return (rs2 << 20) | (rs1 << 15) | (2 << 12) | 0x23;
}
uint32_t lw(unsigned rd, unsigned rs1) {
  return (rs1 << 15) | (2 << 12) | (rd << 7) | 0x03;
}

std::vector<uint32_t> cat(std::initializer_list<std::vector<uint32_t>> parts) {
  std::vector<uint32_t> r;
  for (const auto &p : parts)
    r.insert(r.end(), p.begin(), p.end());
  return r;
}

TEST(Cluster, DispatchFifoOverflow) {
  Harness h(2);
  // Core 0 and 1 both push 17 values to core 1, which never pops.
  std::vector<uint32_t> prog = cat({li(5, PULPTRAIN_EU_DISPATCH_MASK),
                                    li(6, 2), {sw(6, 5)},
                                    li(5, PULPTRAIN_EU_DISPATCH_PUSH)});
  for (int i = 0; i < 17; ++i)
    prog.push_back(sw(6, 5));
  h.load(prog);
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("dispatch FIFO of core 1 overflows (depth 16)"),
            std::string::npos) << r.error;
}

TEST(Cluster, BarrierTeam) {
  Harness h(4);
  // Team of 2: core 2 arriving is an error.
  h.load(cat({li(5, PULPTRAIN_EU_BARRIER_TEAM), li(6, 2), {sw(6, 5)},
              li(5, PULPTRAIN_EU_BARRIER_WAIT), {lw(0, 5)}}));
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("waits at the barrier but is not in the team"),
            std::string::npos) << r.error;
}

TEST(Cluster, MalformedDma) {
  Harness h(1);
  h.load(cat({li(5, PULPTRAIN_DMA_SIZE), li(6, 12), {sw(6, 5)},
              li(5, PULPTRAIN_DMA_ROW_LEN), li(6, 8), {sw(6, 5)},
              li(5, PULPTRAIN_DMA_PUSH), {lw(7, 5)}}));
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("DMA size 12 is not a multiple of the row length 8"),
            std::string::npos) << r.error;
}

TEST(Cluster, DmaTiming) {
  // 1024 bytes at 8 bytes/cycle: the wait returns 128 cycles after the push.
  Harness h(1);
  h.load(cat({li(5, PULPTRAIN_DMA_EXT_ADDR), li(6, PULPTRAIN_L2_BASE + 0x1000),
              {sw(6, 5)}, li(5, PULPTRAIN_DMA_LOC_ADDR),
              li(6, PULPTRAIN_L1_BASE), {sw(6, 5)}, li(5, PULPTRAIN_DMA_SIZE),
              li(6, 1024), {sw(6, 5)}, li(5, PULPTRAIN_DMA_PUSH),
              {lw(7, 5), 0xb0002473 /* csrr s0, mcycle */},
              li(5, PULPTRAIN_DMA_WAIT), {lw(0, 5),
              0xb00024f3 /* csrr s1, mcycle */}}));
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.reg(7), 0u);                 // First transfer id.
  // Push at cycle P (csrr at P+1), transfer done at P+1+128, wake one later.
  uint32_t push = h.reg(8) - 1;
  EXPECT_EQ(h.reg(9), push + 1 + 128 + 1);
  EXPECT_GT(h.counter(CntSleep), 100u);
}

TEST(Cluster, PerfCounterWindow) {
  Harness h(1);
  // start; 3 nops; stop; 2 nops; read INSTR counter.
  h.load(cat({li(5, PULPTRAIN_PERF_CTRL), li(6, 1), {sw(6, 5), 0x13, 0x13,
              0x13, sw(0, 5), 0x13, 0x13},
              li(7, PULPTRAIN_PERF_COUNTER(PULPTRAIN_PERF_INSTR)),
              {lw(10, 7)},
              li(7, PULPTRAIN_PERF_COUNTER(PULPTRAIN_PERF_CYCLES)),
              {lw(11, 7)}}));
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.reg(10), 4u); // 3 nops + the stopping store.
  EXPECT_EQ(h.reg(11), 4u);
}

TEST(Cluster, ReadOnlyRegisterWrite) {
  Harness h(1);
  h.load(cat({li(5, PULPTRAIN_CLUSTER_NB_CORES), {sw(0, 5)}}));
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("store to read-only register 0x10200000"),
            std::string::npos) << r.error;
}

} // namespace
