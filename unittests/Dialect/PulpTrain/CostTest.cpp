//===- CostTest.cpp - CostOpInterface of the pulptrain ops ----------------===//
//
// The multiply-accumulates and bytes of the ops' CostOpInterface, on the
// shapes of the tutorial CNN, grouped, depthwise, strided and HWC
// convolutions, poolings, the gradient ops, the losses and SGD.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

class CostTest : public ::testing::Test {
protected:
  CostTest() {
    context.loadDialect<func::FuncDialect, tensor::TensorDialect,
                        PulpTrainDialect>();
  }

  /// Parses `op` in a function with the arguments `args` and returns it.
  Operation *parseOp(StringRef args, StringRef op) {
    std::string text =
        ("func.func @f(" + args + ") {\n" + op + "\n  return\n}\n").str();
    module = parseSourceString<ModuleOp>(text, &context);
    if (!module)
      return nullptr;
    auto func = cast<func::FuncOp>(module->getBody()->front());
    return &func.getBody().front().front();
  }

  /// Expects the cost of `op`: its MACs, the bytes read of each operand and
  /// the bytes written of each result.
  void expectCost(StringRef args, StringRef op, int64_t macs,
                  std::vector<int64_t> read, std::vector<int64_t> written) {
    SCOPED_TRACE(op.str());
    Operation *parsed = parseOp(args, op);
    ASSERT_NE(parsed, nullptr);
    auto cost = dyn_cast<CostOpInterface>(parsed);
    ASSERT_TRUE(cost) << "no CostOpInterface";
    EXPECT_EQ(cost.getMacCount(), macs);
    std::vector<int64_t> gotRead, gotWritten;
    int64_t totalRead = 0, totalWritten = 0;
    for (unsigned i = 0, e = parsed->getNumOperands(); i < e; ++i) {
      gotRead.push_back(cost.getOperandBytesRead(i));
      totalRead += gotRead.back();
    }
    for (unsigned i = 0, e = parsed->getNumResults(); i < e; ++i) {
      gotWritten.push_back(cost.getResultBytesWritten(i));
      totalWritten += gotWritten.back();
    }
    EXPECT_EQ(gotRead, read);
    EXPECT_EQ(gotWritten, written);
    EXPECT_EQ(cost.getBytesRead(), totalRead);
    EXPECT_EQ(cost.getBytesWritten(), totalWritten);
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

// The fully connected layer of the tutorial CNN (576 -> 32): one MAC per
// weight element in each of its three ops.
TEST_F(CostTest, Linear) {
  expectCost("%x: tensor<576xf32>, %w: tensor<32x576xf32>, %b: tensor<32xf32>",
             "%y = pulptrain.linear %x, %w, %b : (tensor<576xf32>, "
             "tensor<32x576xf32>, tensor<32xf32>) -> tensor<32xf32>",
             18432, {2304, 73728, 128}, {128});
  expectCost("%x: tensor<576xf32>, %dy: tensor<32xf32>",
             "%dw = pulptrain.linear_wgt_grad %x, %dy : (tensor<576xf32>, "
             "tensor<32xf32>) -> tensor<32x576xf32>",
             18432, {2304, 128}, {73728});
  expectCost("%dy: tensor<32xf32>, %w: tensor<32x576xf32>",
             "%dx = pulptrain.linear_in_grad %dy, %w : (tensor<32xf32>, "
             "tensor<32x576xf32>) -> tensor<576xf32>",
             18432, {128, 73728}, {2304});
  expectCost("%dy: tensor<32xf32>",
             "%db = pulptrain.bias_grad %dy : (tensor<32xf32>) -> "
             "tensor<32xf32>",
             0, {128}, {128});
}

// The convolution of the tutorial CNN: 16x6x6 outputs of 8*3*3 MACs each.
TEST_F(CostTest, Conv2d) {
  expectCost("%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>",
             "%y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] "
             ": (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> "
             "tensor<16x6x6xf32>",
             41472, {2048, 4608}, {2304});
  expectCost("%x: tensor<8x8x8xf32>, %dy: tensor<16x6x6xf32>",
             "%dw = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] "
             "padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x6x6xf32>) "
             "-> tensor<16x8x3x3xf32>",
             41472, {2048, 2304}, {4608});
  expectCost("%dy: tensor<16x6x6xf32>, %w: tensor<16x8x3x3xf32>",
             "%dx = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] "
             "padding [0, 0, 0, 0] : (tensor<16x6x6xf32>, "
             "tensor<16x8x3x3xf32>) -> tensor<8x8x8xf32>",
             41472, {2304, 4608}, {2048});
  expectCost("%dy: tensor<16x6x6xf32>",
             "%db = pulptrain.bias_grad %dy : (tensor<16x6x6xf32>) -> "
             "tensor<16xf32>",
             0, {2304}, {64});
}

// Two groups: each of the 16x8x8 outputs sums 4*3*3 products.
TEST_F(CostTest, GroupedConv2d) {
  expectCost("%x: tensor<8x8x8xf32>, %w: tensor<16x4x3x3xf32>",
             "%y = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1, 1, 1] "
             "groups 2 : (tensor<8x8x8xf32>, tensor<16x4x3x3xf32>) -> "
             "tensor<16x8x8xf32>",
             36864, {2048, 2304}, {4096});
  expectCost("%dy: tensor<16x8x8xf32>, %w: tensor<16x4x3x3xf32>",
             "%dx = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] "
             "padding [1, 1, 1, 1] groups 2 : (tensor<16x8x8xf32>, "
             "tensor<16x4x3x3xf32>) -> tensor<8x8x8xf32>",
             36864, {4096, 2304}, {2048});
}

// Depthwise: each of the 8x8x8 outputs sums 3*3 products.
TEST_F(CostTest, DepthwiseConv2d) {
  expectCost("%x: tensor<8x8x8xf32>, %w: tensor<8x1x3x3xf32>",
             "%y = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1, 1, 1] "
             "groups 8 : (tensor<8x8x8xf32>, tensor<8x1x3x3xf32>) -> "
             "tensor<8x8x8xf32>",
             4608, {2048, 288}, {2048});
  expectCost("%x: tensor<8x8x8xf32>, %dy: tensor<8x8x8xf32>",
             "%dw = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] "
             "padding [1, 1, 1, 1] groups 8 : (tensor<8x8x8xf32>, "
             "tensor<8x8x8xf32>) -> tensor<8x1x3x3xf32>",
             4608, {2048, 2048}, {288});
  expectCost("%dy: tensor<8x8x8xf32>, %w: tensor<8x1x3x3xf32>",
             "%dx = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] "
             "padding [1, 1, 1, 1] groups 8 : (tensor<8x8x8xf32>, "
             "tensor<8x1x3x3xf32>) -> tensor<8x8x8xf32>",
             4608, {2048, 288}, {2048});
}

// Stride 2 with a bias in f16 (2 bytes an element): 8x8x8 outputs of
// 3*3*3 MACs; and the HWC layout, whose weight is [Cout, Kh, Kw, Cin].
TEST_F(CostTest, StridedAndHwcConv2d) {
  expectCost("%x: tensor<3x16x16xf16>, %w: tensor<8x3x3x3xf16>, "
             "%b: tensor<8xf16>",
             "%y = pulptrain.conv2d %x, %w, %b stride [2, 2] "
             "padding [1, 1, 1, 1] : (tensor<3x16x16xf16>, "
             "tensor<8x3x3x3xf16>, tensor<8xf16>) -> tensor<8x8x8xf16>",
             13824, {1536, 432, 16}, {1024});
  expectCost("%x: tensor<8x8x8xf32>, %w: tensor<16x3x3x8xf32>",
             "%y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] "
             "layout <hwc> : (tensor<8x8x8xf32>, tensor<16x3x3x8xf32>) -> "
             "tensor<6x6x16xf32>",
             41472, {2048, 4608}, {2304});
}

// Windows that skip input rows and columns read only those under them: a
// 1x1 convolution at stride 2 reads rows and columns 0, 2, 4, 6 of 8 (8*4*4
// of 8*8*8 elements), a 2x2 pooling at stride 2 on 7x7 rows and columns 0-5
// (4*6*6 of 4*7*7); the other operands are read whole.
TEST_F(CostTest, StridedWindowsSkipInput) {
  expectCost("%x: tensor<8x8x8xf32>, %w: tensor<16x8x1x1xf32>",
             "%y = pulptrain.conv2d %x, %w stride [2, 2] padding [0, 0, 0, 0] "
             ": (tensor<8x8x8xf32>, tensor<16x8x1x1xf32>) -> "
             "tensor<16x4x4xf32>",
             2048, {512, 512}, {1024});
  expectCost("%x: tensor<8x8x8xf32>, %dy: tensor<16x4x4xf32>",
             "%dw = pulptrain.conv2d_wgt_grad %x, %dy stride [2, 2] "
             "padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x4x4xf32>) "
             "-> tensor<16x8x1x1xf32>",
             2048, {512, 1024}, {512});
  expectCost("%x: tensor<4x7x7xf32>",
             "%y = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] "
             "padding [0, 0, 0, 0] : (tensor<4x7x7xf32>) -> tensor<4x3x3xf32>",
             0, {576}, {144});
  expectCost("%x: tensor<4x7x7xf32>, %dy: tensor<4x3x3xf32>",
             "%dx = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] "
             "stride [2, 2] padding [0, 0, 0, 0] : (tensor<4x7x7xf32>, "
             "tensor<4x3x3xf32>) -> tensor<4x7x7xf32>",
             0, {576, 144}, {784});
  // HWC: [H, W, C] = 7x7x4, the same windows.
  expectCost("%x: tensor<7x7x4xf16>",
             "%y = pulptrain.avgpool2d %x kernel [2, 2] stride [2, 2] "
             "padding [0, 0, 0, 0] layout <hwc> : (tensor<7x7x4xf16>) -> "
             "tensor<3x3x4xf16>",
             0, {288}, {72});
  // Padding: the windows at rows -1..1, 1..3, ..., 13..15 cover all 16.
  expectCost("%x: tensor<2x16x16xf32>",
             "%y = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] "
             "padding [1, 1, 1, 1] : (tensor<2x16x16xf32>) -> "
             "tensor<2x8x8xf32>",
             0, {2048}, {512});
}

// Element-wise ops, pooling and norms multiply but do not accumulate.
TEST_F(CostTest, OpsWithoutMacs) {
  expectCost("%x: tensor<16x6x6xf16>, %dy: tensor<16x6x6xf16>",
             "%dx = pulptrain.relu_grad %x, %dy : tensor<16x6x6xf16>", 0,
             {1152, 1152}, {1152});
  expectCost("%x: tensor<16x6x6xf32>",
             "%y = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] "
             "padding [0, 0, 0, 0] : (tensor<16x6x6xf32>) -> "
             "tensor<16x3x3xf32>",
             0, {2304}, {576});
  expectCost("%x: tensor<8x4x4xf32>, %dy: tensor<8x4x4xf32>",
             "%dg, %db = pulptrain.instance_norm_wgt_grad %x, %dy : "
             "(tensor<8x4x4xf32>, tensor<8x4x4xf32>) -> (tensor<8xf32>, "
             "tensor<8xf32>)",
             0, {512, 512}, {32, 32});
  expectCost("%x: tensor<16xf32>",
             "%h = pulptrain.cast %x : tensor<16xf32> to tensor<16xf16>", 0,
             {64}, {32});
}

// MSE sums 32 squares; cross-entropy and the loss gradients have no MACs.
TEST_F(CostTest, Losses) {
  expectCost("%y: tensor<32xf32>, %t: tensor<32xf32>",
             "%l = pulptrain.mse_loss %y, %t : (tensor<32xf32>, "
             "tensor<32xf32>) -> tensor<f32>",
             32, {128, 128}, {4});
  expectCost("%y: tensor<32xf32>, %t: tensor<32xf32>",
             "%dy = pulptrain.mse_loss_grad %y, %t : tensor<32xf32>", 0,
             {128, 128}, {128});
  expectCost("%y: tensor<10xf32>, %t: tensor<10xf32>",
             "%l = pulptrain.cross_entropy_loss %y, %t : (tensor<10xf32>, "
             "tensor<10xf32>) -> tensor<f32>",
             0, {40, 40}, {4});
  expectCost("%y: tensor<10xbf16>, %t: tensor<10xbf16>",
             "%dy = pulptrain.cross_entropy_loss_grad %y, %t : "
             "tensor<10xbf16>",
             0, {20, 20}, {20});
}

// One MAC per parameter element for `param - lr * g`, one more each for
// momentum and weight decay.
TEST_F(CostTest, SgdUpdate) {
  expectCost("%w: tensor<32x576xf32>, %dw: tensor<32x576xf32>",
             "%w1 = pulptrain.sgd_update %w, %dw {lr = 0.01 : f64} : "
             "(tensor<32x576xf32>, tensor<32x576xf32>) -> "
             "tensor<32x576xf32>",
             18432, {73728, 73728}, {73728});
  expectCost("%w: tensor<16xf32>, %dw: tensor<16xf32>",
             "%w1 = pulptrain.sgd_update %w, %dw {lr = 0.01 : f64, "
             "weight_decay = 1.0e-4 : f64} : (tensor<16xf32>, "
             "tensor<16xf32>) -> tensor<16xf32>",
             32, {64, 64}, {64});
  expectCost("%w: tensor<16xf32>, %dw: tensor<16xf32>, %m: tensor<16xf32>",
             "%w1, %m1 = pulptrain.sgd_update %w, %dw, %m {lr = 0.01 : f64, "
             "momentum = 0.9 : f64, weight_decay = 1.0e-4 : f64} : "
             "(tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> "
             "(tensor<16xf32>, tensor<16xf32>)",
             48, {64, 64, 64}, {64, 64});
  // Nesterov: one more, g + momentum * buf'.
  expectCost("%w: tensor<16xf32>, %dw: tensor<16xf32>, %m: tensor<16xf32>",
             "%w1, %m1 = pulptrain.sgd_update %w, %dw, %m {lr = 0.01 : f64, "
             "momentum = 0.9 : f64, nesterov = true} : "
             "(tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> "
             "(tensor<16xf32>, tensor<16xf32>)",
             48, {64, 64, 64}, {64, 64});
}

// Adam: six per parameter element (two per moment, the square, the step),
// seven with weight decay; the f32 moments of an f16 parameter and the
// rank-0 step counter are read whole.
TEST_F(CostTest, AdamUpdate) {
  expectCost("%w: tensor<16xf16>, %dw: tensor<16xf16>, %m: tensor<16xf32>, "
             "%v: tensor<16xf32>, %t: tensor<f32>",
             "%w1, %m1, %v1 = pulptrain.adam_update %w, %dw, %m, %v, %t "
             "{lr = 0.001 : f64} : (tensor<16xf16>, tensor<16xf16>, "
             "tensor<16xf32>, tensor<16xf32>, tensor<f32>) -> "
             "(tensor<16xf16>, tensor<16xf32>, tensor<16xf32>)",
             96, {32, 32, 64, 64, 4}, {32, 64, 64});
  expectCost("%w: tensor<16xf32>, %dw: tensor<16xf32>, %m: tensor<16xf32>, "
             "%v: tensor<16xf32>, %t: tensor<f32>",
             "%w1, %m1, %v1 = pulptrain.adam_update %w, %dw, %m, %v, %t "
             "{lr = 0.001 : f64, weight_decay = 0.01 : f64} : "
             "(tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, "
             "tensor<16xf32>, tensor<f32>) -> (tensor<16xf32>, "
             "tensor<16xf32>, tensor<16xf32>)",
             112, {64, 64, 64, 64, 4}, {64, 64, 64});
}

// Ops of other dialects have no cost.
TEST_F(CostTest, ReshapesHaveNoCost) {
  Operation *op = parseOp("%x: tensor<16x6x6xf32>",
                          "%f = tensor.collapse_shape %x [[0, 1, 2]] : "
                          "tensor<16x6x6xf32> into tensor<576xf32>");
  ASSERT_NE(op, nullptr);
  EXPECT_FALSE(isa<CostOpInterface>(op));
}

} // namespace
