//===- ShapeInference.cpp - Shape rules of pulptrain ops ------------------===//
//
// Convolution and pooling geometry shared by verifiers, builders and passes.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/ShapeInference.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::pulptrain;

std::string mlir::pulptrain::formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return s;
}

FeatureMapDims mlir::pulptrain::getFeatureMapDims(ArrayRef<int64_t> shape,
                                                  Layout layout) {
  if (layout == Layout::HWC)
    return {shape[2], shape[0], shape[1]};
  return {shape[0], shape[1], shape[2]};
}

SmallVector<int64_t, 3>
mlir::pulptrain::makeFeatureMapShape(FeatureMapDims dims, Layout layout) {
  if (layout == Layout::HWC)
    return {dims.height, dims.width, dims.channels};
  return {dims.channels, dims.height, dims.width};
}

std::pair<int64_t, int64_t>
mlir::pulptrain::getConvKernelSize(ArrayRef<int64_t> weightShape,
                                   Layout layout) {
  if (layout == Layout::HWC)
    return {weightShape[1], weightShape[2]};
  return {weightShape[2], weightShape[3]};
}

int64_t mlir::pulptrain::getConvWeightInChannels(ArrayRef<int64_t> weightShape,
                                                 Layout layout) {
  return layout == Layout::HWC ? weightShape[3] : weightShape[1];
}

/// Checks the stride and padding attributes shared by convolution and
/// pooling.
static LogicalResult verifyStrideAndPadding(EmitErrorFn emitError,
                                            ArrayRef<int64_t> stride,
                                            ArrayRef<int64_t> padding) {
  if (stride.size() != 2)
    return emitError() << "'stride' must have 2 values [sh, sw], got "
                       << stride.size();
  if (llvm::any_of(stride, [](int64_t s) { return s <= 0; }))
    return emitError() << "'stride' values must be positive, got "
                       << formatShape(stride);
  if (padding.size() != 4)
    return emitError()
           << "'padding' must have 4 values [top, bottom, left, right], got "
           << padding.size();
  if (llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return emitError() << "'padding' values must be non-negative, got "
                       << formatShape(padding);
  return success();
}

/// Checks that every dimension of `shape` (operand `name`) is positive,
/// naming the first one that is not by `dimNames`.
static LogicalResult verifyPositiveDims(EmitErrorFn emitError, StringRef name,
                                        ArrayRef<int64_t> shape,
                                        ArrayRef<StringRef> dimNames) {
  for (auto [size, dim] : llvm::zip_equal(shape, dimNames))
    if (size <= 0)
      return emitError() << "'" << name << "' " << dim
                         << " must be positive, got " << size << " (shape "
                         << formatShape(shape) << ")";
  return success();
}

/// The names of the dimensions of a feature map in `layout`.
static SmallVector<StringRef, 3> featureMapDimNames(Layout layout) {
  if (layout == Layout::HWC)
    return {"height", "width", "channels"};
  return {"channels", "height", "width"};
}

/// Output size of a sliding window along one dimension, or an error when
/// the window is larger than the padded input.
static FailureOr<int64_t> windowOutputSize(EmitErrorFn emitError,
                                           StringRef what, StringRef dim,
                                           int64_t input, int64_t window,
                                           int64_t padBefore, int64_t padAfter,
                                           int64_t stride) {
  int64_t padded = input + padBefore + padAfter;
  if (window > padded) {
    emitError() << what << " " << dim << " " << window
                << " exceeds the padded input " << dim << " " << padded;
    return failure();
  }
  return (padded - window) / stride + 1;
}

FailureOr<SmallVector<int64_t, 3>> mlir::pulptrain::inferConv2dOutputShape(
    EmitErrorFn emitError, ArrayRef<int64_t> inputShape,
    ArrayRef<int64_t> weightShape, ArrayRef<int64_t> stride,
    ArrayRef<int64_t> padding, int64_t groups, Layout layout,
    const ConvRoleNames &names, ArrayRef<int64_t> dilation) {
  StringRef fmt = layout == Layout::HWC ? "[H, W, C]" : "[C, H, W]";
  if (inputShape.size() != 3) {
    emitError() << "'" << names.input << "' must have rank 3 " << fmt
                << ", got rank " << inputShape.size();
    return failure();
  }
  if (weightShape.size() != 4) {
    emitError() << "'" << names.weight << "' must have rank 4, got rank "
                << weightShape.size();
    return failure();
  }
  SmallVector<StringRef, 4> weightDims = {"output channels",
                                          "input channels per group",
                                          "kernel height", "kernel width"};
  if (layout == Layout::HWC)
    weightDims = {"output channels", "kernel height", "kernel width",
                  "input channels per group"};
  if (failed(verifyPositiveDims(emitError, names.input, inputShape,
                                featureMapDimNames(layout))) ||
      failed(verifyPositiveDims(emitError, names.weight, weightShape,
                                weightDims)))
    return failure();
  if (failed(verifyStrideAndPadding(emitError, stride, padding)))
    return failure();
  if (groups <= 0) {
    emitError() << "'groups' must be positive, got " << groups;
    return failure();
  }
  if (!dilation.empty() &&
      (dilation.size() != 2 ||
       llvm::any_of(dilation, [](int64_t d) { return d <= 0; }))) {
    emitError() << "'dilation' must be 2 positive values [dh, dw], got "
                << formatShape(dilation);
    return failure();
  }

  FeatureMapDims in = getFeatureMapDims(inputShape, layout);
  int64_t outChannels = weightShape[0];
  if (in.channels % groups != 0) {
    emitError() << "'groups' (" << groups << ") must divide the input channels ("
                << in.channels << ")";
    return failure();
  }
  if (outChannels % groups != 0) {
    emitError() << "'groups' (" << groups
                << ") must divide the output channels (" << outChannels << ")";
    return failure();
  }
  int64_t weightIn = getConvWeightInChannels(weightShape, layout);
  if (weightIn != in.channels / groups) {
    emitError() << "'" << names.weight << "' input channels per group expected "
                << in.channels / groups << " (input channels " << in.channels
                << " / groups " << groups << "), got " << weightIn;
    return failure();
  }

  auto [kh, kw] = getConvKernelSize(weightShape, layout);
  if (!dilation.empty()) {
    kh = dilation[0] * (kh - 1) + 1;
    kw = dilation[1] * (kw - 1) + 1;
  }
  FailureOr<int64_t> oh = windowOutputSize(emitError, "kernel", "height",
                                           in.height, kh, padding[0],
                                           padding[1], stride[0]);
  if (failed(oh))
    return failure();
  FailureOr<int64_t> ow = windowOutputSize(emitError, "kernel", "width",
                                           in.width, kw, padding[2],
                                           padding[3], stride[1]);
  if (failed(ow))
    return failure();
  return makeFeatureMapShape({outChannels, *oh, *ow}, layout);
}

int64_t mlir::pulptrain::ceilModeOutputSize(int64_t input, int64_t window,
                                            int64_t padBefore,
                                            int64_t padAfter, int64_t stride) {
  int64_t padded = input + padBefore + padAfter;
  int64_t out = (padded - window + stride - 1) / stride + 1;
  // The last window must start inside the input or the leading padding.
  if ((out - 1) * stride >= input + padBefore)
    --out;
  return out;
}

FailureOr<SmallVector<int64_t, 3>> mlir::pulptrain::inferPool2dOutputShape(
    EmitErrorFn emitError, ArrayRef<int64_t> inputShape,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
    ArrayRef<int64_t> padding, Layout layout, StringRef inputName,
    bool ceilMode) {
  StringRef fmt = layout == Layout::HWC ? "[H, W, C]" : "[C, H, W]";
  if (inputShape.size() != 3) {
    emitError() << "'" << inputName << "' must have rank 3 " << fmt
                << ", got rank " << inputShape.size();
    return failure();
  }
  if (failed(verifyPositiveDims(emitError, inputName, inputShape,
                                featureMapDimNames(layout))))
    return failure();
  if (kernel.size() != 2) {
    emitError() << "'kernel' must have 2 values [kh, kw], got "
                << kernel.size();
    return failure();
  }
  if (llvm::any_of(kernel, [](int64_t k) { return k <= 0; })) {
    emitError() << "'kernel' values must be positive, got "
                << formatShape(kernel);
    return failure();
  }
  if (failed(verifyStrideAndPadding(emitError, stride, padding)))
    return failure();
  // As PyTorch: padding beyond half the window would create windows that
  // see only padding.
  for (int i = 0; i < 4; ++i) {
    if (2 * padding[i] > kernel[i / 2]) {
      emitError() << "'padding' " << formatShape(padding)
                  << " must be at most half the kernel "
                  << formatShape(kernel);
      return failure();
    }
  }
  FeatureMapDims in = getFeatureMapDims(inputShape, layout);
  FailureOr<int64_t> oh =
      windowOutputSize(emitError, "kernel", "height", in.height, kernel[0],
                       padding[0], padding[1], stride[0]);
  if (failed(oh))
    return failure();
  FailureOr<int64_t> ow =
      windowOutputSize(emitError, "kernel", "width", in.width, kernel[1],
                       padding[2], padding[3], stride[1]);
  if (failed(ow))
    return failure();
  if (ceilMode) {
    *oh = ceilModeOutputSize(in.height, kernel[0], padding[0], padding[1],
                             stride[0]);
    *ow = ceilModeOutputSize(in.width, kernel[1], padding[2], padding[3],
                             stride[1]);
  }
  return makeFeatureMapShape({in.channels, *oh, *ow}, layout);
}
