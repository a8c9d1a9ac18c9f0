//===- SoftFloatTest.cpp - FP32/FP16 arithmetic against references --------===//
//
// References: the host's IEEE binary32 arithmetic (in every directed
// rounding mode via fesetround), glibc's correctly rounded fmaf, clang's
// _Float16 (single operations round correctly through float), and an exact
// integer (__int128) model of fused operations with its own rounding.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/sim/SoftFloat.h"

#include <gtest/gtest.h>

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
