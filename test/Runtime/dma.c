// DMA between L2 and L1: 1-D and 2-D round trips L2 -> L1 -> L2 checked
// element by element, several transfers in flight, transfers issued by all
// cores of a team at once and waited for by another core.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 1 %t.elf | FileCheck %s
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s
// RUN: pulptrain-sim --quiet --cores 16 %t.elf | FileCheck %s
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: %t.host | FileCheck %s

#include <pulptrain_rt.h>
#include <stdint.h>
#include <stdio.h>

#define ROWS 24
#define COLS 40 /* L2 matrix ROWS x COLS of int32 */
#define SUBR 10
#define SUBC 13 /* a SUBR x SUBC window at (3, 5) */

static int32_t src[ROWS * COLS];
static int32_t dst[ROWS * COLS];
static int32_t win_back[ROWS * COLS];

static int check(const char *what, const int32_t *a, const int32_t *b,
                 unsigned n) {
  int errors = 0;
  for (unsigned i = 0; i < n; i++)
    if (a[i] != b[i]) {
      if (errors < 3)
        printf("  %s: mismatch at %u: %d != %d\n", what, i, (int)a[i],
               (int)b[i]);
      errors++;
    }
  return errors;
}

/* Each team member copies its own slice of rows to L1 and back, through
   L1 memory allocated by core 0; core 0 waits for all of them. */
struct team_arg {
  int32_t *l1;
  pulptrain_dma_t in[16], out[16];
};

static void team_copy(void *p) {
  struct team_arg *a = p;
  unsigned id = pulptrain_core_id(), n = pulptrain_team_size();
  unsigned lo = ROWS * id / n, hi = ROWS * (id + 1) / n;
  size_t bytes = (hi - lo) * COLS * sizeof(int32_t);
  a->in[id] = pulptrain_dma_copy(src + lo * COLS, a->l1 + lo * COLS, bytes,
                                 PULPTRAIN_DMA_L2_TO_L1);
  pulptrain_barrier();
  if (id == 0) /* core 0 waits for everybody's transfer */
    for (unsigned c = 0; c < n; c++)
      pulptrain_dma_wait(a->in[c]);
  pulptrain_barrier();
  for (unsigned i = lo * COLS; i < hi * COLS; i++)
    a->l1[i] += 1;
  a->out[id] = pulptrain_dma_copy(dst + lo * COLS, a->l1 + lo * COLS, bytes,
                                  PULPTRAIN_DMA_L1_TO_L2);
  pulptrain_dma_wait(a->out[id]);
}

int main(void) {
  for (unsigned i = 0; i < ROWS * COLS; i++)
    src[i] = (int32_t)(i * 2654435761u >> 7);
  int32_t *l1 = pulptrain_l1_malloc(sizeof(src));
  if (!l1) {
    printf("no L1\n");
    return 1;
  }

  /* 1-D: L2 -> L1 in two halves (two transfers in flight), L1 -> L2. */
  size_t half = sizeof(src) / 2;
  pulptrain_dma_t a = pulptrain_dma_copy(src, l1, half, PULPTRAIN_DMA_L2_TO_L1);
  pulptrain_dma_t b = pulptrain_dma_copy((char *)src + half, (char *)l1 + half,
                                         half, PULPTRAIN_DMA_L2_TO_L1);
  pulptrain_dma_wait(b);
  pulptrain_dma_wait(a);
  int e1 = check("1d in", l1, src, ROWS * COLS);
  pulptrain_dma_wait(pulptrain_dma_copy(dst, l1, sizeof(src),
                                        PULPTRAIN_DMA_L1_TO_L2));
  e1 += check("1d out", dst, src, ROWS * COLS);
  printf("dma 1d: %u bytes, handles differ: %d, errors=%d\n",
         (unsigned)sizeof(src), a != b, e1);

  /* 2-D: a window of SUBR rows x SUBC columns into contiguous L1 ... */
  for (unsigned i = 0; i < ROWS * COLS; i++)
    l1[i] = -1;
  int32_t *corner = src + 3 * COLS + 5;
  pulptrain_dma_wait(pulptrain_dma_copy_2d(
      corner, l1, SUBR * SUBC * sizeof(int32_t), COLS * sizeof(int32_t),
      SUBC * sizeof(int32_t), PULPTRAIN_DMA_L2_TO_L1));
  int e2 = 0;
  for (unsigned r = 0; r < SUBR; r++)
    for (unsigned c = 0; c < SUBC; c++)
      e2 += l1[r * SUBC + c] != corner[r * COLS + c];
  e2 += l1[SUBR * SUBC] != -1; /* nothing written past the end */
  /* ... and back to another place with the same stride. */
  for (unsigned i = 0; i < ROWS * COLS; i++)
    win_back[i] = 7;
  pulptrain_dma_wait(pulptrain_dma_copy_2d(
      win_back + 3 * COLS + 5, l1, SUBR * SUBC * sizeof(int32_t),
      COLS * sizeof(int32_t), SUBC * sizeof(int32_t), PULPTRAIN_DMA_L1_TO_L2));
  for (unsigned r = 0; r < ROWS; r++)
    for (unsigned c = 0; c < COLS; c++) {
      int inside = r >= 3 && r < 3 + SUBR && c >= 5 && c < 5 + SUBC;
      int32_t want = inside ? src[r * COLS + c] : 7;
      e2 += win_back[r * COLS + c] != want;
    }
  printf("dma 2d: %ux%u window, errors=%d\n", SUBR, SUBC, e2);

  /* Empty copy: nothing to wait for. */
  pulptrain_dma_t none = pulptrain_dma_copy(src, l1, 0, PULPTRAIN_DMA_L2_TO_L1);
  pulptrain_dma_wait(none);
  printf("dma empty: none=%d\n", none == PULPTRAIN_DMA_NONE);

  /* All cores at once. */
  struct team_arg t;
  t.l1 = l1;
  for (unsigned i = 0; i < ROWS * COLS; i++)
    dst[i] = 0;
  pulptrain_fork(0, team_copy, &t);
  pulptrain_dma_wait_all();
  int e3 = 0;
  for (unsigned i = 0; i < ROWS * COLS; i++)
    e3 += dst[i] != src[i] + 1;
  printf("dma team: errors=%d\n", e3);
  pulptrain_l1_free(l1, sizeof(src));
  return e1 + e2 + e3;
}

// CHECK: dma 1d: 3840 bytes, handles differ: 1, errors=0
// CHECK-NEXT: dma 2d: 10x13 window, errors=0
// CHECK-NEXT: dma empty: none=1
// CHECK-NEXT: dma team: errors=0
