/*===- rt_softfp.c - Floating-point conversion helpers -------------------===*
 *
 * Library functions LLVM calls for conversions that Zfinx/Zhinx have no
 * instruction for, and that no riscv32 library on the build machine
 * provides: rounding to bfloat16 (__truncsfbf2, __truncdfbf2), double to half
 * (__truncdfhf2), and the float<->half pair for builds without Zhinx. All
 * round to nearest, ties to even; NaNs stay NaN (quieted, sign and top
 * payload bits kept); overflow gives infinity; subnormals are exact.
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

/* Round a binary float (sign bit at 63 after left-justifying) of `sexp`
   exponent bits and `sman` mantissa bits to `dexp`/`dman`. Works for
   narrowing conversions only. */
static uint32_t narrow(uint64_t x, int sexp, int sman, int dexp, int dman) {
  int sbits = 1 + sexp + sman;
  uint32_t sign = (uint32_t)(x >> (sbits - 1)) & 1u;
  int e = (int)((x >> sman) & ((1u << sexp) - 1u));
  uint64_t m = x & ((1ull << sman) - 1u);
  uint32_t dsign = sign << (dexp + dman);
  uint32_t dinf = ((1u << dexp) - 1u) << dman;
  if (e == (1 << sexp) - 1) {
    if (m == 0)
      return dsign | dinf;
    return dsign | dinf | (1u << (dman - 1)) | (uint32_t)(m >> (sman - dman));
  }
  if (e == 0 && m == 0)
    return dsign;
  /* Significand with the hidden bit; an input subnormal is far below the
     smallest output subnormal for every narrowing we do, but keep it exact. */
  int ue = e == 0 ? 1 - ((1 << (sexp - 1)) - 1) : e - ((1 << (sexp - 1)) - 1);
  if (e != 0)
    m |= 1ull << sman;
  int de = ue + ((1 << (dexp - 1)) - 1); /* biased output exponent */
  int shift = sman - dman;
  if (de <= 0) {            /* output subnormal: value = m >> shift' */
    shift += 1 - de;
    de = 0;
  }
  if (shift > 63)
    return dsign;
  uint64_t r = m >> shift;
  uint64_t rem = m & ((1ull << shift) - 1u);
  uint64_t half = 1ull << (shift - 1);
  /* Exponent field plus mantissa; a rounding carry moves into the exponent
     (and to infinity), which is what IEEE rounding wants. */
  uint64_t t = ((uint64_t)(de ? de - 1 : 0) << dman) + r;
  if (rem > half || (rem == half && (r & 1u)))
    t++;
  if (t >= dinf)
    return dsign | dinf;
  return dsign | (uint32_t)t;
}

/* Note on the encoding above: for a normal output, r includes the hidden bit
   (1 << dman), so (de - 1) << dman plus r equals de << dman plus the
   mantissa. */

static uint32_t f2u(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, 4);
  return u;
}

static uint64_t d2u(double d) {
  uint64_t u;
  __builtin_memcpy(&u, &d, 8);
  return u;
}

static __bf16 u2bf(uint32_t u) {
  uint16_t h = (uint16_t)u;
  __bf16 r;
  __builtin_memcpy(&r, &h, 2);
  return r;
}

static inline _Float16 u2h(uint32_t u) {
  uint16_t h = (uint16_t)u;
  _Float16 r;
  __builtin_memcpy(&r, &h, 2);
  return r;
}

/// float -> bfloat16, round to nearest even.
__bf16 __truncsfbf2(float a) {
  uint32_t u = f2u(a);
  if ((u & 0x7FFFFFFFu) > 0x7F800000u)
    return u2bf((u >> 16) | 0x40u); /* quiet NaN, sign and payload kept */
  u += 0x7FFFu + ((u >> 16) & 1u);
  return u2bf(u >> 16);
}

/// double -> bfloat16, rounded once.
__bf16 __truncdfbf2(double a) { return u2bf(narrow(d2u(a), 11, 52, 8, 7)); }

#ifndef PT_SOFTFP_BF16_ONLY
/// double -> half, rounded once.
_Float16 __truncdfhf2(double a) { return u2h(narrow(d2u(a), 11, 52, 5, 10)); }

/// float -> half.
_Float16 __truncsfhf2(float a) { return u2h(narrow(f2u(a), 8, 23, 5, 10)); }

/// half -> float (exact).
float __extendhfsf2(_Float16 a) {
  uint16_t h;
  __builtin_memcpy(&h, &a, 2);
  uint32_t sign = (uint32_t)(h >> 15) << 31;
  uint32_t e = (h >> 10) & 0x1Fu, m = h & 0x3FFu;
  uint32_t u;
  if (e == 0x1F) {
    u = sign | 0x7F800000u | (m << 13) | (m ? 0x400000u : 0);
  } else if (e == 0) {
    if (m == 0) {
      u = sign;
    } else { /* subnormal: normalize */
      int s = 0;
      while (!(m & 0x400u)) {
        m <<= 1;
        s++;
      }
      u = sign | ((uint32_t)(127 - 15 + 1 - s) << 23) | ((m & 0x3FFu) << 13);
    }
  } else {
    u = sign | ((e + 127 - 15) << 23) | (m << 13);
  }
  float f;
  __builtin_memcpy(&f, &u, 4);
  return f;
}

#endif /* PT_SOFTFP_BF16_ONLY */

/// bfloat16 -> float (exact).
float __extendbfsf2(__bf16 a) {
  uint16_t h;
  __builtin_memcpy(&h, &a, 2);
  uint32_t u = (uint32_t)h << 16;
  float f;
  __builtin_memcpy(&f, &u, 4);
  return f;
}
