// RUN: pulptrain-opt %s --split-input-file --pulptrain-recompute --mlir-print-debuginfo | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-recompute="max-cost-per-byte=3" | FileCheck %s --check-prefix=COSTLY
// RUN: pulptrain-opt %s --split-input-file --pulptrain-recompute="max-cost-per-byte=8" | FileCheck %s --check-prefix=POOL

// Conv, batch norm, relu, conv: the step's peak is at the loss, where the
// relu's output %y waits for the second convolution's weight gradient. The
// batch norm's gradients read the first convolution's output %c anyway, so
// the batch norm and the relu are computed again from it right before that
// weight gradient; the relu's gradient reads the new value too. The copies
// keep their attributes and carry the recomputed mark in their locations.
// Their cost (the bytes they read and write, about 4 times the 128 freed)
// is above a limit of 3 bytes per byte: then nothing changes.

// CHECK-LABEL: func.func @bn_relu
// CHECK:      %[[C:.*]] = pulptrain.conv2d %arg0
// CHECK:      %[[B:.*]] = pulptrain.batch_norm %[[C]], %arg2, %arg3 {pulptrain.layer = "bn", pulptrain.phase = "fwd"}
// CHECK:      %[[Y:.*]] = pulptrain.relu %[[B]]
// CHECK:      pulptrain.conv2d %[[Y]], %arg4
// CHECK:      %[[DZ:.*]] = pulptrain.mse_loss_grad
// CHECK-NEXT: %[[B2:.*]] = pulptrain.batch_norm %[[C]], %arg2, %arg3 {pulptrain.layer = "bn", pulptrain.phase = "fwd"} : {{.*}} loc(#[[LB:loc[0-9]+]])
// CHECK-NEXT: %[[Y2:.*]] = pulptrain.relu %[[B2]] {{.*}} loc(#[[LY:loc[0-9]+]])
// CHECK-NEXT: pulptrain.conv2d_wgt_grad %[[Y2]], %[[DZ]]
// CHECK:      pulptrain.relu_grad %[[Y2]],
// CHECK-DAG:  #[[LB]] = loc(fused<"pulptrain.recomputed">[#{{.*}}])
// CHECK-DAG:  #[[LY]] = loc(fused<"pulptrain.recomputed">[#{{.*}}])

// COSTLY-LABEL: func.func @bn_relu
// COSTLY-COUNT-1: pulptrain.batch_norm %
// COSTLY-NOT:   pulptrain.batch_norm %
func.func @bn_relu(%x: tensor<2x4x4xf32>, %w: tensor<2x2x1x1xf32>,
                   %g: tensor<2xf32>, %beta: tensor<2xf32>,
                   %w2: tensor<4x2x1x1xf32>, %t: tensor<4x4x4xf32>)
    -> (tensor<2x2x1x1xf32>, tensor<4x2x1x1xf32>, tensor<2xf32>, tensor<2xf32>) {
  %c = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<2x4x4xf32>
  %b = pulptrain.batch_norm %c, %g, %beta {pulptrain.layer = "bn", pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x4x4xf32>
  %y = pulptrain.relu %b {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<2x4x4xf32>
  %z = pulptrain.conv2d %y, %w2 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<4x4x4xf32>
  %dz = pulptrain.mse_loss_grad %z, %t {pulptrain.layer = "loss", pulptrain.phase = "loss"} : tensor<4x4x4xf32>
  %dw2 = pulptrain.conv2d_wgt_grad %y, %dz stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<4x4x4xf32>) -> tensor<4x2x1x1xf32>
  %dy = pulptrain.conv2d_in_grad %dz, %w2 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "in_grad"}
      : (tensor<4x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<2x4x4xf32>
  %db = pulptrain.relu_grad %y, %dy {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<2x4x4xf32>
  %dg, %dbeta = pulptrain.batch_norm_wgt_grad %c, %db {pulptrain.layer = "bn", pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %dc = pulptrain.batch_norm_in_grad %c, %g, %db {pulptrain.layer = "bn", pulptrain.phase = "in_grad"}
      : (tensor<2x4x4xf32>, tensor<2xf32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %dw = pulptrain.conv2d_wgt_grad %x, %dc stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x2x1x1xf32>
  return %dw, %dw2, %dg, %dbeta : tensor<2x2x1x1xf32>, tensor<4x2x1x1xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// The same step with the second convolution's output as small as the
// first's: the peak is also at the relu's gradient, where %y is read
// anyway, so computing it again would not lower the peak.

// CHECK-LABEL: func.func @not_at_peak
// COSTLY-LABEL: func.func @not_at_peak
// CHECK-COUNT-1: pulptrain.batch_norm %
// CHECK-NOT:     pulptrain.batch_norm %
func.func @not_at_peak(%x: tensor<2x4x4xf32>, %w: tensor<2x2x1x1xf32>,
                   %g: tensor<2xf32>, %beta: tensor<2xf32>,
                   %w2: tensor<2x2x1x1xf32>, %t: tensor<2x4x4xf32>)
    -> (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>, tensor<2xf32>) {
  %c = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<2x4x4xf32>
  %b = pulptrain.batch_norm %c, %g, %beta {pulptrain.layer = "bn", pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x4x4xf32>
  %y = pulptrain.relu %b {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<2x4x4xf32>
  %z = pulptrain.conv2d %y, %w2 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<2x4x4xf32>
  %dz = pulptrain.mse_loss_grad %z, %t {pulptrain.layer = "loss", pulptrain.phase = "loss"} : tensor<2x4x4xf32>
  %dw2 = pulptrain.conv2d_wgt_grad %y, %dz stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x2x1x1xf32>
  %dy = pulptrain.conv2d_in_grad %dz, %w2 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "in_grad"}
      : (tensor<2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<2x4x4xf32>
  %db = pulptrain.relu_grad %y, %dy {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<2x4x4xf32>
  %dg, %dbeta = pulptrain.batch_norm_wgt_grad %c, %db {pulptrain.layer = "bn", pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %dc = pulptrain.batch_norm_in_grad %c, %g, %db {pulptrain.layer = "bn", pulptrain.phase = "in_grad"}
      : (tensor<2x4x4xf32>, tensor<2xf32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %dw = pulptrain.conv2d_wgt_grad %x, %dc stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x2x1x1xf32>
  return %dw, %dw2, %dg, %dbeta : tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// A value that only the backward pass reads moves to its first reader
// (nothing is computed twice, whatever the limit): the relu's output %s
// is read only by a gradient after the loss. The sigmoid would not be
// computed again (its approximation is costly), so its output %u, which
// the forward pass reads too, stays.

// CHECK-LABEL: func.func @moved
// CHECK:      %[[U:.*]] = pulptrain.sigmoid %arg0
// CHECK-NEXT: %[[Z:.*]] = pulptrain.mul_scalar %[[U]]
// CHECK-NEXT: %[[Z2:.*]] = pulptrain.add %[[Z]], %arg1
// CHECK-NEXT: pulptrain.mse_loss %[[Z2]], %arg1 {pulptrain.layer = "loss", pulptrain.phase = "loss"}
// CHECK-NEXT: %[[S:.*]] = pulptrain.relu %arg0 {pulptrain.layer = "r", pulptrain.phase = "fwd"}
// CHECK-NEXT: pulptrain.sigmoid_grad %[[U]], %[[S]]
// COSTLY-LABEL: func.func @moved
// COSTLY:      pulptrain.mse_loss {{.*}}pulptrain.phase = "loss"
// COSTLY-NEXT: pulptrain.relu %arg0
func.func @moved(%x: tensor<16xf32>, %t: tensor<16xf32>)
    -> (tensor<f32>, tensor<16xf32>) {
  %u = pulptrain.sigmoid %x {pulptrain.layer = "u", pulptrain.phase = "fwd"} : tensor<16xf32>
  %s = pulptrain.relu %x {pulptrain.layer = "r", pulptrain.phase = "fwd"} : tensor<16xf32>
  %z = pulptrain.mul_scalar %u {pulptrain.layer = "m", pulptrain.phase = "fwd", scalar = 2.0 : f64} : tensor<16xf32>
  %z2 = pulptrain.add %z, %t {pulptrain.layer = "m", pulptrain.phase = "fwd"} : tensor<16xf32>
  %l = pulptrain.mse_loss %z2, %t {pulptrain.layer = "loss", pulptrain.phase = "loss"} : (tensor<16xf32>, tensor<16xf32>) -> tensor<f32>
  %d = pulptrain.sigmoid_grad %u, %s {pulptrain.layer = "u", pulptrain.phase = "in_grad"} : tensor<16xf32>
  return %l, %d : tensor<f32>, tensor<16xf32>
}

// -----

// Conv, max pooling, relu, conv: the relu's output %y waits at the peak
// (the loss) for the second convolution's weight gradient. Computing it
// again would need the pooling again, from the first convolution's output
// %c, which the backward pass reads only through the pooling's positions:
// pulptrain-compact-masks keeps the positions instead, and a recomputation
// from %c would keep %c, four times larger than %y. Nothing changes, even
// with a cost limit that the recomputation (7 bytes per byte) is within.

// CHECK-LABEL: func.func @pool_from_masked
// COSTLY-LABEL: func.func @pool_from_masked
// POOL-LABEL: func.func @pool_from_masked
// POOL-COUNT-1: pulptrain.maxpool2d %
// POOL-NOT:   pulptrain.maxpool2d %
// POOL-COUNT-1: pulptrain.relu %
// POOL-NOT:   pulptrain.relu %
func.func @pool_from_masked(%x: tensor<2x8x8xf32>, %w: tensor<2x2x1x1xf32>,
                            %w2: tensor<8x2x1x1xf32>, %t: tensor<8x4x4xf32>)
    -> (tensor<2x2x1x1xf32>, tensor<8x2x1x1xf32>) {
  %c = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "fwd"}
      : (tensor<2x8x8xf32>, tensor<2x2x1x1xf32>) -> tensor<2x8x8xf32>
  %p = pulptrain.maxpool2d %c kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "pool", pulptrain.phase = "fwd"}
      : (tensor<2x8x8xf32>) -> tensor<2x4x4xf32>
  %y = pulptrain.relu %p {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<2x4x4xf32>
  %z = pulptrain.conv2d %y, %w2 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "fwd"}
      : (tensor<2x4x4xf32>, tensor<8x2x1x1xf32>) -> tensor<8x4x4xf32>
  %dz = pulptrain.mse_loss_grad %z, %t {pulptrain.layer = "loss", pulptrain.phase = "loss"} : tensor<8x4x4xf32>
  %dw2 = pulptrain.conv2d_wgt_grad %y, %dz stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "wgt_grad"}
      : (tensor<2x4x4xf32>, tensor<8x4x4xf32>) -> tensor<8x2x1x1xf32>
  %dy = pulptrain.conv2d_in_grad %dz, %w2 stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv2", pulptrain.phase = "in_grad"}
      : (tensor<8x4x4xf32>, tensor<8x2x1x1xf32>) -> tensor<2x4x4xf32>
  %dp = pulptrain.relu_grad %y, %dy {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<2x4x4xf32>
  %dc = pulptrain.maxpool2d_grad %c, %dp kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] {pulptrain.layer = "pool", pulptrain.phase = "in_grad"}
      : (tensor<2x8x8xf32>, tensor<2x4x4xf32>) -> tensor<2x8x8xf32>
  %dw = pulptrain.conv2d_wgt_grad %x, %dc stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"}
      : (tensor<2x8x8xf32>, tensor<2x8x8xf32>) -> tensor<2x2x1x1xf32>
  return %dw, %dw2 : tensor<2x2x1x1xf32>, tensor<8x2x1x1xf32>
}
