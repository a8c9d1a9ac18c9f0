//===- Costs.cpp - the costs of the pulptrain ops -------------------------===//
//
// CostOpInterface: the multiply-accumulates of the ops that have any, and
// the bytes of the input that windowed ops (convolutions, poolings) read.
// Every other byte count is the interface's default (whole operands and
// results).
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ShapeInference.h"
#include "pulptrain/Support/ByteSize.h"
#include "llvm/ADT/BitVector.h"

using namespace mlir;
using namespace mlir::pulptrain;

/// Multiply-accumulates of a convolution producing `output` with a weight of
/// type `weight`: every output element sums Cin/groups * Kh * Kw products,
/// which is the weight's element count per output channel (CHW and HWC).
static int64_t getConvMacs(Value output, Value weight) {
  auto weightType = cast<ShapedType>(weight.getType());
  if (!weightType.hasStaticShape() || weightType.getDimSize(0) == 0)
    return 0;
  return getNumElements(output) *
         (weightType.getNumElements() / weightType.getDimSize(0));
}

/// One product per weight element.
int64_t LinearOp::getMacCount() { return getNumElements(getWeight()); }

/// One product per weight element (the outer product).
int64_t LinearWgtGradOp::getMacCount() {
  return getNumElements(getGradWeight());
}

/// One product per weight element (the transposed matrix-vector product).
int64_t LinearInGradOp::getMacCount() { return getNumElements(getWeight()); }

int64_t Conv2dOp::getMacCount() {
  return getConvMacs(getOutput(), getWeight());
}

/// As many products as the forward convolution.
int64_t Conv2dWgtGradOp::getMacCount() {
  return getConvMacs(getGradOutput(), getGradWeight());
}

/// As many products as the forward convolution.
int64_t Conv2dInGradOp::getMacCount() {
  return getConvMacs(getGradOutput(), getWeight());
}

/// The sum of squares: one per element.
int64_t MseLossOp::getMacCount() { return getNumElements(getPrediction()); }

/// `param - lr * g`, plus `momentum * buf + g` and `g + wd * param` when
/// they are not zero, and Nesterov's `g + momentum * buf'`: one each per
/// parameter element.
int64_t SgdUpdateOp::getMacCount() {
  int64_t terms = 1 + (getMomentum().isZero() ? 0 : 1) +
                  (getWeightDecay().isZero() ? 0 : 1) +
                  (getNesterov() ? 1 : 0);
  return terms * getNumElements(getParam());
}

/// Per parameter element: the two moments (two multiply-adds each, the
/// square a third), the parameter's step, and `g + wd * param` when the
/// weight decay is not zero.
int64_t AdamUpdateOp::getMacCount() {
  int64_t terms = 6 + (getWeightDecay().isZero() ? 0 : 1);
  return terms * getNumElements(getParam());
}

//===----------------------------------------------------------------------===//
// Bytes of the input of windowed ops
//===----------------------------------------------------------------------===//

/// Rows (or columns) of an input dimension of `size` under at least one of
/// `outputs` windows of `kernel` at `stride`, the first starting `pad`
/// before the input. A stride above the kernel, or windows that end before
/// the input does, leave some unread.
static int64_t getWindowFootprint(int64_t size, int64_t outputs, int64_t kernel,
                                  int64_t stride, int64_t pad,
                                  int64_t dilation = 1) {
  llvm::BitVector read(size);
  for (int64_t o = 0; o < outputs; ++o) {
    if (dilation != 1) {
      // Only the taps of a dilated window.
      for (int64_t k = 0; k < kernel; ++k) {
        int64_t row = o * stride - pad + k * dilation;
        if (row >= 0 && row < size)
          read.set(row);
      }
      continue;
    }
    int64_t first = std::max<int64_t>(o * stride - pad, 0);
    int64_t last = std::min<int64_t>(o * stride - pad + kernel, size);
    if (first < last)
      read.set(first, last);
  }
  return read.count();
}

/// Bytes of the feature map `input` that windows of `kernel` read to produce
/// a feature map of the shape of `output`: every channel, the rows and
/// columns under some window.
static int64_t getWindowedInputBytes(
    Value input, Value output, std::pair<int64_t, int64_t> kernel,
    ArrayRef<int64_t> stride, ArrayRef<int64_t> padding, Layout layout,
    std::pair<int64_t, int64_t> dilation = {1, 1}) {
  auto inType = cast<ShapedType>(input.getType());
  FeatureMapDims in = getFeatureMapDims(inType.getShape(), layout);
  FeatureMapDims out =
      getFeatureMapDims(cast<ShapedType>(output.getType()).getShape(), layout);
  int64_t rows = getWindowFootprint(in.height, out.height, kernel.first,
                                    stride[0], padding[0], dilation.first);
  int64_t cols = getWindowFootprint(in.width, out.width, kernel.second,
                                    stride[1], padding[2], dilation.second);
  return in.channels * rows * cols *
         getElementByteSize(inType.getElementType());
}

int64_t Conv2dOp::getOperandBytesRead(unsigned index) {
  if (index != 0)
    return getTensorBytes(getOperand(index));
  return getWindowedInputBytes(
      getInput(), getOutput(),
      getConvKernelSize(getWeight().getType().getShape(), getLayout()),
      getStride(), getPadding(), getLayout(), getConvDilation(*this));
}

int64_t Conv2dWgtGradOp::getOperandBytesRead(unsigned index) {
  if (index != 0)
    return getTensorBytes(getOperand(index));
  return getWindowedInputBytes(
      getInput(), getGradOutput(),
      getConvKernelSize(getGradWeight().getType().getShape(), getLayout()),
      getStride(), getPadding(), getLayout(), getConvDilation(*this));
}

int64_t MaxPool2dOp::getOperandBytesRead(unsigned index) {
  return getWindowedInputBytes(getInput(), getOutput(),
                               {getKernel()[0], getKernel()[1]}, getStride(),
                               getPadding(), getLayout());
}

/// The forward input is read under the windows of the output gradient.
int64_t MaxPool2dGradOp::getOperandBytesRead(unsigned index) {
  if (index != 0)
    return getTensorBytes(getOperand(index));
  return getWindowedInputBytes(getInput(), getGradOutput(),
                               {getKernel()[0], getKernel()[1]}, getStride(),
                               getPadding(), getLayout());
}

int64_t MaxPool2dArgmaxOp::getOperandBytesRead(unsigned index) {
  return getWindowedInputBytes(getInput(), getOutput(),
                               {getKernel()[0], getKernel()[1]}, getStride(),
                               getPadding(), getLayout());
}

int64_t AvgPool2dOp::getOperandBytesRead(unsigned index) {
  return getWindowedInputBytes(getInput(), getOutput(),
                               {getKernel()[0], getKernel()[1]}, getStride(),
                               getPadding(), getLayout());
}
