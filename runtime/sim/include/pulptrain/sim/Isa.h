//===- Isa.h - Decoded instructions of the simulated core -------*- C++ -*-===//
//
// The instruction forms (Instructions.def), the compact predecoded
// instruction the executor dispatches on, the decoder and a disassembler.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_ISA_H
#define PULPTRAIN_SIM_ISA_H

#include <cstdint>
#include <string>

namespace pulptrain::sim {

/// Executor operation. SIMD variants (.h/.b/.sc/.sci) of one CORE-V
/// operation share one Op; DecodedInst::mode tells them apart.
enum class Op : uint16_t {
  Illegal = 0,
#define INST(Id, Mnemonic, Match, Mask, Format, Flags) Id,
#define CV_SIMD(Id, Name, Funct6, Flags) CvSimd##Id,
#include "pulptrain/sim/Instructions.def"
  NumOps
};

/// How operands are encoded and printed.
enum InstFormat : uint8_t {
  FmtNone, FmtR, FmtR2, FmtRrm, FmtR2rm, FmtR4rm, FmtI, FmtShift, FmtLoad,
  FmtStore, FmtB, FmtU, FmtJ, FmtJalr, FmtCsr, FmtCsrI, FmtCvLdImm,
  FmtCvLdPostReg, FmtCvLdRegReg, FmtCvStImm, FmtCvStPostReg, FmtCvStRegReg,
  FmtCvBImm, FmtCvRRI5, FmtCvRI5, FmtCvSci,
  FmtCvHwlpI,  ///< L, uimm12 (cv.starti/endi/counti); L in DecodedInst::rm.
  FmtCvHwlpR,  ///< L, rs1 (cv.start/end/count).
  FmtCvSetupI, ///< L, uimmL (count), uimmS (end): imm = uimmL | uimmS << 16.
  FmtCvSetup,  ///< L, rs1 (count), uimmL (end).
};

enum InstFlags : uint16_t {
  FlagLoad = 1 << 0,
  FlagStore = 1 << 1,
  FlagFp = 1 << 2,
  FlagMac = 1 << 3,      ///< One multiply-accumulate.
  FlagMac2 = 1 << 4,     ///< Two multiply-accumulates (2-lane SIMD).
  FlagReadsRd = 1 << 5,  ///< rd is also a source (accumulators).
  FlagPostInc = 1 << 6,  ///< Writes the incremented address back to rs1.
  FlagExactCvt = 1 << 7, ///< Exact conversion: default rm printed is rne.
  SimdUImm = 1 << 8,     ///< The .sci immediate is unsigned.
  SimdDot = 1 << 9,      ///< Dot product: 2 (.h) or 4 (.b) MACs.
};

/// CORE-V SIMD operand mode (funct3 of opcode 0x7b).
enum SimdMode : uint8_t {
  SimdH = 0, SimdB = 1, SimdScH = 4, SimdScB = 5, SimdSciH = 6, SimdSciB = 7
};

/// One static instruction form of the decode table.
struct InstForm {
  const char *mnemonic;
  uint32_t match;
  uint32_t mask;
  Op op;
  InstFormat format;
  uint16_t flags;
  uint8_t mode; ///< SimdMode for CV_SIMD forms.
};

/// A predecoded instruction. Register fields that the instruction does not
/// read are 0 (x0), so hazard checks need no per-form knowledge.
struct DecodedInst {
  Op op = Op::Illegal;
  uint16_t form = 0;  ///< Index into instForms().
  uint8_t rd = 0;     ///< Destination (0 if none).
  uint8_t rs1 = 0;    ///< Sources read by the instruction.
  uint8_t rs2 = 0;
  uint8_t rs3 = 0;    ///< Third source: fma addend, accumulator, store index.
  uint8_t len = 4;    ///< 2 for compressed instructions.
  uint8_t rm = 0;     ///< Rounding mode (FP) or SimdMode (CORE-V SIMD).
  uint16_t flags = 0;
  int32_t imm = 0;
  uint32_t raw = 0;   ///< The instruction word as fetched (16 or 32 bits).
};

/// The decode table.
const InstForm *instForms(unsigned &count);

/// Decodes a 32-bit instruction word. Returns false for an illegal word.
bool decode32(uint32_t word, DecodedInst &inst);
/// Expands a 16-bit compressed parcel to its 32-bit equivalent; returns 0 if
/// the parcel is not a legal RV32C instruction.
uint32_t expandCompressed(uint16_t parcel);
/// Decodes the instruction starting with `lo` (and `hi` for 32-bit ones).
bool decode(uint16_t lo, uint16_t hi, DecodedInst &inst);

/// llvm-mc style text of a decoded instruction ("addi a0, a1, -5").
std::string disassemble(const DecodedInst &inst);
/// ABI register name.
const char *regName(unsigned reg);
/// Name of a CSR the simulator knows, or nullptr.
const char *csrName(unsigned csr);

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_ISA_H
