// Barrier, dispatch FIFOs, DMA (1-D and 2-D) and perf counters used directly
// through the platform.h registers, on 1, 2, 8 and 16 cores.
// RUN: %rvcc-sim %s -o %t
// RUN: pulptrain-sim --cores 1 %t 2>&1 | FileCheck %s -D#N=1
// RUN: pulptrain-sim --cores 2 %t 2>&1 | FileCheck %s -D#N=2
// RUN: pulptrain-sim --cores 8 %t 2>&1 | FileCheck %s -D#N=8
// RUN: pulptrain-sim --cores 16 %t 2>&1 | FileCheck %s -D#N=16
// CHECK: barrier sum ok
// CHECK-NEXT: dispatch ok
// CHECK-NEXT: dma 1d ok
// CHECK-NEXT: dma 2d ok
// CHECK-NEXT: perf instr 7 ld_stall 1
// CHECK-NEXT: cores [[#N]] ok
// CHECK: cores [[#N]], cycles
// CHECK: dma_transfers [[#N+2]]
#include "pulptrain/platform.h"
#include "print.h"

#define REG(addr) (*(volatile unsigned *)(addr))

__attribute__((section(".l1"))) volatile unsigned slots[16];
__attribute__((section(".l1"))) unsigned l1buf[16 * 16];
__attribute__((section(".l1"))) unsigned l1tile[4 * 4];
unsigned l2src[16 * 16];
unsigned l2dst[16 * 16];

static unsigned dma(unsigned ext, unsigned loc, unsigned size, unsigned dir,
                    unsigned stride, unsigned rowlen) {
  REG(PULPTRAIN_DMA_EXT_ADDR) = ext;
  REG(PULPTRAIN_DMA_LOC_ADDR) = loc;
  REG(PULPTRAIN_DMA_SIZE) = size;
  REG(PULPTRAIN_DMA_DIR) = dir;
  REG(PULPTRAIN_DMA_EXT_STRIDE) = stride;
  REG(PULPTRAIN_DMA_ROW_LEN) = rowlen;
  return REG(PULPTRAIN_DMA_PUSH);
}

static void dma_wait(unsigned id) {
  REG(PULPTRAIN_DMA_WAIT_ID) = id;
  (void)REG(PULPTRAIN_DMA_WAIT);
}

static void barrier(void) { (void)REG(PULPTRAIN_EU_BARRIER_WAIT); }

int main(unsigned id) {
  unsigned nc = REG(PULPTRAIN_CLUSTER_NB_CORES);
  int ok = 1;
  // Barrier: every core writes its slot, core 0 sums after the barrier.
  slots[id] = id + 1;
  barrier();
  if (id == 0) {
    unsigned sum = 0;
    for (unsigned i = 0; i < nc; ++i)
      sum += slots[i];
    print_str(sum == nc * (nc + 1) / 2 ? "barrier sum ok\n" : "barrier BAD\n");
  }
  barrier();
  // Dispatch: core 0 sends 100 + k to core k, one mask at a time.
  if (id == 0) {
    for (unsigned k = 1; k < nc; ++k) {
      REG(PULPTRAIN_EU_DISPATCH_MASK) = 1u << k;
      REG(PULPTRAIN_EU_DISPATCH_PUSH) = 100 + k;
    }
    slots[0] = 100;
  } else {
    slots[id] = REG(PULPTRAIN_EU_DISPATCH_POP);
  }
  barrier();
  if (id == 0) {
    for (unsigned k = 0; k < nc; ++k)
      ok &= slots[k] == 100 + k;
    print_str(ok ? "dispatch ok\n" : "dispatch BAD\n");
    for (unsigned i = 0; i < 16 * 16; ++i)
      l2src[i] = i * 3 + 1;
  }
  barrier();
  // 1-D DMA: each core fetches its row of 16 words L2 -> L1, then all rows
  // go back L2 <- L1 in one transfer by core 0.
  unsigned t = dma((unsigned)&l2src[id * 16], (unsigned)&l1buf[id * 16], 64,
                   PULPTRAIN_DMA_DIR_EXT2LOC, 0, 0);
  dma_wait(t);
  barrier();
  if (id == 0) {
    dma_wait(dma((unsigned)l2dst, (unsigned)l1buf, nc * 64,
                 PULPTRAIN_DMA_DIR_LOC2EXT, 0, 0));
    for (unsigned i = 0; i < nc * 16; ++i)
      ok &= l2dst[i] == i * 3 + 1;
    print_str(ok ? "dma 1d ok\n" : "dma 1d BAD\n");
    // 2-D: a 4x4 tile at row 2, column 3 of the 16x16 L2 matrix.
    dma_wait(dma((unsigned)&l2src[2 * 16 + 3], (unsigned)l1tile, 64,
                 PULPTRAIN_DMA_DIR_EXT2LOC, 64, 16));
    for (unsigned r = 0; r < 4; ++r)
      for (unsigned c = 0; c < 4; ++c)
        ok &= l1tile[r * 4 + c] == ((2 + r) * 16 + 3 + c) * 3 + 1;
    print_str(ok ? "dma 2d ok\n" : "dma 2d BAD\n");
    // Perf counters: count exactly the instructions between start and stop.
    unsigned instr, stall, tmp;
    REG(PULPTRAIN_PERF_CTRL) = 2;
    __asm__ volatile(
        "li t0, 1\n"
        "sw t0, 0(%[ctrl])\n"   // start (this store is not counted)
        "lw %[tmp], 0(%[buf])\n"
        "addi %[tmp], %[tmp], 1\n" // load-use stall of 1 cycle
        "nop\n nop\n nop\n nop\n"
        "sw zero, 0(%[ctrl])\n" // stop (counted: 7 instructions)
        : [tmp] "=&r"(tmp)
        : [ctrl] "r"(PULPTRAIN_PERF_CTRL), [buf] "r"(l1buf)
        : "t0", "memory");
    instr = REG(PULPTRAIN_PERF_COUNTER(PULPTRAIN_PERF_INSTR));
    stall = REG(PULPTRAIN_PERF_COUNTER(PULPTRAIN_PERF_LD_STALL));
    print_str("perf instr ");
    print_uint(instr);
    print_str(" ld_stall ");
    print_uint(stall);
    print_str("\n");
    print_str("cores ");
    print_uint(nc);
    print_str(ok ? " ok\n" : " BAD\n");
  }
  return 0;
}
