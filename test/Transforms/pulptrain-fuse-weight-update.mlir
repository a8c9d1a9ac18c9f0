// RUN: pulptrain-opt %s --split-input-file --convert-pulptrain-to-linalg --pulptrain-fuse-weight-update | FileCheck %s

// A batch-1 Linear weight gradient (an outer product) that only the SGD
// update reads is computed inside the update: one generic reads the weight,
// the output gradient and the input, and writes the new weight; the
// gradient is no tensor of the function any more, and the mark is gone.
// CHECK-DAG: #[[OI:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[I:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @linear_sgd
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[DY:.*]]: tensor<3xf32>, %[[W:.*]]: tensor<3x4xf32>)
// CHECK: %[[NEW:.*]] = linalg.generic {indexing_maps = [#[[OI]], #[[O]], #[[I]], #[[OI]]], iterator_types = ["parallel", "parallel"]} ins(%[[W]], %[[DY]], %[[X]] : tensor<3x4xf32>, tensor<3xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<3x4xf32>) {
// CHECK-NEXT: ^bb0(%[[WI:[^:]*]]: f32, %[[A:[^:]*]]: f32, %[[B:[^:]*]]: f32, %{{.*}}: f32):
// CHECK: %[[G:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK: %[[S:.*]] = arith.mulf %{{.*}}, %[[G]] : f32
// CHECK: %[[R:.*]] = arith.subf %[[WI]], %[[S]] : f32
// CHECK: linalg.yield %[[R]] : f32
// CHECK-NEXT: } -> tensor<3x4xf32>
// CHECK-NOT: linalg.generic
// CHECK-NOT: pulptrain.optimizer_update
// CHECK: return %[[NEW]] : tensor<3x4xf32>
func.func @linear_sgd(%x: tensor<4xf32>, %dy: tensor<3xf32>, %w: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %g = pulptrain.linear_wgt_grad %x, %dy : (tensor<4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  %0 = pulptrain.sgd_update %w, %g {lr = 0.01 : f64} : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Momentum and weight decay: one generic with two results, the new weight
// and the new momentum buffer; the weight is the first input, the buffer
// the last, the gradient's operands in between.
// CHECK-LABEL: func.func @linear_momentum
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[DY:.*]]: tensor<3xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[M:.*]]: tensor<3x4xf32>)
// CHECK: %[[NEW:.*]]:2 = linalg.generic {{.*}} ins(%[[W]], %[[DY]], %[[X]], %[[M]] : tensor<3x4xf32>, tensor<3xf32>, tensor<4xf32>, tensor<3x4xf32>) outs(%{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<3x4xf32>) {
// CHECK-NEXT: ^bb0(%[[WI:[^:]*]]: f32, %[[A:[^:]*]]: f32, %[[B:[^:]*]]: f32, %[[MI:[^:]*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[G:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK: %[[WD:.*]] = arith.mulf %{{.*}}, %[[WI]] : f32
// CHECK: %[[GD:.*]] = arith.addf %[[G]], %[[WD]] : f32
// CHECK: %[[MM:.*]] = arith.mulf %{{.*}}, %[[MI]] : f32
// CHECK: %[[STEP:.*]] = arith.addf %[[MM]], %[[GD]] : f32
// CHECK: %[[S:.*]] = arith.mulf %{{.*}}, %[[STEP]] : f32
// CHECK: %[[R:.*]] = arith.subf %[[WI]], %[[S]] : f32
// CHECK: linalg.yield %[[R]], %[[STEP]] : f32, f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[NEW]]#0, %[[NEW]]#1
func.func @linear_momentum(%x: tensor<4xf32>, %dy: tensor<3xf32>, %w: tensor<3x4xf32>, %m: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %g = pulptrain.linear_wgt_grad %x, %dy : (tensor<4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  %0:2 = pulptrain.sgd_update %w, %g, %m {lr = 0.01 : f64, momentum = 0.9 : f64, weight_decay = 0.01 : f64} : (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>)
  return %0#0, %0#1 : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// f16: the gradient is the f32 product rounded to f16; both the product and
// the rounding are fused, in that order, so each element is computed as
// before.
// CHECK-LABEL: func.func @linear_sgd_f16
// CHECK: linalg.generic {{.*}} ins(%arg2, %arg1, %arg0 : tensor<3x4xf16>, tensor<3xf16>, tensor<4xf16>)
// CHECK: arith.mulf {{.*}} : f32
// CHECK: %[[G:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extf %[[G]] : f16 to f32
// CHECK: arith.subf
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @linear_sgd_f16(%x: tensor<4xf16>, %dy: tensor<3xf16>, %w: tensor<3x4xf16>) -> tensor<3x4xf16> {
  %g = pulptrain.linear_wgt_grad %x, %dy : (tensor<4xf16>, tensor<3xf16>) -> tensor<3x4xf16>
  %0 = pulptrain.sgd_update %w, %g {lr = 0.01 : f64} : (tensor<3x4xf16>, tensor<3x4xf16>) -> tensor<3x4xf16>
  return %0 : tensor<3x4xf16>
}

// -----

// A gradient that something else uses too (here: returned) stays a tensor
// of its own; the update reads it.
// CHECK-LABEL: func.func @gradient_returned
// CHECK: %[[G:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: %[[NEW:.*]] = linalg.generic {{.*}} ins(%arg2, %[[G]] : tensor<3x4xf32>, tensor<3x4xf32>)
// CHECK-NOT: pulptrain.optimizer_update
// CHECK: return %[[NEW]], %[[G]]
func.func @gradient_returned(%x: tensor<4xf32>, %dy: tensor<3xf32>, %w: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %g = pulptrain.linear_wgt_grad %x, %dy : (tensor<4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  %0 = pulptrain.sgd_update %w, %g {lr = 0.01 : f64} : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0, %g : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// A convolution's weight gradient is a reduction: no element-wise producer,
// so the update stays a generic of its own.
// CHECK-LABEL: func.func @conv_sgd
// CHECK: %[[G:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[G]]
// CHECK: linalg.generic {{.*}} ins(%arg2, %[[C]] : tensor<2x1x3x3xf32>, tensor<2x1x3x3xf32>)
// CHECK-NOT: pulptrain.optimizer_update
func.func @conv_sgd(%x: tensor<1x4x4xf32>, %dy: tensor<2x2x2xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<2x1x3x3xf32> {
  %g = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [0, 0, 0, 0] : (tensor<1x4x4xf32>, tensor<2x2x2xf32>) -> tensor<2x1x3x3xf32>
  %0 = pulptrain.sgd_update %w, %g {lr = 0.01 : f64} : (tensor<2x1x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<2x1x3x3xf32>
  return %0 : tensor<2x1x3x3xf32>
}

// -----

// Only the gradient side is fused: an element-wise producer of the
// parameter (the first input) stays apart, so that the update keeps reading
// the parameter itself and can write it in place; so does a producer that
// reads its init (it would stay a result of the fused op).
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @parameter_and_init
// CHECK: %[[P:.*]] = linalg.generic
// CHECK: arith.negf
// CHECK: %[[G:.*]] = linalg.generic
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[P]], %[[G]] : tensor<4xf32>, tensor<4xf32>)
// CHECK-NOT: pulptrain.optimizer_update
func.func @parameter_and_init(%w: tensor<4xf32>, %a: tensor<4xf32>, %acc: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%w : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %out, %in : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%p, %g : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) attrs = {pulptrain.optimizer_update} {
  ^bb0(%wi: f32, %gi: f32, %out: f32):
    %s = arith.subf %wi, %gi : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Profiling regions (pulptrain-instrument-layers): the gradient's region
// is left empty and its MACs move to the update's region, which now
// computes it; the table records where they went.
// CHECK: module attributes {pulptrain.profile_regions = [{id = 0 : i64, layer = "fc", macs = 12 : i64, phase = "fwd"}, {fused_into = 2 : i64, id = 1 : i64, layer = "fc", macs = 0 : i64, phase = "wgt_grad"}, {id = 2 : i64, layer = "fc", macs = 24 : i64, phase = "update"}]}
// CHECK-LABEL: func.func @regions
// CHECK: cluster.profile_enter 1
// CHECK-NEXT: cluster.profile_exit 1
// CHECK-NEXT: cluster.profile_enter 2
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<3xf32>, tensor<4xf32>)
// CHECK: cluster.profile_exit 2
module attributes {pulptrain.profile_regions = [{id = 0 : i64, layer = "fc", macs = 12 : i64, phase = "fwd"}, {id = 1 : i64, layer = "fc", macs = 12 : i64, phase = "wgt_grad"}, {id = 2 : i64, layer = "fc", macs = 12 : i64, phase = "update"}]} {
  func.func @regions(%x: tensor<4xf32>, %dy: tensor<3xf32>, %w: tensor<3x4xf32>) -> tensor<3x4xf32> {
    cluster.profile_enter 1
    %g = pulptrain.linear_wgt_grad %x, %dy : (tensor<4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
    cluster.profile_exit 1
    cluster.profile_enter 2
    %0 = pulptrain.sgd_update %w, %g {lr = 0.01 : f64} : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    cluster.profile_exit 2
    return %0 : tensor<3x4xf32>
  }
}

// -----

// In f16 a convolution's weight gradient is a reduction in f32 and its
// rounding to f16: the rounding is fused into the update, the reduction
// stays in its region, which keeps its MACs.
// CHECK: module attributes {pulptrain.profile_regions = [{id = 1 : i64, layer = "conv", macs = 72 : i64, phase = "wgt_grad"}, {id = 2 : i64, layer = "conv", macs = 8 : i64, phase = "update"}]}
// CHECK-LABEL: func.func @regions_f16
// CHECK: cluster.profile_enter 1
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: cluster.profile_exit 1
module attributes {pulptrain.profile_regions = [{id = 1 : i64, layer = "conv", macs = 72 : i64, phase = "wgt_grad"}, {id = 2 : i64, layer = "conv", macs = 8 : i64, phase = "update"}]} {
  func.func @regions_f16(%x: tensor<1x4x4xf16>, %dy: tensor<2x2x2xf16>, %w: tensor<2x1x3x3xf16>) -> tensor<2x1x3x3xf16> {
    cluster.profile_enter 1
    %g = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [0, 0, 0, 0] : (tensor<1x4x4xf16>, tensor<2x2x2xf16>) -> tensor<2x1x3x3xf16>
    cluster.profile_exit 1
    cluster.profile_enter 2
    %0 = pulptrain.sgd_update %w, %g {lr = 0.01 : f64} : (tensor<2x1x3x3xf16>, tensor<2x1x3x3xf16>) -> tensor<2x1x3x3xf16>
    cluster.profile_exit 2
    return %0 : tensor<2x1x3x3xf16>
  }
}
