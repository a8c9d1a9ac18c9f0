// PULP GCC compatibility: float16, float16alt and the SIMD vector types with
// GCC vector_size semantics, and __builtin_shuffle, with no header included
// (pulptrain-cc provides them as PULP's GCC has them built in) and a v2f16
// of the code's own, as PULP-TrainLib defines it. A bfloat16 SIMD
// matrix-vector product in PULP-TrainLib's style (broadcast with
// __builtin_shuffle, multiply-accumulate on v2f16) runs on 8 cores; its
// values are small integers, exact in bfloat16, so core 0 checks it exactly.
// Expected values worked out by hand.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s
// RUN: pulptrain-cc -O0 %s -o %t.O0.elf
// RUN: pulptrain-sim --quiet --cores 8 %t.O0.elf | FileCheck %s
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: env PULPTRAIN_CORES=8 %t.host | FileCheck %s
//
// With a constant mask and -O2 a shuffle is a shufflevector, not lane code.
// RUN: pulptrain-cc -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// IR-LABEL: define {{.*}} @swap_halves(
// IR: shufflevector <2 x bfloat> %{{.*}}, <2 x bfloat> poison, <2 x i32> <i32 1, i32 0>
// IR-NOT: extractelement
// IR: ret

typedef float16alt fp16;                             /* as PULP-TrainLib */
typedef fp16 v2f16 __attribute__((vector_size(4))); /* as PULP-TrainLib */
typedef float16 v2h __attribute__((vector_size(4)));  /* IEEE half lanes */

#include "pmsis.h"

#define NUM_CORES 8
#define ROWS 16
#define COLS 24

static unsigned short bits16(const void *p) {
  unsigned short u;
  memcpy(&u, p, 2);
  return u;
}

v2f16 swap_halves(v2f16 a) { return __builtin_shuffle(a, (v2s){1, 0}); }

static void scalars(void) {
  // CHECK: sizes 2 2 4 4 4 4 4 4
  printf("sizes %d %d %d %d %d %d %d %d\n", (int)sizeof(float16),
         (int)sizeof(float16alt), (int)sizeof(v2s), (int)sizeof(v2u),
         (int)sizeof(v4s), (int)sizeof(v4u), (int)sizeof(v2h),
         (int)sizeof(v2f16));
  volatile float16 h = (float16)1.5f;
  volatile float16alt b = (float16alt)1.5f;
  float16 hp = h * (float16)3.25f;          /* 4.875 exactly */
  float16 h01 = (float16)0.1f;              /* 0x2e66 */
  float16alt b01 = (float16alt)0.1f;        /* 0x3dcd */
  float16alt bsum = b + (float16alt)0.00390625f; /* 1.5 + 2^-8: rounds to 1.5 */
  float16alt bbig = b * (float16alt)300.0f; /* 450 exactly */
  // CHECK-NEXT: float16 4.875 2e66 bf16 3dcd 3fc0 450
  printf("float16 %.3f %04x bf16 %04x %04x %d\n", (double)hp, bits16(&h01),
         bits16(&b01), bits16(&bsum), (int)bbig);
}

static void integer_vectors(void) {
  volatile v2s a = {100, -200}, b = {7, 3};
  v2s s = a + b, p = a * b, q = a / b, r = a >> 1, lt = a < b;
  // CHECK-NEXT: v2s 107 -197 700 -600 14 -66 50 -100 lt 0 -1
  printf("v2s %d %d %d %d %d %d %d %d lt %d %d\n", s[0], s[1], p[0], p[1],
         q[0], q[1], r[0], r[1], lt[0], lt[1]);
  volatile v4s c = {127, -128, 5, -5}, d = {1, -1, 10, 10};
  v4s w = c + d;
  // CHECK-NEXT: v4s -128 127 15 5
  printf("v4s %d %d %d %d\n", w[0], w[1], w[2], w[3]);
  volatile v2u e = {65535, 1};
  volatile v4u f = {250, 3, 128, 0};
  v2u e1 = e + (v2u){1, 1};
  v4u f1 = f + (v4u){10, 10, 128, 255};
  // CHECK-NEXT: v2u 0 2 v4u 4 13 0 255
  printf("v2u %u %u v4u %u %u %u %u\n", e1[0], e1[1], f1[0], f1[1], f1[2],
         f1[3]);
  /* Same-size casts reinterpret the bits, as in GCC. */
  v2s raw = (v2s)(v2h){1.0f16, -2.0f16};
  // CHECK-NEXT: cast 15360 -16384
  printf("cast %d %d\n", raw[0], raw[1]);
}

static void float_vectors(void) {
  volatile v2f16 x = {1.5f, -2.0f}, y = {2.0f, 0.25f};
  v2f16 m = x * y, sw = swap_halves(x);
  // CHECK-NEXT: v2f16 3 -0.5 swap -2 1.5
  printf("v2f16 %g %g swap %g %g\n", (double)m[0], (double)m[1],
         (double)sw[0], (double)sw[1]);
  volatile v2h u = {0.5f16, 3.0f16}, v = {3.0f16, 0.5f16};
  v2h fma = u * v + (v2h){0.25f16, -1.0f16};
  // CHECK-NEXT: v2h 1.75 0.5
  printf("v2h %g %g\n", (double)fma[0], (double)fma[1]);
}

static void shuffles(void) {
  v2s a = {10, 20}, b = {30, 40};
  v2s s1 = __builtin_shuffle(a, (v2s){1, 0});
  v2s s2 = __builtin_shuffle(a, (v2s){3, 2}); /* mask mod 2 */
  v2s s3 = __builtin_shuffle(a, b, (v2s){0, 2});
  v2s s4 = __builtin_shuffle(a, b, (v2u){7, 1}); /* mask mod 4 */
  // CHECK-NEXT: shuffle v2s 20 10 20 10 10 30 40 20
  printf("shuffle v2s %d %d %d %d %d %d %d %d\n", s1[0], s1[1], s2[0], s2[1],
         s3[0], s3[1], s4[0], s4[1]);
  v4s c = {1, 2, 3, 4}, d = {5, 6, 7, 8};
  v4s t1 = __builtin_shuffle(c, d, (v4s){7, 0, 5, 2});
  v4s t2 = __builtin_shuffle(c, d, (v4s){9, -1, 4, 3}); /* 9 -> 1, -1 -> 7 */
  v4u t3 = __builtin_shuffle((v4u){9, 8, 7, 6}, (v4u){3, 3, 0, 1});
  // CHECK-NEXT: shuffle v4 8 1 6 3 2 8 5 4 6 6 9 8
  printf("shuffle v4 %d %d %d %d %d %d %d %d %u %u %u %u\n", t1[0], t1[1],
         t1[2], t1[3], t2[0], t2[1], t2[2], t2[3], t3[0], t3[1], t3[2], t3[3]);
  /* A mask known only at run time. */
  volatile v2s mask = {1, 1};
  v2f16 z = __builtin_shuffle((v2f16){0.5f, 8.0f}, mask);
  // CHECK-NEXT: shuffle runtime mask 8 8
  printf("shuffle runtime mask %g %g\n", (double)z[0], (double)z[1]);
}

/* y = A x in bfloat16 with SIMD: each core takes ROWS / NUM_CORES rows. */
static fp16 A[ROWS][COLS], X[COLS], Y[ROWS];
static int ran_on[NUM_CORES];

static void matvec(void *arg) {
  (void)arg;
  int id = pi_core_id();
  int per = ROWS / NUM_CORES;
  ran_on[id] = 1;
  for (int r = id * per; r < (id + 1) * per; r++) {
    v2f16 acc = {0, 0};
    for (int k = 0; k < COLS; k += 2) {
      v2f16 av = *(v2f16 *)&A[r][k];
      v2f16 x0 = {X[k], X[k]}, x1 = {X[k + 1], X[k + 1]};
      acc += (v2f16)(__builtin_shuffle(av, (v2s){0, 0})) * x0;
      acc += (v2f16)(__builtin_shuffle(av, (v2s){1, 1})) * x1;
    }
    /* Lane 0 and lane 1 hold the same sum, computed twice. */
    Y[r] = acc[0] == acc[1] ? acc[0] : (fp16)-1000.0f;
  }
  pi_cl_team_barrier();
}

int main(void) {
  scalars();
  integer_vectors();
  float_vectors();
  shuffles();
  for (int r = 0; r < ROWS; r++)
    for (int k = 0; k < COLS; k++)
      A[r][k] = (fp16)(float)((r + k) % 5 - 2);
  for (int k = 0; k < COLS; k++)
    X[k] = (fp16)(float)(k % 3);
  pi_cl_team_fork(NUM_CORES, matvec, 0);
  int errors = 0, cores = 0, y5 = 0;
  for (int r = 0; r < ROWS; r++) {
    int want = 0;
    for (int k = 0; k < COLS; k++)
      want += ((r + k) % 5 - 2) * (k % 3);
    errors += (int)(float)Y[r] != want;
    if (r == 5)
      y5 = want;
  }
  for (int c = 0; c < NUM_CORES; c++)
    cores += ran_on[c];
  // CHECK-NEXT: matvec bf16 errors=0 cores=8 y[5]=-1 want -1
  printf("matvec bf16 errors=%d cores=%d y[5]=%d want %d\n", errors, cores,
         (int)(float)Y[5], y5);
  exit(0);
}
