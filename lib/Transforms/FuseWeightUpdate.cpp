//===- FuseWeightUpdate.cpp - weight gradients fused into their update ----===//
//
// Fuses the element-wise producers of an optimizer update's gradient into
// the update, so that a weight gradient used by nothing else is computed
// element by element inside the update and never materialized.
//
// The fusion itself is upstream's (linalg::fuseElementwiseOps); this file
// only chooses what to fuse. It does not use the upstream pattern set
// (populateElementwiseOpsFusionPatterns) because its control function sees
// one operand at a time, and the op it must recognize, the update, is a new
// op after each fusion (a gradient in f16 is a cast fused first, then the
// product it casts); the pattern here keeps the update's mark on the fused
// op, and the upstream set would also fold constants and fills into every
// other generic of the step.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_FUSEWEIGHTUPDATE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

bool isOptimizerUpdate(Operation *op) {
  return op->hasAttr(attrs::kOptimizerUpdate);
}

/// Whether input `operand` of `update` carries its gradient: every input but
/// the parameter (the first) and the optimizer state (the last ones, one per
/// result after the parameter's, e.g. the momentum buffer). Fusion keeps
/// this order: a producer's inputs replace the fused input in place.
bool isGradientInput(linalg::GenericOp update, OpOperand &operand) {
  if (!update.isDpsInput(&operand))
    return false;
  unsigned index = operand.getOperandNumber();
  unsigned numState = update.getNumDpsInits() - 1;
  return index >= 1 && index + numState < update.getNumDpsInputs();
}

/// Whether the producer of `operand` can be fused into `update` without
/// keeping any of its results: the upstream conditions, every result used by
/// the update alone, and no result initialized from its init (such a result
/// would stay a result of the fused op, and the gradient be materialized).
bool isFusableGradient(linalg::GenericOp update, OpOperand &operand) {
  if (!isGradientInput(update, operand) ||
      !linalg::areElementwiseOpsFusable(&operand))
    return false;
  auto producer = operand.get().getDefiningOp<linalg::GenericOp>();
  for (OpResult result : producer->getResults())
    for (Operation *user : result.getUsers())
      if (user != update.getOperation())
        return false;
  return llvm::none_of(producer.getDpsInitsMutable(), [&](OpOperand &init) {
    return producer.payloadUsesValueFromOperand(&init);
  });
}

/// Fuses one producer of a marked update's gradient into it; the fused op
/// keeps the mark, so the pattern applies again to the producer's own
/// producers.
struct FuseGradientIntoUpdate : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp update,
                                PatternRewriter &rewriter) const override {
    if (!isOptimizerUpdate(update))
      return rewriter.notifyMatchFailure(update, "not an optimizer update");
    for (OpOperand &operand : update->getOpOperands()) {
      if (!isFusableGradient(update, operand))
        continue;
      Operation *producer = operand.get().getDefiningOp();
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        return failure();
      fused->fusedOp->setAttr(attrs::kOptimizerUpdate, rewriter.getUnitAttr());
      for (auto [from, to] : fused->replacements)
        rewriter.replaceAllUsesWith(from, to);
      rewriter.eraseOp(update);
      rewriter.eraseOp(producer);
      return success();
    }
    return rewriter.notifyMatchFailure(update, "no fusable gradient");
  }
};

struct FuseWeightUpdatePass
    : pulptrain::impl::FuseWeightUpdateBase<FuseWeightUpdatePass> {
  void runOnOperation() override {
    // Each fusion replaces two generics (an update and one producer) by one.
    auto countGenerics = [&] {
      int64_t count = 0;
      getOperation()->walk([&](linalg::GenericOp) { ++count; });
      return count;
    };
    int64_t before = countGenerics();

    RewritePatternSet patterns(&getContext());
    populateFuseWeightUpdatePatterns(patterns);
    // Only the fusions: other ops are left for canonicalize.
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config))) {
      signalPassFailure();
      return;
    }
    numFused += before - countGenerics();
    getOperation()->walk(
        [&](linalg::GenericOp op) { op->removeAttr(attrs::kOptimizerUpdate); });
  }
};

} // namespace

void mlir::pulptrain::populateFuseWeightUpdatePatterns(
    RewritePatternSet &patterns) {
  patterns.add<FuseGradientIntoUpdate>(patterns.getContext());
}
