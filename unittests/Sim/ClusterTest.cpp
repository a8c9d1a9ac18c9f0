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

/// Programs an L3 transfer of `size` bytes between `l3` and `l2`, pushes it
/// (its id in a7), reads mcycle into s0, waits for it and reads mcycle into
/// s1.
std::vector<uint32_t> l3Transfer(uint32_t l3, uint32_t l2, uint32_t size,
                                 uint32_t dir) {
  return cat({li(5, PULPTRAIN_L3DMA_L3_ADDR), li(6, l3), {sw(6, 5)},
              li(5, PULPTRAIN_L3DMA_L2_ADDR), li(6, l2), {sw(6, 5)},
              li(5, PULPTRAIN_L3DMA_SIZE), li(6, size), {sw(6, 5)},
              li(5, PULPTRAIN_L3DMA_DIR), li(6, dir), {sw(6, 5)},
              li(5, PULPTRAIN_L3DMA_PUSH),
              {lw(17, 5), 0xb0002473 /* csrr s0, mcycle */},
              li(5, PULPTRAIN_L3DMA_WAIT_ID), {sw(17, 5)},
              li(5, PULPTRAIN_L3DMA_WAIT),
              {lw(0, 5), 0xb00024f3 /* csrr s1, mcycle */}});
}

TEST(Cluster, L3DmaTimingAndData) {
  // 1000 bytes at 2 bytes/cycle after a 300-cycle latency: the wait returns
  // 300 + 500 cycles after the push, with the bytes copied L3 -> L2.
  Harness h(1);
  h.config.l3Size = 4096;
  h.config.l3BytesPerCycle = 2;
  h.config.l3Latency = 300;
  h.load(l3Transfer(PULPTRAIN_L3_BASE + 16, PULPTRAIN_L2_BASE + 0x2000, 1000,
                    PULPTRAIN_L3DMA_DIR_L3TOL2));
  uint8_t *l3 = h.cluster->memory().l3(PULPTRAIN_L3_BASE, 4096);
  ASSERT_NE(l3, nullptr);
  for (unsigned i = 0; i < 4096; ++i)
    l3[i] = uint8_t(i * 7 + 1);
  ASSERT_TRUE(h.run().ok) << h.result.error;
  EXPECT_EQ(h.reg(17), 0u); // First L3 transfer id.
  uint32_t push = h.reg(8) - 1;
  // Push in cycle P, data from P+1, done at P+1+300+500, wake one later.
  EXPECT_EQ(h.reg(9), push + 1 + 300 + 500 + 1);
  uint8_t *l2 = h.cluster->memory().l2(PULPTRAIN_L2_BASE + 0x2000, 1000);
  for (unsigned i = 0; i < 1000; ++i)
    ASSERT_EQ(l2[i], uint8_t((i + 16) * 7 + 1)) << "byte " << i;
  EXPECT_EQ(h.cluster->l3Dma().bytesMoved(), 1000u);
  EXPECT_EQ(h.cluster->l3Dma().busyCycles(), 800u);
  EXPECT_EQ(h.cluster->dma().transfers(), 0u); // The cluster DMA is idle.
}

TEST(Cluster, L3DmaToL3) {
  // The default timing: PULPTRAIN_L3DMA_DEFAULT_LATENCY plus one cycle a
  // byte.
  Harness h(1);
  h.config.l3Size = 1024;
  h.load(l3Transfer(PULPTRAIN_L3_BASE + 512, PULPTRAIN_L2_BASE + 0x2000, 64,
                    PULPTRAIN_L3DMA_DIR_L2TOL3));
  uint8_t *l2 = h.cluster->memory().l2(PULPTRAIN_L2_BASE + 0x2000, 64);
  for (unsigned i = 0; i < 64; ++i)
    l2[i] = uint8_t(200 - i);
  ASSERT_TRUE(h.run().ok) << h.result.error;
  uint32_t push = h.reg(8) - 1;
  EXPECT_EQ(h.reg(9), push + 1 + PULPTRAIN_L3DMA_DEFAULT_LATENCY +
                          64 / PULPTRAIN_L3DMA_DEFAULT_BYTES_PER_CYCLE + 1);
  uint8_t *l3 = h.cluster->memory().l3(PULPTRAIN_L3_BASE + 512, 64);
  for (unsigned i = 0; i < 64; ++i)
    ASSERT_EQ(l3[i], uint8_t(200 - i)) << "byte " << i;
}

TEST(Cluster, L3DmaOutOfRange) {
  // 64 bytes from 32 bytes before the end of a 1 KiB L3.
  Harness h(1);
  h.config.l3Size = 1024;
  h.load(l3Transfer(PULPTRAIN_L3_BASE + 1024 - 32, PULPTRAIN_L2_BASE + 0x2000,
                    64, PULPTRAIN_L3DMA_DIR_L3TOL2));
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("L3 DMA range [0x800003e0, +64) is not inside L3 "
                         "[0x80000000, 0x80000400)"),
            std::string::npos)
      << r.error;
}

TEST(Cluster, L3DmaL2SideOutsideL2) {
  Harness h(1);
  h.config.l3Size = 1024;
  h.load(l3Transfer(PULPTRAIN_L3_BASE, PULPTRAIN_L1_BASE, 64,
                    PULPTRAIN_L3DMA_DIR_L3TOL2));
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("L3 DMA range [0x10000000, +64) on the L2 side is "
                         "not inside L2"),
            std::string::npos)
      << r.error;
}

TEST(Cluster, CoreLoadFromL3) {
  // The cores reach L3 only through the L3 DMA.
  Harness h(1);
  h.config.l3Size = 1024;
  h.load(cat({li(5, PULPTRAIN_L3_BASE + 8), {lw(6, 5)}}));
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("load from 0x80000008, which is in L3: the cores "
                         "cannot access L3, the L3 DMA copies it to L2"),
            std::string::npos)
      << r.error;
}

TEST(Cluster, CoreStoreToL3) {
  Harness h(1);
  h.config.l3Size = 1024;
  h.load(cat({li(5, PULPTRAIN_L3_BASE), {sw(0, 5)}}));
  RunResult r = h.run();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("store to 0x80000000, which is in L3"),
            std::string::npos)
      << r.error;
}

} // namespace
