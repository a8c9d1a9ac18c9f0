//===- ExecuteTest.cpp - Per-instruction semantics and timing -------------===//
//
// Each test assembles llvm-mc encodings (Encodings.def) into a program,
// runs it on a simulated core and compares registers with a host reference.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"
#include "pulptrain/sim/SoftFloat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <random>

using namespace pulptrain::sim;
using namespace pulptrain::sim::test;

namespace {

std::vector<uint32_t> operands() {
  std::vector<uint32_t> v = {0,          1,          0xffffffff, 0x80000000,
                             0x7fffffff, 0x00017fff, 0x8000ffff, 0x7f80017f,
                             0x12345678, 0xfedcba98, 0x00ff00ff, 0x0005fffb};
  std::mt19937 rng(5);
  for (int i = 0; i < 20; ++i)
    v.push_back(rng());
  return v;
}

/// Runs `text` with a1 = a, a2 = b, a0 = acc and returns a0.
uint32_t run1(const std::string &text, uint32_t a, uint32_t b,
              uint32_t acc = 0) {
  Harness h;
  RunResult r = h.exec({enc(text)}, acc, a, b);
  EXPECT_TRUE(r.ok) << text << ": " << r.error;
  return h.reg(10);
}

using Ref = std::function<uint32_t(uint32_t, uint32_t, uint32_t)>;

void checkAll(const std::string &text, const Ref &ref) {
  for (uint32_t a : operands())
    for (uint32_t b : {0x3u, 0x1fu, 0xfffffff0u, a * 2654435761u, ~a})
      ASSERT_EQ(run1(text, a, b, 0x01020304), ref(a, b, 0x01020304))
          << text << " a=" << std::hex << a << " b=" << b;
}

int32_t s16(uint32_t v) { return int16_t(v); }
int32_t s8(uint32_t v) { return int8_t(v); }

TEST(Execute, Rv32IM) {
  checkAll("add a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) { return a + b; });
  checkAll("sra a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t(int32_t(a) >> (b & 31));
  });
  checkAll("mulh a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t((int64_t(int32_t(a)) * int32_t(b)) >> 32);
  });
  checkAll("mulhsu a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t((int64_t(int32_t(a)) * int64_t(b)) >> 32);
  });
  checkAll("div a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    if (b == 0)
      return ~0u;
    if (a == 0x80000000u && b == ~0u)
      return a;
    return uint32_t(int32_t(a) / int32_t(b));
  });
  checkAll("remu a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return b ? a % b : a;
  });
}

TEST(Execute, CoreVAlu) {
  checkAll("cv.abs a0, a1", [](uint32_t a, uint32_t, uint32_t) {
    return int32_t(a) < 0 ? 0u - a : a;
  });
  checkAll("cv.sle a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t(int32_t(a) <= int32_t(b));
  });
  checkAll("cv.maxu a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return a > b ? a : b;
  });
  checkAll("cv.exths a0, a1", [](uint32_t a, uint32_t, uint32_t) {
    return uint32_t(s16(a));
  });
  checkAll("cv.extbz a0, a1", [](uint32_t a, uint32_t, uint32_t) {
    return a & 0xff;
  });
  // clip to [-2^4, 2^4 - 1].
  checkAll("cv.clip a0, a1, 5", [](uint32_t a, uint32_t, uint32_t) {
    int32_t v = int32_t(a);
    return uint32_t(v < -16 ? -16 : v > 15 ? 15 : v);
  });
  checkAll("cv.clipu a0, a1, 5", [](uint32_t a, uint32_t, uint32_t) {
    int32_t v = int32_t(a);
    return uint32_t(v < 0 ? 0 : v > 15 ? 15 : v);
  });
  checkAll("cv.clipr a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    int64_t v = int32_t(a), hi = int32_t(b), lo = -hi - 1;
    return uint32_t(v <= lo ? lo : v >= hi ? hi : v);
  });
  checkAll("cv.addn a0, a1, a2, 3", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t(int32_t(a + b) >> 3);
  });
  checkAll("cv.addurn a0, a1, a2, 3", [](uint32_t a, uint32_t b, uint32_t) {
    return (a + b + 4) >> 3;
  });
  checkAll("cv.subrn a0, a1, a2, 3", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t(int32_t(a - b + 4) >> 3);
  });
  checkAll("cv.addnr a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t acc) {
    return uint32_t(int32_t(acc + a) >> (b & 31));
  });
}

TEST(Execute, CoreVMac) {
  checkAll("cv.mac a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t acc) {
    return acc + a * b;
  });
  checkAll("cv.msu a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t acc) {
    return acc - a * b;
  });
  checkAll("cv.mulsn a0, a1, a2, 3", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t((s16(a) * s16(b)) >> 3);
  });
  checkAll("cv.mulhhurn a0, a1, a2, 3", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t((uint64_t(a >> 16) * (b >> 16) + 4) >> 3);
  });
  checkAll("cv.macsn a0, a1, a2, 3", [](uint32_t a, uint32_t b, uint32_t acc) {
    return uint32_t(int32_t(uint32_t(s16(a) * s16(b)) + acc) >> 3);
  });
}

/// Reference of a lane-wise CORE-V SIMD operation.
uint32_t simd(bool byte, uint32_t a, uint32_t b,
              const std::function<int64_t(int64_t, int64_t)> &f, bool sgn) {
  unsigned n = byte ? 4 : 2, w = byte ? 8 : 16;
  uint32_t mask = byte ? 0xff : 0xffff, r = 0;
  for (unsigned i = 0; i < n; ++i) {
    uint32_t ua = (a >> (i * w)) & mask, ub = (b >> (i * w)) & mask;
    int64_t x = sgn ? int64_t(byte ? s8(ua) : s16(ua)) : int64_t(ua);
    int64_t y = sgn ? int64_t(byte ? s8(ub) : s16(ub)) : int64_t(ub);
    r |= (uint32_t(f(x, y)) & mask) << (i * w);
  }
  return r;
}

TEST(Execute, CoreVSimdLanes) {
  struct Case {
    const char *op;
    bool sgn;
    std::function<int64_t(int64_t, int64_t)> f;
  };
  std::vector<Case> cases = {
      {"add", true, [](int64_t x, int64_t y) { return x + y; }},
      {"sub", true, [](int64_t x, int64_t y) { return x - y; }},
      {"avg", true, [](int64_t x, int64_t y) { return (x + y) >> 1; }},
      {"avgu", false, [](int64_t x, int64_t y) { return (x + y) >> 1; }},
      {"min", true, [](int64_t x, int64_t y) { return x < y ? x : y; }},
      {"maxu", false, [](int64_t x, int64_t y) { return x > y ? x : y; }},
      {"xor", false, [](int64_t x, int64_t y) { return x ^ y; }},
      {"cmpgt", true, [](int64_t x, int64_t y) { return x > y ? -1 : 0; }},
      {"cmpleu", false, [](int64_t x, int64_t y) { return x <= y ? -1 : 0; }},
      {"cmpne", false, [](int64_t x, int64_t y) { return x != y ? -1 : 0; }},
  };
  for (const Case &c : cases)
    for (bool byte : {false, true}) {
      std::string w = byte ? "b" : "h";
      uint32_t lanes = byte ? 0xff : 0xffff;
      auto splat = [&](uint32_t v) {
        v &= lanes;
        return byte ? v * 0x01010101u : v | (v << 16);
      };
      checkAll(std::string("cv.") + c.op + "." + w + " a0, a1, a2",
               [&](uint32_t a, uint32_t b, uint32_t) {
                 return simd(byte, a, b, c.f, c.sgn);
               });
      checkAll(std::string("cv.") + c.op + ".sc." + w + " a0, a1, a2",
               [&](uint32_t a, uint32_t b, uint32_t) {
                 return simd(byte, a, splat(b), c.f, c.sgn);
               });
      bool uimm = std::string(c.op) == "avgu" || std::string(c.op) == "maxu" ||
                  std::string(c.op) == "cmpleu";
      int imm = uimm ? 5 : -5;
      checkAll(std::string("cv.") + c.op + ".sci." + w + " a0, a1, " +
                   std::to_string(imm),
               [&](uint32_t a, uint32_t, uint32_t) {
                 return simd(byte, a, splat(uint32_t(imm)), c.f, c.sgn);
               });
    }
  // Shifts use the low bits of each lane of b.
  checkAll("cv.sra.h a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return simd(false, a, b, [](int64_t x, int64_t y) { return x >> (y & 15); },
                true);
  });
}

TEST(Execute, CoreVDotAndShuffle) {
  checkAll("cv.dotsp.h a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return uint32_t(s16(a) * s16(b) + s16(a >> 16) * s16(b >> 16));
  });
  checkAll("cv.sdotsp.b a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t acc) {
    int32_t s = 0;
    for (int i = 0; i < 4; ++i)
      s += s8(a >> (8 * i)) * s8(b >> (8 * i));
    return acc + uint32_t(s);
  });
  checkAll("cv.dotusp.b a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    int32_t s = 0;
    for (int i = 0; i < 4; ++i)
      s += int32_t((a >> (8 * i)) & 0xff) * s8(b >> (8 * i));
    return uint32_t(s);
  });
  checkAll("cv.sdotup.h a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t acc) {
    return acc + (a & 0xffff) * (b & 0xffff) + (a >> 16) * (b >> 16);
  });
  checkAll("cv.extract.b a0, a1, 3", [](uint32_t a, uint32_t, uint32_t) {
    return uint32_t(s8(a >> 24));
  });
  checkAll("cv.insert.h a0, a1, 1", [](uint32_t a, uint32_t, uint32_t acc) {
    return (acc & 0xffff) | (a << 16);
  });
  checkAll("cv.shuffle.b a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    uint32_t r = 0;
    for (int i = 0; i < 4; ++i)
      r |= ((a >> (8 * ((b >> (8 * i)) & 3))) & 0xff) << (8 * i);
    return r;
  });
  checkAll("cv.pack a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t) {
    return (a << 16) | (b & 0xffff);
  });
  checkAll("cv.packlo.b a0, a1, a2", [](uint32_t a, uint32_t b, uint32_t acc) {
    return (acc & 0xffff0000) | ((a & 0xff) << 8) | (b & 0xff);
  });
}

TEST(Execute, CoreVMemory) {
  uint32_t base = PULPTRAIN_L1_BASE + 0x100;
  uint32_t words[4] = {0x11223344, 0x8899aabb, 0xccddeeff, 0};
  struct Case {
    const char *text;
    uint32_t a0, a1; // Expected a0 and a1 (a1 = base, a2 = 6 before).
  } cases[] = {
      {"cv.lw a0, (a1), 4", 0x11223344, base + 4},
      {"cv.lh a0, (a1), a2", 0x3344, base + 6},
      {"cv.lhu a0, (a1), -2", 0x3344, base - 2},
      {"cv.lb a0, a2(a1)", 0xffffff99, base},
      {"cv.lbu a0, a2(a1)", 0x99, base},
      {"cv.lw a0, a2(a1)", 0, base}, // Misaligned: error, checked below.
      {"cv.elw a0, 8(a1)", 0xccddeeff, base},
  };
  for (const Case &c : cases) {
    Harness h;
    h.load({enc(c.text)});
    std::memcpy(h.l1(0x100), words, 16);
    h.reg(11) = base, h.reg(12) = 6;
    RunResult r = h.run();
    if (std::string(c.text) == "cv.lw a0, a2(a1)") {
      EXPECT_FALSE(r.ok);
      EXPECT_NE(r.error.find("misaligned 4-byte load from 0x10000106"),
                std::string::npos) << r.error;
      continue;
    }
    ASSERT_TRUE(r.ok) << c.text << ": " << r.error;
    EXPECT_EQ(h.reg(10), c.a0) << c.text;
    EXPECT_EQ(h.reg(11), c.a1) << c.text;
  }
  // Stores: cv.sw a0, (a1), 4 / cv.sh a0, a2(a1) / cv.sb a0, (a1), a2.
  Harness h;
  h.load({enc("cv.sw a0, (a1), 4"), enc("cv.sh a0, a2(a1)"),
          enc("cv.sb a0, (a1), a2")});
  h.reg(10) = 0xa1b2c3d4, h.reg(11) = base, h.reg(12) = 2;
  ASSERT_TRUE(h.run().ok) << h.result.error;
  uint32_t m[2];
  std::memcpy(m, h.l1(0x100), 8);
  EXPECT_EQ(m[0], 0xa1b2c3d4u);
  EXPECT_EQ(m[1], 0xc3d400d4u); // sh at base+6, then sb at base+4.
  EXPECT_EQ(h.reg(11), base + 4 + 2);
}

TEST(Execute, CoreVBranchImm) {
  Harness h;
  // cv.beqimm a0, 5, 16 skips 3 instructions (12 bytes) plus itself.
  h.load({enc("cv.beqimm a0, 5, 16"), enc("addi a0, a1, -2048"),
          enc("addi a0, a1, -2048"), enc("addi a0, a1, -2048")});
  h.reg(10) = 5;
  ASSERT_TRUE(h.run().ok);
  EXPECT_EQ(h.reg(10), 5u);
  EXPECT_EQ(h.counter(CntTakenBranches), 1u);
}

uint16_t halfOf(float f) {
  _Float16 h = _Float16(f);
  uint16_t b;
  std::memcpy(&b, &h, 2);
  return b;
}

TEST(Execute, Xfvec) {
  std::mt19937 rng(9);
  for (int i = 0; i < 300; ++i) {
    uint32_t a = rng(), b = rng(), acc = rng();
    auto lane = [](uint32_t v, int k) { return uint16_t(v >> (16 * k)); };
    auto hf = [](uint16_t x) {
      _Float16 h;
      std::memcpy(&h, &x, 2);
      return float(h);
    };
    auto canon = [](uint16_t x) {
      return (x & 0x7fff) > 0x7c00 ? uint16_t(0x7e00) : x;
    };
    uint32_t add = 0, mul = 0, mac = 0, macr = 0;
    uint8_t fl = 0;
    for (int k = 0; k < 2; ++k) {
      add |= uint32_t(canon(halfOf(hf(lane(a, k)) + hf(lane(b, k))))) << (16 * k);
      mul |= uint32_t(canon(halfOf(hf(lane(a, k)) * hf(lane(b, k))))) << (16 * k);
      mac |= uint32_t(fp::fma16(lane(a, k), lane(b, k), lane(acc, k), fp::RNE,
                                fl)) << (16 * k);
      macr |= uint32_t(fp::fma16(lane(a, k), lane(b, 0), lane(acc, k), fp::RNE,
                                 fl)) << (16 * k);
    }
    ASSERT_EQ(run1("vfadd.h a0, a1, a2", a, b), add) << std::hex << a << " " << b;
    ASSERT_EQ(run1("vfmul.h a0, a1, a2", a, b), mul);
    ASSERT_EQ(run1("vfmac.h a0, a1, a2", a, b, acc), mac);
    ASSERT_EQ(run1("vfmac.r.h a0, a1, a2", a, b, acc), macr);
    ASSERT_EQ(run1("vfdotpex.s.h a0, a1, a2", a, b, acc),
              fp::dotpex(lane(a, 0), lane(b, 0), lane(a, 1), lane(b, 1), acc,
                         fp::RNE, fl));
    ASSERT_EQ(run1("fmacex.s.h a0, a1, a2", a, b, acc),
              fp::macex(lane(a, 0), lane(b, 0), acc, fp::RNE, fl));
    ASSERT_EQ(run1("vfcpka.h.s a0, a1, a2", a, b),
              uint32_t(fp::f32ToF16(a, fp::RNE, fl)) |
                  (uint32_t(fp::f32ToF16(b, fp::RNE, fl)) << 16));
  }
  // 1.5 * 2.0 + 1.0 in both lanes, dot product 1*2 + 3*4 + 0.5 = 14.5.
  EXPECT_EQ(run1("vfmac.h a0, a1, a2", 0x3e003e00, 0x40004000, 0x3c003c00),
            0x44004400u);
  EXPECT_EQ(run1("vfdotpex.s.h a0, a1, a2", 0x42003c00, 0x44004000, 0x3f000000),
            0x41680000u);
  EXPECT_EQ(run1("vfcvt.s.h a0, a1", 0x1234bc00, 0), 0xbf800000u);
}

/// bfloat16 reference: the exact double `x` rounded to nearest even through
/// the classic bit trick on its binary32 bits; only valid when x is a float.
uint16_t bf16Of(double x) {
  if (std::isnan(x))
    return 0x7fc0;
  float f = float(x);
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return uint16_t((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}
double bfVal(uint16_t h) {
  uint32_t u = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
bool bfNaN(uint16_t h) { return (h & 0x7fff) > 0x7f80; }
/// x is exactly a binary32 (so bf16Of(x) rounds it once).
bool isFloat(double x) { return std::isnan(x) || double(float(x)) == x; }
/// a + b - RN(a + b), exactly (TwoSum).
double twoSumErr(double a, double b, double s) {
  double bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

TEST(Execute, XfvecBf16) {
  // Lane-wise .ah forms against a host model: the exact result in double
  // (checked to be an exact binary32, then rounded once to bf16).
  std::mt19937 rng(13);
  auto lanes = [&] {
    uint32_t v = 0;
    for (int k = 0; k < 2; ++k) {
      uint32_t x = rng() & 0xffff;
      if (rng() % 8) // Exponents near 1.0 keep sums exact in binary32.
        x = (x & 0x807f) | ((120 + rng() % 16) << 7);
      v |= x << (16 * k);
    }
    return v;
  };
  auto lane = [](uint32_t v, int k) { return uint16_t(v >> (16 * k)); };
  unsigned checked = 0;
  unsigned checkedMacex = 0;
  for (int i = 0; i < 400; ++i) {
    uint32_t a = lanes(), b = lanes(), acc = lanes();
    if (i % 50 == 0)
      a = (a & 0xffff0000) | 0x7fc1; // A NaN lane.
    struct Case {
      const char *text;
      bool rep;
      int kind; // 0 add, 1 sub, 2 mul, 3 mac
    };
    const Case cases[] = {
        {"vfadd.ah a0, a1, a2", false, 0},  {"vfsub.ah a0, a1, a2", false, 1},
        {"vfmul.ah a0, a1, a2", false, 2},  {"vfmac.ah a0, a1, a2", false, 3},
        {"vfadd.r.ah a0, a1, a2", true, 0}, {"vfsub.r.ah a0, a1, a2", true, 1},
        {"vfmul.r.ah a0, a1, a2", true, 2}, {"vfmac.r.ah a0, a1, a2", true, 3},
    };
    for (const Case &c : cases) {
      uint32_t expect = 0;
      bool exact = true;
      for (int k = 0; k < 2; ++k) {
        uint16_t p = lane(a, k), q = lane(b, c.rep ? 0 : k), z = lane(acc, k);
        double x = bfVal(p), y = bfVal(q), r;
        if (c.kind == 2) {
          r = x * y; // Exact: 16 significant bits.
        } else {
          double u = c.kind == 3 ? x * y : x;
          double v = c.kind == 3 ? bfVal(z) : c.kind == 1 ? -y : y;
          r = u + v;
          exact &= std::isnan(r) || std::isinf(r) || twoSumErr(u, v, r) == 0;
        }
        exact &= isFloat(r);
        expect |= uint32_t(bf16Of(r)) << (16 * k);
      }
      if (!exact)
        continue;
      ++checked;
      ASSERT_EQ(run1(c.text, a, b, acc), expect)
          << c.text << std::hex << " " << a << " " << b << " " << acc;
    }
    // min/max: the smaller/larger lane, NaN lanes give the other operand.
    uint32_t mn = 0, mx = 0, mnr = 0;
    for (int k = 0; k < 2; ++k) {
      uint16_t p = lane(a, k), q = lane(b, k), q0 = lane(b, 0);
      auto pick = [&](uint16_t x, uint16_t y, bool less) -> uint16_t {
        if (bfNaN(x))
          return bfNaN(y) ? 0x7fc0 : y;
        if (bfNaN(y))
          return x;
        if (bfVal(x) == bfVal(y))
          return ((x & 0x8000) != 0) == less ? x : y;
        return (bfVal(x) < bfVal(y)) == less ? x : y;
      };
      mn |= uint32_t(pick(p, q, true)) << (16 * k);
      mx |= uint32_t(pick(p, q, false)) << (16 * k);
      mnr |= uint32_t(pick(p, q0, true)) << (16 * k);
    }
    ASSERT_EQ(run1("vfmin.ah a0, a1, a2", a, b), mn);
    ASSERT_EQ(run1("vfmax.ah a0, a1, a2", a, b), mx);
    ASSERT_EQ(run1("vfmin.r.ah a0, a1, a2", a, b), mnr);
    // vfdotpex.s.ah with an fp32 accumulator: exact in double when the
    // TwoSum errors vanish, then rounded once to fp32 by the host.
    float accF;
    std::memcpy(&accF, &acc, 4);
    double p0 = bfVal(lane(a, 0)) * bfVal(lane(b, 0));
    double p1 = bfVal(lane(a, 1)) * bfVal(lane(b, 1));
    double s1 = p0 + p1, s2 = s1 + double(accF);
    if (!std::isnan(s2) && twoSumErr(p0, p1, s1) == 0 &&
        twoSumErr(s1, double(accF), s2) == 0 && std::fabs(s2) < 1e30 &&
        std::fabs(s2) > 1e-30) {
      float r = float(s2);
      uint32_t bits;
      std::memcpy(&bits, &r, 4);
      ASSERT_EQ(run1("vfdotpex.s.ah a0, a1, a2", a, b, acc), bits)
          << std::hex << a << " " << b << " " << acc;
      ++checked;
    }
    // fmacex.s.ah and fmulex.s.ah: lane 0 only, c + a*b exact in double
    // when the TwoSum error vanishes, then rounded once to fp32.
    double s3 = p0 + double(accF);
    if (!std::isnan(s3) && twoSumErr(p0, double(accF), s3) == 0 &&
        std::fabs(s3) < 1e30 && std::fabs(s3) > 1e-30) {
      float r = float(s3);
      uint32_t bits;
      std::memcpy(&bits, &r, 4);
      ASSERT_EQ(run1("fmacex.s.ah a0, a1, a2", a, b, acc), bits)
          << std::hex << a << " " << b << " " << acc;
      ++checkedMacex;
    }
    if (std::fabs(p0) < 1e30 && std::fabs(p0) > 1e-30) {
      float r = float(p0);
      uint32_t bits;
      std::memcpy(&bits, &r, 4);
      ASSERT_EQ(run1("fmulex.s.ah a0, a1, a2", a, b), bits)
          << std::hex << a << " " << b;
    }
  }
  EXPECT_GT(checked, 2000u);
  EXPECT_GT(checkedMacex, 200u); // Exact cases are rarer with one product.
  // fmacex.s.ah rounds once: 1 + 2^-24 is 1 in fp32 (ties to even), but
  // 1 + 1.5 * 2^-24 rounds up to 1 + 2^-23; the upper halves are ignored.
  EXPECT_EQ(run1("fmacex.s.ah a0, a1, a2", 0xffff33c0, 0x12343f80, 0x3f800000),
            0x3f800001u);
  EXPECT_EQ(run1("fmacex.s.ah a0, a1, a2", 0x00003380, 0x00003f80, 0x3f800000),
            0x3f800000u);
  // fmulex.s.ah: bf16 max squared overflows fp32 to infinity.
  EXPECT_EQ(run1("fmulex.s.ah a0, a1, a2", 0x7f7f, 0x7f7f), 0x7f800000u);
  // Replicate: lane 0 of rs2 (2.0) multiplies both lanes {1.5, 3.0}.
  EXPECT_EQ(run1("vfmul.r.ah a0, a1, a2", 0x40403fc0, 0x7fc04000), 0x40c04040u);
  // Single rounding of vfmac.ah: 1.0625^2 + 2^-30 rounds up (see
  // SoftFloatTest); lane 1: 1.5 * 2 + 1 = 4.
  EXPECT_EQ(run1("vfmac.ah a0, a1, a2", 0x3fc03f88, 0x40003f88, 0x3f803080),
            0x40803f91u);
  // Ties to even in add: 1 + 2^-8 -> 1.0; (1 + 2^-7) + 2^-8 -> 1 + 2^-6.
  EXPECT_EQ(run1("vfadd.ah a0, a1, a2", 0x3f813f80, 0x3b803b80), 0x3f823f80u);
  // NaN lanes are canonical.
  EXPECT_EQ(run1("vfadd.ah a0, a1, a2", 0x3f807f81, 0x3f803f80), 0x40007fc0u);
  // fp32 accumulation: 1 + 2^-24 + 2^-24 = 1 + 2^-23, 1*2 + 3*4 + 0.5 = 14.5.
  EXPECT_EQ(
      run1("vfdotpex.s.ah a0, a1, a2", 0x33803380, 0x3f803f80, 0x3f800000),
      0x3f800001u);
  EXPECT_EQ(
      run1("vfdotpex.s.ah a0, a1, a2", 0x40403f80, 0x40804000, 0x3f000000),
      0x41680000u);
  // Packing and conversions (rounding to nearest even).
  EXPECT_EQ(run1("vfcpka.ah.s a0, a1, a2", 0x3f808000, 0x40490fdb),
            0x40493f80u);
  EXPECT_EQ(run1("vfcvt.s.ah a0, a1", 0x1234bf80, 0), 0xbf800000u);
  EXPECT_EQ(run1("vfcvt.ah.s a0, a1", 0x3f818000, 0), 0x00003f82u);
}

TEST(Execute, XfvecBf16Macs) {
  // The 2-MAC forms count as their FP16 counterparts.
  for (const char *text : {"vfmac.ah a0, a1, a2", "vfmac.r.ah a0, a1, a2",
                           "vfdotpex.s.ah a0, a1, a2"}) {
    Harness h;
    RunResult r = h.exec({enc(text)}, 0, 0x3f803f80, 0x3f803f80);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(h.counter(CntMacs), 2u) << text;
    EXPECT_EQ(h.counter(CntFpOps), 1u) << text;
  }
  Harness h;
  ASSERT_TRUE(h.exec({enc("vfadd.ah a0, a1, a2")}).ok);
  EXPECT_EQ(h.counter(CntMacs), 0u);
}

TEST(Execute, ZhinxSignInjection) {
  // Results are sign-extended 16-bit values; inputs use only bits 15:0.
  EXPECT_EQ(run1("fsgnjn.h a0, a1, a2", 0x00000000, 0x00000000), 0xffff8000u);
  EXPECT_EQ(run1("fsgnjn.h a0, a1, a2", 0xffffbc00, 0x00003c00), 0xffffbc00u);
  EXPECT_EQ(run1("fsgnjx.h a0, a1, a2", 0xffffbc00, 0xffff8000), 0x00003c00u);
  EXPECT_EQ(run1("fsgnj.h a0, a1, a2", 0x12343c00, 0x00008000), 0xffffbc00u);
  EXPECT_EQ(run1("fadd.h a0, a1, a2", 0xdead3c00, 0xbeefbc00), 0u);
}

TEST(Execute, Csr) {
  Harness h(4);
  h.load({0xf1402573 /* csrr a0, mhartid */, 0xb0002673 /* csrr a2, mcycle */,
          0xb0202773 /* csrr a4, minstret */});
  ASSERT_TRUE(h.run().ok);
  for (unsigned c = 0; c < 4; ++c) {
    EXPECT_EQ(h.reg(10, c), c);
    EXPECT_EQ(h.reg(14, c), 2u);
  }
  EXPECT_EQ(h.reg(12, 0), 1u); // Issued in cycle 1.
}

//===--- Timing -------------------------------------------------------===//

uint64_t cyclesOf(std::vector<uint32_t> words, SimConfig cfg = SimConfig()) {
  Harness h;
  h.config = cfg;
  h.config.cores = 1;
  h.load(std::move(words));
  h.reg(11) = PULPTRAIN_L1_BASE + 0x100;
  h.reg(12) = 3;
  EXPECT_TRUE(h.run().ok) << h.result.error;
  return h.result.cycles;
}

// The EXIT sequence (lui + sw) costs 2 cycles.
TEST(Timing, LoadUseStall) {
  EXPECT_EQ(cyclesOf({enc("lw a0, 8(a1)"), enc("add a0, a1, a2")}), 2u + 2);
  EXPECT_EQ(cyclesOf({enc("lw a0, 8(a1)"), 0x00c50533 /* add a0, a0, a2 */}), 3u + 2);
  SimConfig c;
  c.loadUseStall = 3;
  EXPECT_EQ(cyclesOf({enc("lw a0, 8(a1)"), 0x00c50533 /* add a0, a0, a2 */}, c), 5u + 2);
}

TEST(Timing, BranchesAndJumps) {
  // Taken branch: 1 + 2; not taken: 1.
  EXPECT_EQ(cyclesOf({enc("bne a1, a2, 16"), 0x13, 0x13, 0x13}), 3u + 2);
  EXPECT_EQ(cyclesOf({enc("blt a1, a2, 16"), 0x13, 0x13, 0x13}), 4u + 2);
  // jal a0, 2048 leaves the program: use jal zero, 4 instead (1 + 1).
  EXPECT_EQ(cyclesOf({0x0040006f /* jal zero, 4 */}), 2u + 2);
}

TEST(Timing, MulDivFp) {
  EXPECT_EQ(cyclesOf({enc("mul a0, a1, a2")}), 1u + 2);
  EXPECT_EQ(cyclesOf({enc("mulh a0, a1, a2")}), 5u + 2);
  EXPECT_EQ(cyclesOf({enc("div a0, a1, a2")}), 35u + 2);
  EXPECT_EQ(cyclesOf({enc("fdiv.s a0, a1, a2")}), 11u + 2);
  // FP result latency 1: a dependent FP op right after stalls one cycle.
  EXPECT_EQ(cyclesOf({enc("fadd.s a0, a1, a2"), enc("fmadd.s a0, a1, a2, a3")}),
            2u + 2);
  EXPECT_EQ(cyclesOf({0x00c5f6d3 /* fadd.s a3, a1, a2 */, enc("fmadd.s a0, a1, a2, a3")}),
            3u + 2);
}

TEST(Timing, L2Latency) {
  uint32_t lwL2 = enc("lw a0, 8(a1)");
  Harness h;
  h.load({0x1c0005b7 /* lui a1, 0x1c000 */, lwL2});
  ASSERT_TRUE(h.run().ok);
  EXPECT_EQ(h.result.cycles, 1u + 10 + 2);
  EXPECT_EQ(h.counter(CntL2Access), 1u);
}

} // namespace
