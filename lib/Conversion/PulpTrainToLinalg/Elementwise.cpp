//===- Elementwise.cpp - Lowering of element-wise pulptrain ops -----------===//
//
// Activations and their gradients, residual add, casts, the MSE gradient
// and the SGD update, each as one element-wise linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Scalar arithmetic in f32 inside a generic body.
struct Scalar {
  OpBuilder &b;
  Location loc;
  Value c(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value gt0(Value x) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(0));
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
};

// One element of each op, from f32 operands.
Value element(ReluOp, Scalar s, ValueRange in) {
  // maximumf propagates NaN, as torch.relu.
  return arith::MaximumFOp::create(s.b, s.loc, in[0], s.c(0));
}
Value element(ReluGradOp, Scalar s, ValueRange in) {
  return s.select(s.gt0(in[0]), in[1], s.c(0));
}
Value element(LeakyReluOp op, Scalar s, ValueRange in) {
  Value slope = s.c(op.getNegativeSlope().convertToDouble());
  return s.select(s.gt0(in[0]), in[0], s.mul(in[0], slope));
}
Value element(LeakyReluGradOp op, Scalar s, ValueRange in) {
  Value slope = s.c(op.getNegativeSlope().convertToDouble());
  return s.select(s.gt0(in[0]), in[1], s.mul(in[1], slope));
}
Value element(SigmoidOp, Scalar s, ValueRange in) {
  Value e = math::ExpOp::create(s.b, s.loc, arith::NegFOp::create(s.b, s.loc,
                                                                  in[0]));
  return s.div(s.c(1), s.add(s.c(1), e));
}
Value element(SigmoidGradOp, Scalar s, ValueRange in) {
  return s.mul(in[1], s.mul(in[0], s.sub(s.c(1), in[0])));
}
Value element(TanhOp, Scalar s, ValueRange in) {
  return math::TanhOp::create(s.b, s.loc, in[0]);
}
Value element(TanhGradOp, Scalar s, ValueRange in) {
  return s.mul(in[1], s.sub(s.c(1), s.mul(in[0], in[0])));
}
Value element(AddOp, Scalar s, ValueRange in) { return s.add(in[0], in[1]); }
Value element(CastOp, Scalar, ValueRange in) { return in[0]; }
Value element(MseLossGradOp op, Scalar s, ValueRange in) {
  double n = cast<RankedTensorType>(op.getType()).getNumElements();
  return s.mul(s.sub(in[0], in[1]), s.c(2.0 / n));
}

/// Lowers an op computed element by element from same-shaped operands.
template <typename OpT>
struct ElementwiseLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    Value result = tb.map(
        adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange in) {
          return element(op, Scalar{b, loc}, in);
        },
        type.getShape());
    rewriter.replaceOp(op, tb.castTo(result, type.getElementType()));
    return success();
  }
};

/// torch.optim.SGD: g = grad + wd * param; buf' = momentum * buf + g;
/// param' = param - lr * (momentum ? buf' : g). One element-wise generic
/// (two results with momentum) computing in f32, so each element of the
/// parameter and its state is read and written once; it carries
/// attrs::kOptimizerUpdate for pulptrain-fuse-weight-update.
struct SgdUpdateLowering : OpConversionPattern<SgdUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SgdUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getParam().getType());
    Type elemType = type.getElementType();
    double lr = op.getLr().convertToDouble();
    double wd = op.getWeightDecay().convertToDouble();
    double momentum = op.getMomentum().convertToDouble();
    ValueRange in = adaptor.getOperands();
    unsigned numResults = momentum == 0.0 ? 1 : 2;

    SmallVector<Value> inits;
    for (unsigned i = 0; i < numResults; ++i)
      inits.push_back(
          tensor::EmptyOp::create(rewriter, loc, type.getShape(), elemType));
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    SmallVector<AffineMap> maps(in.size() + numResults, identity);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange(ValueRange(inits)), in, inits, maps,
        iteratorTypes(type.getRank(), type.getRank()),
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          TensorBuilder tb(b, nloc);
          Scalar s{b, nloc};
          Value param = tb.extend(args[0]);
          Value step = tb.extend(args[1]);
          if (wd != 0.0)
            step = s.add(step, s.mul(s.c(wd), param));
          if (momentum != 0.0)
            step = s.add(s.mul(s.c(momentum), tb.extend(args[2])), step);
          SmallVector<Value> results = {
              tb.truncate(s.sub(param, s.mul(s.c(lr), step)), elemType)};
          if (momentum != 0.0)
            results.push_back(tb.truncate(step, elemType));
          linalg::YieldOp::create(b, nloc, results);
        });
    generic->setAttr(attrs::kOptimizerUpdate, rewriter.getUnitAttr());
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::pulptrain::populateElementwiseLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering<ReluOp>, ElementwiseLowering<ReluGradOp>,
               ElementwiseLowering<LeakyReluOp>,
               ElementwiseLowering<LeakyReluGradOp>,
               ElementwiseLowering<SigmoidOp>,
               ElementwiseLowering<SigmoidGradOp>, ElementwiseLowering<TanhOp>,
               ElementwiseLowering<TanhGradOp>, ElementwiseLowering<AddOp>,
               ElementwiseLowering<CastOp>, ElementwiseLowering<MseLossGradOp>,
               SgdUpdateLowering>(patterns.getContext());
}
