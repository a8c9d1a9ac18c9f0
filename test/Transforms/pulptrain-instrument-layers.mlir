// RUN: pulptrain-opt %s --split-input-file --pulptrain-instrument-layers | FileCheck %s
// RUN: not pulptrain-opt %s --split-input-file --pulptrain-instrument-layers="func=step" 2>&1 | FileCheck %s --check-prefix=NAMED

// The tutorial CNN's training step as the autodiff pass emits it. Every
// (layer, phase) pair is one region, numbered in order of appearance, with
// the multiply-accumulates of its ops: conv 16*6*6 outputs * 8*3*3 = 41472,
// linear 32*576 = 18432, the MSE loss 32, SGD one per weight. The reshapes
// of the flatten layer do no work and get no region.

// CHECK-LABEL: module attributes {pulptrain.profile_regions = [
// CHECK-SAME: {id = 0 : i32, layer = "conv1", macs = 41472 : i64, phase = "fwd"},
// CHECK-SAME: {id = 1 : i32, layer = "relu", macs = 0 : i64, phase = "fwd"},
// CHECK-SAME: {id = 2 : i32, layer = "fc", macs = 18432 : i64, phase = "fwd"},
// CHECK-SAME: {id = 3 : i32, layer = "loss", macs = 32 : i64, phase = "loss"},
// CHECK-SAME: {id = 4 : i32, layer = "fc", macs = 18432 : i64, phase = "wgt_grad"},
// CHECK-SAME: {id = 5 : i32, layer = "fc", macs = 18432 : i64, phase = "in_grad"},
// CHECK-SAME: {id = 6 : i32, layer = "relu", macs = 0 : i64, phase = "in_grad"},
// CHECK-SAME: {id = 7 : i32, layer = "conv1", macs = 41472 : i64, phase = "wgt_grad"},
// CHECK-SAME: {id = 8 : i32, layer = "conv1", macs = 1152 : i64, phase = "update"},
// CHECK-SAME: {id = 9 : i32, layer = "fc", macs = 18432 : i64, phase = "update"}]}
// CHECK-NOT: pulptrain_prof
// CHECK-LABEL: func.func @train_step
// CHECK: cluster.profile_enter 0
// CHECK-NEXT: pulptrain.conv2d
// CHECK-NEXT: cluster.profile_exit 0
// CHECK-NEXT: cluster.profile_enter 1
// CHECK-NEXT: pulptrain.relu
// CHECK-NEXT: cluster.profile_exit 1
// CHECK-NEXT: tensor.collapse_shape
// CHECK-NEXT: cluster.profile_enter 2
// CHECK-NEXT: pulptrain.linear
// CHECK-NEXT: cluster.profile_exit 2
// The loss and its gradient are one group.
// CHECK-NEXT: cluster.profile_enter 3
// CHECK-NEXT: pulptrain.mse_loss
// CHECK-NEXT: pulptrain.mse_loss_grad
// CHECK-NEXT: cluster.profile_exit 3
// CHECK: cluster.profile_enter
// CHECK-NEXT: pulptrain.linear_wgt_grad
// CHECK: cluster.profile_enter
// CHECK-NEXT: pulptrain.linear_in_grad
// CHECK-NEXT: cluster.profile_exit
// CHECK-NEXT: tensor.expand_shape
// CHECK-NEXT: cluster.profile_enter 6
// CHECK-NEXT: pulptrain.relu_grad
// CHECK: cluster.profile_enter 9
// CHECK-NEXT: pulptrain.sgd_update
// CHECK-NEXT: cluster.profile_exit 9
// CHECK-NEXT: return
// NAMED: error: no function @step with a body to instrument
func.func @train_step(%x: tensor<8x8x8xf32> {pulptrain.input = "x"},
                      %label: tensor<32xf32> {pulptrain.label},
                      %cw: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"},
                      %fw: tensor<32x576xf32> {pulptrain.param = "fc.weight"})
    -> (tensor<f32> {pulptrain.loss}, tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"},
        tensor<32x576xf32> {pulptrain.param = "fc.weight"}) {
  %c = pulptrain.conv2d %x, %cw stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "fwd"}
      : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  %r = pulptrain.relu %c {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<16x6x6xf32>
  %f = tensor.collapse_shape %r [[0, 1, 2]] {pulptrain.layer = "flatten", pulptrain.phase = "fwd"}
      : tensor<16x6x6xf32> into tensor<576xf32>
  %o = pulptrain.linear %f, %fw {pulptrain.layer = "fc", pulptrain.phase = "fwd"}
      : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
  %loss = pulptrain.mse_loss %o, %label {pulptrain.layer = "loss", pulptrain.phase = "loss"}
      : (tensor<32xf32>, tensor<32xf32>) -> tensor<f32>
  %do = pulptrain.mse_loss_grad %o, %label {pulptrain.layer = "loss", pulptrain.phase = "loss"} : tensor<32xf32>
  %dfw = pulptrain.linear_wgt_grad %f, %do {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"}
      : (tensor<576xf32>, tensor<32xf32>) -> tensor<32x576xf32>
  %df = pulptrain.linear_in_grad %do, %fw {pulptrain.layer = "fc", pulptrain.phase = "in_grad"}
      : (tensor<32xf32>, tensor<32x576xf32>) -> tensor<576xf32>
  %dr = tensor.expand_shape %df [[0, 1, 2]] output_shape [16, 6, 6] {pulptrain.layer = "flatten", pulptrain.phase = "in_grad"}
      : tensor<576xf32> into tensor<16x6x6xf32>
  %dc = pulptrain.relu_grad %c, %dr {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<16x6x6xf32>
  %dcw = pulptrain.conv2d_wgt_grad %x, %dc stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"}
      : (tensor<8x8x8xf32>, tensor<16x6x6xf32>) -> tensor<16x8x3x3xf32>
  %ncw = pulptrain.sgd_update %cw, %dcw {lr = 0.01 : f64, pulptrain.layer = "conv1", pulptrain.phase = "update"}
      : (tensor<16x8x3x3xf32>, tensor<16x8x3x3xf32>) -> tensor<16x8x3x3xf32>
  %nfw = pulptrain.sgd_update %fw, %dfw {lr = 0.01 : f64, pulptrain.layer = "fc", pulptrain.phase = "update"}
      : (tensor<32x576xf32>, tensor<32x576xf32>) -> tensor<32x576xf32>
  return %loss, %ncw, %nfw : tensor<f32>, tensor<16x8x3x3xf32>, tensor<32x576xf32>
}

// -----

// Ops without attributes neither end nor start a group. A pair that comes
// back later keeps its id and sums its MACs: strided depthwise and padded
// convolutions (8 channels * 4*4 outputs * 1*3*3 = 1152 per op), their input
// gradient, SGD with momentum and weight decay (3 MACs per element); other
// functions are left alone.

// CHECK-LABEL: module attributes {pulptrain.profile_regions = [
// CHECK-SAME: {id = 0 : i32, layer = "dw", macs = 2304 : i64, phase = "fwd"},
// CHECK-SAME: {id = 1 : i32, layer = "dw", macs = 1152 : i64, phase = "in_grad"},
// CHECK-SAME: {id = 2 : i32, layer = "dw", macs = 216 : i64, phase = "update"}]}
// CHECK-LABEL: func.func @other
// CHECK-NOT: cluster.profile
// CHECK-LABEL: func.func @train_step
// CHECK: cluster.profile_enter 0
// CHECK-NEXT: pulptrain.conv2d
// CHECK-NEXT: pulptrain.relu
// CHECK-NEXT: pulptrain.conv2d
// CHECK-NEXT: cluster.profile_exit 0
// CHECK-NEXT: cluster.profile_enter 1
// CHECK-NEXT: pulptrain.conv2d_in_grad
// CHECK-NEXT: cluster.profile_exit 1
// CHECK-NEXT: cluster.profile_enter 0
// CHECK-NEXT: pulptrain.relu
// CHECK-NEXT: cluster.profile_exit 0
// CHECK-NEXT: cluster.profile_enter 2
// CHECK-NEXT: pulptrain.sgd_update
// CHECK-NEXT: cluster.profile_exit 2
func.func @other(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r = pulptrain.relu %x {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<8xf32>
  return %r : tensor<8xf32>
}
func.func @train_step(%x: tensor<8x8x8xf32>, %w: tensor<8x1x3x3xf32>, %m: tensor<8x1x3x3xf32>)
    -> (tensor<8x8x8xf32>, tensor<8x4x4xf32>, tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>) {
  %a = pulptrain.conv2d %x, %w stride [2, 2] padding [1, 1, 1, 1] groups 8 {pulptrain.layer = "dw", pulptrain.phase = "fwd"}
      : (tensor<8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<8x4x4xf32>
  %r = pulptrain.relu %a : tensor<8x4x4xf32>
  %b = pulptrain.conv2d %x, %w stride [2, 2] padding [1, 1, 1, 1] groups 8 {pulptrain.layer = "dw", pulptrain.phase = "fwd"}
      : (tensor<8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<8x4x4xf32>
  %dx = pulptrain.conv2d_in_grad %b, %w stride [2, 2] padding [1, 1, 1, 1] groups 8 {pulptrain.layer = "dw", pulptrain.phase = "in_grad"}
      : (tensor<8x4x4xf32>, tensor<8x1x3x3xf32>) -> tensor<8x8x8xf32>
  %c = pulptrain.relu %r {pulptrain.layer = "dw", pulptrain.phase = "fwd"} : tensor<8x4x4xf32>
  %nw, %nm = pulptrain.sgd_update %w, %w, %m {lr = 0.1 : f64, momentum = 0.9 : f64, weight_decay = 0.01 : f64,
                                              pulptrain.layer = "dw", pulptrain.phase = "update"}
      : (tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>) -> (tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>)
  return %dx, %c, %nw, %nm : tensor<8x8x8xf32>, tensor<8x4x4xf32>, tensor<8x1x3x3xf32>, tensor<8x1x3x3xf32>
}

// -----

// The MACs come from each op's CostOpInterface: a convolution of 2 groups
// (16x8x8 outputs * 4*3*3 = 36864 in each of its three ops), a linear layer
// with a bias (the bias adds none: 10*1024 = 10240 in each of its three
// ops), the cross-entropy loss and the bias gradient (none), plain SGD (one
// per element: 10240 + 10). The reshapes have no cost and get no region.

// CHECK-LABEL: module attributes {pulptrain.profile_regions = [
// CHECK-SAME: {id = 0 : i32, layer = "grouped", macs = 36864 : i64, phase = "fwd"},
// CHECK-SAME: {id = 1 : i32, layer = "fc", macs = 10240 : i64, phase = "fwd"},
// CHECK-SAME: {id = 2 : i32, layer = "loss", macs = 0 : i64, phase = "loss"},
// CHECK-SAME: {id = 3 : i32, layer = "fc", macs = 10240 : i64, phase = "wgt_grad"},
// CHECK-SAME: {id = 4 : i32, layer = "fc", macs = 10240 : i64, phase = "in_grad"},
// CHECK-SAME: {id = 5 : i32, layer = "grouped", macs = 36864 : i64, phase = "wgt_grad"},
// CHECK-SAME: {id = 6 : i32, layer = "grouped", macs = 36864 : i64, phase = "in_grad"},
// CHECK-SAME: {id = 7 : i32, layer = "fc", macs = 10250 : i64, phase = "update"}]}
func.func @train_step(%x: tensor<8x8x8xf32>, %w: tensor<16x4x3x3xf32>,
                      %fw: tensor<10x1024xf32>, %fb: tensor<10xf32>, %t: tensor<10xf32>)
    -> (tensor<f32>, tensor<16x4x3x3xf32>, tensor<8x8x8xf32>, tensor<10x1024xf32>, tensor<10xf32>) {
  %c = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1, 1, 1] groups 2 {pulptrain.layer = "grouped", pulptrain.phase = "fwd"}
      : (tensor<8x8x8xf32>, tensor<16x4x3x3xf32>) -> tensor<16x8x8xf32>
  %f = tensor.collapse_shape %c [[0, 1, 2]] {pulptrain.layer = "flatten", pulptrain.phase = "fwd"}
      : tensor<16x8x8xf32> into tensor<1024xf32>
  %o = pulptrain.linear %f, %fw, %fb {pulptrain.layer = "fc", pulptrain.phase = "fwd"}
      : (tensor<1024xf32>, tensor<10x1024xf32>, tensor<10xf32>) -> tensor<10xf32>
  %l = pulptrain.cross_entropy_loss %o, %t {pulptrain.layer = "loss", pulptrain.phase = "loss"}
      : (tensor<10xf32>, tensor<10xf32>) -> tensor<f32>
  %do = pulptrain.cross_entropy_loss_grad %o, %t {pulptrain.layer = "loss", pulptrain.phase = "loss"} : tensor<10xf32>
  %dfw = pulptrain.linear_wgt_grad %f, %do {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"}
      : (tensor<1024xf32>, tensor<10xf32>) -> tensor<10x1024xf32>
  %dfb = pulptrain.bias_grad %do {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"}
      : (tensor<10xf32>) -> tensor<10xf32>
  %df = pulptrain.linear_in_grad %do, %fw {pulptrain.layer = "fc", pulptrain.phase = "in_grad"}
      : (tensor<10xf32>, tensor<10x1024xf32>) -> tensor<1024xf32>
  %dc = tensor.expand_shape %df [[0, 1, 2]] output_shape [16, 8, 8] {pulptrain.layer = "flatten", pulptrain.phase = "in_grad"}
      : tensor<1024xf32> into tensor<16x8x8xf32>
  %dw = pulptrain.conv2d_wgt_grad %x, %dc stride [1, 1] padding [1, 1, 1, 1] groups 2 {pulptrain.layer = "grouped", pulptrain.phase = "wgt_grad"}
      : (tensor<8x8x8xf32>, tensor<16x8x8xf32>) -> tensor<16x4x3x3xf32>
  %dx = pulptrain.conv2d_in_grad %dc, %w stride [1, 1] padding [1, 1, 1, 1] groups 2 {pulptrain.layer = "grouped", pulptrain.phase = "in_grad"}
      : (tensor<16x8x8xf32>, tensor<16x4x3x3xf32>) -> tensor<8x8x8xf32>
  %nfw = pulptrain.sgd_update %fw, %dfw {lr = 0.1 : f64, pulptrain.layer = "fc", pulptrain.phase = "update"}
      : (tensor<10x1024xf32>, tensor<10x1024xf32>) -> tensor<10x1024xf32>
  %nfb = pulptrain.sgd_update %fb, %dfb {lr = 0.1 : f64, pulptrain.layer = "fc", pulptrain.phase = "update"}
      : (tensor<10xf32>, tensor<10xf32>) -> tensor<10xf32>
  return %l, %dw, %dx, %nfw, %nfb : tensor<f32>, tensor<16x4x3x3xf32>, tensor<8x8x8xf32>, tensor<10x1024xf32>, tensor<10xf32>
}

// -----

// A step without layer annotations (a hand-written one) gets an empty table
// and no regions.

// CHECK-LABEL: module attributes {pulptrain.profile_regions = []}
// CHECK-NOT: cluster.profile
func.func @train_step(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r = pulptrain.relu %x : tensor<8xf32>
  return %r : tensor<8xf32>
}
