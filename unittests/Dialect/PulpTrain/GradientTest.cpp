//===- GradientTest.cpp - DifferentiableOpInterface of the ops ------------===//
//
// The gradient rules on their own, through a GradientBuilder that records
// what a rule creates and accumulates: which ops, in which order and phase,
// with which operands and attributes, for which operands.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ShapeInference.h"
#include "llvm/ADT/DenseSet.h"

#include "gtest/gtest.h"

#include <string>
#include <utility>
#include <vector>

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Creates the ops before the function's return and records them.
class RecordingBuilder : public GradientBuilder {
public:
  RecordingBuilder(Operation *insertBefore, llvm::DenseSet<Value> active)
      : builder(insertBefore), loc(insertBefore->getLoc()),
        active(std::move(active)) {}

  bool needsGradient(Value value) const override {
    return active.contains(value);
  }
  void accumulateGradient(Value value, Value grad) override {
    accumulated.emplace_back(value, grad);
  }
  OpBuilder &getBuilder() override { return builder; }
  Location getLoc() const override { return loc; }
  void setLayerAndPhase(Operation *op, Phase phase) override {
    created.emplace_back(op, getPhaseName(phase).str());
  }

  /// The names and phases of the created ops, in order.
  std::vector<std::string> createdOps() const {
    std::vector<std::string> names;
    for (const auto &[op, phase] : created)
      names.push_back(op->getName().getStringRef().str() + ":" + phase);
    return names;
  }

  OpBuilder builder;
  Location loc;
  llvm::DenseSet<Value> active;
  std::vector<std::pair<Operation *, std::string>> created;
  std::vector<std::pair<Value, Value>> accumulated;
};

class GradientTest : public ::testing::Test {
protected:
  GradientTest() {
    DialectRegistry registry;
    registerDifferentiableOpInterfaceExternalModels(registry);
    context.appendDialectRegistry(registry);
    context.loadDialect<func::FuncDialect, tensor::TensorDialect,
                        PulpTrainDialect>();
  }

  /// Parses `op` in a function with the arguments `args`; the last argument
  /// is the gradient of its (first) result.
  Operation *parseOp(StringRef args, StringRef op) {
    std::string text =
        ("func.func @f(" + args + ") {\n" + op + "\n  return\n}\n").str();
    module = parseSourceString<ModuleOp>(text, &context);
    if (!module)
      return nullptr;
    func = cast<func::FuncOp>(module->getBody()->front());
    return &func.getBody().front().front();
  }

  Value arg(unsigned index) { return func.getArgument(index); }
  Value gradOutput() { return func.getArguments().back(); }
  Operation *getReturn() { return func.getBody().front().getTerminator(); }

  /// Runs the gradient rule of `op` with the given values needing a
  /// gradient.
  RecordingBuilder differentiate(Operation *op, llvm::DenseSet<Value> active) {
    RecordingBuilder builder(getReturn(), std::move(active));
    auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
    EXPECT_TRUE(differentiable) << "no DifferentiableOpInterface";
    if (differentiable)
      EXPECT_TRUE(
          succeeded(differentiable.buildGradient(builder, {gradOutput()})));
    return builder;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
};

// Weights first, then bias, then the input, each added to its operand.
TEST_F(GradientTest, LinearCreatesWeightGradientsFirst) {
  Operation *op = parseOp(
      "%x: tensor<576xf32>, %w: tensor<32x576xf32>, %b: tensor<32xf32>, "
      "%dy: tensor<32xf32>",
      "%y = pulptrain.linear %x, %w, %b : (tensor<576xf32>, "
      "tensor<32x576xf32>, tensor<32xf32>) -> tensor<32xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(0), arg(1), arg(2)});
  EXPECT_EQ(b.createdOps(),
            (std::vector<std::string>{"pulptrain.linear_wgt_grad:wgt_grad",
                                      "pulptrain.bias_grad:wgt_grad",
                                      "pulptrain.linear_in_grad:in_grad"}));
  ASSERT_EQ(b.accumulated.size(), 3u);
  EXPECT_EQ(b.accumulated[0].first, arg(1));
  EXPECT_EQ(b.accumulated[1].first, arg(2));
  EXPECT_EQ(b.accumulated[2].first, arg(0));
  for (auto [index, entry] : llvm::enumerate(b.accumulated))
    EXPECT_EQ(entry.second, b.created[index].first->getResult(0));
  // linear_wgt_grad(x, dy), linear_in_grad(dy, w).
  EXPECT_EQ(b.created[0].first->getOperand(0), arg(0));
  EXPECT_EQ(b.created[0].first->getOperand(1), gradOutput());
  EXPECT_EQ(b.created[2].first->getOperand(1), arg(1));
  EXPECT_TRUE(succeeded(verify(*module)));
}

// Sparse update: a frozen layer computes only its input gradient.
TEST_F(GradientTest, FrozenLinearCreatesOnlyTheInputGradient) {
  Operation *op = parseOp(
      "%x: tensor<64xf32>, %w: tensor<10x64xf32>, %dy: tensor<10xf32>",
      "%y = pulptrain.linear %x, %w : (tensor<64xf32>, tensor<10x64xf32>) "
      "-> tensor<10xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(0)});
  EXPECT_EQ(b.createdOps(),
            (std::vector<std::string>{"pulptrain.linear_in_grad:in_grad"}));
}

// The gradient ops keep the geometry of the convolution.
TEST_F(GradientTest, DepthwiseConv2dKeepsItsAttributes) {
  Operation *op = parseOp(
      "%x: tensor<8x8x8xf32>, %w: tensor<8x1x3x3xf32>, %dy: tensor<8x4x4xf32>",
      "%y = pulptrain.conv2d %x, %w stride [2, 2] padding [1, 1, 1, 1] "
      "groups 8 : (tensor<8x8x8xf32>, tensor<8x1x3x3xf32>) -> "
      "tensor<8x4x4xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(0), arg(1)});
  ASSERT_EQ(b.createdOps(),
            (std::vector<std::string>{"pulptrain.conv2d_wgt_grad:wgt_grad",
                                      "pulptrain.conv2d_in_grad:in_grad"}));
  auto wgt = cast<Conv2dWgtGradOp>(b.created[0].first);
  auto in = cast<Conv2dInGradOp>(b.created[1].first);
  EXPECT_EQ(wgt.getGroups(), 8);
  EXPECT_EQ(in.getGroups(), 8);
  EXPECT_EQ(wgt.getStride(), ArrayRef<int64_t>({2, 2}));
  EXPECT_EQ(in.getPadding(), ArrayRef<int64_t>({1, 1, 1, 1}));
  EXPECT_EQ(wgt.getType(), arg(1).getType());
  EXPECT_EQ(in.getType(), arg(0).getType());
  EXPECT_TRUE(succeeded(verify(*module)));
}

// Batch normalization: gamma/beta gradients in one op, then the input
// gradient through the batch statistics (forward input, gamma, dy).
TEST_F(GradientTest, BatchNormWeightThenInputGradient) {
  Operation *op =
      parseOp("%x: tensor<8x4x4xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, "
              "%dy: tensor<8x4x4xf32>",
              "%y = pulptrain.batch_norm %x, %g, %b {eps = 1.0e-3 : f64} : "
              "(tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> "
              "tensor<8x4x4xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(0), arg(1), arg(2)});
  ASSERT_EQ(b.createdOps(),
            (std::vector<std::string>{"pulptrain.batch_norm_wgt_grad:wgt_grad",
                                      "pulptrain.batch_norm_in_grad:in_grad"}));
  ASSERT_EQ(b.accumulated.size(), 3u);
  EXPECT_EQ(b.accumulated[2],
            std::make_pair(arg(0), Value(b.created[1].first->getResult(0))));
  Operation *in = b.created[1].first;
  EXPECT_EQ(in->getOperand(0), arg(0));
  EXPECT_EQ(in->getOperand(1), arg(1));
  EXPECT_EQ(in->getOperand(2), arg(3));
  EXPECT_EQ(cast<BatchNormInGradOp>(in).getEps().convertToDouble(), 1e-3);
}

// One weight-gradient op for gamma and beta.
TEST_F(GradientTest, InstanceNormSharesOneWeightGradientOp) {
  Operation *op =
      parseOp("%x: tensor<8x4x4xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, "
              "%dy: tensor<8x4x4xf32>",
              "%y = pulptrain.instance_norm %x, %g, %b : (tensor<8x4x4xf32>, "
              "tensor<8xf32>, tensor<8xf32>) -> tensor<8x4x4xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(1), arg(2)});
  ASSERT_EQ(b.createdOps(), (std::vector<std::string>{
                                "pulptrain.instance_norm_wgt_grad:wgt_grad"}));
  ASSERT_EQ(b.accumulated.size(), 2u);
  EXPECT_EQ(b.accumulated[0],
            std::make_pair(arg(1), Value(b.created[0].first->getResult(0))));
  EXPECT_EQ(b.accumulated[1],
            std::make_pair(arg(2), Value(b.created[0].first->getResult(1))));
}

// Sigmoid's and ReLU's gradients read the forward output, LeakyReLU's the
// forward input.
TEST_F(GradientTest, ActivationsReadTheirForwardValue) {
  Operation *sigmoid = parseOp("%x: tensor<10xf32>, %dy: tensor<10xf32>",
                               "%y = pulptrain.sigmoid %x : tensor<10xf32>");
  ASSERT_NE(sigmoid, nullptr);
  RecordingBuilder b = differentiate(sigmoid, {arg(0)});
  ASSERT_EQ(b.created.size(), 1u);
  EXPECT_EQ(b.created[0].first->getOperand(0), sigmoid->getResult(0));

  Operation *relu = parseOp("%x: tensor<10xf32>, %dy: tensor<10xf32>",
                            "%y = pulptrain.relu %x : tensor<10xf32>");
  ASSERT_NE(relu, nullptr);
  RecordingBuilder r = differentiate(relu, {arg(0)});
  ASSERT_EQ(r.created.size(), 1u);
  EXPECT_EQ(r.created[0].first->getOperand(0), relu->getResult(0));

  Operation *leaky = parseOp("%x: tensor<10xf32>, %dy: tensor<10xf32>",
                             "%y = pulptrain.leaky_relu %x : tensor<10xf32>");
  ASSERT_NE(leaky, nullptr);
  RecordingBuilder l = differentiate(leaky, {arg(0)});
  ASSERT_EQ(l.created.size(), 1u);
  EXPECT_EQ(l.created[0].first->getOperand(0), arg(0));
}

// A residual add passes the output gradient itself to both operands.
TEST_F(GradientTest, AddPassesTheGradientOn) {
  Operation *op =
      parseOp("%a: tensor<8xf32>, %c: tensor<8xf32>, %dy: tensor<8xf32>",
              "%y = pulptrain.add %a, %c : tensor<8xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(0), arg(1)});
  EXPECT_TRUE(b.created.empty());
  ASSERT_EQ(b.accumulated.size(), 2u);
  EXPECT_EQ(b.accumulated[0], std::make_pair(arg(0), gradOutput()));
  EXPECT_EQ(b.accumulated[1], std::make_pair(arg(1), gradOutput()));
}

// ReLU6, Hardswish and Hardsigmoid read the forward input.
TEST_F(GradientTest, HardActivationsReadTheForwardInput) {
  for (StringRef name : {"relu6", "hardswish", "hardsigmoid"}) {
    Operation *op =
        parseOp("%x: tensor<10xf32>, %dy: tensor<10xf32>",
                ("%y = pulptrain." + name + " %x : tensor<10xf32>").str());
    ASSERT_NE(op, nullptr) << name.str();
    RecordingBuilder b = differentiate(op, {arg(0)});
    ASSERT_EQ(b.createdOps(),
              (std::vector<std::string>{
                  ("pulptrain." + name + "_grad:in_grad").str()}));
    EXPECT_EQ(b.created[0].first->getOperand(0), arg(0));
    EXPECT_EQ(b.created[0].first->getOperand(1), gradOutput());
  }
}

// x * c has the gradient dy * c; x + c passes dy on; dropout's gradient
// recomputes the forward mask from the same p and seed.
TEST_F(GradientTest, ScalarOpsAndDropout) {
  Operation *mul = parseOp(
      "%x: tensor<8xf32>, %dy: tensor<8xf32>",
      "%y = pulptrain.mul_scalar %x {scalar = 2.5 : f64} : tensor<8xf32>");
  ASSERT_NE(mul, nullptr);
  RecordingBuilder m = differentiate(mul, {arg(0)});
  ASSERT_EQ(m.createdOps(),
            (std::vector<std::string>{"pulptrain.mul_scalar:in_grad"}));
  auto grad = cast<MulScalarOp>(m.created[0].first);
  EXPECT_EQ(grad.getInput(), gradOutput());
  EXPECT_EQ(grad.getScalar().convertToDouble(), 2.5);

  Operation *add = parseOp(
      "%x: tensor<8xf32>, %dy: tensor<8xf32>",
      "%y = pulptrain.add_scalar %x {scalar = 1.0 : f64} : tensor<8xf32>");
  ASSERT_NE(add, nullptr);
  RecordingBuilder a = differentiate(add, {arg(0)});
  EXPECT_TRUE(a.created.empty());
  ASSERT_EQ(a.accumulated.size(), 1u);
  EXPECT_EQ(a.accumulated[0], std::make_pair(arg(0), gradOutput()));

  Operation *drop = parseOp("%x: tensor<8xf32>, %dy: tensor<8xf32>",
                            "%y = pulptrain.dropout %x {p = 0.25 : f64, "
                            "seed = 7 : i64} : tensor<8xf32>");
  ASSERT_NE(drop, nullptr);
  RecordingBuilder d = differentiate(drop, {arg(0)});
  ASSERT_EQ(d.createdOps(),
            (std::vector<std::string>{"pulptrain.dropout_grad:in_grad"}));
  auto dgrad = cast<DropoutGradOp>(d.created[0].first);
  EXPECT_EQ(dgrad.getGradOutput(), gradOutput());
  EXPECT_EQ(dgrad.getP().convertToDouble(), 0.25);
  EXPECT_EQ(dgrad.getSeed(), 7);
}

// Both gradients of a dilated convolution keep its dilation.
TEST_F(GradientTest, DilatedConv2dKeepsItsDilation) {
  Operation *op =
      parseOp("%x: tensor<2x8x8xf32>, %w: tensor<4x2x3x3xf32>, "
              "%dy: tensor<4x8x8xf32>",
              "%y = pulptrain.conv2d %x, %w stride [1, 1] padding [2, 2, 2, 2] "
              "{dilation = array<i64: 2, 2>} : (tensor<2x8x8xf32>, "
              "tensor<4x2x3x3xf32>) -> tensor<4x8x8xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(0), arg(1)});
  ASSERT_EQ(b.createdOps(),
            (std::vector<std::string>{"pulptrain.conv2d_wgt_grad:wgt_grad",
                                      "pulptrain.conv2d_in_grad:in_grad"}));
  EXPECT_EQ(getConvDilation(cast<Conv2dWgtGradOp>(b.created[0].first)),
            std::make_pair(int64_t(2), int64_t(2)));
  EXPECT_EQ(getConvDilation(cast<Conv2dInGradOp>(b.created[1].first)),
            std::make_pair(int64_t(2), int64_t(2)));
  EXPECT_TRUE(succeeded(verify(*module)));
}

// Pooling gradients keep ceil_mode and count_include_pad; the adaptive
// pooling's gradient has the input's type and layout.
TEST_F(GradientTest, PoolingGradientsKeepTheirOptions) {
  Operation *avg =
      parseOp("%x: tensor<2x6x7xf32>, %dy: tensor<2x4x4xf32>",
              "%y = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding "
              "[1, 1, 1, 1] {ceil_mode = true, count_include_pad = false} : "
              "(tensor<2x6x7xf32>) -> tensor<2x4x4xf32>");
  ASSERT_NE(avg, nullptr);
  RecordingBuilder a = differentiate(avg, {arg(0)});
  ASSERT_EQ(a.createdOps(),
            (std::vector<std::string>{"pulptrain.avgpool2d_grad:in_grad"}));
  auto grad = cast<AvgPool2dGradOp>(a.created[0].first);
  EXPECT_TRUE(grad.getCeilMode());
  EXPECT_FALSE(grad.getCountIncludePad());
  EXPECT_TRUE(succeeded(verify(*module)));

  Operation *adaptive =
      parseOp("%x: tensor<7x5x3xf32>, %dy: tensor<3x2x3xf32>",
              "%y = pulptrain.adaptive_avgpool2d %x layout <hwc> : "
              "(tensor<7x5x3xf32>) -> tensor<3x2x3xf32>");
  ASSERT_NE(adaptive, nullptr);
  RecordingBuilder b = differentiate(adaptive, {arg(0)});
  ASSERT_EQ(b.createdOps(), (std::vector<std::string>{
                                "pulptrain.adaptive_avgpool2d_grad:in_grad"}));
  EXPECT_EQ(b.created[0].first->getResult(0).getType(), arg(0).getType());
  EXPECT_EQ(cast<AdaptiveAvgPool2dGradOp>(b.created[0].first).getLayout(),
            Layout::HWC);
  EXPECT_TRUE(succeeded(verify(*module)));
}

// Flatten is differentiable through its external model: the gradient is
// expanded back.
TEST_F(GradientTest, CollapseShapeExternalModel) {
  Operation *op = parseOp("%x: tensor<16x6x6xf32>, %dy: tensor<576xf32>",
                          "%f = tensor.collapse_shape %x [[0, 1, 2]] : "
                          "tensor<16x6x6xf32> into tensor<576xf32>");
  ASSERT_NE(op, nullptr);
  RecordingBuilder b = differentiate(op, {arg(0)});
  ASSERT_EQ(b.createdOps(),
            (std::vector<std::string>{"tensor.expand_shape:in_grad"}));
  EXPECT_EQ(b.created[0].first->getResult(0).getType(), arg(0).getType());
  EXPECT_TRUE(succeeded(verify(*module)));
}

// Gradient ops have no gradient rule (no second derivatives).
TEST_F(GradientTest, GradientOpsAreNotDifferentiable) {
  Operation *op = parseOp("%x: tensor<10xf32>, %dy: tensor<10xf32>",
                          "%dx = pulptrain.relu_grad %x, %dy : tensor<10xf32>");
  ASSERT_NE(op, nullptr);
  EXPECT_FALSE(isa<DifferentiableOpInterface>(op));
}

} // namespace
