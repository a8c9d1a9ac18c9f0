// RUN: pulptrain-opt %s --split-input-file --pulptrain-autodiff="lr=0.5" --pulptrain-round-saved-activations | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-autodiff="lr=0.5" "--pulptrain-round-saved-activations=type=bf16" | FileCheck %s --check-prefix=BF16
// RUN: pulptrain-opt %s --split-input-file --pulptrain-autodiff="lr=0.5" --pulptrain-round-saved-activations | pulptrain-opt --verify-roundtrip > /dev/null
// RUN: not pulptrain-opt %s --split-input-file "--pulptrain-round-saved-activations=type=f8" 2>&1 | FileCheck %s --check-prefix=BADTYPE

// BADTYPE: for the --type option: Cannot find option named 'f8'!

// The tutorial CNN. The ReLU output is read by its gradient and, flattened,
// by fc's weight gradient: rounded once to f16 right after the ReLU, and
// the flattened copy is a view of the rounded one (not a second copy).
// Each backward reader gets its own extension to f32, in its own layer and
// phase. The conv output (read only by the ReLU), the input x (an
// argument: conv1's weight gradient reads it as it is), the parameters and
// the model output (read by the loss) stay f32.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<8x8x8xf32> {pulptrain.input = "x"}
// CHECK-SAME: %[[CW:[^:]*]]: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"
// CHECK-SAME: %[[FW:[^:]*]]: tensor<32x576xf32> {pulptrain.param = "fc.weight"
// CHECK: %[[C:.*]] = pulptrain.conv2d %[[X]], %[[CW]]
// CHECK-NOT: pulptrain.cast %[[C]]
// CHECK: %[[R:.*]] = pulptrain.relu %[[C]] {pulptrain.layer = "relu", pulptrain.phase = "fwd"}
// CHECK-NEXT: %[[RH:.*]] = pulptrain.cast %[[R]] {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<16x6x6xf32> to tensor<16x6x6xf16>
// CHECK-NEXT: %[[F:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0, 1, 2]] {pulptrain.layer = "flatten", pulptrain.phase = "fwd"} : tensor<16x6x6xf32> into tensor<576xf32>
// CHECK-NEXT: %[[FH:.*]] = tensor.collapse_shape %[[RH]] {{\[}}[0, 1, 2]] {pulptrain.layer = "flatten", pulptrain.phase = "fwd"} : tensor<16x6x6xf16> into tensor<576xf16>
// CHECK-NEXT: %[[O:.*]] = pulptrain.linear %[[F]], %[[FW]]
// CHECK-NOT: pulptrain.cast
// CHECK: pulptrain.mse_loss %[[O]]
// CHECK: %[[DO:.*]] = pulptrain.mse_loss_grad %[[O]]
// CHECK-NEXT: %[[FE:.*]] = pulptrain.cast %[[FH]] {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"} : tensor<576xf16> to tensor<576xf32>
// CHECK-NEXT: pulptrain.linear_wgt_grad %[[FE]], %[[DO]] {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"}
// CHECK: %[[DR:.*]] = tensor.expand_shape
// CHECK-NEXT: %[[RE:.*]] = pulptrain.cast %[[RH]] {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<16x6x6xf16> to tensor<16x6x6xf32>
// CHECK-NEXT: %[[DC:.*]] = pulptrain.relu_grad %[[RE]], %[[DR]]
// CHECK-NEXT: pulptrain.conv2d_wgt_grad %[[X]], %[[DC]]
// CHECK-NOT: pulptrain.cast
// CHECK: return

// BF16-LABEL: func.func @train_step(
// BF16: pulptrain.cast %{{.*}} {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<16x6x6xf32> to tensor<16x6x6xbf16>
// BF16: tensor.collapse_shape %{{.*}} : tensor<16x6x6xbf16> into tensor<576xbf16>
// BF16: pulptrain.cast %{{.*}} : tensor<576xbf16> to tensor<576xf32>
// BF16: pulptrain.cast %{{.*}} : tensor<16x6x6xbf16> to tensor<16x6x6xf32>
func.func @forward(%x: tensor<8x8x8xf32> {pulptrain.input = "x"},
                   %cw: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"},
                   %fw: tensor<32x576xf32> {pulptrain.param = "fc.weight"}) -> tensor<32xf32> {
  %c = pulptrain.conv2d %x, %cw stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1"}
      : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  %r = pulptrain.relu %c {pulptrain.layer = "relu"} : tensor<16x6x6xf32>
  %f = tensor.collapse_shape %r [[0, 1, 2]] {pulptrain.layer = "flatten"} : tensor<16x6x6xf32> into tensor<576xf32>
  %o = pulptrain.linear %f, %fw {pulptrain.layer = "fc"} : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
  return %o : tensor<32xf32>
}

// -----

// A residual block: the first ReLU's output feeds the second conv and the
// residual add; both its readers in the backward pass (the second conv's
// weight gradient and its own gradient) extend the one rounded copy. The
// sigmoid's gradient reads its output, rounded too; the sum before it is
// read only by the sigmoid and stays f32.

// CHECK-LABEL: func.func @train_step(
// CHECK: %[[A:.*]] = pulptrain.relu %{{.*}} {pulptrain.layer = "relu1", pulptrain.phase = "fwd"}
// CHECK-NEXT: %[[AH:.*]] = pulptrain.cast %[[A]] {{.*}} to tensor<4x6x6xf16>
// CHECK: %[[S:.*]] = pulptrain.add
// CHECK-NOT: pulptrain.cast %[[S]]
// CHECK: %[[G:.*]] = pulptrain.sigmoid %[[S]]
// CHECK-NEXT: %[[GH:.*]] = pulptrain.cast %[[G]] {pulptrain.layer = "sig", pulptrain.phase = "fwd"}
// CHECK: %[[GE:.*]] = pulptrain.cast %[[GH]] {pulptrain.layer = "sig", pulptrain.phase = "in_grad"}
// CHECK-NEXT: pulptrain.sigmoid_grad %[[GE]]
// CHECK: %[[AE1:.*]] = pulptrain.cast %[[AH]] {pulptrain.layer = "conv2", pulptrain.phase = "wgt_grad"}
// CHECK-NEXT: pulptrain.conv2d_wgt_grad %[[AE1]]
// CHECK: %[[AE2:.*]] = pulptrain.cast %[[AH]] {pulptrain.layer = "relu1", pulptrain.phase = "in_grad"}
// CHECK-NEXT: pulptrain.relu_grad %[[AE2]]
func.func @forward(%x: tensor<2x8x8xf32> {pulptrain.input = "x"},
                   %w1: tensor<4x2x3x3xf32> {pulptrain.param = "conv1.weight"},
                   %w2: tensor<4x4x1x1xf32> {pulptrain.param = "conv2.weight"}) -> tensor<4x6x6xf32> {
  %c1 = pulptrain.conv2d %x, %w1 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1"}
      : (tensor<2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<4x6x6xf32>
  %a = pulptrain.relu %c1 {pulptrain.layer = "relu1"} : tensor<4x6x6xf32>
  %c2 = pulptrain.conv2d %a, %w2 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2"}
      : (tensor<4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<4x6x6xf32>
  %s = pulptrain.add %c2, %a {pulptrain.layer = "res"} : tensor<4x6x6xf32>
  %g = pulptrain.sigmoid %s {pulptrain.layer = "sig"} : tensor<4x6x6xf32>
  return %g : tensor<4x6x6xf32>
}

// -----

// Max pooling: its gradient finds each window's maximum again in the
// forward input, which stays f32 (rounding would make ties the forward
// pass did not see); the pooled output, read by fc's weight gradient, is
// rounded.

// CHECK-LABEL: func.func @train_step(
// CHECK: %[[C:.*]] = pulptrain.conv2d
// CHECK-NOT: pulptrain.cast %[[C]]
// CHECK: %[[P:.*]] = pulptrain.maxpool2d %[[C]]
// CHECK-NEXT: %[[PH:.*]] = pulptrain.cast %[[P]] {{.*}} : tensor<4x3x3xf32> to tensor<4x3x3xf16>
// CHECK: %[[PE:.*]] = pulptrain.cast %{{.*}} : tensor<36xf16> to tensor<36xf32>
// CHECK-NEXT: pulptrain.linear_wgt_grad %[[PE]]
// CHECK: pulptrain.maxpool2d_grad %[[C]],
func.func @forward(%x: tensor<2x8x8xf32> {pulptrain.input = "x"},
                   %w: tensor<4x2x3x3xf32> {pulptrain.param = "conv.weight"},
                   %fw: tensor<5x36xf32> {pulptrain.param = "fc.weight"}) -> tensor<5xf32> {
  %c = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv"}
      : (tensor<2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<4x6x6xf32>
  %p = pulptrain.maxpool2d %c kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "pool"}
      : (tensor<4x6x6xf32>) -> tensor<4x3x3xf32>
  %f = tensor.collapse_shape %p [[0, 1, 2]] {pulptrain.layer = "flatten"} : tensor<4x3x3xf32> into tensor<36xf32>
  %o = pulptrain.linear %f, %fw {pulptrain.layer = "fc"} : (tensor<36xf32>, tensor<5x36xf32>) -> tensor<5xf32>
  return %o : tensor<5xf32>
}

// -----

// A mini-batch of 2 with a dropout: the samples are slices of the input
// argument and stay f32; the sample numbers of the dropout masks (exact
// step counters) are never rounded; the fc output is read only by the
// dropout, whose gradient recomputes the mask: nothing is saved, nothing
// rounded.

// CHECK-LABEL: func.func @train_step(
// CHECK-NOT: pulptrain.cast
// CHECK: return
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<3x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<3xf32>
    attributes {pulptrain.batch = 2 : i64} {
  %y = pulptrain.linear %x, %w {pulptrain.layer = "fc"} : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3xf32>
  %d = pulptrain.dropout %y {p = 0.5 : f64, seed = 1 : i64, pulptrain.layer = "drop"} : tensor<3xf32>
  return %d : tensor<3xf32>
}

// -----

// An f16 model keeps its activations as they are: only f32 values are
// rounded.

// CHECK-LABEL: func.func @train_step(
// CHECK: pulptrain.relu_grad
// CHECK-NOT: pulptrain.cast
// CHECK: return
func.func @forward(%x: tensor<8xf16> {pulptrain.input = "x"},
                   %w1: tensor<8x8xf16> {pulptrain.param = "fc1.weight"},
                   %w2: tensor<4x8xf16> {pulptrain.param = "fc2.weight"}) -> tensor<4xf16> {
  %h = pulptrain.linear %x, %w1 {pulptrain.layer = "fc1"} : (tensor<8xf16>, tensor<8x8xf16>) -> tensor<8xf16>
  %r = pulptrain.relu %h {pulptrain.layer = "relu"} : tensor<8xf16>
  %y = pulptrain.linear %r, %w2 {pulptrain.layer = "fc2"} : (tensor<8xf16>, tensor<4x8xf16>) -> tensor<4xf16>
  return %y : tensor<4xf16>
}
