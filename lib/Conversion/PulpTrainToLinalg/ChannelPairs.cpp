//===- ChannelPairs.cpp - 16-bit convolutions reduced over pairs ----------===//
//
// Lowers f16/bf16 Conv2D ops to direct convolutions whose innermost
// reduction runs over contiguous pairs at even offsets, on copies of the
// operands laid out for it. The weight gradient (Conv2dWgtGradColumnPairs
// below) reduces over output column pairs, reading a column-shifted copy of
// the input for the taps at odd column offsets. The forward and input-
// gradient steps reduce over the channels, with the channels innermost:
//
//   fwd:     y[g, k, oh, ow] += xT[g, oh*sh + kh*dh, ow*sw + kw*dw, c]
//                               * wT[g, k, kh, kw, c]
//   in-grad: dx[g, c, y, x]  += dyT[g, y + pt + kh*dh, x + pl + kw*dw, k]
//                               * wfT[g, c, kh, kw, k]
//
// with xT the zero-padded input in HWC order, wT the weight [Kh, Kw, Cg]
// per output channel, dyT the output gradient dilated by the stride and
// padded by the kernel span minus one (HWC), and wfT the flipped kernel with
// the output channels innermost. The reduced channels are then contiguous,
// and at even offsets when their count is even, so
// `pulptrain-vectorize-pairs` turns the reduction into packed-pair dot
// products (vfdotpex.s.h / .ah, two MACs per instruction). The direct CHW
// lowering reduces over the kernel width (3 taps: one pair at an offset of
// unknown parity, so it stays scalar) and im2col's patches are read along
// their rows; neither pairs (docs/Vectorization.md, "Layout").
//
// The copies cost one pass over the input and the weight; each copied
// element feeds Kg*Kh*Kw (fwd) or Cg*Kh*Kw (in-grad) MACs. The summation
// order (kh, kw, c) differs from the CHW lowering's (c, kh, kw): results
// agree within the f16/bf16 tolerances, and are the same on every core
// count. Upstream MLIR has no pass that chooses a layout for a pair
// instruction of the target, hence this one.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "pulptrain/Conversion/Passes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_PAIRCHANNELS
#include "pulptrain/Conversion/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The MACs each element of a copy made for pairs must feed for the copy
/// to pay: a pair instruction saves about half a cycle per MAC against the
/// scalar fmacex, and a copied element costs about two (its load and store
/// in a kernel of its own, with its fork and DMA), i.e. a break-even near
/// 4, doubled for the extra kernel's fixed cost.
constexpr int64_t kMinMacsPerCopiedElement = 8;

/// Whether a reduction over `channels` of `elem` pairs: 16-bit floats and
/// an even channel count (pairs at even offsets, no scalar tail).
bool channelsPair(Type elem, int64_t channels) {
  return (elem.isF16() || elem.isBF16()) && channels >= 2 &&
         channels % 2 == 0;
}

/// `out[g, a, p, q] += lhs[g, p*sp + i*di + op, q*sq + j*dj + oq, r] *
/// rhs[g, a, i, j, r]` over loops (g, p, a, q, i, j, r): the direct
/// convolution with the channels r innermost in both operands. The output
/// channels a are the loop next to the columns q, so that
/// `pulptrain-register-block` blocks (a, q): each loaded weight pair feeds
/// the block's columns and each input pair its channels.
Value channelsInnermostConvolution(TensorBuilder &tb, Value init, Value lhs,
                                   Value rhs, int64_t strideH, int64_t strideW,
                                   int64_t dilationH, int64_t dilationW,
                                   int64_t offsetH, int64_t offsetW) {
  auto d = [&](unsigned i) { return tb.dim(i); };
  return tb.generic(
      init, {lhs, rhs},
      {tb.affineMap(7, {d(0), d(1) * strideH + d(4) * dilationH + offsetH,
                        d(3) * strideW + d(5) * dilationW + offsetW, d(6)}),
       tb.affineMap(7, {d(0), d(2), d(4), d(5), d(6)})},
      tb.affineMap(7, {d(0), d(2), d(1), d(3)}), iteratorTypes(7, 4),
      multiplyAccumulate);
}

/// The convolution of `lhs` and `rhs` (as channelsInnermostConvolution)
/// into an f32 accumulator [G, A, P, Q] initialized from `bias` (zeros
/// without), rounded to `elem` once.
Value roundedConvolution(TensorBuilder &tb, Value lhs, Value rhs, Value bias,
                         ArrayRef<int64_t> outShape, int64_t strideH,
                         int64_t strideW, int64_t dilationH, int64_t dilationW,
                         int64_t offsetH, int64_t offsetW, Type elem) {
  Value acc = channelsInnermostConvolution(
      tb, convolutionInit(tb, bias, outShape), lhs, rhs, strideH, strideW,
      dilationH, dilationW, offsetH, offsetW);
  return tb.castTo(acc, elem);
}

struct Conv2dChannelPairs : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dOp op,
                                PatternRewriter &rewriter) const override {
    ConvGeometry g =
        getConvGeometry(op, shapeOf(op.getInput()), shapeOf(op.getWeight()),
                        shapeOf(op.getOutput()));
    if (!channelsPair(elementTypeOf(op.getInput()), g.inPerGroup()))
      return rewriter.notifyMatchFailure(op, "input channels do not pair");
    TensorBuilder tb(rewriter, op.getLoc());
    // [G, Hp, Wp, Cg] and [G, Kg, Kh, Kw, Cg].
    Value x = tb.transpose(
        paddedGroupedInput(tb, tb.toCHW(op.getInput(), op.getLayout()), g),
        {0, 2, 3, 1});
    Value w = tb.transpose(
        groupedWeight(tb, weightToCHW(tb, op.getWeight(), op.getLayout()), g),
        {0, 1, 3, 4, 2});
    Value out = roundedConvolution(
        tb, x, w, op.getBias(),
        {g.groups, g.outPerGroup(), g.outHeight, g.outWidth}, g.strideH,
        g.strideW, g.dilationH, g.dilationW, 0, 0, resultElementType(op));
    out = tb.collapse(out, {{0, 1}, {2}, {3}});
    rewriter.replaceOp(op, tb.fromCHW(out, op.getLayout()));
    return success();
  }
};

struct Conv2dInGradChannelPairs : OpRewritePattern<Conv2dInGradOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dInGradOp op,
                                PatternRewriter &rewriter) const override {
    ConvGeometry g = getConvGeometry(op, shapeOf(op.getGradInput()),
                                     shapeOf(op.getWeight()),
                                     shapeOf(op.getGradOutput()));
    if (!channelsPair(elementTypeOf(op.getGradOutput()), g.outPerGroup()))
      return rewriter.notifyMatchFailure(op, "output channels do not pair");
    TensorBuilder tb(rewriter, op.getLoc());
    // The output gradient dilated by the stride and padded by the kernel
    // span minus one on both sides (more at the bottom/right for padded
    // rows and columns no window reaches): the padded input gradient is its
    // stride-1 convolution with the flipped kernel. As [G, ph, pw, Kg].
    int64_t ph = g.paddedHeight() + g.spanHeight() - 1;
    int64_t pw = g.paddedWidth() + g.spanWidth() - 1;
    Value dy = tb.embed(tb.toCHW(op.getGradOutput(), op.getLayout()),
                        {g.outChannels, ph, pw},
                        {0, g.spanHeight() - 1, g.spanWidth() - 1},
                        {1, g.strideH, g.strideW}, 0.0);
    dy = tb.expand(dy, {g.groups, g.outPerGroup(), ph, pw}, {{0, 1}, {2}, {3}});
    dy = tb.transpose(dy, {0, 2, 3, 1});
    // wf[g, c, kh, kw, k] = w[g, k, c, Kh-1-kh, Kw-1-kw], in the weight's
    // element type (a copy, no rounding).
    Value w =
        groupedWeight(tb, weightToCHW(tb, op.getWeight(), op.getLayout()), g);
    auto d = [&](unsigned i) { return tb.dim(i); };
    Value wf = gather(tb, w,
                      {g.groups, g.inPerGroup(), g.kernelHeight, g.kernelWidth,
                       g.outPerGroup()},
                      tb.affineMap(5, {d(0), d(4), d(1),
                                       g.kernelHeight - 1 - d(2),
                                       g.kernelWidth - 1 - d(3)}));
    // Only the unpadded input positions: padded row y + pt.
    Value dx = roundedConvolution(
        tb, dy, wf, Value(), {g.groups, g.inPerGroup(), g.height, g.width}, 1,
        1, g.dilationH, g.dilationW, g.padTop, g.padLeft,
        resultElementType(op));
    dx = tb.collapse(dx, {{0, 1}, {2}, {3}});
    rewriter.replaceOp(op, tb.fromCHW(dx, op.getLayout()));
    return success();
  }
};

/// The weight gradient reduces over the output positions (oh, ow) only, so
/// its pairs run along the output columns: dy[g, k, oh, ow..ow+1] and
/// x[g, c, row, ow + kw*dw ..+1]. The input pair starts at an odd column for
/// the taps whose column offset kw*dw is odd; those read a copy of the
/// padded input shifted left by one column instead, where the same pair
/// starts at an even column. One generic per parity class of taps:
///
///   dw_p[g, k, c, kh, t] += xs_p[g, c, oh*sh + kh*dh, ow + j*dw - p]
///                           * dy[g, k, oh, ow],   j = the class's t-th tap
///
/// (xs_0 the padded input, xs_1 the shifted copy; both with an even row
/// length), interleaved into the f32 gradient and rounded once. Needs
/// stride 1 along the columns (pairs of consecutive input columns) and an
/// even output width (pairs at even offsets, no scalar tail).
struct Conv2dWgtGradColumnPairs : OpRewritePattern<Conv2dWgtGradOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dWgtGradOp op,
                                PatternRewriter &rewriter) const override {
    ConvGeometry g = getConvGeometry(op, shapeOf(op.getInput()),
                                     shapeOf(op.getGradWeight()),
                                     shapeOf(op.getGradOutput()));
    if (!channelsPair(elementTypeOf(op.getGradOutput()), g.outWidth))
      return rewriter.notifyMatchFailure(op, "output columns do not pair");
    if (g.strideW != 1)
      return rewriter.notifyMatchFailure(op, "column stride is not 1");
    // Taps at odd column offsets read a shifted copy of the input: each of
    // its elements feeds Kg * Kh MACs per such tap. It pays when that is at
    // least kMinMacsPerCopiedElement (docs/Vectorization.md, "Layout"); a
    // depthwise 3x3 (3 MACs) stays scalar.
    bool oddTaps = g.dilationW % 2 != 0 && g.kernelWidth > 1;
    int64_t oddTapCount = oddTaps ? g.kernelWidth / 2 : 0;
    if (oddTaps && g.outPerGroup() * g.kernelHeight * oddTapCount <
                       kMinMacsPerCopiedElement)
      return rewriter.notifyMatchFailure(op, "the shifted copy does not pay");
    TensorBuilder tb(rewriter, op.getLoc());
    Location loc = op.getLoc();
    // The padded input with an even row length and, for the shifted copy,
    // at least one zero column past the last one a window reads.
    int64_t rowLength =
        llvm::alignTo(g.paddedWidth() + (oddTaps ? 1 : 0), 2);
    Value x = tb.toCHW(op.getInput(), op.getLayout());
    if (g.isPadded() || rowLength != g.width)
      x = tb.embed(x, {g.channels, g.paddedHeight(), rowLength},
                   {0, g.padTop, g.padLeft}, {1, 1, 1}, 0.0);
    x = tb.expand(x, {g.groups, g.inPerGroup(), g.paddedHeight(), rowLength},
                  {{0, 1}, {2}, {3}});
    Value dy = tb.expand(tb.toCHW(op.getGradOutput(), op.getLayout()),
                         {g.groups, g.outPerGroup(), g.outHeight, g.outWidth},
                         {{0, 1}, {2}, {3}});
    auto d = [&](unsigned i) { return tb.dim(i); };
    SmallVector<int64_t> shape = {g.groups, g.outPerGroup(), g.inPerGroup(),
                                  g.kernelHeight, g.kernelWidth};
    // The f32 gradient of the taps j = parity + step * t, reading `src`:
    // loops (g, k, c, kh, t | oh, ow), the columns innermost.
    int64_t step = oddTaps ? 2 : 1;
    auto tapsGradient = [&](int64_t parity, Value src) {
      SmallVector<int64_t> partShape(shape);
      partShape.back() = (g.kernelWidth - parity + step - 1) / step;
      return tb.generic(
          tb.filled(partShape, 0.0), {src, dy},
          {tb.affineMap(7, {d(0), d(2), d(5) * g.strideH + d(3) * g.dilationH,
                            d(6) + d(4) * (step * g.dilationW) +
                                parity * (g.dilationW - 1)}),
           tb.affineMap(7, {d(0), d(1), d(5), d(6)})},
          tb.affineMap(7, {d(0), d(1), d(2), d(3), d(4)}),
          iteratorTypes(7, 5), multiplyAccumulate);
    };
    Value grad;
    if (!oddTaps) {
      grad = tapsGradient(0, x);
    } else {
      // Even taps on the padded input, odd ones on its copy shifted left by
      // a column (made once the even part is done, so that the two copies
      // are not live at once longer than needed), interleaved (stride 2)
      // into one f32 gradient.
      grad = tensor::EmptyOp::create(rewriter, loc, shape, tb.f32());
      for (int64_t parity : {0, 1}) {
        Value src =
            parity == 0
                ? x
                : gather(tb, x,
                         {g.groups, g.inPerGroup(), g.paddedHeight(),
                          rowLength - 2},
                         tb.affineMap(4, {d(0), d(1), d(2), d(3) + 1}));
        Value part = tapsGradient(parity, src);
        SmallVector<OpFoldResult> offsets(5, rewriter.getIndexAttr(0)), sizes,
            strides(5, rewriter.getIndexAttr(1));
        offsets.back() = rewriter.getIndexAttr(parity);
        strides.back() = rewriter.getIndexAttr(step);
        for (int64_t size : shapeOf(part))
          sizes.push_back(rewriter.getIndexAttr(size));
        grad = tensor::InsertSliceOp::create(rewriter, loc, part, grad,
                                             offsets, sizes, strides);
      }
    }
    grad = tb.collapse(grad, {{0, 1}, {2}, {3}, {4}});
    grad = tb.castTo(grad, resultElementType(op));
    rewriter.replaceOp(op, weightFromCHW(tb, grad, op.getLayout()));
    return success();
  }
};

struct PairChannelsPass
    : pulptrain::impl::PairChannelsBase<PairChannelsPass> {
  using PairChannelsBase::PairChannelsBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePairChannelsPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::pulptrain::populatePairChannelsPatterns(
    RewritePatternSet &patterns) {
  patterns.add<Conv2dChannelPairs, Conv2dInGradChannelPairs,
               Conv2dWgtGradColumnPairs>(patterns.getContext());
}
