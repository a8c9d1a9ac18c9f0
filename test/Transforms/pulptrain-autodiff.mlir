// RUN: pulptrain-opt %s --split-input-file --pulptrain-autodiff="lr=0.5" | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-autodiff="lr=0.5" | pulptrain-opt --verify-roundtrip > /dev/null

// The tutorial CNN: conv (the first layer needs no input gradient), ReLU,
// flatten, linear; the forward function is kept.

// CHECK-LABEL: func.func @forward
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:.*]]: tensor<8x8x8xf32> {pulptrain.input = "x"}
// CHECK-SAME: %[[LABEL:.*]]: tensor<32xf32> {pulptrain.label}
// CHECK-SAME: %[[CW:.*]]: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight", pulptrain.trainable = true}
// CHECK-SAME: %[[FW:.*]]: tensor<32x576xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = true}
// CHECK-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"}, tensor<32x576xf32> {pulptrain.param = "fc.weight"})
// CHECK: %[[C:.*]] = pulptrain.conv2d %[[X]], %[[CW]] {{.*}}pulptrain.layer = "conv1", pulptrain.phase = "fwd"
// CHECK: %[[R:.*]] = pulptrain.relu %[[C]] {{.*}}pulptrain.phase = "fwd"
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[R]] {{.*}}pulptrain.layer = "flatten", pulptrain.phase = "fwd"
// CHECK: %[[O:.*]] = pulptrain.linear %[[F]], %[[FW]] {{.*}}pulptrain.layer = "fc", pulptrain.phase = "fwd"
// CHECK: %[[LOSS:.*]] = pulptrain.mse_loss %[[O]], %[[LABEL]] {pulptrain.layer = "loss", pulptrain.phase = "loss"}
// CHECK: %[[DO:.*]] = pulptrain.mse_loss_grad %[[O]], %[[LABEL]] {pulptrain.layer = "loss", pulptrain.phase = "loss"}
// CHECK: %[[DFW:.*]] = pulptrain.linear_wgt_grad %[[F]], %[[DO]] {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"}
// CHECK: %[[DF:.*]] = pulptrain.linear_in_grad %[[DO]], %[[FW]] {pulptrain.layer = "fc", pulptrain.phase = "in_grad"}
// CHECK: %[[DR:.*]] = tensor.expand_shape %[[DF]] {{\[}}[0, 1, 2]] output_shape [16, 6, 6] {pulptrain.layer = "flatten", pulptrain.phase = "in_grad"}
// CHECK: %[[DC:.*]] = pulptrain.relu_grad %[[R]], %[[DR]] {pulptrain.layer = "relu", pulptrain.phase = "in_grad"}
// CHECK: %[[DCW:.*]] = pulptrain.conv2d_wgt_grad %[[X]], %[[DC]] stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"}
// CHECK-NOT: conv2d_in_grad
// CHECK: %[[NCW:.*]] = pulptrain.sgd_update %[[CW]], %[[DCW]] {lr = 5.000000e-01 : f64, pulptrain.layer = "conv1", pulptrain.phase = "update"}
// CHECK: %[[NFW:.*]] = pulptrain.sgd_update %[[FW]], %[[DFW]] {lr = 5.000000e-01 : f64, pulptrain.layer = "fc", pulptrain.phase = "update"}
// CHECK: return %[[LOSS]], %[[NCW]], %[[NFW]]
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

// Linear with bias, and every element-wise activation: LeakyReLU
// differentiates through its input, ReLU, Sigmoid, Tanh and Softmax through
// their output. Both layers train, so the second one's input gradient flows
// back through all of them; ops without a layer name get one.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:.*]]: tensor<16xf16> {pulptrain.input = "input0"}
// CHECK: %[[L1:.*]] = pulptrain.linear %[[X]], %[[W1:[^ ,]*]], %[[B1:[^ ]*]] {pulptrain.layer = "fc1", pulptrain.phase = "fwd"}
// CHECK: %[[A:.*]] = pulptrain.relu %[[L1]] {pulptrain.layer = "relu_0"
// CHECK: %[[B:.*]] = pulptrain.leaky_relu %[[A]] {negative_slope = 2.000000e-01 : f64, pulptrain.layer = "leaky_relu_0"
// CHECK: %[[S:.*]] = pulptrain.sigmoid %[[B]]
// CHECK: %[[T:.*]] = pulptrain.tanh %[[S]]
// CHECK: %[[SM:.*]] = pulptrain.softmax %[[T]]
// CHECK: %[[L2:.*]] = pulptrain.linear %[[SM]], %[[W2:[^ ,]*]] {pulptrain.layer = "fc2"
// CHECK: %[[LOSS:.*]] = pulptrain.mse_loss %[[L2]]
// CHECK: %[[D:.*]] = pulptrain.mse_loss_grad %[[L2]]
// CHECK: %[[DW2:.*]] = pulptrain.linear_wgt_grad %[[SM]], %[[D]]
// CHECK: %[[DSM:.*]] = pulptrain.linear_in_grad %[[D]], %[[W2]]
// CHECK: %[[DT:.*]] = pulptrain.softmax_grad %[[SM]], %[[DSM]] {axis = 0 : i64, pulptrain.layer = "softmax_0", pulptrain.phase = "in_grad"}
// CHECK: %[[DS:.*]] = pulptrain.tanh_grad %[[T]], %[[DT]]
// CHECK: %[[DB:.*]] = pulptrain.sigmoid_grad %[[S]], %[[DS]]
// CHECK: %[[DA:.*]] = pulptrain.leaky_relu_grad %[[A]], %[[DB]] {negative_slope = 2.000000e-01 : f64
// CHECK: %[[DL1:.*]] = pulptrain.relu_grad %[[A]], %[[DA]]
// CHECK: %[[DW1:.*]] = pulptrain.linear_wgt_grad %[[X]], %[[DL1]] {pulptrain.layer = "fc1", pulptrain.phase = "wgt_grad"}
// CHECK: %[[DB1:.*]] = pulptrain.bias_grad %[[DL1]] {pulptrain.layer = "fc1", pulptrain.phase = "wgt_grad"} : (tensor<32xf16>) -> tensor<32xf16>
// CHECK-NOT: linear_in_grad
// CHECK: pulptrain.sgd_update %[[W1]], %[[DW1]]
// CHECK: pulptrain.sgd_update %[[B1]], %[[DB1]]
// CHECK: pulptrain.sgd_update %[[W2]], %[[DW2]]
func.func @forward(%x: tensor<16xf16>,
                   %w1: tensor<32x16xf16> {pulptrain.param = "fc1.weight"},
                   %b1: tensor<32xf16> {pulptrain.param = "fc1.bias"},
                   %w2: tensor<10x32xf16> {pulptrain.param = "fc2.weight"}) -> tensor<10xf16>
 {
  %0 = pulptrain.linear %x, %w1, %b1 {pulptrain.layer = "fc1"} : (tensor<16xf16>, tensor<32x16xf16>, tensor<32xf16>) -> tensor<32xf16>
  %1 = pulptrain.relu %0 : tensor<32xf16>
  %2 = pulptrain.leaky_relu %1 {negative_slope = 0.2 : f64} : tensor<32xf16>
  %3 = pulptrain.sigmoid %2 : tensor<32xf16>
  %4 = pulptrain.tanh %3 : tensor<32xf16>
  %5 = pulptrain.softmax %4 {axis = 0 : i64} : tensor<32xf16>
  %6 = pulptrain.linear %5, %w2 {pulptrain.layer = "fc2"} : (tensor<32xf16>, tensor<10x32xf16>) -> tensor<10xf16>
  return %6 : tensor<10xf16>
}

// -----

// Convolutions with bias (standard, depthwise, pointwise), instance norm and
// pooling. The first conv trains, so every later layer passes its input
// gradient back; the stride-2 conv's input gradient is not needed.

// CHECK-LABEL: func.func @train_step(
// CHECK: %[[C1:.*]] = pulptrain.conv2d %[[X:[^ ,]*]], %[[W1:[^ ,]*]], %[[B1:[^ ]*]] stride [2, 2] padding [1, 1, 1, 1] {pulptrain.layer = "conv1", pulptrain.phase = "fwd"}
// CHECK: %[[N:.*]] = pulptrain.instance_norm %[[C1]], %[[G:[^ ,]*]], %[[BETA:[^ ]*]] {eps = 1.000000e-03 : f64, pulptrain.layer = "norm"
// CHECK: %[[DW:.*]] = pulptrain.conv2d %[[N]], %[[W2:[^ ]*]] stride [1, 1] padding [1, 1, 1, 1] groups 4 {pulptrain.layer = "dw"
// CHECK: %[[MP:.*]] = pulptrain.maxpool2d %[[DW]] kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "maxpool"
// CHECK: %[[PW:.*]] = pulptrain.conv2d %[[MP]], %[[W3:[^ ]*]] stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "pw"
// CHECK: %[[AP:.*]] = pulptrain.avgpool2d %[[PW]] kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "avgpool"
// CHECK: %[[D:.*]] = pulptrain.mse_loss_grad
// CHECK: %[[DAP:.*]] = pulptrain.avgpool2d_grad %[[D]] kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "avgpool2", pulptrain.phase = "in_grad"} : (tensor<8x1x1xf32>) -> tensor<8x2x2xf32>
// CHECK: %[[DPW:.*]] = pulptrain.avgpool2d_grad %[[DAP]] kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "avgpool", pulptrain.phase = "in_grad"} : (tensor<8x2x2xf32>) -> tensor<8x4x4xf32>
// CHECK: %[[DW3:.*]] = pulptrain.conv2d_wgt_grad %[[MP]], %[[DPW]] stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "pw", pulptrain.phase = "wgt_grad"}
// CHECK: %[[DMP:.*]] = pulptrain.conv2d_in_grad %[[DPW]], %[[W3]] stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "pw", pulptrain.phase = "in_grad"}
// CHECK: %[[DDW:.*]] = pulptrain.maxpool2d_grad %[[DW]], %[[DMP]] kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "maxpool", pulptrain.phase = "in_grad"}
// CHECK: %[[DW2:.*]] = pulptrain.conv2d_wgt_grad %[[N]], %[[DDW]] stride [1, 1] padding [1, 1, 1, 1] groups 4 {pulptrain.layer = "dw", pulptrain.phase = "wgt_grad"}
// CHECK: %[[DN:.*]] = pulptrain.conv2d_in_grad %[[DDW]], %[[W2]] stride [1, 1] padding [1, 1, 1, 1] groups 4 {pulptrain.layer = "dw", pulptrain.phase = "in_grad"}
// CHECK: %[[DG:.*]], %[[DBETA:.*]] = pulptrain.instance_norm_wgt_grad %[[C1]], %[[DN]] {eps = 1.000000e-03 : f64, pulptrain.layer = "norm", pulptrain.phase = "wgt_grad"}
// CHECK: %[[DC1:.*]] = pulptrain.instance_norm_in_grad %[[C1]], %[[G]], %[[DN]] {eps = 1.000000e-03 : f64, pulptrain.layer = "norm", pulptrain.phase = "in_grad"}
// CHECK: %[[DW1:.*]] = pulptrain.conv2d_wgt_grad %[[X]], %[[DC1]] stride [2, 2] padding [1, 1, 1, 1] {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"}
// CHECK: %[[DB1:.*]] = pulptrain.bias_grad %[[DC1]] {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"} : (tensor<4x8x8xf32>) -> tensor<4xf32>
// CHECK-NOT: conv2d_in_grad
// CHECK: pulptrain.sgd_update %[[W1]], %[[DW1]]
// CHECK: pulptrain.sgd_update %[[B1]], %[[DB1]]
// CHECK: pulptrain.sgd_update %[[G]], %[[DG]]
// CHECK: pulptrain.sgd_update %[[BETA]], %[[DBETA]]
// CHECK: pulptrain.sgd_update %[[W2]], %[[DW2]]
// CHECK: pulptrain.sgd_update %[[W3]], %[[DW3]]
func.func @forward(%x: tensor<3x16x16xf32> {pulptrain.input = "x"},
                   %w1: tensor<4x3x3x3xf32> {pulptrain.param = "conv1.weight"},
                   %b1: tensor<4xf32> {pulptrain.param = "conv1.bias"},
                   %g: tensor<4xf32> {pulptrain.param = "norm.weight"},
                   %beta: tensor<4xf32> {pulptrain.param = "norm.bias"},
                   %w2: tensor<4x1x3x3xf32> {pulptrain.param = "dw.weight"},
                   %w3: tensor<8x4x1x1xf32> {pulptrain.param = "pw.weight"}) -> tensor<8x1x1xf32> {
  %0 = pulptrain.conv2d %x, %w1, %b1 stride [2, 2] padding [1, 1, 1, 1] {pulptrain.layer = "conv1"}
      : (tensor<3x16x16xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<4x8x8xf32>
  %1 = pulptrain.instance_norm %0, %g, %beta {eps = 1.0e-3 : f64, pulptrain.layer = "norm"}
      : (tensor<4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x8x8xf32>
  %2 = pulptrain.conv2d %1, %w2 stride [1, 1] padding [1, 1, 1, 1] groups 4 {pulptrain.layer = "dw"}
      : (tensor<4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<4x8x8xf32>
  %3 = pulptrain.maxpool2d %2 kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "maxpool"}
      : (tensor<4x8x8xf32>) -> tensor<4x4x4xf32>
  %4 = pulptrain.conv2d %3, %w3 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "pw"}
      : (tensor<4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<8x4x4xf32>
  %5 = pulptrain.avgpool2d %4 kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "avgpool"}
      : (tensor<8x4x4xf32>) -> tensor<8x2x2xf32>
  %6 = pulptrain.avgpool2d %5 kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "avgpool2"}
      : (tensor<8x2x2xf32>) -> tensor<8x1x1xf32>
  return %6 : tensor<8x1x1xf32>
}

// -----

// A residual block: %h feeds both the second conv and the skip add, so its
// gradient is the sum of both paths; the add passes its gradient to both
// operands. The block input %x is used twice too but needs no gradient.

// CHECK-LABEL: func.func @train_step(
// CHECK: %[[H:.*]] = pulptrain.conv2d %{{.*}}, %[[W1:[^ ]*]] {{.*}}pulptrain.layer = "conv1"
// CHECK: %[[A:.*]] = pulptrain.leaky_relu %[[H]]
// CHECK: %[[C2:.*]] = pulptrain.conv2d %[[A]], %[[W2:[^ ]*]] {{.*}}pulptrain.layer = "conv2"
// CHECK: %[[SUM:.*]] = pulptrain.add %[[C2]], %[[A]] {pulptrain.layer = "residual", pulptrain.phase = "fwd"}
// CHECK: %[[D:.*]] = pulptrain.mse_loss_grad %[[SUM]]
// CHECK: pulptrain.conv2d_wgt_grad %[[A]], %[[D]] {{.*}}pulptrain.layer = "conv2", pulptrain.phase = "wgt_grad"
// CHECK: %[[DA2:.*]] = pulptrain.conv2d_in_grad %[[D]], %[[W2]] {{.*}}pulptrain.layer = "conv2", pulptrain.phase = "in_grad"
// CHECK: %[[DA:.*]] = pulptrain.add %[[D]], %[[DA2]] {pulptrain.layer = "conv2", pulptrain.phase = "in_grad"}
// CHECK: %[[DH:.*]] = pulptrain.leaky_relu_grad %[[H]], %[[DA]]
// CHECK: pulptrain.conv2d_wgt_grad %{{.*}}, %[[DH]] {{.*}}pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"
// CHECK-NOT: conv2d_in_grad
// CHECK: return
func.func @forward(%x: tensor<4x6x6xf32> {pulptrain.input = "x"},
                   %w1: tensor<4x4x3x3xf32> {pulptrain.param = "conv1.weight"},
                   %w2: tensor<4x4x3x3xf32> {pulptrain.param = "conv2.weight"}) -> tensor<4x6x6xf32> {
  %h = pulptrain.conv2d %x, %w1 stride [1, 1] padding [1, 1, 1, 1] {pulptrain.layer = "conv1"}
      : (tensor<4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<4x6x6xf32>
  %a = pulptrain.leaky_relu %h {pulptrain.layer = "act"} : tensor<4x6x6xf32>
  %c = pulptrain.conv2d %a, %w2 stride [1, 1] padding [1, 1, 1, 1] {pulptrain.layer = "conv2"}
      : (tensor<4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<4x6x6xf32>
  %s = pulptrain.add %c, %a {pulptrain.layer = "residual"} : tensor<4x6x6xf32>
  return %s : tensor<4x6x6xf32>
}

// -----

// Sparse update with the LAST layer frozen: fc2 gets no weight gradient and
// no update but still passes the input gradient back to fc1, which trains.
// Frozen parameters stay arguments and are not returned.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W1:[^:]*]]: tensor<32x16xf32> {pulptrain.param = "fc1.weight", pulptrain.trainable = true}
// CHECK-SAME: %[[W2:[^:]*]]: tensor<10x32xf32> {pulptrain.param = "fc2.weight", pulptrain.trainable = false}
// CHECK-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<32x16xf32> {pulptrain.param = "fc1.weight"})
// CHECK: %[[D:.*]] = pulptrain.mse_loss_grad
// CHECK-NOT: linear_wgt_grad %{{.*}}, %[[D]]
// CHECK: %[[DH:.*]] = pulptrain.linear_in_grad %[[D]], %[[W2]] {pulptrain.layer = "fc2", pulptrain.phase = "in_grad"}
// CHECK: %[[DA:.*]] = pulptrain.relu_grad %{{.*}}, %[[DH]]
// CHECK: %[[DW1:.*]] = pulptrain.linear_wgt_grad %{{.*}}, %[[DA]] {pulptrain.layer = "fc1", pulptrain.phase = "wgt_grad"}
// CHECK-NOT: linear_in_grad
// CHECK: %[[NEW:.*]] = pulptrain.sgd_update %[[W1]], %[[DW1]]
// CHECK-NOT: sgd_update
// CHECK: return %{{.*}}, %[[NEW]] : tensor<f32>, tensor<32x16xf32>
func.func @forward(%x: tensor<16xf32> {pulptrain.input = "x"},
                   %w1: tensor<32x16xf32> {pulptrain.param = "fc1.weight"},
                   %w2: tensor<10x32xf32> {pulptrain.param = "fc2.weight", pulptrain.trainable = false}) -> tensor<10xf32> {
  %h = pulptrain.linear %x, %w1 {pulptrain.layer = "fc1"} : (tensor<16xf32>, tensor<32x16xf32>) -> tensor<32xf32>
  %a = pulptrain.relu %h {pulptrain.layer = "relu"} : tensor<32xf32>
  %o = pulptrain.linear %a, %w2 {pulptrain.layer = "fc2"} : (tensor<32xf32>, tensor<10x32xf32>) -> tensor<10xf32>
  return %o : tensor<10xf32>
}

// -----

// Sparse update with the first layers frozen (PULP-TrainLib's rule): no
// gradient flows into layers before the first trainable one.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<10x32xf32> {pulptrain.param = "fc2.weight"})
// CHECK: pulptrain.mse_loss_grad
// CHECK-NEXT: pulptrain.linear_wgt_grad {{.*}}pulptrain.layer = "fc2"
// CHECK-NEXT: pulptrain.sgd_update
// CHECK-NEXT: return
func.func @forward(%x: tensor<16xf32> {pulptrain.input = "x"},
                   %w1: tensor<32x16xf32> {pulptrain.param = "fc1.weight", pulptrain.trainable = false},
                   %w2: tensor<10x32xf32> {pulptrain.param = "fc2.weight"}) -> tensor<10xf32> {
  %h = pulptrain.linear %x, %w1 {pulptrain.layer = "fc1"} : (tensor<16xf32>, tensor<32x16xf32>) -> tensor<32xf32>
  %a = pulptrain.tanh %h {pulptrain.layer = "tanh"} : tensor<32xf32>
  %o = pulptrain.linear %a, %w2 {pulptrain.layer = "fc2"} : (tensor<32xf32>, tensor<10x32xf32>) -> tensor<10xf32>
  return %o : tensor<10xf32>
}

// -----

// A mixed-precision model: an f32 parameter cast to bf16. The gradient is
// cast back to f32 for the update, and a label argument of the forward
// function is used as the loss target.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<8xbf16> {pulptrain.input = "x"}, %[[T:[^:]*]]: tensor<4xbf16> {pulptrain.label = "y"}, %[[W:[^:]*]]: tensor<4x8xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = true}
// CHECK: %[[WB:.*]] = pulptrain.cast %[[W]] {pulptrain.layer = "fc", pulptrain.phase = "fwd"} : tensor<4x8xf32> to tensor<4x8xbf16>
// CHECK: %[[O:.*]] = pulptrain.linear %[[X]], %[[WB]]
// CHECK: pulptrain.mse_loss %[[O]], %[[T]]
// CHECK: %[[D:.*]] = pulptrain.mse_loss_grad %[[O]], %[[T]]
// CHECK: %[[DWB:.*]] = pulptrain.linear_wgt_grad %[[X]], %[[D]]
// CHECK: %[[DW:.*]] = pulptrain.cast %[[DWB]] {pulptrain.layer = "fc", pulptrain.phase = "in_grad"} : tensor<4x8xbf16> to tensor<4x8xf32>
// CHECK: pulptrain.sgd_update %[[W]], %[[DW]]
func.func @forward(%x: tensor<8xbf16> {pulptrain.input = "x"},
                   %y: tensor<4xbf16> {pulptrain.label = "y"},
                   %w: tensor<4x8xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xbf16> {
  %wb = pulptrain.cast %w {pulptrain.layer = "fc"} : tensor<4x8xf32> to tensor<4x8xbf16>
  %o = pulptrain.linear %x, %wb {pulptrain.layer = "fc"} : (tensor<8xbf16>, tensor<4x8xbf16>) -> tensor<4xbf16>
  return %o : tensor<4xbf16>
}

// -----

// Issue #17 ops in a derived step: ReLU6 and Hardswish take the forward
// input; x * c passes dy * c back (a mul_scalar in the in_grad phase), x + c
// passes dy itself; dropout's gradient recomputes the mask from the same p,
// seed and sample number. A step with a dropout keeps a step counter
// (pulptrain.step = "dropout", after the optimizer state): the step's
// sample number is the counter, and the step returns it plus one.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W2:[^:]*]]: tensor<4x16xf32> {pulptrain.param = "fc2.weight", pulptrain.trainable = true}
// CHECK-SAME: %[[N:[^:]*]]: tensor<f32> {pulptrain.step = "dropout"}
// CHECK-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<16x8xf32> {pulptrain.param = "fc1.weight"}, tensor<4x16xf32> {pulptrain.param = "fc2.weight"}, tensor<f32> {pulptrain.step = "dropout"})
// CHECK: %[[H:.*]] = pulptrain.linear %{{.*}}, %[[W1:[^ ,]*]] {{.*}}pulptrain.layer = "fc1"
// CHECK: %[[R:.*]] = pulptrain.relu6 %[[H]]
// CHECK: %[[M:.*]] = pulptrain.mul_scalar %[[R]] {pulptrain.layer = "scale", pulptrain.phase = "fwd", scalar = 2.000000e+00 : f64}
// CHECK: %[[A:.*]] = pulptrain.add_scalar %[[M]]
// CHECK: %[[S:.*]] = pulptrain.hardswish %[[A]]
// CHECK: %[[D:.*]] = pulptrain.dropout %[[S]] sample %[[N]] {p = 2.500000e-01 : f64, pulptrain.layer = "drop", pulptrain.phase = "fwd", seed = 5 : i64}
// CHECK: pulptrain.linear %[[D]]
// CHECK: %[[DD:.*]] = pulptrain.linear_in_grad
// CHECK: %[[DS:.*]] = pulptrain.dropout_grad %[[DD]] sample %[[N]] {p = 2.500000e-01 : f64, pulptrain.layer = "drop", pulptrain.phase = "in_grad", seed = 5 : i64}
// CHECK: %[[DA:.*]] = pulptrain.hardswish_grad %[[A]], %[[DS]]
// CHECK: %[[DR:.*]] = pulptrain.mul_scalar %[[DA]] {pulptrain.layer = "scale", pulptrain.phase = "in_grad", scalar = 2.000000e+00 : f64}
// CHECK: %[[DH:.*]] = pulptrain.relu6_grad %[[H]], %[[DR]]
// CHECK: pulptrain.linear_wgt_grad %{{.*}}, %[[DH]] {{.*}}pulptrain.layer = "fc1"
// CHECK: %[[NEXT:.*]] = pulptrain.add_scalar %[[N]] {pulptrain.layer = "dropout", pulptrain.phase = "update", scalar = 1.000000e+00 : f64}
// CHECK: return {{.*}}, %[[NEXT]] :
func.func @forward(%x: tensor<8xf32> {pulptrain.input = "x"},
                   %w1: tensor<16x8xf32> {pulptrain.param = "fc1.weight"},
                   %w2: tensor<4x16xf32> {pulptrain.param = "fc2.weight"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w1 {pulptrain.layer = "fc1"} : (tensor<8xf32>, tensor<16x8xf32>) -> tensor<16xf32>
  %r = pulptrain.relu6 %h {pulptrain.layer = "act"} : tensor<16xf32>
  %m = pulptrain.mul_scalar %r {scalar = 2.0 : f64, pulptrain.layer = "scale"} : tensor<16xf32>
  %a = pulptrain.add_scalar %m {scalar = -1.0 : f64, pulptrain.layer = "shift"} : tensor<16xf32>
  %s = pulptrain.hardswish %a {pulptrain.layer = "hs"} : tensor<16xf32>
  %d = pulptrain.dropout %s {p = 0.25 : f64, seed = 5 : i64, pulptrain.layer = "drop"} : tensor<16xf32>
  %y = pulptrain.linear %d, %w2 {pulptrain.layer = "fc2"} : (tensor<16xf32>, tensor<4x16xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// BatchNorm in training mode: gamma/beta and input gradients through the
// batch statistics; the running statistics (buffers) follow the momentum
// buffers among the arguments and the results, updated by the forward pass.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x3xf32> {pulptrain.input = "x"}
// CHECK-SAME: %[[W:[^:]*]]: tensor<2x2x1x1xf32> {pulptrain.param = "conv.weight", pulptrain.trainable = true}
// CHECK-SAME: %[[G:[^:]*]]: tensor<2xf32> {pulptrain.param = "bn.weight", pulptrain.trainable = true}
// CHECK-SAME: %[[B:[^:]*]]: tensor<2xf32> {pulptrain.param = "bn.bias", pulptrain.trainable = true}
// CHECK-SAME: %[[RM:[^:]*]]: tensor<2xf32> {pulptrain.buffer = "bn.running_mean"}
// CHECK-SAME: %[[RV:[^:]*]]: tensor<2xf32> {pulptrain.buffer = "bn.running_var"})
// CHECK-SAME: tensor<2xf32> {pulptrain.buffer = "bn.running_mean"}, tensor<2xf32> {pulptrain.buffer = "bn.running_var"})
// CHECK: %[[C:.*]] = pulptrain.conv2d %[[X]], %[[W]]
// CHECK: %[[NM:.*]], %[[NV:.*]] = pulptrain.batch_norm_running_stats %[[C]], %[[RM]], %[[RV]] {pulptrain.layer = "bn", pulptrain.phase = "fwd"}
// CHECK: pulptrain.batch_norm %[[C]], %[[G]], %[[B]]
// CHECK: %[[DG:.*]], %[[DB:.*]] = pulptrain.batch_norm_wgt_grad %[[C]], %[[DY:.*]] {pulptrain.layer = "bn", pulptrain.phase = "wgt_grad"}
// CHECK: pulptrain.batch_norm_in_grad %[[C]], %[[G]], %[[DY]] {pulptrain.layer = "bn", pulptrain.phase = "in_grad"}
// CHECK: return {{.*}}, %[[NM]], %[[NV]] :
func.func @forward(%x: tensor<2x3x3xf32> {pulptrain.input = "x"},
                   %w: tensor<2x2x1x1xf32> {pulptrain.param = "conv.weight"},
                   %g: tensor<2xf32> {pulptrain.param = "bn.weight"},
                   %b: tensor<2xf32> {pulptrain.param = "bn.bias"},
                   %rm: tensor<2xf32> {pulptrain.buffer = "bn.running_mean"},
                   %rv: tensor<2xf32> {pulptrain.buffer = "bn.running_var"}) -> tensor<2x3x3xf32> {
  %c = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv"} : (tensor<2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x3x3xf32>
  %s:2 = pulptrain.batch_norm_running_stats %c, %rm, %rv {pulptrain.layer = "bn"} : (tensor<2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %y = pulptrain.batch_norm %c, %g, %b {pulptrain.layer = "bn"} : (tensor<2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x3x3xf32>
  return %y : tensor<2x3x3xf32>
}

// -----

// Dropout in a mini-batch of 2: sample b of the step draws the mask of
// sample number counter * 2 + b, in the forward pass and in its gradient.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = true}
// CHECK-SAME: %[[N:[^:]*]]: tensor<f32> {pulptrain.step = "dropout"}
// CHECK: %[[N0:.*]] = pulptrain.mul_scalar %[[N]] {pulptrain.layer = "dropout", pulptrain.phase = "fwd", scalar = 2.000000e+00 : f64}
// CHECK: pulptrain.dropout %{{.*}} sample %[[N0]] {p = 5.000000e-01 : f64
// CHECK: pulptrain.dropout_grad %{{.*}} sample %[[N0]] {p = 5.000000e-01 : f64
// CHECK: %[[N1:.*]] = pulptrain.add_scalar %[[N0]] {pulptrain.layer = "dropout", pulptrain.phase = "fwd", scalar = 1.000000e+00 : f64}
// CHECK: pulptrain.dropout %{{.*}} sample %[[N1]] {p = 5.000000e-01 : f64
// CHECK: pulptrain.dropout_grad %{{.*}} sample %[[N1]] {p = 5.000000e-01 : f64
// CHECK: %[[NEW:.*]] = pulptrain.sgd_update %[[W]]
// CHECK: %[[NEXT:.*]] = pulptrain.add_scalar %[[N]] {pulptrain.layer = "dropout", pulptrain.phase = "update", scalar = 1.000000e+00 : f64}
// CHECK: return %{{.*}}, %[[NEW]], %[[NEXT]] :
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<3x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<3xf32>
    attributes {pulptrain.batch = 2 : i64} {
  %y = pulptrain.linear %x, %w {pulptrain.layer = "fc"} : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3xf32>
  %d = pulptrain.dropout %y {p = 0.5 : f64, seed = 1 : i64, pulptrain.layer = "drop"} : tensor<3xf32>
  return %d : tensor<3xf32>
}

// -----

// A mini-batch of 2 (pulptrain.batch): the step takes the batched input and
// label, slices out each sample, runs the forward and backward pass per
// sample, adds up the losses and the weight gradients, divides both by 2
// (PyTorch's mean loss over the batch) and updates once.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x4xf32> {pulptrain.input = "x"}
// CHECK-SAME: %[[L:[^:]*]]: tensor<2x3xf32> {pulptrain.label}
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = true}
// CHECK: %[[X0:.*]] = tensor.extract_slice %[[X]][0, 0] [1, 4] [1, 1] {pulptrain.layer = "x", pulptrain.phase = "fwd"} : tensor<2x4xf32> to tensor<4xf32>
// CHECK: %[[L0:.*]] = tensor.extract_slice %[[L]][0, 0] [1, 3] [1, 1]
// CHECK: %[[Y0:.*]] = pulptrain.linear %[[X0]], %[[W]]
// CHECK: %[[LOSS0:.*]] = pulptrain.mse_loss %[[Y0]], %[[L0]]
// CHECK: %[[G0:.*]] = pulptrain.linear_wgt_grad %[[X0]]
// CHECK: %[[X1:.*]] = tensor.extract_slice %[[X]][1, 0] [1, 4] [1, 1]
// CHECK: %[[L1:.*]] = tensor.extract_slice %[[L]][1, 0] [1, 3] [1, 1]
// CHECK: %[[Y1:.*]] = pulptrain.linear %[[X1]], %[[W]]
// CHECK: %[[LOSS1:.*]] = pulptrain.mse_loss %[[Y1]], %[[L1]]
// CHECK: %[[G1:.*]] = pulptrain.linear_wgt_grad %[[X1]]
// CHECK: %[[G:.*]] = pulptrain.add %[[G0]], %[[G1]] {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"}
// CHECK: %[[LS:.*]] = pulptrain.add %[[LOSS0]], %[[LOSS1]]
// CHECK: %[[LOSS:.*]] = pulptrain.mul_scalar %[[LS]] {pulptrain.layer = "loss", pulptrain.phase = "loss", scalar = 5.000000e-01 : f64}
// CHECK: %[[GM:.*]] = pulptrain.mul_scalar %[[G]] {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad", scalar = 5.000000e-01 : f64}
// CHECK: %[[NEW:.*]] = pulptrain.sgd_update %[[W]], %[[GM]]
// CHECK: return %[[LOSS]], %[[NEW]]
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<3x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<3xf32>
    attributes {pulptrain.batch = 2 : i64} {
  %y = pulptrain.linear %x, %w {pulptrain.layer = "fc"} : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
