//===- Gradients.cpp - the gradient rules of the pulptrain ops ------------===//
//
// DifferentiableOpInterface of every differentiable pulptrain op: the
// gradient ops of the backward pass, created through the GradientBuilder of
// pulptrain-autodiff. Layers with weights create the weight gradients
// first, then the input gradient, as PULP-TrainLib orders them.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

using namespace mlir;
using namespace mlir::pulptrain;

/// The named inherent attributes of `op` that are set (the geometry a
/// gradient op shares with its forward op).
static SmallVector<NamedAttribute> copyAttrs(Operation *op,
                                             ArrayRef<StringRef> names) {
  SmallVector<NamedAttribute> attrs;
  for (StringRef name : names)
    if (Attribute attr = op->getAttr(name))
      attrs.emplace_back(StringAttr::get(op->getContext(), name), attr);
  return attrs;
}

static constexpr StringRef kConvAttrs[] = {"stride", "padding", "groups",
                                           "layout", "dilation"};
static constexpr StringRef kPoolAttrs[] = {
    "kernel", "stride", "padding", "layout", "ceil_mode", "count_include_pad"};

//===----------------------------------------------------------------------===//
// Layers with weights
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::buildGradient(GradientBuilder &builder,
                                      ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value x = getInput(), w = getWeight(), b = getBias();
  if (builder.needsGradient(w)) {
    Value dw =
        builder.create<LinearWgtGradOp>(Phase::WgtGrad, w.getType(), x, dy);
    builder.accumulateGradient(w, dw);
  }
  if (b && builder.needsGradient(b)) {
    Value db = builder.create<BiasGradOp>(
        Phase::WgtGrad, TypeRange{b.getType()}, ValueRange{dy});
    builder.accumulateGradient(b, db);
  }
  if (builder.needsGradient(x)) {
    Value dx =
        builder.create<LinearInGradOp>(Phase::InGrad, x.getType(), dy, w);
    builder.accumulateGradient(x, dx);
  }
  return success();
}

LogicalResult Conv2dOp::buildGradient(GradientBuilder &builder,
                                      ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value x = getInput(), w = getWeight(), b = getBias();
  SmallVector<NamedAttribute> attrs = copyAttrs(getOperation(), kConvAttrs);
  if (builder.needsGradient(w)) {
    Value dw = builder.create<Conv2dWgtGradOp>(
        Phase::WgtGrad, TypeRange{w.getType()}, ValueRange{x, dy}, attrs);
    builder.accumulateGradient(w, dw);
  }
  if (b && builder.needsGradient(b)) {
    Value db = builder.create<BiasGradOp>(
        Phase::WgtGrad, TypeRange{b.getType()}, ValueRange{dy},
        copyAttrs(getOperation(), {"layout"}));
    builder.accumulateGradient(b, db);
  }
  if (builder.needsGradient(x)) {
    Value dx = builder.create<Conv2dInGradOp>(
        Phase::InGrad, TypeRange{x.getType()}, ValueRange{dy, w}, attrs);
    builder.accumulateGradient(x, dx);
  }
  return success();
}

/// The gradients of a normalization `op` (instance or batch norm: both
/// normalize with statistics over H x W per channel at batch 1): its
/// weight-gradient op `WgtGradOp` for gamma and beta, its input-gradient op
/// `InGradOp` for the input.
template <typename WgtGradOp, typename InGradOp, typename NormOp>
LogicalResult buildNormGradient(NormOp op, GradientBuilder &builder,
                                ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value x = op.getInput(), gamma = op.getGamma(), beta = op.getBeta();
  SmallVector<NamedAttribute> attrs =
      copyAttrs(op.getOperation(), {"eps", "layout"});
  if (builder.needsGradient(gamma) || builder.needsGradient(beta)) {
    auto wgt = builder.create<WgtGradOp>(
        Phase::WgtGrad, TypeRange{gamma.getType(), beta.getType()},
        ValueRange{x, dy}, attrs);
    if (builder.needsGradient(gamma))
      builder.accumulateGradient(gamma, wgt.getGradGamma());
    if (builder.needsGradient(beta))
      builder.accumulateGradient(beta, wgt.getGradBeta());
  }
  if (builder.needsGradient(x)) {
    Value dx = builder.create<InGradOp>(
        Phase::InGrad, TypeRange{x.getType()}, ValueRange{x, gamma, dy}, attrs);
    builder.accumulateGradient(x, dx);
  }
  return success();
}

LogicalResult InstanceNormOp::buildGradient(GradientBuilder &builder,
                                            ArrayRef<Value> resultGrads) {
  return buildNormGradient<InstanceNormWgtGradOp, InstanceNormInGradOp>(
      *this, builder, resultGrads);
}

/// Batch normalization in training mode: the gradients go through the batch
/// statistics as instance normalization's do; the running statistics
/// (pulptrain.batch_norm_running_stats) are not on the path to the loss.
LogicalResult BatchNormOp::buildGradient(GradientBuilder &builder,
                                         ArrayRef<Value> resultGrads) {
  return buildNormGradient<BatchNormWgtGradOp, BatchNormInGradOp>(
      *this, builder, resultGrads);
}

//===----------------------------------------------------------------------===//
// Activations: LeakyReLU, ReLU6, Hardswish and Hardsigmoid take the
// forward input, the others the forward output. ReLU's gradient reads the
// output: y > 0 exactly where x > 0 (and NaN stays NaN), and the output is
// usually kept anyway as the next layer's input, so the input need not live
// until the backward pass.
//===----------------------------------------------------------------------===//

LogicalResult ReluOp::buildGradient(GradientBuilder &builder,
                                    ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx =
      builder.create<ReluGradOp>(Phase::InGrad, dy.getType(), getOutput(), dy);
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult LeakyReluOp::buildGradient(GradientBuilder &builder,
                                         ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<LeakyReluGradOp>(
      Phase::InGrad, TypeRange{dy.getType()}, ValueRange{getInput(), dy},
      copyAttrs(getOperation(), {"negative_slope"}));
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult SigmoidOp::buildGradient(GradientBuilder &builder,
                                       ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<SigmoidGradOp>(Phase::InGrad, dy.getType(),
                                           getOutput(), dy);
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult TanhOp::buildGradient(GradientBuilder &builder,
                                    ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx =
      builder.create<TanhGradOp>(Phase::InGrad, dy.getType(), getOutput(), dy);
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult Relu6Op::buildGradient(GradientBuilder &builder,
                                     ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx =
      builder.create<Relu6GradOp>(Phase::InGrad, dy.getType(), getInput(), dy);
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult HardswishOp::buildGradient(GradientBuilder &builder,
                                         ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<HardswishGradOp>(Phase::InGrad, dy.getType(),
                                             getInput(), dy);
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult HardsigmoidOp::buildGradient(GradientBuilder &builder,
                                           ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<HardsigmoidGradOp>(Phase::InGrad, dy.getType(),
                                               getInput(), dy);
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult SoftmaxOp::buildGradient(GradientBuilder &builder,
                                       ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<SoftmaxGradOp>(
      Phase::InGrad, TypeRange{dy.getType()}, ValueRange{getOutput(), dy},
      copyAttrs(getOperation(), {"axis"}));
  builder.accumulateGradient(getInput(), dx);
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult MaxPool2dOp::buildGradient(GradientBuilder &builder,
                                         ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<MaxPool2dGradOp>(
      Phase::InGrad, TypeRange{getInput().getType()},
      ValueRange{getInput(), dy}, copyAttrs(getOperation(), kPoolAttrs));
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult AvgPool2dOp::buildGradient(GradientBuilder &builder,
                                         ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<AvgPool2dGradOp>(
      Phase::InGrad, TypeRange{getInput().getType()}, ValueRange{dy},
      copyAttrs(getOperation(), kPoolAttrs));
  builder.accumulateGradient(getInput(), dx);
  return success();
}

LogicalResult AdaptiveAvgPool2dOp::buildGradient(GradientBuilder &builder,
                                                 ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<AdaptiveAvgPool2dGradOp>(
      Phase::InGrad, TypeRange{getInput().getType()}, ValueRange{dy},
      copyAttrs(getOperation(), {"layout"}));
  builder.accumulateGradient(getInput(), dx);
  return success();
}

//===----------------------------------------------------------------------===//
// Residual add, scalar arithmetic, dropout and casts
//===----------------------------------------------------------------------===//

/// A residual add passes the gradient to both operands.
LogicalResult AddOp::buildGradient(GradientBuilder &builder,
                                   ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  for (Value operand : {getLhs(), getRhs()})
    if (builder.needsGradient(operand))
      builder.accumulateGradient(operand, dy);
  return success();
}

/// The output gradient times the same scalar.
LogicalResult MulScalarOp::buildGradient(GradientBuilder &builder,
                                         ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<MulScalarOp>(Phase::InGrad, TypeRange{dy.getType()},
                                         ValueRange{dy},
                                         copyAttrs(getOperation(), {"scalar"}));
  builder.accumulateGradient(getInput(), dx);
  return success();
}

/// Adding a constant passes the gradient through.
LogicalResult AddScalarOp::buildGradient(GradientBuilder &builder,
                                         ArrayRef<Value> resultGrads) {
  builder.accumulateGradient(getInput(), resultGrads.front());
  return success();
}

/// The same mask, recomputed from the seed and the sample number, applied
/// to the output gradient.
LogicalResult DropoutOp::buildGradient(GradientBuilder &builder,
                                       ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  SmallVector<Value, 2> operands = {dy};
  if (Value sample = getSample())
    operands.push_back(sample);
  Value dx = builder.create<DropoutGradOp>(
      Phase::InGrad, TypeRange{dy.getType()}, ValueRange(operands),
      copyAttrs(getOperation(), {"p", "seed"}));
  builder.accumulateGradient(getInput(), dx);
  return success();
}

/// The gradient is cast back to the input's element type.
LogicalResult CastOp::buildGradient(GradientBuilder &builder,
                                    ArrayRef<Value> resultGrads) {
  Value dy = resultGrads.front();
  Value dx = builder.create<CastOp>(Phase::InGrad, getInput().getType(), dy);
  builder.accumulateGradient(getInput(), dx);
  return success();
}
