//===- ShapeInference.h - Shape rules of pulptrain ops ------------*- C++ -*-===//
//
// The shape rules of the convolution and pooling ops, shared by the op
// verifiers, builders and passes. Each rule reports a violated precondition
// through `emitError` and returns failure.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_SHAPEINFERENCE_H
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_SHAPEINFERENCE_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::pulptrain {

/// Creates a diagnostic at the op being checked; callers stream the message.
using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

/// Channel, height and width of a 3-D feature map in `layout`.
struct FeatureMapDims {
  int64_t channels, height, width;
};

/// Reads C, H, W from a rank-3 shape in `layout`.
FeatureMapDims getFeatureMapDims(ArrayRef<int64_t> shape, Layout layout);

/// Builds the rank-3 shape of a feature map in `layout`.
SmallVector<int64_t, 3> makeFeatureMapShape(FeatureMapDims dims, Layout layout);

/// Kernel height and width of a convolution weight in `layout`
/// (`[Cout, Cin/g, Kh, Kw]` or `[Cout, Kh, Kw, Cin/g]`).
std::pair<int64_t, int64_t> getConvKernelSize(ArrayRef<int64_t> weightShape,
                                              Layout layout);

/// Input channels per group of a convolution weight in `layout`.
int64_t getConvWeightInChannels(ArrayRef<int64_t> weightShape, Layout layout);

/// Names of the tensors in the roles of a convolution's input, weight and
/// output, as the op being verified calls them.
struct ConvRoleNames {
  StringRef input = "input", weight = "weight", output = "output";
};

/// The output shape of a 2-D convolution of a feature map of `inputShape`
/// with a weight of `weightShape`; checks ranks, attributes and channels.
/// `dilation` (empty: [1, 1]) spaces the kernel taps: a kernel of Kh rows
/// spans `dh * (Kh - 1) + 1` input rows.
FailureOr<SmallVector<int64_t, 3>>
inferConv2dOutputShape(EmitErrorFn emitError, ArrayRef<int64_t> inputShape,
                       ArrayRef<int64_t> weightShape, ArrayRef<int64_t> stride,
                       ArrayRef<int64_t> padding, int64_t groups, Layout layout,
                       const ConvRoleNames &names = {},
                       ArrayRef<int64_t> dilation = {});

/// The dilation [dh, dw] of a convolution op ([1, 1] when it has none).
template <typename OpT>
std::pair<int64_t, int64_t> getConvDilation(OpT op) {
  if (std::optional<ArrayRef<int64_t>> d = op.getDilation();
      d && d->size() == 2)
    return {(*d)[0], (*d)[1]};
  return {1, 1};
}

/// The output shape of a 2-D pooling of a feature map of `inputShape`;
/// `inputName` names the input in diagnostics. With `ceilMode` the output
/// sizes round up as PyTorch's `ceil_mode=True` (a last window that would
/// start beyond the input and the leading padding is dropped).
FailureOr<SmallVector<int64_t, 3>>
inferPool2dOutputShape(EmitErrorFn emitError, ArrayRef<int64_t> inputShape,
                       ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                       ArrayRef<int64_t> padding, Layout layout,
                       StringRef inputName = "input", bool ceilMode = false);

/// The output size of one dimension of a pooling with `ceilMode` (PyTorch's
/// rule), given its floor-mode size.
int64_t ceilModeOutputSize(int64_t input, int64_t window, int64_t padBefore,
                           int64_t padAfter, int64_t stride);

/// Formats a shape as `[a, b, c]` for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

} // namespace mlir::pulptrain

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_SHAPEINFERENCE_H
