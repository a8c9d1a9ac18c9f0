//===- Execute.cpp - Semantics and cost of every instruction --------------===//
//
// One switch over Op. Each case updates the architectural state, sets the
// cycles the instruction occupies the core (`cost`, default 1) and the
// extra cycles until its result can be used (`latency`, default 0). An L1
// access that loses TCDM arbitration returns Exec::Retry before changing
// anything.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/sim/Cluster.h"
#include "pulptrain/sim/Core.h"
#include "pulptrain/sim/SoftFloat.h"

#include <cstring>

using namespace pulptrain::sim;

namespace {

bool isPeriph(uint32_t addr) {
  return (addr - PULPTRAIN_CLUSTER_PERIPH_BASE) < 0x00200000u ||
         (addr - PULPTRAIN_SOC_PERIPH_BASE) < 0x00100000u;
}

std::string hex(uint32_t v) {
  char buf[16];
  snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

uint32_t sext16(uint32_t v) { return uint32_t(int32_t(int16_t(v))); }
uint32_t sext8(uint32_t v) { return uint32_t(int32_t(int8_t(v))); }

/// Lane access for CORE-V SIMD: .h has 2 lanes of 16 bits, .b 4 of 8.
struct Lanes {
  unsigned n, w;
  uint32_t mask;
  explicit Lanes(bool byte) : n(byte ? 4 : 2), w(byte ? 8 : 16),
                              mask(byte ? 0xff : 0xffff) {}
  uint32_t u(uint32_t v, unsigned i) const { return (v >> (i * w)) & mask; }
  int32_t s(uint32_t v, unsigned i) const {
    return int32_t(u(v, i) << (32 - w)) >> (32 - w);
  }
  uint32_t set(uint32_t v, unsigned i, uint32_t lane) const {
    return (v & ~(mask << (i * w))) | ((lane & mask) << (i * w));
  }
  /// Replicates the low lane of v to all lanes.
  uint32_t splat(uint32_t v) const {
    v &= mask;
    return n == 2 ? v | (v << 16) : v * 0x01010101u;
  }
};

uint32_t lane16(uint32_t v, unsigned i) { return (v >> (16 * i)) & 0xffff; }

} // namespace

/// Reports a failed memory access; kept out of line (cold path).
__attribute__((noinline, cold)) static Exec
memoryError(Cluster &cl, Core &core, const char *what, unsigned size,
            uint32_t addr) {
  std::string msg;
  if (!std::strcmp(what, "misaligned-load") ||
      !std::strcmp(what, "misaligned-store"))
    msg = "misaligned " + std::to_string(size) + "-byte " +
          (what[11] == 'l' ? "load from " : "store to ") + hex(addr);
  else if (!std::strcmp(what, "code"))
    msg = "store to " + hex(addr) +
          ", which is in an executable (code) segment";
  else if (!std::strcmp(what, "periph-load"))
    msg = std::to_string(size) + "-byte load from peripheral register " +
          hex(addr) + " (registers need lw)";
  else if (!std::strcmp(what, "periph-store"))
    msg = std::to_string(size) + "-byte store to peripheral register " +
          hex(addr) + " (registers need sw)";
  else if (!std::strcmp(what, "l3-load") || !std::strcmp(what, "l3-store"))
    msg = std::string(what[3] == 'l' ? "load from " : "store to ") +
          hex(addr) +
          ", which is in L3: the cores cannot access L3, the L3 DMA copies "
          "it to L2";
  else if (!std::strcmp(what, "unmapped-load"))
    msg = "load from unmapped address " + hex(addr);
  else
    msg = "store to unmapped address " + hex(addr);
  return cl.fail(core, msg);
}

template <typename T>
__attribute__((always_inline)) inline Exec Core::load(uint32_t addr, T &value, uint64_t now, unsigned &cost,
                uint8_t rd) {
  if (__builtin_expect(addr & (sizeof(T) - 1), 0))
    return memoryError(cl_, *this, "misaligned-load", sizeof(T), addr);
  if (uint8_t *p = mem_.l1(addr, sizeof(T))) {
    if (!mem_.grantBank(addr, now))
      return Exec::Retry;
    std::memcpy(&value, p, sizeof(T));
    ++counters.total[CntLoads];
    return Exec::Done;
  }
  if (uint8_t *p = mem_.l2(addr, sizeof(T))) {
    std::memcpy(&value, p, sizeof(T));
    cost = cfg_.l2Latency;
    ++counters.total[CntL2Access];
    ++counters.total[CntLoads];
    counters.total[CntL2Stall] += cfg_.l2Latency - 1;
    return Exec::Done;
  }
  if (isPeriph(addr)) {
    if (sizeof(T) != 4)
      return memoryError(cl_, *this, "periph-load", sizeof(T), addr);
    uint32_t v;
    Exec e = cl_.periphRead(*this, addr, now, v, rd);
    value = T(v);
    if (e != Exec::Stop)
      ++counters.total[CntLoads];
    return e;
  }
  if (Memory::isL3Range(addr))
    return memoryError(cl_, *this, "l3-load", sizeof(T), addr);
  return memoryError(cl_, *this, "unmapped-load", sizeof(T), addr);
}

template <typename T>
__attribute__((always_inline)) inline Exec Core::store(uint32_t addr, T value, uint64_t now, unsigned &cost) {
  if (__builtin_expect(addr & (sizeof(T) - 1), 0))
    return memoryError(cl_, *this, "misaligned-store", sizeof(T), addr);
  if (__builtin_expect(mem_.isCode(addr, sizeof(T)), 0))
    return memoryError(cl_, *this, "code", sizeof(T), addr);
  if (uint8_t *p = mem_.l1(addr, sizeof(T))) {
    if (!mem_.grantBank(addr, now))
      return Exec::Retry;
    std::memcpy(p, &value, sizeof(T));
    ++counters.total[CntStores];
    return Exec::Done;
  }
  if (uint8_t *p = mem_.l2(addr, sizeof(T))) {
    std::memcpy(p, &value, sizeof(T));
    cost = cfg_.l2Latency;
    ++counters.total[CntL2Access];
    ++counters.total[CntStores];
    counters.total[CntL2Stall] += cfg_.l2Latency - 1;
    return Exec::Done;
  }
  if (isPeriph(addr)) {
    if (sizeof(T) != 4)
      return memoryError(cl_, *this, "periph-store", sizeof(T), addr);
    ++counters.total[CntStores];
    return cl_.periphWrite(*this, addr, uint32_t(value), now);
  }
  if (Memory::isL3Range(addr))
    return memoryError(cl_, *this, "l3-store", sizeof(T), addr);
  return memoryError(cl_, *this, "unmapped-store", sizeof(T), addr);
}

Exec Core::execute(const DecodedInst &d, uint64_t now, unsigned &cost,
                   unsigned &latency) {
  using namespace fp;
  uint32_t a = x[d.rs1], b = x[d.rs2];
  uint32_t next = pc + d.len;
  uint32_t r = 0;          // Result for rd.
  bool writesRd = true;
  Exec status = Exec::Done;
  uint8_t fflags = 0;
  RoundingMode rm = RNE;

#define LOAD(T, ADDR, CONV)                                                    \
  {                                                                            \
    T v;                                                                       \
    status = load<T>(ADDR, v, now, cost, d.rd);                                \
    if (status == Exec::Retry || status == Exec::Stop)                         \
      return status;                                                           \
    r = CONV(v);                                                               \
    latency = cfg_.loadUseStall;                                               \
  }
#define STORE(T, ADDR)                                                         \
  {                                                                            \
    status = store<T>(ADDR, T(b), now, cost);                                  \
    if (status == Exec::Retry || status == Exec::Stop)                         \
      return status;                                                           \
    writesRd = false;                                                          \
  }
#define BRANCH(COND)                                                           \
  {                                                                            \
    ++counters.total[CntBranches];                                             \
    if (COND) {                                                                \
      next = pc + uint32_t(d.imm);                                             \
      cost += cfg_.branchPenalty;                                              \
      counters.total[CntBranchStall] += cfg_.branchPenalty;                    \
      ++counters.total[CntTakenBranches];                                      \
    }                                                                          \
    writesRd = false;                                                          \
  }
#define FP_RM()                                                                \
  {                                                                            \
    unsigned m = d.rm == 7 ? (fcsr >> 5) & 7 : d.rm;                           \
    if (m > 4)                                                                 \
      return cl_.fail(*this, "illegal rounding mode " + std::to_string(m));    \
    rm = RoundingMode(m);                                                      \
  }
#define FP_DYN()                                                               \
  {                                                                            \
    unsigned m = (fcsr >> 5) & 7;                                              \
    if (m > 4)                                                                 \
      return cl_.fail(*this, "illegal rounding mode " + std::to_string(m));    \
    rm = RoundingMode(m);                                                      \
  }
#define H(v) uint16_t(v)
#define SEXT_H(v) sext16(uint32_t(v))

  switch (d.op) {
  case Op::Illegal:
  case Op::NumOps:
    return cl_.fail(*this, "illegal instruction");
  // RV32I.
  case Op::Lui: r = uint32_t(d.imm); break;
  case Op::Auipc: r = pc + uint32_t(d.imm); break;
  case Op::Jal:
    r = next;
    next = pc + uint32_t(d.imm);
    cost += cfg_.jumpPenalty;
    counters.total[CntBranchStall] += cfg_.jumpPenalty;
    break;
  case Op::Jalr:
    r = next;
    next = (a + uint32_t(d.imm)) & ~1u;
    cost += cfg_.jumpPenalty;
    counters.total[CntBranchStall] += cfg_.jumpPenalty;
    break;
  case Op::Beq: BRANCH(a == b); break;
  case Op::Bne: BRANCH(a != b); break;
  case Op::Blt: BRANCH(int32_t(a) < int32_t(b)); break;
  case Op::Bge: BRANCH(int32_t(a) >= int32_t(b)); break;
  case Op::Bltu: BRANCH(a < b); break;
  case Op::Bgeu: BRANCH(a >= b); break;
  case Op::Lb: LOAD(uint8_t, a + d.imm, sext8); break;
  case Op::Lh: LOAD(uint16_t, a + d.imm, sext16); break;
  case Op::Lw: LOAD(uint32_t, a + d.imm, uint32_t); break;
  case Op::Lbu: LOAD(uint8_t, a + d.imm, uint32_t); break;
  case Op::Lhu: LOAD(uint16_t, a + d.imm, uint32_t); break;
  case Op::Sb: STORE(uint8_t, a + d.imm); break;
  case Op::Sh: STORE(uint16_t, a + d.imm); break;
  case Op::Sw: STORE(uint32_t, a + d.imm); break;
  case Op::Addi: r = a + uint32_t(d.imm); break;
  case Op::Slti: r = int32_t(a) < d.imm; break;
  case Op::Sltiu: r = a < uint32_t(d.imm); break;
  case Op::Xori: r = a ^ uint32_t(d.imm); break;
  case Op::Ori: r = a | uint32_t(d.imm); break;
  case Op::Andi: r = a & uint32_t(d.imm); break;
  case Op::Slli: r = a << d.imm; break;
  case Op::Srli: r = a >> d.imm; break;
  case Op::Srai: r = uint32_t(int32_t(a) >> d.imm); break;
  case Op::Add: r = a + b; break;
  case Op::Sub: r = a - b; break;
  case Op::Sll: r = a << (b & 31); break;
  case Op::Slt: r = int32_t(a) < int32_t(b); break;
  case Op::Sltu: r = a < b; break;
  case Op::Xor: r = a ^ b; break;
  case Op::Srl: r = a >> (b & 31); break;
  case Op::Sra: r = uint32_t(int32_t(a) >> (b & 31)); break;
  case Op::Or: r = a | b; break;
  case Op::And: r = a & b; break;
  case Op::Fence:
  case Op::FenceI:
  case Op::Wfi:
    writesRd = false;
    break;
  case Op::Ecall:
    return cl_.fail(*this, "ecall is not supported; programs end by writing "
                           "the EXIT register (platform.h)");
  case Op::Ebreak:
    return cl_.fail(*this, "ebreak: breakpoint reached");
  case Op::Mret:
    return cl_.fail(*this, "mret is not supported (no traps or interrupts)");
  // Zicsr.
  case Op::Csrrw: case Op::Csrrs: case Op::Csrrc:
  case Op::Csrrwi: case Op::Csrrsi: case Op::Csrrci: {
    unsigned csr = uint32_t(d.imm) & 0xfff;
    bool imm = d.op >= Op::Csrrwi;
    uint32_t src = imm ? uint32_t(d.imm) >> 16 : a;
    unsigned srcReg = imm ? src : d.rs1;
    uint32_t old = 0;
    if (!csrAccess(csr, old, false, 0, now))
      return cl_.fail(*this, "unsupported CSR " + hex(csr));
    bool write = true;
    uint32_t nv = src;
    if (d.op == Op::Csrrs || d.op == Op::Csrrsi)
      write = srcReg != 0, nv = old | src;
    else if (d.op == Op::Csrrc || d.op == Op::Csrrci)
      write = srcReg != 0, nv = old & ~src;
    if (write && !csrAccess(csr, old, true, nv, now))
      return cl_.fail(*this, "write to read-only CSR " + hex(csr));
    r = old;
    break;
  }
  // M.
  case Op::Mul: r = a * b; break;
  case Op::Mulh:
    r = uint32_t((int64_t(int32_t(a)) * int64_t(int32_t(b))) >> 32);
    cost = cfg_.mulhCycles;
    counters.total[CntMulDivStall] += cost - 1;
    break;
  case Op::Mulhsu:
    r = uint32_t((int64_t(int32_t(a)) * int64_t(uint64_t(b))) >> 32);
    cost = cfg_.mulhCycles;
    counters.total[CntMulDivStall] += cost - 1;
    break;
  case Op::Mulhu:
    r = uint32_t((uint64_t(a) * uint64_t(b)) >> 32);
    cost = cfg_.mulhCycles;
    counters.total[CntMulDivStall] += cost - 1;
    break;
  case Op::Div:
    r = b == 0 ? ~0u
        : (a == 0x80000000u && b == ~0u) ? a
                                         : uint32_t(int32_t(a) / int32_t(b));
    cost = cfg_.divCycles;
    counters.total[CntMulDivStall] += cost - 1;
    break;
  case Op::Divu:
    r = b == 0 ? ~0u : a / b;
    cost = cfg_.divCycles;
    counters.total[CntMulDivStall] += cost - 1;
    break;
  case Op::Rem:
    r = b == 0 ? a
        : (a == 0x80000000u && b == ~0u) ? 0
                                         : uint32_t(int32_t(a) % int32_t(b));
    cost = cfg_.divCycles;
    counters.total[CntMulDivStall] += cost - 1;
    break;
  case Op::Remu:
    r = b == 0 ? a : a % b;
    cost = cfg_.divCycles;
    counters.total[CntMulDivStall] += cost - 1;
    break;

  // Zfinx.
  case Op::FaddS: FP_RM(); r = add32(a, b, rm, fflags); break;
  case Op::FsubS: FP_RM(); r = sub32(a, b, rm, fflags); break;
  case Op::FmulS: FP_RM(); r = mul32(a, b, rm, fflags); break;
  case Op::FdivS: FP_RM(); r = div32(a, b, rm, fflags); cost = cfg_.fdivCycles; break;
  case Op::FsqrtS: FP_RM(); r = sqrt32(a, rm, fflags); cost = cfg_.fdivCycles; break;
  case Op::FsgnjS: r = (a & 0x7fffffff) | (b & 0x80000000); break;
  case Op::FsgnjnS: r = (a & 0x7fffffff) | (~b & 0x80000000); break;
  case Op::FsgnjxS: r = a ^ (b & 0x80000000); break;
  case Op::FminS: r = min32(a, b, fflags); break;
  case Op::FmaxS: r = max32(a, b, fflags); break;
  case Op::FeqS: r = eq32(a, b, fflags); break;
  case Op::FltS: r = lt32(a, b, fflags); break;
  case Op::FleS: r = le32(a, b, fflags); break;
  case Op::FclassS: r = class32(a); break;
  case Op::FcvtWS: FP_RM(); r = uint32_t(toInt32(f32ToDouble(a), rm, fflags)); break;
  case Op::FcvtWuS: FP_RM(); r = toUint32(f32ToDouble(a), rm, fflags); break;
  case Op::FcvtSW: FP_RM(); r = doubleToF32(double(int32_t(a)), rm, fflags); break;
  case Op::FcvtSWu: FP_RM(); r = doubleToF32(double(a), rm, fflags); break;
  case Op::FmaddS: FP_RM(); r = fma32(a, b, x[d.rs3], rm, fflags); break;
  case Op::FmsubS: FP_RM(); r = fma32(a, b, x[d.rs3] ^ 0x80000000u, rm, fflags); break;
  case Op::FnmsubS: FP_RM(); r = fma32(a ^ 0x80000000u, b, x[d.rs3], rm, fflags); break;
  case Op::FnmaddS: FP_RM(); r = fma32(a ^ 0x80000000u, b, x[d.rs3] ^ 0x80000000u, rm, fflags); break;
  // Zhinx: operands are the low 16 bits, results are sign-extended.
  case Op::FaddH: FP_RM(); r = SEXT_H(add16(H(a), H(b), rm, fflags)); break;
  case Op::FsubH: FP_RM(); r = SEXT_H(sub16(H(a), H(b), rm, fflags)); break;
  case Op::FmulH: FP_RM(); r = SEXT_H(mul16(H(a), H(b), rm, fflags)); break;
  case Op::FdivH: FP_RM(); r = SEXT_H(div16(H(a), H(b), rm, fflags)); cost = cfg_.fdivCycles; break;
  case Op::FsqrtH: FP_RM(); r = SEXT_H(sqrt16(H(a), rm, fflags)); cost = cfg_.fdivCycles; break;
  case Op::FsgnjH: r = SEXT_H((a & 0x7fff) | (b & 0x8000)); break;
  case Op::FsgnjnH: r = SEXT_H((a & 0x7fff) | (~b & 0x8000)); break;
  case Op::FsgnjxH: r = SEXT_H((a & 0xffff) ^ (b & 0x8000)); break;
  case Op::FminH: r = SEXT_H(min16(H(a), H(b), fflags)); break;
  case Op::FmaxH: r = SEXT_H(max16(H(a), H(b), fflags)); break;
  case Op::FeqH: r = eq16(H(a), H(b), fflags); break;
  case Op::FltH: r = lt16(H(a), H(b), fflags); break;
  case Op::FleH: r = le16(H(a), H(b), fflags); break;
  case Op::FclassH: r = class16(H(a)); break;
  case Op::FcvtWH: FP_RM(); r = uint32_t(toInt32(f16ToDouble(H(a)), rm, fflags)); break;
  case Op::FcvtWuH: FP_RM(); r = toUint32(f16ToDouble(H(a)), rm, fflags); break;
  case Op::FcvtHW: FP_RM(); r = SEXT_H(doubleToF16(double(int32_t(a)), rm, fflags)); break;
  case Op::FcvtHWu: FP_RM(); r = SEXT_H(doubleToF16(double(a), rm, fflags)); break;
  case Op::FcvtSH: r = f16ToF32(H(a), fflags); break;
  case Op::FcvtHS: FP_RM(); r = SEXT_H(f32ToF16(a, rm, fflags)); break;
  case Op::FmaddH: FP_RM(); r = SEXT_H(fma16(H(a), H(b), H(x[d.rs3]), rm, fflags)); break;
  case Op::FmsubH: FP_RM(); r = SEXT_H(fma16(H(a), H(b), H(x[d.rs3] ^ 0x8000u), rm, fflags)); break;
  case Op::FnmsubH: FP_RM(); r = SEXT_H(fma16(H(a ^ 0x8000u), H(b), H(x[d.rs3]), rm, fflags)); break;
  case Op::FnmaddH: FP_RM(); r = SEXT_H(fma16(H(a ^ 0x8000u), H(b), H(x[d.rs3] ^ 0x8000u), rm, fflags)); break;

  // PULP FP16 SIMD: lane 0 is bits 15:0; .r forms replicate lane 0 of rs2.
  case Op::VfaddH: case Op::VfsubH: case Op::VfmulH: case Op::VfminH:
  case Op::VfmaxH: case Op::VfmacH: case Op::VfaddRH: case Op::VfsubRH:
  case Op::VfmulRH: case Op::VfminRH: case Op::VfmaxRH: case Op::VfmacRH: {
    FP_DYN();
    bool rep = d.op >= Op::VfaddRH && d.op <= Op::VfmacRH;
    uint32_t acc = x[d.rd];
    for (unsigned i = 0; i < 2; ++i) {
      uint16_t p = uint16_t(lane16(a, i)), q = uint16_t(lane16(b, rep ? 0 : i));
      uint16_t o = 0;
      switch (d.op) {
      case Op::VfaddH: case Op::VfaddRH: o = add16(p, q, rm, fflags); break;
      case Op::VfsubH: case Op::VfsubRH: o = sub16(p, q, rm, fflags); break;
      case Op::VfmulH: case Op::VfmulRH: o = mul16(p, q, rm, fflags); break;
      case Op::VfminH: case Op::VfminRH: o = min16(p, q, fflags); break;
      case Op::VfmaxH: case Op::VfmaxRH: o = max16(p, q, fflags); break;
      default: o = fma16(p, q, uint16_t(lane16(acc, i)), rm, fflags); break;
      }
      r |= uint32_t(o) << (16 * i);
    }
    break;
  }
  case Op::VfdotpexSH:
    FP_DYN();
    r = dotpex(H(lane16(a, 0)), H(lane16(b, 0)), H(lane16(a, 1)),
               H(lane16(b, 1)), x[d.rd], rm, fflags);
    break;
  case Op::VfcpkaHS:
    FP_DYN();
    r = uint32_t(f32ToF16(a, rm, fflags)) |
        (uint32_t(f32ToF16(b, rm, fflags)) << 16);
    break;
  case Op::VfcvtSH: r = f16ToF32(H(a), fflags); break;
  case Op::VfcvtHS: FP_DYN(); r = f32ToF16(a, rm, fflags); break;
  case Op::FmulexSH: FP_DYN(); r = mulex(H(a), H(b), rm, fflags); break;
  case Op::FmacexSH: FP_DYN(); r = macex(H(a), H(b), x[d.rd], rm, fflags); break;

  // PULP bfloat16 ("alt-half", .ah) SIMD: as the FP16 forms, bf16 lanes.
  case Op::VfaddAH: case Op::VfsubAH: case Op::VfmulAH: case Op::VfminAH:
  case Op::VfmaxAH: case Op::VfmacAH: case Op::VfaddRAH: case Op::VfsubRAH:
  case Op::VfmulRAH: case Op::VfminRAH: case Op::VfmaxRAH: case Op::VfmacRAH: {
    FP_DYN();
    bool rep = d.op >= Op::VfaddRAH && d.op <= Op::VfmacRAH;
    uint32_t acc = x[d.rd];
    for (unsigned i = 0; i < 2; ++i) {
      uint16_t p = uint16_t(lane16(a, i)), q = uint16_t(lane16(b, rep ? 0 : i));
      uint16_t o = 0;
      switch (d.op) {
      case Op::VfaddAH: case Op::VfaddRAH: o = addBf16(p, q, rm, fflags); break;
      case Op::VfsubAH: case Op::VfsubRAH: o = subBf16(p, q, rm, fflags); break;
      case Op::VfmulAH: case Op::VfmulRAH: o = mulBf16(p, q, rm, fflags); break;
      case Op::VfminAH: case Op::VfminRAH: o = minBf16(p, q, fflags); break;
      case Op::VfmaxAH: case Op::VfmaxRAH: o = maxBf16(p, q, fflags); break;
      default: o = fmaBf16(p, q, uint16_t(lane16(acc, i)), rm, fflags); break;
      }
      r |= uint32_t(o) << (16 * i);
    }
    break;
  }
  case Op::VfdotpexSAH:
    FP_DYN();
    r = dotpexBf16(H(lane16(a, 0)), H(lane16(b, 0)), H(lane16(a, 1)),
                   H(lane16(b, 1)), x[d.rd], rm, fflags);
    break;
  case Op::VfcpkaAHS:
    FP_DYN();
    r = uint32_t(f32ToBf16(a, rm, fflags)) |
        (uint32_t(f32ToBf16(b, rm, fflags)) << 16);
    break;
  case Op::VfcvtSAH: r = bf16ToF32(H(a), fflags); break;
  case Op::VfcvtAHS: FP_DYN(); r = f32ToBf16(a, rm, fflags); break;
  case Op::FmulexSAH: FP_DYN(); r = mulexBf16(H(a), H(b), rm, fflags); break;
  case Op::FmacexSAH:
    FP_DYN();
    r = macexBf16(H(a), H(b), x[d.rd], rm, fflags);
    break;

  // CORE-V memory.
  case Op::CvLbPi: LOAD(uint8_t, a, sext8); x[d.rs1] = a + d.imm; break;
  case Op::CvLhPi: LOAD(uint16_t, a, sext16); x[d.rs1] = a + d.imm; break;
  case Op::CvLwPi: LOAD(uint32_t, a, uint32_t); x[d.rs1] = a + d.imm; break;
  case Op::CvLbuPi: LOAD(uint8_t, a, uint32_t); x[d.rs1] = a + d.imm; break;
  case Op::CvLhuPi: LOAD(uint16_t, a, uint32_t); x[d.rs1] = a + d.imm; break;
  case Op::CvElw: LOAD(uint32_t, a + d.imm, uint32_t); break;
  case Op::CvLbRi: LOAD(uint8_t, a, sext8); x[d.rs1] = a + b; break;
  case Op::CvLhRi: LOAD(uint16_t, a, sext16); x[d.rs1] = a + b; break;
  case Op::CvLwRi: LOAD(uint32_t, a, uint32_t); x[d.rs1] = a + b; break;
  case Op::CvLbuRi: LOAD(uint8_t, a, uint32_t); x[d.rs1] = a + b; break;
  case Op::CvLhuRi: LOAD(uint16_t, a, uint32_t); x[d.rs1] = a + b; break;
  case Op::CvLbRr: LOAD(uint8_t, a + b, sext8); break;
  case Op::CvLhRr: LOAD(uint16_t, a + b, sext16); break;
  case Op::CvLwRr: LOAD(uint32_t, a + b, uint32_t); break;
  case Op::CvLbuRr: LOAD(uint8_t, a + b, uint32_t); break;
  case Op::CvLhuRr: LOAD(uint16_t, a + b, uint32_t); break;
  case Op::CvSbPi: STORE(uint8_t, a); x[d.rs1] = a + d.imm; break;
  case Op::CvShPi: STORE(uint16_t, a); x[d.rs1] = a + d.imm; break;
  case Op::CvSwPi: STORE(uint32_t, a); x[d.rs1] = a + d.imm; break;
  case Op::CvSbRi: STORE(uint8_t, a); x[d.rs1] = a + x[d.rs3]; break;
  case Op::CvShRi: STORE(uint16_t, a); x[d.rs1] = a + x[d.rs3]; break;
  case Op::CvSwRi: STORE(uint32_t, a); x[d.rs1] = a + x[d.rs3]; break;
  case Op::CvSbRr: STORE(uint8_t, a + x[d.rs3]); break;
  case Op::CvShRr: STORE(uint16_t, a + x[d.rs3]); break;
  case Op::CvSwRr: STORE(uint32_t, a + x[d.rs3]); break;
  case Op::CvBeqimm: BRANCH(int32_t(a) == int8_t(d.rm)); break;
  case Op::CvBneimm: BRANCH(int32_t(a) != int8_t(d.rm)); break;

  // CORE-V hardware loops: addresses relative to the instruction in words
  // (rm is the loop number); the core checks the loop ends (Core::step).
  case Op::CvStarti: lpStart[d.rm] = pc + (uint32_t(d.imm) << 2); writesRd = false; break;
  case Op::CvStart: lpStart[d.rm] = a & ~3u; writesRd = false; break;
  case Op::CvEndi: lpEnd[d.rm] = pc + (uint32_t(d.imm) << 2); writesRd = false; break;
  case Op::CvEnd: lpEnd[d.rm] = a & ~3u; writesRd = false; break;
  case Op::CvCounti: lpCount[d.rm] = uint32_t(d.imm); writesRd = false; break;
  case Op::CvCount: lpCount[d.rm] = a; writesRd = false; break;
  case Op::CvSetupi:
    lpStart[d.rm] = pc + 4;
    lpEnd[d.rm] = pc + ((uint32_t(d.imm) >> 16) << 2);
    lpCount[d.rm] = uint32_t(d.imm) & 0xfff;
    writesRd = false;
    break;
  case Op::CvSetup:
    lpStart[d.rm] = pc + 4;
    lpEnd[d.rm] = pc + (uint32_t(d.imm) << 2);
    lpCount[d.rm] = a;
    writesRd = false;
    break;

  // CORE-V ALU.
  case Op::CvAbs: r = int32_t(a) < 0 ? 0u - a : a; break;
  case Op::CvSle: r = int32_t(a) <= int32_t(b); break;
  case Op::CvSleu: r = a <= b; break;
  case Op::CvMin: r = int32_t(a) < int32_t(b) ? a : b; break;
  case Op::CvMinu: r = a < b ? a : b; break;
  case Op::CvMax: r = int32_t(a) > int32_t(b) ? a : b; break;
  case Op::CvMaxu: r = a > b ? a : b; break;
  case Op::CvExths: r = sext16(a); break;
  case Op::CvExthz: r = a & 0xffff; break;
  case Op::CvExtbs: r = sext8(a); break;
  case Op::CvExtbz: r = a & 0xff; break;
  case Op::CvClip: case Op::CvClipr: {
    int64_t hi = d.op == Op::CvClip ? (d.imm ? (int64_t(1) << (d.imm - 1)) - 1 : 0)
                                    : int64_t(int32_t(b));
    int64_t lo = d.op == Op::CvClip ? (d.imm ? -(int64_t(1) << (d.imm - 1)) : -1)
                                    : -int64_t(int32_t(b)) - 1;
    int64_t v = int32_t(a);
    r = uint32_t(v <= lo ? lo : v >= hi ? hi : v);
    break;
  }
  case Op::CvClipu: case Op::CvClipur: {
    int64_t hi = d.op == Op::CvClipu ? (d.imm ? (int64_t(1) << (d.imm - 1)) - 1 : 0)
                                     : int64_t(int32_t(b));
    int64_t v = int32_t(a);
    r = uint32_t(v <= 0 ? 0 : v >= hi ? hi : v);
    break;
  }
  case Op::CvAddN: case Op::CvAddUN: case Op::CvAddRN: case Op::CvAddURN:
  case Op::CvSubN: case Op::CvSubUN: case Op::CvSubRN: case Op::CvSubURN:
  case Op::CvAddNr: case Op::CvAddUNr: case Op::CvAddRNr: case Op::CvAddURNr:
  case Op::CvSubNr: case Op::CvSubUNr: case Op::CvSubRNr: case Op::CvSubURNr: {
    bool reg = d.op >= Op::CvAddNr && d.op <= Op::CvSubURNr;
    unsigned k = reg ? unsigned(d.op) - unsigned(Op::CvAddNr)
                     : unsigned(d.op) - unsigned(Op::CvAddN);
    bool sub = k >= 4, uns = k & 1, rnd = k & 2;
    uint32_t x0 = reg ? x[d.rd] : a, y0 = reg ? a : b;
    unsigned sh = reg ? (b & 31) : unsigned(d.imm);
    uint32_t s = sub ? x0 - y0 : x0 + y0;
    if (rnd && sh)
      s += 1u << (sh - 1);
    r = uns ? s >> sh : uint32_t(int32_t(s) >> sh);
    break;
  }
  // CORE-V MAC.
  case Op::CvMac: r = x[d.rd] + a * b; break;
  case Op::CvMsu: r = x[d.rd] - a * b; break;
  case Op::CvMulsN: case Op::CvMulhhsN: case Op::CvMulsRN: case Op::CvMulhhsRN:
  case Op::CvMuluN: case Op::CvMulhhuN: case Op::CvMuluRN: case Op::CvMulhhuRN:
  case Op::CvMacsN: case Op::CvMachhsN: case Op::CvMacsRN: case Op::CvMachhsRN:
  case Op::CvMacuN: case Op::CvMachhuN: case Op::CvMacuRN: case Op::CvMachhuRN: {
    unsigned k = unsigned(d.op) - unsigned(Op::CvMulsN);
    bool mac = k >= 8, uns = k & 4, rnd = k & 2, hh = k & 1;
    uint32_t p = hh ? a >> 16 : a & 0xffff, q = hh ? b >> 16 : b & 0xffff;
    unsigned sh = unsigned(d.imm);
    if (uns) {
      uint64_t v = uint64_t(p) * q + (mac ? x[d.rd] : 0);
      if (rnd && sh)
        v += uint64_t(1) << (sh - 1);
      r = uint32_t((v & 0xffffffffull) >> sh);
    } else {
      int64_t v = int64_t(int16_t(p)) * int16_t(q) +
                  (mac ? int64_t(int32_t(x[d.rd])) : 0);
      if (rnd && sh)
        v += int64_t(1) << (sh - 1);
      r = uint32_t(int32_t(uint32_t(v)) >> sh);
    }
    break;
  }

  // CORE-V SIMD special forms.
  case Op::CvAbsH: case Op::CvAbsB: {
    Lanes L(d.op == Op::CvAbsB);
    for (unsigned i = 0; i < L.n; ++i)
      r = L.set(r, i, uint32_t(L.s(a, i) < 0 ? -L.s(a, i) : L.s(a, i)));
    break;
  }
  case Op::CvExtractH: r = sext16(a >> (16 * (d.imm & 1))); break;
  case Op::CvExtractB: r = sext8(a >> (8 * (d.imm & 3))); break;
  case Op::CvExtractuH: r = (a >> (16 * (d.imm & 1))) & 0xffff; break;
  case Op::CvExtractuB: r = (a >> (8 * (d.imm & 3))) & 0xff; break;
  case Op::CvInsertH: r = Lanes(false).set(x[d.rd], d.imm & 1, a); break;
  case Op::CvInsertB: r = Lanes(true).set(x[d.rd], d.imm & 3, a); break;
  case Op::CvShuffleH: case Op::CvShuffleSciH: {
    Lanes L(false);
    for (unsigned i = 0; i < 2; ++i) {
      unsigned sel = d.op == Op::CvShuffleH ? L.u(b, i) & 1 : (d.imm >> i) & 1;
      r = L.set(r, i, L.u(a, sel));
    }
    break;
  }
  case Op::CvShuffleB: {
    Lanes L(true);
    for (unsigned i = 0; i < 4; ++i)
      r = L.set(r, i, L.u(a, L.u(b, i) & 3));
    break;
  }
  case Op::CvShuffleI0SciB: case Op::CvShuffleI1SciB:
  case Op::CvShuffleI2SciB: case Op::CvShuffleI3SciB: {
    Lanes L(true);
    unsigned top = unsigned(d.op) - unsigned(Op::CvShuffleI0SciB);
    for (unsigned i = 0; i < 3; ++i)
      r = L.set(r, i, L.u(a, (d.imm >> (2 * i)) & 3));
    r = L.set(r, 3, L.u(a, top));
    break;
  }
  case Op::CvShuffle2H: case Op::CvShuffle2B: {
    Lanes L(d.op == Op::CvShuffle2B);
    uint32_t old = x[d.rd];
    for (unsigned i = 0; i < L.n; ++i) {
      uint32_t sel = L.u(b, i);
      uint32_t src = (sel & L.n) ? a : old;
      r = L.set(r, i, L.u(src, sel & (L.n - 1)));
    }
    break;
  }
  case Op::CvPack: r = (a << 16) | (b & 0xffff); break;
  case Op::CvPackH: r = (a & 0xffff0000u) | (b >> 16); break;
  case Op::CvPackhiB:
    r = (x[d.rd] & 0xffff) | ((a & 0xff) << 24) | ((b & 0xff) << 16);
    break;
  case Op::CvPackloB:
    r = (x[d.rd] & 0xffff0000u) | ((a & 0xff) << 8) | (b & 0xff);
    break;
  case Op::CvCplxmulR: case Op::CvCplxmulRDiv2: case Op::CvCplxmulRDiv4:
  case Op::CvCplxmulRDiv8: case Op::CvCplxmulI: case Op::CvCplxmulIDiv2:
  case Op::CvCplxmulIDiv4: case Op::CvCplxmulIDiv8: {
    unsigned k = unsigned(d.op) - unsigned(Op::CvCplxmulR);
    unsigned div = k & 3;
    Lanes L(false);
    int64_t ar = L.s(a, 0), ai = L.s(a, 1), br = L.s(b, 0), bi = L.s(b, 1);
    if (k < 4)
      r = L.set(x[d.rd], 0, uint32_t((ar * br - ai * bi) >> (15 + div)));
    else
      r = L.set(x[d.rd], 1, uint32_t((ar * bi + ai * br) >> (15 + div)));
    break;
  }
  case Op::CvCplxconj: r = (a & 0xffff) | ((0u - (a >> 16)) << 16); break;
  case Op::CvSubrotmj: case Op::CvSubrotmjDiv2: case Op::CvSubrotmjDiv4:
  case Op::CvSubrotmjDiv8: {
    unsigned div = unsigned(d.op) - unsigned(Op::CvSubrotmj);
    Lanes L(false);
    r = L.set(r, 1, uint32_t((L.s(b, 0) - L.s(a, 0)) >> div));
    r = L.set(r, 0, uint32_t((L.s(a, 1) - L.s(b, 1)) >> div));
    break;
  }
  case Op::CvAddDiv2: case Op::CvAddDiv4: case Op::CvAddDiv8:
  case Op::CvSubDiv2: case Op::CvSubDiv4: case Op::CvSubDiv8: {
    bool sub = d.op >= Op::CvSubDiv2;
    unsigned div = 1 + unsigned(d.op) - unsigned(sub ? Op::CvSubDiv2 : Op::CvAddDiv2);
    Lanes L(false);
    for (unsigned i = 0; i < 2; ++i)
      r = L.set(r, i, uint32_t((sub ? L.s(a, i) - L.s(b, i)
                                    : L.s(a, i) + L.s(b, i)) >> div));
    break;
  }
  default: {
    // Regular CORE-V SIMD operations: .h/.b with vector, scalar (.sc) or
    // immediate (.sci) second operand.
    if (d.op < Op::CvSimdAdd)
      return cl_.fail(*this, "instruction not implemented");
    Lanes L(d.rm & 1);
    uint32_t bv = d.rm >= SimdSciH ? L.splat(uint32_t(d.imm))
                  : d.rm >= SimdScH ? L.splat(b)
                                    : b;
    uint32_t acc = x[d.rd];
    int64_t dot = 0;
    bool isDot = false;
    for (unsigned i = 0; i < L.n; ++i) {
      uint32_t pu = L.u(a, i), qu = L.u(bv, i);
      int32_t ps = L.s(a, i), qs = L.s(bv, i);
      uint32_t o = 0;
      switch (d.op) {
      case Op::CvSimdAdd: o = pu + qu; break;
      case Op::CvSimdSub: o = pu - qu; break;
      case Op::CvSimdAvg: o = uint32_t((ps + qs) >> 1); break;
      case Op::CvSimdAvgu: o = (pu + qu) >> 1; break;
      case Op::CvSimdMin: o = uint32_t(ps < qs ? ps : qs); break;
      case Op::CvSimdMinu: o = pu < qu ? pu : qu; break;
      case Op::CvSimdMax: o = uint32_t(ps > qs ? ps : qs); break;
      case Op::CvSimdMaxu: o = pu > qu ? pu : qu; break;
      case Op::CvSimdSrl: o = pu >> (qu & (L.w - 1)); break;
      case Op::CvSimdSra: o = uint32_t(ps >> (qu & (L.w - 1))); break;
      case Op::CvSimdSll: o = pu << (qu & (L.w - 1)); break;
      case Op::CvSimdOr: o = pu | qu; break;
      case Op::CvSimdXor: o = pu ^ qu; break;
      case Op::CvSimdAnd: o = pu & qu; break;
      case Op::CvSimdCmpeq: o = pu == qu ? ~0u : 0; break;
      case Op::CvSimdCmpne: o = pu != qu ? ~0u : 0; break;
      case Op::CvSimdCmpgt: o = ps > qs ? ~0u : 0; break;
      case Op::CvSimdCmpge: o = ps >= qs ? ~0u : 0; break;
      case Op::CvSimdCmplt: o = ps < qs ? ~0u : 0; break;
      case Op::CvSimdCmple: o = ps <= qs ? ~0u : 0; break;
      case Op::CvSimdCmpgtu: o = pu > qu ? ~0u : 0; break;
      case Op::CvSimdCmpgeu: o = pu >= qu ? ~0u : 0; break;
      case Op::CvSimdCmpltu: o = pu < qu ? ~0u : 0; break;
      case Op::CvSimdCmpleu: o = pu <= qu ? ~0u : 0; break;
      case Op::CvSimdDotup: case Op::CvSimdSdotup:
        dot += int64_t(pu) * qu, isDot = true; break;
      case Op::CvSimdDotusp: case Op::CvSimdSdotusp:
        dot += int64_t(pu) * qs, isDot = true; break;
      case Op::CvSimdDotsp: case Op::CvSimdSdotsp:
        dot += int64_t(ps) * qs, isDot = true; break;
      default:
        return cl_.fail(*this, "instruction not implemented");
      }
      r = L.set(r, i, o);
    }
    if (isDot) {
      bool accumulate = d.op == Op::CvSimdSdotup || d.op == Op::CvSimdSdotusp ||
                        d.op == Op::CvSimdSdotsp;
      r = uint32_t(dot) + (accumulate ? acc : 0);
      counters.total[CntMacs] += L.n;
    }
    break;
  }
  }

  if (d.flags & (FlagFp | FlagMac | FlagMac2)) {
    if (d.flags & FlagFp) {
      ++counters.total[CntFpOps];
      fcsr |= fflags;
      if (cost == 1)
        latency = cfg_.fpLatency;
      else
        counters.total[CntMulDivStall] += cost - 1;
    }
    counters.total[CntMacs] +=
        (d.flags & FlagMac) ? 1 : (d.flags & FlagMac2) ? 2 : 0;
  }
  if (writesRd)
    x[d.rd] = r;
  x[0] = 0;
  pc = next;
  return status;
}
