//===- LinearConv.cpp - Lowering of linear and convolution layers ---------===//
//
// Linear and Conv2D forward, weight-gradient and input-gradient ops, and
// bias gradients. Convolutions are linalg.generic ops over a
// [groups, channels-per-group, ...] view, so one form covers standard,
// depthwise and pointwise convolutions; the input gradient is a
// convolution of the dilated, padded output gradient with the flipped
// kernel.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ShapeInference.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {


//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

struct LinearLowering : OpConversionPattern<LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    int64_t out = shapeOf(op.getWeight())[0];
    // Loops (o, i): output[o] += weight[o, i] * input[i].
    Value init = adaptor.getBias()
                     ? tb.map({adaptor.getBias()},
                              [](OpBuilder &, Location, ValueRange v) {
                                return v[0];
                              },
                              {out})
                     : tb.filled({out}, 0.0);
    Value result = tb.generic(
        init, {adaptor.getWeight(), adaptor.getInput()},
        {tb.affineMap(2, {tb.dim(0), tb.dim(1)}), tb.affineMap(2, {tb.dim(1)})},
        tb.affineMap(2, {tb.dim(0)}), iteratorTypes(2, 1), multiplyAccumulate);
    rewriter.replaceOp(op, tb.castTo(result, resultElementType(op)));
    return success();
  }
};

struct LinearWgtGradLowering : OpConversionPattern<LinearWgtGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LinearWgtGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    int64_t out = shapeOf(op.getGradOutput())[0];
    int64_t in = shapeOf(op.getInput())[0];
    // Loops (o, i): grad_weight[o, i] = grad_output[o] * input[i]. Batch 1
    // has nothing to sum, so the op is element-wise and does not read its
    // init: the gradient is only written (no zero fill, read back), and
    // pulptrain-fuse-weight-update can fuse it into the optimizer update
    // without keeping it as a result. The product is the value of the
    // one-term sum but for the sign of a zero product (-0 stays -0 where
    // 0 + -0 gave +0), which an SGD update only sees on a weight of -0.
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                         ArrayRef<int64_t>{out, in}, tb.f32());
    Value result = tb.generic(
        init, {adaptor.getGradOutput(), adaptor.getInput()},
        {tb.affineMap(2, {tb.dim(0)}), tb.affineMap(2, {tb.dim(1)})},
        tb.affineMap(2, {tb.dim(0), tb.dim(1)}), iteratorTypes(2, 2),
        [&](OpBuilder &b, Location loc, ValueRange ins, Value) -> Value {
          return arith::MulFOp::create(b, loc, ins[0], ins[1]);
        });
    rewriter.replaceOp(op, tb.castTo(result, resultElementType(op)));
    return success();
  }
};

struct LinearInGradLowering : OpConversionPattern<LinearInGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LinearInGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    int64_t in = shapeOf(op.getWeight())[1];
    // Loops (i, o): grad_input[i] += weight[o, i] * grad_output[o].
    Value result = tb.generic(
        tb.filled({in}, 0.0), {adaptor.getWeight(), adaptor.getGradOutput()},
        {tb.affineMap(2, {tb.dim(1), tb.dim(0)}), tb.affineMap(2, {tb.dim(1)})},
        tb.affineMap(2, {tb.dim(0)}), iteratorTypes(2, 1), multiplyAccumulate);
    rewriter.replaceOp(op, tb.castTo(result, resultElementType(op)));
    return success();
  }
};

struct BiasGradLowering : OpConversionPattern<BiasGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BiasGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (shapeOf(op.getGradOutput()).size() == 1) {
      rewriter.replaceOp(op, adaptor.getGradOutput());
      return success();
    }
    TensorBuilder tb(rewriter, op.getLoc());
    Value dy = tb.toCHW(adaptor.getGradOutput(), op.getLayout());
    Value sum = tb.reduce({dy}, {0}, nullptr);
    rewriter.replaceOp(op, tb.castTo(sum, resultElementType(op)));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Conv2D
//===----------------------------------------------------------------------===//

struct Conv2dLowering : OpConversionPattern<Conv2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    ConvGeometry g = getConvGeometry(op, shapeOf(op.getInput()),
                                 shapeOf(op.getWeight()),
                                 shapeOf(op.getOutput()));
    Value x = paddedGroupedInput(
        tb, tb.toCHW(adaptor.getInput(), op.getLayout()), g);
    Value w = groupedWeight(
        tb, weightToCHW(tb, adaptor.getWeight(), op.getLayout()), g);
    SmallVector<int64_t> outShape = {g.groups, g.outPerGroup(), g.outHeight,
                                     g.outWidth};
    Value init = convolutionInit(tb, adaptor.getBias(), outShape);
    // Loops (g, k, oh, ow, c, kh, kw):
    //   out[g, k, oh, ow] +=
    //       x[g, c, oh*sh + kh*dh, ow*sw + kw*dw] * w[g, k, c, kh, kw]
    auto d = [&](unsigned i) { return tb.dim(i); };
    Value out = tb.generic(
        init, {x, w},
        {tb.affineMap(7, {d(0), d(4), d(2) * g.strideH + d(5) * g.dilationH,
                          d(3) * g.strideW + d(6) * g.dilationW}),
         tb.affineMap(7, {d(0), d(1), d(4), d(5), d(6)})},
        tb.affineMap(7, {d(0), d(1), d(2), d(3)}), iteratorTypes(7, 4),
        multiplyAccumulate);
    out = tb.collapse(out, {{0, 1}, {2}, {3}});
    out = tb.castTo(out, resultElementType(op));
    rewriter.replaceOp(op, tb.fromCHW(out, op.getLayout()));
    return success();
  }
};

struct Conv2dWgtGradLowering : OpConversionPattern<Conv2dWgtGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2dWgtGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    ConvGeometry g = getConvGeometry(op, shapeOf(op.getInput()),
                                 shapeOf(op.getGradWeight()),
                                 shapeOf(op.getGradOutput()));
    Value x = paddedGroupedInput(
        tb, tb.toCHW(adaptor.getInput(), op.getLayout()), g);
    Value dy = tb.expand(tb.toCHW(adaptor.getGradOutput(), op.getLayout()),
                         {g.groups, g.outPerGroup(), g.outHeight, g.outWidth},
                         {{0, 1}, {2}, {3}});
    // Loops (g, k, c, kh, kw, oh, ow):
    //   dw[g, k, c, kh, kw] +=
    //       x[g, c, oh*sh + kh*dh, ow*sw + kw*dw] * dy[g, k, oh, ow]
    auto d = [&](unsigned i) { return tb.dim(i); };
    Value dw = tb.generic(
        tb.filled({g.groups, g.outPerGroup(), g.inPerGroup(), g.kernelHeight,
                   g.kernelWidth},
                  0.0),
        {x, dy},
        {tb.affineMap(7, {d(0), d(2), d(5) * g.strideH + d(3) * g.dilationH,
                          d(6) * g.strideW + d(4) * g.dilationW}),
         tb.affineMap(7, {d(0), d(1), d(5), d(6)})},
        tb.affineMap(7, {d(0), d(1), d(2), d(3), d(4)}), iteratorTypes(7, 5),
        multiplyAccumulate);
    dw = tb.collapse(dw, {{0, 1}, {2}, {3}, {4}});
    dw = tb.castTo(dw, resultElementType(op));
    rewriter.replaceOp(op, weightFromCHW(tb, dw, op.getLayout()));
    return success();
  }
};

struct Conv2dInGradLowering : OpConversionPattern<Conv2dInGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2dInGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    ConvGeometry g = getConvGeometry(op, shapeOf(op.getGradInput()),
                                 shapeOf(op.getWeight()),
                                 shapeOf(op.getGradOutput()));
    // Dilate the output gradient by the stride and pad it so that the input
    // gradient is its stride-1 convolution with the flipped kernel, whose
    // taps keep the dilation (S: the span of the kernel, Kh without
    // dilation). The rows and columns of dx are those of the unpadded input
    // when the padding is at most S-1 on each side (then every tap of dy
    // lands in a buffer of [H + Sh - 1, W + Sw - 1], offset by Sh-1-pad):
    // neither the padded input gradient nor the padding of dy it would need
    // are built, which saves their memory and their MACs. Otherwise dy is
    // padded by Sh-1 / Sw-1 on both sides (more at the bottom/right for
    // padded-input rows and columns no window reaches), the padded input
    // gradient [Hp, Wp] computed and cropped.
    auto interiorOffset = [](int64_t span, int64_t padBefore, int64_t size,
                             int64_t outSize,
                             int64_t stride) -> std::optional<int64_t> {
      int64_t offset = span - 1 - padBefore;
      if (offset < 0 || offset + (outSize - 1) * stride > size + span - 2)
        return std::nullopt;
      return offset;
    };
    std::optional<int64_t> rowOffset = interiorOffset(
        g.spanHeight(), g.padTop, g.height, g.outHeight, g.strideH);
    std::optional<int64_t> colOffset = interiorOffset(
        g.spanWidth(), g.padLeft, g.width, g.outWidth, g.strideW);
    bool interior = rowOffset && colOffset;
    int64_t dxHeight = interior ? g.height : g.paddedHeight();
    int64_t dxWidth = interior ? g.width : g.paddedWidth();
    int64_t ph = dxHeight + g.spanHeight() - 1;
    int64_t pw = dxWidth + g.spanWidth() - 1;
    Value dy = tb.embed(tb.toCHW(adaptor.getGradOutput(), op.getLayout()),
                        {g.outChannels, ph, pw},
                        {0, interior ? *rowOffset : g.spanHeight() - 1,
                         interior ? *colOffset : g.spanWidth() - 1},
                        {1, g.strideH, g.strideW}, 0.0);
    dy = tb.expand(dy, {g.groups, g.outPerGroup(), ph, pw}, {{0, 1}, {2}, {3}});

    auto d = [&](unsigned i) { return tb.dim(i); };
    // flipped[g, k, c, kh, kw] = w[g, k, c, Kh-1-kh, Kw-1-kw]
    Value w = groupedWeight(
        tb, weightToCHW(tb, adaptor.getWeight(), op.getLayout()), g);
    SmallVector<int64_t> wShape(shapeOf(w));
    Value flipped = tb.generic(
        tb.filled(wShape, 0.0), {w},
        {tb.affineMap(5, {d(0), d(1), d(2), g.kernelHeight - 1 - d(3),
                          g.kernelWidth - 1 - d(4)})},
        tb.affineMap(5, {d(0), d(1), d(2), d(3), d(4)}), iteratorTypes(5, 5),
        [](OpBuilder &, Location, ValueRange in, Value) { return in[0]; });

    // Loops (g, c, y, x, k, kh, kw):
    //   dx[g, c, y, x] +=
    //       dy[g, k, y + kh*dh, x + kw*dw] * flipped[g, k, c, kh, kw]
    Value dx = tb.generic(
        tb.filled({g.groups, g.inPerGroup(), dxHeight, dxWidth}, 0.0),
        {dy, flipped},
        {tb.affineMap(7, {d(0), d(4), d(2) + d(5) * g.dilationH,
                          d(3) + d(6) * g.dilationW}),
         tb.affineMap(7, {d(0), d(4), d(1), d(5), d(6)})},
        tb.affineMap(7, {d(0), d(1), d(2), d(3)}), iteratorTypes(7, 4),
        multiplyAccumulate);
    dx = tb.collapse(dx, {{0, 1}, {2}, {3}});
    if (!interior)
      dx = tb.slice(dx, {0, g.padTop, g.padLeft},
                    {g.channels, g.height, g.width});
    dx = tb.castTo(dx, resultElementType(op));
    rewriter.replaceOp(op, tb.fromCHW(dx, op.getLayout()));
    return success();
  }
};

} // namespace

void mlir::pulptrain::populateLinearConvLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LinearLowering, LinearWgtGradLowering, LinearInGradLowering,
               BiasGradLowering, Conv2dLowering, Conv2dWgtGradLowering,
               Conv2dInGradLowering>(patterns.getContext());
}
