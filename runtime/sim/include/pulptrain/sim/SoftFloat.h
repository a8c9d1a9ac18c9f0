//===- SoftFloat.h - IEEE-exact FP32 / FP16 / BF16 arithmetic ---*- C++ -*-===//
//
// Bit-exact binary32, binary16 and bfloat16 arithmetic with all five RISC-V
// rounding modes, canonical NaN results and single rounding for fused
// operations. Values are passed as raw bit patterns (Zfinx: FP values live in x
// registers).
//
// Method: every operation computes a double `d` close to the exact result
// and the sign of the exact error (exact - d), from error-free
// transformations (TwoSum, exact products, fma remainders). Rounding `d`
// to odd with that sign and then rounding once to the target format is
// correct because double has more than p+2 bits for both formats.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_SOFTFLOAT_H
#define PULPTRAIN_SIM_SOFTFLOAT_H

#include <cstdint>

namespace pulptrain::sim::fp {

enum RoundingMode : uint8_t { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4 };

/// fflags bits.
enum Flags : uint8_t { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };

constexpr uint32_t CanonicalNaN32 = 0x7fc00000u;
constexpr uint16_t CanonicalNaN16 = 0x7e00u;
constexpr uint16_t CanonicalNaNBf16 = 0x7fc0u;

/// Exact widening to double.
double f32ToDouble(uint32_t bits);
double f16ToDouble(uint16_t bits);

/// Rounds a double (assumed to be the exact value or its round-to-odd
/// approximation) to the format; NaN becomes the canonical NaN.
uint32_t doubleToF32(double x, RoundingMode rm, uint8_t &flags);
uint16_t doubleToF16(double x, RoundingMode rm, uint8_t &flags);

// Binary32.
uint32_t add32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags);
uint32_t sub32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags);
uint32_t mul32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags);
uint32_t div32(uint32_t a, uint32_t b, RoundingMode rm, uint8_t &flags);
uint32_t sqrt32(uint32_t a, RoundingMode rm, uint8_t &flags);
/// a * b + c with a single rounding.
uint32_t fma32(uint32_t a, uint32_t b, uint32_t c, RoundingMode rm,
               uint8_t &flags);
uint32_t min32(uint32_t a, uint32_t b, uint8_t &flags);
uint32_t max32(uint32_t a, uint32_t b, uint8_t &flags);
bool eq32(uint32_t a, uint32_t b, uint8_t &flags);
bool lt32(uint32_t a, uint32_t b, uint8_t &flags);
bool le32(uint32_t a, uint32_t b, uint8_t &flags);
uint32_t class32(uint32_t a);

// Binary16 (low 16 bits of the operands are used).
uint16_t add16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
uint16_t sub16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
uint16_t mul16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
uint16_t div16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
uint16_t sqrt16(uint16_t a, RoundingMode rm, uint8_t &flags);
uint16_t fma16(uint16_t a, uint16_t b, uint16_t c, RoundingMode rm,
               uint8_t &flags);
uint16_t min16(uint16_t a, uint16_t b, uint8_t &flags);
uint16_t max16(uint16_t a, uint16_t b, uint8_t &flags);
bool eq16(uint16_t a, uint16_t b, uint8_t &flags);
bool lt16(uint16_t a, uint16_t b, uint8_t &flags);
bool le16(uint16_t a, uint16_t b, uint8_t &flags);
uint32_t class16(uint16_t a);

// Conversions.
uint32_t f16ToF32(uint16_t a, uint8_t &flags);
uint16_t f32ToF16(uint32_t a, RoundingMode rm, uint8_t &flags);
/// Float (given as exact double) to integer with RISC-V saturation.
int32_t toInt32(double x, RoundingMode rm, uint8_t &flags);
uint32_t toUint32(double x, RoundingMode rm, uint8_t &flags);

// Mixed-precision PULP operations.
/// FP32 result of fp16 * fp16 (exact product, one rounding).
uint32_t mulex(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
/// c(fp32) + a * b (fp16 inputs), one rounding.
uint32_t macex(uint16_t a, uint16_t b, uint32_t c, RoundingMode rm,
               uint8_t &flags);
/// c(fp32) + a0*b0 + a1*b1 (fp16 inputs), one rounding.
uint32_t dotpex(uint16_t a0, uint16_t b0, uint16_t a1, uint16_t b1, uint32_t c,
                RoundingMode rm, uint8_t &flags);

// bfloat16 (PULP "alt-half", .ah): the high half of a binary32 (8 exponent
// bits, 7 fraction bits). Same method: exact double or round-to-odd double,
// then one rounding; products of two bf16 are exact in double.
double bf16ToDouble(uint16_t bits);
uint16_t doubleToBf16(double x, RoundingMode rm, uint8_t &flags);
uint16_t addBf16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
uint16_t subBf16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
uint16_t mulBf16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
/// a * b + c with a single rounding.
uint16_t fmaBf16(uint16_t a, uint16_t b, uint16_t c, RoundingMode rm,
                 uint8_t &flags);
uint16_t minBf16(uint16_t a, uint16_t b, uint8_t &flags);
uint16_t maxBf16(uint16_t a, uint16_t b, uint8_t &flags);
/// Exact widening (NaN becomes the canonical fp32 NaN).
uint32_t bf16ToF32(uint16_t a, uint8_t &flags);
uint16_t f32ToBf16(uint32_t a, RoundingMode rm, uint8_t &flags);
/// c(fp32) + a0*b0 + a1*b1 (bf16 inputs), one rounding.
uint32_t dotpexBf16(uint16_t a0, uint16_t b0, uint16_t a1, uint16_t b1,
                    uint32_t c, RoundingMode rm, uint8_t &flags);
/// FP32 result of bf16 * bf16 (exact product, one rounding).
uint32_t mulexBf16(uint16_t a, uint16_t b, RoundingMode rm, uint8_t &flags);
/// c(fp32) + a * b (bf16 inputs), one rounding.
uint32_t macexBf16(uint16_t a, uint16_t b, uint32_t c, RoundingMode rm,
                   uint8_t &flags);

} // namespace pulptrain::sim::fp

#endif // PULPTRAIN_SIM_SOFTFLOAT_H
