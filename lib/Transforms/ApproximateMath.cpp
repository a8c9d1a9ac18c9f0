//===- ApproximateMath.cpp - Inline approximations of exp, log, tanh ------===//
//
// Replaces math.exp, math.log and math.tanh by upstream MLIR's polynomial
// approximations (range reduction, polynomials of fused multiply-adds, bit
// operations on the exponent), so that no libm call is left in the
// element-wise kernels. Upstream's patterns are used as they are: they are
// written for f32 (the cores' FP32 has fma, min/max through compares and
// selects, and integer bit casts, all one instruction each with Zfinx), and
// f16/bf16 reuse them through f32 (extend, approximate, truncate), which is
// also what the f16 and bf16 kernels need: an f16 polynomial would lose the
// accuracy that the final rounding to f16 keeps. One gap of upstream's log
// is closed here: it reads the exponent field directly, so a subnormal input
// (f32 below 2^-126, and every bf16 subnormal) came out as if it were about
// 2^-126; such inputs are scaled by 2^24 first and 24 ln 2 is subtracted.
// The measured maximum errors are in docs/ReferenceLowering.md
// (python/pulptrain/math_accuracy.py).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
/// The math ops the pulptrain lowering emits that would otherwise be libm
/// calls (math.sqrt and math.fma are single instructions).
bool isApproximated(StringRef name) {
  return name == math::ExpOp::getOperationName() ||
         name == math::LogOp::getOperationName() ||
         name == math::TanhOp::getOperationName();
}

/// log(x) = log(x * 2^24) - 24 ln 2 for an f32 `log` whose input is below
/// the smallest normal number (upstream's approximation takes the exponent
/// from the bits, which a subnormal does not hold). Zero, negative and NaN
/// inputs go through unchanged in effect (log of 0 * 2^24 is still -inf).
void scaleSubnormalInput(math::LogOp log) {
  if (!log.getType().isF32())
    return;
  OpBuilder b(log);
  Location loc = log.getLoc();
  auto f32 = [&](double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  };
  Value x = log.getOperand();
  Value small = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                      f32(0x1p-126));
  Value scaled = arith::MulFOp::create(b, loc, x, f32(0x1p24));
  log.getOperandMutable().assign(
      arith::SelectOp::create(b, loc, small, scaled, x));
  b.setInsertionPointAfter(log);
  Value offset = arith::SelectOp::create(b, loc, small,
                                         f32(24 * 0.69314718055994530942),
                                         f32(0));
  auto result = arith::SubFOp::create(b, loc, log.getResult(), offset);
  log.getResult().replaceAllUsesExcept(result, result);
}

/// The ops of `root` that the approximations rewrite.
SmallVector<Operation *> collectApproximated(Operation *root) {
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) {
    if (isa<math::ExpOp, math::LogOp, math::TanhOp>(op))
      ops.push_back(op);
  });
  return ops;
}

/// Applies `patterns` to `ops` and the ops they create only: a training
/// step's module is large and holds few transcendentals (a greedy run over
/// all of it cost a tenth of pulptrain-opt's time on MobileNetV1).
LogicalResult applyTo(ArrayRef<Operation *> ops,
                      RewritePatternSet &&patterns) {
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  return applyOpPatternsGreedily(ops, FrozenRewritePatternSet(
                                          std::move(patterns)),
                                 config);
}

struct ApproximateMathPass
    : pulptrain::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    // f16 and bf16 through f32, subnormal logs scaled, then the
    // polynomials.
    SmallVector<Operation *> ops = collectApproximated(getOperation());
    if (ops.empty())
      return;
    RewritePatternSet toF32(&getContext());
    populateMathF32ExpansionPatterns(toF32, isApproximated);
    if (failed(applyTo(ops, std::move(toF32))))
      return signalPassFailure();
    ops = collectApproximated(getOperation());
    for (Operation *op : ops)
      if (auto log = dyn_cast<math::LogOp>(op))
        scaleSubnormalInput(log);
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    if (failed(applyTo(ops, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
