//===- SoftFloat.cpp - IEEE-exact FP32 / FP16 / BF16 arithmetic -----------===//

#include "pulptrain/sim/SoftFloat.h"

#include <cfloat>
#include <cmath>
#include <cstring>

using namespace pulptrain::sim;
using namespace pulptrain::sim::fp;

namespace {

uint64_t bitsOf(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
double fromBits(uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}
uint32_t bitsOfF(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
float fromBitsF(uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

/// Rounds x to a binary format with `mant` fraction bits and `expBits`
/// exponent bits. x must be exact or rounded to odd with >= mant+3 bits.
uint32_t roundTo(double x, int mant, int expBits, RoundingMode rm,
                 uint8_t &flags) {
  uint64_t b = bitsOf(x);
  uint32_t sign = uint32_t(b >> 63);
  uint32_t signOut = sign << (mant + expBits);
  uint32_t expMax = (1u << expBits) - 1;
  uint32_t mantMask = (1u << mant) - 1;
  if (std::isnan(x))
    return (expMax << mant) | (1u << (mant - 1));
  if (std::isinf(x))
    return signOut | (expMax << mant);
  if (x == 0)
    return signOut;
  int e = int((b >> 52) & 0x7ff);
  uint64_t sig = b & ((1ull << 52) - 1);
  if (e == 0) {
    int sh = __builtin_clzll(sig) - 11;
    sig <<= sh;
    e = 1 - sh;
  } else {
    sig |= 1ull << 52;
  }
  int ue = e - 1023;
  int bias = (1 << (expBits - 1)) - 1;
  int emin = 1 - bias;
  int shift = 52 - mant;
  if (ue < emin)
    shift += emin - ue;
  uint64_t q, rem, half;
  if (shift >= 63) {
    q = 0;
    rem = 1; // Below half, non-zero.
    half = 2;
  } else {
    q = sig >> shift;
    rem = sig & ((1ull << shift) - 1);
    half = 1ull << (shift - 1);
  }
  bool inexact = rem != 0;
  bool up = false;
  switch (rm) {
  case RNE:
    up = rem > half || (rem == half && (q & 1));
    break;
  case RTZ:
    break;
  case RDN:
    up = sign && inexact;
    break;
  case RUP:
    up = !sign && inexact;
    break;
  case RMM:
    up = rem >= half;
    break;
  }
  q += up;
  if (inexact)
    flags |= NX;
  if (ue < emin) {
    if (inexact)
      flags |= UF;
    return signOut | uint32_t(q);
  }
  if (q >> (mant + 1)) {
    q >>= 1;
    ++ue;
  }
  uint32_t biased = uint32_t(ue + bias);
  if (biased >= expMax) {
    flags |= OF | NX;
    bool toMax = rm == RTZ || (rm == RDN && !sign) || (rm == RUP && sign);
    return signOut | (toMax ? (((expMax - 1) << mant) | mantMask)
                            : (expMax << mant));
  }
  return signOut | (biased << mant) | (uint32_t(q) & mantMask);
}

/// Round-to-odd of the exact value d + err, where |err| < ulp(d) and err
/// only matters by its sign.
double roundOdd(double d, double err) {
  if (err == 0 || !std::isfinite(d))
    return d;
  if (d == 0)
    return std::copysign(fromBits(1), err);
  uint64_t b = bitsOf(d);
  if ((err < 0) != (d < 0))
    b -= 1; // Truncate toward zero.
  return fromBits(b | 1);
}

/// Error of s = RN(a + b): a + b == s + twoSumErr exactly.
double twoSumErr(double a, double b, double s) {
  double bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/// Sign of an exactly zero sum of terms (IEEE 754 6.3).
double zeroSum(bool allNeg, bool allPos, RoundingMode rm) {
  if (allNeg)
    return -0.0;
  if (allPos)
    return 0.0;
  return rm == RDN ? -0.0 : 0.0;
}

/// p + z as a round-to-odd double (p, z exact doubles, not NaN).
double sum2(double p, double z, RoundingMode rm) {
  double s = p + z;
  if (!std::isfinite(s))
    return s;
  if (s == 0)
    return zeroSum(std::signbit(p) && std::signbit(z) && p == 0 && z == 0,
                   !std::signbit(p) && !std::signbit(z) && p == 0 && z == 0,
                   rm);
  return roundOdd(s, twoSumErr(p, z, s));
}

/// a + b + c as a round-to-odd double (exact doubles, not NaN).
double sum3(double a, double b, double c, RoundingMode rm) {
  double s1 = a + b, e1 = twoSumErr(a, b, s1);
  double s2 = s1 + c, e2 = twoSumErr(s1, c, s2);
  if (!std::isfinite(s2))
    return s2;
  double t = e1 + e2, e3 = twoSumErr(e1, e2, t);
  double u = s2 + t, e4 = twoSumErr(s2, t, u);
  if (u == 0 && e4 == 0 && e3 == 0) {
    bool allZero = a == 0 && b == 0 && c == 0;
    bool neg = std::signbit(a) && std::signbit(b) && std::signbit(c);
    bool pos = !std::signbit(a) && !std::signbit(b) && !std::signbit(c);
    return zeroSum(allZero && neg, allZero && pos, rm);
  }
  return roundOdd(u, e4 != 0 ? e4 : e3);
}

bool isNaN32(uint32_t a) { return (a & 0x7fffffff) > 0x7f800000; }
bool isSNaN32(uint32_t a) { return isNaN32(a) && !(a & 0x00400000); }
bool isNaN16(uint16_t a) { return (a & 0x7fff) > 0x7c00; }
bool isSNaN16(uint16_t a) { return isNaN16(a) && !(a & 0x0200); }

/// Division result as round-to-odd double (x, y exact, not NaN).
double divOdd(double x, double y, uint8_t &flags) {
  if (y == 0 && x != 0 && !std::isinf(x))
    flags |= DZ;
  double q = x / y;
  if (!std::isfinite(q) || q == 0)
    return q;
  double r = std::fma(-q, y, x);
  if (r == 0)
    return q;
  return roundOdd(q, (r > 0) == (y > 0) ? 1.0 : -1.0);
}

double sqrtOdd(double x) {
  double s = std::sqrt(x);
  if (!std::isfinite(s) || s == 0)
    return s;
  return roundOdd(s, std::fma(-s, s, x));
}

} // namespace

double fp::f32ToDouble(uint32_t b) { return double(fromBitsF(b)); }

double fp::f16ToDouble(uint16_t h) {
  uint32_t sign = h >> 15, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  double v;
  if (exp == 0x1f)
    v = mant ? std::nan("") : INFINITY;
  else if (exp == 0)
    v = std::ldexp(double(mant), -24);
  else
    v = std::ldexp(double(mant | 0x400), int(exp) - 25);
  return sign ? -v : v;
}

uint32_t fp::doubleToF32(double x, RoundingMode rm, uint8_t &flags) {
  return roundTo(x, 23, 8, rm, flags);
}
uint16_t fp::doubleToF16(double x, RoundingMode rm, uint8_t &flags) {
  return uint16_t(roundTo(x, 10, 5, rm, flags));
}

//===--- Binary32 ---------------------------------------------------------===//

static bool nanIn2(uint32_t a, uint32_t b, uint8_t &flags) {
  if (isSNaN32(a) || isSNaN32(b))
    flags |= NV;
  return isNaN32(a) || isNaN32(b);
}

static uint32_t canon32(float r) {
  uint32_t b = bitsOfF(r);
  return isNaN32(b) ? CanonicalNaN32 : b;
}

uint32_t fp::add32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags) {
  if (nanIn2(a, b, flags))
    return CanonicalNaN32;
  if (rm == RNE) {
    uint32_t r = canon32(fromBitsF(a) + fromBitsF(b));
    if (r == CanonicalNaN32)
      flags |= NV;
    return r;
  }
  double x = f32ToDouble(a), y = f32ToDouble(b);
  if (std::isinf(x) && std::isinf(y) && x != y) {
    flags |= NV;
    return CanonicalNaN32;
  }
  return doubleToF32(sum2(x, y, rm), rm, flags);
}

uint32_t fp::sub32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags) {
  if (isNaN32(b))
    return add32(a, b, rm, flags);
  return add32(a, b ^ 0x80000000u, rm, flags);
}

uint32_t fp::mul32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags) {
  if (nanIn2(a, b, flags))
    return CanonicalNaN32;
  double p = f32ToDouble(a) * f32ToDouble(b);
  if (std::isnan(p)) {
    flags |= NV;
    return CanonicalNaN32;
  }
  if (rm == RNE)
    return bitsOfF(fromBitsF(a) * fromBitsF(b));
  return doubleToF32(p, rm, flags);
}

uint32_t fp::div32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags) {
  if (nanIn2(a, b, flags))
    return CanonicalNaN32;
  double x = f32ToDouble(a), y = f32ToDouble(b);
  if ((x == 0 && y == 0) || (std::isinf(x) && std::isinf(y))) {
    flags |= NV;
    return CanonicalNaN32;
  }
  if (rm == RNE) {
    if (y == 0 && x != 0 && !std::isinf(x))
      flags |= DZ;
    return bitsOfF(fromBitsF(a) / fromBitsF(b));
  }
  return doubleToF32(divOdd(x, y, flags), rm, flags);
}

uint32_t fp::sqrt32(uint32_t a, RoundingMode rm, uint8_t &flags) {
  if (isNaN32(a)) {
    if (isSNaN32(a))
      flags |= NV;
    return CanonicalNaN32;
  }
  double x = f32ToDouble(a);
  if (x < 0) {
    flags |= NV;
    return CanonicalNaN32;
  }
  if (rm == RNE)
    return bitsOfF(std::sqrt(fromBitsF(a)));
  return doubleToF32(sqrtOdd(x), rm, flags);
}

static bool fmaSpecial(double x, double y, double z, uint8_t &flags,
                       double &out) {
  if (((std::isinf(x) && y == 0) || (std::isinf(y) && x == 0))) {
    flags |= NV;
    out = NAN;
    return true;
  }
  double p = x * y;
  if (std::isinf(p) || std::isinf(z)) {
    out = p + z;
    if (std::isnan(out))
      flags |= NV;
    return true;
  }
  return false;
}

uint32_t fp::fma32(uint32_t a, uint32_t b, uint32_t c, RoundingMode rm,
                   uint8_t &flags) {
  if (isNaN32(a) || isNaN32(b) || isNaN32(c)) {
    if (isSNaN32(a) || isSNaN32(b) || isSNaN32(c))
      flags |= NV;
    // inf * 0 + qNaN is invalid too.
    double x = f32ToDouble(a), y = f32ToDouble(b);
    if ((std::isinf(x) && y == 0) || (std::isinf(y) && x == 0))
      flags |= NV;
    return CanonicalNaN32;
  }
  double x = f32ToDouble(a), y = f32ToDouble(b), z = f32ToDouble(c);
  double special;
  if (fmaSpecial(x, y, z, flags, special))
    return doubleToF32(special, rm, flags);
  double p = x * y; // Exact: 48 significant bits.
  if (rm == RNE) {
    // Fast path: RN53(p + z) rounds to the same float as p + z unless it
    // lies on a float midpoint or in the subnormal range.
    double s = p + z;
    uint64_t sb = bitsOf(s);
    if (std::fabs(s) >= double(FLT_MIN) && std::fabs(s) <= double(FLT_MAX) &&
        (sb & 0x1fffffffull) != 0x10000000ull) {
      float r = float(s);
      if (s != double(r))
        flags |= NX;
      return bitsOfF(r);
    }
  }
  return doubleToF32(sum2(p, z, rm), rm, flags);
}

uint32_t fp::min32(uint32_t a, uint32_t b, uint8_t &flags) {
  if (isSNaN32(a) || isSNaN32(b))
    flags |= NV;
  if (isNaN32(a) && isNaN32(b))
    return CanonicalNaN32;
  if (isNaN32(a))
    return b;
  if (isNaN32(b))
    return a;
  float x = fromBitsF(a), y = fromBitsF(b);
  if (x == y)
    return (a & 0x80000000u) ? a : b;
  return x < y ? a : b;
}

uint32_t fp::max32(uint32_t a, uint32_t b, uint8_t &flags) {
  if (isSNaN32(a) || isSNaN32(b))
    flags |= NV;
  if (isNaN32(a) && isNaN32(b))
    return CanonicalNaN32;
  if (isNaN32(a))
    return b;
  if (isNaN32(b))
    return a;
  float x = fromBitsF(a), y = fromBitsF(b);
  if (x == y)
    return (a & 0x80000000u) ? b : a;
  return x > y ? a : b;
}

bool fp::eq32(uint32_t a, uint32_t b, uint8_t &flags) {
  if (isSNaN32(a) || isSNaN32(b))
    flags |= NV;
  return fromBitsF(a) == fromBitsF(b);
}
bool fp::lt32(uint32_t a, uint32_t b, uint8_t &flags) {
  if (isNaN32(a) || isNaN32(b))
    flags |= NV;
  return fromBitsF(a) < fromBitsF(b);
}
bool fp::le32(uint32_t a, uint32_t b, uint8_t &flags) {
  if (isNaN32(a) || isNaN32(b))
    flags |= NV;
  return fromBitsF(a) <= fromBitsF(b);
}

static uint32_t classify(bool sign, bool expMax, bool expZero, bool mantZero,
                         bool quiet) {
  if (expMax) {
    if (mantZero)
      return sign ? 1u << 0 : 1u << 7;
    return quiet ? 1u << 9 : 1u << 8;
  }
  if (expZero)
    return mantZero ? (sign ? 1u << 3 : 1u << 4) : (sign ? 1u << 2 : 1u << 5);
  return sign ? 1u << 1 : 1u << 6;
}

uint32_t fp::class32(uint32_t a) {
  uint32_t e = (a >> 23) & 0xff, m = a & 0x7fffff;
  return classify(a >> 31, e == 0xff, e == 0, m == 0, a & 0x400000);
}

//===--- Binary16 and bfloat16 -------------------------------------------===//
//
// The two 16-bit formats differ only in their NaN encodings and their
// conversions to and from double; every operation is written once for both.

static bool isNaNB(uint16_t a) { return (a & 0x7fff) > 0x7f80; }
static bool isSNaNB(uint16_t a) { return isNaNB(a) && !(a & 0x0040); }

double fp::bf16ToDouble(uint16_t h) { return f32ToDouble(uint32_t(h) << 16); }

uint16_t fp::doubleToBf16(double x, RoundingMode rm, uint8_t &flags) {
  return uint16_t(roundTo(x, 7, 8, rm, flags));
}

namespace {
struct Binary16 {
  static bool isNaN(uint16_t a) { return isNaN16(a); }
  static bool isSNaN(uint16_t a) { return isSNaN16(a); }
  static constexpr uint16_t CanonicalNaN = fp::CanonicalNaN16;
  static double toDouble(uint16_t a) { return fp::f16ToDouble(a); }
  static uint16_t fromDouble(double x, fp::RoundingMode rm, uint8_t &flags) {
    return fp::doubleToF16(x, rm, flags);
  }
};

struct BFloat16 {
  static bool isNaN(uint16_t a) { return isNaNB(a); }
  static bool isSNaN(uint16_t a) { return isSNaNB(a); }
  static constexpr uint16_t CanonicalNaN = fp::CanonicalNaNBf16;
  static double toDouble(uint16_t a) { return fp::bf16ToDouble(a); }
  static uint16_t fromDouble(double x, fp::RoundingMode rm, uint8_t &flags) {
    return fp::doubleToBf16(x, rm, flags);
  }
};
} // namespace

template <typename F>
static bool nanIn2(uint16_t a, uint16_t b, uint8_t &flags) {
  if (F::isSNaN(a) || F::isSNaN(b))
    flags |= NV;
  return F::isNaN(a) || F::isNaN(b);
}

template <typename F>
static uint16_t add16(uint16_t a, uint16_t b, RoundingMode rm,
                      uint8_t &flags) {
  if (nanIn2<F>(a, b, flags))
    return F::CanonicalNaN;
  double x = F::toDouble(a), y = F::toDouble(b);
  if (std::isinf(x) && std::isinf(y) && x != y) {
    flags |= NV;
    return F::CanonicalNaN;
  }
  // Exact for binary16; bfloat16 exponents may differ by more than 53, where
  // sum2 rounds to odd, which the final rounding keeps correct.
  return F::fromDouble(sum2(x, y, rm), rm, flags);
}

template <typename F>
static uint16_t sub16(uint16_t a, uint16_t b, RoundingMode rm,
                      uint8_t &flags) {
  if (F::isNaN(b))
    return add16<F>(a, b, rm, flags);
  return add16<F>(a, uint16_t(b ^ 0x8000), rm, flags);
}

template <typename F>
static uint16_t mul16(uint16_t a, uint16_t b, RoundingMode rm,
                      uint8_t &flags) {
  if (nanIn2<F>(a, b, flags))
    return F::CanonicalNaN;
  double p = F::toDouble(a) * F::toDouble(b); // Exact: at most 22 bits.
  if (std::isnan(p)) {
    flags |= NV;
    return F::CanonicalNaN;
  }
  return F::fromDouble(p, rm, flags);
}

template <typename F>
static uint16_t fma16(uint16_t a, uint16_t b, uint16_t c, RoundingMode rm,
                      uint8_t &flags) {
  double x = F::toDouble(a), y = F::toDouble(b), z = F::toDouble(c);
  if (F::isNaN(a) || F::isNaN(b) || F::isNaN(c)) {
    if (F::isSNaN(a) || F::isSNaN(b) || F::isSNaN(c) ||
        (std::isinf(x) && y == 0) || (std::isinf(y) && x == 0))
      flags |= NV;
    return F::CanonicalNaN;
  }
  double special;
  if (fmaSpecial(x, y, z, flags, special))
    return F::fromDouble(special, rm, flags);
  return F::fromDouble(sum2(x * y, z, rm), rm, flags);
}

/// The minimum (`max` false) or maximum of `a` and `b`: the number if one is
/// NaN, -0 below +0.
template <typename F>
static uint16_t minMax16(uint16_t a, uint16_t b, bool max, uint8_t &flags) {
  if (F::isSNaN(a) || F::isSNaN(b))
    flags |= NV;
  if (F::isNaN(a) && F::isNaN(b))
    return F::CanonicalNaN;
  if (F::isNaN(a))
    return b;
  if (F::isNaN(b))
    return a;
  double x = F::toDouble(a), y = F::toDouble(b);
  if (x == y)
    return bool(a & 0x8000) != max ? a : b;
  return (max ? x > y : x < y) ? a : b;
}

uint16_t fp::add16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  return ::add16<Binary16>(a, b, rm, flags);
}
uint16_t fp::sub16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  return ::sub16<Binary16>(a, b, rm, flags);
}
uint16_t fp::mul16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  return ::mul16<Binary16>(a, b, rm, flags);
}
uint16_t fp::fma16(uint16_t a, uint16_t b, uint16_t c, RoundingMode rm,
                   uint8_t &flags) {
  return ::fma16<Binary16>(a, b, c, rm, flags);
}
uint16_t fp::min16(uint16_t a, uint16_t b, uint8_t &flags) {
  return minMax16<Binary16>(a, b, /*max=*/false, flags);
}
uint16_t fp::max16(uint16_t a, uint16_t b, uint8_t &flags) {
  return minMax16<Binary16>(a, b, /*max=*/true, flags);
}
uint16_t fp::addBf16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  return ::add16<BFloat16>(a, b, rm, flags);
}
uint16_t fp::subBf16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  return ::sub16<BFloat16>(a, b, rm, flags);
}
uint16_t fp::mulBf16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  return ::mul16<BFloat16>(a, b, rm, flags);
}
uint16_t fp::fmaBf16(uint16_t a, uint16_t b, uint16_t c, RoundingMode rm,
                     uint8_t &flags) {
  return ::fma16<BFloat16>(a, b, c, rm, flags);
}
uint16_t fp::minBf16(uint16_t a, uint16_t b, uint8_t &flags) {
  return minMax16<BFloat16>(a, b, /*max=*/false, flags);
}
uint16_t fp::maxBf16(uint16_t a, uint16_t b, uint8_t &flags) {
  return minMax16<BFloat16>(a, b, /*max=*/true, flags);
}

//===--- Binary16 only ----------------------------------------------------===//

uint16_t fp::div16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  if (nanIn2<Binary16>(a, b, flags))
    return CanonicalNaN16;
  double x = f16ToDouble(a), y = f16ToDouble(b);
  if ((x == 0 && y == 0) || (std::isinf(x) && std::isinf(y))) {
    flags |= NV;
    return CanonicalNaN16;
  }
  return doubleToF16(divOdd(x, y, flags), rm, flags);
}

uint16_t fp::sqrt16(uint16_t a, RoundingMode rm, uint8_t &flags) {
  if (isNaN16(a)) {
    if (isSNaN16(a))
      flags |= NV;
    return CanonicalNaN16;
  }
  double x = f16ToDouble(a);
  if (x < 0) {
    flags |= NV;
    return CanonicalNaN16;
  }
  return doubleToF16(sqrtOdd(x), rm, flags);
}

bool fp::eq16(uint16_t a, uint16_t b, uint8_t &flags) {
  if (isSNaN16(a) || isSNaN16(b))
    flags |= NV;
  return f16ToDouble(a) == f16ToDouble(b);
}
bool fp::lt16(uint16_t a, uint16_t b, uint8_t &flags) {
  if (isNaN16(a) || isNaN16(b))
    flags |= NV;
  return f16ToDouble(a) < f16ToDouble(b);
}
bool fp::le16(uint16_t a, uint16_t b, uint8_t &flags) {
  if (isNaN16(a) || isNaN16(b))
    flags |= NV;
  return f16ToDouble(a) <= f16ToDouble(b);
}

uint32_t fp::class16(uint16_t a) {
  uint32_t e = (a >> 10) & 0x1f, m = a & 0x3ff;
  return classify(a >> 15, e == 0x1f, e == 0, m == 0, a & 0x200);
}

//===--- Conversions ------------------------------------------------------===//

uint32_t fp::f16ToF32(uint16_t a, uint8_t &flags) {
  if (isNaN16(a)) {
    if (isSNaN16(a))
      flags |= NV;
    return CanonicalNaN32;
  }
  return doubleToF32(f16ToDouble(a), RNE, flags);
}

uint16_t fp::f32ToF16(uint32_t a, RoundingMode rm, uint8_t &flags) {
  if (isNaN32(a)) {
    if (isSNaN32(a))
      flags |= NV;
    return CanonicalNaN16;
  }
  return doubleToF16(f32ToDouble(a), rm, flags);
}

static double roundToInteger(double x, RoundingMode rm, uint8_t &flags) {
  double t = std::trunc(x);
  double frac = x - t; // Exact: x has at most 24 significant bits.
  if (frac == 0)
    return t;
  flags |= NX;
  double sgn = x < 0 ? -1.0 : 1.0, af = std::fabs(frac);
  switch (rm) {
  case RNE:
    if (af > 0.5 || (af == 0.5 && std::fmod(t, 2.0) != 0))
      t += sgn;
    break;
  case RTZ:
    break;
  case RDN:
    if (frac < 0)
      t -= 1;
    break;
  case RUP:
    if (frac > 0)
      t += 1;
    break;
  case RMM:
    if (af >= 0.5)
      t += sgn;
    break;
  }
  return t;
}

int32_t fp::toInt32(double x, RoundingMode rm, uint8_t &flags) {
  if (std::isnan(x)) {
    flags |= NV;
    return INT32_MAX;
  }
  uint8_t nx = 0;
  double t = roundToInteger(x, rm, nx);
  if (t > 2147483647.0) {
    flags |= NV;
    return INT32_MAX;
  }
  if (t < -2147483648.0) {
    flags |= NV;
    return INT32_MIN;
  }
  flags |= nx;
  return int32_t(t);
}

uint32_t fp::toUint32(double x, RoundingMode rm, uint8_t &flags) {
  if (std::isnan(x)) {
    flags |= NV;
    return UINT32_MAX;
  }
  uint8_t nx = 0;
  double t = roundToInteger(x, rm, nx);
  if (t > 4294967295.0) {
    flags |= NV;
    return UINT32_MAX;
  }
  if (t < 0) {
    flags |= NV;
    return 0;
  }
  flags |= nx;
  return uint32_t(t);
}

//===--- Expanding PULP operations -----------------------------------------===//

/// FP32 a * b of two 16-bit floats of format F: the product is exact in
/// double (at most 2 x 11 significant bits, exponents within double's).
template <typename F>
static uint32_t mulex16(uint16_t a, uint16_t b, RoundingMode rm,
                        uint8_t &flags) {
  if (nanIn2<F>(a, b, flags))
    return CanonicalNaN32;
  double p = F::toDouble(a) * F::toDouble(b);
  if (std::isnan(p)) {
    flags |= NV;
    return CanonicalNaN32;
  }
  return doubleToF32(p, rm, flags);
}

/// c(fp32) + a * b of two 16-bit floats of format F, one rounding.
template <typename F>
static uint32_t macex16(uint16_t a, uint16_t b, uint32_t c, RoundingMode rm,
                        uint8_t &flags) {
  double x = F::toDouble(a), y = F::toDouble(b), z = f32ToDouble(c);
  if (F::isNaN(a) || F::isNaN(b) || isNaN32(c)) {
    if (F::isSNaN(a) || F::isSNaN(b) || isSNaN32(c))
      flags |= NV;
    return CanonicalNaN32;
  }
  double special;
  if (fmaSpecial(x, y, z, flags, special))
    return doubleToF32(special, rm, flags);
  return doubleToF32(sum2(x * y, z, rm), rm, flags);
}

uint32_t fp::mulex(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags) {
  return mulex16<Binary16>(a, b, rm, flags);
}

uint32_t fp::macex(uint16_t a, uint16_t b, uint32_t c, RoundingMode rm,
                   uint8_t &flags) {
  return macex16<Binary16>(a, b, c, rm, flags);
}

uint32_t fp::mulexBf16(uint16_t a, uint16_t b, RoundingMode rm,
                       uint8_t &flags) {
  return mulex16<BFloat16>(a, b, rm, flags);
}

uint32_t fp::macexBf16(uint16_t a, uint16_t b, uint32_t c, RoundingMode rm,
                       uint8_t &flags) {
  return macex16<BFloat16>(a, b, c, rm, flags);
}

/// c + x0*y0 + x1*y1 in fp32 with one rounding; the inputs are exact doubles
/// of 16-bit formats (products exact), NaN inputs already handled.
static uint32_t dotpexExact(double x0, double y0, double x1, double y1,
                            double z, RoundingMode rm, uint8_t &flags) {
  if ((std::isinf(x0) && y0 == 0) || (std::isinf(y0) && x0 == 0) ||
      (std::isinf(x1) && y1 == 0) || (std::isinf(y1) && x1 == 0)) {
    flags |= NV;
    return CanonicalNaN32;
  }
  double p0 = x0 * y0, p1 = x1 * y1;
  if (std::isinf(p0) || std::isinf(p1) || std::isinf(z)) {
    double s = p0 + p1 + z;
    if (std::isnan(s))
      flags |= NV;
    return doubleToF32(s, rm, flags);
  }
  return doubleToF32(sum3(p0, p1, z, rm), rm, flags);
}

/// c + a0*b0 + a1*b1 in fp32 with one rounding (vfdotpex.s.h/.ah).
template <typename F>
static uint32_t dotpex16(uint16_t a0, uint16_t b0, uint16_t a1, uint16_t b1,
                         uint32_t c, RoundingMode rm, uint8_t &flags) {
  if (F::isNaN(a0) || F::isNaN(b0) || F::isNaN(a1) || F::isNaN(b1) ||
      isNaN32(c)) {
    if (F::isSNaN(a0) || F::isSNaN(b0) || F::isSNaN(a1) || F::isSNaN(b1) ||
        isSNaN32(c))
      flags |= NV;
    return CanonicalNaN32;
  }
  return dotpexExact(F::toDouble(a0), F::toDouble(b0), F::toDouble(a1),
                     F::toDouble(b1), f32ToDouble(c), rm, flags);
}

uint32_t fp::dotpex(uint16_t a0, uint16_t b0, uint16_t a1, uint16_t b1,
                    uint32_t c, RoundingMode rm, uint8_t &flags) {
  return dotpex16<Binary16>(a0, b0, a1, b1, c, rm, flags);
}

uint32_t fp::dotpexBf16(uint16_t a0, uint16_t b0, uint16_t a1, uint16_t b1,
                        uint32_t c, RoundingMode rm, uint8_t &flags) {
  return dotpex16<BFloat16>(a0, b0, a1, b1, c, rm, flags);
}

//===--- bfloat16 conversions ---------------------------------------------===//

uint32_t fp::bf16ToF32(uint16_t a, uint8_t &flags) {
  if (isNaNB(a)) {
    if (isSNaNB(a))
      flags |= NV;
    return CanonicalNaN32;
  }
  return uint32_t(a) << 16;
}

uint16_t fp::f32ToBf16(uint32_t a, RoundingMode rm, uint8_t &flags) {
  if (isNaN32(a)) {
    if (isSNaN32(a))
      flags |= NV;
    return CanonicalNaNBf16;
  }
  return doubleToBf16(f32ToDouble(a), rm, flags);
}

