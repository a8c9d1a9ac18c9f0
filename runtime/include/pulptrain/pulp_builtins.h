/*===- pulp_builtins.h - PULP GCC's __builtin_pulp_* functions -----*- C -*-===*
 *
 * PULP's GCC has builtins for the core's DSP instructions; PULP-NN-style
 * kernels call them directly (SumDotp = __builtin_pulp_sdotusp4, clip8 =
 * __builtin_pulp_clipu_r, log2 = __builtin_pulp_fl1, ...). clang has none of
 * them: here each is a static inline function with the semantics of PULP's
 * builtin documentation (GAP8/PULP SDK builtins reference) and of the
 * CV32E40P instructions behind them. The 4- and 2-lane dot products use the
 * CORE-V SIMD instructions (cv.sdotsp.b, cv.sdotusp.b, ...) when the target
 * has them (__riscv_xcvsimd: pulptrain-cc's default simulator target), plain
 * C elsewhere (--no-xcv, --qemu, --host); the rest is plain C, which LLVM
 * turns into cv.* ALU instructions where it can (min, max, clip, ...).
 * Included by pulptrain/pulp_gcc.h. Arguments that must be immediates for
 * PULP's GCC may be any value here.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_PULP_BUILTINS_H
#define PULPTRAIN_PULP_BUILTINS_H

#define PULPTRAIN_BI static inline __attribute__((always_inline))

/*--- Bit manipulation ------------------------------------------------------*/

/// Index of the most significant set bit; 32 for 0 (cv.fl1).
PULPTRAIN_BI unsigned int __builtin_pulp_fl1(int x) {
  return x ? 31u - (unsigned)__builtin_clz((unsigned)x) : 32u;
}
/// Index of the least significant set bit; 32 for 0 (cv.ff1).
PULPTRAIN_BI unsigned int __builtin_pulp_ff1(int x) {
  return x ? (unsigned)__builtin_ctz((unsigned)x) : 32u;
}
/// Number of set bits (cv.cnt).
PULPTRAIN_BI unsigned int __builtin_pulp_cnt(int x) {
  return (unsigned)__builtin_popcount((unsigned)x);
}
/// `size` bits of x from bit `off`, sign-extended (cv.extract).
PULPTRAIN_BI int __builtin_pulp_bextract(int x, unsigned size, unsigned off) {
  if (size == 0)
    return 0;
  unsigned u = (unsigned)x >> off;
  unsigned sh = 32u - size;
  return size >= 32 ? (int)u : (int)(u << sh) >> sh;
}
/// `size` bits of x from bit `off`, zero-extended (cv.extractu).
PULPTRAIN_BI unsigned int __builtin_pulp_bextractu(int x, unsigned size,
                                                   unsigned off) {
  unsigned u = (unsigned)x >> off;
  return size >= 32 ? u : u & ((1u << size) - 1u);
}

/*--- Scalar arithmetic -------------------------------------------------------*/

PULPTRAIN_BI unsigned int __builtin_pulp_abs(int x) {
  return x < 0 ? -(unsigned)x : (unsigned)x;
}
PULPTRAIN_BI int __builtin_pulp_maxsi(int x, int y) {
  return __builtin_elementwise_max(x, y);
}
PULPTRAIN_BI int __builtin_pulp_minsi(int x, int y) {
  return __builtin_elementwise_min(x, y);
}
PULPTRAIN_BI unsigned int __builtin_pulp_maxusi(unsigned x, unsigned y) {
  return x > y ? x : y;
}
PULPTRAIN_BI unsigned int __builtin_pulp_minusi(unsigned x, unsigned y) {
  return x < y ? x : y;
}
/// x clipped to [lb, ub] (PULP's GCC wants lb = -2^p and ub = 2^p - 1).
PULPTRAIN_BI int __builtin_pulp_clip(int x, int lb, int ub) {
  return x < lb ? lb : x > ub ? ub : x;
}
/// x clipped to [-bound - 1, bound] (cv.clipr).
PULPTRAIN_BI int __builtin_pulp_clip_r(int x, int bound) {
  return x < -bound - 1 ? -bound - 1 : x > bound ? bound : x;
}
/// x clipped to [lb, ub] (PULP's GCC wants lb = 0 and ub = 2^p - 1).
PULPTRAIN_BI unsigned int __builtin_pulp_clipu(int x, int lb, int ub) {
  return (unsigned)(x < lb ? lb : x > ub ? ub : x);
}
/// x clipped to [0, bound] (cv.clipur).
PULPTRAIN_BI unsigned int __builtin_pulp_clipu_r(int x, int bound) {
  return x <= 0 ? 0u : x >= bound ? (unsigned)bound : (unsigned)x;
}

/*--- SIMD: pack and shuffle ------------------------------------------------*/

PULPTRAIN_BI v2s __builtin_pulp_pack2(short x, short y) {
  return (v2s){x, y};
}
/// {x, y, z, t}: x in lane 0.
PULPTRAIN_BI v4s __builtin_pulp_pack4(signed char x, signed char y,
                                      signed char z, signed char t) {
  return (v4s){x, y, z, t};
}
/// Lane i = x[mask[i] mod 2] (cv.shuffle.h).
PULPTRAIN_BI v2s __builtin_pulp_shuffleh(v2s x, v2s mask) {
  return __builtin_shufflevector(x, mask);
}
/// Lane i = x[mask[i] mod 4] (cv.shuffle.b).
PULPTRAIN_BI v4s __builtin_pulp_shuffleb(v4s x, v4s mask) {
  return __builtin_shufflevector(x, mask);
}
/// Lane i = lane mask[i] mod 4 of x:y (cv.shuffle2.h).
PULPTRAIN_BI v2s __builtin_pulp_shuffle2h(v2s x, v2s y, v2s mask) {
  v2s r;
  for (unsigned i = 0; i < 2; i++) {
    unsigned k = (unsigned)mask[i] % 4u;
    r[i] = k < 2 ? x[k] : y[k - 2];
  }
  return r;
}
/// Lane i = lane mask[i] mod 8 of x:y (cv.shuffle2.b).
PULPTRAIN_BI v4s __builtin_pulp_shuffle4b(v4s x, v4s y, v4s mask) {
  v4s r;
  for (unsigned i = 0; i < 4; i++) {
    unsigned k = (unsigned)mask[i] % 8u;
    r[i] = k < 4 ? x[k] : y[k - 4];
  }
  return r;
}

/*--- SIMD: lane-wise arithmetic (wrapping, in the lane width) ---------------*/

PULPTRAIN_BI v2s __builtin_pulp_add2(v2s x, v2s y) { return x + y; }
PULPTRAIN_BI v4s __builtin_pulp_add4(v4s x, v4s y) { return x + y; }
PULPTRAIN_BI v2s __builtin_pulp_sub2(v2s x, v2s y) { return x - y; }
PULPTRAIN_BI v4s __builtin_pulp_sub4(v4s x, v4s y) { return x - y; }
/// (x + y) >> 1 with the sum in the lane width (cv.avg.h / cv.avg.b).
PULPTRAIN_BI v2s __builtin_pulp_avg2(v2s x, v2s y) { return (x + y) >> 1; }
PULPTRAIN_BI v4s __builtin_pulp_avg4(v4s x, v4s y) { return (x + y) >> 1; }
PULPTRAIN_BI v2u __builtin_pulp_avgu2(v2u x, v2u y) { return (x + y) >> 1; }
PULPTRAIN_BI v4u __builtin_pulp_avgu4(v4u x, v4u y) { return (x + y) >> 1; }
PULPTRAIN_BI v2s __builtin_pulp_min2(v2s x, v2s y) {
  return __builtin_elementwise_min(x, y);
}
PULPTRAIN_BI v4s __builtin_pulp_min4(v4s x, v4s y) {
  return __builtin_elementwise_min(x, y);
}
PULPTRAIN_BI v2s __builtin_pulp_max2(v2s x, v2s y) {
  return __builtin_elementwise_max(x, y);
}
PULPTRAIN_BI v4s __builtin_pulp_max4(v4s x, v4s y) {
  return __builtin_elementwise_max(x, y);
}
PULPTRAIN_BI v2u __builtin_pulp_minu2(v2u x, v2u y) {
  return __builtin_elementwise_min(x, y);
}
PULPTRAIN_BI v4u __builtin_pulp_minu4(v4u x, v4u y) {
  return __builtin_elementwise_min(x, y);
}
PULPTRAIN_BI v2u __builtin_pulp_maxu2(v2u x, v2u y) {
  return __builtin_elementwise_max(x, y);
}
PULPTRAIN_BI v4u __builtin_pulp_maxu4(v4u x, v4u y) {
  return __builtin_elementwise_max(x, y);
}

/*--- SIMD: dot products -------------------------------------------------------*
 * dot*: the sum of the lane products; sdot*: plus the accumulator z. sp:     *
 * signed x signed, up: unsigned x unsigned, usp: unsigned x (signed) y.     */

/* The sum wraps modulo 2^32 as in the instructions. */
#if defined(__riscv_xcvsimd)
#define PULPTRAIN_SDOT(insn, x, y, z)                                         \
  ({                                                                          \
    int pt_acc_ = (int)(z);                                                   \
    __asm__(insn " %0, %1, %2"                                                \
            : "+r"(pt_acc_)                                                   \
            : "r"((int)(x)), "r"((int)(y)));                                  \
    pt_acc_;                                                                  \
  })
#else
#define PULPTRAIN_SDOT(insn, x, y, z)                                         \
  ({                                                                          \
    unsigned pt_acc_ = (unsigned)(z);                                         \
    for (unsigned pt_i_ = 0; pt_i_ < sizeof(x) / sizeof((x)[0]); pt_i_++)    \
      pt_acc_ += (unsigned)(int)(x)[pt_i_] * (unsigned)(int)(y)[pt_i_];       \
    (int)pt_acc_;                                                             \
  })
#endif

PULPTRAIN_BI int __builtin_pulp_sdotsp2(v2s x, v2s y, int z) {
  return PULPTRAIN_SDOT("cv.sdotsp.h", x, y, z);
}
PULPTRAIN_BI int __builtin_pulp_sdotsp4(v4s x, v4s y, int z) {
  return PULPTRAIN_SDOT("cv.sdotsp.b", x, y, z);
}
PULPTRAIN_BI unsigned int __builtin_pulp_sdotup2(v2u x, v2u y, unsigned z) {
  return (unsigned)PULPTRAIN_SDOT("cv.sdotup.h", x, y, z);
}
PULPTRAIN_BI unsigned int __builtin_pulp_sdotup4(v4u x, v4u y, unsigned z) {
  return (unsigned)PULPTRAIN_SDOT("cv.sdotup.b", x, y, z);
}
PULPTRAIN_BI int __builtin_pulp_sdotusp2(v2u x, v2s y, int z) {
  return PULPTRAIN_SDOT("cv.sdotusp.h", x, y, z);
}
PULPTRAIN_BI int __builtin_pulp_sdotusp4(v4u x, v4s y, int z) {
  return PULPTRAIN_SDOT("cv.sdotusp.b", x, y, z);
}
PULPTRAIN_BI int __builtin_pulp_dotsp2(v2s x, v2s y) {
  return __builtin_pulp_sdotsp2(x, y, 0);
}
PULPTRAIN_BI int __builtin_pulp_dotsp4(v4s x, v4s y) {
  return __builtin_pulp_sdotsp4(x, y, 0);
}
PULPTRAIN_BI unsigned int __builtin_pulp_dotup2(v2u x, v2u y) {
  return __builtin_pulp_sdotup2(x, y, 0);
}
PULPTRAIN_BI unsigned int __builtin_pulp_dotup4(v4u x, v4u y) {
  return __builtin_pulp_sdotup4(x, y, 0);
}
PULPTRAIN_BI int __builtin_pulp_dotusp2(v2u x, v2s y) {
  return __builtin_pulp_sdotusp2(x, y, 0);
}
PULPTRAIN_BI int __builtin_pulp_dotusp4(v4u x, v4s y) {
  return __builtin_pulp_sdotusp4(x, y, 0);
}

#undef PULPTRAIN_SDOT
#undef PULPTRAIN_BI

#endif /* PULPTRAIN_PULP_BUILTINS_H */
