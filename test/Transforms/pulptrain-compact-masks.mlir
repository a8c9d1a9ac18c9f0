// RUN: pulptrain-opt %s --split-input-file --pulptrain-compact-masks | FileCheck %s

// Conv, ReLU, max pooling: the relu's output is read in the backward pass
// only by the pooling's gradient and the relu's gradient, so both read byte
// masks instead: the relu mask right after the relu, in its layer; the
// forward pooling becomes the pooling with positions, keeping its own
// attributes. The gradients keep theirs.

// CHECK-LABEL: func.func @relu_pool
// CHECK:      %[[Y:.*]] = pulptrain.relu %{{.*}} {pulptrain.layer = "act", pulptrain.phase = "fwd"}
// CHECK-NEXT: %[[M:.*]] = pulptrain.relu_mask %[[Y]] {pulptrain.layer = "act", pulptrain.phase = "fwd"} : tensor<8x4x4xf32> -> tensor<8x4x4xi8>
// CHECK-NEXT: %[[P:.*]], %[[I:.*]] = pulptrain.maxpool2d_argmax %[[Y]] kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "pool", pulptrain.phase = "fwd"} : (tensor<8x4x4xf32>) -> (tensor<8x2x2xf32>, tensor<8x2x2xi8>)
// CHECK-NOT:  pulptrain.maxpool2d %
// CHECK:      %[[DY:.*]] = pulptrain.maxpool2d_scatter %[[I]], %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "pool", pulptrain.phase = "in_grad"} : (tensor<8x2x2xi8>, tensor<8x2x2xf32>) -> tensor<8x4x4xf32>
// CHECK:      %[[DX:.*]] = pulptrain.relu_mask_grad %[[M]], %[[DY]] {pulptrain.layer = "act", pulptrain.phase = "in_grad"} : tensor<8x4x4xi8>, tensor<8x4x4xf32>
// CHECK:      return %[[P]], %[[DX]]
func.func @relu_pool(%x: tensor<8x4x4xf32>, %dp: tensor<8x2x2xf32>)
    -> (tensor<8x2x2xf32>, tensor<8x4x4xf32>) {
  %y = pulptrain.relu %x {pulptrain.layer = "act", pulptrain.phase = "fwd"} : tensor<8x4x4xf32>
  %p = pulptrain.maxpool2d %y kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "pool", pulptrain.phase = "fwd"} : (tensor<8x4x4xf32>) -> tensor<8x2x2xf32>
  %dy = pulptrain.maxpool2d_grad %y, %dp kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "pool", pulptrain.phase = "in_grad"} : (tensor<8x4x4xf32>, tensor<8x2x2xf32>) -> tensor<8x4x4xf32>
  %dx = pulptrain.relu_grad %y, %dy {pulptrain.layer = "act", pulptrain.phase = "in_grad"} : tensor<8x4x4xf32>
  return %p, %dx : tensor<8x2x2xf32>, tensor<8x4x4xf32>
}

// -----

// The relu's output is also the input of a convolution, whose weight
// gradient reads it in the backward pass before the relu's gradient: it
// stays alive anyway, and the relu gradient keeps reading it. Without the
// phases, the weight gradient would come before the first gradient reading
// a mask and the relu would get one.

// CHECK-LABEL: func.func @kept_anyway
// CHECK-NOT: relu_mask
// CHECK:     pulptrain.relu_grad
func.func @kept_anyway(%x: tensor<2x4x4xf32>, %w: tensor<2x2x1x1xf32>,
                       %dz: tensor<2x4x4xf32>)
    -> (tensor<2x4x4xf32>, tensor<2x4x4xf32>, tensor<2x2x1x1xf32>) {
  %y = pulptrain.relu %x {pulptrain.phase = "fwd"} : tensor<2x4x4xf32>
  %z = pulptrain.conv2d %y, %w stride [1, 1] padding [0, 0, 0, 0] {pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<2x4x4xf32>
  %dw = pulptrain.conv2d_wgt_grad %y, %dz stride [1, 1] padding [0, 0, 0, 0] {pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x2x1x1xf32>
  %dx = pulptrain.relu_grad %y, %dz {pulptrain.phase = "in_grad"} : tensor<2x4x4xf32>
  return %z, %dx, %dw : tensor<2x4x4xf32>, tensor<2x4x4xf32>, tensor<2x2x1x1xf32>
}

// -----

// A function argument lives for the whole call: no mask saves anything.
// A window of more than 256 elements has positions beyond a byte.

// CHECK-LABEL: func.func @not_compacted
// CHECK-NOT: relu_mask
// CHECK-NOT: argmax
// CHECK:     pulptrain.relu_grad %arg0
// CHECK:     pulptrain.maxpool2d_grad %[[Y:.*]], %{{.*}} kernel [17, 17]
func.func @not_compacted(%x: tensor<1x17x17xf32>, %d: tensor<1x17x17xf32>,
                         %dp: tensor<1x1x1xf32>)
    -> (tensor<1x17x17xf32>, tensor<1x1x1xf32>, tensor<1x17x17xf32>) {
  %dx = pulptrain.relu_grad %x, %d : tensor<1x17x17xf32>
  %y = pulptrain.relu %x : tensor<1x17x17xf32>
  %p = pulptrain.maxpool2d %y kernel [17, 17] stride [17, 17] padding [0, 0, 0, 0] : (tensor<1x17x17xf32>) -> tensor<1x1x1xf32>
  %dy = pulptrain.maxpool2d_grad %y, %dp kernel [17, 17] stride [17, 17] padding [0, 0, 0, 0] : (tensor<1x17x17xf32>, tensor<1x1x1xf32>) -> tensor<1x17x17xf32>
  return %dx, %p, %dy : tensor<1x17x17xf32>, tensor<1x1x1xf32>, tensor<1x17x17xf32>
}

// -----

// A pooling gradient without its forward pooling in the function (or with
// other attributes) gets a pooling with positions of its own, right after
// the value, in the gradient's layer and the forward phase; f16 gradients
// and the HWC layout are kept.

// CHECK-LABEL: func.func @no_forward_pool
// CHECK:      %[[Y:.*]] = pulptrain.relu
// CHECK-NEXT: %{{.*}}, %[[I:.*]] = pulptrain.maxpool2d_argmax %[[Y]] kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] layout <hwc> {pulptrain.layer = "pool", pulptrain.phase = "fwd"} : (tensor<5x5x2xf16>) -> (tensor<3x3x2xf16>, tensor<3x3x2xi8>)
// CHECK-NEXT: pulptrain.maxpool2d %[[Y]] kernel [2, 2]
// CHECK:      pulptrain.maxpool2d_scatter %[[I]], %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] layout <hwc> {pulptrain.layer = "pool", pulptrain.phase = "in_grad"} : (tensor<3x3x2xi8>, tensor<3x3x2xf16>) -> tensor<5x5x2xf16>
func.func @no_forward_pool(%x: tensor<5x5x2xf16>, %dp: tensor<3x3x2xf16>)
    -> (tensor<2x2x2xf16>, tensor<5x5x2xf16>) {
  %y = pulptrain.relu %x : tensor<5x5x2xf16>
  %p = pulptrain.maxpool2d %y kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] layout <hwc> : (tensor<5x5x2xf16>) -> tensor<2x2x2xf16>
  %dy = pulptrain.maxpool2d_grad %y, %dp kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] layout <hwc> {pulptrain.layer = "pool", pulptrain.phase = "in_grad"} : (tensor<5x5x2xf16>, tensor<3x3x2xf16>) -> tensor<5x5x2xf16>
  return %p, %dy : tensor<2x2x2xf16>, tensor<5x5x2xf16>
}

// -----

// The relu's output is flattened for a Linear layer, whose weight gradient
// reads the flattened view in the backward pass: the view keeps the output
// alive, so no mask.

// CHECK-LABEL: func.func @flattened
// CHECK-NOT: relu_mask
// CHECK:     pulptrain.relu_grad
func.func @flattened(%x: tensor<2x2x2xf32>, %dz: tensor<4xf32>,
                     %d: tensor<2x2x2xf32>) -> (tensor<2x2x2xf32>, tensor<4x8xf32>) {
  %y = pulptrain.relu %x {pulptrain.phase = "fwd"} : tensor<2x2x2xf32>
  %f = tensor.collapse_shape %y [[0, 1, 2]] {pulptrain.phase = "fwd"} : tensor<2x2x2xf32> into tensor<8xf32>
  %dw = pulptrain.linear_wgt_grad %f, %dz {pulptrain.phase = "wgt_grad"} : (tensor<8xf32>, tensor<4xf32>) -> tensor<4x8xf32>
  %dx = pulptrain.relu_grad %y, %d {pulptrain.phase = "in_grad"} : tensor<2x2x2xf32>
  return %dx, %dw : tensor<2x2x2xf32>, tensor<4x8xf32>
}
