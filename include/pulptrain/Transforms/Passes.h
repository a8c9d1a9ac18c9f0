//===- Passes.h - pulptrain transformation passes -----------------*- C++ -*-===//
//
// Declares the transformation passes and their pattern sets.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_TRANSFORMS_PASSES_H
#define PULPTRAIN_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class ModuleOp;
namespace arith {
class ArithDialect;
} // namespace arith
namespace bufferization {
class BufferizationDialect;
} // namespace bufferization
namespace func {
class FuncDialect;
class FuncOp;
} // namespace func
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
namespace math {
class MathDialect;
} // namespace math
namespace memref {
class MemRefDialect;
} // namespace memref
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace scf {
class SCFDialect;
} // namespace scf
namespace tensor {
class TensorDialect;
} // namespace tensor
namespace vector {
class VectorDialect;
} // namespace vector
namespace pulptrain {
class PulpTrainDialect;
namespace cluster {
class ClusterDialect;
} // namespace cluster
} // namespace pulptrain
} // namespace mlir

namespace mlir::pulptrain {

/// Adds the pattern fusing the element-wise producers of a marked optimizer
/// update's gradient into the update (pulptrain-fuse-weight-update).
void populateFuseWeightUpdatePatterns(RewritePatternSet &patterns);

/// Adds the patterns fusing an f16/bf16 rounding into the op that computes
/// its f32 input: an element-wise op, or a reduction rounded in its
/// epilogue; and moving roundings before reshapes and insertions
/// (pulptrain-fuse-rounding).
void populateFuseRoundingPatterns(RewritePatternSet &patterns);

/// Adds the pattern collapsing an element-wise linalg.generic on contiguous
/// buffers to one loop (pulptrain-collapse-elementwise).
void populateCollapseElementwisePatterns(RewritePatternSet &patterns);

/// Adds the pattern rewriting a marked f16/bf16 SGD update to compute in
/// its parameter's type (pulptrain-narrow-updates).
void populateNarrowUpdatesPatterns(RewritePatternSet &patterns);

/// Element-wise linalg.generic ops on tensors that take an input that dies
/// at them as their init (pulptrain-elementwise-in-place).
void populateElementwiseInPlacePatterns(RewritePatternSet &patterns);

/// Adds the patterns fusing floating-point multiply-adds into math.fma.
void populateFuseMultiplyAddPatterns(RewritePatternSet &patterns);

/// The element type pulptrain-round-saved-activations keeps the saved
/// activations of an f32 training step in.
enum class SavedActivationType { F16, BF16 };

/// The values of the `type` option of pulptrain-round-saved-activations.
inline llvm::cl::ValuesClass getSavedActivationTypeValues() {
  return llvm::cl::values(
      clEnumValN(SavedActivationType::F16, "f16", "IEEE half precision"),
      clEnumValN(SavedActivationType::BF16, "bf16", "bfloat16"));
}

#define GEN_PASS_DECL
#include "pulptrain/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pulptrain/Transforms/Passes.h.inc"

} // namespace mlir::pulptrain

#endif // PULPTRAIN_TRANSFORMS_PASSES_H
