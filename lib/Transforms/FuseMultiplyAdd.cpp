//===- FuseMultiplyAdd.cpp - a * b + c as one fused multiply-add ----------===//
//
// Rewrites floating-point multiply-adds into math.fma, which the cores
// execute as one fmadd (FP32 on x registers with Zfinx, FP16 with Zhinx).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_FUSEMULTIPLYADD
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
/// The cores fuse f32 (Zfinx) and f16 (Zhinx); bf16 has no fused op.
bool isFusable(Type type) {
  Type element = getElementTypeOrSelf(type);
  return element.isF32() || element.isF16() || element.isF64();
}

/// addf(mulf(a, b), c) and addf(c, mulf(a, b)) -> fma(a, b, c) when the
/// product has no other use; subf(c, mulf(a, b)) -> fma(-a, b, c). Only
/// for the types the cores fuse in hardware.
struct FuseMultiplyAdd : OpRewritePattern<arith::AddFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    if (!isFusable(add.getType()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto mul = add->getOperand(i).getDefiningOp<arith::MulFOp>();
      if (!mul || !mul->hasOneUse())
        continue;
      rewriter.replaceOpWithNewOp<math::FmaOp>(add, mul.getLhs(),
                                               mul.getRhs(),
                                               add->getOperand(1 - i));
      return success();
    }
    return failure();
  }
};

struct FuseMultiplySub : OpRewritePattern<arith::SubFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::SubFOp sub,
                                PatternRewriter &rewriter) const override {
    auto mul = sub.getRhs().getDefiningOp<arith::MulFOp>();
    if (!mul || !mul->hasOneUse() || !isFusable(sub.getType()))
      return failure();
    Value negated = arith::NegFOp::create(rewriter, mul.getLoc(),
                                          mul.getLhs());
    rewriter.replaceOpWithNewOp<math::FmaOp>(sub, negated, mul.getRhs(),
                                             sub.getLhs());
    return success();
  }
};

struct FuseMultiplyAddPass
    : pulptrain::impl::FuseMultiplyAddBase<FuseMultiplyAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseMultiplyAddPatterns(patterns);
    // The patterns replace arithmetic inside blocks: no block becomes dead
    // or equal to another, so the driver's region simplification has
    // nothing of theirs to do (it took about half of the pass on
    // MobileNetV1-0.25's 480 functions; the IR is the same without it).
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      signalPassFailure();
  }
};
} // namespace

void mlir::pulptrain::populateFuseMultiplyAddPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FuseMultiplyAdd, FuseMultiplySub>(patterns.getContext());
}
