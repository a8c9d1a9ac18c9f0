// The rest of the PMSIS cluster API used by PULP code: 2-D copies with
// pi_cl_dma_memcpy_2d and pi_cl_dma_cmd_2d, pi_cl_dma_flush, pi_l2_malloc,
// PI_L1 placement, pi_perf_read events, the team from inside a fork.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s --check-prefixes=CHECK,SIM
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: env PULPTRAIN_CORES=8 %t.host | FileCheck %s

#include "pmsis.h"

#include <stdio.h>

#define H 12
#define W 20

PI_L1 short tile[H / 2][W / 2];
PI_L1 int l1_counter = 100;
PI_L2 short image[H][W];

static volatile int seen_cores[16];
static volatile int seen_team[16];

static void team(void *arg) {
  int *base = arg;
  seen_cores[pi_core_id()] = *base + pi_core_id();
  seen_team[pi_core_id()] = pi_cl_team_nb_cores();
  pi_cl_team_barrier(0); /* old SDKs pass a barrier id */
  pi_cl_team_barrier();
}

int main(void) {
  for (int r = 0; r < H; r++)
    for (int c = 0; c < W; c++)
      image[r][c] = (short)(r * 100 + c);

  /* The lower-right quarter into L1 with pi_cl_dma_memcpy_2d. */
  pi_cl_dma_copy_2d_t copy;
  copy.dir = PI_CL_DMA_DIR_EXT2LOC;
  copy.merge = 0;
  copy.size = sizeof(tile);
  copy.stride = W * sizeof(short);
  copy.length = (W / 2) * sizeof(short);
  copy.id = 0;
  copy.ext = (uint32_t)(uintptr_t)&image[H / 2][W / 2];
  copy.loc = (uint32_t)(uintptr_t)tile;
  pi_cl_dma_memcpy_2d(&copy);
  pi_cl_dma_wait(&copy);
  int errors = 0;
  for (int r = 0; r < H / 2; r++)
    for (int c = 0; c < W / 2; c++)
      errors += tile[r][c] != (short)((r + H / 2) * 100 + c + W / 2);
  printf("memcpy_2d errors=%d tile[5][9]=%d\n", errors, tile[5][9]);

  /* Negate in L1, write back to the upper-left quarter with a command. */
  for (int r = 0; r < H / 2; r++)
    for (int c = 0; c < W / 2; c++)
      tile[r][c] = (short)-tile[r][c];
  pi_cl_dma_cmd_t cmd;
  pi_cl_dma_cmd_2d((uint32_t)(uintptr_t)&image[0][0], (uint32_t)(uintptr_t)tile,
                   sizeof(tile), W * sizeof(short), (W / 2) * sizeof(short),
                   PI_CL_DMA_DIR_LOC2EXT, &cmd);
  pi_cl_dma_cmd_wait(&cmd);
  errors = 0;
  for (int r = 0; r < H; r++)
    for (int c = 0; c < W; c++) {
      int want = r < H / 2 && c < W / 2
                     ? -((r + H / 2) * 100 + c + W / 2)
                     : r * 100 + c;
      errors += image[r][c] != want;
    }
  printf("cmd_2d errors=%d image[0][0]=%d\n", errors, image[0][0]);

  /* 1-D commands and a flush. */
  short *l2 = pi_l2_malloc(64 * sizeof(short));
  short *l1 = pi_l1_malloc(0, 64 * sizeof(short));
  for (int i = 0; i < 64; i++)
    l2[i] = (short)(i * 3);
  pi_cl_dma_cmd_t c1, c2;
  pi_cl_dma_cmd((uint32_t)(uintptr_t)l2, (uint32_t)(uintptr_t)l1, 64,
                PI_CL_DMA_DIR_EXT2LOC, &c1);
  pi_cl_dma_cmd((uint32_t)(uintptr_t)(l2 + 32), (uint32_t)(uintptr_t)(l1 + 32),
                64, PI_CL_DMA_DIR_EXT2LOC, &c2);
  pi_cl_dma_flush();
  errors = 0;
  for (int i = 0; i < 64; i++)
    errors += l1[i] != i * 3;
  printf("cmd+flush errors=%d l1_counter=%d\n", errors, l1_counter);
  pi_l1_free(0, l1, 64 * sizeof(short));
  pi_l2_free(l2, 64 * sizeof(short));

  int base = 1000;
  pi_cl_team_fork(5, team, &base);
  printf("team of 5: %d %d %d nb=%d\n", seen_cores[0], seen_cores[4],
         seen_cores[5], seen_team[4]);
  pi_cl_team_fork(0, team, &base);
  printf("team of all: last=%d nb=%d outside=%d\n",
         seen_cores[pi_cl_cluster_nb_cores() - 1], seen_team[0],
         pi_cl_team_nb_cores());

  pi_perf_conf(1 << PI_PERF_CYCLES);
  pi_perf_reset();
  pi_perf_start();
  volatile int x = 0;
  for (int i = 0; i < 100; i++)
    x += i;
  pi_perf_stop();
#ifdef __PULPTRAIN_SIM__
  printf("perf: cycles %d instr %d ld %d st %d imiss %u\n",
         pi_perf_read(PI_PERF_CYCLES) > 300, pi_perf_read(PI_PERF_INSTR) > 300,
         pi_perf_read(PI_PERF_LD) >= 100, pi_perf_read(PI_PERF_ST) >= 100,
         pi_perf_read(PI_PERF_IMISS));
#endif
  return 0;
}

// CHECK: memcpy_2d errors=0 tile[5][9]=1119
// CHECK-NEXT: cmd_2d errors=0 image[0][0]=-610
// CHECK-NEXT: cmd+flush errors=0 l1_counter=100
// CHECK-NEXT: team of 5: 1000 1004 0 nb=5
// CHECK-NEXT: team of all: last=1007 nb=8 outside=8
// SIM-NEXT: perf: cycles 1 instr 1 ld 1 st 1 imiss 0
