//===- LoweringUtils.h - Helpers of the pulptrain to linalg lowering -*- C++ -*-===//
//
// Builds the tensor-level IR the pulptrain ops lower to: f32 accumulation
// tensors, linalg.generic ops, padding/dilation by insert_slice, layout
// transposes and reshapes.
//
// Numerics: every op computes in f32 and rounds its results once to the
// element type. For f16 and bf16 this is the semantics of PULP's expanding
// FP16 dot products (vfdotpex.s.h) and keeps reductions accurate.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_LIB_CONVERSION_PULPTRAINTOLINALG_LOWERINGUTILS_H
#define PULPTRAIN_LIB_CONVERSION_PULPTRAINTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Dialect/PulpTrain/IR/ShapeInference.h"

namespace mlir::pulptrain {

/// Computes the body of a generic: `inputs` extended to f32, `acc` the f32
/// output element (the init value, or the running reduction).
using BodyFn =
    function_ref<Value(OpBuilder &, Location, ValueRange inputs, Value acc)>;
/// Computes one element of an element-wise map from f32 inputs.
using MapFn = function_ref<Value(OpBuilder &, Location, ValueRange inputs)>;

/// Tensor IR construction at one location.
class TensorBuilder {
public:
  TensorBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  OpBuilder &builder() { return b; }
  Location location() { return loc; }
  Type f32() { return b.getF32Type(); }

  /// An f32 scalar constant.
  Value constant(double value);
  /// A tensor of `shape` and `elemType` filled with `value`.
  Value filled(ArrayRef<int64_t> shape, double value, Type elemType = {});
  /// Extends a floating-point scalar to f32 (no-op for f32).
  Value extend(Value scalar);
  /// Rounds an f32 scalar to `elemType` (no-op for f32).
  Value truncate(Value scalar, Type elemType);

  /// A linalg.generic writing the f32 tensor `init`: `inputMaps[i]` indexes
  /// `inputs[i]`, `outputMap` indexes `init`.
  Value generic(Value init, ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                AffineMap outputMap, ArrayRef<utils::IteratorType> iterators,
                BodyFn body);
  /// Element-wise map over inputs of one shape (a rank-0 input broadcasts);
  /// returns an f32 tensor of that shape.
  Value map(ValueRange inputs, MapFn fn, ArrayRef<int64_t> shape);
  /// Element-wise map over inputs of `type`'s shape into a new tensor of
  /// `type`, on the inputs' own elements (not extended to f32: byte masks
  /// and positions are integers).
  Value mapAs(RankedTensorType type, ValueRange inputs, MapFn fn);
  /// Sums `input` over the dimensions not in `keep` (in order) into f32,
  /// applying `fn` to each element first (identity when null).
  Value reduce(ValueRange inputs, ArrayRef<int64_t> keep, MapFn fn,
               bool maximum = false);

  /// Converts an f32 tensor to `elemType` (identity for f32).
  Value castTo(Value f32Tensor, Type elemType);

  /// Places `src` into a new tensor of `shape` filled with `fill`, element
  /// [i] at offsets[i] + i * strides[i]: padding and dilation.
  Value embed(Value src, ArrayRef<int64_t> shape, ArrayRef<int64_t> offsets,
              ArrayRef<int64_t> strides, double fill);
  /// The static slice [offsets, offsets + sizes) of `src`.
  Value slice(Value src, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes);
  /// Reshapes (static shapes) by expand_shape or collapse_shape.
  Value expand(Value src, ArrayRef<int64_t> shape,
               ArrayRef<ReassociationIndices> reassociation);
  Value collapse(Value src, ArrayRef<ReassociationIndices> reassociation);
  /// linalg.transpose: result dim i is src dim perm[i].
  Value transpose(Value src, ArrayRef<int64_t> perm);

  /// Converts a feature map from `layout` to CHW and back.
  Value toCHW(Value featureMap, Layout layout);
  Value fromCHW(Value featureMap, Layout layout);

  /// Affine expression helpers.
  AffineExpr dim(unsigned i) { return b.getAffineDimExpr(i); }
  AffineMap affineMap(unsigned numDims, ArrayRef<AffineExpr> results) {
    return AffineMap::get(numDims, 0, results, b.getContext());
  }

private:
  OpBuilder &b;
  Location loc;
};

/// Shape and element type of a ranked tensor value.
inline ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}
inline Type elementTypeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

/// The element type of result `i` of `op`.
inline Type resultElementType(Operation *op, unsigned i = 0) {
  return cast<RankedTensorType>(op->getResult(i).getType()).getElementType();
}

/// `n` iterator types: parallel for the first `numParallel`, then reduction.
SmallVector<utils::IteratorType> iteratorTypes(unsigned n,
                                               unsigned numParallel);

/// The geometry of a convolution in CHW terms.
struct ConvGeometry {
  int64_t groups, channels, height, width;  // input C, H, W
  int64_t outChannels, outHeight, outWidth; // output K, Ho, Wo
  int64_t kernelHeight, kernelWidth;        // Kh, Kw
  int64_t strideH, strideW;
  int64_t padTop, padBottom, padLeft, padRight;
  int64_t dilationH = 1, dilationW = 1;

  /// The input rows and columns a kernel spans: dh * (Kh - 1) + 1.
  int64_t spanHeight() const { return dilationH * (kernelHeight - 1) + 1; }
  int64_t spanWidth() const { return dilationW * (kernelWidth - 1) + 1; }
  bool isDilated() const { return dilationH != 1 || dilationW != 1; }

  int64_t inPerGroup() const { return channels / groups; }
  int64_t outPerGroup() const { return outChannels / groups; }
  int64_t paddedHeight() const { return height + padTop + padBottom; }
  int64_t paddedWidth() const { return width + padLeft + padRight; }
  int64_t kernelSize() const { return kernelHeight * kernelWidth; }
  bool isPadded() const {
    return padTop != 0 || padBottom != 0 || padLeft != 0 || padRight != 0;
  }
  /// 1x1, stride 1, no padding: a plain matrix product.
  bool isPointwise() const {
    return kernelHeight == 1 && kernelWidth == 1 && strideH == 1 &&
           strideW == 1 && !isPadded();
  }
};

/// The geometry of the convolution op `op` (Conv2d and its gradients)
/// with these input, weight and output shapes.
template <typename OpT>
ConvGeometry getConvGeometry(OpT op, ArrayRef<int64_t> inputShape,
                             ArrayRef<int64_t> weightShape,
                             ArrayRef<int64_t> outputShape) {
  Layout layout = op.getLayout();
  FeatureMapDims in = getFeatureMapDims(inputShape, layout);
  FeatureMapDims out = getFeatureMapDims(outputShape, layout);
  auto [kh, kw] = getConvKernelSize(weightShape, layout);
  ArrayRef<int64_t> stride = op.getStride(), pad = op.getPadding();
  auto [dh, dw] = getConvDilation(op);
  return {static_cast<int64_t>(op.getGroups()),
          in.channels,
          in.height,
          in.width,
          out.channels,
          out.height,
          out.width,
          kh,
          kw,
          stride[0],
          stride[1],
          pad[0],
          pad[1],
          pad[2],
          pad[3],
          dh,
          dw};
}

/// Brings a weight to the CHW form [K, Cg, Kh, Kw] and back.
Value weightToCHW(TensorBuilder &tb, Value weight, Layout layout);
Value weightFromCHW(TensorBuilder &tb, Value weight, Layout layout);
/// The zero-padded CHW input viewed as [G, Cg, Hp, Wp].
Value paddedGroupedInput(TensorBuilder &tb, Value chw, const ConvGeometry &g);
/// A CHW weight [K, Cg, Kh, Kw] viewed as [G, Kg, Cg, Kh, Kw].
Value groupedWeight(TensorBuilder &tb, Value weight, const ConvGeometry &g);

/// The f32 accumulator [G, K/G, ...] (`shape`) of a convolution: the bias
/// [K] broadcast over the trailing dimensions, or zeros without a bias.
Value convolutionInit(TensorBuilder &tb, Value bias, ArrayRef<int64_t> shape);

/// A new tensor of `shape` whose element at index i is `src[map(i)]` (a
/// copy in `src`'s element type).
Value gather(TensorBuilder &tb, Value src, ArrayRef<int64_t> shape,
             AffineMap map);

/// The largest divisor of `extent` whose chunk (`unitBytes` per unit) fits
/// `budget` (no limit when 0); 0 when not even one unit fits.
int64_t getChunkSize(int64_t extent, int64_t unitBytes, int64_t budget);

/// acc + a * b: the body of a multiply-accumulate generic.
Value multiplyAccumulate(OpBuilder &b, Location loc, ValueRange in, Value acc);

void populateElementwiseLoweringPatterns(RewritePatternSet &patterns);
void populateLinearConvLoweringPatterns(RewritePatternSet &patterns);
void populatePoolingLoweringPatterns(RewritePatternSet &patterns);
void populateNormalizationLoweringPatterns(RewritePatternSet &patterns);
void populateLossLoweringPatterns(RewritePatternSet &patterns);

} // namespace mlir::pulptrain

#endif // PULPTRAIN_LIB_CONVERSION_PULPTRAINTOLINALG_LOWERINGUTILS_H
