// PULP GCC's __builtin_pulp_* DSP builtins, with values worked out by hand
// from their documented semantics (wrapping lane arithmetic, an 8-bit sum in
// avg4, mask lanes taken modulo the lane count, dot products modulo 2^32),
// then an int8 fully connected layer written the way PULP-NN writes its
// kernels (SumDotp / clip8 macros over the builtins, one block of output
// neurons per core) on 8 cores, checked against a scalar reference. The
// default build runs the dot products on the CORE-V SIMD instructions
// (cv.sdotusp.b ...), --no-xcv and --host on plain C: all print the same.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s
// RUN: pulptrain-cc --no-xcv -O2 %s -o %t.std.elf
// RUN: pulptrain-sim --quiet --cores 8 %t.std.elf | FileCheck %s
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: env PULPTRAIN_CORES=8 %t.host | FileCheck %s
// RUN: llvm-objdump -d %t.elf | FileCheck %s --check-prefix=ASM
// ASM: <linear_kernel>:
// ASM: cv.sdotusp.b

#include "pmsis.h"

#define NUM_CORES 8
#define SumDotp(a, b, c) __builtin_pulp_sdotusp4(a, b, c)
#define clip8(x) __builtin_pulp_clipu_r(x, 255)
#define log2(x) __builtin_pulp_fl1(x)

static void bits(void) {
  volatile int z = 0, m1 = -1;
  // CHECK: fl1 16 0 32 31 ff1 16 32 31 cnt 8 32
  printf("fl1 %u %u %u %u ff1 %u %u %u cnt %u %u\n",
         __builtin_pulp_fl1(0x10000), __builtin_pulp_fl1(1),
         __builtin_pulp_fl1(z), __builtin_pulp_fl1(m1),
         __builtin_pulp_ff1(0x10000), __builtin_pulp_ff1(z),
         __builtin_pulp_ff1((int)0x80000000u), __builtin_pulp_cnt(0xF0F0),
         __builtin_pulp_cnt(m1));
  volatile int x = 0xABCD, y = 0x12345678;
  // CHECK-NEXT: bextract -4 18 -1 bextractu 12 255
  printf("bextract %d %d %d bextractu %u %u\n", __builtin_pulp_bextract(x, 4, 4),
         __builtin_pulp_bextract(y, 8, 24), __builtin_pulp_bextract(m1, 32, 0),
         __builtin_pulp_bextractu(x, 4, 4), __builtin_pulp_bextractu(m1, 8, 3));
}

static void scalar(void) {
  volatile int n5 = -5, p300 = 300, p77 = 77, n200 = -200, p200 = 200;
  // CHECK-NEXT: clipu_r 0 255 77 clip_r -128 127 clipu 255 clip -128
  printf("clipu_r %u %u %u clip_r %d %d clipu %u clip %d\n",
         __builtin_pulp_clipu_r(n5, 255), __builtin_pulp_clipu_r(p300, 255),
         __builtin_pulp_clipu_r(p77, 255), __builtin_pulp_clip_r(n200, 127),
         __builtin_pulp_clip_r(p200, 127), __builtin_pulp_clipu(p300, 0, 255),
         __builtin_pulp_clip(n200, -128, 127));
  // CHECK-NEXT: max 2 min -3 maxu 4294967295 minu 1 abs 7
  printf("max %d min %d maxu %u minu %u abs %u\n", __builtin_pulp_maxsi(-3, 2),
         __builtin_pulp_minsi(-3, 2), __builtin_pulp_maxusi(0xFFFFFFFFu, 1),
         __builtin_pulp_minusi(0xFFFFFFFFu, 1), __builtin_pulp_abs(-7));
}

static void simd(void) {
  v4s p = __builtin_pulp_pack4(1, -2, 3, -4);
  v2s q = __builtin_pulp_pack2(300, -5);
  // CHECK-NEXT: pack4 1 -2 3 -4 pack2 300 -5
  printf("pack4 %d %d %d %d pack2 %d %d\n", p[0], p[1], p[2], p[3], q[0], q[1]);
  v4s s1 = __builtin_pulp_shuffleb((v4s){10, 20, 30, 40}, (v4s){3, 2, 5, 0});
  v2s s2 = __builtin_pulp_shuffleh((v2s){7, 8}, (v2s){1, 1});
  v2s s3 = __builtin_pulp_shuffle2h((v2s){1, 2}, (v2s){3, 4}, (v2s){3, 0});
  v4s s4 = __builtin_pulp_shuffle4b((v4s){1, 2, 3, 4}, (v4s){5, 6, 7, 8},
                                    (v4s){7, 4, 9, 2});
  // CHECK-NEXT: shuffleb 40 30 20 10 shuffleh 8 8 shuffle2h 4 1 shuffle4b 8 5 2 3
  printf("shuffleb %d %d %d %d shuffleh %d %d shuffle2h %d %d shuffle4b %d %d "
         "%d %d\n",
         s1[0], s1[1], s1[2], s1[3], s2[0], s2[1], s3[0], s3[1], s4[0], s4[1],
         s4[2], s4[3]);
  v4s a4 = __builtin_pulp_add4((v4s){127, 1, 2, 3}, (v4s){1, 1, 1, 1});
  v2s b2 = __builtin_pulp_sub2((v2s){-32768, 5}, (v2s){1, 10});
  v4s av = __builtin_pulp_avg4((v4s){100, -100, 3, -3}, (v4s){100, -100, 4, -4});
  v4u au = __builtin_pulp_avgu4((v4u){200, 255, 1, 0}, (v4u){100, 255, 2, 0});
  // CHECK-NEXT: add4 -128 2 3 4 sub2 32767 -5 avg4 -28 28 3 -4 avgu4 22 127 1 0
  printf("add4 %d %d %d %d sub2 %d %d avg4 %d %d %d %d avgu4 %u %u %u %u\n",
         a4[0], a4[1], a4[2], a4[3], b2[0], b2[1], av[0], av[1], av[2], av[3],
         au[0], au[1], au[2], au[3]);
  v4u mx = __builtin_pulp_maxu4((v4u){200, 1, 128, 0}, (v4u){100, 2, 127, 255});
  v4s mn = __builtin_pulp_min4((v4s){-1, 5, -128, 0}, (v4s){1, -5, 127, 0});
  v2s m2 = __builtin_pulp_max2((v2s){-1, 300}, (v2s){1, -300});
  v2u u2 = __builtin_pulp_minu2((v2u){65535, 1}, (v2u){2, 3});
  // CHECK-NEXT: maxu4 200 2 128 255 min4 -1 -5 -128 0 max2 1 300 minu2 2 1
  printf("maxu4 %u %u %u %u min4 %d %d %d %d max2 %d %d minu2 %u %u\n", mx[0],
         mx[1], mx[2], mx[3], mn[0], mn[1], mn[2], mn[3], m2[0], m2[1], u2[0],
         u2[1]);
}

static void dots(void) {
  volatile v4s a = {1, -2, 3, -4}, b = {-5, 6, -7, 8}, w = {-1, 2, -128, 127};
  volatile v4u u = {255, 128, 1, 0}, f = {255, 255, 255, 255};
  volatile v2s h = {-32768, 2}, k = {-32768, 3}, n = {-1, -2};
  volatile v2u g = {65535, 1}, e = {65535, 65535};
  // CHECK-NEXT: sdotsp4 30 dotsp4 -70 sdotusp4 -127 sdotup4 260101
  printf("sdotsp4 %d dotsp4 %d sdotusp4 %d sdotup4 %u\n",
         __builtin_pulp_sdotsp4(a, b, 100), __builtin_pulp_dotsp4(a, b),
         __builtin_pulp_sdotusp4(u, w, 0), __builtin_pulp_sdotup4(f, f, 1));
  // CHECK-NEXT: sdotsp2 1073741830 sdotusp2 -65527 dotup2 4294705154
  printf("sdotsp2 %d sdotusp2 %d dotup2 %u\n", __builtin_pulp_sdotsp2(h, k, 0),
         __builtin_pulp_sdotusp2(g, n, 10), __builtin_pulp_dotup2(e, e));
}

/* An int8 fully connected layer, uint8 in, uint8 out, as PULP-NN does it. */
#define DIM 96
#define NOUT 40
PI_L1 uint8_t input[DIM];
PI_L1 int8_t weights[NOUT * DIM];
PI_L1 uint8_t output[NOUT];
static const int shift = 3;

__attribute__((noinline)) static void linear_kernel(void *arg) {
  (void)arg;
  int core_id = pi_core_id();
  int log2core = log2(NUM_CORES);
  int chunk = (NOUT >> log2core) + ((NOUT & (NUM_CORES - 1)) != 0);
  int start = __builtin_pulp_minsi(chunk * core_id, NOUT);
  int stop = __builtin_pulp_minsi(start + chunk, NOUT);
  for (int i = start; i < stop; i++) {
    int sum = 0;
    uint8_t *pA = input;
    int8_t *pB = weights + i * DIM;
    for (int j = 0; j < DIM / 4; j++) {
      sum = SumDotp(*(v4u *)pA, *(v4s *)pB, sum);
      pA += 4;
      pB += 4;
    }
    output[i] = (uint8_t)clip8(sum >> shift);
  }
  pi_cl_team_barrier();
}

int main(void) {
  bits();
  scalar();
  simd();
  dots();
  for (int j = 0; j < DIM; j++)
    input[j] = (uint8_t)((j * 37 + 11) % 16);
  for (int o = 0; o < NOUT; o++)
    for (int j = 0; j < DIM; j++)
      weights[o * DIM + j] = (int8_t)((j * 5 + o * 3) % 11 - 5 + o % 7 - 3);
  pi_cl_team_fork(NUM_CORES, linear_kernel, 0);
  int errors = 0, zero = 0, inside = 0, top = 0;
  for (int i = 0; i < NOUT; i++) {
    int s = 0;
    for (int j = 0; j < DIM; j++)
      s += input[j] * weights[i * DIM + j];
    int want = s >> shift;
    want = want < 0 ? 0 : want > 255 ? 255 : want;
    errors += output[i] != want;
    zero += want == 0;
    inside += want > 0 && want < 255;
    top += want == 255;
  }
  /* Outputs clipped at 0, in between and clipped at 255 (counted with the
     reference in Python: 20, 15 and 5; output[4] = 78). */
  // CHECK-NEXT: linear errors=0 outputs=40 zero=20 inside=15 top=5 output[4]=78
  printf("linear errors=%d outputs=%d zero=%d inside=%d top=%d output[4]=%d\n",
         errors, NOUT, zero, inside, top, output[4]);
  return 0;
}
