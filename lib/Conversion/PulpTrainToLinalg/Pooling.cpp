//===- Pooling.cpp - Lowering of pooling ops ------------------------------===//
//
// Max and average pooling and their gradients. Windows are linalg.generic
// reductions over a [Kh, Kw] window operand; the max-pooling gradient
// records the first maximum of each window and scatters into the padded
// input gradient with scf.for loops; the average-pooling gradient is a
// stride-1 window sum over the dilated, padded output gradient.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ShapeInference.h"

#include <limits>

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The geometry of a pooling op in CHW terms.
struct PoolGeometry {
  int64_t channels, height, width, outHeight, outWidth;
  int64_t kernelH, kernelW, strideH, strideW;
  int64_t padTop, padBottom, padLeft, padRight;
  int64_t paddedHeight() const { return height + padTop + padBottom; }
  int64_t paddedWidth() const { return width + padLeft + padRight; }
};

template <typename OpT>
PoolGeometry getGeometry(OpT op, ArrayRef<int64_t> inputShape,
                         ArrayRef<int64_t> outputShape) {
  FeatureMapDims in = getFeatureMapDims(inputShape, op.getLayout());
  FeatureMapDims out = getFeatureMapDims(outputShape, op.getLayout());
  ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(),
                    p = op.getPadding();
  return {in.channels, in.height, in.width, out.height, out.width,
          k[0],        k[1],      s[0],     s[1],       p[0],
          p[1],        p[2],      p[3]};
}


/// The CHW input padded with `fill`.
Value paddedInput(TensorBuilder &tb, Value chw, const PoolGeometry &g,
                  double fill) {
  return tb.embed(chw, {g.channels, g.paddedHeight(), g.paddedWidth()},
                  {0, g.padTop, g.padLeft}, {1, 1, 1}, fill);
}

/// Reduces each window of the padded input into [C, Ho, Wo]:
/// loops (c, oh, ow, kh, kw).
Value windowReduce(TensorBuilder &tb, Value padded, const PoolGeometry &g,
                   double init, BodyFn body) {
  OpBuilder &b = tb.builder();
  Value window = tensor::EmptyOp::create(b, tb.location(),
                                         {g.kernelH, g.kernelW}, tb.f32());
  auto d = [&](unsigned i) { return tb.dim(i); };
  return tb.generic(
      tb.filled({g.channels, g.outHeight, g.outWidth}, init), {padded, window},
      {tb.affineMap(5, {d(0), d(1) * g.strideH + d(3), d(2) * g.strideW + d(4)}),
       tb.affineMap(5, {d(3), d(4)})},
      tb.affineMap(5, {d(0), d(1), d(2)}), iteratorTypes(5, 3), body);
}

/// Scales an f32 tensor by `factor`.
Value scale(TensorBuilder &tb, Value t, double factor) {
  return tb.map(
      {t},
      [&](OpBuilder &b, Location loc, ValueRange v) {
        Value c = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(factor));
        return arith::MulFOp::create(b, loc, v[0], c).getResult();
      },
      shapeOf(t));
}

/// Crops the padding off a padded CHW gradient, rounds it to the result's
/// element type and returns it in `layout`.
Value finishInputGradient(TensorBuilder &tb, Value paddedGrad,
                          const PoolGeometry &g, Type elemType,
                          Layout layout) {
  Value dx = tb.slice(paddedGrad, {0, g.padTop, g.padLeft},
                      {g.channels, g.height, g.width});
  return tb.fromCHW(tb.castTo(dx, elemType), layout);
}

struct MaxPool2dLowering : OpConversionPattern<MaxPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    PoolGeometry g =
        getGeometry(op, shapeOf(op.getInput()), shapeOf(op.getOutput()));
    double ninf = -std::numeric_limits<double>::infinity();
    Value x = paddedInput(tb, tb.toCHW(adaptor.getInput(), op.getLayout()),
                          g, ninf);
    Value y = windowReduce(tb, x, g, ninf,
                           [](OpBuilder &b, Location loc, ValueRange in,
                              Value acc) -> Value {
                             return arith::MaximumFOp::create(b, loc, acc,
                                                              in[0]);
                           });
    rewriter.replaceOp(
        op, tb.fromCHW(tb.castTo(y, resultElementType(op)), op.getLayout()));
    return success();
  }
};

struct MaxPool2dGradLowering : OpConversionPattern<MaxPool2dGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2dGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    TensorBuilder tb(rewriter, loc);
    PoolGeometry g =
        getGeometry(op, shapeOf(op.getInput()), shapeOf(op.getGradOutput()));
    double ninf = -std::numeric_limits<double>::infinity();
    Value x = paddedInput(tb, tb.toCHW(adaptor.getInput(), op.getLayout()),
                          g, ninf);
    Value dy = tb.toCHW(adaptor.getGradOutput(), op.getLayout());

    // The position kh * Kw + kw of the first maximum of every window.
    SmallVector<int64_t> outShape = {g.channels, g.outHeight, g.outWidth};
    Value window = tensor::EmptyOp::create(rewriter, loc,
                                           {g.kernelH, g.kernelW}, tb.f32());
    Value zeroI32 = arith::ConstantOp::create(rewriter, loc,
                                              rewriter.getI32IntegerAttr(0));
    Value argInit = linalg::FillOp::create(
                        rewriter, loc, ValueRange{zeroI32},
                        ValueRange{tensor::EmptyOp::create(
                            rewriter, loc, outShape, rewriter.getI32Type())})
                        .getResult(0);
    auto d = [&](unsigned i) { return tb.dim(i); };
    SmallVector<AffineMap> maps = {
        tb.affineMap(5,
                     {d(0), d(1) * g.strideH + d(3), d(2) * g.strideW + d(4)}),
        tb.affineMap(5, {d(3), d(4)}), tb.affineMap(5, {d(0), d(1), d(2)}),
        tb.affineMap(5, {d(0), d(1), d(2)})};
    auto argmax = linalg::GenericOp::create(
        rewriter, loc,
        TypeRange{RankedTensorType::get(outShape, tb.f32()),
                  argInit.getType()},
        ValueRange{x, window},
        ValueRange{tb.filled(outShape, ninf), argInit}, maps,
        iteratorTypes(5, 3),
        [&](OpBuilder &b, Location l, ValueRange args) {
          TensorBuilder inner(b, l);
          Value v = inner.extend(args[0]);
          Value kh = linalg::IndexOp::create(b, l, 3);
          Value kw = linalg::IndexOp::create(b, l, 4);
          Value kwCount = arith::ConstantIndexOp::create(b, l, g.kernelW);
          Value pos = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, kh, kwCount), kw);
          pos = arith::IndexCastOp::create(b, l, b.getI32Type(), pos);
          // Strictly greater: ties keep the first maximum, as PyTorch.
          Value greater = arith::CmpFOp::create(
              b, l, arith::CmpFPredicate::OGT, v, args[2]);
          Value newMax = arith::SelectOp::create(b, l, greater, v, args[2]);
          Value newPos = arith::SelectOp::create(b, l, greater, pos, args[3]);
          linalg::YieldOp::create(b, l, ValueRange{newMax, newPos});
        });
    Value positions = argmax.getResult(1);

    // Scatter every output gradient to its window's maximum.
    Value grad = tb.filled({g.channels, g.paddedHeight(), g.paddedWidth()}, 0.0);
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto bound = [&](int64_t n) {
      return arith::ConstantIndexOp::create(rewriter, loc, n).getResult();
    };
    auto loopC = scf::ForOp::create(rewriter, loc, c0, bound(g.channels), c1,
                                    ValueRange{grad});
    rewriter.setInsertionPointToStart(loopC.getBody());
    auto loopH = scf::ForOp::create(rewriter, loc, c0, bound(g.outHeight), c1,
                                    loopC.getRegionIterArgs());
    rewriter.setInsertionPointToStart(loopH.getBody());
    auto loopW = scf::ForOp::create(rewriter, loc, c0, bound(g.outWidth), c1,
                                    loopH.getRegionIterArgs());
    rewriter.setInsertionPointToStart(loopW.getBody());
    {
      Value c = loopC.getInductionVar(), oh = loopH.getInductionVar(),
            ow = loopW.getInductionVar();
      Value acc = loopW.getRegionIterArgs()[0];
      Value pos = tensor::ExtractOp::create(rewriter, loc, positions,
                                            ValueRange{c, oh, ow});
      pos = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                       pos);
      Value kh = arith::DivUIOp::create(rewriter, loc, pos, bound(g.kernelW));
      Value kw = arith::RemUIOp::create(rewriter, loc, pos, bound(g.kernelW));
      Value y = arith::AddIOp::create(
          rewriter, loc,
          arith::MulIOp::create(rewriter, loc, oh, bound(g.strideH)), kh);
      Value xIdx = arith::AddIOp::create(
          rewriter, loc,
          arith::MulIOp::create(rewriter, loc, ow, bound(g.strideW)), kw);
      Value cur = tensor::ExtractOp::create(rewriter, loc, acc,
                                            ValueRange{c, y, xIdx});
      Value dyv = tb.extend(tensor::ExtractOp::create(rewriter, loc, dy,
                                                      ValueRange{c, oh, ow}));
      Value sum = arith::AddFOp::create(rewriter, loc, cur, dyv);
      Value next = tensor::InsertOp::create(rewriter, loc, sum, acc,
                                            ValueRange{c, y, xIdx});
      scf::YieldOp::create(rewriter, loc, next);
    }
    rewriter.setInsertionPointToEnd(loopH.getBody());
    scf::YieldOp::create(rewriter, loc, loopW.getResults());
    rewriter.setInsertionPointToEnd(loopC.getBody());
    scf::YieldOp::create(rewriter, loc, loopH.getResults());
    rewriter.setInsertionPointAfter(loopC);

    rewriter.replaceOp(op, finishInputGradient(tb, loopC.getResult(0), g,
                                               resultElementType(op),
                                               op.getLayout()));
    return success();
  }
};

struct AvgPool2dLowering : OpConversionPattern<AvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    PoolGeometry g =
        getGeometry(op, shapeOf(op.getInput()), shapeOf(op.getOutput()));
    Value x = paddedInput(tb, tb.toCHW(adaptor.getInput(), op.getLayout()),
                          g, 0.0);
    Value sum = windowReduce(tb, x, g, 0.0,
                             [](OpBuilder &b, Location loc, ValueRange in,
                                Value acc) -> Value {
                               return arith::AddFOp::create(b, loc, acc, in[0]);
                             });
    Value y = scale(tb, sum, 1.0 / double(g.kernelH * g.kernelW));
    rewriter.replaceOp(
        op, tb.fromCHW(tb.castTo(y, resultElementType(op)), op.getLayout()));
    return success();
  }
};

struct AvgPool2dGradLowering : OpConversionPattern<AvgPool2dGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2dGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    PoolGeometry g = getGeometry(op, shapeOf(op.getGradInput()),
                                 shapeOf(op.getGradOutput()));
    // The padded input gradient is the window sum of the output gradient
    // dilated by the stride and padded by Kh-1 / Kw-1 (see conv2d_in_grad).
    int64_t ph = g.paddedHeight() + g.kernelH - 1;
    int64_t pw = g.paddedWidth() + g.kernelW - 1;
    Value dy = tb.embed(tb.toCHW(adaptor.getGradOutput(), op.getLayout()),
                        {g.channels, ph, pw}, {0, g.kernelH - 1, g.kernelW - 1},
                        {1, g.strideH, g.strideW}, 0.0);
    Value window = tensor::EmptyOp::create(
        rewriter, op.getLoc(), {g.kernelH, g.kernelW}, tb.f32());
    auto d = [&](unsigned i) { return tb.dim(i); };
    // Loops (c, y, x, kh, kw): dx[c, y, x] += dy[c, y + kh, x + kw].
    Value sum = tb.generic(
        tb.filled({g.channels, g.paddedHeight(), g.paddedWidth()}, 0.0),
        {dy, window},
        {tb.affineMap(5, {d(0), d(1) + d(3), d(2) + d(4)}),
         tb.affineMap(5, {d(3), d(4)})},
        tb.affineMap(5, {d(0), d(1), d(2)}), iteratorTypes(5, 3),
        [](OpBuilder &b, Location loc, ValueRange in, Value acc) -> Value {
          return arith::AddFOp::create(b, loc, acc, in[0]);
        });
    Value dx = scale(tb, sum, 1.0 / double(g.kernelH * g.kernelW));
    rewriter.replaceOp(op, finishInputGradient(tb, dx, g, resultElementType(op),
                                               op.getLayout()));
    return success();
  }
};

} // namespace

void mlir::pulptrain::populatePoolingLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MaxPool2dLowering, MaxPool2dGradLowering, AvgPool2dLowering,
               AvgPool2dGradLowering>(patterns.getContext());
}
