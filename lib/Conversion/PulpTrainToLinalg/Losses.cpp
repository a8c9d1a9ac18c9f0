//===- Losses.cpp - Lowering of softmax and the losses --------------------===//
//
// Softmax along a dimension and its gradient, the MSE loss and the softmax
// cross-entropy loss with their gradients (max-subtracted, in f32). A loss
// followed by its gradient of the same operands is lowered with it: one
// pass over the operands (MSE), one exponential per logit (cross-entropy).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {


/// The dimensions of a rank-`rank` tensor other than `axis`.
SmallVector<int64_t> allBut(int64_t rank, int64_t axis) {
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      dims.push_back(d);
  return dims;
}

/// Applies `fn` element-wise over `shape`; inputs of lower rank are
/// reductions along `axis` and broadcast along it.
Value mapAlong(TensorBuilder &tb, ValueRange inputs, ArrayRef<int64_t> shape,
               int64_t axis, MapFn fn) {
  unsigned rank = shape.size();
  SmallVector<AffineExpr> identity, reduced;
  for (unsigned d = 0; d < rank; ++d) {
    identity.push_back(tb.dim(d));
    if (d != axis)
      reduced.push_back(tb.dim(d));
  }
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(tb.affineMap(
        rank, shapeOf(in).size() == rank ? identity : reduced));
  Value init = tensor::EmptyOp::create(tb.builder(), tb.location(), shape,
                                       tb.f32());
  return tb.generic(init, inputs, maps, tb.affineMap(rank, identity),
                    iteratorTypes(rank, rank),
                    [&](OpBuilder &b, Location loc, ValueRange in, Value) {
                      return fn(b, loc, in);
                    });
}

/// exp(x - max) along `axis` and its sum: the pieces of a stable softmax.
std::pair<Value, Value> expAndSum(TensorBuilder &tb, Value x, int64_t axis) {
  ArrayRef<int64_t> shape = shapeOf(x);
  SmallVector<int64_t> keep = allBut(shape.size(), axis);
  Value max = tb.reduce({x}, keep, nullptr, /*maximum=*/true);
  Value e = mapAlong(tb, {x, max}, shape, axis,
                     [](OpBuilder &b, Location loc, ValueRange in) {
                       return math::ExpOp::create(
                                  b, loc, arith::SubFOp::create(b, loc, in[0],
                                                                in[1]))
                           .getResult();
                     });
  Value sum = tb.reduce({e}, keep, nullptr);
  return {e, sum};
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    Value x = adaptor.getInput();
    int64_t axis = normalizeAxis(op.getAxis(), shapeOf(x).size());
    auto [e, sum] = expAndSum(tb, x, axis);
    Value y = mapAlong(tb, {e, sum}, shapeOf(x), axis,
                       [](OpBuilder &b, Location loc, ValueRange in) {
                         return arith::DivFOp::create(b, loc, in[0], in[1])
                             .getResult();
                       });
    rewriter.replaceOp(op, tb.castTo(y, resultElementType(op)));
    return success();
  }
};

struct SoftmaxGradLowering : OpConversionPattern<SoftmaxGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    Value y = adaptor.getForward(), dy = adaptor.getGradOutput();
    int64_t rank = shapeOf(y).size();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    Value dot = tb.reduce({y, dy}, allBut(rank, axis),
                          [](OpBuilder &b, Location loc, ValueRange in) {
                            return arith::MulFOp::create(b, loc, in[0], in[1])
                                .getResult();
                          });
    Value dx = mapAlong(tb, {y, dy, dot}, shapeOf(y), axis,
                        [](OpBuilder &b, Location loc, ValueRange in) {
                          Value d = arith::SubFOp::create(b, loc, in[1], in[2]);
                          return arith::MulFOp::create(b, loc, in[0], d)
                              .getResult();
                        });
    rewriter.replaceOp(op, tb.castTo(dx, resultElementType(op)));
    return success();
  }
};

/// The gradient op of type GradOpT with the same two operands (prediction or
/// logits, target) as `loss`, after it in its block, if any: then both are
/// lowered together, at the loss, where the operands are already defined.
template <typename GradOpT>
GradOpT findGradient(Operation *loss) {
  Value x = loss->getOperand(0), t = loss->getOperand(1);
  for (Operation *user : x.getUsers()) {
    auto grad = dyn_cast<GradOpT>(user);
    if (grad && grad->getOperand(0) == x && grad->getOperand(1) == t &&
        grad->getBlock() == loss->getBlock() && loss->isBeforeInBlock(grad))
      return grad;
  }
  return {};
}

/// loss = sum((p - t)^2) * (1/n); with an mse_loss_grad of the same operands
/// after it, grad = (p - t) * (2/n) in the same generic (one pass over p and
/// t, one kernel instead of two; each value computed as apart).
struct MseLossLowering : OpConversionPattern<MseLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MseLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    auto type = cast<RankedTensorType>(op.getPrediction().getType());
    double n = type.getNumElements();
    auto gradOp = findGradient<MseLossGradOp>(op);
    Value sum, grad;
    if (gradOp) {
      // Loops (i), a reduction: sum += d*d; grad[i] = d * 2/n, d = p - t.
      Location loc = op.getLoc();
      unsigned rank = type.getRank();
      AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
      AffineMap scalar = AffineMap::get(rank, 0, rewriter.getContext());
      Value sumInit = tb.filled({}, 0.0);
      Value gradInit =
          tensor::EmptyOp::create(rewriter, loc, type.getShape(), tb.f32());
      auto generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{sumInit.getType(), gradInit.getType()},
          ValueRange{adaptor.getPrediction(), adaptor.getTarget()},
          ValueRange{sumInit, gradInit},
          ArrayRef<AffineMap>{identity, identity, scalar, identity},
          iteratorTypes(rank, 0),
          [&](OpBuilder &b, Location nloc, ValueRange args) {
            TensorBuilder inner(b, nloc);
            Value d = arith::SubFOp::create(b, nloc, inner.extend(args[0]),
                                            inner.extend(args[1]));
            Value square = arith::MulFOp::create(b, nloc, d, d);
            Value acc = arith::AddFOp::create(b, nloc, args[2], square);
            Value scale =
                arith::ConstantOp::create(b, nloc, b.getF32FloatAttr(2.0 / n));
            Value g = arith::MulFOp::create(b, nloc, d, scale);
            linalg::YieldOp::create(b, nloc, ValueRange{acc, g});
          });
      sum = generic.getResult(0);
      grad = generic.getResult(1);
    } else {
      sum = tb.reduce({adaptor.getPrediction(), adaptor.getTarget()}, {},
                      [](OpBuilder &b, Location loc, ValueRange in) {
                        Value d = arith::SubFOp::create(b, loc, in[0], in[1]);
                        return arith::MulFOp::create(b, loc, d, d).getResult();
                      });
    }
    Value loss = tb.map(
        {sum},
        [&](OpBuilder &b, Location loc, ValueRange in) {
          Value inv = arith::ConstantOp::create(b, loc,
                                                b.getF32FloatAttr(1.0 / n));
          return arith::MulFOp::create(b, loc, in[0], inv).getResult();
        },
        {});
    rewriter.replaceOp(op, tb.castTo(loss, resultElementType(op)));
    if (gradOp)
      rewriter.replaceOp(gradOp, tb.castTo(grad, resultElementType(gradOp)));
    return success();
  }
};

/// The pieces of the softmax cross-entropy of logits `x` and target `t`
/// (rank 1) that its loss and its gradient share.
struct CrossEntropySums {
  Value max, sumExp, sumT, sumTX;
  Value exp; // exp(x - max), when asked for
};

/// max(x), then one reduction for sum(exp(x - max)), sum(t), sum(t * x).
/// With `withExp` (the gradient needs exp(x - max) too), the exponentials
/// are an element-wise map of their own before the reduction, which sums
/// them in the same order: the map forks over the cores, where inside the
/// reduction one core computed every exponential (10 logits on 8 cores:
/// 700 of the loss's 1,600 cycles). Without it, one reduction computes them.
CrossEntropySums crossEntropySums(TensorBuilder &tb, Value x, Value t,
                                  bool withExp) {
  OpBuilder &b = tb.builder();
  Location loc = tb.location();
  CrossEntropySums sums;
  sums.max = tb.reduce({x}, {}, nullptr, /*maximum=*/true);
  auto expOf = [](OpBuilder &nb, Location nloc, Value xi, Value max) {
    return math::ExpOp::create(nb, nloc,
                               arith::SubFOp::create(nb, nloc, xi, max))
        .getResult();
  };
  if (withExp)
    sums.exp = tb.map(
        {x, sums.max},
        [&](OpBuilder &nb, Location nloc, ValueRange in) {
          return expOf(nb, nloc, in[0], in[1]);
        },
        shapeOf(x));
  AffineMap element = tb.affineMap(1, {tb.dim(0)});
  AffineMap scalar = tb.affineMap(1, {});
  SmallVector<Value> inits = {tb.filled({}, 0.0), tb.filled({}, 0.0),
                              tb.filled({}, 0.0)};
  // Inputs: x, then exp(x - max) or max, then t.
  Value second = withExp ? sums.exp : sums.max;
  SmallVector<AffineMap> maps = {
      element, withExp ? element : scalar, element, scalar, scalar, scalar};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange(ValueRange(inits)), ValueRange{x, second, t}, inits,
      maps, iteratorTypes(1, 0),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        TensorBuilder inner(nb, nloc);
        Value xi = inner.extend(args[0]), ti = inner.extend(args[2]);
        Value e = withExp ? args[1] : expOf(nb, nloc, xi, args[1]);
        SmallVector<Value> results = {
            arith::AddFOp::create(nb, nloc, args[3], e),
            arith::AddFOp::create(nb, nloc, args[4], ti),
            arith::AddFOp::create(nb, nloc, args[5],
                                  arith::MulFOp::create(nb, nloc, ti, xi))};
        linalg::YieldOp::create(nb, nloc, results);
      });
  sums.sumExp = generic.getResult(0);
  sums.sumT = generic.getResult(1);
  sums.sumTX = generic.getResult(2);
  return sums;
}

/// grad = exp / sumExp * sum(t) - t, that is softmax(x) * sum(t) - t.
Value crossEntropyGradient(TensorBuilder &tb, Value exp, Value sumExp,
                           Value sumT, Value t) {
  return tb.map(
      {exp, sumExp, sumT, t},
      [](OpBuilder &b, Location loc, ValueRange in) {
        Value p = arith::DivFOp::create(b, loc, in[0], in[1]);
        return arith::SubFOp::create(
                   b, loc, arith::MulFOp::create(b, loc, p, in[2]), in[3])
            .getResult();
      },
      shapeOf(exp));
}

/// loss = logsumexp(x) * sum(t) - sum(t * x); with a cross_entropy_loss_grad
/// of the same operands after it, its gradient from the same max, sums and
/// exponentials (each value computed as apart).
struct CrossEntropyLossLowering : OpConversionPattern<CrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CrossEntropyLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    Value x = adaptor.getLogits(), t = adaptor.getTarget();
    auto gradOp = findGradient<CrossEntropyLossGradOp>(op);
    CrossEntropySums sums = crossEntropySums(tb, x, t, bool(gradOp));
    Value loss = tb.map(
        {sums.max, sums.sumExp, sums.sumT, sums.sumTX},
        [](OpBuilder &b, Location loc, ValueRange in) {
          Value lse = arith::AddFOp::create(
              b, loc, in[0], math::LogOp::create(b, loc, in[1]));
          return arith::SubFOp::create(
                     b, loc, arith::MulFOp::create(b, loc, lse, in[2]), in[3])
              .getResult();
        },
        {});
    rewriter.replaceOp(op, tb.castTo(loss, resultElementType(op)));
    if (gradOp) {
      Value grad =
          crossEntropyGradient(tb, sums.exp, sums.sumExp, sums.sumT, t);
      rewriter.replaceOp(gradOp, tb.castTo(grad, resultElementType(gradOp)));
    }
    return success();
  }
};

/// grad = softmax(x) * sum(t) - t (a gradient without its loss before it).
struct CrossEntropyLossGradLowering
    : OpConversionPattern<CrossEntropyLossGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CrossEntropyLossGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    Value x = adaptor.getLogits(), t = adaptor.getTarget();
    auto [e, sum] = expAndSum(tb, x, 0);
    Value sumT = tb.reduce({t}, {}, nullptr);
    Value grad = crossEntropyGradient(tb, e, sum, sumT, t);
    rewriter.replaceOp(op, tb.castTo(grad, resultElementType(op)));
    return success();
  }
};

} // namespace

void mlir::pulptrain::populateLossLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering, SoftmaxGradLowering, MseLossLowering,
               CrossEntropyLossLowering, CrossEntropyLossGradLowering>(
      patterns.getContext());
}
