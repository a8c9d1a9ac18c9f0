//===- PulpTrainToLinalg.cpp - The pulptrain to linalg conversion pass ----===//
//
// Collects the lowering patterns of every op group and applies them as a
// partial conversion: pulptrain ops are illegal afterwards. What the ops
// that pulptrain-recompute computes again lower to is marked, for CSE.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Conversion/Passes.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_CONVERTPULPTRAINTOLINALG
#include "pulptrain/Conversion/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

void mlir::pulptrain::populatePulpTrainToLinalgPatterns(
    RewritePatternSet &patterns) {
  populateElementwiseLoweringPatterns(patterns);
  populateLinearConvLoweringPatterns(patterns);
  populatePoolingLoweringPatterns(patterns);
  populateNormalizationLoweringPatterns(patterns);
  populateLossLoweringPatterns(patterns);
}

namespace {
struct ConvertPulpTrainToLinalgPass
    : pulptrain::impl::ConvertPulpTrainToLinalgBase<ConvertPulpTrainToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<PulpTrainDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(context);
    populatePulpTrainToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    markRecomputed();
  }

  /// What the ops that pulptrain-recompute computes again lower to (their
  /// fused locations carry its mark) gets the `pulptrain.recomputed`
  /// attribute: CSE compares attributes, not locations, and would merge
  /// them back into the forward ops they repeat.
  void markRecomputed() {
    auto marker = StringAttr::get(&getContext(), attrs::kRecomputedLoc);
    auto unit = UnitAttr::get(&getContext());
    getOperation()->walk([&](Operation *op) {
      if (!llvm::any_of(op->getResultTypes(), llvm::IsaPred<TensorType>))
        return;
      bool marked = false;
      op->getLoc()->walk([&](Location loc) {
        auto fused = dyn_cast<FusedLoc>(loc);
        marked = fused && fused.getMetadata() == marker;
        return marked ? WalkResult::interrupt() : WalkResult::advance();
      });
      if (marked)
        op->setAttr(attrs::kRecomputed, unit);
    });
  }
};
} // namespace
