//===- SoftFloatTest.cpp - FP32/FP16/BF16 arithmetic against references ---===//
//
// References: the host's IEEE binary32 arithmetic (in every directed
// rounding mode via fesetround), glibc's correctly rounded fmaf, clang's
// _Float16 (single operations round correctly through float), and an exact
// integer (__int128) model of fused operations with its own rounding.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/sim/SoftFloat.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace pulptrain::sim;
using namespace pulptrain::sim::fp;

namespace {

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
float fromBits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
uint16_t bitsOfH(_Float16 h) {
  uint16_t b;
  std::memcpy(&b, &h, 2);
  return b;
}
_Float16 fromBitsH(uint16_t b) {
  _Float16 h;
  std::memcpy(&h, &b, 2);
  return h;
}
bool isNaN32(uint32_t b) { return (b & 0x7fffffff) > 0x7f800000; }
bool isNaN16(uint16_t b) { return (b & 0x7fff) > 0x7c00; }

/// RISC-V result of a host computation: NaNs become the canonical NaN.
uint32_t canon32(uint32_t b) { return isNaN32(b) ? CanonicalNaN32 : b; }
uint16_t canon16(uint16_t b) { return isNaN16(b) ? CanonicalNaN16 : b; }

/// Interesting binary32 values plus random ones.
std::vector<uint32_t> values32(unsigned randomCount) {
  std::vector<uint32_t> v = {
      0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
      0x7fc00000, 0x7f800001, 0x00000001, 0x80000001, 0x007fffff, 0x00800000,
      0x7f7fffff, 0xff7fffff, 0x3eaaaaab, 0x40490fdb, 0x4b000001, 0x33800000,
      0x3f800001, 0x3fffffff, 0x00800001, 0x7f000000, 0x0c000000, 0x34000000};
  std::mt19937 rng(42);
  for (unsigned i = 0; i < randomCount; ++i) {
    uint32_t r = rng();
    if (i % 4 == 0) // Nearby exponents make cancellation and ties likely.
      r = (r & 0x807fffff) | ((0x7e + (rng() % 4)) << 23);
    v.push_back(r);
  }
  return v;
}

std::vector<uint16_t> values16(unsigned randomCount) {
  std::vector<uint16_t> v = {0x0000, 0x8000, 0x3c00, 0xbc00, 0x7c00, 0xfc00,
                             0x7e00, 0x7c01, 0x0001, 0x8001, 0x03ff, 0x0400,
                             0x7bff, 0xfbff, 0x3555, 0x4248, 0x6401, 0x1400,
                             0x3c01, 0x3bff, 0x0401, 0x7800, 0x2000};
  std::mt19937 rng(7);
  for (unsigned i = 0; i < randomCount; ++i)
    v.push_back(uint16_t(rng()));
  return v;
}

const int hostModes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
const RoundingMode simModes[] = {RNE, RTZ, RDN, RUP};

/// Volatile host operations so the compiler computes them at run time in
/// the current rounding mode.
/// The simulator itself always runs with the host in round-to-nearest.
#pragma STDC FENV_ACCESS ON
__attribute__((noinline)) float inMode(int mode, float (*op)(float, float, float), float a, float b,
             float c = 0) {
  std::fesetround(mode);
  volatile float va = a, vb = b, vc = c;
  float r = op(va, vb, vc);
  std::fesetround(FE_TONEAREST);
  return r;
}
__attribute__((noinline)) float hostAdd(float a, float b, float) { return a + b; }
__attribute__((noinline)) float hostSub(float a, float b, float) { return a - b; }
__attribute__((noinline)) float hostMul(float a, float b, float) { return a * b; }
__attribute__((noinline)) float hostDiv(float a, float b, float) { return a / b; }
__attribute__((noinline)) float hostSqrt(float a, float, float) { return std::sqrt(a); }
__attribute__((noinline)) float hostFma(float a, float b, float c) { return std::fmaf(a, b, c); }
#pragma STDC FENV_ACCESS OFF

TEST(SoftFloat, Binary32AllDirectedModes) {
  std::vector<uint32_t> v = values32(120);
  uint8_t flags = 0;
  for (unsigned m = 0; m < 4; ++m) {
    int hm = hostModes[m];
    for (uint32_t a : v) {
      float fa = fromBits(a);
      ASSERT_EQ(sqrt32(a, simModes[m], flags),
                canon32(bitsOf(inMode(hm, hostSqrt, fa, 0))))
          << std::hex << a << " mode " << m;
      for (uint32_t b : v) {
        float fb = fromBits(b);
        ASSERT_EQ(add32(a, b, simModes[m], flags),
                  canon32(bitsOf(inMode(hm, hostAdd, fa, fb))))
            << std::hex << a << " + " << b << " mode " << m;
        ASSERT_EQ(sub32(a, b, simModes[m], flags),
                  canon32(bitsOf(inMode(hm, hostSub, fa, fb))))
            << std::hex << a << " - " << b << " mode " << m;
        ASSERT_EQ(mul32(a, b, simModes[m], flags),
                  canon32(bitsOf(inMode(hm, hostMul, fa, fb))))
            << std::hex << a << " * " << b << " mode " << m;
        ASSERT_EQ(div32(a, b, simModes[m], flags),
                  canon32(bitsOf(inMode(hm, hostDiv, fa, fb))))
            << std::hex << a << " / " << b << " mode " << m;
      }
    }
  }
}

TEST(SoftFloat, Binary32FmaAllDirectedModes) {
  std::vector<uint32_t> v = values32(40);
  uint8_t flags = 0;
  for (unsigned m = 0; m < 4; ++m) {
    for (uint32_t a : v)
      for (uint32_t b : v)
        for (uint32_t c : v) {
          float r = inMode(hostModes[m], hostFma, fromBits(a), fromBits(b),
                           fromBits(c));
          ASSERT_EQ(fma32(a, b, c, simModes[m], flags), canon32(bitsOf(r)))
              << std::hex << a << " " << b << " " << c << " mode " << m;
        }
  }
}

TEST(SoftFloat, Binary32FmaRoundingCases) {
  uint8_t flags = 0;
  // (1 + 2^-23)^2 - 1 = 2^-22 + 2^-46: double rounding through float would
  // lose the 2^-46 term.
  EXPECT_EQ(fma32(0x3f800001, 0x3f800001, 0xbf800000, RNE, flags),
            bitsOf(std::fmaf(fromBits(0x3f800001), fromBits(0x3f800001), -1)));
  // A product exactly halfway in float plus a tiny addend.
  EXPECT_EQ(fma32(0x3f800001, 0x3f000000, 0x00000001, RNE, flags),
            bitsOf(std::fmaf(fromBits(0x3f800001), 0.5f, fromBits(1))));
  // Exact zero: +0 in RNE, -0 in RDN.
  EXPECT_EQ(fma32(0x3f800000, 0x3f800000, 0xbf800000, RNE, flags), 0u);
  EXPECT_EQ(fma32(0x3f800000, 0x3f800000, 0xbf800000, RDN, flags),
            0x80000000u);
  // inf * 0 + qNaN is invalid and canonical.
  flags = 0;
  EXPECT_EQ(fma32(0x7f800000, 0, 0x7fc00001, RNE, flags), CanonicalNaN32);
  EXPECT_TRUE(flags & NV);
}

TEST(SoftFloat, Binary16AgainstHost) {
  std::vector<uint16_t> v = values16(400);
  uint8_t flags = 0;
  for (uint16_t a : v) {
    _Float16 ha = fromBitsH(a);
    ASSERT_EQ(sqrt16(a, RNE, flags),
              canon16(bitsOfH(_Float16(std::sqrt(float(ha))))))
        << std::hex << a;
    ASSERT_EQ(f16ToF32(a, flags), canon32(bitsOf(float(ha)))) << std::hex << a;
    for (uint16_t b : v) {
      _Float16 hb = fromBitsH(b);
      ASSERT_EQ(add16(a, b, RNE, flags),
                canon16(bitsOfH(_Float16(float(ha) + float(hb)))))
          << std::hex << a << " + " << b;
      ASSERT_EQ(sub16(a, b, RNE, flags),
                canon16(bitsOfH(_Float16(float(ha) - float(hb)))))
          << std::hex << a << " - " << b;
      ASSERT_EQ(mul16(a, b, RNE, flags),
                canon16(bitsOfH(_Float16(float(ha) * float(hb)))))
          << std::hex << a << " * " << b;
      ASSERT_EQ(div16(a, b, RNE, flags),
                canon16(bitsOfH(_Float16(float(ha) / float(hb)))))
          << std::hex << a << " / " << b;
    }
  }
}

TEST(SoftFloat, Binary32ToBinary16) {
  uint8_t flags = 0;
  std::mt19937 rng(3);
  for (unsigned i = 0; i < 200000; ++i) {
    uint32_t a = rng();
    if (i % 2)
      a = (a & 0x81ffffff) | ((0x60 + rng() % 0x30) << 23); // Near fp16 range.
    ASSERT_EQ(f32ToF16(a, RNE, flags),
              canon16(bitsOfH(_Float16(fromBits(a)))))
        << std::hex << a;
  }
  // Ties, overflow, subnormals.
  EXPECT_EQ(f32ToF16(0x477ff000, RNE, flags), 0x7c00); // 65520 -> inf
  EXPECT_EQ(f32ToF16(0x477ff000, RTZ, flags), 0x7bff); // 65520 -> max
  EXPECT_EQ(f32ToF16(0x33000000, RNE, flags), 0x0000); // 2^-25 tie -> 0
  EXPECT_EQ(f32ToF16(0x33000001, RNE, flags), 0x0001);
  EXPECT_EQ(f32ToF16(0x33000000, RUP, flags), 0x0001);
  EXPECT_EQ(f32ToF16(0xb3000000, RMM, flags), 0x8001);
  EXPECT_EQ(f32ToF16(0x7f800001, RNE, flags), CanonicalNaN16);
}

/// Exact reference rounding of num * 2^exp2 to a binary format (RNE).
uint32_t refRound(__int128 num, int exp2, int mant, int expBits) {
  uint32_t sign = num < 0;
  unsigned __int128 m = sign ? -(unsigned __int128)num : num;
  uint32_t signOut = sign << (mant + expBits);
  if (m == 0)
    return signOut;
  int msb = 127;
  while (!((m >> msb) & 1))
    --msb;
  int bias = (1 << (expBits - 1)) - 1;
  int e = msb + exp2; // Value in [2^e, 2^(e+1)).
  int quantum = std::max(e, 1 - bias) - mant;
  int shift = quantum - exp2;
  unsigned __int128 q;
  if (shift <= 0) {
    q = m << -shift;
  } else if (shift > 127) {
    q = 0; // Far below half an ulp.
  } else {
    q = m >> shift;
    unsigned __int128 rem = m & ((((unsigned __int128)1) << shift) - 1);
    unsigned __int128 half = ((unsigned __int128)1) << (shift - 1);
    if (rem > half || (rem == half && (q & 1)))
      ++q;
  }
  // q is the significand in units of 2^quantum.
  if (q >> (mant + 1)) {
    q >>= 1;
    ++quantum;
  }
  int biased = (q >> mant) ? quantum + mant + bias : 0;
  if (biased >= (1 << expBits) - 1)
    return signOut | (((1u << expBits) - 1) << mant);
  return signOut | (uint32_t(biased) << mant) |
         (uint32_t(q) & ((1u << mant) - 1));
}

/// Exact value of a finite binary16 as mant * 2^exp.
void splitHalf(uint16_t h, __int128 &m, int &e) {
  int ex = (h >> 10) & 0x1f;
  int64_t f = h & 0x3ff;
  if (ex)
    f |= 0x400;
  e = (ex ? ex : 1) - 25;
  m = (h & 0x8000) ? -f : f;
}

TEST(SoftFloat, Binary16FmaExact) {
  std::vector<uint16_t> v = values16(60);
  uint8_t flags = 0;
  for (uint16_t a : v)
    for (uint16_t b : v)
      for (uint16_t c : v) {
        if (((a >> 10) & 0x1f) == 0x1f || ((b >> 10) & 0x1f) == 0x1f ||
            ((c >> 10) & 0x1f) == 0x1f)
          continue; // inf/NaN are covered by the QEMU differential test.
        __int128 ma, mb, mc;
        int ea, eb, ec;
        splitHalf(a, ma, ea);
        splitHalf(b, mb, eb);
        splitHalf(c, mc, ec);
        // All terms in units of 2^-48.
        __int128 sum = ((ma * mb) << (ea + eb + 48)) + (mc << (ec + 48));
        uint16_t expect = uint16_t(refRound(sum, -48, 10, 5));
        if (sum == 0)
          expect = ((a ^ b) & 0x8000) && (c & 0x8000) ? 0x8000 : 0;
        ASSERT_EQ(fma16(a, b, c, RNE, flags), expect)
            << std::hex << a << " " << b << " " << c;
      }
}

TEST(SoftFloat, DotpexExact) {
  // vfdotpex.s.h: c + a0*b0 + a1*b1 with one rounding to binary32.
  std::mt19937 rng(11);
  uint8_t flags = 0;
  std::vector<uint16_t> v = values16(0);
  for (unsigned i = 0; i < 200000; ++i) {
    uint16_t h[4];
    for (uint16_t &x : h) {
      x = uint16_t(rng());
      if (((x >> 10) & 0x1f) == 0x1f)
        x &= 0xbfff;
    }
    // c: a binary32 with |c| in [2^-60, 2^20), sometimes cancelling.
    uint32_t c = (rng() & 0x807fffff) | ((67 + rng() % 80) << 23);
    if (i % 3 == 0) {
      double p = fp::f16ToDouble(h[0]) * fp::f16ToDouble(h[1]);
      uint32_t pc = bitsOf(float(-p));
      if (std::fabs(p) > 1e-18 && std::fabs(p) < 1e6)
        c = pc;
    }
    __int128 m[4];
    int e[4];
    for (int k = 0; k < 4; ++k)
      splitHalf(h[k], m[k], e[k]);
    int ce = int((c >> 23) & 0xff);
    __int128 cm = (c & 0x7fffff) | (ce ? 0x800000 : 0);
    if (c >> 31)
      cm = -cm;
    int cexp = (ce ? ce : 1) - 150;
    // Units of 2^-84 (c's lsb is >= 2^-83 here, products' >= 2^-48).
    __int128 sum = ((m[0] * m[1]) << (e[0] + e[1] + 84)) +
                   ((m[2] * m[3]) << (e[2] + e[3] + 84)) + (cm << (cexp + 84));
    if (sum == 0)
      continue;
    uint32_t expect = refRound(sum, -84, 23, 8);
    ASSERT_EQ(dotpex(h[0], h[1], h[2], h[3], c, RNE, flags), expect)
        << std::hex << h[0] << " " << h[1] << " " << h[2] << " " << h[3]
        << " " << c;
    // fmacex: c + a*b.
    __int128 s2 = ((m[0] * m[1]) << (e[0] + e[1] + 84)) + (cm << (cexp + 84));
    if (s2 != 0)
      ASSERT_EQ(macex(h[0], h[1], c, RNE, flags), refRound(s2, -84, 23, 8));
  }
}

/// Exact value of a finite bfloat16 as mant * 2^exp.
void splitBf16(uint16_t h, __int128 &m, int &e) {
  int ex = (h >> 7) & 0xff;
  int64_t f = h & 0x7f;
  if (ex)
    f |= 0x80;
  e = (ex ? ex : 1) - 134;
  m = (h & 0x8000) ? -f : f;
}

/// Random finite bfloat16 values, exponents mostly within a window so sums
/// fit the __int128 model; every tenth one from the whole range.
std::vector<uint16_t> valuesBf16(unsigned randomCount, std::mt19937 &rng) {
  std::vector<uint16_t> v = {0x0000, 0x8000, 0x3f80, 0xbf80, 0x0001, 0x8001,
                             0x007f, 0x0080, 0x7f7f, 0xff7f, 0x3eab, 0x4049,
                             0x3f81, 0x3b80, 0x3c00, 0x4000, 0x3f7f};
  for (unsigned i = 0; i < randomCount; ++i) {
    uint16_t x = uint16_t(rng());
    if (i % 10)
      x = uint16_t((x & 0x807f) | ((112 + rng() % 32) << 7));
    else if (((x >> 7) & 0xff) == 0xff)
      x &= 0xbfff;
    v.push_back(x);
  }
  return v;
}

int expOf(__int128 m, int e) { return m == 0 ? INT32_MAX : e; }

TEST(SoftFloat, Bf16Exact) {
  // add/sub/mul/fma of bfloat16 against the exact integer model, RNE.
  std::mt19937 rng(17);
  std::vector<uint16_t> v = valuesBf16(60, rng);
  uint8_t flags = 0;
  for (uint16_t a : v)
    for (uint16_t b : v) {
      __int128 ma, mb;
      int ea, eb;
      splitBf16(a, ma, ea);
      splitBf16(b, mb, eb);
      __int128 p = ma * mb;
      uint16_t mulExpect = uint16_t(refRound(p, ea + eb, 7, 8));
      if (p == 0)
        mulExpect = (a ^ b) & 0x8000;
      ASSERT_EQ(mulBf16(a, b, RNE, flags), mulExpect)
          << std::hex << a << " * " << b;
      int base = std::min(expOf(ma, ea), expOf(mb, eb));
      if (base != INT32_MAX && std::max(ea, eb) - base <= 100) {
        __int128 sa = ma == 0 ? 0 : ma << (ea - base);
        __int128 sb = mb == 0 ? 0 : mb << (eb - base);
        if (sa + sb != 0)
          ASSERT_EQ(addBf16(a, b, RNE, flags), refRound(sa + sb, base, 7, 8))
              << std::hex << a << " + " << b;
        if (sa - sb != 0)
          ASSERT_EQ(subBf16(a, b, RNE, flags), refRound(sa - sb, base, 7, 8))
              << std::hex << a << " - " << b;
      }
      for (uint16_t c : v) {
        __int128 mc;
        int ec;
        splitBf16(c, mc, ec);
        int lo = std::min(expOf(p, ea + eb), expOf(mc, ec));
        if (lo == INT32_MAX)
          continue;
        __int128 sp = p == 0 ? 0 : p << (ea + eb - lo);
        __int128 sc = mc == 0 ? 0 : mc << (ec - lo);
        if ((p != 0 && ea + eb - lo > 100) || (mc != 0 && ec - lo > 100) ||
            sp + sc == 0)
          continue;
        ASSERT_EQ(fmaBf16(a, b, c, RNE, flags), refRound(sp + sc, lo, 7, 8))
            << std::hex << a << " " << b << " " << c;
      }
    }
}

TEST(SoftFloat, Bf16RoundingCases) {
  uint8_t flags = 0;
  // 1 + 2^-8 is a tie: to even 1.0; 1+2^-7 + 2^-8 ties to 1 + 2^-6.
  EXPECT_EQ(addBf16(0x3f80, 0x3b80, RNE, flags), 0x3f80);
  EXPECT_EQ(addBf16(0x3f81, 0x3b80, RNE, flags), 0x3f82);
  EXPECT_EQ(addBf16(0x3f80, 0x3b80, RUP, flags), 0x3f81);
  EXPECT_EQ(addBf16(0x3f80, 0x3b80, RMM, flags), 0x3f81);
  // 1 + 2^-100: far below half an ulp, only directed modes move.
  EXPECT_EQ(addBf16(0x3f80, 0x0d80, RNE, flags), 0x3f80);
  EXPECT_EQ(addBf16(0x3f80, 0x0d80, RUP, flags), 0x3f81);
  EXPECT_EQ(subBf16(0x3f80, 0x0d80, RTZ, flags), 0x3f7f);
  // x - x is +0, -0 in RDN.
  EXPECT_EQ(subBf16(0x4049, 0x4049, RNE, flags), 0x0000);
  EXPECT_EQ(subBf16(0x4049, 0x4049, RDN, flags), 0x8000);
  // Overflow: max * 2 is inf (RNE) or max (RTZ).
  EXPECT_EQ(mulBf16(0x7f7f, 0x4000, RNE, flags), 0x7f80);
  EXPECT_EQ(mulBf16(0x7f7f, 0x4000, RTZ, flags), 0x7f7f);
  // Subnormal results: 2^-126 * 2^-7 = min subnormal; * 2^-8 is a tie to 0.
  EXPECT_EQ(mulBf16(0x0080, 0x3c00, RNE, flags), 0x0001);
  EXPECT_EQ(mulBf16(0x0080, 0x3b80, RNE, flags), 0x0000);
  EXPECT_EQ(mulBf16(0x0080, 0x3b80, RUP, flags), 0x0001);
  // fma rounds once: 1.0625^2 = 1.125 + 2^-8 is a bf16 tie, + 2^-30 breaks
  // it upward (an fp32 intermediate would lose 2^-30 and round to even).
  EXPECT_EQ(fmaBf16(0x3f88, 0x3f88, 0x3080, RNE, flags), 0x3f91);
  EXPECT_EQ(fmaBf16(0x3f88, 0x3f88, 0x0000, RNE, flags), 0x3f90);
  // NaN: canonical result, NV only for signalling NaN and inf * 0.
  flags = 0;
  EXPECT_EQ(addBf16(0x7fc1, 0x3f80, RNE, flags), CanonicalNaNBf16);
  EXPECT_EQ(flags & NV, 0);
  EXPECT_EQ(mulBf16(0x7f81, 0x3f80, RNE, flags), CanonicalNaNBf16);
  EXPECT_TRUE(flags & NV);
  flags = 0;
  EXPECT_EQ(addBf16(0x7f80, 0xff80, RNE, flags), CanonicalNaNBf16);
  EXPECT_TRUE(flags & NV);
  flags = 0;
  EXPECT_EQ(fmaBf16(0x7f80, 0x0000, 0x3f80, RNE, flags), CanonicalNaNBf16);
  EXPECT_TRUE(flags & NV);
  flags = 0;
  EXPECT_EQ(minBf16(0x7fc0, 0xbf80, flags), 0xbf80);
  EXPECT_EQ(maxBf16(0x7fc0, 0x7f81, flags), CanonicalNaNBf16);
  EXPECT_TRUE(flags & NV);
  EXPECT_EQ(minBf16(0x8000, 0x0000, flags), 0x8000);
  EXPECT_EQ(maxBf16(0x8000, 0x0000, flags), 0x0000);
  EXPECT_EQ(minBf16(0x3f80, 0x4000, flags), 0x3f80);
  EXPECT_EQ(maxBf16(0xc000, 0xbf80, flags), 0xbf80);
}

TEST(SoftFloat, Bf16Conversions) {
  uint8_t flags = 0;
  std::mt19937 rng(23);
  for (unsigned i = 0; i < 200000; ++i) {
    uint32_t a = rng();
    if (((a >> 23) & 0xff) == 0xff)
      continue;
    __int128 m = (a & 0x7fffff) | (((a >> 23) & 0xff) ? 0x800000 : 0);
    int e = int(std::max<uint32_t>((a >> 23) & 0xff, 1)) - 150;
    uint16_t expect = m == 0 ? uint16_t(a >> 16)
                             : uint16_t(refRound(a >> 31 ? -m : m, e, 7, 8));
    ASSERT_EQ(f32ToBf16(a, RNE, flags), expect) << std::hex << a;
    uint16_t h = uint16_t(a);
    if ((h & 0x7fff) <= 0x7f80)
      ASSERT_EQ(bf16ToF32(h, flags), uint32_t(h) << 16);
  }
  EXPECT_EQ(f32ToBf16(0x3f808000, RNE, flags), 0x3f80); // Tie to even.
  EXPECT_EQ(f32ToBf16(0x3f818000, RNE, flags), 0x3f82);
  EXPECT_EQ(f32ToBf16(0x3f808000, RUP, flags), 0x3f81);
  EXPECT_EQ(f32ToBf16(0xbf808001, RDN, flags), 0xbf81);
  EXPECT_EQ(f32ToBf16(0x7f7fffff, RNE, flags), 0x7f80); // Overflow.
  EXPECT_EQ(f32ToBf16(0x7f7fffff, RTZ, flags), 0x7f7f);
  EXPECT_EQ(f32ToBf16(0x00008000, RNE, flags), 0x0000); // Subnormal tie.
  EXPECT_EQ(f32ToBf16(0x00018000, RNE, flags), 0x0002);
  flags = 0;
  EXPECT_EQ(f32ToBf16(0x7f800001, RNE, flags), CanonicalNaNBf16);
  EXPECT_TRUE(flags & NV);
  flags = 0;
  EXPECT_EQ(bf16ToF32(0x7fc1, flags), CanonicalNaN32);
  EXPECT_EQ(flags & NV, 0);
  EXPECT_EQ(bf16ToF32(0xff81, flags), CanonicalNaN32);
  EXPECT_TRUE(flags & NV);
}

TEST(SoftFloat, DotpexBf16Exact) {
  // vfdotpex.s.ah: c + a0*b0 + a1*b1 (bf16 inputs), one rounding to binary32.
  std::mt19937 rng(29);
  std::vector<uint16_t> pool = valuesBf16(4000, rng);
  uint8_t flags = 0;
  unsigned checked = 0, checkedMacex = 0;
  for (unsigned i = 0; i < 200000; ++i) {
    uint16_t h[4];
    for (uint16_t &x : h)
      x = pool[rng() % pool.size()];
    uint32_t c = (rng() & 0x807fffff) | ((100 + rng() % 60) << 23);
    if (i % 3 == 0) { // Cancel the first product.
      double p = bf16ToDouble(h[0]) * bf16ToDouble(h[1]);
      if (std::fabs(p) > 1e-30 && std::fabs(p) < 1e30)
        c = bitsOf(float(-p));
    }
    __int128 m[4];
    int e[4];
    for (int k = 0; k < 4; ++k)
      splitBf16(h[k], m[k], e[k]);
    int ce = int((c >> 23) & 0xff);
    __int128 cm = (c & 0x7fffff) | (ce ? 0x800000 : 0);
    if (c >> 31)
      cm = -cm;
    int cexp = (ce ? ce : 1) - 150;
    __int128 p0 = m[0] * m[1], p1 = m[2] * m[3];
    int lo = std::min(
        {expOf(p0, e[0] + e[1]), expOf(p1, e[2] + e[3]), expOf(cm, cexp)});
    int hi = std::max(
        {p0 ? e[0] + e[1] : lo, p1 ? e[2] + e[3] : lo, cm ? cexp : lo});
    if (lo == INT32_MAX || hi - lo > 96)
      continue;
    __int128 sum = (p0 ? p0 << (e[0] + e[1] - lo) : 0) +
                   (p1 ? p1 << (e[2] + e[3] - lo) : 0) +
                   (cm ? cm << (cexp - lo) : 0);
    if (sum == 0)
      continue;
    ++checked;
    ASSERT_EQ(dotpexBf16(h[0], h[1], h[2], h[3], c, RNE, flags),
              refRound(sum, lo, 23, 8))
        << std::hex << h[0] << " " << h[1] << " " << h[2] << " " << h[3] << " "
        << c;
    // fmacex.s.ah: c + a0*b0, the same model without the second product.
    int lo2 = std::min(expOf(p0, e[0] + e[1]), expOf(cm, cexp));
    int hi2 = std::max(p0 ? e[0] + e[1] : lo2, cm ? cexp : lo2);
    if (lo2 == INT32_MAX || hi2 - lo2 > 96)
      continue;
    __int128 sum2 =
        (p0 ? p0 << (e[0] + e[1] - lo2) : 0) + (cm ? cm << (cexp - lo2) : 0);
    if (sum2 != 0) {
      ++checkedMacex;
      ASSERT_EQ(macexBf16(h[0], h[1], c, RNE, flags),
                refRound(sum2, lo2, 23, 8))
          << std::hex << h[0] << " " << h[1] << " " << c;
    }
  }
  EXPECT_GT(checked, 100000u);
  EXPECT_GT(checkedMacex, 100000u);
  // Accumulation in fp32, rounded once: 1 + 2^-24 + 2^-24 = 1 + 2^-23
  // (rounding after each product would give 1.0 twice).
  EXPECT_EQ(dotpexBf16(0x3380, 0x3f80, 0x3380, 0x3f80, 0x3f800000, RNE, flags),
            0x3f800001u);
  flags = 0;
  EXPECT_EQ(dotpexBf16(0x7f80, 0x0000, 0x3f80, 0x3f80, 0, RNE, flags),
            CanonicalNaN32);
  EXPECT_TRUE(flags & NV);
  EXPECT_EQ(dotpexBf16(0x3f80, 0x3f80, 0x3f80, 0x3f80, 0x7fc00000, RNE, flags),
            CanonicalNaN32);
  EXPECT_EQ(dotpexBf16(0x7f80, 0x3f80, 0x3f80, 0x3f80, 0x3f800000, RNE, flags),
            0x7f800000u);
}

TEST(SoftFloat, Conversions) {
  uint8_t flags = 0;
  EXPECT_EQ(toInt32(2.5, RNE, flags), 2);
  EXPECT_EQ(toInt32(3.5, RNE, flags), 4);
  EXPECT_EQ(toInt32(-2.5, RMM, flags), -3);
  EXPECT_EQ(toInt32(-2.5, RDN, flags), -3);
  EXPECT_EQ(toInt32(-2.5, RUP, flags), -2);
  EXPECT_EQ(toInt32(1e10, RNE, flags), INT32_MAX);
  EXPECT_EQ(toInt32(-1e10, RNE, flags), INT32_MIN);
  EXPECT_EQ(toInt32(std::nan(""), RNE, flags), INT32_MAX);
  EXPECT_EQ(toUint32(-0.4, RNE, flags), 0u);
  EXPECT_EQ(toUint32(-1.0, RNE, flags), 0u);
  EXPECT_EQ(toUint32(5e9, RNE, flags), UINT32_MAX);
  EXPECT_EQ(doubleToF32(16777217.0, RNE, flags), 0x4b800000u);
  EXPECT_EQ(doubleToF32(16777217.0, RUP, flags), 0x4b800001u);
  EXPECT_EQ(doubleToF16(2049.0, RNE, flags), 0x6800); // Tie to even: 2048.
  EXPECT_EQ(doubleToF16(2051.0, RNE, flags), 0x6802); // Tie to even: 2052.
}

TEST(SoftFloat, MinMaxClass) {
  uint8_t flags = 0;
  EXPECT_EQ(min32(0x80000000, 0x00000000, flags), 0x80000000u);
  EXPECT_EQ(max32(0x80000000, 0x00000000, flags), 0x00000000u);
  EXPECT_EQ(min32(0x7fc00000, 0x3f800000, flags), 0x3f800000u);
  EXPECT_EQ(max32(0x7fc00001, 0x7f800001, flags), CanonicalNaN32);
  EXPECT_EQ(min16(0x7e00, 0xbc00, flags), 0xbc00);
  EXPECT_EQ(class32(0xff800000), 1u << 0);
  EXPECT_EQ(class32(0x80000001), 1u << 2);
  EXPECT_EQ(class32(0x7f800001), 1u << 8);
  EXPECT_EQ(class32(0x7fc00000), 1u << 9);
  EXPECT_EQ(class16(0x0001), 1u << 5);
  EXPECT_EQ(class16(0x3c00), 1u << 6);
}

} // namespace
