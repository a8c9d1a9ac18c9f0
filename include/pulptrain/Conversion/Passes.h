//===- Passes.h - pulptrain conversion passes ---------------------*- C++ -*-===//
//
// Declares the conversion passes and their pattern sets.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_CONVERSION_PASSES_H
#define PULPTRAIN_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class TypeConverter;
namespace LLVM {
class LLVMDialect;
}
namespace arith {
class ArithDialect;
}
namespace func {
class FuncDialect;
}
namespace memref {
class MemRefDialect;
}
namespace linalg {
class LinalgDialect;
}
namespace math {
class MathDialect;
}
namespace scf {
class SCFDialect;
}
namespace tensor {
class TensorDialect;
}
} // namespace mlir

namespace mlir::pulptrain {

/// Adds the patterns that lower every pulptrain op to linalg, tensor, scf,
/// arith and math on tensors.
void populatePulpTrainToLinalgPatterns(RewritePatternSet &patterns);

/// Adds the patterns that lower Conv2D ops and their gradients (except
/// depthwise ones) to patch buffers and matrix products, in chunks of at
/// most `patchBudget` bytes (0: no limit); forward ops when `forward`,
/// weight gradients when `weightGradient`, input gradients when
/// `inputGradient`.
void populateIm2ColPatterns(RewritePatternSet &patterns, int64_t patchBudget,
                            bool forward = true, bool weightGradient = true,
                            bool inputGradient = true);

/// Adds the patterns that lower f16/bf16 Conv2D forward and input-gradient
/// ops with an even count of reduced channels to direct convolutions over
/// channel pairs (operands copied with the channels innermost).
void populatePairChannelsPatterns(RewritePatternSet &patterns);

/// Adds the patterns that lower every cluster op to calls of the pulptrain
/// runtime; `converter` maps `!cluster.dma_token` to the runtime's handle.
void populateClusterToLLVMPatterns(TypeConverter &converter,
                                   RewritePatternSet &patterns);

/// Adds the patterns that lower packed f16/bf16 pair ops (cluster.dotpex,
/// lane-wise arithmetic and packing on vector<2xf16|bf16>) to Xfvec
/// instructions as `.insn` inline assembly.
void populatePairsToXfvecPatterns(RewritePatternSet &patterns);

#define GEN_PASS_DECL
#include "pulptrain/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pulptrain/Conversion/Passes.h.inc"

} // namespace mlir::pulptrain

#endif // PULPTRAIN_CONVERSION_PASSES_H
