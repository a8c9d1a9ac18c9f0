//===- Normalization.cpp - Lowering of instance and batch normalization --===//
//
// Instance normalization, batch normalization in training mode (the same
// computation on a batch of one) and their input and gamma/beta gradients
// on CHW feature maps: per-channel two-pass mean and biased variance in f32;
// the running statistics of batch normalization.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Per-channel statistics of a CHW feature map: mean and 1/sqrt(var + eps).
struct Stats {
  Value mean, rstd;
  int64_t count;
};

/// Maps of a (c, h, w) loop nest: the feature map and a per-channel vector.
AffineMap fullMap(TensorBuilder &tb) {
  return tb.affineMap(3, {tb.dim(0), tb.dim(1), tb.dim(2)});
}
AffineMap channelMap(TensorBuilder &tb) {
  return tb.affineMap(3, {tb.dim(0)});
}

/// Sums `fn(inputs)` over the spatial dimensions, per channel. Inputs are
/// feature maps or per-channel vectors (told apart by rank).
Value channelSum(TensorBuilder &tb, ValueRange inputs, int64_t channels,
                 MapFn fn) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(shapeOf(in).size() == 3 ? fullMap(tb) : channelMap(tb));
  return tb.generic(tb.filled({channels}, 0.0), inputs, maps, channelMap(tb),
                    iteratorTypes(3, 1),
                    [&](OpBuilder &b, Location loc, ValueRange in, Value acc) {
                      return arith::AddFOp::create(b, loc, acc,
                                                   fn(b, loc, in))
                          .getResult();
                    });
}

/// Applies `fn` element-wise over a feature map of `shape`, broadcasting
/// per-channel vectors.
Value channelMapOver(TensorBuilder &tb, ValueRange inputs,
                     ArrayRef<int64_t> shape, MapFn fn) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(shapeOf(in).size() == 3 ? fullMap(tb) : channelMap(tb));
  Value init = tensor::EmptyOp::create(tb.builder(), tb.location(), shape,
                                       tb.f32());
  return tb.generic(init, inputs, maps, fullMap(tb), iteratorTypes(3, 3),
                    [&](OpBuilder &b, Location loc, ValueRange in, Value) {
                      return fn(b, loc, in);
                    });
}

Stats computeStats(TensorBuilder &tb, Value x, double eps) {
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t count = shape[1] * shape[2];
  double inv = 1.0 / double(count);
  auto c = [](OpBuilder &b, Location loc, double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v)).getResult();
  };
  Value sum = channelSum(tb, {x}, shape[0],
                         [](OpBuilder &, Location, ValueRange in) {
                           return in[0];
                         });
  Value mean = tb.map(
      {sum},
      [&](OpBuilder &b, Location loc, ValueRange in) {
        return arith::MulFOp::create(b, loc, in[0], c(b, loc, inv)).getResult();
      },
      {shape[0]});
  Value sq = channelSum(tb, {x, mean}, shape[0],
                        [](OpBuilder &b, Location loc, ValueRange in) {
                          Value d = arith::SubFOp::create(b, loc, in[0], in[1]);
                          return arith::MulFOp::create(b, loc, d, d)
                              .getResult();
                        });
  Value rstd = tb.map(
      {sq},
      [&](OpBuilder &b, Location loc, ValueRange in) {
        Value var = arith::MulFOp::create(b, loc, in[0], c(b, loc, inv));
        Value v = arith::AddFOp::create(b, loc, var, c(b, loc, eps));
        // 1 / sqrt, not math.rsqrt: libm has no rsqrtf.
        return arith::DivFOp::create(b, loc, c(b, loc, 1.0),
                                     math::SqrtOp::create(b, loc, v))
            .getResult();
      },
      {shape[0]});
  return {mean, rstd, count};
}

/// (x - mean) * rstd.
Value normalized(OpBuilder &b, Location loc, Value x, Value mean, Value rstd) {
  return arith::MulFOp::create(b, loc,
                               arith::SubFOp::create(b, loc, x, mean), rstd);
}

/// Instance normalization and batch normalization in training mode.
template <typename NormOp> struct NormLowering : OpConversionPattern<NormOp> {
  using OpConversionPattern<NormOp>::OpConversionPattern;
  using OpAdaptor = typename NormOp::Adaptor;

  LogicalResult
  matchAndRewrite(NormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    Value x = tb.toCHW(adaptor.getInput(), op.getLayout());
    Stats s = computeStats(tb, x, op.getEps().convertToDouble());
    Value y = channelMapOver(
        tb, {x, s.mean, s.rstd, adaptor.getGamma(), adaptor.getBeta()},
        shapeOf(x), [](OpBuilder &b, Location loc, ValueRange in) {
          Value xhat = normalized(b, loc, in[0], in[1], in[2]);
          return arith::AddFOp::create(
                     b, loc, arith::MulFOp::create(b, loc, xhat, in[3]), in[4])
              .getResult();
        });
    y = tb.castTo(y, resultElementType(op));
    rewriter.replaceOp(op, tb.fromCHW(y, op.getLayout()));
    return success();
  }
};

/// What both gradients start from: the forward input and the output
/// gradient in CHW, the forward statistics and the channel count.
struct GradientInputs {
  Value x, dy;
  Stats stats;
  int64_t channels;
};

template <typename OpT>
GradientInputs prepareGradient(TensorBuilder &tb, OpT op,
                               typename OpT::Adaptor adaptor) {
  Value x = tb.toCHW(adaptor.getInput(), op.getLayout());
  Value dy = tb.toCHW(adaptor.getGradOutput(), op.getLayout());
  return {x, dy, computeStats(tb, x, op.getEps().convertToDouble()),
          shapeOf(x)[0]};
}

template <typename InGradOp>
struct NormInGradLowering : OpConversionPattern<InGradOp> {
  using OpConversionPattern<InGradOp>::OpConversionPattern;
  using OpAdaptor = typename InGradOp::Adaptor;

  LogicalResult
  matchAndRewrite(InGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    auto [x, dy, s, channels] = prepareGradient(tb, op, adaptor);
    Value gamma = adaptor.getGamma();
    // With g = dy * gamma: sum(g) and sum(g * xhat) per channel.
    Value sumG = channelSum(tb, {dy, gamma}, channels,
                            [](OpBuilder &b, Location loc, ValueRange in) {
                              return arith::MulFOp::create(b, loc, in[0], in[1])
                                  .getResult();
                            });
    Value sumGX = channelSum(
        tb, {dy, gamma, x, s.mean, s.rstd}, channels,
        [](OpBuilder &b, Location loc, ValueRange in) {
          Value g = arith::MulFOp::create(b, loc, in[0], in[1]);
          return arith::MulFOp::create(b, loc, g,
                                       normalized(b, loc, in[2], in[3], in[4]))
              .getResult();
        });
    double inv = 1.0 / double(s.count);
    // dx = rstd * (g - sum(g)/N - xhat * sum(g*xhat)/N)
    Value dx = channelMapOver(
        tb, {dy, gamma, x, s.mean, s.rstd, sumG, sumGX}, shapeOf(x),
        [&](OpBuilder &b, Location loc, ValueRange in) {
          Value n = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(inv));
          Value g = arith::MulFOp::create(b, loc, in[0], in[1]);
          Value xhat = normalized(b, loc, in[2], in[3], in[4]);
          Value meanG = arith::MulFOp::create(b, loc, in[5], n);
          Value meanGX = arith::MulFOp::create(b, loc, in[6], n);
          Value t = arith::SubFOp::create(
              b, loc, arith::SubFOp::create(b, loc, g, meanG),
              arith::MulFOp::create(b, loc, xhat, meanGX));
          return arith::MulFOp::create(b, loc, in[4], t).getResult();
        });
    dx = tb.castTo(dx, resultElementType(op));
    rewriter.replaceOp(op, tb.fromCHW(dx, op.getLayout()));
    return success();
  }
};

template <typename WgtGradOp>
struct NormWgtGradLowering : OpConversionPattern<WgtGradOp> {
  using OpConversionPattern<WgtGradOp>::OpConversionPattern;
  using OpAdaptor = typename WgtGradOp::Adaptor;

  LogicalResult
  matchAndRewrite(WgtGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    auto [x, dy, s, channels] = prepareGradient(tb, op, adaptor);
    Value dGamma = channelSum(
        tb, {dy, x, s.mean, s.rstd}, channels,
        [](OpBuilder &b, Location loc, ValueRange in) {
          return arith::MulFOp::create(b, loc, in[0],
                                       normalized(b, loc, in[1], in[2], in[3]))
              .getResult();
        });
    Value dBeta = channelSum(tb, {dy}, channels,
                             [](OpBuilder &, Location, ValueRange in) {
                               return in[0];
                             });
    rewriter.replaceOp(op, {tb.castTo(dGamma, resultElementType(op, 0)),
                            tb.castTo(dBeta, resultElementType(op, 1))});
    return success();
  }
};

/// The running statistics of batch normalization: PyTorch's exponential
/// moving averages of the batch mean and the unbiased batch variance.
struct BatchNormRunningStatsLowering
    : OpConversionPattern<BatchNormRunningStatsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormRunningStatsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    Value x = tb.toCHW(adaptor.getInput(), op.getLayout());
    ArrayRef<int64_t> shape = shapeOf(x);
    int64_t channels = shape[0], count = shape[1] * shape[2];
    double momentum = op.getMomentum().convertToDouble();
    auto c = [](OpBuilder &b, Location loc, double v) {
      return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v))
          .getResult();
    };
    Value sum =
        channelSum(tb, {x}, channels,
                   [](OpBuilder &, Location, ValueRange in) { return in[0]; });
    Value mean =
        tb.map({sum},
               [&](OpBuilder &b, Location loc, ValueRange in) {
                 return arith::MulFOp::create(b, loc, in[0],
                                              c(b, loc, 1.0 / double(count)))
                     .getResult();
               },
               {channels});
    Value sq = channelSum(
        tb, {x, mean}, channels, [](OpBuilder &b, Location loc, ValueRange in) {
          Value d = arith::SubFOp::create(b, loc, in[0], in[1]);
          return arith::MulFOp::create(b, loc, d, d).getResult();
        });
    // (1 - momentum) * running + momentum * batch, in f32.
    auto blend = [&](Value running, Value batch, double batchScale) {
      return tb.map(
          {running, batch},
          [&](OpBuilder &b, Location loc, ValueRange in) {
            Value old =
                arith::MulFOp::create(b, loc, in[0], c(b, loc, 1.0 - momentum));
            Value cur = arith::MulFOp::create(b, loc, in[1],
                                              c(b, loc, momentum * batchScale));
            return arith::AddFOp::create(b, loc, old, cur).getResult();
          },
          {channels});
    };
    Value newMean = blend(adaptor.getRunningMean(), mean, 1.0);
    Value newVar = blend(adaptor.getRunningVar(), sq, 1.0 / double(count - 1));
    rewriter.replaceOp(op, {tb.castTo(newMean, resultElementType(op, 0)),
                            tb.castTo(newVar, resultElementType(op, 1))});
    return success();
  }
};

} // namespace

void mlir::pulptrain::populateNormalizationLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<NormLowering<InstanceNormOp>,
               NormInGradLowering<InstanceNormInGradOp>,
               NormWgtGradLowering<InstanceNormWgtGradOp>>(
      patterns.getContext());
  patterns.add<NormLowering<BatchNormOp>, NormInGradLowering<BatchNormInGradOp>,
               NormWgtGradLowering<BatchNormWgtGradOp>,
               BatchNormRunningStatsLowering>(patterns.getContext());
}
