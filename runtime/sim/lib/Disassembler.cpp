//===- Disassembler.cpp - llvm-mc style text of decoded instructions ------===//
//
// Used by --trace and by the unit tests that compare the decoder with
// llvm-mc (the printed text must equal llvm-mc's -riscv-no-aliases syntax).
//
//===----------------------------------------------------------------------===//

#include "pulptrain/sim/Isa.h"

#include <cstdio>

using namespace pulptrain::sim;

const char *pulptrain::sim::regName(unsigned r) {
  static const char *names[32] = {
      "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
      "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
      "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
  return names[r & 31];
}

const char *pulptrain::sim::csrName(unsigned csr) {
  switch (csr) {
  case 0x001: return "fflags";
  case 0x002: return "frm";
  case 0x003: return "fcsr";
  case 0x300: return "mstatus";
  case 0x301: return "misa";
  case 0x304: return "mie";
  case 0x305: return "mtvec";
  case 0x340: return "mscratch";
  case 0x341: return "mepc";
  case 0x342: return "mcause";
  case 0x343: return "mtval";
  case 0x344: return "mip";
  case 0xb00: return "mcycle";
  case 0xb02: return "minstret";
  case 0xb80: return "mcycleh";
  case 0xb82: return "minstreth";
  case 0xc00: return "cycle";
  case 0xc01: return "time";
  case 0xc02: return "instret";
  case 0xc80: return "cycleh";
  case 0xc81: return "timeh";
  case 0xc82: return "instreth";
  case 0xf11: return "mvendorid";
  case 0xf12: return "marchid";
  case 0xf13: return "mimpid";
  case 0xf14: return "mhartid";
  default: return nullptr;
  }
}

static const char *rmName(unsigned rm) {
  static const char *names[8] = {"rne", "rtz", "rdn", "rup",
                                 "rmm", "inv5", "inv6", "dyn"};
  return names[rm & 7];
}

std::string pulptrain::sim::disassemble(const DecodedInst &d) {
  unsigned count;
  const InstForm &f = instForms(count)[d.form < count ? d.form : 0];
  if (d.op == Op::Illegal)
    return "<illegal>";
  char buf[96];
  const char *m = f.mnemonic;
  auto R = regName;
  // The printed rd of accumulating forms is rd; d.rs3 is just its copy.
  unsigned rd = d.rd;
  auto rmSuffix = [&]() -> std::string {
    unsigned def = (f.flags & FlagExactCvt) ? 0 : 7;
    return d.rm == def ? "" : std::string(", ") + rmName(d.rm);
  };
  switch (f.format) {
  case FmtNone:
    snprintf(buf, sizeof buf, "%s", m);
    break;
  case FmtR:
    snprintf(buf, sizeof buf, "%s %s, %s, %s", m, R(rd), R(d.rs1), R(d.rs2));
    break;
  case FmtR2:
    snprintf(buf, sizeof buf, "%s %s, %s", m, R(rd), R(d.rs1));
    break;
  case FmtRrm:
    snprintf(buf, sizeof buf, "%s %s, %s, %s%s", m, R(rd), R(d.rs1),
             R(d.rs2), rmSuffix().c_str());
    break;
  case FmtR2rm:
    snprintf(buf, sizeof buf, "%s %s, %s%s", m, R(rd), R(d.rs1),
             rmSuffix().c_str());
    break;
  case FmtR4rm:
    snprintf(buf, sizeof buf, "%s %s, %s, %s, %s%s", m, R(rd), R(d.rs1),
             R(d.rs2), R(d.rs3), rmSuffix().c_str());
    break;
  case FmtI:
  case FmtShift:
  case FmtCvRI5:
  case FmtCvSci:
    snprintf(buf, sizeof buf, "%s %s, %s, %d", m, R(rd), R(d.rs1), d.imm);
    break;
  case FmtLoad:
  case FmtJalr:
    snprintf(buf, sizeof buf, "%s %s, %d(%s)", m, R(rd), d.imm, R(d.rs1));
    break;
  case FmtStore:
    snprintf(buf, sizeof buf, "%s %s, %d(%s)", m, R(d.rs2), d.imm, R(d.rs1));
    break;
  case FmtB:
    snprintf(buf, sizeof buf, "%s %s, %s, %d", m, R(d.rs1), R(d.rs2), d.imm);
    break;
  case FmtU:
    snprintf(buf, sizeof buf, "%s %s, %u", m, R(rd), uint32_t(d.imm) >> 12);
    break;
  case FmtJ:
    snprintf(buf, sizeof buf, "%s %s, %d", m, R(rd), d.imm);
    break;
  case FmtCsr:
  case FmtCsrI: {
    unsigned csr = uint32_t(d.imm) & 0xfff;
    char num[16];
    const char *name = csrName(csr);
    if (!name) {
      snprintf(num, sizeof num, "%u", csr);
      name = num;
    }
    if (f.format == FmtCsr)
      snprintf(buf, sizeof buf, "%s %s, %s, %s", m, R(rd), name, R(d.rs1));
    else
      snprintf(buf, sizeof buf, "%s %s, %s, %u", m, R(rd), name,
               uint32_t(d.imm) >> 16);
    break;
  }
  case FmtCvLdImm:
    snprintf(buf, sizeof buf, "%s %s, (%s), %d", m, R(rd), R(d.rs1), d.imm);
    break;
  case FmtCvLdPostReg:
    snprintf(buf, sizeof buf, "%s %s, (%s), %s", m, R(rd), R(d.rs1), R(d.rs2));
    break;
  case FmtCvLdRegReg:
    snprintf(buf, sizeof buf, "%s %s, %s(%s)", m, R(rd), R(d.rs2), R(d.rs1));
    break;
  case FmtCvStImm:
    snprintf(buf, sizeof buf, "%s %s, (%s), %d", m, R(d.rs2), R(d.rs1), d.imm);
    break;
  case FmtCvStPostReg:
    snprintf(buf, sizeof buf, "%s %s, (%s), %s", m, R(d.rs2), R(d.rs1),
             R(d.rs3));
    break;
  case FmtCvStRegReg:
    snprintf(buf, sizeof buf, "%s %s, %s(%s)", m, R(d.rs2), R(d.rs3),
             R(d.rs1));
    break;
  case FmtCvBImm:
    snprintf(buf, sizeof buf, "%s %s, %d, %d", m, R(d.rs1), int8_t(d.rm),
             d.imm);
    break;
  case FmtCvRRI5:
    snprintf(buf, sizeof buf, "%s %s, %s, %s, %d", m, R(rd), R(d.rs1),
             R(d.rs2), d.imm);
    break;
  // Hardware loops: the loop number, then counts as given and addresses
  // as byte offsets from the instruction (like branch targets).
  case FmtCvHwlpI:
    snprintf(buf, sizeof buf, "%s %u, %d", m, d.rm,
             d.op == Op::CvCounti ? d.imm : d.imm << 2);
    break;
  case FmtCvHwlpR:
    snprintf(buf, sizeof buf, "%s %u, %s", m, d.rm, R(d.rs1));
    break;
  case FmtCvSetupI:
    snprintf(buf, sizeof buf, "%s %u, %d, %d", m, d.rm, d.imm & 0xfff,
             (d.imm >> 16) << 2);
    break;
  case FmtCvSetup:
    snprintf(buf, sizeof buf, "%s %u, %s, %d", m, d.rm, R(d.rs1), d.imm << 2);
    break;
  }
  return buf;
}
