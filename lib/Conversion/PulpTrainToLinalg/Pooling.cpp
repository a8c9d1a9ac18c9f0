//===- Pooling.cpp - Lowering of pooling ops ------------------------------===//
//
// Max and average pooling and their gradients. Windows are linalg.generic
// reductions over a [Kh, Kw] window operand; the max-pooling gradient
// records the first maximum of each window and scatters into the padded
// input gradient with scf.for loops; the average-pooling gradient is a
// stride-1 window sum over the dilated, padded output gradient, or, when
// the windows tile the input exactly, the output gradient read in place.
// Windows that ceil_mode lets reach past the padding see more padding;
// average pooling then divides by a per-window table (PyTorch's divisors).
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

#include <algorithm>
#include <limits>
#include <optional>

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The geometry of a pooling op in CHW terms. With `ceil_mode` the last
/// windows may reach past the bottom/right padding: `padBottom` and
/// `padRight` include that overhang (filled as padding), and
/// `userPadBottom` / `userPadRight` are the op's own padding.
struct PoolGeometry {
  int64_t channels, height, width, outHeight, outWidth;
  int64_t kernelH, kernelW, strideH, strideW;
  int64_t padTop, padBottom, padLeft, padRight;
  int64_t userPadBottom, userPadRight;
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
  // The rows and columns the last windows reach beyond the padding.
  int64_t overH =
      std::max<int64_t>(0, (out.height - 1) * s[0] + k[0] -
                               (in.height + p[0] + p[1]));
  int64_t overW = std::max<int64_t>(
      0, (out.width - 1) * s[1] + k[1] - (in.width + p[2] + p[3]));
  return {in.channels, in.height, in.width, out.height, out.width,
          k[0],        k[1],      s[0],     s[1],       p[0],
          p[1] + overH, p[2],     p[3] + overW, p[1],    p[3]};
}

/// PyTorch's average-pooling divisor of the windows starting at `start`
/// (in input coordinates) along one dimension: the window clipped to the
/// padded input, or with `countPad` false to the input itself.
int64_t windowCount(int64_t start, int64_t kernel, int64_t size,
                    int64_t padAfter, bool countPad) {
  int64_t end = std::min(start + kernel, size + padAfter);
  if (countPad)
    return end - start;
  return std::min(end, size) - std::max<int64_t>(start, 0);
}

/// The reciprocal divisor of every output position [Ho, Wo] of an average
/// pooling, or None when it is 1 / (Kh * Kw) everywhere.
std::optional<SmallVector<float>> averageFactors(const PoolGeometry &g,
                                                 bool countPad) {
  SmallVector<float> factors;
  bool uniform = true;
  for (int64_t oh = 0; oh < g.outHeight; ++oh) {
    int64_t rows = windowCount(oh * g.strideH - g.padTop, g.kernelH, g.height,
                               g.userPadBottom, countPad);
    for (int64_t ow = 0; ow < g.outWidth; ++ow) {
      int64_t cols = windowCount(ow * g.strideW - g.padLeft, g.kernelW,
                                 g.width, g.userPadRight, countPad);
      uniform &= rows * cols == g.kernelH * g.kernelW;
      factors.push_back(1.0f / float(rows * cols));
    }
  }
  if (uniform)
    return std::nullopt;
  return factors;
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

/// Scales a [C, Ho, Wo] f32 tensor by the average pooling's divisors: one
/// factor 1 / (Kh * Kw), or a constant [Ho, Wo] table of them when windows
/// differ (ceil_mode, count_include_pad = false).
Value scaleByDivisors(TensorBuilder &tb, Value t, const PoolGeometry &g,
                      bool countPad) {
  std::optional<SmallVector<float>> factors = averageFactors(g, countPad);
  if (!factors)
    return scale(tb, t, 1.0 / double(g.kernelH * g.kernelW));
  OpBuilder &b = tb.builder();
  auto tableType = RankedTensorType::get({g.outHeight, g.outWidth}, tb.f32());
  Value table = arith::ConstantOp::create(
      b, tb.location(), DenseElementsAttr::get(tableType, ArrayRef(*factors)));
  auto d = [&](unsigned i) { return tb.dim(i); };
  Value init = tensor::EmptyOp::create(b, tb.location(), shapeOf(t), tb.f32());
  return tb.generic(init, {t, table},
                    {tb.affineMap(3, {d(0), d(1), d(2)}),
                     tb.affineMap(3, {d(1), d(2)})},
                    tb.affineMap(3, {d(0), d(1), d(2)}), iteratorTypes(3, 3),
                    [](OpBuilder &nb, Location loc, ValueRange in,
                       Value) -> Value {
                      return arith::MulFOp::create(nb, loc, in[0], in[1]);
                    });
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

/// The maximum of every window of the padded CHW input `x`, in its own
/// element type (a maximum is exact in any), and the position kh * Kw + kw
/// of the first one, as i32: [C, Ho, Wo] each.
std::pair<Value, Value> windowMaxima(TensorBuilder &tb, OpBuilder &rewriter,
                                     Location loc, Value x,
                                     const PoolGeometry &g) {
  double ninf = -std::numeric_limits<double>::infinity();
  Type elemType = cast<RankedTensorType>(x.getType()).getElementType();
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
      TypeRange{RankedTensorType::get(outShape, elemType), argInit.getType()},
      ValueRange{x, window},
      ValueRange{tb.filled(outShape, ninf, elemType), argInit}, maps,
      iteratorTypes(5, 3),
      [&](OpBuilder &b, Location l, ValueRange args) {
        TensorBuilder inner(b, l);
        Value kh = linalg::IndexOp::create(b, l, 3);
        Value kw = linalg::IndexOp::create(b, l, 4);
        Value kwCount = arith::ConstantIndexOp::create(b, l, g.kernelW);
        Value pos = arith::AddIOp::create(
            b, l, arith::MulIOp::create(b, l, kh, kwCount), kw);
        pos = arith::IndexCastOp::create(b, l, b.getI32Type(), pos);
        // Strictly greater or NaN, as PyTorch: ties keep the first
        // maximum, a NaN is the maximum (the first of several).
        Value v = inner.extend(args[0]);
        Value greater = arith::OrIOp::create(
            b, l,
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v,
                                  inner.extend(args[2])),
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, v, v));
        Value newMax = arith::SelectOp::create(b, l, greater, args[0], args[2]);
        Value newPos = arith::SelectOp::create(b, l, greater, pos, args[3]);
        linalg::YieldOp::create(b, l, ValueRange{newMax, newPos});
      });
  return {argmax.getResult(0), argmax.getResult(1)};
}

/// Scatters every output gradient of `dy` (CHW) to its window's maximum,
/// whose position `positions` (CHW, unsigned integers) holds; returns the
/// f32 gradient of the padded input.
Value scatterToMaxima(TensorBuilder &tb, OpBuilder &rewriter, Location loc,
                      Value positions, Value dy, const PoolGeometry &g) {
  Value grad =
      tb.filled({g.channels, g.paddedHeight(), g.paddedWidth()}, 0.0);
  Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
  auto bound = [&](int64_t n) {
    return arith::ConstantIndexOp::create(rewriter, loc, n).getResult();
  };
  OpBuilder::InsertionGuard guard(rewriter);
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
    pos = arith::IndexCastUIOp::create(rewriter, loc, rewriter.getIndexType(),
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
  return loopC.getResult(0);
}

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
    Value positions = windowMaxima(tb, rewriter, loc, x, g).second;
    Value grad = scatterToMaxima(tb, rewriter, loc, positions, dy, g);
    rewriter.replaceOp(op, finishInputGradient(tb, grad, g,
                                               resultElementType(op),
                                               op.getLayout()));
    return success();
  }
};

/// The pooling and the positions of its maxima, in bytes, in one pass.
struct MaxPool2dArgmaxLowering : OpConversionPattern<MaxPool2dArgmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2dArgmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    TensorBuilder tb(rewriter, loc);
    PoolGeometry g =
        getGeometry(op, shapeOf(op.getInput()), shapeOf(op.getOutput()));
    double ninf = -std::numeric_limits<double>::infinity();
    Value x = paddedInput(tb, tb.toCHW(adaptor.getInput(), op.getLayout()),
                          g, ninf);
    auto [maxima, positions] = windowMaxima(tb, rewriter, loc, x, g);
    Type i8 = rewriter.getI8Type();
    Value bytes = tb.mapAs(
        RankedTensorType::get({g.channels, g.outHeight, g.outWidth}, i8),
        positions, [&](OpBuilder &b, Location l, ValueRange in) -> Value {
          return arith::TruncIOp::create(b, l, i8, in[0]);
        });
    rewriter.replaceOp(op, {tb.fromCHW(maxima, op.getLayout()),
                            tb.fromCHW(bytes, op.getLayout())});
    return success();
  }
};

struct MaxPool2dScatterLowering : OpConversionPattern<MaxPool2dScatterOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2dScatterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    TensorBuilder tb(rewriter, loc);
    PoolGeometry g = getGeometry(op, shapeOf(op.getGradInput()),
                                 shapeOf(op.getGradOutput()));
    Value positions = tb.toCHW(adaptor.getPositions(), op.getLayout());
    Value dy = tb.toCHW(adaptor.getGradOutput(), op.getLayout());
    Value grad = scatterToMaxima(tb, rewriter, loc, positions, dy, g);
    rewriter.replaceOp(op, finishInputGradient(tb, grad, g,
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
    Value y = scaleByDivisors(tb, sum, g, op.getCountIncludePad());
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
    std::optional<SmallVector<float>> factors =
        averageFactors(g, op.getCountIncludePad());
    // Windows that tile the padded input exactly (stride = kernel, one
    // divisor; global pooling, 2x2/2 on even sizes): every input element is
    // in one window, so its gradient is that window's output gradient over
    // the divisor, read in place (no dilated copy, no window sum).
    if (!factors && g.strideH == g.kernelH && g.strideW == g.kernelW &&
        g.paddedHeight() == g.outHeight * g.kernelH &&
        g.paddedWidth() == g.outWidth * g.kernelW) {
      float factor = 1.0f / float(g.kernelH * g.kernelW);
      auto d = [&](unsigned i) { return tb.dim(i); };
      Value init = tensor::EmptyOp::create(
          rewriter, op.getLoc(),
          {g.channels, g.paddedHeight(), g.paddedWidth()}, tb.f32());
      Value dx = tb.generic(
          init, {tb.toCHW(adaptor.getGradOutput(), op.getLayout())},
          {tb.affineMap(3, {d(0), d(1).floorDiv(g.kernelH),
                            d(2).floorDiv(g.kernelW)})},
          tb.affineMap(3, {d(0), d(1), d(2)}), iteratorTypes(3, 3),
          [&](OpBuilder &b, Location loc, ValueRange in, Value) -> Value {
            Value c = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(factor));
            return arith::MulFOp::create(b, loc, in[0], c);
          });
      rewriter.replaceOp(op, finishInputGradient(tb, dx, g,
                                                 resultElementType(op),
                                                 op.getLayout()));
      return success();
    }
    // Otherwise the padded input gradient is the window sum of the output
    // gradient dilated by the stride and padded by Kh-1 / Kw-1 (see
    // conv2d_in_grad). Each output gradient is divided by its window's
    // divisor first.
    int64_t ph = g.paddedHeight() + g.kernelH - 1;
    int64_t pw = g.paddedWidth() + g.kernelW - 1;
    Value dyChw = tb.toCHW(adaptor.getGradOutput(), op.getLayout());
    if (factors) // in f32 from here on
      dyChw = scaleByDivisors(tb, dyChw, g, op.getCountIncludePad());
    Value dy = tb.embed(dyChw, {g.channels, ph, pw},
                        {0, g.kernelH - 1, g.kernelW - 1},
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
    Value dx = factors ? sum
                       : scale(tb, sum, 1.0 / double(g.kernelH * g.kernelW));
    rewriter.replaceOp(op, finishInputGradient(tb, dx, g, resultElementType(op),
                                               op.getLayout()));
    return success();
  }
};

/// The windows of an adaptive pooling along one dimension (PyTorch's):
/// output i covers [floor(i * in / out), ceil((i + 1) * in / out)).
struct AdaptiveWindows {
  SmallVector<float> member; // [out, in]: 1 inside window i, else 0
  SmallVector<int64_t> sizes;
};

AdaptiveWindows adaptiveWindows(int64_t in, int64_t out) {
  AdaptiveWindows w;
  w.member.assign(out * in, 0.0f);
  for (int64_t i = 0; i < out; ++i) {
    int64_t start = (i * in) / out;
    int64_t end = ((i + 1) * in + out - 1) / out;
    for (int64_t j = start; j < end; ++j)
      w.member[i * in + j] = 1.0f;
    w.sizes.push_back(end - start);
  }
  return w;
}

/// The constants of an adaptive pooling from [H, W] to [Ho, Wo]: the row and
/// column membership matrices and the reciprocal window sizes [Ho, Wo].
struct AdaptiveTables {
  Value rows, cols, factors;
};

AdaptiveTables adaptiveTables(TensorBuilder &tb, int64_t h, int64_t w,
                              int64_t oh, int64_t ow) {
  OpBuilder &b = tb.builder();
  AdaptiveWindows rw = adaptiveWindows(h, oh), cw = adaptiveWindows(w, ow);
  SmallVector<float> factors;
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j)
      factors.push_back(1.0f / float(rw.sizes[i] * cw.sizes[j]));
  auto constant = [&](ArrayRef<int64_t> shape, ArrayRef<float> data) -> Value {
    auto type = RankedTensorType::get(shape, tb.f32());
    return arith::ConstantOp::create(b, tb.location(),
                                     DenseElementsAttr::get(type, data));
  };
  return {constant({oh, h}, rw.member), constant({ow, w}, cw.member),
          constant({oh, ow}, factors)};
}

/// Multiplies a [C, Ho, Wo] tensor by the [Ho, Wo] factors (in f32).
Value scaleByTable(TensorBuilder &tb, Value t, Value factors) {
  auto d = [&](unsigned i) { return tb.dim(i); };
  Value init = tensor::EmptyOp::create(tb.builder(), tb.location(), shapeOf(t),
                                       tb.f32());
  return tb.generic(init, {t, factors},
                    {tb.affineMap(3, {d(0), d(1), d(2)}),
                     tb.affineMap(3, {d(1), d(2)})},
                    tb.affineMap(3, {d(0), d(1), d(2)}), iteratorTypes(3, 3),
                    [](OpBuilder &nb, Location loc, ValueRange in,
                       Value) -> Value {
                      return arith::MulFOp::create(nb, loc, in[0], in[1]);
                    });
}

/// Sums of each window (loops c, i, j, h, w: y[c, i, j] += rows[i, h] *
/// cols[j, w] * x[c, h, w]; products with 0 add exact zeros), then scaled by
/// the reciprocal window sizes, as PyTorch divides each window's sum.
struct AdaptiveAvgPool2dLowering : OpConversionPattern<AdaptiveAvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AdaptiveAvgPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    FeatureMapDims in = getFeatureMapDims(shapeOf(op.getInput()),
                                          op.getLayout());
    FeatureMapDims out = getFeatureMapDims(shapeOf(op.getOutput()),
                                           op.getLayout());
    AdaptiveTables t =
        adaptiveTables(tb, in.height, in.width, out.height, out.width);
    Value x = tb.toCHW(adaptor.getInput(), op.getLayout());
    auto d = [&](unsigned i) { return tb.dim(i); };
    Value sum = tb.generic(
        tb.filled({in.channels, out.height, out.width}, 0.0),
        {x, t.rows, t.cols},
        {tb.affineMap(5, {d(0), d(3), d(4)}), tb.affineMap(5, {d(1), d(3)}),
         tb.affineMap(5, {d(2), d(4)})},
        tb.affineMap(5, {d(0), d(1), d(2)}), iteratorTypes(5, 3),
        [](OpBuilder &b, Location loc, ValueRange v, Value acc) -> Value {
          Value m = arith::MulFOp::create(b, loc, v[1], v[2]);
          return arith::AddFOp::create(
              b, loc, acc, arith::MulFOp::create(b, loc, v[0], m));
        });
    Value y = scaleByTable(tb, sum, t.factors);
    rewriter.replaceOp(
        op, tb.fromCHW(tb.castTo(y, resultElementType(op)), op.getLayout()));
    return success();
  }
};

/// dx[c, h, w] = sum_{i, j} rows[i, h] * cols[j, w] * dy[c, i, j] / size[i,
/// j]: the output gradient scaled by the reciprocal window sizes, then
/// summed over the windows covering each input element (loops c, h, w, i,
/// j).
struct AdaptiveAvgPool2dGradLowering
    : OpConversionPattern<AdaptiveAvgPool2dGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AdaptiveAvgPool2dGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    FeatureMapDims in = getFeatureMapDims(shapeOf(op.getGradInput()),
                                          op.getLayout());
    FeatureMapDims out = getFeatureMapDims(shapeOf(op.getGradOutput()),
                                           op.getLayout());
    AdaptiveTables t =
        adaptiveTables(tb, in.height, in.width, out.height, out.width);
    Value dy = scaleByTable(
        tb, tb.toCHW(adaptor.getGradOutput(), op.getLayout()), t.factors);
    auto d = [&](unsigned i) { return tb.dim(i); };
    Value dx = tb.generic(
        tb.filled({in.channels, in.height, in.width}, 0.0),
        {dy, t.rows, t.cols},
        {tb.affineMap(5, {d(0), d(3), d(4)}), tb.affineMap(5, {d(3), d(1)}),
         tb.affineMap(5, {d(4), d(2)})},
        tb.affineMap(5, {d(0), d(1), d(2)}), iteratorTypes(5, 3),
        [](OpBuilder &b, Location loc, ValueRange v, Value acc) -> Value {
          Value m = arith::MulFOp::create(b, loc, v[1], v[2]);
          return arith::AddFOp::create(
              b, loc, acc, arith::MulFOp::create(b, loc, v[0], m));
        });
    rewriter.replaceOp(
        op, tb.fromCHW(tb.castTo(dx, resultElementType(op)), op.getLayout()));
    return success();
  }
};

} // namespace

void mlir::pulptrain::populatePoolingLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MaxPool2dLowering, MaxPool2dGradLowering,
               MaxPool2dArgmaxLowering, MaxPool2dScatterLowering, AvgPool2dLowering,
               AvgPool2dGradLowering, AdaptiveAvgPool2dLowering,
               AdaptiveAvgPool2dGradLowering>(patterns.getContext());
}
