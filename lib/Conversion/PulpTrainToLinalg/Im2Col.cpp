//===- Im2Col.cpp - Convolutions as patch buffers and matrix products -----===//
//
// Lowers Conv2D forward, weight-gradient and input-gradient ops to an
// unrolled-patch buffer (im2col) and a matrix product per group, so that the
// convolution runs as the register-blocked matmul micro-kernel:
//
//   fwd:      Y[g]  (Kg x P)  = W[g] (Kg x R) . P[g] (R x P)
//   wgt-grad: dW[g] (Kg x R)  = dY[g] (Kg x P) . P[g]^T
//   in-grad:  dX[g] (Cg x HW) = Wf[g]^T (Cg x R') . Q[g] (R' x HW)
//
// with R = Cg*Kh*Kw rows (c, kh, kw) of the patch P of the padded input, P =
// Ho*Wo output pixels, and for the input gradient the patch Q of the
// stride-dilated, padded output gradient and the flipped kernel Wf (R' =
// Kg*Kh*Kw). Pointwise convolutions are matrix products of the feature maps
// themselves (no patch); depthwise convolutions keep the direct lowering.
//
// A patch larger than the budget is built in chunks along the reduction
// (input channels, output rows, output-gradient channels), each chunk's
// product accumulating into the same result; the summation order is the
// one of the direct lowering, so results are bit-identical to it.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "pulptrain/Conversion/Passes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Support/ByteSize.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_IM2COL
#include "pulptrain/Conversion/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// `acc[g, m, n] += a[aMap] * b[bMap]` over loops (g, m, n, r): a batched
/// matrix product reducing over r.
Value batchMatmul(TensorBuilder &tb, Value acc, Value a, AffineMap aMap,
                  Value bOperand, AffineMap bMap) {
  return tb.generic(acc, {a, bOperand}, {aMap, bMap},
                    tb.affineMap(4, {tb.dim(0), tb.dim(1), tb.dim(2)}),
                    iteratorTypes(4, 3), multiplyAccumulate);
}

/// Whether im2col applies: not depthwise (one input channel per group),
/// where the patch would only copy the input, and not dilated (the patches
/// here gather contiguous windows; a dilated convolution keeps the direct
/// reference lowering).
bool im2colApplies(const ConvGeometry &g) {
  return g.inPerGroup() > 1 && !g.isDilated();
}

/// A [G, X, Ho, Wo]-like CHW feature map as the matrix [G, X, Ho*Wo].
Value asGroupedMatrix(TensorBuilder &tb, Value chw, int64_t groups) {
  ArrayRef<int64_t> shape = shapeOf(chw);
  Value flat = tb.collapse(chw, {{0}, {1, 2}});
  return tb.expand(flat, {groups, shape[0] / groups, shape[1] * shape[2]},
                   {{0, 1}, {2}});
}

/// The [G, X, n] result of a product as the CHW tensor [G*X, h, w].
Value fromGroupedMatrix(TensorBuilder &tb, Value matrix, int64_t h, int64_t w) {
  ArrayRef<int64_t> shape = shapeOf(matrix);
  Value flat = tb.collapse(matrix, {{0, 1}, {2}});
  return tb.expand(flat, {shape[0] * shape[1], h, w}, {{0}, {1, 2}});
}

struct Conv2dIm2Col : OpRewritePattern<Conv2dOp> {
  Conv2dIm2Col(MLIRContext *ctx, int64_t budget)
      : OpRewritePattern(ctx), budget(budget) {}

  LogicalResult matchAndRewrite(Conv2dOp op,
                                PatternRewriter &rewriter) const override {
    ConvGeometry g =
        getConvGeometry(op, shapeOf(op.getInput()), shapeOf(op.getWeight()),
                        shapeOf(op.getOutput()));
    if (!im2colApplies(g))
      return rewriter.notifyMatchFailure(op, "depthwise: direct kernel");
    TensorBuilder tb(rewriter, op.getLoc());
    Type elem = elementTypeOf(op.getInput());
    int64_t kk = g.kernelSize(), pixels = g.outHeight * g.outWidth;
    int64_t channels = g.inPerGroup();
    // One input channel's patch rows, over every group.
    int64_t chunk =
        g.isPointwise()
            ? channels
            : getChunkSize(channels, g.groups * kk * pixels * getElementByteSize(elem),
                           budget);
    if (chunk == 0)
      return rewriter.notifyMatchFailure(op, "patch row over budget");

    Value x = tb.toCHW(op.getInput(), op.getLayout());
    Value w =
        groupedWeight(tb, weightToCHW(tb, op.getWeight(), op.getLayout()), g);
    Value wm = tb.collapse(w, {{0}, {1}, {2, 3, 4}}); // [G, Kg, R]
    Value acc =
        convolutionInit(tb, op.getBias(), {g.groups, g.outPerGroup(), pixels});
    auto d = [&](unsigned i) { return tb.dim(i); };
    if (g.isPointwise()) {
      // Y[g, k, p] += W[g, k, c] * X[g, c, p]
      acc = batchMatmul(tb, acc, wm, tb.affineMap(4, {d(0), d(1), d(3)}),
                        asGroupedMatrix(tb, x, g.groups),
                        tb.affineMap(4, {d(0), d(3), d(2)}));
    } else {
      // Chunk i of the input channels and of the weight's patch rows as
      // their own dimension (a linalg operand must not be indexed beyond a
      // loop's range by a plain loop index).
      int64_t chunks = channels / chunk;
      Value xp = tb.expand(
          paddedGroupedInput(tb, x, g),
          {g.groups, chunks, chunk, g.paddedHeight(), g.paddedWidth()},
          {{0}, {1, 2}, {3}, {4}});
      Value wc = tb.expand(wm, {g.groups, g.outPerGroup(), chunks, chunk * kk},
                           {{0}, {1}, {2, 3}});
      for (int64_t i = 0; i < chunks; ++i) {
        // P[g, c, kh, kw, oh, ow] = xp[g, i, c, oh*sh + kh, ow*sw + kw]
        Value patch = gather(
            tb, xp,
            {g.groups, chunk, g.kernelHeight, g.kernelWidth, g.outHeight,
             g.outWidth},
            tb.affineMap(6,
                         {d(0), getAffineConstantExpr(i, op.getContext()), d(1),
                          d(4) * g.strideH + d(2), d(5) * g.strideW + d(3)}));
        patch = tb.collapse(patch, {{0}, {1, 2, 3}, {4, 5}});
        // Y[g, k, p] += W[g, k, i, r] * P[g, r, p]
        acc = batchMatmul(
            tb, acc, wc,
            tb.affineMap(4, {d(0), d(1),
                             getAffineConstantExpr(i, op.getContext()), d(3)}),
            patch, tb.affineMap(4, {d(0), d(3), d(2)}));
      }
    }
    Value out = fromGroupedMatrix(tb, acc, g.outHeight, g.outWidth);
    out = tb.castTo(out, resultElementType(op));
    rewriter.replaceOp(op, tb.fromCHW(out, op.getLayout()));
    return success();
  }

  int64_t budget;
};

struct Conv2dWgtGradIm2Col : OpRewritePattern<Conv2dWgtGradOp> {
  Conv2dWgtGradIm2Col(MLIRContext *ctx, int64_t budget)
      : OpRewritePattern(ctx), budget(budget) {}

  LogicalResult matchAndRewrite(Conv2dWgtGradOp op,
                                PatternRewriter &rewriter) const override {
    ConvGeometry g =
        getConvGeometry(op, shapeOf(op.getInput()), shapeOf(op.getGradWeight()),
                        shapeOf(op.getGradOutput()));
    if (!im2colApplies(g))
      return rewriter.notifyMatchFailure(op, "depthwise: direct kernel");
    TensorBuilder tb(rewriter, op.getLoc());
    Type elem = elementTypeOf(op.getInput());
    int64_t kk = g.kernelSize(), rows = g.inPerGroup() * kk;
    // One output row's patch columns, over every group.
    int64_t chunk =
        g.isPointwise()
            ? g.outHeight
            : getChunkSize(g.outHeight,
                           g.groups * rows * g.outWidth * getElementByteSize(elem),
                           budget);
    if (chunk == 0)
      return rewriter.notifyMatchFailure(op, "patch column over budget");

    Value x = tb.toCHW(op.getInput(), op.getLayout());
    Value dy = asGroupedMatrix(tb, tb.toCHW(op.getGradOutput(), op.getLayout()),
                               g.groups);
    Value acc = tb.filled({g.groups, g.outPerGroup(), rows}, 0.0);
    auto d = [&](unsigned i) { return tb.dim(i); };
    if (g.isPointwise()) {
      // dW[g, k, c] += dY[g, k, p] * X[g, c, p]
      acc = batchMatmul(tb, acc, dy, tb.affineMap(4, {d(0), d(1), d(3)}),
                        asGroupedMatrix(tb, x, g.groups),
                        tb.affineMap(4, {d(0), d(2), d(3)}));
    } else {
      Value xp = paddedGroupedInput(tb, x, g);
      // Chunk i of the output gradient's columns as its own dimension.
      int64_t chunks = g.outHeight / chunk;
      Value dyc =
          tb.expand(dy, {g.groups, g.outPerGroup(), chunks, chunk * g.outWidth},
                    {{0}, {1}, {2, 3}});
      for (int64_t i = 0; i < chunks; ++i) {
        // P[g, c, kh, kw, j, ow] = xp[g, c, (i*n + j)*sh + kh, ow*sw + kw]
        Value patch = gather(
            tb, xp,
            {g.groups, g.inPerGroup(), g.kernelHeight, g.kernelWidth, chunk,
             g.outWidth},
            tb.affineMap(6, {d(0), d(1), (d(4) + i * chunk) * g.strideH + d(2),
                             d(5) * g.strideW + d(3)}));
        patch = tb.collapse(patch, {{0}, {1, 2, 3}, {4, 5}});
        // dW[g, k, r] += dY[g, k, i, p] * P[g, r, p]
        acc = batchMatmul(
            tb, acc, dyc,
            tb.affineMap(4, {d(0), d(1),
                             getAffineConstantExpr(i, op.getContext()), d(3)}),
            patch, tb.affineMap(4, {d(0), d(2), d(3)}));
      }
    }
    // [G, Kg, Cg*Kh*Kw] -> [K, Cg, Kh, Kw]
    Value dw = tb.collapse(acc, {{0, 1}, {2}});
    dw = tb.expand(
        dw, {g.outChannels, g.inPerGroup(), g.kernelHeight, g.kernelWidth},
        {{0}, {1, 2, 3}});
    dw = tb.castTo(dw, resultElementType(op));
    rewriter.replaceOp(op, weightFromCHW(tb, dw, op.getLayout()));
    return success();
  }

  int64_t budget;
};

struct Conv2dInGradIm2Col : OpRewritePattern<Conv2dInGradOp> {
  Conv2dInGradIm2Col(MLIRContext *ctx, int64_t budget)
      : OpRewritePattern(ctx), budget(budget) {}

  LogicalResult matchAndRewrite(Conv2dInGradOp op,
                                PatternRewriter &rewriter) const override {
    ConvGeometry g =
        getConvGeometry(op, shapeOf(op.getGradInput()), shapeOf(op.getWeight()),
                        shapeOf(op.getGradOutput()));
    if (!im2colApplies(g))
      return rewriter.notifyMatchFailure(op, "depthwise: direct kernel");
    TensorBuilder tb(rewriter, op.getLoc());
    Type elem = elementTypeOf(op.getGradOutput());
    int64_t kk = g.kernelSize(), pixels = g.height * g.width;
    // One output-gradient channel's patch rows, over every group.
    int64_t chunk =
        g.isPointwise()
            ? g.outPerGroup()
            : getChunkSize(
                  g.outPerGroup(),
                  g.groups * getElementByteSize(elem) *
                      (kk * pixels + (g.paddedHeight() + g.kernelHeight - 1) *
                                         (g.paddedWidth() + g.kernelWidth - 1)),
                  budget);
    if (chunk == 0)
      return rewriter.notifyMatchFailure(op, "patch row over budget");

    Value dyChw = tb.toCHW(op.getGradOutput(), op.getLayout());
    Value w = groupedWeight(tb, weightToCHW(tb, op.getWeight(), op.getLayout()),
                            g); // [G, Kg, Cg, Kh, Kw]
    Value acc = tb.filled({g.groups, g.inPerGroup(), pixels}, 0.0);
    auto d = [&](unsigned i) { return tb.dim(i); };
    if (g.isPointwise()) {
      // dX[g, c, p] += W[g, k, c] * dY[g, k, p]
      Value wm = tb.collapse(w, {{0}, {1}, {2, 3, 4}});
      acc = batchMatmul(tb, acc, wm, tb.affineMap(4, {d(0), d(3), d(1)}),
                        asGroupedMatrix(tb, dyChw, g.groups),
                        tb.affineMap(4, {d(0), d(3), d(2)}));
    } else {
      // Wf[g, c, k, kh, kw] = W[g, k, c, Kh-1-kh, Kw-1-kw], chunk i of the
      // output-gradient channels (its columns) as its own dimension (a
      // linalg operand must not be indexed beyond a loop's range by a plain
      // loop index).
      int64_t chunks = g.outPerGroup() / chunk;
      Value wf =
          gather(tb, w,
                 {g.groups, g.inPerGroup(), g.outPerGroup(), g.kernelHeight,
                  g.kernelWidth},
                 tb.affineMap(5, {d(0), d(2), d(1), g.kernelHeight - 1 - d(3),
                                  g.kernelWidth - 1 - d(4)}));
      wf = tb.expand(tb.collapse(wf, {{0}, {1}, {2, 3, 4}}),
                     {g.groups, g.inPerGroup(), chunks, chunk * kk},
                     {{0}, {1}, {2, 3}});
      Value dy =
          tb.expand(dyChw, {g.groups, g.outPerGroup(), g.outHeight, g.outWidth},
                    {{0, 1}, {2}, {3}});
      // The output gradient dilated by the stride and padded by Kh-1 / Kw-1
      // (more at the bottom/right for padded-input rows and columns no
      // window reaches): the padded input gradient is its stride-1
      // convolution with the flipped kernel.
      int64_t ph = g.paddedHeight() + g.kernelHeight - 1;
      int64_t pw = g.paddedWidth() + g.kernelWidth - 1;
      for (int64_t i = 0; i < chunks; ++i) {
        Value dyd =
            tb.embed(tb.slice(dy, {0, i * chunk, 0, 0},
                              {g.groups, chunk, g.outHeight, g.outWidth}),
                     {g.groups, chunk, ph, pw},
                     {0, 0, g.kernelHeight - 1, g.kernelWidth - 1},
                     {1, 1, g.strideH, g.strideW}, 0.0);
        // Q[g, k, kh, kw, y, x] = dyd[g, k, y + pt + kh, x + pl + kw]
        // (only the unpadded input positions).
        Value patch = gather(
            tb, dyd,
            {g.groups, chunk, g.kernelHeight, g.kernelWidth, g.height, g.width},
            tb.affineMap(6, {d(0), d(1), d(4) + g.padTop + d(2),
                             d(5) + g.padLeft + d(3)}));
        patch = tb.collapse(patch, {{0}, {1, 2, 3}, {4, 5}});
        // dX[g, c, p] += Wf[g, c, i, r] * Q[g, r, p]
        acc = batchMatmul(
            tb, acc, wf,
            tb.affineMap(4, {d(0), d(1),
                             getAffineConstantExpr(i, op.getContext()), d(3)}),
            patch, tb.affineMap(4, {d(0), d(3), d(2)}));
      }
    }
    Value dx = fromGroupedMatrix(tb, acc, g.height, g.width);
    dx = tb.castTo(dx, resultElementType(op));
    rewriter.replaceOp(op, tb.fromCHW(dx, op.getLayout()));
    return success();
  }

  int64_t budget;
};

struct Im2ColPass : pulptrain::impl::Im2ColBase<Im2ColPass> {
  using Im2ColBase::Im2ColBase;

  void runOnOperation() override {
    bool forward = steps.empty(), weightGradient = steps.empty(),
         inputGradient = steps.empty();
    for (const std::string &step : steps) {
      if (step == "fwd") {
        forward = true;
      } else if (step == "wgt-grad") {
        weightGradient = true;
      } else if (step == "in-grad") {
        inputGradient = true;
      } else {
        getOperation()->emitError("pulptrain-im2col: unknown step '")
            << step << "' (expected fwd, wgt-grad or in-grad)";
        return signalPassFailure();
      }
    }
    RewritePatternSet patterns(&getContext());
    populateIm2ColPatterns(patterns, patchBudget, forward, weightGradient,
                           inputGradient);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::pulptrain::populateIm2ColPatterns(RewritePatternSet &patterns,
                                             int64_t patchBudget, bool forward,
                                             bool weightGradient,
                                             bool inputGradient) {
  MLIRContext *ctx = patterns.getContext();
  if (forward)
    patterns.add<Conv2dIm2Col>(ctx, patchBudget);
  if (weightGradient)
    patterns.add<Conv2dWgtGradIm2Col>(ctx, patchBudget);
  if (inputGradient)
    patterns.add<Conv2dInGradIm2Col>(ctx, patchBudget);
}
