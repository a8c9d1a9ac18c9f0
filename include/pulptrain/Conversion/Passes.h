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
namespace arith {
class ArithDialect;
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

#define GEN_PASS_DECL
#include "pulptrain/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pulptrain/Conversion/Passes.h.inc"

} // namespace mlir::pulptrain

#endif // PULPTRAIN_CONVERSION_PASSES_H
