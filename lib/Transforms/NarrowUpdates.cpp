//===- NarrowUpdates.cpp - f16/bf16 optimizer updates in their own type ---===//
//
// The reference lowering of an SGD update computes in f32 and rounds each
// result once (convert-pulptrain-to-linalg): for an f16 or bf16 parameter,
// every element is extended, updated in f32 and rounded back. On the
// cluster that is scalar code, two conversions per operand and one per
// result, and no SIMD instruction can run it: the cores' packed-pair
// arithmetic computes lane by lane in the 16-bit format. PULP-TrainLib's
// FP16 optimizer computes in FP16 for that reason.
//
// This pass rewrites the body of an f16/bf16 SGD update (the generic that
// convert-pulptrain-to-linalg marks `pulptrain.optimizer_update`) to compute
// in the parameter's type: each multiply-add of the update (`w - lr * g`,
// `momentum * buf + g`, `g + wd * w`) becomes one 16-bit `math.fma`, rounded
// once, each constant (lr, momentum, weight decay) rounded to the 16-bit
// type. pulptrain-vectorize-pairs then runs two elements at a time as one
// `vfmac.h` / `vfmac.ah` (docs/Vectorization.md, "Updates in the
// parameter's type"). The gradient's own rounding (a rounded product, once
// pulptrain-fuse-weight-update fuses it) is left as it is.
//
// Not bit-identical to the f32 arithmetic: the constants carry 11 (f16) or
// 8 (bf16) significant bits instead of 24, and an update with momentum
// rounds the buffer before the parameter's step reads it (as PyTorch's own
// `buf.mul_(momentum).add_(grad)` on 16-bit tensors rounds after each op).
// An update whose constant would lose more than that (zero or subnormal in
// the 16-bit type, such as an f16 lr below 2^-14) or whose body holds
// anything but extensions, roundings, additions, subtractions and
// multiplications (Adam: a square root and a division) keeps its f32
// arithmetic.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "Utils.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_NARROWUPDATES
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// `value` rounded to the 16-bit float type `type` when it stays exact to
/// that type's precision: zero, or a finite normal number (an f16 below
/// 2^-14 would lose significant bits, one below 2^-24 become zero).
std::optional<APFloat> narrowConstant(APFloat value, FloatType type) {
  bool losesInfo = false;
  value.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  if (value.isZero() || (value.isNormal() && value.isFinite()))
    return value;
  return std::nullopt;
}

bool isPlainArith(Operation *op) {
  auto fastmath = dyn_cast<arith::ArithFastMathInterface>(op);
  return fastmath &&
         fastmath.getFastMathFlagsAttr().getValue() == arith::FastMathFlags::none;
}

/// Whether every op of `body` can compute in `type`: extensions from it,
/// roundings to it without a rounding mode, f32 constants that narrow, and
/// f32 additions, subtractions and multiplications; f32 block arguments
/// (a gradient the update rounds) only rounded; every yielded value of
/// `type`.
bool canNarrow(Block &body, FloatType type) {
  for (BlockArgument arg : body.getArguments())
    if (arg.getType().isF32() &&
        !llvm::all_of(arg.getUsers(), [](Operation *user) {
          return isa<arith::TruncFOp>(user);
        }))
      return false;
  bool narrows = false;
  for (Operation &op : body.without_terminator()) {
    if (auto ext = dyn_cast<arith::ExtFOp>(op)) {
      if (ext.getIn().getType() != type || !ext.getType().isF32())
        return false;
      narrows = true;
    } else if (auto trunc = dyn_cast<arith::TruncFOp>(op)) {
      if (trunc.getType() != type || trunc.getRoundingmodeAttr() ||
          !trunc.getIn().getType().isF32())
        return false;
    } else if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto value = dyn_cast<FloatAttr>(constant.getValue());
      if (!value || !value.getType().isF32() ||
          !narrowConstant(value.getValue(), type))
        return false;
    } else if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp>(op)) {
      if (!op.getResult(0).getType().isF32() || !isPlainArith(&op))
        return false;
    } else {
      return false;
    }
  }
  return narrows && llvm::all_of(body.getTerminator()->getOperands(),
                                 [&](Value v) { return v.getType() == type; });
}

/// Rewrites the f32 arithmetic of a marked f16/bf16 update into its
/// parameter's type, multiply-adds fused.
struct NarrowUpdate : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op->hasAttr(attrs::kOptimizerUpdate) || op.getNumDpsInputs() == 0)
      return failure();
    auto type = dyn_cast<FloatType>(
        getElementTypeOrSelf(op.getDpsInputOperand(0)->get().getType()));
    if (!type || type.getWidth() != 16 ||
        llvm::any_of(op->getResultTypes(), [&](Type t) {
          return getElementTypeOrSelf(t) != type;
        }))
      return failure();
    Block &body = op.getRegion().front();
    if (!canNarrow(body, type))
      return failure();

    // The narrowed value of each f32 value; a multiplication whose only
    // user adds or subtracts it is left to that user, which fuses it. One
    // product per fma: of `a * b + c * d`, the first operand's.
    DenseMap<Value, Value> narrow;
    auto isSingleUseProduct = [](Value v) {
      auto mul = v.getDefiningOp<arith::MulFOp>();
      return mul && mul->hasOneUse();
    };
    auto isFusedProduct = [&](Value v) {
      if (!isSingleUseProduct(v))
        return false;
      Operation *user = *v.getUsers().begin();
      return isa<arith::AddFOp, arith::SubFOp>(user) &&
             (user->getOperand(0) == v ||
              !isSingleUseProduct(user->getOperand(0)));
    };
    auto get = [&](Value v) -> Value {
      if (v.getType() == type)
        return v;
      if (auto constant = v.getDefiningOp<arith::ConstantOp>()) {
        APFloat value = *narrowConstant(
            cast<FloatAttr>(constant.getValue()).getValue(), type);
        return arith::ConstantOp::create(rewriter, v.getLoc(), type,
                                         rewriter.getFloatAttr(type, value));
      }
      return narrow.lookup(v);
    };
    // -v, exact: a constant negated, otherwise arith.negf.
    auto negate = [&](Value v) -> Value {
      if (auto constant = v.getDefiningOp<arith::ConstantOp>()) {
        APFloat value = *narrowConstant(
            cast<FloatAttr>(constant.getValue()).getValue(), type);
        value.changeSign();
        return arith::ConstantOp::create(rewriter, v.getLoc(), type,
                                         rewriter.getFloatAttr(type, value));
      }
      return arith::NegFOp::create(rewriter, v.getLoc(), get(v));
    };
    // a * b + c as one fma, `negateProduct` for c - a * b.
    auto fma = [&](Location loc, arith::MulFOp mul, Value c,
                   bool negateProduct) -> Value {
      Value a = mul.getLhs(), b = mul.getRhs();
      if (negateProduct && a.getDefiningOp<arith::ConstantOp>())
        std::swap(a, b);
      return math::FmaOp::create(rewriter, loc, get(a),
                                 negateProduct ? negate(b) : get(b), c);
    };

    rewriter.modifyOpInPlace(op, [&] {
      SmallVector<Operation *> old;
      for (Operation &inner : body.without_terminator())
        old.push_back(&inner);
      for (Operation *inner : old) {
        rewriter.setInsertionPoint(inner);
        Location loc = inner->getLoc();
        Value result;
        if (auto ext = dyn_cast<arith::ExtFOp>(inner)) {
          result = ext.getIn();
        } else if (auto trunc = dyn_cast<arith::TruncFOp>(inner)) {
          // The rounding of an f32 input stays; of a computed value, it is
          // the narrowed value.
          if (isa<BlockArgument>(trunc.getIn()))
            continue;
          rewriter.replaceAllUsesWith(trunc.getResult(), get(trunc.getIn()));
          continue;
        } else if (isa<arith::ConstantOp>(inner) ||
                   isFusedProduct(inner->getResult(0))) {
          continue;
        } else if (auto add = dyn_cast<arith::AddFOp>(inner)) {
          if (isFusedProduct(add.getLhs()))
            result = fma(loc, add.getLhs().getDefiningOp<arith::MulFOp>(),
                         get(add.getRhs()), false);
          else if (isFusedProduct(add.getRhs()))
            result = fma(loc, add.getRhs().getDefiningOp<arith::MulFOp>(),
                         get(add.getLhs()), false);
          else
            result = arith::AddFOp::create(rewriter, loc, get(add.getLhs()),
                                           get(add.getRhs()));
        } else if (auto sub = dyn_cast<arith::SubFOp>(inner)) {
          if (isFusedProduct(sub.getRhs()))
            result = fma(loc, sub.getRhs().getDefiningOp<arith::MulFOp>(),
                         get(sub.getLhs()), true);
          else if (isFusedProduct(sub.getLhs()))
            result = fma(loc, sub.getLhs().getDefiningOp<arith::MulFOp>(),
                         negate(sub.getRhs()), false);
          else
            result = arith::SubFOp::create(rewriter, loc, get(sub.getLhs()),
                                           get(sub.getRhs()));
        } else if (auto mul = dyn_cast<arith::MulFOp>(inner)) {
          result = arith::MulFOp::create(rewriter, loc, get(mul.getLhs()),
                                         get(mul.getRhs()));
        }
        narrow[inner->getResult(0)] = result;
      }
      // The f32 ops, now unused, last first.
      for (Operation *inner : llvm::reverse(old))
        if (inner->use_empty())
          rewriter.eraseOp(inner);
    });
    return success();
  }
};

struct NarrowUpdatesPass
    : pulptrain::impl::NarrowUpdatesBase<NarrowUpdatesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateNarrowUpdatesPatterns(patterns);
    int64_t before = 0, after = 0;
    auto count = [&](int64_t &n) {
      n = 0;
      getOperation()->walk([&](linalg::GenericOp op) {
        n += op->hasAttr(attrs::kOptimizerUpdate) &&
             llvm::any_of(op.getRegion().front(), [](Operation &inner) {
               return isa<arith::ExtFOp>(inner);
             });
      });
    };
    count(before);
    if (failed(applyOnlyPatterns(getOperation(), std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    count(after);
    numNarrowed += before - after;
  }
};

} // namespace

void mlir::pulptrain::populateNarrowUpdatesPatterns(
    RewritePatternSet &patterns) {
  patterns.add<NarrowUpdate>(patterns.getContext());
}
