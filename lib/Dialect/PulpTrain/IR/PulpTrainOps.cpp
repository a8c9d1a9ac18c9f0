//===- PulpTrainOps.cpp - pulptrain operations ----------------------------===//
//
// Verifiers and folders of the pulptrain operations. Every diagnostic names
// the offending operand, result or attribute and, for shapes, the expected
// and the actual shape.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "pulptrain/Dialect/PulpTrain/IR/ShapeInference.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace mlir::pulptrain;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// Formats a floating-point attribute value briefly ("0.9", "1e-05").
static std::string formatFloat(const APFloat &value) {
  std::string str;
  llvm::raw_string_ostream os(str);
  os << llvm::format("%g", value.convertToDouble());
  return str;
}

/// Checks that the float attribute `name` is finite: NaN or infinity would
/// silently poison every value computed with it.
static LogicalResult verifyFinite(Operation *op, StringRef name,
                                  const APFloat &value) {
  if (value.isFinite())
    return success();
  return op->emitOpError() << "'" << name << "' must be finite, got "
                           << formatFloat(value);
}

/// Checks that every dimension of `name` is positive: an empty vector or
/// weight is no layer.
static LogicalResult verifyNonEmpty(Operation *op, StringRef name, Value v) {
  ArrayRef<int64_t> shape = shapeOf(v);
  if (llvm::all_of(shape, [](int64_t d) { return d > 0; }))
    return success();
  return op->emitOpError() << "'" << name
                           << "' must have no dimension of size 0, got "
                           << formatShape(shape);
}

/// Checks that `name` has rank `rank`.
static LogicalResult verifyRank(Operation *op, StringRef name, Value v,
                                int64_t rank, StringRef what = "") {
  ArrayRef<int64_t> shape = shapeOf(v);
  if (static_cast<int64_t>(shape.size()) == rank)
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << "'" << name << "' must have rank " << rank;
  if (!what.empty())
    diag << " " << what;
  return diag << ", got rank " << shape.size();
}

/// Checks that `name` has the shape `expected`.
static LogicalResult verifyShape(Operation *op, StringRef name, Value v,
                                 ArrayRef<int64_t> expected) {
  ArrayRef<int64_t> shape = shapeOf(v);
  if (shape == expected)
    return success();
  return op->emitOpError() << "'" << name << "' shape expected "
                           << formatShape(expected) << ", got "
                           << formatShape(shape);
}

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

/// Checks an input vector [in] against a weight [out, in].
static LogicalResult verifyLinearInputAndWeight(Operation *op, Value input,
                                                Value weight,
                                                StringRef inputName,
                                                StringRef weightName) {
  if (failed(verifyRank(op, inputName, input, 1, "[in]")) ||
      failed(verifyRank(op, weightName, weight, 2, "[out, in]")) ||
      failed(verifyNonEmpty(op, inputName, input)) ||
      failed(verifyNonEmpty(op, weightName, weight)))
    return failure();
  int64_t in = shapeOf(input)[0];
  if (shapeOf(weight)[1] != in)
    return op->emitOpError()
           << "'" << weightName << "' shape expected [" << shapeOf(weight)[0]
           << ", " << in << "] to match '" << inputName << "' " << "["
           << in << "], got " << formatShape(shapeOf(weight));
  return success();
}

LogicalResult LinearOp::verify() {
  if (failed(verifyLinearInputAndWeight(*this, getInput(), getWeight(), "input",
                                        "weight")))
    return failure();
  int64_t out = shapeOf(getWeight())[0];
  if (getBias() && failed(verifyShape(*this, "bias", getBias(), {out})))
    return failure();
  return verifyShape(*this, "output", getOutput(), {out});
}

LogicalResult LinearWgtGradOp::verify() {
  if (failed(verifyRank(*this, "input", getInput(), 1, "[in]")) ||
      failed(verifyRank(*this, "grad_output", getGradOutput(), 1, "[out]")) ||
      failed(verifyNonEmpty(*this, "input", getInput())) ||
      failed(verifyNonEmpty(*this, "grad_output", getGradOutput())))
    return failure();
  return verifyShape(*this, "grad_weight", getGradWeight(),
                     {shapeOf(getGradOutput())[0], shapeOf(getInput())[0]});
}

LogicalResult LinearInGradOp::verify() {
  if (failed(verifyRank(*this, "grad_output", getGradOutput(), 1, "[out]")) ||
      failed(verifyRank(*this, "weight", getWeight(), 2, "[out, in]")) ||
      failed(verifyNonEmpty(*this, "weight", getWeight())))
    return failure();
  ArrayRef<int64_t> w = shapeOf(getWeight());
  if (shapeOf(getGradOutput())[0] != w[0])
    return emitOpError() << "'grad_output' shape expected [" << w[0]
                         << "] to match the output size of 'weight' "
                         << formatShape(w) << ", got "
                         << formatShape(shapeOf(getGradOutput()));
  return verifyShape(*this, "grad_input", getGradInput(), {w[1]});
}

LogicalResult BiasGradOp::verify() {
  ArrayRef<int64_t> dy = shapeOf(getGradOutput());
  if (dy.size() == 1)
    return verifyShape(*this, "grad_bias", getGradBias(), dy);
  if (dy.size() != 3)
    return emitOpError() << "'grad_output' must have rank 1 [C] or 3 "
                            "(a feature map), got rank "
                         << dy.size();
  return verifyShape(*this, "grad_bias", getGradBias(),
                     {getFeatureMapDims(dy, getLayout()).channels});
}

//===----------------------------------------------------------------------===//
// Conv2D
//===----------------------------------------------------------------------===//

/// Verifies a convolution whose input, weight and output play the roles
/// named in `names`: the forward shape rule applied to the input and the
/// weight must give the output's shape.
template <typename OpT>
static LogicalResult verifyConvRoles(OpT op, Value input, Value weight,
                                     Value output, const ConvRoleNames &names) {
  auto emitError = [&]() { return op.emitOpError(); };
  FailureOr<SmallVector<int64_t, 3>> expected = inferConv2dOutputShape(
      emitError, shapeOf(input), shapeOf(weight), op.getStride(),
      op.getPadding(), op.getGroups(), op.getLayout(), names,
      op.getDilation().value_or(ArrayRef<int64_t>()));
  if (failed(expected))
    return failure();
  return verifyShape(op, names.output, output, *expected);
}

LogicalResult Conv2dOp::verify() {
  if (failed(verifyConvRoles(*this, getInput(), getWeight(), getOutput(), {})))
    return failure();
  if (getBias())
    return verifyShape(*this, "bias", getBias(), {shapeOf(getWeight())[0]});
  return success();
}

LogicalResult Conv2dWgtGradOp::verify() {
  return verifyConvRoles(*this, getInput(), getGradWeight(), getGradOutput(),
                         {"input", "grad_weight", "grad_output"});
}

LogicalResult Conv2dInGradOp::verify() {
  return verifyConvRoles(*this, getGradInput(), getWeight(), getGradOutput(),
                         {"grad_input", "weight", "grad_output"});
}

//===----------------------------------------------------------------------===//
// Leaky ReLU
//===----------------------------------------------------------------------===//

LogicalResult LeakyReluOp::verify() {
  return verifyFinite(*this, "negative_slope", getNegativeSlope());
}

LogicalResult LeakyReluGradOp::verify() {
  return verifyFinite(*this, "negative_slope", getNegativeSlope());
}

/// Verifies an adaptive average pooling from `input` to `output`: feature
/// maps of rank 3 with the same channels.
static LogicalResult verifyAdaptivePool(Operation *op, Value input,
                                        Value output, StringRef inputName,
                                        StringRef outputName, Layout layout) {
  for (auto [v, name] : {std::pair{input, inputName}, {output, outputName}}) {
    if (failed(verifyRank(op, name, v, 3,
                          layout == Layout::HWC ? "[H, W, C]" : "[C, H, W]")) ||
        failed(verifyNonEmpty(op, name, v)))
      return failure();
  }
  int64_t in = getFeatureMapDims(shapeOf(input), layout).channels;
  int64_t out = getFeatureMapDims(shapeOf(output), layout).channels;
  if (in != out)
    return op->emitOpError() << "'" << outputName << "' has " << out
                             << " channels, but '" << inputName << "' has "
                             << in;
  return success();
}

LogicalResult AdaptiveAvgPool2dOp::verify() {
  return verifyAdaptivePool(*this, getInput(), getOutput(), "input", "output",
                            getLayout());
}

LogicalResult AdaptiveAvgPool2dGradOp::verify() {
  return verifyAdaptivePool(*this, getGradInput(), getGradOutput(),
                            "grad_input", "grad_output", getLayout());
}

//===----------------------------------------------------------------------===//
// Scalar arithmetic and dropout
//===----------------------------------------------------------------------===//

LogicalResult MulScalarOp::verify() {
  return verifyFinite(*this, "scalar", getScalar());
}

LogicalResult AddScalarOp::verify() {
  return verifyFinite(*this, "scalar", getScalar());
}

/// A dropout probability in [0, 1] and a seed of 32 bits (the counter-based
/// draw mixes it in 32-bit arithmetic).
static LogicalResult verifyDropout(Operation *op, const APFloat &p,
                                   int64_t seed) {
  double value = p.convertToDouble();
  if (!(value >= 0.0 && value <= 1.0))
    return op->emitOpError() << "'p' must be in [0, 1], got "
                             << formatFloat(p);
  if (seed < 0 || seed > 0xFFFFFFFFll)
    return op->emitOpError() << "'seed' must be in [0, 2^32), got " << seed;
  return success();
}

LogicalResult DropoutOp::verify() {
  return verifyDropout(*this, getP(), getSeed());
}

LogicalResult DropoutGradOp::verify() {
  return verifyDropout(*this, getP(), getSeed());
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

static LogicalResult verifyAxis(Operation *op, Value v, int64_t axis) {
  int64_t rank = shapeOf(v).size();
  if (rank == 0)
    return op->emitOpError() << "requires a tensor of rank >= 1, got rank 0";
  if (axis < -rank || axis >= rank)
    return op->emitOpError() << "'axis' " << axis
                             << " is out of range for rank " << rank;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getInput(), getAxis());
}

LogicalResult SoftmaxGradOp::verify() {
  return verifyAxis(*this, getForward(), getAxis());
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Verifies a pooling op: the forward rule applied to `input` must give the
/// shape of `output`.
template <typename OpT>
static LogicalResult verifyPoolRoles(OpT op, Value input, Value output,
                                     StringRef inputName,
                                     StringRef outputName) {
  auto emitError = [&]() { return op.emitOpError(); };
  FailureOr<SmallVector<int64_t, 3>> expected = inferPool2dOutputShape(
      emitError, shapeOf(input), op.getKernel(), op.getStride(),
      op.getPadding(), op.getLayout(), inputName, op.getCeilMode());
  if (failed(expected))
    return failure();
  return verifyShape(op, outputName, output, *expected);
}

LogicalResult MaxPool2dOp::verify() {
  return verifyPoolRoles(*this, getInput(), getOutput(), "input", "output");
}

LogicalResult MaxPool2dGradOp::verify() {
  if (failed(verifyPoolRoles(*this, getInput(), getGradOutput(), "input",
                             "grad_output")))
    return failure();
  return verifyShape(*this, "grad_input", getGradInput(), shapeOf(getInput()));
}

/// The positions of a window's maximum are one unsigned byte.
template <typename OpT>
static LogicalResult verifyPositionsFitByte(OpT op) {
  int64_t window = op.getKernel()[0] * op.getKernel()[1];
  if (window > 256)
    return op.emitOpError("windows of ")
           << window
           << " elements have positions beyond an unsigned byte (at most 256)";
  return success();
}

LogicalResult MaxPool2dArgmaxOp::verify() {
  if (failed(verifyPoolRoles(*this, getInput(), getOutput(), "input",
                             "output")))
    return failure();
  return verifyPositionsFitByte(*this);
}

LogicalResult MaxPool2dScatterOp::verify() {
  if (failed(verifyPoolRoles(*this, getGradInput(), getGradOutput(),
                             "grad_input", "grad_output")) ||
      failed(verifyShape(*this, "positions", getPositions(),
                         shapeOf(getGradOutput()))))
    return failure();
  return verifyPositionsFitByte(*this);
}

LogicalResult AvgPool2dOp::verify() {
  return verifyPoolRoles(*this, getInput(), getOutput(), "input", "output");
}

LogicalResult AvgPool2dGradOp::verify() {
  return verifyPoolRoles(*this, getGradInput(), getGradOutput(), "grad_input",
                         "grad_output");
}

//===----------------------------------------------------------------------===//
// Instance normalization
//===----------------------------------------------------------------------===//

/// Checks the feature map `input` and `eps`; returns the channel count.
static FailureOr<int64_t> verifyInstanceNormOperands(Operation *op, Value input,
                                                     Layout layout,
                                                     const APFloat &eps) {
  if (failed(verifyRank(op, "input", input, 3,
                        layout == Layout::HWC ? "[H, W, C]" : "[C, H, W]")))
    return failure();
  if (failed(verifyFinite(op, "eps", eps)))
    return failure();
  if (!(eps.convertToDouble() > 0.0)) {
    op->emitOpError() << "'eps' must be positive, got " << formatFloat(eps);
    return failure();
  }
  return getFeatureMapDims(shapeOf(input), layout).channels;
}

LogicalResult InstanceNormOp::verify() {
  FailureOr<int64_t> c = verifyInstanceNormOperands(
      *this, getInput(), getLayout(), getEps());
  if (failed(c) || failed(verifyShape(*this, "gamma", getGamma(), {*c})) ||
      failed(verifyShape(*this, "beta", getBeta(), {*c})))
    return failure();
  return verifyShape(*this, "output", getOutput(), shapeOf(getInput()));
}

LogicalResult InstanceNormInGradOp::verify() {
  FailureOr<int64_t> c = verifyInstanceNormOperands(
      *this, getInput(), getLayout(), getEps());
  if (failed(c) || failed(verifyShape(*this, "gamma", getGamma(), {*c})) ||
      failed(verifyShape(*this, "grad_output", getGradOutput(),
                         shapeOf(getInput()))))
    return failure();
  return verifyShape(*this, "grad_input", getGradInput(), shapeOf(getInput()));
}

LogicalResult InstanceNormWgtGradOp::verify() {
  FailureOr<int64_t> c = verifyInstanceNormOperands(
      *this, getInput(), getLayout(), getEps());
  if (failed(c) || failed(verifyShape(*this, "grad_output", getGradOutput(),
                                      shapeOf(getInput()))) ||
      failed(verifyShape(*this, "grad_gamma", getGradGamma(), {*c})))
    return failure();
  return verifyShape(*this, "grad_beta", getGradBeta(), {*c});
}

//===----------------------------------------------------------------------===//
// Batch normalization (training mode)
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  FailureOr<int64_t> c =
      verifyInstanceNormOperands(*this, getInput(), getLayout(), getEps());
  if (failed(c) || failed(verifyShape(*this, "gamma", getGamma(), {*c})) ||
      failed(verifyShape(*this, "beta", getBeta(), {*c})))
    return failure();
  return verifyShape(*this, "output", getOutput(), shapeOf(getInput()));
}

LogicalResult BatchNormInGradOp::verify() {
  FailureOr<int64_t> c =
      verifyInstanceNormOperands(*this, getInput(), getLayout(), getEps());
  if (failed(c) || failed(verifyShape(*this, "gamma", getGamma(), {*c})) ||
      failed(verifyShape(*this, "grad_output", getGradOutput(),
                         shapeOf(getInput()))))
    return failure();
  return verifyShape(*this, "grad_input", getGradInput(), shapeOf(getInput()));
}

LogicalResult BatchNormWgtGradOp::verify() {
  FailureOr<int64_t> c =
      verifyInstanceNormOperands(*this, getInput(), getLayout(), getEps());
  if (failed(c) ||
      failed(verifyShape(*this, "grad_output", getGradOutput(),
                         shapeOf(getInput()))) ||
      failed(verifyShape(*this, "grad_gamma", getGradGamma(), {*c})))
    return failure();
  return verifyShape(*this, "grad_beta", getGradBeta(), {*c});
}

LogicalResult BatchNormRunningStatsOp::verify() {
  Layout layout = getLayout();
  if (failed(verifyRank(*this, "input", getInput(), 3,
                        layout == Layout::HWC ? "[H, W, C]" : "[C, H, W]")) ||
      failed(verifyFinite(*this, "momentum", getMomentum())))
    return failure();
  double momentum = getMomentum().convertToDouble();
  if (!(momentum >= 0.0 && momentum <= 1.0))
    return emitOpError() << "'momentum' must be in [0, 1], got "
                         << formatFloat(getMomentum());
  FeatureMapDims dims = getFeatureMapDims(shapeOf(getInput()), layout);
  if (dims.height * dims.width < 2)
    return emitOpError() << "needs more than one value per channel for the "
                            "unbiased variance, got "
                         << dims.height << "x" << dims.width;
  int64_t c = dims.channels;
  if (failed(verifyShape(*this, "running_mean", getRunningMean(), {c})) ||
      failed(verifyShape(*this, "running_var", getRunningVar(), {c})) ||
      failed(verifyShape(*this, "new_mean", getNewMean(), {c})))
    return failure();
  return verifyShape(*this, "new_var", getNewVar(), {c});
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

static LogicalResult verifyScalarLoss(Operation *op, Value loss) {
  return verifyRank(op, "loss", loss, 0, "(a scalar)");
}

LogicalResult MseLossOp::verify() {
  if (failed(verifyShape(*this, "target", getTarget(),
                         shapeOf(getPrediction()))))
    return failure();
  return verifyScalarLoss(*this, getLoss());
}

LogicalResult CrossEntropyLossOp::verify() {
  if (failed(verifyRank(*this, "logits", getLogits(), 1, "[classes]")) ||
      failed(verifyNonEmpty(*this, "logits", getLogits())) ||
      failed(verifyShape(*this, "target", getTarget(), shapeOf(getLogits()))))
    return failure();
  return verifyScalarLoss(*this, getLoss());
}

LogicalResult CrossEntropyLossGradOp::verify() {
  return verifyRank(*this, "logits", getLogits(), 1, "[classes]");
}

//===----------------------------------------------------------------------===//
// SGD
//===----------------------------------------------------------------------===//

LogicalResult SgdUpdateOp::verify() {
  if (failed(verifyFinite(*this, "lr", getLr())) ||
      failed(verifyFinite(*this, "momentum", getMomentum())) ||
      failed(verifyFinite(*this, "weight_decay", getWeightDecay())))
    return failure();
  double lr = getLr().convertToDouble();
  double momentum = getMomentum().convertToDouble();
  double weightDecay = getWeightDecay().convertToDouble();
  // The same checks as torch.optim.SGD.
  if (!(lr >= 0.0))
    return emitOpError() << "'lr' must be non-negative, got "
                         << formatFloat(getLr());
  if (!(momentum >= 0.0))
    return emitOpError() << "'momentum' must be non-negative, got "
                         << formatFloat(getMomentum());
  if (!(weightDecay >= 0.0))
    return emitOpError() << "'weight_decay' must be non-negative, got "
                         << formatFloat(getWeightDecay());

  ArrayRef<int64_t> param = shapeOf(getParam());
  if (failed(verifyShape(*this, "grad", getGrad(), param)) ||
      failed(verifyShape(*this, "new_param", getNewParam(), param)))
    return failure();

  // As torch.optim.SGD: "Nesterov momentum requires a momentum and zero
  // dampening" (this op's dampening is always 0).
  if (getNesterov() && momentum == 0.0)
    return emitOpError() << "'nesterov' requires a non-zero 'momentum'";

  bool hasBuffer = static_cast<bool>(getMomentumBuffer());
  if (momentum != 0.0 && !hasBuffer)
    return emitOpError() << "'momentum' " << formatFloat(getMomentum())
                         << " requires a 'momentum_buffer' operand";
  if (momentum == 0.0 && hasBuffer)
    return emitOpError()
           << "'momentum_buffer' operand requires a non-zero 'momentum'";
  if (hasBuffer != static_cast<bool>(getNewMomentumBuffer()))
    return emitOpError() << "'new_momentum_buffer' result must be present "
                            "if and only if 'momentum_buffer' is";
  if (hasBuffer &&
      (failed(verifyShape(*this, "momentum_buffer", getMomentumBuffer(),
                          param)) ||
       failed(verifyShape(*this, "new_momentum_buffer",
                          getNewMomentumBuffer(), param))))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Adam
//===----------------------------------------------------------------------===//

LogicalResult AdamUpdateOp::verify() {
  for (auto [name, value] :
       {std::pair<StringRef, FloatAttr>{"lr", getLrAttr()},
        {"beta1", getBeta1Attr()},
        {"beta2", getBeta2Attr()},
        {"eps", getEpsAttr()},
        {"weight_decay", getWeightDecayAttr()}})
    if (failed(verifyFinite(*this, name, value.getValue())))
      return failure();
  // The same checks as torch.optim.Adam.
  if (!(getLr().convertToDouble() >= 0.0))
    return emitOpError() << "'lr' must be non-negative, got "
                         << formatFloat(getLr());
  if (!(getEps().convertToDouble() >= 0.0))
    return emitOpError() << "'eps' must be non-negative, got "
                         << formatFloat(getEps());
  for (auto [name, beta] : {std::pair<StringRef, APFloat>{"beta1", getBeta1()},
                            {"beta2", getBeta2()}}) {
    double value = beta.convertToDouble();
    if (!(value >= 0.0 && value < 1.0))
      return emitOpError() << "'" << name << "' must be in [0, 1), got "
                           << formatFloat(beta);
  }
  if (!(getWeightDecay().convertToDouble() >= 0.0))
    return emitOpError() << "'weight_decay' must be non-negative, got "
                         << formatFloat(getWeightDecay());

  ArrayRef<int64_t> param = shapeOf(getParam());
  if (failed(verifyShape(*this, "grad", getGrad(), param)) ||
      failed(verifyShape(*this, "exp_avg", getExpAvg(), param)) ||
      failed(verifyShape(*this, "exp_avg_sq", getExpAvgSq(), param)) ||
      failed(verifyShape(*this, "new_param", getNewParam(), param)) ||
      failed(verifyShape(*this, "new_exp_avg", getNewExpAvg(), param)) ||
      failed(verifyShape(*this, "new_exp_avg_sq", getNewExpAvgSq(), param)))
    return failure();
  Type elem = getElementTypeOrSelf(getParam().getType());
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"grad", getGrad()},
        {"new_param", getNewParam()}})
    if (getElementTypeOrSelf(value.getType()) != elem)
      return emitOpError() << "'" << name << "' element type expected "
                           << elem << " (of 'param'), got "
                           << getElementTypeOrSelf(value.getType());
  // The moments are f32 (the pass's choice) or of the parameter's type.
  Type moment = getElementTypeOrSelf(getExpAvg().getType());
  if (moment != elem && !moment.isF32())
    return emitOpError() << "'exp_avg' element type expected f32 or " << elem
                         << " (of 'param'), got " << moment;
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"exp_avg_sq", getExpAvgSq()},
        {"new_exp_avg", getNewExpAvg()},
        {"new_exp_avg_sq", getNewExpAvgSq()}})
    if (getElementTypeOrSelf(value.getType()) != moment)
      return emitOpError() << "'" << name << "' element type expected "
                           << moment << " (of 'exp_avg'), got "
                           << getElementTypeOrSelf(value.getType());
  auto stepType = cast<RankedTensorType>(getStep().getType());
  if (stepType.getRank() != 0 || !stepType.getElementType().isF32())
    return emitOpError() << "'step' must be a rank-0 f32 tensor (the step "
                            "number), got "
                         << stepType;
  return success();
}

#define GET_OP_CLASSES
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.cpp.inc"
