//===- Decoder.cpp - MATCH/MASK decoder and RV32C expansion ---------------===//

#include "pulptrain/sim/Isa.h"

#include <vector>

using namespace pulptrain::sim;

namespace {

std::vector<InstForm> buildForms() {
  std::vector<InstForm> forms;
  forms.push_back({"<illegal>", 0, 0xffffffff, Op::Illegal, FmtNone, 0, 0});
#define INST(Id, Mnemonic, Match, Mask, Format, Flags)                         \
  forms.push_back({Mnemonic, Match, Mask, Op::Id, Format, (uint16_t)(Flags), 0});
#define CV_SIMD(Id, Name, Funct6, Flags)                                       \
  {                                                                            \
    static const char *names[6] = {                                            \
        "cv." Name ".h",     "cv." Name ".b",     "cv." Name ".sc.h",          \
        "cv." Name ".sc.b",  "cv." Name ".sci.h", "cv." Name ".sci.b"};        \
    static const uint8_t modes[6] = {SimdH,   SimdB,    SimdScH,               \
                                     SimdScB, SimdSciH, SimdSciB};             \
    for (int i = 0; i < 6; ++i) {                                              \
      bool sci = modes[i] >= SimdSciH;                                         \
      forms.push_back({names[i],                                               \
                       (uint32_t(Funct6) << 26) | (uint32_t(modes[i]) << 12) | \
                           0x7bu,                                              \
                       sci ? 0xfc00707fu : 0xfe00707fu, Op::CvSimd##Id,        \
                       sci ? FmtCvSci : FmtR, (uint16_t)(Flags), modes[i]});   \
    }                                                                          \
  }
#include "pulptrain/sim/Instructions.def"
  return forms;
}

const std::vector<InstForm> &forms() {
  static const std::vector<InstForm> table = buildForms();
  return table;
}

/// Per major opcode (bits 6:0), the indices of the forms to try in order.
const std::vector<std::vector<uint16_t>> &buckets() {
  static const std::vector<std::vector<uint16_t>> table = [] {
    std::vector<std::vector<uint16_t>> b(128);
    const auto &f = forms();
    for (size_t i = 1; i < f.size(); ++i)
      for (uint32_t opc = 0; opc < 128; ++opc)
        if ((opc & f[i].mask & 0x7f) == (f[i].match & 0x7f))
          b[opc].push_back(uint16_t(i));
    return b;
  }();
  return table;
}

int32_t sext(uint32_t v, unsigned bits) {
  return int32_t(v << (32 - bits)) >> (32 - bits);
}
uint32_t bits(uint32_t w, unsigned hi, unsigned lo) {
  return (w >> lo) & ((1u << (hi - lo + 1)) - 1);
}
int32_t immI(uint32_t w) { return int32_t(w) >> 20; }
int32_t immS(uint32_t w) {
  return sext((bits(w, 31, 25) << 5) | bits(w, 11, 7), 12);
}
int32_t immB(uint32_t w) {
  return sext((bits(w, 31, 31) << 12) | (bits(w, 7, 7) << 11) |
                  (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1),
              13);
}
int32_t immJ(uint32_t w) {
  return sext((bits(w, 31, 31) << 20) | (bits(w, 19, 12) << 12) |
                  (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1),
              21);
}

} // namespace

const InstForm *pulptrain::sim::instForms(unsigned &count) {
  count = unsigned(forms().size());
  return forms().data();
}

bool pulptrain::sim::decode32(uint32_t w, DecodedInst &d) {
  d = DecodedInst();
  d.raw = w;
  d.len = 4;
  if ((w & 3) != 3)
    return false;
  const auto &f = forms();
  const InstForm *form = nullptr;
  for (uint16_t idx : buckets()[w & 0x7f]) {
    if ((w & f[idx].mask) == f[idx].match) {
      form = &f[idx];
      d.form = idx;
      break;
    }
  }
  if (!form)
    return false;
  d.op = form->op;
  d.flags = form->flags;
  uint8_t rd = bits(w, 11, 7), rs1 = bits(w, 19, 15), rs2 = bits(w, 24, 20);
  switch (form->format) {
  case FmtNone:
    break;
  case FmtR:
    d.rd = rd, d.rs1 = rs1, d.rs2 = rs2;
    break;
  case FmtR2:
    d.rd = rd, d.rs1 = rs1;
    break;
  case FmtRrm:
    d.rd = rd, d.rs1 = rs1, d.rs2 = rs2, d.rm = bits(w, 14, 12);
    break;
  case FmtR2rm:
    d.rd = rd, d.rs1 = rs1, d.rm = bits(w, 14, 12);
    break;
  case FmtR4rm:
    d.rd = rd, d.rs1 = rs1, d.rs2 = rs2, d.rs3 = bits(w, 31, 27);
    d.rm = bits(w, 14, 12);
    break;
  case FmtI:
  case FmtLoad:
  case FmtJalr:
  case FmtCvLdImm:
    d.rd = rd, d.rs1 = rs1, d.imm = immI(w);
    break;
  case FmtShift:
    d.rd = rd, d.rs1 = rs1, d.imm = rs2;
    break;
  case FmtStore:
  case FmtCvStImm:
    d.rs1 = rs1, d.rs2 = rs2, d.imm = immS(w);
    break;
  case FmtB:
    d.rs1 = rs1, d.rs2 = rs2, d.imm = immB(w);
    break;
  case FmtU:
    d.rd = rd, d.imm = int32_t(w & 0xfffff000u);
    break;
  case FmtJ:
    d.rd = rd, d.imm = immJ(w);
    break;
  case FmtCsr:
    d.rd = rd, d.rs1 = rs1, d.imm = int32_t(bits(w, 31, 20));
    break;
  case FmtCsrI:
    d.rd = rd, d.imm = int32_t(bits(w, 31, 20) | (uint32_t(rs1) << 16));
    break;
  case FmtCvLdPostReg:
  case FmtCvLdRegReg:
    d.rd = rd, d.rs1 = rs1, d.rs2 = rs2;
    break;
  case FmtCvStPostReg:
  case FmtCvStRegReg:
    d.rs1 = rs1, d.rs2 = rs2, d.rs3 = rd;
    break;
  case FmtCvBImm:
    d.rs1 = rs1, d.imm = immB(w), d.rm = uint8_t(sext(rs2, 5));
    break;
  case FmtCvRRI5:
    d.rd = rd, d.rs1 = rs1, d.rs2 = rs2, d.imm = int32_t(bits(w, 29, 25));
    break;
  case FmtCvRI5:
    d.rd = rd, d.rs1 = rs1, d.imm = rs2;
    break;
  case FmtCvHwlpI:
    d.rm = bits(w, 7, 7), d.imm = int32_t(bits(w, 31, 20));
    break;
  case FmtCvHwlpR:
    d.rm = bits(w, 7, 7), d.rs1 = rs1;
    break;
  case FmtCvSetupI:
    d.rm = bits(w, 7, 7);
    d.imm = int32_t(bits(w, 31, 20) | (uint32_t(rs1) << 16));
    break;
  case FmtCvSetup:
    d.rm = bits(w, 7, 7), d.rs1 = rs1, d.imm = int32_t(bits(w, 31, 20));
    break;
  case FmtCvSci: {
    uint32_t imm6 = (uint32_t(rs2) << 1) | bits(w, 25, 25);
    d.rd = rd, d.rs1 = rs1;
    d.imm = (form->flags & SimdUImm) ? int32_t(imm6) : sext(imm6, 6);
    break;
  }
  }
  if (form->op >= Op::CvSimdAdd)
    d.rm = form->mode;
  if (form->flags & FlagReadsRd)
    d.rs3 = d.rd;
  return true;
}

namespace {
uint32_t encR(uint32_t opc, uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1,
              uint32_t rs2) {
  return opc | (rd << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | (f7 << 25);
}
uint32_t encI(uint32_t opc, uint32_t f3, uint32_t rd, uint32_t rs1,
              int32_t imm) {
  return opc | (rd << 7) | (f3 << 12) | (rs1 << 15) | (uint32_t(imm) << 20);
}
uint32_t encS(uint32_t opc, uint32_t f3, uint32_t rs1, uint32_t rs2,
              int32_t imm) {
  uint32_t u = uint32_t(imm);
  return opc | ((u & 0x1f) << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) |
         (((u >> 5) & 0x7f) << 25);
}
uint32_t encB(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  uint32_t u = uint32_t(imm);
  return 0x63 | (((u >> 11) & 1) << 7) | (((u >> 1) & 0xf) << 8) | (f3 << 12) |
         (rs1 << 15) | (rs2 << 20) | (((u >> 5) & 0x3f) << 25) |
         (((u >> 12) & 1) << 31);
}
uint32_t encJ(uint32_t rd, int32_t imm) {
  uint32_t u = uint32_t(imm);
  return 0x6f | (rd << 7) | (((u >> 12) & 0xff) << 12) |
         (((u >> 11) & 1) << 20) | (((u >> 1) & 0x3ff) << 21) |
         (((u >> 20) & 1) << 31);
}
} // namespace

uint32_t pulptrain::sim::expandCompressed(uint16_t p) {
  auto b = [p](unsigned hi, unsigned lo) { return bits(p, hi, lo); };
  uint32_t rdp = 8 + b(4, 2), rs1p = 8 + b(9, 7);
  uint32_t rd = b(11, 7), rs2 = b(6, 2);
  switch ((b(1, 0) << 3) | b(15, 13)) {
  case 0x00: { // c.addi4spn
    uint32_t imm = (b(12, 11) << 4) | (b(10, 7) << 6) | (b(6, 6) << 2) |
                   (b(5, 5) << 3);
    return imm ? encI(0x13, 0, rdp, 2, int32_t(imm)) : 0;
  }
  case 0x02: { // c.lw
    uint32_t imm = (b(12, 10) << 3) | (b(6, 6) << 2) | (b(5, 5) << 6);
    return encI(0x03, 2, rdp, rs1p, int32_t(imm));
  }
  case 0x06: { // c.sw
    uint32_t imm = (b(12, 10) << 3) | (b(6, 6) << 2) | (b(5, 5) << 6);
    return encS(0x23, 2, rs1p, rdp, int32_t(imm));
  }
  case 0x08: // c.addi, c.nop
    return encI(0x13, 0, rd, rd, sext((b(12, 12) << 5) | rs2, 6));
  case 0x09:   // c.jal
  case 0x0d: { // c.j
    int32_t imm = sext((b(12, 12) << 11) | (b(11, 11) << 4) |
                           (b(10, 9) << 8) | (b(8, 8) << 10) | (b(7, 7) << 6) |
                           (b(6, 6) << 7) | (b(5, 3) << 1) | (b(2, 2) << 5),
                       12);
    return encJ(b(15, 13) == 1 ? 1 : 0, imm);
  }
  case 0x0a: // c.li
    return encI(0x13, 0, rd, 0, sext((b(12, 12) << 5) | rs2, 6));
  case 0x0b:
    if (rd == 2) { // c.addi16sp
      int32_t imm = sext((b(12, 12) << 9) | (b(6, 6) << 4) | (b(5, 5) << 6) |
                             (b(4, 3) << 7) | (b(2, 2) << 5),
                         10);
      return imm ? encI(0x13, 0, 2, 2, imm) : 0;
    } else { // c.lui
      int32_t imm = sext((b(12, 12) << 17) | (rs2 << 12), 18);
      if (!imm || rd == 0)
        return 0;
      return 0x37 | (rd << 7) | (uint32_t(imm) & 0xfffff000u);
    }
  case 0x0c: {
    uint32_t sh = (b(12, 12) << 5) | rs2;
    switch (b(11, 10)) {
    case 0:
      return sh >= 32 ? 0 : encR(0x13, 5, 0x00, rs1p, rs1p, sh);
    case 1:
      return sh >= 32 ? 0 : encR(0x13, 5, 0x20, rs1p, rs1p, sh);
    case 2:
      return encI(0x13, 7, rs1p, rs1p, sext(sh, 6));
    default:
      if (b(12, 12))
        return 0;
      switch (b(6, 5)) {
      case 0:
        return encR(0x33, 0, 0x20, rs1p, rs1p, rdp);
      case 1:
        return encR(0x33, 4, 0x00, rs1p, rs1p, rdp);
      case 2:
        return encR(0x33, 6, 0x00, rs1p, rs1p, rdp);
      default:
        return encR(0x33, 7, 0x00, rs1p, rs1p, rdp);
      }
    }
  }
  case 0x0e: // c.beqz
  case 0x0f: { // c.bnez
    int32_t imm = sext((b(12, 12) << 8) | (b(11, 10) << 3) | (b(6, 5) << 6) |
                           (b(4, 3) << 1) | (b(2, 2) << 5),
                       9);
    return encB(b(15, 13) == 6 ? 0 : 1, rs1p, 0, imm);
  }
  case 0x10: { // c.slli
    uint32_t sh = (b(12, 12) << 5) | rs2;
    return sh >= 32 ? 0 : encR(0x13, 1, 0, rd, rd, sh);
  }
  case 0x12: { // c.lwsp
    uint32_t imm = (b(12, 12) << 5) | (b(6, 4) << 2) | (b(3, 2) << 6);
    return rd ? encI(0x03, 2, rd, 2, int32_t(imm)) : 0;
  }
  case 0x14:
    if (!b(12, 12)) {
      if (rs2 == 0) // c.jr
        return rd ? encI(0x67, 0, 0, rd, 0) : 0;
      return encR(0x33, 0, 0, rd, 0, rs2); // c.mv
    }
    if (rd == 0 && rs2 == 0)
      return 0x00100073; // c.ebreak
    if (rs2 == 0)
      return encI(0x67, 0, 1, rd, 0); // c.jalr
    return encR(0x33, 0, 0, rd, rd, rs2); // c.add
  case 0x16: { // c.swsp
    uint32_t imm = (b(12, 9) << 2) | (b(8, 7) << 6);
    return encS(0x23, 2, 2, rs2, int32_t(imm));
  }
  default:
    return 0;
  }
}

bool pulptrain::sim::decode(uint16_t lo, uint16_t hi, DecodedInst &d) {
  if ((lo & 3) != 3) {
    uint32_t w = expandCompressed(lo);
    bool ok = w && decode32(w, d);
    if (!ok)
      d = DecodedInst();
    d.len = 2;
    d.raw = lo;
    return ok;
  }
  return decode32(uint32_t(lo) | (uint32_t(hi) << 16), d);
}
