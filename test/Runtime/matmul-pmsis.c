// Acceptance program: a parallel FP32 matmul written against pmsis.h as PULP
// cluster code is (pi_cl_team_fork, pi_core_id, pi_cl_team_nb_cores,
// pi_cl_team_barrier, pi_cl_dma_memcpy / pi_cl_dma_cmd, pi_l1_malloc,
// pi_perf_*). C[61x40] = A[61x48] * B[48x40]; rows are split over the cores
// with remainders. The operands are multiples of 1/32 small enough that
// every sum is exact, so the checksum is the same on every backend and in
// any summation order, and the maximum error against the double-precision
// reference computed here must be 0.
//
// RUN: pulptrain-cc -O3 %s -o %t.elf
// RUN: pulptrain-sim --cores 8 %t.elf 2>&1 | FileCheck %s --check-prefixes=CHECK,SIM,SIM8
// RUN: pulptrain-sim --quiet --cores 1 %t.elf | FileCheck %s --check-prefixes=CHECK,ONE
// RUN: pulptrain-sim --quiet --cores 16 %t.elf | FileCheck %s --check-prefixes=CHECK
// RUN: pulptrain-cc --host -O3 %s -o %t.host
// RUN: env PULPTRAIN_CORES=8 %t.host | FileCheck %s --check-prefixes=CHECK,HOST8

#include "pmsis.h"

#include <stdio.h>

#define M 61
#define K 48
#define N 40

PI_L2 float A[M * K];
PI_L2 float B[K * N];
PI_L2 float C[M * N];

struct args {
  float *a, *b, *c; /* L1 copies */
  unsigned cycles[ARCHI_CLUSTER_NB_PE];
  unsigned instr[ARCHI_CLUSTER_NB_PE];
  unsigned rows[ARCHI_CLUSTER_NB_PE];
};

static void matmul_kernel(void *p) {
  struct args *s = p;
  int id = pi_core_id(), nc = pi_cl_team_nb_cores();
  pi_perf_conf((1 << PI_PERF_CYCLES) | (1 << PI_PERF_INSTR));
  pi_perf_reset();
  pi_perf_start();
  /* Rows split with remainders: the first M % nc cores take one more. */
  int base = M / nc, rem = M % nc;
  int lo = id * base + (id < rem ? id : rem);
  int hi = lo + base + (id < rem ? 1 : 0);
  for (int i = lo; i < hi; i++)
    for (int j = 0; j < N; j++) {
      float acc = 0.0f;
      for (int k = 0; k < K; k++)
        acc += s->a[i * K + k] * s->b[k * N + j];
      s->c[i * N + j] = acc;
    }
  pi_perf_stop();
  s->cycles[id] = pi_perf_read(PI_PERF_CYCLES);
  s->instr[id] = pi_perf_read(PI_PERF_INSTR);
  s->rows[id] = (unsigned)(hi - lo);
  pi_cl_team_barrier();
}

static void cluster_entry(void *p) {
  struct args *s = p;
  s->a = pi_l1_malloc(0, sizeof(A));
  s->b = pi_l1_malloc(0, sizeof(B));
  s->c = pi_l1_malloc(0, sizeof(C));
  if (!s->a || !s->b || !s->c) {
    printf("L1 allocation failed\n");
    pmsis_exit(1);
  }
  pi_cl_dma_copy_t ca, cb;
  ca.dir = PI_CL_DMA_DIR_EXT2LOC;
  ca.merge = 0;
  ca.size = sizeof(A);
  ca.id = 0;
  ca.ext = (uint32_t)(uintptr_t)A;
  ca.loc = (uint32_t)(uintptr_t)s->a;
  cb = ca;
  cb.size = sizeof(B);
  cb.ext = (uint32_t)(uintptr_t)B;
  cb.loc = (uint32_t)(uintptr_t)s->b;
  pi_cl_dma_memcpy(&ca);
  pi_cl_dma_memcpy(&cb);
  pi_cl_dma_wait(&ca);
  pi_cl_dma_wait(&cb);

  pi_cl_team_fork(pi_cl_cluster_nb_cores(), matmul_kernel, s);

  pi_cl_dma_cmd_t cmd;
  pi_cl_dma_cmd((uint32_t)(uintptr_t)C, (uint32_t)(uintptr_t)s->c, sizeof(C),
                PI_CL_DMA_DIR_LOC2EXT, &cmd);
  pi_cl_dma_cmd_wait(&cmd);
  pi_l1_free(0, s->c, sizeof(C));
  pi_l1_free(0, s->b, sizeof(B));
  pi_l1_free(0, s->a, sizeof(A));
}

static struct args args;

int main(void) {
  for (int i = 0; i < M; i++)
    for (int k = 0; k < K; k++)
      A[i * K + k] = (float)((i * 7 + k * 3) % 17 - 8) / 4.0f;
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++)
      B[k * N + j] = (float)((k * 5 + j * 11) % 13 - 6) / 8.0f;

  struct pi_device cluster;
  struct pi_cluster_conf conf;
  struct pi_cluster_task task;
  pi_cluster_conf_init(&conf);
  pi_open_from_conf(&cluster, &conf);
  if (pi_cluster_open(&cluster))
    return 1;
  pi_cluster_send_task_to_cl(&cluster, pi_cluster_task(&task, cluster_entry, &args));
  pi_cluster_close(&cluster);

  /* Reference in double, checksum, maximum error. */
  double checksum = 0, maxerr = 0;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      double ref = 0;
      for (int k = 0; k < K; k++)
        ref += (double)A[i * K + k] * (double)B[k * N + j];
      double err = C[i * N + j] - ref;
      if (err < 0)
        err = -err;
      if (err > maxerr)
        maxerr = err;
      checksum += C[i * N + j];
    }
  int nc = pi_cl_cluster_nb_cores();
  unsigned minr = M, maxr = 0, rows = 0, busy = 0;
  for (int c = 0; c < nc; c++) {
    rows += args.rows[c];
    minr = args.rows[c] < minr ? args.rows[c] : minr;
    maxr = args.rows[c] > maxr ? args.rows[c] : maxr;
    busy += args.cycles[c] > 0 && args.instr[c] >= args.cycles[c] / 8;
  }
  printf("matmul %dx%dx%d on %d cores: rows %u..%u (total %u)\n", M, K, N, nc,
         minr, maxr, rows);
  printf("checksum=%.6f maxerr=%g C[0]=%.5f C[last]=%.5f\n", checksum, maxerr,
         (double)C[0], (double)C[M * N - 1]);
#ifdef __PULPTRAIN_SIM__
  printf("cores with counted cycles and instructions: %u of %d\n", busy, nc);
  printf("core 0: %u cycles, %u instructions\n", args.cycles[0], args.instr[0]);
#endif
  return maxerr != 0;
}

// SIM8: matmul 61x48x40 on 8 cores: rows 7..8 (total 61)
// ONE: matmul 61x48x40 on 1 cores: rows 61..61 (total 61)
// HOST8: matmul 61x48x40 on 8 cores: rows 7..8 (total 61)
// CHECK: checksum=-0.875000 maxerr=0 C[0]=1.93750 C[last]=3.62500
// SIM8: cores with counted cycles and instructions: 8 of 8
// SIM8: core 0: {{[1-9][0-9]*}} cycles, {{[1-9][0-9]*}} instructions
// The simulator's counter summary follows the program's output.
// SIM: ==== pulptrain-sim summary ====
// SIM-NEXT: cores 8, cycles {{[1-9][0-9]*}}, instructions {{[1-9][0-9]*}}, exit code 0
// SIM: cycles
// SIM: instructions
// SIM: tcdm_contentions
// SIM: fp_ops {{[1-9][0-9]*}}
// 61 * 40 * 48 multiply-accumulates (fmadd.s), 8 cores busy:
// SIM: macs 117120 {{[1-9][0-9]*( [1-9][0-9]*){7}$}}
// A, B in; C out:
// SIM: dma_transfers 3{{$}}
